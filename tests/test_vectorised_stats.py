"""The all-cells-at-once statistics against the one-pair library calls.

Second source in every test: the library functions themselves (scipy,
pingouin, statsmodels), which tests/test_compare.py, test_models.py and
test_panel.py pin to R and to textbook examples. The closed forms must agree
with them cell for cell, edge cases included.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from buurtpreventie.stats.compare import (
    STATISTICS,
    baseline_proportions,
    compare_groups,
    demographic_tests,
    minimum_detectable_d,
    minimum_detectable_d_many,
    prepost_comparisons,
    prepost_proportions,
)
from buurtpreventie.stats.models import difference_in_differences
from buurtpreventie.stats.panel import paired_comparisons


def _respondents(seed: int, buurten: int = 3, per_cell: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for b in range(buurten):
        for groep in ("E", "C"):
            for wave in ("w1", "w2", "w3"):
                n = per_cell + int(rng.integers(-4, 5))
                for i in range(n):
                    rows.append(
                        {
                            "buurt": f"b{b}",
                            "groep": groep,
                            "wave": wave,
                            "pseudonym": f"p{b}{groep}{i}",
                            "x": float(rng.integers(1, 6)) if rng.random() > 0.1 else np.nan,
                            "geslacht": "man" if rng.random() < 0.5 else "vrouw",
                            "leeftijdscategorie": int(rng.integers(0, 7)),
                        }
                    )
    return pd.DataFrame(rows)


def test_minimum_detectable_d_many_equals_pingouin():
    sizes = [(2, 2), (2, 3), (5, 7), (20, 25), (60, 60), (120, 121), (1000, 900), (3000, 2500)]
    many = minimum_detectable_d_many(np.array(sizes)[:, 0], np.array(sizes)[:, 1])
    one = [minimum_detectable_d(a, b) for a, b in sizes]
    assert many == pytest.approx(one, abs=1e-9)
    assert np.isnan(minimum_detectable_d_many(np.array([1.0]), np.array([40.0]))[0])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prepost_table_equals_compare_groups_cell_by_cell(seed):
    respondents = _respondents(seed)
    table = prepost_comparisons(respondents, ["x"], ["w1", "w2", "w3"])
    for row in table.itertuples(index=False):
        cell = respondents[
            (respondents["buurt"] == row.buurt) & (respondents["groep"] == row.groep)
        ]
        expected = compare_groups(
            cell.loc[cell["wave"] == row.wave_to, "x"].dropna(),
            cell.loc[cell["wave"] == row.wave_from, "x"].dropna(),
        )
        for statistic in STATISTICS:
            assert getattr(row, statistic) == pytest.approx(
                expected[statistic], rel=1e-9, abs=1e-12, nan_ok=True
            ), statistic


def test_edge_cells_give_missing_statistics_like_compare_groups():
    respondents = pd.DataFrame(
        {
            "buurt": ["a"] * 7,
            "groep": ["E"] * 7,
            "wave": ["w1", "w1", "w2", "w2", "w2", "w1", "w2"],
            "x": [3.0, 3.0, 3.0, 3.0, 3.0, np.nan, np.nan],  # no variance at all
        }
    )
    row = prepost_comparisons(respondents, ["x"], ["w1", "w2"]).iloc[0]
    assert (row["n_from"], row["n_to"]) == (2, 3)
    assert all(np.isnan(row[s]) for s in STATISTICS)
    lonely = prepost_comparisons(respondents.iloc[[0, 2, 3]], ["x"], ["w1", "w2"]).iloc[0]
    assert lonely["n_from"] == 1 and np.isnan(lonely["sd_from"]) and np.isnan(lonely["p"])


def test_chi_square_equals_scipy_without_correction():
    respondents = _respondents(4).dropna(subset=["x"])
    respondents["samenwonend"] = (respondents["x"] > 2).astype(int)
    respondents["inwonende_kinderen"] = (respondents["x"] > 3).astype(int)
    table = demographic_tests(respondents, ["w1", "w2"])
    for row in table[table["test"] == "chi2"].itertuples(index=False):
        cell = respondents[(respondents["wave"] == row.wave) & (respondents["buurt"] == row.buurt)]
        crosstab = pd.crosstab(cell["groep"], cell[row.kenmerk])
        if crosstab.shape != (2, 2):
            assert np.isnan(row.p)
            continue
        expected = stats.chi2_contingency(crosstab.to_numpy(), correction=False)
        assert row.statistic == pytest.approx(expected.statistic, rel=1e-12)
        assert row.p == pytest.approx(expected.pvalue, rel=1e-9)
        assert (row.n_e, row.n_c) == tuple(crosstab.sum(axis=1).loc[["E", "C"]])


def test_did_equals_the_statsmodels_fit_with_hc3():
    respondents = _respondents(5)
    table = difference_in_differences(respondents, ["x"], ["w1", "w2", "w3"])
    for buurt, part in table.groupby("buurt"):
        data = respondents.loc[respondents["buurt"] == buurt, ["x", "groep", "wave"]].dropna()
        data["experimental"] = (data["groep"] == "E").astype(float)
        fit = smf.ols("x ~ experimental * C(wave, Treatment(reference='w1'))", data=data).fit(
            cov_type="HC3"
        )
        for row in part.itertuples(index=False):
            term = f"experimental:C(wave, Treatment(reference='w1'))[T.{row.wave_to}]"
            low, high = fit.conf_int().loc[term]
            assert row.estimate == pytest.approx(fit.params[term], rel=1e-9)
            assert row.se == pytest.approx(fit.bse[term], rel=1e-9)
            assert row.p == pytest.approx(fit.pvalues[term], rel=1e-9)
            assert (row.ci_low, row.ci_high) == pytest.approx((low, high), rel=1e-9)


def test_paired_table_equals_ttest_rel_cell_by_cell():
    respondents = _respondents(6, per_cell=15)
    table = paired_comparisons(respondents, ["x"], ["w1", "w2"], min_pairs=5)
    assert (table["status"] == "computed").any()
    for row in table[table["status"] == "computed"].itertuples(index=False):
        cell = respondents[
            (respondents["buurt"] == row.buurt) & (respondents["groep"] == row.groep)
        ]
        before = cell[cell["wave"] == "w1"].set_index("pseudonym")["x"]
        after = cell[cell["wave"] == "w2"].set_index("pseudonym")["x"]
        pairs = pd.concat([before, after], axis=1, join="inner").dropna()
        expected = stats.ttest_rel(pairs.iloc[:, 1], pairs.iloc[:, 0])
        assert row.n_pairs == len(pairs)
        assert row.t == pytest.approx(expected.statistic, rel=1e-9)
        assert row.p == pytest.approx(expected.pvalue, rel=1e-9)


@pytest.mark.parametrize("seed", [6, 7])
def test_proportions_equal_statsmodels_cell_by_cell(seed):
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    respondents = _respondents(seed, per_cell=6)
    respondents["x"] = (respondents["x"] > 3).astype(float).where(respondents["x"].notna())
    edge = (respondents["buurt"] == "b0") & (respondents["groep"] == "C")
    respondents.loc[edge, "x"] = 1.0  # a cell of ones only: the CI has a bound at 1
    prepost = prepost_proportions(respondents, ["x"], ["w1", "w2", "w3"])
    baseline = baseline_proportions(respondents, ["x"], "w1").assign(groep=None, wave_from="w1")
    checked = 0
    for row in pd.concat([prepost, baseline]).itertuples(index=False):
        if row.groep is None:  # baseline: E minus C
            wave = respondents[(respondents["wave"] == "w1") & (respondents["buurt"] == row.buurt)]
            first, second = (wave.loc[wave["groep"] == g, "x"].dropna() for g in ("E", "C"))
        else:  # later minus earlier
            cell = respondents[
                (respondents["buurt"] == row.buurt) & (respondents["groep"] == row.groep)
            ]
            first, second = (
                cell.loc[cell["wave"] == w, "x"].dropna() for w in (row.wave_to, row.wave_from)
            )
        counts, sizes = [int(first.sum()), int(second.sum())], [len(first), len(second)]
        low, high = confint_proportions_2indep(
            *counts[:1], sizes[0], counts[1], sizes[1], method="newcomb"
        )
        assert (row.prop_diff_ci_low, row.prop_diff_ci_high) == pytest.approx((low, high), rel=1e-9)
        if 0 < sum(counts) < sum(sizes):
            z, p = proportions_ztest(counts, sizes)
            assert (row.prop_z, row.prop_p) == pytest.approx((z, p), rel=1e-9)
            checked += 1
        else:
            assert np.isnan(row.prop_p)
    assert checked > 10
