"""Two-group comparisons, each statistic pinned to a second source (named per test)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower

from buurtpreventie.stats.compare import (
    adjust_p,
    baseline_comparisons,
    compare_groups,
    demographic_tests,
    prepost_comparisons,
    wave_pairs,
)

# Student's sleep data (Cushny & Peebles), the example data of R's ?t.test.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_student_and_welch_match_r_sleep_example():
    result = compare_groups(SLEEP_1, SLEEP_2)
    # R: t.test(extra ~ group, data = sleep, var.equal = TRUE)
    #    t = -1.8608, df = 18, p-value = 0.07919
    assert result["t"] == pytest.approx(-1.8608, abs=5e-5)
    assert result["df"] == 18
    assert result["p"] == pytest.approx(0.07919, abs=5e-6)
    # R: t.test(extra ~ group, data = sleep)   (Welch, R's default)
    #    t = -1.8608, df = 17.776, p-value = 0.07939
    assert result["t_welch"] == pytest.approx(-1.8608, abs=5e-5)
    assert result["df_welch"] == pytest.approx(17.776, abs=5e-4)
    assert result["p_welch"] == pytest.approx(0.07939, abs=5e-6)
    assert result["sd_1"] == pytest.approx(np.std(SLEEP_1, ddof=1))


def test_cohens_d_and_its_interval_by_hand():
    result = compare_groups(SLEEP_1, SLEEP_2)
    # Means 0.75 and 2.33, SDs 1.78901 and 2.00219, n 10 and 10:
    # s_pooled = sqrt((9 * 1.78901^2 + 9 * 2.00219^2) / 18) = 1.89858
    # d = (0.75 - 2.33) / 1.89858 = -0.83220
    assert result["d"] == pytest.approx(-0.83220, abs=1e-4)
    # CI (Hedges & Olkin, 1985; as R effsize::cohen.d without noncentral t):
    # se = sqrt((n1 + n2) / (n1 * n2) + d^2 / (2 (n1 + n2))) = sqrt(0.2 + 0.692556 / 40)
    # d -/+ t(.975, 18) * se
    se = math.sqrt(0.2 + result["d"] ** 2 / 40)
    crit = stats.t.ppf(0.975, 18)
    assert result["d_ci_low"] == pytest.approx(result["d"] - crit * se)
    assert result["d_ci_high"] == pytest.approx(result["d"] + crit * se)


# Student and Welch disagree here: equal-variance pooling hides the small, noisy group.
STEADY = [3, 4, 5, 4, 3, 5, 4, 4, 3, 5, 4, 5, 3, 4, 4, 5, 3, 4, 5, 4]
NOISY = [7, 6, 6, 10, 3, 9, 7, 1]


def test_student_and_welch_disagree_as_the_formulas_say():
    result = compare_groups(STEADY, NOISY)
    # Independent computation from the textbook formulas.
    x, y = np.array(STEADY, float), np.array(NOISY, float)
    n1, n2, v1, v2 = len(x), len(y), x.var(ddof=1), y.var(ddof=1)
    pooled = ((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)
    t_student = (x.mean() - y.mean()) / math.sqrt(pooled * (1 / n1 + 1 / n2))
    se_welch = math.sqrt(v1 / n1 + v2 / n2)
    df_welch = se_welch**4 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    t_welch = (x.mean() - y.mean()) / se_welch
    assert result["t"] == pytest.approx(t_student)
    assert result["p"] == pytest.approx(2 * stats.t.sf(abs(t_student), n1 + n2 - 2))
    assert result["df_welch"] == pytest.approx(df_welch)
    assert result["p_welch"] == pytest.approx(2 * stats.t.sf(abs(t_welch), df_welch))
    assert result["p"] < 0.05 < result["p_welch"]


def test_levene_is_mean_centred():
    # Levene (1960) as SPSS and R car::leveneTest(center = mean) compute it: a one-way
    # ANOVA on the absolute deviations from each group's mean.
    result = compare_groups(STEADY, NOISY)
    x, y = np.array(STEADY, float), np.array(NOISY, float)
    anova = stats.f_oneway(np.abs(x - x.mean()), np.abs(y - y.mean()))
    assert result["levene_p"] == pytest.approx(anova.pvalue)


def test_minimum_detectable_effect_matches_cohens_table():
    # Cohen (1988), Table 2.4.1: two groups of 64 detect d = .50 with power .80 at
    # alpha .05, two-sided.
    result = compare_groups(np.arange(64) % 5, np.arange(64) % 4)
    assert result["mde_d"] == pytest.approx(0.50, abs=0.005)
    # And statsmodels' power function confirms 80% power at that d for unequal groups.
    uneven = compare_groups(np.arange(82) % 4, np.arange(230) % 4)
    power = TTestIndPower().power(effect_size=uneven["mde_d"], nobs1=82, ratio=230 / 82, alpha=0.05)
    assert power == pytest.approx(0.80, abs=1e-4)


def test_too_few_values_give_missing_statistics():
    result = compare_groups([3.0], [1.0, 2.0, 3.0])
    assert result["n_1"] == 1 and math.isnan(result["sd_1"])
    assert math.isnan(result["p"]) and math.isnan(result["d"])


def test_holm_and_benjamini_hochberg_by_hand():
    p = pd.Series([0.01, 0.04, 0.03, 0.005, np.nan])
    # Holm: sorted .005 .01 .03 .04 times 4 3 2 1 -> .02 .03 .06 .04, then running
    # maximum -> .02 .03 .06 .06.  BH: p * 4 / rank -> .02 .02 .04 .04, running minimum
    # from the top -> .02 .02 .04 .04.
    assert adjust_p(p, "holm").tolist()[:4] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_p(p, "fdr_bh").tolist()[:4] == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert math.isnan(adjust_p(p, "holm").iloc[4])


def test_holm_and_benjamini_hochberg_match_r_p_adjust():
    # R 4.2.2: p <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5)
    #          p.adjust(p, "holm"); p.adjust(p, "BH")
    p = pd.Series([0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5])
    holm = [0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.5]
    bh = [0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.5]
    assert adjust_p(p, "holm").tolist() == pytest.approx(holm, rel=1e-12)
    assert adjust_p(p, "fdr_bh").tolist() == pytest.approx(bh, rel=1e-12)


def test_wave_pairs_for_two_and_three_waves():
    assert wave_pairs(["v", "n"]) == [("v", "n", "baseline")]
    assert wave_pairs(["v", "n", "d"]) == [
        ("v", "n", "baseline"),
        ("v", "d", "baseline"),
        ("n", "d", "consecutive"),
    ]


def _frame(rows):
    return pd.DataFrame(rows, columns=["buurt", "groep", "wave", "alertheid"])


def test_baseline_and_prepost_tables_follow_interfaces():
    data = _frame(
        [("lombardijen", g, w, v) for g, w, vals in (
            ("E", "v", SLEEP_2), ("C", "v", SLEEP_1), ("E", "n", SLEEP_1), ("C", "n", SLEEP_2)
        ) for v in vals]
    )  # fmt: skip
    baseline = baseline_comparisons(data, ["alertheid"], "v").iloc[0]
    assert baseline["n_e"] == 10 and baseline["mean_e"] == pytest.approx(2.33)
    assert baseline["p"] == pytest.approx(0.07919, abs=5e-6)  # R sleep example, see above
    prepost = prepost_comparisons(data, ["alertheid"], ["v", "n"])
    e = prepost[prepost["groep"] == "E"].iloc[0]
    assert (e["mean_from"], e["mean_to"]) == pytest.approx((2.33, 0.75))
    assert e["d"] < 0  # the later wave scores lower
    assert e["p_holm"] == pytest.approx(min(1, 2 * e["p"]))


def test_demographic_chi_square_by_hand():
    # Table 2, Lombardijen: men 33 of 81 (E) and 109 of 229 (C).
    rows = (
        [("E", "man")] * 33 + [("E", "vrouw")] * 48 + [("C", "man")] * 109 + [("C", "vrouw")] * 120
    )
    data = pd.DataFrame(rows, columns=["groep", "geslacht"])
    data["buurt"], data["wave"] = "lombardijen", "v"
    for column in ("samenwonend", "inwonende_kinderen", "leeftijdscategorie"):
        data[column] = np.nan
    result = demographic_tests(data, ["v"]).set_index("kenmerk").loc["geslacht"]
    # Pearson chi-square without continuity correction, 2 x 2 shortcut formula:
    # N (ad - bc)^2 / (r1 r2 c1 c2) with a=33, b=48, c=109, d=120.
    a, b, c, d = 33, 48, 109, 120
    n = a + b + c + d
    chi2 = n * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert result["statistic"] == pytest.approx(chi2)
    assert result["p"] == pytest.approx(stats.chi2.sf(chi2, 1))
    assert (result["n_e"], result["n_c"]) == (81, 229)
