"""Every CSV the pipeline writes is safe to open in a spreadsheet (no formula injection)."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest
from conftest import COLLECTORS, DOOR, ROOT, record

from buurtpreventie.adapter import neutralise_cell, neutralise_formulas, write_csv
from buurtpreventie.survey.ingest import ingest_wave

HOSTILE_ID = '=HYPERLINK("http://x","y")'
HOSTILE_EXPORT = "@SUM(1+1)cmd.csv"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(1+1)cmd.csv", "'@SUM(1+1)cmd.csv"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("\tname", "'\tname"),
        ("\r=1", "'\r=1"),
        ("=\n1", "'=\n1"),
        # Numbers stay numbers; a lone "=" is table 5's score, not a formula.
        ("-0.25", "-0.25"),
        ("1e-3", "1e-3"),
        ("-1E+05", "-1E+05"),
        ("+31", "+31"),
        ("=", "="),
        ("-", "-"),
        ("lombardijen", "lombardijen"),
        ("", ""),
        (None, None),
        (-0.25, -0.25),
    ],
)
def test_a_cell_is_neutralised_only_when_a_spreadsheet_would_run_it(cell, written):
    assert neutralise_cell(cell) == written


def test_the_writer_neutralises_cells_and_headers_but_not_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "respondent_id": [HOSTILE_ID, "11591128473"],
            "source": [HOSTILE_EXPORT, "resources/survey/voormeting.csv"],
            "estimate": [-0.25, 1e-3],
            "score": pd.Categorical(["=", "-x"]),
            "=x": [1, 2],
        }
    )
    path = tmp_path / "table.csv"
    write_csv(frame, path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["respondent_id", "source", "estimate", "score", "'=x"]
    assert rows[1] == ["'" + HOSTILE_ID, "'" + HOSTILE_EXPORT, "-0.25", "=", "1"]
    assert rows[2] == ["11591128473", "resources/survey/voormeting.csv", "0.001", "'-x", "2"]
    assert frame.loc[0, "respondent_id"] == HOSTILE_ID  # the caller's frame is untouched


def test_a_frame_without_formulas_is_written_as_before(tmp_path):
    frame = pd.DataFrame({"wave": ["voormeting"], "mean": [-0.25], "score": ["="]})
    assert neutralise_formulas(frame) is frame
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text(
        encoding="utf-8"
    ) == "wave,mean,score\nvoormeting,-0.25,=\n"


def test_a_hostile_export_name_is_neutralised_in_the_flow(tmp_path, codebook, write, monkeypatch):
    # (A Respondent ID like =HYPERLINK(...) the reader now refuses: not a whole number.)
    write([record(1, DOOR, q1="Essenburgbuurt", q12="Nee")], name=HOSTILE_EXPORT)
    monkeypatch.chdir(tmp_path)  # the config names the export relative to the workflow
    result = ingest_wave("voormeting", [HOSTILE_EXPORT], codebook, COLLECTORS, min_answered=4)
    path = tmp_path / "voormeting.flow.csv"
    write_csv(result.flow, path)  # as scripts/ingest_wave.py writes it
    with path.open(encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'" + HOSTILE_EXPORT in cells and HOSTILE_EXPORT not in cells
    assert not [c for c in cells if re.match(r"[=+@\t\r]", c) and len(c) > 1]


def test_every_script_writes_its_csvs_through_the_one_writer():
    offenders = []
    for path in [*ROOT.glob("scripts/*.py"), *ROOT.glob("src/buurtpreventie/**/*.py")]:
        if "synthetic" in path.parts or path.name == "adapter.py":
            continue  # the synthetic generator writes raw exports, not results
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"write CSVs with buurtpreventie.adapter.write_csv: {offenders}"
