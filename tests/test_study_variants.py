"""Studies other than the shipped one, end to end: no chats, other waves, contradicting dates.

* A survey-only study (the shipped surveys, ``chats`` removed from the config)
  runs the survey chain and the report; the report says the reconstruction of
  the interventions was not part of the study and keeps no chat chapter.
* A three-wave follow-up without chats (``config/examples/derde-meting.yaml``
  and ``chats.activate: false``) is not the study of the published tables: the
  comparison is skipped, and Bijlage B gives the reason.
* A config whose dates contradict each other stops before any job, in one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_workflow import _copy_workflow, _snakemake

pytestmark = pytest.mark.e2e

NOT_PART = (
    "reconstructie van de uitvoering van de interventies maakte geen deel uit van deze studie"
)
CHAT_OUTPUTS = (
    "tables/members.csv",
    "tables/activity.csv",
    "tables/codes.csv",
    "tables/interventions.csv",
    "figures/chat_activity.svg",
    "figures/chat_members.svg",
)
# What only a report with chats says: table 5, the chat figures, the coding.
CHAT_REMNANTS = (
    "MAXQDA",
    "Uitvoering van de interventies per buurt",
    "Aantal deelnemers per groep",
    "Berichten per maand per groep",
    "chatgeschiedenissen van de groepen",
    "chatgesprekken",
    "??",
)


def _pdf_text(workdir: Path) -> str:
    """The PDF's text on one line, words hyphenated at a line end joined again."""
    from pypdf import PdfReader

    pdf = PdfReader(workdir / "results" / "report" / "rapport.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    return text.replace("\u2010 ", "")


def _without_chats(workdir: Path) -> None:
    """Remove the ``chats`` section from the copy's config.yaml."""
    path = workdir / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["chats"]
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def survey_only(tmp_path_factory):
    workdir = _copy_workflow(tmp_path_factory.mktemp("variants") / "survey-only")
    _without_chats(workdir)
    result = _snakemake(workdir)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir, result, _pdf_text(workdir)


def test_a_study_without_chats_runs_the_survey_chain_and_the_report(survey_only):
    workdir, result, _ = survey_only
    results = workdir / "results"
    for name in ("did.csv", "prepost.csv", "published_vs_reproduced.csv"):
        assert (results / "tables" / name).is_file(), name
    assert (results / "report" / "rapport.pdf").is_file()
    for name in CHAT_OUTPUTS:
        assert not (results / name).exists(), name
    assert not (results / "chat").exists()
    assert "rule parse_chat:" not in result.stdout + result.stderr


def test_the_report_says_the_reconstruction_was_not_part_of_the_study(survey_only):
    *_, text = survey_only
    assert NOT_PART in text
    for remnant in CHAT_REMNANTS:
        assert remnant not in text, remnant
    # The comparison with the published tables still runs: same waves and buurten.
    assert "De vergelijking met het gepubliceerde rapport is overgeslagen" not in text


@pytest.fixture(scope="module")
def follow_up(tmp_path_factory):
    workdir = _copy_workflow(tmp_path_factory.mktemp("variants") / "follow-up")
    overlay = workdir / "follow-up.yaml"
    config = yaml.safe_load(
        (workdir / "config" / "examples" / "derde-meting.yaml").read_text(encoding="utf-8")
    )
    config["chats"] = {"activate": False}
    overlay.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = _snakemake(workdir, "--configfile", str(overlay))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir, result, _pdf_text(workdir)


def test_other_waves_skip_the_published_comparison_with_the_reason(follow_up):
    workdir, result, text = follow_up
    tables = workdir / "results" / "tables"
    assert not (tables / "published_vs_reproduced.csv").exists()
    assert not (tables / "audit.csv").exists()
    assert (tables / "did.csv").is_file()
    assert (
        "published comparison skipped: config: waves = voormeting, nameting, derde_meting: "
        "not those of the published tables (voormeting, nameting)"
    ) in result.stderr
    assert "De vergelijking met het gepubliceerde rapport is overgeslagen" in text
    assert "derde_meting" in text
    assert NOT_PART in text


def test_a_config_that_contradicts_itself_stops_before_any_job(tmp_path):
    workdir = _copy_workflow(tmp_path / "study")
    overlay = tmp_path / "late.yaml"
    overlay.write_text('report: {interim_evaluation: "2022-03"}\n', encoding="utf-8")
    result = _snakemake(workdir, "--configfile", str(overlay))
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "interim_evaluation" in line]
    assert lines == [
        "config: report.interim_evaluation = '2022-03': not a month of the experiment "
        "(2020-09 to 2021-08: experiment.start 2020-09-01 to experiment.end 2021-09-01)"
    ]
    assert not (workdir / "results").exists()
