"""The report's figures: reproducible SVG, any number of waves and buurten, small cells left out."""

import pandas as pd
import pytest

from buurtpreventie.report.figures import (
    buurten_figure,
    confidence_interval,
    course_figure,
    did_pair,
    save_svg,
    spread,
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
    # wrapped, slanted or upright only where neighbours would touch (tests/test_figures.py)
    assert [t.replace("\n", " ") for t in labels] == ["Voormeting", "Nameting", "Derde meting"]
    points = sorted(len(line.get_xdata()) for line in axis.get_lines() if len(line.get_xdata()))
    assert points[0] == 2  # the small cell of the third wave is not drawn
    save_svg(figure, tmp_path / "course.svg")


def _did(n: int) -> pd.DataFrame:
    """A difference in differences of ``n`` buurten around zero, two of them significant."""
    rows = []
    for i in range(n):
        estimate = (i - n / 2) / n
        p = 0.01 if i in (0, n - 1) else 0.5
        for indicator in ("alertheid", "sociale_cohesie"):
            rows.append(
                [indicator, f"buurt_{i:03d}", "voormeting", "nameting", estimate, estimate - 0.3,
                 estimate + 0.3, p]
            )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "buurt",
            "wave_from",
            "wave_to",
            "estimate",
            "ci_low",
            "ci_high",
            "p",
        ],
    )


META = [{"id": "alertheid", "label": "Alertheid"}, {"id": "sociale_cohesie", "label": "Cohesie"}]


@pytest.mark.parametrize("n", [12, 100])
def test_buurten_figure_names_the_main_buurten_and_is_reproducible(tmp_path, n):
    did = _did(n)
    names = {b: f"Buurt {b[-3:]}" for b in did["buurt"]}
    main = ["buurt_003", "buurt_004"]
    figures = [buurten_figure(did, META, main, names, "voormeting", "nameting") for _ in range(2)]
    axis = figures[0].axes[0]
    shown = [t.get_text() for t in axis.get_yticklabels()] + [t.get_text() for t in axis.texts]
    assert {"Buurt 003", "Buurt 004"} <= set(shown)
    if n == 12:
        assert len([s for s in shown if s.startswith("Buurt")]) == n  # every buurt by name
    else:
        assert [s for s in shown if s.startswith("Buurt")] == ["Buurt 003", "Buurt 004"]
    # one horizontal line per buurt (main ones drawn separately), sorted by the estimate
    segments = sum(len(c.get_segments()) for c in axis.collections)
    assert segments == n
    for i, figure in enumerate(figures):
        save_svg(figure, tmp_path / f"{i}.svg")
    assert (tmp_path / "0.svg").read_bytes() == (tmp_path / "1.svg").read_bytes()


def test_buurten_figure_uses_baseline_to_the_given_wave():
    did = _did(5)
    later = did.assign(wave_to="derde_meting", estimate=9.0, ci_low=8.0, ci_high=10.0)
    pair = did_pair(pd.concat([did, later]), "voormeting", "nameting")
    assert len(pair) == len(did) and pair["estimate"].max() < 1


def test_labels_are_spread_apart_in_order_and_in_range():
    assert spread([5.0, 5.5, 6.0], 2.0, 0.0, 20.0) == [5.0, 7.0, 9.0]
    assert spread([19.0, 18.5], 2.0, 0.0, 20.0) == [20.0, 18.0]  # pushed down from the top
    assert spread([3.0, 10.0], 2.0, 0.0, 20.0) == [3.0, 10.0]  # far enough apart: unmoved
