"""What the report's figures draw: no overlapping labels, the forest plots, the colour words.

The timeline and the course figure are drawn for generated studies of two to
five waves with close fieldwork dates; no two texts (tick labels, wave labels)
may overlap on the rendered canvas. The forest plots draw one interval per
row and a line at zero, with Dutch labels and a decimal comma. Every colour of
the palette has a Dutch word in ``words.yaml`` that fits its hue, and the
captions' words for the groups name the colours the figures use.
"""

import colorsys
import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest
import yaml
from matplotlib.collections import LineCollection

from buurtpreventie.report.chat_figures import activity_figure, members_figure
from buurtpreventie.report.figures import (
    GROUP_COLOURS,
    MAIN_COLOUR,
    OKABE_ITO,
    OTHER_COLOUR,
    baseline_forest,
    course_figure,
    did_forest,
    overlapping,
    spread_widths,
    timeline_figure,
)

ROOT = Path(__file__).resolve().parents[1]
WORDS = yaml.safe_load((ROOT / "resources/report/words.yaml").read_text(encoding="utf-8"))
LABELS = ["Voormeting", "Tussenmeting", "Tweede tussenmeting", "Nameting", "Eindmeting"]
META = [
    {"id": "alertheid", "label": "Alertheid", "low": 1, "high": 4},
    {"id": "rapportcijfer", "label": "Rapportcijfer veiligheid", "low": 1, "high": 10},
    {"id": "sociale_cohesie", "label": "Sociale cohesie", "low": 1, "high": 5},
]
BUURTEN = {"lombardijen": "Lombardijen", "essenburgbuurt": "Essenburgbuurt"}
GROUPS = {"E": "experimentele groep", "C": "controlegroep"}


def _waves(n: int, start: str = "2023-03") -> list[dict]:
    first = pd.Period(start, "M")
    labels = LABELS[:1] + LABELS[5 - n + 1 :] if n < 5 else LABELS
    return [{"id": f"w{i}", "label": labels[i], "fieldwork": str(first + i)} for i in range(n)]


def _texts(figure) -> list:
    """Every visible text of the figure: tick labels, annotations, titles, legends."""
    texts = []
    for axis in figure.axes:
        texts += list(axis.get_xticklabels()) + list(axis.get_yticklabels()) + list(axis.texts)
        texts += [axis.title, axis._left_title]  # titles set with loc='left'
        legend = axis.get_legend()
        if legend:
            texts += list(legend.get_texts())
    for legend in figure.legends:
        texts += list(legend.get_texts())
    return texts


def _strings(figure) -> list[str]:
    figure.canvas.draw()
    return [t.get_text() for t in _texts(figure) if t.get_text()]


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_timeline_labels_never_overlap_with_waves_a_month_apart(n):
    waves = _waves(n)
    experiment = {"start": "2023-04-01", "end": "2024-04-01"}
    figure = timeline_figure(waves, experiment, interim="2023-06")
    figure.canvas.draw()
    texts = list(figure.axes[0].get_xticklabels()) + list(figure.axes[0].texts)
    assert overlapping(texts, figure.canvas.get_renderer()) == []
    shown = [t.get_text() for t in texts]
    for wave in waves:
        assert any(s.startswith(wave["label"] + "\n") for s in shown)


def test_timeline_of_a_long_study_labels_fewer_months():
    waves = [
        {"id": "a", "label": "Voormeting", "fieldwork": "2020-06"},
        {"id": "b", "label": "Nameting", "fieldwork": "2021-09"},
        {"id": "c", "label": "Derde meting", "fieldwork": "2022-09"},
    ]
    figure = timeline_figure(waves, {"start": "2020-09-01", "end": "2021-09-01"}, "2021-02")
    figure.canvas.draw()
    ticks = [t for t in figure.axes[0].get_xticklabels() if t.get_text()]
    assert 5 <= len(ticks) <= 12
    assert overlapping(ticks + list(figure.axes[0].texts), figure.canvas.get_renderer()) == []


def _indicators(waves) -> pd.DataFrame:
    rows = []
    for ind in META:
        for b in BUURTEN:
            for g in GROUPS:
                for i, w in enumerate(waves):
                    rows.append(
                        {
                            "wave": w["id"],
                            "indicator": ind["id"],
                            "buurt": b,
                            "groep": g,
                            "n": 50,
                            "mean": 2.5 + 0.1 * i,
                            "sd": 0.8,
                            "small_cell": False,
                        }
                    )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_course_wave_labels_are_separate(n):
    waves = _waves(n)
    figure = course_figure(_indicators(waves), META, waves, BUURTEN, GROUPS)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for axis in figure.axes[: len(META)]:
        labels = axis.get_xticklabels()
        assert [t.get_text().replace("\n", " ") for t in labels] == [w["label"] for w in waves]
        # level labels may not touch; slanted or upright ones pass each other
        if all(t.get_rotation() == 0 for t in labels):
            assert overlapping(labels, renderer) == []


def test_spread_widths_keeps_labels_apart_and_inside():
    placed = spread_widths([10, 11, 12, 95], [20, 20, 20, 20], 2, 0, 100)
    assert all(p - 10 >= 0 and p + 10 <= 100 for p in placed)
    ordered = sorted(placed)
    assert all(b - a >= 22 - 1e-9 for a, b in itertools.pairwise(ordered))


def _baseline_table() -> pd.DataFrame:
    rows = []
    for i, ind in enumerate(META):
        for j, b in enumerate(BUURTEN):
            d = 0.3 * i - 0.2 * j
            rows.append(
                {
                    "indicator": ind["id"],
                    "buurt": b,
                    "d": d,
                    "d_ci_low": d - 0.3,
                    "d_ci_high": d + 0.3,
                    "p": 0.01 if i == 1 else 0.4,
                }
            )
    return pd.DataFrame(rows)


def _did_table(waves) -> pd.DataFrame:
    rows = []
    for i, ind in enumerate(META):
        for b in BUURTEN:
            for w in waves[1:]:
                e = 0.25 * i - 0.1
                rows.append(
                    {
                        "indicator": ind["id"],
                        "buurt": b,
                        "wave_from": waves[0]["id"],
                        "wave_to": w["id"],
                        "n": 200,
                        "estimate": e,
                        "ci_low": e - 0.4,
                        "ci_high": e + 0.4,
                        "p": 0.5,
                    }
                )
    return pd.DataFrame(rows)


def _intervals(axis) -> int:
    return sum(len(c.get_segments()) for c in axis.collections if isinstance(c, LineCollection))


def _zero_lines(axis) -> int:
    return sum(1 for line in axis.lines if list(line.get_xdata()) == [0, 0])


def test_baseline_forest_draws_an_interval_per_row_and_a_zero_line():
    table = _baseline_table()
    figure = baseline_forest(table, META, BUURTEN)
    axis = figure.axes[0]
    assert _intervals(axis) == len(table)
    assert _zero_lines(axis) == 1
    strings = _strings(figure)
    for ind in META:
        assert ind["label"] in strings
    assert {"Lombardijen", "Essenburgbuurt", "niet significant", "geen verschil (0)"} <= set(
        strings
    )
    assert "standaarddeviaties" in axis.get_xlabel()
    ticks = [t.get_text() for t in axis.get_xticklabels() if t.get_text()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks), ticks


def test_baseline_forest_leaves_out_other_buurten_and_missing_rows():
    table = _baseline_table()
    extra = table.iloc[[0]].assign(buurt="elders")
    missing = table.iloc[[1]].assign(indicator="sociale_cohesie", d=float("nan"))
    figure = baseline_forest(pd.concat([table.iloc[2:], extra, missing]), META, BUURTEN)
    assert _intervals(figure.axes[0]) == len(table) - 2


@pytest.mark.parametrize("n", [2, 3])
def test_did_forest_draws_every_estimate_with_its_interval(n):
    waves = _waves(n)
    table = _did_table(waves)
    figure = did_forest(table, META, waves, BUURTEN)
    panels = figure.axes[: len(META)]
    assert sum(_intervals(axis) for axis in panels) == len(table)
    assert all(_zero_lines(axis) == 1 for axis in panels)
    strings = _strings(figure)
    assert [axis.get_title(loc="left") for axis in panels] == [m["label"] for m in META]
    rows = [t.get_text() for t in panels[0].get_yticklabels()]
    if n == 2:
        assert rows == ["Lombardijen", "Essenburgbuurt"]
    else:
        assert rows[0] == "Lombardijen, " + waves[1]["label"].lower()
    assert "significant (p < ,05)" in strings


def _hue_word(hex_colour: str) -> set[str]:
    """The Dutch words that fit a colour, by hue and lightness."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, _ = colorsys.rgb_to_hls(r, g, b)
    hue *= 360
    if light < 0.15:
        return {"zwart"}
    if 15 <= hue < 35:
        return {"oranje", "oranjerood"}
    if 35 <= hue < 50:
        return {"amber", "goudgeel"}
    if 50 <= hue < 70:
        return {"geel"}
    if 90 <= hue < 180:
        return {"groen", "blauwgroen"}
    if 180 <= hue < 250:
        return {"lichtblauw"} if light > 0.55 else {"blauw"}
    if 290 <= hue < 345:
        return {"roze", "paars"}
    return {"rood"} if hue >= 345 or hue < 15 else set()


def test_every_palette_colour_has_a_dutch_word_that_fits_its_hue():
    words = WORDS["kleuren"]
    assert set(words) == set(OKABE_ITO)
    for name, hex_colour in OKABE_ITO.items():
        assert words[name] in _hue_word(hex_colour), (name, hex_colour, words[name])
    assert len(set(words.values())) == len(words)  # no two colours share a word


def test_the_captions_words_for_the_groups_name_their_colours():
    names = {hex_colour: name for name, hex_colour in OKABE_ITO.items()}
    for groep, hex_colour in GROUP_COLOURS.items():
        assert WORDS["groepen"][groep]["kleur"] == WORDS["kleuren"][names[hex_colour]]
    # the orange of the experimental groups is not called red
    assert WORDS["groepen"]["E"]["kleur"] != "rood"
    # the caption of the all-buurten figure names its colours with the groups' words
    assert GROUP_COLOURS["E"] == MAIN_COLOUR
    assert GROUP_COLOURS["C"] == OTHER_COLOUR


def test_templates_name_colours_only_through_the_words():
    for path in (ROOT / "report/templates").glob("*.j2"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "x.figure(" in line:
                for word in ("rood", "blauw", "oranje", "(red)"):
                    assert f" {word}" not in line.replace("' ~ words.groepen", ""), (path, word)


def test_every_figure_of_the_templates_has_alt_text():
    calls = [
        line
        for path in (ROOT / "report/templates").glob("*.j2")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "x.figure(" in line and "macro" not in line
    ]
    assert len(calls) >= 8
    assert all("alt='" in call for call in calls), [c[:60] for c in calls if "alt='" not in c]


def _chat_tables():
    months = [f"2020-{m:02d}" for m in range(1, 13)] + [f"2021-{m:02d}" for m in range(1, 13)]
    activity = pd.DataFrame(
        [
            {
                "group": g,
                "buurt": b,
                "month": m,
                "role": role,
                "messages": 30 if role == "bewoner" else 5,
            }
            for g, b in (("zeno", "lombardijen"), ("essen", "essenburgbuurt"))
            for m in months
            for role in ("bewoner", "wijkagent")
        ]
    )
    codes = pd.DataFrame(
        [
            {
                "group": "zeno",
                "buurt": "lombardijen",
                "month": "2020-10",
                "intervention": n,
                "direction": "uitgevoerd",
                "count": 1,
            }
            for n in (1, 3, 4, 5, 8, 9, 11)
        ]
        + [
            {
                "group": "essen",
                "buurt": "essenburgbuurt",
                "month": "2020-11",
                "intervention": 2,
                "direction": "gepland",
                "count": 1,
            }
        ]
    )
    members = pd.DataFrame(
        [
            {"group": g, "buurt": b, "month": m, "size": 40}
            for g, b in (("zeno", "lombardijen"), ("essen", "essenburgbuurt"))
            for m in months
        ]
    )
    return activity, codes, members


def test_activity_figure_names_groups_and_marks_interventions_without_overlap():
    activity, codes, _ = _chat_tables()
    groups = {"zeno": "Buurtapp Zenobuurt", "essen": "Buurt Preventie Essenburg"}
    figure = activity_figure(
        activity, codes, dt.date(2020, 9, 1), dt.date(2021, 9, 1), BUURTEN, groups
    )
    strings = _strings(figure)
    assert "Buurtapp Zenobuurt (Lombardijen)" in strings
    assert "Buurt Preventie Essenburg (Essenburgbuurt)" in strings
    assert not any("zeno" in s or "essenburgbuurt" in s for s in strings)
    # one mark per intervention carried out, in the strip under the panel; none planned
    strip = figure.axes[1]
    assert sorted(strip.lines[0].get_ydata()) == [1, 3, 4, 5, 8, 9, 11]
    assert len(figure.axes[3].lines[0].get_ydata()) == 0
    ticks = [t.get_text() for t in strip.get_xticklabels() if t.get_text()]
    assert ticks and all(t.split()[0] in {"jan", "jul"} for t in ticks)
    renderer = figure.canvas.get_renderer()
    for axis in figure.axes:
        own = list(axis.get_xticklabels()) + list(axis.get_yticklabels()) + [axis._left_title]
        assert overlapping(own, renderer) == []
    titles = [axis._left_title for axis in figure.axes if axis.get_title(loc="left")]
    marks = [t for axis in figure.axes for t in axis.get_yticklabels()]
    assert overlapping(titles + marks, renderer) == []


def test_members_figure_uses_the_group_names():
    _, _, members = _chat_tables()
    groups = {"zeno": "Buurtapp Zenobuurt", "essen": "Buurt Preventie Essenburg"}
    figure = members_figure(members, dt.date(2020, 9, 1), dt.date(2021, 9, 1), BUURTEN, groups)
    strings = _strings(figure)
    assert "Buurtapp Zenobuurt (Lombardijen)" in strings
