"""Published versus reproduced: which p-values data printing as the published cells can give."""

from types import SimpleNamespace

import pytest
from scipy import stats

from buurtpreventie.published.comparison import attainable_p


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
