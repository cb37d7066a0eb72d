"""Published versus reproduced: the statistics behind it, and the shipped data's match."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from buurtpreventie.published import attainable_p, pooled_cohens_d, student_p

# Student's sleep data (Cushny & Peebles), the example of R's ?t.test.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _cell(values):
    x = np.asarray(values, dtype=float)
    return {"n": len(x), "mean": x.mean(), "sd": x.std(ddof=1)}


def test_student_p_matches_r():
    # R: t.test(extra ~ group, data = sleep, var.equal = TRUE)
    #    t = -1.8608, df = 18, p-value = 0.07919
    assert student_p(_cell(SLEEP_1), _cell(SLEEP_2)) == pytest.approx(0.07919, abs=5e-6)


def test_student_p_from_moments_equals_the_test_on_raw_values():
    rng = np.random.default_rng(1)
    x, y = rng.integers(1, 6, 40), rng.integers(1, 6, 55)
    raw = stats.ttest_ind(x, y, equal_var=True).pvalue
    assert student_p(_cell(x), _cell(y)) == pytest.approx(raw, rel=1e-10)


def test_pooled_cohens_d_by_hand():
    # Means 0.75 and 2.33; SDs 1.78901 and 2.00219; equal n, so
    # s_pooled = sqrt((1.78901^2 + 2.00219^2) / 2) = sqrt((3.20056 + 4.00877) / 2) = 1.89858
    # d = (0.75 - 2.33) / 1.89858 = -0.83220
    assert pooled_cohens_d(_cell(SLEEP_1), _cell(SLEEP_2)) == pytest.approx(-0.83220, abs=1e-4)


def test_no_attainable_data_prints_the_published_041():
    # Lombardijen C meldingsbereidheid (table 6): 183 with M ,37 SD ,48 and 177 with M ,27
    # SD ,45. By hand: 67/183 = .366 and 68/183 = .372 print as ,37 with SD ,48; only
    # 48/177 = .271 prints as ,27 with SD ,45 (47/177 has SD ,44). Student's p for the
    # two combinations, by an independent scipy call on the raw 0/1 data: .0537 and .0417.
    row = {"scale_min": 0, "scale_max": 1, "item_type": "binary_0_1"}
    before = SimpleNamespace(**row, n=183, mean=0.37, sd=0.48)
    after = SimpleNamespace(**row, n=177, mean=0.27, sd=0.45)
    possible = attainable_p(before, after)
    after_raw = [1] * 48 + [0] * 129
    raw = [
        stats.ttest_ind([1] * k + [0] * (183 - k), after_raw, equal_var=True).pvalue
        for k in (67, 68)
    ]
    assert sorted(possible.tolist()) == pytest.approx(sorted(raw))
    assert [round(p, 4) for p in raw] == [0.0537, 0.0417]
    assert not any(round(p, 3) == 0.041 for p in possible)
