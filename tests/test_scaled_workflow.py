"""The whole workflow on a small scaled SYNTHETIC study: twelve buurten, no published tables.

The same Snakefile, with only the generator's config overlay: the buurten come
from the scaled codebook, the main chapters show two of them, the others are
in the summary figure and Bijlage C, and the chats run in batches.
"""

import pandas as pd
import pytest
import yaml
from test_workflow import (
    _chat_names,
    _copy_workflow,
    _personal_values,
    _snakemake,
    assert_no_personal_data,
)

from buurtpreventie.synthetic.scaled import Scale, write_scaled_study

pytestmark = pytest.mark.e2e

SCALE = Scale(buurten=12, waves=3, respondents=40, messages=12_000, report_buurten=2, seed=11)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    workdir = _copy_workflow(tmp_path_factory.mktemp("scaled-e2e") / "study")
    write_scaled_study(SCALE, workdir / "scaled", workdir / "resources")
    # The overlay's paths are absolute here (tmp); the workflow takes them as they are.
    result = _snakemake(workdir, "--configfile", "scaled/config.yaml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return workdir


def _pdf_text(workdir) -> str:
    from pypdf import PdfReader

    pdf = PdfReader(workdir / "results" / "report" / "rapport.pdf")
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


def test_every_buurt_is_analysed(scaled):
    tables = scaled / "results" / "tables"
    did = pd.read_csv(tables / "did.csv")
    assert did["buurt"].nunique() == SCALE.buurten
    assert len(did) == SCALE.buurten * (SCALE.waves - 1) * 8
    flow = pd.read_csv(tables / "flow.csv")
    totals = flow[flow["outcome"] == "total"].set_index("wave")["n"]
    assert (totals == SCALE.buurten * SCALE.respondents).all()


def test_without_published_tables_there_is_no_comparison(scaled):
    tables = scaled / "results" / "tables"
    assert not (tables / "published_vs_reproduced.csv").exists()
    assert not (tables / "audit.csv").exists()
    assert "geen gepubliceerde tabellen" in _pdf_text(scaled)


def test_chats_ran_in_batches(scaled):
    config = yaml.safe_load((scaled / "scaled" / "config.yaml").read_text(encoding="utf-8"))
    records = sorted((scaled / "results" / "provenance" / "parse_chat").glob("*.json"))
    assert len(records) == -(-SCALE.buurten // config["chats"]["batch_size"]) == 4
    members = pd.read_csv(scaled / "results" / "tables" / "members.csv")
    assert members["group"].nunique() == SCALE.buurten


def test_report_shows_a_selection_and_all_buurten_in_the_appendix(scaled):
    text = _pdf_text(scaled)
    assert "Bijlage C" in text and "Alle buurten" in text
    assert "Het verschil in verandering in alle buurten" in text
    assert "van de 12" in text  # the chapters say they show a selection of the twelve
    for number in range(1, SCALE.buurten + 1):  # every buurt is named somewhere
        assert f"Buurt {number:03d}" in text
    assert "gepubliceerde tabellen nabootst" not in text


def test_no_personal_data_of_the_scaled_study_in_any_output(scaled):
    values = _personal_values(scaled, "scaled/survey", "scaled/codebook.yaml")
    # names, addresses, e-mail addresses, phone numbers (raw and normalised) and IPs
    assert len(values) > 500
    names = _chat_names(scaled, "scaled/chat")
    assert len(names) > SCALE.buurten * 20  # residents and professionals of every chat
    assert_no_personal_data(scaled, values | names)
