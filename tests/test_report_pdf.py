"""The PDF report as the workflow builds it, read back with pypdf.

A temporary copy of the project runs `snakemake results/report/rapport.pdf`.
The PDF's text must hold every chapter heading, the synthetic-data mark on
every page, and every number of every table, formatted the Dutch way, as it
is in results/tables. A perturbed copy of the results must change the text.
"""

from __future__ import annotations

import html as html_module
import re
import shutil

import pandas as pd
import pytest
import yaml
from conftest import report_figures, report_resources, shipped_report_run
from pypdf import PdfReader

from buurtpreventie.dutch import nl_int, nl_no_zero, nl_number, nl_p, nl_pct, nl_signed
from buurtpreventie.report.build import report_html
from buurtpreventie.report.context import CHAT_TABLES, SURVEY_TABLES
from buurtpreventie.report.render import source_epoch, write_pdf

pytestmark = pytest.mark.e2e

HEADINGS = [
    "Inhoud",
    "Samenvatting",
    "1 Inleiding",
    "1.1 Het experiment",
    "1.2 WhatsApp-buurtpreventie, beleidstheorie en succesfactoren",
    "2 Opzet van het experiment",
    "2.1 De voorgestelde interventies",
    "2.2 De groepen",
    "2.3 Reconstructie van de uitvoering",
    "2.4 De metingen",
    "3 Bevindingen",
    "3.1 De voormeting",
    "3.2 De uitvoering van de interventies",
    "3.3 De nameting",
    "3.4 Wat het oorspronkelijke rapport niet toetste",
    "4 Conclusie",
    "5 Discussie en aanbevelingen",
    "Bijlage A Vragenlijst",
    "Bijlage B Verantwoording",
    "B.1 Van export tot rapport",
    "B.2 Respondentenstroom",
    "B.3 Gepubliceerd en gereproduceerd",
    "B.4 Controle van het gepubliceerde rapport",
    "B.5 Betrouwbaarheid van de schalen",
    "B.6 Herkomst van de tabellen",
    "Literatuur",
]
BUURTEN = {"lombardijen": "Lombardijen", "essenburgbuurt": "Essenburgbuurt"}
WAVES = {"voormeting": "Voormeting", "nameting": "Nameting"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    workdir = shipped_report_run(tmp_path_factory)
    pages = [
        _flat(p.extract_text()) for p in PdfReader(workdir / "results/report/rapport.pdf").pages
    ]
    return workdir, pages


@pytest.fixture(scope="module")
def text(built):
    return " ".join(built[1])


def _table(workdir, name):
    return pd.read_csv(workdir / "results" / "tables" / f"{name}.csv", dtype={"month": str})


def _mean(indicator, value):
    return nl_no_zero(value) if indicator == "meldingsbereidheid" else nl_number(value)


def test_every_chapter_heading(text):
    for heading in HEADINGS:
        assert heading in text, heading


def test_synthetic_mark_and_page_numbers_on_every_page(built):
    _, pages = built
    assert len(pages) > 20
    for number, page in enumerate(pages, start=1):
        assert "SYNTHETISCHE DATA" in page, number
        if number > 1:  # the title page has no footer
            assert re.search(rf"\b{number}$", page), number


def test_table_of_contents_page_numbers_are_right(built):
    _, pages = built
    toc = next(p for p in pages if "Inhoud Samenvatting" in p).split("Inhoud ", 1)[1]
    entries = re.findall(r"((?:\d+(?:\.\d+)? |Bijlage [A-Z] )?[A-Z][^.\d]*?) (?:\. )+(\d+)", toc)
    assert len(entries) >= 20
    for title, page in entries:
        assert title.strip() in pages[int(page) - 1], (title, page)


def test_table_1_respondents(built, text):
    workdir, _ = built
    table = _table(workdir, "respondents").set_index(["buurt", "groep", "wave"])
    members = [nl_int(table.loc[(b, "E", "voormeting"), "app_members"]) for b in BUURTEN]
    assert f"Appdeelnemers bij de start {' '.join(members)}" in text
    for wave, label in WAVES.items():
        e = [
            f"{nl_int(table.loc[(b, 'E', wave), 'n'])} "
            f"({nl_pct(table.loc[(b, 'E', wave), 'response_rate'] * 100)})"
            for b in BUURTEN
        ]
        c = [nl_int(table.loc[(b, "C", wave), "n"]) for b in BUURTEN]
        assert f"{label} {' '.join(e)}" in text
        assert f"{label} {' '.join(c)}" in text


def test_demographic_tables(built, text):
    workdir, _ = built
    table = _table(workdir, "demographics").set_index(["wave", "buurt", "groep", "kenmerk"])
    cells = [(b, g) for b in BUURTEN for g in ("E", "C")]
    for wave in WAVES:
        for kenmerk in ("Man", "Vrouw", "Alleenstaand", "Samenwonend", "Inwonende kinderen"):
            values = [table.loc[(wave, b, g, kenmerk)] for b, g in cells]
            row = " ".join(f"{nl_int(v['count'])} {nl_pct(v['pct'])}" for v in values)
            assert f"{kenmerk} {row}" in text, (wave, kenmerk)
        ages = [
            nl_number(table.loc[(wave, b, g, "gemiddelde_leeftijdscategorie"), "mean"])
            for b, g in cells
        ]
        assert f"Gemiddelde leeftijdscategorie {' '.join(ages)}" in text


def test_table_4_baseline(built, text):
    workdir, _ = built
    for r in _table(workdir, "baseline").itertuples():
        row = " ".join(
            [
                BUURTEN[r.buurt],
                nl_int(r.n_e),
                _mean(r.indicator, r.mean_e),
                nl_no_zero(r.sd_e),
                nl_int(r.n_c),
                _mean(r.indicator, r.mean_c),
                nl_no_zero(r.sd_c),
                nl_no_zero(r.d),
                nl_p(r.p),
            ]
        )
        assert row in text, row
        extra = " ".join(
            [
                BUURTEN[r.buurt],
                nl_no_zero(r.d),
                f"{nl_no_zero(r.d_ci_low)} tot {nl_no_zero(r.d_ci_high)}",
                nl_p(r.p_welch, None),
                nl_p(r.levene_p, None),
                nl_no_zero(r.mde_d),
                nl_int(r.n_adjusted),
                nl_signed(r.diff_adjusted),
                nl_p(r.p_adjusted, None),
            ]
        )
        assert extra in text, extra


def test_table_5_interventions(built, text):
    workdir, _ = built
    table = _table(workdir, "interventions")
    start = text.index("Uitvoering van de interventies per buurt")
    end = text.index("De groepen in de experimentperiode", start)
    region = text[start:end]
    scheme = yaml.safe_load((workdir / "resources" / "interventions.yaml").read_text("utf-8"))
    for item in scheme["interventions"]:
        assert f"{item['number']}. {item['name']}" in region
    for symbol in ("✓", "=", "~"):
        assert region.count(symbol) == (table["score"] == symbol).sum(), symbol
    assert "regel:" not in region or not table["agree"].all()


def test_table_6_before_after(built, text):
    workdir, _ = built
    for r in _table(workdir, "prepost").itertuples():
        row = " ".join(
            [
                f"{BUURTEN[r.buurt]}-{r.groep}",
                nl_int(r.n_from),
                _mean(r.indicator, r.mean_from),
                nl_no_zero(r.sd_from),
                nl_int(r.n_to),
                _mean(r.indicator, r.mean_to),
                nl_no_zero(r.sd_to),
                nl_p(r.p),
            ]
        )
        assert row in text, row
        if r.p < 0.05:
            adjusted = (
                f"{BUURTEN[r.buurt]}-{r.groep} Voormeting\u2013Nameting {nl_no_zero(r.d)} "
                f"{nl_p(r.p, None)} {nl_p(r.p_holm, None)} {nl_p(r.p_bh, None)}"
            )
            assert adjusted in text, adjusted


def test_difference_in_differences(built, text):
    workdir, _ = built
    for r in _table(workdir, "did").itertuples():
        row = (
            f"{BUURTEN[r.buurt]} {nl_int(r.n)} {nl_signed(r.estimate)} "
            f"{nl_number(r.ci_low)} tot {nl_number(r.ci_high)} {nl_p(r.p, None)}"
        )
        assert row in text, row


def test_appendix_tables(built, text):
    workdir, _ = built
    flow = _table(workdir, "flow").fillna("")
    for reason, part in flow[flow["outcome"] == "excluded"].groupby("reason", sort=False):
        counts = " ".join(nl_int(part.loc[part["wave"] == w, "n"].sum()) for w in WAVES)
        assert f"{part['description'].iloc[0]} {counts}" in text, reason
    totals = " ".join(
        nl_int(flow.loc[(flow["wave"] == w) & (flow["outcome"] == "total"), "n"].sum())
        for w in WAVES
    )
    assert f"Rijen in de exports {totals}" in text
    comparison = _table(workdir, "published_vs_reproduced")
    kinds = comparison["agreement"].value_counts()
    counts = " ".join(
        nl_int(kinds.get(k, 0))
        for k in ("identical", "within_tolerance", "by_construction", "different")
    )
    assert f"Totaal {nl_int(len(comparison))} {counts}" in text
    for r in comparison[~comparison["match"]].itertuples():
        assert r.published in text
    for r in _table(workdir, "reliability").itertuples():
        row = (
            f"{WAVES[r.wave]} {nl_int(r.n)} {nl_int(r.k)} {nl_no_zero(r.alpha)} "
            f"{nl_no_zero(r.ci_low)} tot {nl_no_zero(r.ci_high)}"
        )
        assert row in text, row


def test_pdf_written_again_from_the_same_html_is_byte_identical(built, tmp_path):
    workdir, _ = built
    report = workdir / "results" / "report"
    html = (report / "rapport.html").read_text(encoding="utf-8")
    config = yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))
    again = tmp_path / "again.pdf"
    write_pdf(html, report / "rapport.html", again, source_epoch(config["report"]["date"]))
    assert again.read_bytes() == (report / "rapport.pdf").read_bytes()
    metadata = PdfReader(again).metadata
    assert metadata["/CreationDate"] == "D:" + config["report"]["date"].replace("-", "")


def _render(workdir, tables_dir):
    config = yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))
    config["experiment"] = {k: str(v) for k, v in config["experiment"].items()}
    names = [n for n in (*SURVEY_TABLES, *CHAT_TABLES) if (tables_dir / f"{n}.csv").exists()]
    resources = report_resources(workdir)
    figures = {k: v for k, v in report_figures().items() if k != "buurten"}
    html = report_html({n: tables_dir / f"{n}.csv" for n in names}, config, resources, figures)
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return _flat(html_module.unescape(re.sub(r"<[^>]+>", " ", body)))


def _perturb(path, where, column, value):
    frame = pd.read_csv(path, dtype={"month": str})
    mask = pd.Series(True, index=frame.index)
    for key, wanted in where.items():
        mask &= frame[key] == wanted
    assert mask.sum() == 1, (path, where)
    frame.loc[mask, column] = value
    frame.to_csv(path, index=False)


def test_perturbed_results_change_the_text(built, tmp_path):
    workdir, _ = built
    tables = tmp_path / "tables"
    shutil.copytree(workdir / "results" / "tables", tables)
    before = _render(workdir, tables)
    # baseline: Lombardijen's alertheid no longer differs (p from <.001 to .40)
    _perturb(tables / "baseline.csv", {"indicator": "alertheid", "buurt": "lombardijen"}, "p", 0.40)
    # table 5: duiding in Lombardijen judged ~ instead of ✓ (the rule still says ✓)
    duiding = {"intervention": 8, "buurt": "lombardijen"}
    _perturb(tables / "interventions.csv", duiding, "score", "~")
    _perturb(tables / "interventions.csv", duiding, "agree", False)
    # table 1: 90 instead of 82 respondents in Lombardijen's app groups at the baseline
    _perturb(
        tables / "respondents.csv",
        {"buurt": "lombardijen", "groep": "E", "wave": "voormeting"},
        "n",
        90,
    )
    # table 6: the mark in the Essenburgbuurt's experimental group no longer rose significantly
    _perturb(
        tables / "prepost.csv",
        {"indicator": "rapportcijfer", "buurt": "essenburgbuurt", "groep": "E"},
        "p",
        0.30,
    )
    after = _render(workdir, tables)

    assert "significant van hun buurtgenoten op drie indicatoren" in before
    assert "significant van hun buurtgenoten op twee indicatoren" in after
    assert "daarnaast significant in de alertheid en de meldingsbereidheid" in after
    assert "Lombardijen 82 2,91 ,77 230 2,47 ,99 ,47 <,001" in before
    assert "Lombardijen 82 2,91 ,77 230 2,47 ,99 ,47 n.s." in after

    assert "In Lombardijen versterkten twee interventies van de elf" in before
    assert "In Lombardijen versterkte één interventie van de elf" in after
    assert "Bij één van de 22 beoordelingen wijkt de regel af" in after

    assert "Bij de voormeting vulden 82 appdeelnemers in Lombardijen" in before
    assert "Bij de voormeting vulden 90 appdeelnemers in Lombardijen" in after
    assert "Voormeting 90 (" in after

    assert "Drie patronen wijzen in de gewenste richting" in before
    assert "Twee patronen wijzen in de gewenste richting" in after
    assert "het rapportcijfer voor veiligheid in de Essenburgbuurt (de experimentele" not in after
