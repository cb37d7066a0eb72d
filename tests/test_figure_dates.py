"""The figures take every date from the config and the data: a study with other dates.

Three waves in March 2023, 2024 and 2025, an experiment of 21 months from May 2023
and an interim evaluation in February 2024: the expected order of the timeline is
worked out by hand from those dates, and no year outside them may appear.
"""

import re

import matplotlib.dates as mdates
import pandas as pd

from buurtpreventie.report.chat_figures import activity_figure, members_figure
from buurtpreventie.report.figures import (
    experiment_label,
    timeline_events,
    timeline_figure,
)

WAVES = [
    {"id": "voormeting", "label": "Voormeting", "fieldwork": "2023-03"},
    {"id": "nameting", "label": "Nameting", "fieldwork": "2024-03"},
    {"id": "derde_meting", "label": "Derde meting", "fieldwork": "2025-03"},
]
EXPERIMENT = {"start": "2023-05-01", "end": "2025-02-01"}
INTERIM = "2024-02"
YEARS = {"2022", "2023", "2024", "2025"}  # the axis runs three months beyond the dates


def _texts(figure) -> list[str]:
    texts = []
    for axis in figure.axes:
        texts += [t.get_text() for t in axis.texts]
        texts += [t.get_text() for t in axis.get_xticklabels()]
        legend = axis.get_legend()
        if legend:
            texts += [t.get_text() for t in legend.get_texts()]
    for legend in figure.legends:
        texts += [t.get_text() for t in legend.get_texts()]
    return texts


def test_experiment_label_from_the_config():
    assert experiment_label("2023-05-01", "2025-02-01") == "experiment mei 2023 \u2013 jan 2025"
    assert experiment_label("2020-09-01", "2021-09-01") == "experiment sep 2020 \u2013 aug 2021"


def test_timeline_order_follows_the_config():
    kinds = [(kind, label) for _, kind, label in timeline_events(WAVES, EXPERIMENT, INTERIM)]
    assert kinds == [
        ("wave", "Voormeting"),  # March 2023
        ("experiment_start", "start experiment"),  # 1 May 2023
        ("interim", "tussentijdse evaluatie"),  # mid-February 2024
        ("wave", "Nameting"),  # March 2024
        ("experiment_end", "einde"),  # 31 January 2025
        ("wave", "Derde meting"),  # March 2025
    ]


def test_timeline_draws_the_config_dates_only():
    figure = timeline_figure(WAVES, EXPERIMENT, INTERIM)
    axis = figure.axes[0]
    texts = _texts(figure)
    assert "experiment mei 2023 \u2013 jan 2025" in texts
    assert "Voormeting\nmrt 2023" in texts
    assert set(re.findall(r"\b(?:19|20)\d\d\b", " ".join(texts))) <= YEARS
    # the experiment is drawn after the first measurement and before the last
    where = {a.get_text().split("\n")[0]: a.xy[0] for a in axis.texts}
    experiment = where["experiment mei 2023 \u2013 jan 2025"]
    assert where["Voormeting"] < experiment < where["Derde meting"]
    assert where["Voormeting"] < where["tussentijdse evaluatie"] < where["Nameting"]
    low, high = (mdates.num2date(x).replace(tzinfo=None) for x in axis.get_xlim())
    assert low < where["Voormeting"] and where["Derde meting"] < high


def test_chat_figures_shade_the_configured_experiment():
    import datetime as dt

    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)]
    activity = pd.DataFrame(
        {"group": "g", "buurt": "b", "month": months, "role": "bewoner", "messages": 5}
    )
    codes = pd.DataFrame(
        {"group": ["g"], "month": ["2023-06"], "direction": ["uitgevoerd"], "intervention": [3]}
    )
    members = pd.DataFrame({"group": "g", "month": months, "size": 40})
    start, end = dt.date(2023, 5, 1), dt.date(2025, 2, 1)
    for figure in (
        activity_figure(activity, codes, start, end, {"b": "Buurt"}),
        members_figure(members, start, end),
    ):
        texts = _texts(figure)
        assert "experiment mei 2023 \u2013 jan 2025" in texts
        assert set(re.findall(r"\b(?:19|20)\d\d\b", " ".join(texts))) <= YEARS
        figure.canvas.draw()
        ticks = [t.get_text() for t in figure.axes[-1].get_xticklabels() if t.get_text()]
        assert ticks and all(re.fullmatch(r"[a-z]{3} 20\d\d", t) for t in ticks), ticks
