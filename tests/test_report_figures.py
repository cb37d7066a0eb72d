"""The report's figures: reproducible SVG, any number of waves, small cells left out."""

import pandas as pd
import pytest

from buurtpreventie.report.figures import (
    confidence_interval,
    course_figure,
    save_svg,
    timeline_figure,
)

WAVES = [
    {"id": "voormeting", "label": "Voormeting", "fieldwork": "2020-06"},
    {"id": "nameting", "label": "Nameting", "fieldwork": "2021-09"},
    {"id": "derde_meting", "label": "Derde meting", "fieldwork": "2022-09"},
]
EXPERIMENT = {"start": "2020-09-01", "end": "2021-09-01"}
BUURTEN = {"lombardijen": "Lombardijen", "essenburgbuurt": "Essenburgbuurt"}
GROUPS = {"E": "experimentele groep", "C": "controlegroep"}


def test_confidence_interval_by_hand():
    # t(.975, 24) = 2.0639; 2.0639 * 1 / sqrt(25) = 0.41278
    low, high = confidence_interval(3.0, 1.0, 25)
    assert low == pytest.approx(3.0 - 0.41278, abs=1e-4)
    assert high == pytest.approx(3.0 + 0.41278, abs=1e-4)
    assert confidence_interval(3.0, float("nan"), 1) == (3.0, 3.0)


def test_timeline_is_reproducible_and_dateless(tmp_path):
    for name in ("a", "b"):
        save_svg(timeline_figure(WAVES, EXPERIMENT, "2021-05"), tmp_path / f"{name}.svg")
    first = (tmp_path / "a.svg").read_bytes()
    assert first == (tmp_path / "b.svg").read_bytes()
    assert b"<dc:date>" not in first


def test_course_of_three_waves_leaves_small_cells_out(tmp_path):
    rows = []
    for i, wave in enumerate(WAVES):
        for buurt in BUURTEN:
            for groep in GROUPS:
                small = buurt == "essenburgbuurt" and groep == "E" and i == 2
                n = 3 if small else 40
                rows.append(["alertheid", buurt, groep, wave["id"], n, 2.5 + i / 10, 0.9, small])
    indicators = pd.DataFrame(
        rows, columns=["indicator", "buurt", "groep", "wave", "n", "mean", "sd", "small_cell"]
    )
    meta = [{"id": "alertheid", "label": "Alertheid", "low": 1, "high": 4}]
    figure = course_figure(indicators, meta, WAVES, BUURTEN, GROUPS)
    axis = figure.axes[0]
    labels = [t.get_text() for t in axis.get_xticklabels()]
    assert labels == ["Voormeting", "Nameting", "Derde\nmeting"]  # wrapped: three fit
    points = sorted(len(line.get_xdata()) for line in axis.get_lines() if len(line.get_xdata()))
    assert points[0] == 2  # the small cell of the third wave is not drawn
    save_svg(figure, tmp_path / "course.svg")
