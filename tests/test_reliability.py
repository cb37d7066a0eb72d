"""Cronbach's alpha of the scales, against a hand computation."""

import pandas as pd
import pytest

from buurtpreventie.stats.reliability import alpha_ci, item_table, reliability_table, scale_items

# Four respondents, three items, worked out by hand (alpha = k/(k-1) * (1 - sum var_i / var_total)):
#   item variances (n - 1): 5/3, 4.75/3, 5/3 -> sum 4.916667
#   totals 5, 8, 10, 14 -> variance 42.75/3 = 14.25
#   alpha = 3/2 * (1 - 4.916667/14.25) = 0.982456
HAND = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [2, 3, 4, 5]}, dtype=float)


def test_pingouin_alpha_matches_the_hand_computation():
    import pingouin as pg

    alpha, _ = pg.cronbach_alpha(data=HAND)
    assert alpha == pytest.approx(0.982456, abs=1e-6)


# Ten respondents, four items; alpha and Feldt's 95% CI computed in R 4.2.2 by hand:
#   a <- k / (k - 1) * (1 - sum(apply(X, 2, var)) / var(rowSums(X)))
#   1 - (1 - a) * qf(0.975, n - 1, (n - 1) * (k - 1))   # lower
#   1 - (1 - a) * qf(0.025, n - 1, (n - 1) * (k - 1))   # upper
FELDT = pd.DataFrame(
    [[4, 5, 4, 3], [3, 3, 2, 2], [5, 4, 5, 4], [2, 3, 2, 1], [4, 4, 3, 4],
     [3, 2, 3, 3], [5, 5, 4, 5], [1, 2, 2, 1], [4, 3, 4, 4], [2, 2, 1, 3]],
    dtype=float,
)  # fmt: skip
R_ALPHA = 0.92144373673036084
R_CI = (0.79332981581073458, 0.97808416540089582)


def test_alpha_ci_is_feldts_at_full_precision_as_r():
    import pingouin as pg

    alpha, rounded = pg.cronbach_alpha(data=FELDT)
    assert alpha == pytest.approx(R_ALPHA, rel=1e-12)
    low, high = alpha_ci(alpha, n=10, k=4)
    assert (low, high) == pytest.approx(R_CI, rel=1e-10)
    assert rounded.tolist() == [round(low, 3), round(high, 3)]  # pingouin: the same, rounded
    assert round(low, 3) != low  # full precision, not three decimals


def _respondents(codebook):
    # Sociale cohesie: q9_1 is reversed (6 - code). Four complete respondents, one incomplete.
    rows = [
        {"q9_1": 5, "q9_2": 2, "q9_3": 2, "q9_4": 1, "q9_5": 2, "q9_6": 1},
        {"q9_1": 4, "q9_2": 3, "q9_3": 2, "q9_4": 2, "q9_5": 3, "q9_6": 2},
        {"q9_1": 2, "q9_2": 4, "q9_3": 4, "q9_4": 4, "q9_5": 3, "q9_6": 4},
        {"q9_1": 1, "q9_2": 5, "q9_3": 4, "q9_4": 5, "q9_5": 5, "q9_6": 5},
        {"q9_1": 3, "q9_2": None, "q9_3": 3, "q9_4": 3, "q9_5": 3, "q9_6": 3},
    ]
    frame = pd.DataFrame(rows, dtype="Int64")
    frame["wave"] = "voormeting"
    for column in [c for i in codebook.indicators if i.is_scale for c in i.items]:
        if column not in frame:
            frame[column] = pd.array([3, 4, 2, 5, 1], dtype="Int64")
    return frame


def test_scale_items_reverse_and_listwise(codebook):
    items = scale_items(_respondents(codebook), codebook, codebook.indicator("sociale_cohesie"))
    assert len(items) == 4  # the incomplete respondent is left out
    assert items["q9_1"].tolist() == [1, 2, 4, 5]  # 6 - code


def test_reliability_table_and_flag(codebook):
    respondents = _respondents(codebook)
    table = reliability_table(respondents, codebook, ["voormeting"], min_alpha=0.70)
    cohesion = table.set_index("scale").loc["sociale_cohesie"]
    items = scale_items(respondents, codebook, codebook.indicator("sociale_cohesie"))
    k = items.shape[1]
    by_hand = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert cohesion["alpha"] == pytest.approx(by_hand)
    assert cohesion["n"] == 4 and cohesion["k"] == 6
    assert cohesion["ci_low"] < cohesion["alpha"] < cohesion["ci_high"]
    assert (cohesion["ci_low"], cohesion["ci_high"]) == alpha_ci(by_hand, 4, 6)
    # The constant-free filler items of the other scales correlate perfectly: alpha 1.
    assert not table["below_min_alpha"].any()


def test_item_table_alpha_if_deleted(codebook):
    respondents = _respondents(codebook)
    table = item_table(respondents, codebook, ["voormeting"]).set_index(["scale", "item"])
    items = scale_items(respondents, codebook, codebook.indicator("sociale_cohesie"))
    rest = items.drop(columns="q9_3")
    k = rest.shape[1]
    by_hand = k / (k - 1) * (1 - rest.var(ddof=1).sum() / rest.sum(axis=1).var(ddof=1))
    row = table.loc[("sociale_cohesie", "q9_3")]
    assert row["alpha_if_deleted"] == pytest.approx(by_hand)
    assert row["item_rest_r"] == pytest.approx(items["q9_3"].corr(rest.sum(axis=1)))
    assert bool(table.loc[("sociale_cohesie", "q9_1"), "reversed"])


def test_own_alpha_is_pingouins_to_the_last_bit():
    """cronbach_alpha repeats pingouin's operations (kept out of the job for its import
    cost): equal floats, pairwise and listwise, with and without missing answers."""
    import numpy as np
    import pingouin as pg

    from buurtpreventie.stats.reliability import cronbach_alpha

    rng = np.random.default_rng(19)
    for trial in range(200):
        n, k = int(rng.integers(3, 60)), int(rng.integers(2, 7))
        items = pd.DataFrame(rng.integers(1, 6, size=(n, k)).astype(float))
        if trial % 2:
            items = items.mask(rng.random((n, k)) < 0.1)
        if items.dropna().shape[0] < 2:
            continue
        assert cronbach_alpha(items) == pg.cronbach_alpha(data=items)[0]
        listwise = pg.cronbach_alpha(data=items, nan_policy="listwise")[0]
        assert cronbach_alpha(items, listwise=True) == listwise
    assert cronbach_alpha(FELDT) == pytest.approx(R_ALPHA, rel=1e-12)


def test_special_functions_give_scipy_stats_numbers_exactly():
    """The jobs call scipy.special instead of importing scipy.stats (about 1 s each):
    t.sf, t.ppf and f.isf are these special functions, bit for bit."""
    import numpy as np
    from scipy import special, stats

    df = np.array([1, 2, 5, 9, 30, 100, 877])
    x = np.array([0.0, 0.3, 1.96, 2.5, 7.0, 40.0, np.inf])
    assert np.array_equal(2 * stats.t.sf(x, df), 2 * special.stdtr(df, -x))
    for q in (0.5, 0.9, 0.975, 0.995):
        assert np.array_equal(stats.t.ppf(q, df), special.stdtrit(df, q))
        assert np.array_equal(
            stats.f.isf(1 - q, df, 3 * df), special.fdtri(df, 3 * df, 1.0 - (1 - q))
        )
    low, high = alpha_ci(R_ALPHA, n=10, k=4)
    assert low == 1 - (1 - R_ALPHA) * stats.f.isf(0.025, 9, 27)
    assert high == 1 - (1 - R_ALPHA) * stats.f.isf(0.975, 9, 27)
