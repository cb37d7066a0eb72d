"""``buurtpreventie inspect``: what each file is, how it is read, and nothing personal shown."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from buurtpreventie.checks.inspector import detect_kind, inspect_file, load_settings

CHATS = sorted((ROOT / "resources" / "chat").glob("*.txt"))
SURVEYS = sorted((ROOT / "resources" / "survey").glob("*.csv"))
CODINGS = ROOT / "resources" / "chat" / "coded_segments.xlsx"
JSON_KEYS = {"path", "kind", "format", "verdict", "events", "how", "problems", "warnings"}


def _cli(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "buurtpreventie.cli", "inspect", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        *((p, "whatsapp") for p in CHATS),
        *((p, "surveymonkey") for p in SURVEYS),
        (CODINGS, "maxqda"),
        (ROOT / "resources" / "codebook.yaml", "unknown"),
    ],
    ids=lambda value: getattr(value, "name", value),
)
def test_kind_is_detected(path, kind):
    assert detect_kind(path) == kind


def test_a_semicolon_maxqda_csv_in_german_is_a_coding(tmp_path):
    path = tmp_path / "segmente.csv"
    path.write_text("Farbe;Dokumentgruppe;Dokumentname;Code;Anfang;Ende\n", encoding="utf-8-sig")
    assert detect_kind(path) == "maxqda"


def test_shipped_exports_are_read_without_problems():
    settings = load_settings(ROOT / "config.yaml")
    for path in [*CHATS, ROOT / "resources" / "survey" / "voormeting.csv", CODINGS]:
        inspection = inspect_file(path, settings)
        assert inspection.problems == [], (path, inspection.problems)
        assert inspection.verdict == "ok", (path, inspection.unclassified, inspection.warnings)


def _android_senders(path) -> set[str]:
    """Sender names of an Android export, counted the plain way: text between ' - ' and ': '."""
    header = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2} - ([^:]+): ")
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = header.match(line)
        if match:
            names.add(match[1])
    return names


def _android_message_lines(path) -> int:
    """Posts counted the plain way: "name: " lines, less deleted messages."""
    header = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2} - [^:]+: (?!Dit bericht is verwijderd)")
    return sum(bool(header.match(x)) for x in path.read_text(encoding="utf-8").splitlines())


def test_json_counts_match_a_plain_count_of_the_shipped_chat():
    chat = ROOT / "resources" / "chat" / "molierebuurt.txt"
    result = _cli("--json", str(chat))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert set(found) >= JSON_KEYS
    assert found["kind"] == "whatsapp"
    assert found["format"] == "android"
    assert found["verdict"] == "ok"
    assert found["unclassified"] == 0
    # Second source: a count by a regular expression of its own (every "name: " line).
    assert found["messages"] == _android_message_lines(chat)
    assert found["senders"] == len(_android_senders(chat))


def test_json_counts_of_a_survey_export():
    survey = ROOT / "resources" / "survey" / "voormeting.csv"
    result = _cli("--json", str(survey))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert (found["kind"], found["format"], found["verdict"]) == ("surveymonkey", "csv", "ok")
    with open(survey, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert found["respondents"] == len(rows) - 2
    assert found["columns"] == len(rows[0])


def test_refused_file_gives_exit_code_1_and_says_why(tmp_path):
    stray = tmp_path / "notities.csv"
    stray.write_text("a,b\n1,2\n", encoding="utf-8")
    result = _cli(str(stray), str(ROOT / "resources" / "chat" / "molierebuurt.txt"))
    assert result.returncode == 1
    assert "verdict: refused" in result.stdout
    assert "verdict: ok" in result.stdout


def test_inspect_writes_nothing_and_shows_no_personal_data(tmp_path, codebook):
    for path in [*CHATS, SURVEYS[0], CODINGS]:
        shutil.copy(path, tmp_path / path.name)
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}
    files = sorted(str(p) for p in tmp_path.iterdir())
    text = _cli(*files, "--config", str(ROOT / "config.yaml"))
    json_lines = _cli("--json", *files, "--config", str(ROOT / "config.yaml"))
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before
    shown = text.stdout + text.stderr + json_lines.stdout + json_lines.stderr
    senders = set().union(*(_android_senders(p) for p in CHATS))
    with open(SURVEYS[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    # The personal metadata and the contact questions (22-25) of the codebook.
    personal = {"IP Address", "Email Address", "First Name", "Last Name"}
    personal |= {q.text for q in codebook.questions if q.personal}
    columns = [i for i, h in enumerate(rows[0]) if h in personal]
    planted = senders | {row[i] for row in rows[2:] for i in columns if row[i]}
    assert planted, "the check needs names to look for"
    leaked = sorted(value for value in planted if value in shown)
    assert leaked == []


def test_inspect_runs_from_any_folder_with_the_configs_paths(tmp_path):
    chat = tmp_path / "en_ios.txt"
    chat.write_text(
        "[12/31/21, 9:41:02\u202fPM] Buurtgroep: \u200eMessages and calls are end-to-end "
        "encrypted. No one outside of this chat can read them.\n"
        "[12/31/21, 9:42:10\u202fPM] Jan Jansen: Hello all\n"
        "[1/1/22, 10:00:00\u202fAM] Buurtgroep: \u200eJan Jansen pinned a message\n"
        "[1/1/22, 10:01:00\u202fAM] Piet Puk: \u200eimage omitted\n",
        encoding="utf-8",
    )
    result = _cli("--json", "--config", str(ROOT / "config.yaml"), chat.name, cwd=tmp_path)
    found = json.loads(result.stdout)
    assert result.returncode == 1  # the pinned message is no known phrase: refused
    assert (found["format"], found["how"]["locale"], found["how"]["clock"]) == ("ios", "en", "12h")
    assert (found["messages"], found["media"], found["senders"], found["unclassified"]) == (
        2,
        1,
        2,
        1,
    )
    assert found["events"] == {"encryption": 1}
    assert found["unclassified_lines"] == [3]
    assert "look like system lines but match no phrase: 1 (lines 3;" in found["problems"][0]
    assert "Jan" not in result.stdout + result.stderr
