"""Paired comparisons of the panel, against R's paired t-test example."""

import pandas as pd
import pytest
from test_compare import SLEEP_1, SLEEP_2

from buurtpreventie.stats.panel import paired_comparisons


def _panel(before, after, groep="E", prefix="p"):
    rows = [("lombardijen", groep, "v", f"{prefix}{i}", x) for i, x in enumerate(before)]
    rows += [("lombardijen", groep, "n", f"{prefix}{i}", y) for i, y in enumerate(after)]
    return pd.DataFrame(rows, columns=["buurt", "groep", "wave", "pseudonym", "alertheid"])


def test_paired_t_matches_r_sleep_example():
    result = paired_comparisons(_panel(SLEEP_1, SLEEP_2), ["alertheid"], ["v", "n"]).iloc[0]
    # R: t.test(extra ~ group, data = sleep, paired = TRUE)
    #    t = -4.0621, df = 9, p-value = 0.002833; mean difference -1.58
    # (group 1 minus group 2; here later minus earlier, so the sign flips).
    assert result["status"] == "computed"
    assert result["n_pairs"] == 10
    assert result["t"] == pytest.approx(4.0621, abs=5e-5)
    assert result["df"] == 9
    assert result["p"] == pytest.approx(0.002833, abs=5e-7)
    assert result["mean_diff"] == pytest.approx(1.58)


def test_small_cells_are_reported_not_computed():
    data = pd.concat(
        [_panel(SLEEP_1, SLEEP_2), _panel([1, 2, 3, 4], [2, 3, 4, 4], groep="C", prefix="q")]
    )
    unlinked = pd.DataFrame(
        [("lombardijen", "C", "n", None, 3.0)],
        columns=["buurt", "groep", "wave", "pseudonym", "alertheid"],
    )
    result = paired_comparisons(pd.concat([data, unlinked]), ["alertheid"], ["v", "n"], min_pairs=5)
    control = result[result["groep"] == "C"].iloc[0]
    assert control["status"] == "too_small" and control["n_pairs"] == 4
    assert pd.isna(control["t"]) and pd.isna(control["mean_diff"])
