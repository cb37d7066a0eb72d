"""Shared fixtures: the codebook, and hand-made SurveyMonkey exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from buurtpreventie.report.text import load_words
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.synthetic.export_writer import ExportForm, write_export

ROOT = Path(__file__).resolve().parents[1]
APP, DOOR = "100000001", "100000002"
COLLECTORS = {APP: "app", DOOR: "door"}
# The eight indicators (docs/tables.md, section Identifiers), in the report's order.
INDICATORS = [
    "alertheid",
    "meldingsbereidheid",
    "onveiligheidsgevoel",
    "rapportcijfer",
    "sociale_controle",
    "sociale_cohesie",
    "nabijheid_gemeente",
    "nabijheid_politie",
]


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(ROOT / "resources" / "codebook.yaml")


@pytest.fixture(scope="session")
def words(codebook):
    """The report's words (resources/report/words.yaml) with the codebook's scales."""
    ranges = {i.id: (i.low, i.high) for i in codebook.indicators}
    return load_words(ROOT / "resources" / "report" / "words.yaml", ranges)


@pytest.fixture(scope="session")
def scheme():
    """The eleven interventions of resources/interventions.yaml."""
    raw = yaml.safe_load((ROOT / "resources" / "interventions.yaml").read_text(encoding="utf-8"))
    return raw["interventions"]


def record(respondent_id: int, collector: str = DOOR, **answers: object) -> dict[str, object]:
    """One hand-made respondent: metadata plus answers by column id (labels)."""
    start = dt.datetime(2020, 6, 3, 10, 15, 0) + dt.timedelta(minutes=respondent_id % 50)
    return {
        "Respondent ID": str(respondent_id),
        "Collector ID": collector,
        "Start Date": start,
        "End Date": start + dt.timedelta(minutes=7),
        "IP Address": "192.0.2.10",
        **answers,
    }


@pytest.fixture
def write(tmp_path, codebook):
    """Write records as an export in tmp_path; returns its path."""

    def _write(records, name="export.csv", form: ExportForm | None = None):
        return str(write_export(tmp_path / name, records, codebook, form or ExportForm()))

    return _write


def report_resources(root: Path = ROOT) -> dict[str, Path]:
    """The resources the report is rendered with (as scripts/report_render.py passes them)."""
    return {
        "codebook": root / "resources" / "codebook.yaml",
        "scheme": root / "resources" / "interventions.yaml",
        "words": root / "resources" / "report" / "words.yaml",
        "references": root / "resources" / "report" / "references.yaml",
        "templates": root / "report" / "templates",
        "css": root / "report" / "style.css",
    }


def report_figures() -> dict[str, str]:
    """Every registered figure under its key in the templates, as a file name."""
    from buurtpreventie.registry import load_registry

    keys = [entry.name.removesuffix("_figure") for entry in load_registry().figures]
    return {key: f"{key}.svg" for key in keys}


def shipped_report_run(tmp_path_factory) -> Path:
    """A copy of the repository in which the shipped study's report was built.

    Made once per test session (the PDF, layout, accessibility and browser
    tests share it; none of them changes the copy's results) and reused by
    every later caller.
    """
    from test_workflow import _copy_workflow, _snakemake

    workdir = tmp_path_factory.getbasetemp() / "shipped-report"
    if not (workdir / "results" / "report" / "rapport.pdf").exists():
        if not workdir.exists():
            _copy_workflow(workdir)
        result = _snakemake(workdir, "results/report/rapport.pdf")
        assert result.returncode == 0, result.stdout + result.stderr
    return workdir
