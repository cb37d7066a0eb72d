"""The test of two proportions for the 0/1 indicator, pinned to R and to Newcombe (1998).

Second sources, named per test:

- R 4.2.2 ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)``: its X-squared is
  z squared (Pearson's chi-square of the 2 x 2 table) and its p is the p of z;
- Newcombe's hybrid score interval (method 10 of Newcombe 1998, Statistics in
  Medicine 17:873-890, Table II), computed in R from the Wilson intervals that
  ``prop.test(x, n, correct = FALSE)$conf.int`` gives for each proportion:
  ``d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2)`` and
  ``d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2)``. The first four cases are the
  examples of Newcombe's Table II (printed to four decimals there).

The numbers were computed once in R and are pinned here: the tests need no R.
"""

import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.stats.cellstats import compare_proportions
from buurtpreventie.stats.compare import (
    baseline_proportions,
    binary_indicators,
    prepost_proportions,
)
from buurtpreventie.survey.codebook import load_codebook

# (x1, n1, x2, n2): R's X-squared, p, Newcombe's CI (low, high). Newcombe's Table II
# prints the first four CIs as .0524 to .3339, .1705 to .8090, -.0381 to .1926 and
# .6791 to 1.0000.
R_PROP_TEST = {
    (56, 70, 48, 80): (
        7.0234113712374597,
        0.0080450813681965643,
        0.052431472402364926,
        0.33387265403690586,
    ),
    (9, 10, 3, 10): (7.5, 0.0061698993205441532, 0.17052272393450307, 0.80901797353548799),
    (5, 56, 0, 29): (
        2.7511160714285716,
        0.097186568170579746,
        -0.038137147903536853,
        0.19256001385511157,
    ),
    (10, 10, 0, 20): (30.0, 4.3204630578274968e-08, 0.67908603714191484, 1.0),
    (6, 7, 2, 7): (
        4.6666666666666661,
        0.030753561259274559,
        0.058227927482312314,
        0.80624963752422774,
    ),
    (30, 41, 25, 44): (
        2.4850920513337367,
        0.11492962400684889,
        -0.039049024502354923,
        0.34708981554292995,
    ),
}


def _summaries(x, n):
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"n": n, "mean": x / n}


def test_two_proportions_match_r_prop_test_and_newcombe():
    cases = list(R_PROP_TEST)
    result = compare_proportions(
        _summaries([c[0] for c in cases], [c[1] for c in cases]),
        _summaries([c[2] for c in cases], [c[3] for c in cases]),
    )
    for i, (x1, n1, x2, n2) in enumerate(cases):
        chi_square, p, low, high = R_PROP_TEST[(x1, n1, x2, n2)]
        assert result["prop_diff"][i] == pytest.approx(x1 / n1 - x2 / n2, rel=1e-12)
        assert result["prop_z"][i] ** 2 == pytest.approx(chi_square, rel=1e-12)
        assert np.sign(result["prop_z"][i]) == np.sign(x1 / n1 - x2 / n2)
        assert result["prop_p"][i] == pytest.approx(p, rel=1e-9)
        assert result["prop_diff_ci_low"][i] == pytest.approx(low, rel=1e-9, abs=1e-12)
        assert result["prop_diff_ci_high"][i] == pytest.approx(high, rel=1e-9, abs=1e-12)


def test_degenerate_cells_give_missing_test_but_an_interval():
    # All ten answers 1 in both cells: R's prop.test gives X-squared NaN; Newcombe's CI
    # still exists (R: Wilson (0.72247, 1) for 10/10, so the CI is -0.27753 .. 0.27753).
    result = compare_proportions(_summaries([10, 3], [10, 0]), _summaries([10, 2], [10, 5]))
    assert math.isnan(result["prop_z"][0]) and math.isnan(result["prop_p"][0])
    assert result["prop_diff"][0] == 0
    assert result["prop_diff_ci_low"][0] == pytest.approx(
        -0.27753279986288915, rel=1e-9
    )  # Newcombe: -.2775
    assert result["prop_diff_ci_high"][0] == pytest.approx(0.27753279986288915, rel=1e-9)
    assert all(math.isnan(result[k][1]) for k in result)  # an empty cell: nothing


def test_the_binary_indicator_is_found_from_the_codebook():
    codebook = load_codebook(ROOT / "resources" / "codebook.yaml")
    assert binary_indicators(codebook.indicators) == ["meldingsbereidheid"]


def _binary_respondents():
    # Lombardijen, baseline: E 56 of 70 report, C 48 of 80; later wave: E 9 of 10.
    rows = [("l", "E", "v", 1)] * 56 + [("l", "E", "v", 0)] * 14
    rows += [("l", "C", "v", 1)] * 48 + [("l", "C", "v", 0)] * 32
    rows += [("l", "E", "n", 1)] * 9 + [("l", "E", "n", 0)] * 1 + [("l", "C", "n", None)]
    return pd.DataFrame(rows, columns=["buurt", "groep", "wave", "melding"])


def test_baseline_and_prepost_proportions_follow_the_tables():
    data = _binary_respondents()
    baseline = baseline_proportions(data, ["melding"], "v").iloc[0]
    chi_square, p, low, high = R_PROP_TEST[(56, 70, 48, 80)]
    assert (baseline["indicator"], baseline["buurt"]) == ("melding", "l")
    assert baseline["prop_z"] ** 2 == pytest.approx(chi_square)
    assert baseline["prop_p"] == pytest.approx(p)
    assert (baseline["prop_diff_ci_low"], baseline["prop_diff_ci_high"]) == pytest.approx(
        (low, high)
    )
    prepost = prepost_proportions(data, ["melding"], ["v", "n"]).set_index("groep")
    # E, later (9 of 10) minus earlier (56 of 70): R prop.test(c(9, 56), c(10, 70), correct = FALSE)
    # gives X-squared = 0.57435897435897432, p = 0.4485319566337323.
    assert prepost.loc["E", "prop_diff"] == pytest.approx(0.9 - 0.8)
    assert prepost.loc["E", "prop_z"] ** 2 == pytest.approx(0.57435897435897432, rel=1e-12)
    assert prepost.loc["E", "prop_p"] == pytest.approx(0.4485319566337323, rel=1e-9)
    assert math.isnan(prepost.loc["C", "prop_p"])  # no later answer in C


def test_a_binary_indicator_with_another_value_stops():
    data = _binary_respondents()
    data.loc[0, "melding"] = 2
    with pytest.raises(ValueError, match="melding"):
        baseline_proportions(data, ["melding"], "v")


def test_no_binary_indicator_gives_empty_tables_with_their_columns():
    data = _binary_respondents()
    assert baseline_proportions(data, [], "v").columns[-1] == "prop_p"
    assert prepost_proportions(data, [], ["v", "n"]).empty
