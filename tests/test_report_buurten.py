"""A report of many buurten: names for every buurt, a selection in the chapters, the rest elsewhere.

The study here is made by hand: the shipped codebook with extra buurten, and
results tables of a few rows per buurt written by :func:`_tables`. The context
and the HTML are built from them as the rule ``report`` builds them, without
Snakemake and without a PDF.
"""

from __future__ import annotations

import dataclasses
import html as html_module
import re

import pandas as pd
import yaml
from conftest import ROOT

from buurtpreventie.published.comparison import COLUMNS
from buurtpreventie.report import text
from buurtpreventie.report.context import (
    AGE_ROW,
    DEMOGRAPHIC_ROWS,
    build_context,
    main_tables,
    report_buurten,
)
from buurtpreventie.report.render import render_html
from buurtpreventie.report.styles import buurt_styles, line_legend
from buurtpreventie.stats.cellstats import STATISTICS
from buurtpreventie.survey.codebook import Option

WAVES = [
    {"id": "voormeting", "label": "Voormeting", "fieldwork": "2020-06", "exports": []},
    {"id": "nameting", "label": "Nameting", "fieldwork": "2021-09", "exports": []},
]
SHIPPED = ("lombardijen", "essenburgbuurt")
# Extra buurten: one the buurt question names by a single option, one it does not name.
EXTRA = {"noordereiland": "Noordereiland", "buurt_x": None}


def _codebook(codebook, extra):
    """The shipped codebook with more buurten; ``extra`` maps a buurt to its q1 label (or none)."""
    q1 = codebook.question(codebook.roles["buurt"])
    options = list(q1.options)
    for i, (buurt, label) in enumerate(extra.items()):
        if label:
            options.append(Option(label=label, code=10 + i, derive={"buurt": buurt}))
    q1 = dataclasses.replace(q1, options=tuple(options))
    questions = tuple(q1 if q.id == q1.id else q for q in codebook.questions)
    return dataclasses.replace(codebook, questions=questions, buurten=(*codebook.buurten, *extra))


def _tables(codebook, buurten, p_did=None, published=True):
    """Results tables of every buurt: a few plausible numbers each, in the workflow's columns.

    ``p_did`` maps (indicator, buurt) to the p of its difference in differences (default .5).
    """
    p_did = p_did or {}
    indicators = [i.id for i in codebook.indicators]
    first, last = WAVES[0]["id"], WAVES[-1]["id"]
    rows = {name: [] for name in ("respondents", "demographics", "indicators", "flow")}
    rows["flow"].append([first, "total", "", "", "", "", 0])
    rows["flow"].append([first, "excluded", "", "", "no_consent", "Geen toestemming", 7])
    for k, b in enumerate(buurten):
        for groep in ("E", "C"):
            for w in WAVES:
                n = 40 + k + (5 if groep == "C" else 0)
                rows["respondents"].append(
                    [
                        b,
                        groep,
                        w["id"],
                        n,
                        100 if groep == "E" else None,
                        n / 100 if groep == "E" else None,
                    ]
                )
                for kenmerk in DEMOGRAPHIC_ROWS:
                    rows["demographics"].append(
                        [b, groep, w["id"], kenmerk, 10, 20, 50.0, None, None]
                    )
                rows["demographics"].append([b, groep, w["id"], AGE_ROW, None, 20, None, 3.0, 1.0])
                for i in indicators:
                    rows["indicators"].append([i, b, groep, w["id"], n, 3.0, 1.0, 1, 5, False])
                if w["id"] == first:
                    rows["flow"].append([first, "included", b, groep, "", "", n])
    flow = pd.DataFrame(
        rows["flow"], columns=["wave", "outcome", "buurt", "groep", "reason", "description", "n"]
    )
    flow.loc[flow["outcome"] == "total", "n"] = flow.loc[flow["outcome"] != "total", "n"].sum()
    baseline = pd.DataFrame(
        [
            [
                i,
                b,
                40,
                3.0,
                1.0,
                45,
                3.0,
                1.0,
                0.1,
                83,
                0.5,
                0.1,
                83,
                0.5,
                0.5,
                0.02,
                -0.4,
                0.4,
                0.6,
                85,
                0.0,
                0.2,
                0.5,
            ]
            for i in indicators
            for b in buurten
        ],
        columns=[
            "indicator",
            "buurt",
            "n_e",
            "mean_e",
            "sd_e",
            "n_c",
            "mean_c",
            "sd_c",
            *STATISTICS,
            "n_adjusted",
            "diff_adjusted",
            "se_adjusted",
            "p_adjusted",
        ],
    )
    prepost = pd.DataFrame(
        [
            [
                i,
                b,
                g,
                first,
                last,
                "baseline",
                40,
                3.0,
                1.0,
                40,
                3.05,
                1.0,
                0.2,
                78,
                0.6,
                0.2,
                78,
                0.6,
                0.5,
                0.05,
                -0.4,
                0.5,
                0.6,
                1.0,
                1.0,
            ]
            for i in indicators
            for b in buurten
            for g in ("E", "C")
        ],
        columns=[
            "indicator",
            "buurt",
            "groep",
            "wave_from",
            "wave_to",
            "kind",
            "n_from",
            "mean_from",
            "sd_from",
            "n_to",
            "mean_to",
            "sd_to",
            *STATISTICS,
            "p_holm",
            "p_bh",
        ],
    )
    did = pd.DataFrame(
        [
            [i, b, first, last, 170, 0.3, 0.2, -0.1, 0.7, p_did.get((i, b), 0.5), "HC3"]
            for i in indicators
            for b in buurten
        ],
        columns=[
            "indicator",
            "buurt",
            "wave_from",
            "wave_to",
            "n",
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "p",
            "cov_type",
        ],
    )
    for (i, b), p in p_did.items():
        if p < 0.05:
            sign = -1 if b.endswith("x") else 1
            mask = (did["indicator"] == i) & (did["buurt"] == b)
            did.loc[mask, ["estimate", "ci_low", "ci_high"]] = [
                sign * 0.8,
                sign * 0.8 - 0.4,
                sign * 0.8 + 0.4,
            ]
    tables = {
        "flow": flow,
        "respondents": pd.DataFrame(
            rows["respondents"],
            columns=["buurt", "groep", "wave", "n", "app_members", "response_rate"],
        ),
        "demographics": pd.DataFrame(
            rows["demographics"],
            columns=["buurt", "groep", "wave", "kenmerk", "count", "base", "pct", "mean", "sd"],
        ),
        "demographics_tests": pd.DataFrame(
            [[first, b, "geslacht", "chi2", 0.1, 1, 0.7, 40, 45] for b in buurten],
            columns=["wave", "buurt", "kenmerk", "test", "statistic", "df", "p", "n_e", "n_c"],
        ),
        "indicators": pd.DataFrame(
            rows["indicators"],
            columns=[
                "indicator",
                "buurt",
                "groep",
                "wave",
                "n",
                "mean",
                "sd",
                "min",
                "max",
                "small_cell",
            ],
        ),
        "reliability": pd.DataFrame(
            [["sociale_cohesie", w["id"], 80, 5, 0.8, 0.75, 0.85, False] for w in WAVES],
            columns=["scale", "wave", "n", "k", "alpha", "ci_low", "ci_high", "below_min_alpha"],
        ),
        "baseline": baseline,
        "prepost": prepost,
        "did": did,
        "panel": pd.DataFrame(
            columns=[
                "indicator",
                "buurt",
                "groep",
                "wave_from",
                "wave_to",
                "n_pairs",
                "mean_from",
                "mean_to",
                "mean_diff",
                "sd_diff",
                "t",
                "df",
                "p",
                "status",
            ]
        ),
    }
    if published:
        tables["published_vs_reproduced"] = pd.DataFrame(
            [
                [
                    "tabel1",
                    "Lombardijen E voormeting",
                    "n",
                    "82",
                    82,
                    82,
                    "82",
                    True,
                    "identical",
                    "",
                    "",
                    "",
                ]
            ],
            columns=COLUMNS,  # published.COLUMNS: the table's contract
        )
    return tables


def _config(main=(), published="resources/published"):
    return {
        "study": {"title": "Studie", "synthetic": True},
        "report": {"date": "2026-11-23", "buurten": list(main), "max_main_buurten": 2},
        "waves": WAVES,
        "experiment": {"start": "2020-09-01", "end": "2021-09-01"},
        "app_groups": [],
        "published": published,
    }


FIGURES = {
    k: f"{k}.svg"
    for k in ("timeline", "baseline", "baseline_forest", "course", "did_forest", "buurten")
}


def _context(codebook, words, scheme, buurten, main=(), published=True, p_did=None):
    tables = _tables(codebook, buurten, p_did, published)
    config = _config(main, "resources/published" if published else "")
    references = yaml.safe_load(
        (ROOT / "resources" / "report" / "references.yaml").read_text(encoding="utf-8")
    )
    return build_context(tables, config, codebook, scheme, words, FIGURES, references)


def _html(context):
    html = render_html(
        context, ROOT / "report" / "templates", ROOT / "report" / "style.css", "rapport.html.j2"
    )
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return html, re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", body)))


# --- names ------------------------------------------------------------------------------


def test_unknown_buurten_are_named_from_the_codebook(codebook, words):
    study = _codebook(codebook, EXTRA)
    named = text.study_words(words, study).buurten
    # words.yaml's buurten stay as they are
    assert named["essenburgbuurt"] == {
        "name": "Essenburgbuurt",
        "article": "de",
        "in": "in de Essenburgbuurt",
        "short": "E",
    }
    # one option derives it: its label; none does: the id
    assert named["noordereiland"] == {
        "name": "Noordereiland",
        "article": "",
        "in": "in Noordereiland",
        "short": "N",
    }
    assert named["buurt_x"]["name"] == "buurt_x" and named["buurt_x"]["in"] == "in buurt_x"
    assert text.study_words(words, study).buurt_in("noordereiland") == "in Noordereiland"


def test_buurt_names_of_a_scaled_study():
    options = [
        Option(label=f"Buurt {i:03d}", code=i, derive={"buurt": f"buurt_{i:03d}"}) for i in (1, 2)
    ]
    options.append(Option(label="Oude Westen", code=3, derive={"buurt": "oude_westen"}))
    options.append(Option(label="Oud Charlois", code=4, derive={"buurt": "oud_charlois"}))
    names = text.buurt_names(["buurt_001", "buurt_002", "oude_westen", "oud_charlois"], options, {})
    assert names["buurt_001"] == {
        "name": "Buurt 001",
        "article": "",
        "in": "in Buurt 001",
        "short": "B001",
    }
    # two shorts would be "OW" and "OC": different, kept; a clash falls back to the name
    assert names["oude_westen"]["short"] == "OW"
    clash = text.buurt_names(
        ["a", "b"],
        [Option("Noord", 1, derive={"buurt": "a"}), Option("Nieuw", 2, derive={"buurt": "b"})],
        {},
    )
    assert (clash["a"]["short"], clash["b"]["short"]) == ("Noord", "Nieuw")


def test_line_styles_and_their_caption():
    styles = buurt_styles(["lombardijen", "essenburgbuurt"])
    assert styles["lombardijen"] == {"marker": "o", "linestyle": "-"}
    assert styles["essenburgbuurt"] == {"marker": "s", "linestyle": "--"}
    names = {"lombardijen": "Lombardijen", "essenburgbuurt": "de Essenburgbuurt"}
    assert line_legend(names, styles) == "Lombardijen doorgetrokken, de Essenburgbuurt gestippeld"
    many = [f"b{i}" for i in range(6)]
    legend = line_legend({b: b.upper() for b in many}, buurt_styles(many))
    assert "B4 doorgetrokken met omgekeerde driehoekjes" in legend  # styles repeat: markers named


# --- the main chapters show a selection --------------------------------------------------


def test_report_buurten_from_the_config(codebook):
    study = _codebook(codebook, EXTRA)
    assert report_buurten(_config(), study) == ["lombardijen", "essenburgbuurt"]  # max 2
    assert report_buurten(_config(["buurt_x", "lombardijen"]), study) == ["lombardijen", "buurt_x"]


def test_main_tables_keep_the_main_buurten_and_the_whole_flow(codebook):
    study = _codebook(codebook, EXTRA)
    tables = _tables(study, study.buurten)
    main = main_tables(tables, ["lombardijen", "noordereiland"])
    assert set(main["baseline"]["buurt"]) == {"lombardijen", "noordereiland"}
    assert set(main["respondents"]["buurt"]) == {"lombardijen", "noordereiland"}
    assert main["flow"].equals(tables["flow"])
    assert main["reliability"].equals(tables["reliability"])


def test_flow_of_the_main_buurten_still_adds_up(codebook, words, scheme):
    study = _codebook(codebook, EXTRA)
    context = _context(study, words, scheme, study.buurten)
    flow = context["flow"]
    included = [r for r in flow["rows"] if r["kind"] == "included"]
    labels = [r["label"] for r in included]
    assert labels == [
        "Lombardijen, experimentele groep",
        "Lombardijen, controlegroep",
        "Essenburgbuurt, experimentele groep",
        "Essenburgbuurt, controlegroep",
        "Overige buurten (2 buurten)",
    ]
    # 4 + 2 x 2 cells of 40 + k (E) and 45 + k (C) respondents
    assert included[-1]["values"] == [(42 + 47) + (43 + 48)]
    assert sum(r["values"][0] for r in included) == flow["included"][0]
    assert flow["included"][0] + flow["excluded"][0] == flow["rows"][0]["values"][0]


def test_chapters_show_only_the_main_buurten(codebook, words, scheme):
    study = _codebook(codebook, EXTRA)
    context = _context(study, words, scheme, study.buurten, main=["lombardijen", "noordereiland"])
    assert [b["id"] for b in context["study"]["buurten"]] == ["lombardijen", "noordereiland"]
    assert {r["buurt"] for g in context["table4"] for r in g["rows"]} == {
        "lombardijen",
        "noordereiland",
    }
    assert len(context["table1"]["members"]) == 2
    assert context["did"]["tests"] == 8 * 2
    assert context["line_legend"] == "Lombardijen doorgetrokken, Noordereiland gestippeld"
    (selection,) = context["selection"]["text"]
    assert selection == (
        "De studie omvat vier buurten. Om de tabellen leesbaar te houden, tonen de hoofdstukken er "
        "twee in hun tabellen, figuren en tekst: Lombardijen en Noordereiland, gekozen in de "
        "configuratie (report.buurten)."
    )
    assert context["study"]["places"]["names"] == "Vier buurten"


def test_findings_of_every_main_buurt_say_they_are_the_ones_shown(codebook, words):
    frame = pd.DataFrame(
        {
            "indicator": ["alertheid", "alertheid"],
            "buurt": ["lombardijen", "essenburgbuurt"],
            "mean_e": [3.0, 3.1],
            "mean_c": [2.5, 2.4],
            "p": [0.001, 0.002],
            "d": [0.5, 0.7],
        }
    )
    frame["p_welch"] = frame["p_adjusted"] = frame["p"]
    shown = text.baseline_findings(frame, words, "Voormeting", scope="getoonde")
    assert shown.paragraphs[0].startswith("In beide getoonde buurten verschillen de appdeelnemers")
    assert (
        text.baseline_findings(frame, words, "Voormeting")
        .paragraphs[0]
        .startswith("In beide buurten verschillen")
    )


# --- the summary across all buurten --------------------------------------------------------


def _did(p_by_buurt, estimate=0.5):
    rows = [
        ("alertheid", b, estimate if b != "b3" else -estimate, p) for b, p in p_by_buurt.items()
    ]
    rows += [("sociale_cohesie", b, 0.1, 0.6) for b in p_by_buurt]
    return pd.DataFrame(rows, columns=["indicator", "buurt", "estimate", "p"])


def test_summary_sentence_follows_the_data(words):
    indicators = ["alertheid", "sociale_cohesie", "onveiligheidsgevoel"]
    (before,) = text.all_buurten_findings(
        _did({"b1": 0.01, "b2": 0.03, "b3": 0.02, "b4": 0.5}),
        words,
        indicators,
        "Voormeting",
        "Nameting",
    )
    assert before.startswith(
        "Tussen de voormeting en de nameting is het verschil in verandering in een deel van de 4 "
        "buurten significant (p < ,05): bij de alertheid in twee buurten positief en in één "
        "negatief."
    )
    assert "Bij de sociale cohesie en het onveiligheidsgevoel is het in geen enkele buurt" in before
    assert "bij 4 buurten per indicator ongeveer 0,2 significante schattingen" in before
    assert "bij het onveiligheidsgevoel is negatief de gewenste richting" in before
    (after,) = text.all_buurten_findings(
        _did({"b1": 0.01, "b2": 0.3, "b3": 0.2, "b4": 0.5}),
        words,
        indicators,
        "Voormeting",
        "Nameting",
    )
    assert "bij de alertheid in één buurt positief." in after
    (none,) = text.all_buurten_findings(
        _did({"b1": 0.1, "b2": 0.3}), words, indicators, "Voormeting", "Nameting"
    )
    assert none == (
        "Tussen de voormeting en de nameting is het verschil in verandering in geen van de 2 "
        "buurten op enige indicator significant (p < ,05)."
    )


def test_summary_and_appendix_in_the_report_only_when_buurten_are_hidden(codebook, words, scheme):
    study = _codebook(codebook, EXTRA)
    p_did = {("alertheid", "noordereiland"): 0.01, ("alertheid", "buurt_x"): 0.02}
    hidden = _context(study, words, scheme, study.buurten, p_did=p_did)
    html, page = _html(hidden)
    assert 'id="fig-buurten"' in html and 'src="buurten.svg"' in html
    assert "Bijlage C Alle buurten" in page and "C.3 Het verschil in verandering per buurt" in page
    assert "3.5 Het verschil in verandering in alle buurten" in page
    assert "bij de alertheid in één buurt positief en in één negatief" in page
    # Bijlage C: one row per buurt, all four; the main ones bold
    appendix = page[page.index("Bijlage C Alle buurten De studie") :]
    for name in ("Lombardijen", "Essenburgbuurt", "Noordereiland", "buurt_x"):
        assert appendix.count(name) >= 3, name
    assert html.count('<tr class="main">') == 3 * 2
    assert "buurt_x \u22120,80 * +0,30" in appendix and "Noordereiland +0,80 * +0,30" in appendix
    # table of contents: the new section and appendix
    toc = html[html.index('<nav class="toc">') : html.index("</nav>")]
    assert "Alle buurten" in toc and "Het verschil in verandering in alle buurten" in toc

    every = _context(codebook, words, scheme, codebook.buurten)
    html, page = _html(every)
    assert every["selection"] == {"hidden": False}
    assert 'id="fig-buurten"' not in html and "Bijlage C" not in page
    assert "Overige buurten" not in page and "getoonde" not in page
    toc = html[html.index('<nav class="toc">') : html.index("</nav>")]
    assert "Alle buurten" not in toc


def test_without_published_tables_bijlage_b_says_so(codebook, words, scheme):
    _, page = _html(_context(codebook, words, scheme, codebook.buurten, published=False))
    assert (
        "Voor deze studie zijn geen gepubliceerde tabellen opgegeven (de instelling published in "
        "de configuratie is leeg), dus er is niets om de uitkomsten mee te vergelijken" in page
    )
    assert "Gepubliceerd en gereproduceerd" not in page
    assert "Controle van het gepubliceerde rapport" not in page
    _, page = _html(_context(codebook, words, scheme, codebook.buurten, published=True))
    assert "B.3 Gepubliceerd en gereproduceerd" in page
    assert "geen gepubliceerde tabellen opgegeven" not in page


def test_demographic_tables_take_two_buurten_each(codebook, words, scheme):
    study = _codebook(codebook, EXTRA)
    context = _context(study, words, scheme, study.buurten, main=study.buurten)
    tables = context["demographics"]
    assert [t["key"] for t in tables] == [
        "voormeting-1",
        "voormeting-2",
        "nameting-1",
        "nameting-2",
    ]
    assert tables[1]["suffix"] == " (Noordereiland en buurt_x)"
    assert all(len(t["columns"]) == 4 for t in tables)
    shipped = _context(codebook, words, scheme, codebook.buurten)["demographics"]
    assert [(t["key"], t["suffix"]) for t in shipped] == [("voormeting", ""), ("nameting", "")]
