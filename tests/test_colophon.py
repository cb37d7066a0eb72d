"""The colophon: who made the report from what, version, commit, config hash, date, synthetic.

The report is built from a generated result set as the rule ``report`` builds
it (:func:`~buurtpreventie.report.build.report_context`, then
:func:`~buurtpreventie.report.build.render_context`), with provenance records
that carry a git commit. The config hash is recomputed here from the config,
independently of :mod:`buurtpreventie.report.colophon`.
"""

from __future__ import annotations

import copy
import hashlib
import html as html_module
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, report_figures, report_resources

import buurtpreventie
from buurtpreventie.checks.config import normalise_config
from buurtpreventie.dutch import nl_date
from buurtpreventie.report import build
from buurtpreventie.report.colophon import colophon, config_sha256, reference_entries
from buurtpreventie.report.context import CHAT_TABLES, SURVEY_TABLES
from buurtpreventie.synthetic.results import Scenario, generate

RESOURCES = report_resources()
FIGURES = report_figures()
COMMIT = "0123456789abcdef0123456789abcdef01234567"
SYNTHETIC = "De gegevens achter dit rapport zijn synthetisch"


def _records(commit: str | None = COMMIT, dirty: bool = False, n: int = 3) -> list[dict]:
    return [
        {"rule": f"step{i}", "git": {"commit": commit, "dirty": dirty}, "generated": []}
        for i in range(n)
    ]


def expected_hash(config: dict) -> str:
    """sha256 of the config as canonical JSON: sorted keys, without published_skipped."""
    settings = {k: v for k, v in config.items() if k != "published_skipped"}
    text = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_report(
    folder: Path,
    synthetic: bool = True,
    records=None,
    pdf_date: str | None = None,
    **config_changes,
) -> dict:
    """Context and HTML of a generated two-wave study (``config_changes`` override the config)."""
    study = generate(11, Scenario(effects="mixed", waves=2, buurten=2))
    config = copy.deepcopy(study.config)
    config["study"] = {**config["study"], "synthetic": synthetic}
    config.update(config_changes)
    paths = study.write(folder)
    names = (*SURVEY_TABLES, *CHAT_TABLES)
    tables = {n: p for n, p in paths["tables"].items() if n in names}
    resources = {**RESOURCES, "codebook": paths["codebook"]}
    provenance = _records() if records is None else records
    date = config["report"]["date"] if pdf_date is None else pdf_date
    context = build.report_context(tables, config, resources, FIGURES, date, provenance, True)
    html = build.render_context(context, resources)
    return {"context": context, "html": html, "config": config}


def section_text(html: str, anchor: str) -> str:
    start = html.rindex("<section", 0, html.index(f'id="{anchor}"'))
    part = html[start : html.index("</section>", start)]
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", part))).strip()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return build_report(tmp_path_factory.mktemp("colophon"))


def test_colophon_states_version_commit_hash_date(rendered):
    text = section_text(rendered["html"], "colofon")
    config = rendered["config"]
    assert text.startswith("Colofon")
    assert f"buurtpreventie {buurtpreventie.__version__}" in text
    assert f"Git-commit {COMMIT[:7]}" in text
    assert "gewijzigd" not in text
    assert expected_hash(config) in text
    assert nl_date(config["report"]["date"]) in text
    assert "SHA-256-hash van de configuratie" in text and "gesorteerde sleutels" in text


def test_colophon_names_the_sources_of_the_config(rendered):
    text = section_text(rendered["html"], "colofon")
    for group in rendered["config"]["chats"]["groups"]:
        assert group["export"] in text
    assert "SurveyMonkey" in text or "geen export" in text
    assert "MAXQDA" not in text  # the generated config names no codings
    assert "Hogeschool Inholland (2022)" in text  # the original study, from the references


def test_synthetic_statement_follows_the_flag(rendered, tmp_path):
    assert SYNTHETIC in section_text(rendered["html"], "colofon")
    real = build_report(tmp_path, synthetic=False)
    text = section_text(real["html"], "colofon")
    assert SYNTHETIC not in text
    assert "synthetisch" not in text.lower()
    assert expected_hash(real["config"]) != expected_hash(rendered["config"])
    assert expected_hash(real["config"]) in text


def test_dirty_tree_and_mixed_commits(tmp_path):
    other = "fedcba9876543210fedcba9876543210fedcba98"
    records = [*_records(dirty=True, n=2), *_records(other, n=1), *_records(None, n=1)]
    text = section_text(build_report(tmp_path, records=records)["html"], "colofon")
    assert f"{COMMIT[:7]} (2 stappen, gewijzigd)" in text
    assert f"{other[:7]} (1 stap)" in text
    assert "Van 1 stap is de commit onbekend" in text


def test_date_of_the_pdf_metadata(rendered, tmp_path):
    text = section_text(rendered["html"], "colofon")
    assert "dezelfde datum staat in de documentgegevens van de PDF" in text
    other = build_report(tmp_path, pdf_date="2030-01-02T00:00:00Z")
    text = section_text(other["html"], "colofon")
    assert nl_date(other["config"]["report"]["date"]) in text
    assert "dragen de datum 2 januari 2030, die SOURCE_DATE_EPOCH opgaf" in text


def test_one_dirty_commit(tmp_path):
    text = section_text(build_report(tmp_path, records=_records(dirty=True))["html"], "colofon")
    assert f"Git-commit {COMMIT[:7]} (gewijzigd" in text


def test_config_hash_ignores_the_runtime_key_only():
    config = {"b": 1, "a": {"y": [1, 2], "x": "ë"}}
    assert config_sha256(config) == expected_hash(config)
    assert config_sha256({**config, "published_skipped": "Reden."}) == config_sha256(config)
    assert config_sha256({**config, "b": 2}) != config_sha256(config)
    assert config_sha256(dict(reversed(config.items()))) == config_sha256(config)


@pytest.mark.parametrize("overlay", [None, "derde-meting.yaml"])
def test_shipped_studies(overlay):
    """The shipped config and the three-wave overlay: their own hash, dates and sources."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    if overlay:
        config.update(yaml.safe_load((ROOT / "config" / "examples" / overlay).read_text("utf-8")))
    config = normalise_config(config)
    refs = reference_entries(yaml.safe_load(RESOURCES["references"].read_text("utf-8")))
    page = colophon(config, _records(), refs)
    assert page["config_sha256"] == expected_hash(config)
    assert page["date_text"] == nl_date(config["report"]["date"])
    files = [f for s in page["sources"]["surveys"] for f in s["files"]]
    assert files == [f for w in config["waves"] for f in w["exports"]]
    assert page["sources"]["codings"] == config["chats"]["codings"]
    assert page["original"]["key"] == "inholland2022"
    assert config["study"]["synthetic"] is True


def test_colophon_is_the_same_for_the_same_commit_and_config(tmp_path):
    first = build_report(tmp_path / "a")
    second = build_report(tmp_path / "b")
    assert section_text(first["html"], "colofon") == section_text(second["html"], "colofon")
