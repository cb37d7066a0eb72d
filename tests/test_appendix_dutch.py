"""Bijlage B in Dutch: cell keys, audit checks and comparison notes worded from their numbers.

audit.csv and published_vs_reproduced.csv stay the auditor's English files; the
report labels their cells and words their notes anew from ``detail_values`` and
``note_values`` (JSON), with Dutch number formatting and an en dash for a missing value.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.published.audit import COLUMNS as AUDIT_COLUMNS
from buurtpreventie.published.audit import count_checks, response_rate_checks
from buurtpreventie.published.comparison import COLUMNS as COMPARISON_COLUMNS
from buurtpreventie.registry import load_registry
from buurtpreventie.report.text.appendix import (
    CellWords,
    audit_note,
    cell_label,
    comparison_note,
    skipped_sentence,
)

WORDS = CellWords(
    indicators={
        "alertheid": "Alertheid",
        "meldingsbereidheid": "Meldingsbereidheid",
        "onveiligheidsgevoel": "Onveiligheidsgevoel",
        "sociale_cohesie": "Sociale cohesie",
    },
    buurten={"lombardijen": "Lombardijen", "essenburgbuurt": "Essenburgbuurt"},
    waves={"voormeting": "Voormeting", "nameting": "Nameting", "derde_meting": "Derde meting"},
    groepen={"E": "experimentele groep", "C": "controlegroep"},
)
#: English or code that the Dutch text must never show.
ENGLISH = re.compile(
    r"\b(?:printed|of about|which implies|integer|pairs|print as|not reproduced|counts add"
    r"|table 1|app members|response rate|nan|None)\b|[a-z]+_[a-z]+|\d\.\d"
)


@pytest.mark.parametrize(
    ("cell", "label"),
    [
        (
            "Essenburgbuurt-E voormeting Man",
            "Essenburgbuurt, experimentele groep, voormeting: man",
        ),
        (
            "Lombardijen-E nameting Geen inwonende kinderen/Inwonende kinderen",
            "Lombardijen, experimentele groep, nameting: "
            "geen inwonende kinderen en inwonende kinderen",
        ),
        (
            "T4_meldingsbereidheid_Essenburgbuurt",
            "Meldingsbereidheid, Essenburgbuurt, experimentele groep en controlegroep",
        ),
        ("T6_onveilig_voelen_Lombardijen_C", "Onveiligheidsgevoel, Lombardijen, controlegroep"),
        (
            "tabel4 sociale_cohesie Lombardijen E voormeting",
            "Sociale cohesie, Lombardijen, experimentele groep, voormeting",
        ),
        (
            "meldingsbereidheid lombardijen C voormeting-nameting",
            "Meldingsbereidheid, Lombardijen, controlegroep, voormeting tot nameting",
        ),
        ("Essenburgbuurt response rate", "Essenburgbuurt, respons"),
        ("lombardijen appdeelnemers", "Lombardijen, appdeelnemers"),
        (
            "lombardijen C nameting gemiddelde_leeftijdscategorie",
            "Lombardijen, controlegroep, nameting, gemiddelde leeftijdscategorie",
        ),
        ("sociale_cohesie derde_meting", "Sociale cohesie, derde meting"),
        ("sociale_controle Lombardijen E-C voormeting", None),
    ],
)
def test_cell_keys_become_dutch_labels(cell, label):
    got = cell_label(cell, WORDS)
    if label is not None:
        assert got == label
    assert not ENGLISH.search(got), got
    assert "E-C" not in got


def test_audit_checks_are_worded_in_dutch_from_their_numbers():
    table1 = pd.DataFrame(
        [
            {
                "measure": "respondenten",
                "buurt": "Essenburgbuurt",
                "groep": "E",
                "wave": "voormeting",
                "n": 60,
            },
            {
                "measure": "appdeelnemers",
                "buurt": "Essenburgbuurt",
                "groep": "",
                "wave": "",
                "n": 107,
            },
        ]
    )
    pairs = [
        ("Man", "Vrouw"),
        ("Alleenstaand", "Samenwonend"),
        ("Geen inwonende kinderen", "Inwonende kinderen"),
    ]
    rows = []
    for first, second in pairs:
        for kenmerk, count, pct, printed in (
            (first, 21, 32.8, "32,8%"),
            (second, 45 if second != "Inwonende kinderen" else 44, 68.2, "68,2%"),
        ):
            rows.append(
                {
                    "table": "tabel2",
                    "wave": "voormeting",
                    "buurt": "Essenburgbuurt",
                    "groep": "E",
                    "kenmerk": kenmerk,
                    "count": count,
                    "pct": pct,
                    "pct_printed": printed,
                }
            )
    audit = count_checks(table1, [pd.DataFrame(rows)])
    footnotes = pd.DataFrame(
        [
            {
                "statistic": "response_rate",
                "buurt": "Essenburgbuurt",
                "groep": "E",
                "wave_from": "voormeting",
                "value": 61.9,
                "printed": "61,9%",
            }
        ]
    )
    audit += response_rate_checks(table1, footnotes)
    notes = {}
    for row in audit:
        assert set(row) == set(AUDIT_COLUMNS)
        json.loads(row["detail_values"])  # structured, beside the English detail
        notes.setdefault(row["check"], audit_note(row["check"], row["detail_values"]))
    assert notes["count vs percentage"] == (
        "21 van 66 is 31,8%; gedrukt staat 32,8% (dat past bij een basis van ongeveer 64)."
    )
    assert notes["percentages add to 100"] == "32,8% + 68,2% = 101,0%, niet 100%."
    assert (
        notes["base within table 1"]
        == "De aantallen tellen op tot 66, meer dan de N van 60 in tabel 1."
    )
    assert notes["bases per characteristic"].startswith("De basis verschilt per kenmerk")
    rate = next(r for r in audit if r["cell"].endswith("response rate"))
    assert audit_note(rate["check"], rate["detail_values"]) == (
        "60 van de 107 appdeelnemers is 56,1%; gedrukt staat 61,9%."
    )
    for note in notes.values():
        assert not ENGLISH.search(note), note


@pytest.mark.parametrize(
    "check",
    ["GRIM+GRIMMER", "GRIM", "GRIMMER", "p recomputed", "count vs percentage", "other check"],
)
@pytest.mark.parametrize("values", [None, float("nan"), "", "{not json", "{}", '{"count": 1}'])
def test_an_audit_row_without_numbers_still_gets_a_dutch_sentence(check, values):
    note = audit_note(check, values)
    assert note.endswith(".") and note[0].isupper()
    assert not ENGLISH.search(note), note


def test_p_and_grim_checks_in_dutch():
    p = audit_note("p recomputed", json.dumps({"printed": ",041", "low": 0.0412, "high": 0.0431}))
    assert p == (
        "Gedrukt staat p = ,041; de gedrukte N, gemiddelden en SD's geven een p tussen "
        ",0412 en ,0431."
    )
    grim = audit_note("GRIM", json.dumps({"n": 82, "mean": "2,92", "sd": ",77", "fails": "GRIM"}))
    assert grim == "Een gemiddelde van 2,92 is met N = 82 hele antwoorden niet haalbaar."


@pytest.mark.parametrize(
    ("values", "published", "here", "expected"),
    [
        (
            {"reason": "pct_not_count", "count": 21, "base": 66, "share": 31.8182},
            "32,8%",
            "31,8%",
            "Gedrukt staat 32,8%, maar 21 van 66 is 31,8%; het gedrukte percentage past niet "
            "bij het gedrukte aantal.",
        ),
        (
            {"reason": "count_not_pct", "pct": "36,7%", "base": 60, "count": 22},
            "32",
            "22",
            "Het gedrukte aantal 32 past niet bij het gedrukte percentage 36,7% van 60 (= 22); "
            "de reproductie volgt het percentage.",
        ),
        (
            {"reason": "rate_from_counts", "share": 61.6822},
            "61,9%",
            "61,7%",
            "De aantallen van tabel 1 geven 61,7%; gedrukt staat 61,9%.",
        ),
        ({"reason": "missing"}, "", "", None),
        (
            {"reason": "p_rounding", "p": 0.041687, "closest": 0.0417},
            ",041",
            ",042",
            "De p-waarde ,0417 wordt afgedrukt als ,042, binnen ,001 van de gedrukte ,041; geen "
            "gegevens met de gedrukte N, gemiddelden en SD's geven ,041, de dichtstbijzijnde "
            "haalbare p is ,0417.",
        ),
        (None, "2,91", float("nan"), "Gedrukt staat 2,91; de reproductie geeft \u2013."),
        (None, float("nan"), "", "Gedrukt staat \u2013; de reproductie geeft \u2013."),
    ],
)
def test_comparison_notes_in_dutch(values, published, here, expected):
    note = comparison_note(json.dumps(values) if values else float("nan"), published, here)
    if expected is not None:
        assert note == expected
    assert not ENGLISH.search(note), note


def test_the_skip_reason_names_waves_and_buurten_as_the_report_does():
    sentence = (
        "De vergelijking is overgeslagen: de gepubliceerde tabellen gaan over de metingen "
        "voormeting en nameting, deze studie over voormeting, nameting en derde_meting in "
        "lombardijen."
    )
    got = skipped_sentence(sentence, WORDS.waves, WORDS.buurten)
    assert "derde meting in Lombardijen." in got
    assert "_" not in got


def test_the_registry_lists_the_structured_columns():
    registry = load_registry(ROOT / "resources" / "tables.yaml")
    tables = registry["tables"] if isinstance(registry, dict) and "tables" in registry else registry
    assert list(AUDIT_COLUMNS)[-1] == "detail_values"
    assert list(COMPARISON_COLUMNS)[-1] == "note_values"
    text = (ROOT / "resources" / "tables.yaml").read_text(encoding="utf-8")
    assert "      detail_values:" in text and "      note_values:" in text
    assert tables is not None
