"""The report is true on any data: properties of the HTML on 200+ generated result sets.

Each set is a whole ``results/tables/`` written by
:mod:`buurtpreventie.synthetic.results` from a seed and a scenario (null,
significant, mixed, every baseline p = .5; 2-5 waves; 1-4 buurten; with and
without panel, chats, published tables, small cells and a selection of
buurten). The report is built from the CSV files as the rule ``report`` builds
it (:func:`~buurtpreventie.report.build.report_context`, then
:func:`~buurtpreventie.report.build.render_context`; no PDF, except one set in
an e2e test), and every set must give:

- no error while building the context or rendering the templates;
- no false claim (:func:`~buurtpreventie.report.claims.check_claims`);
- no "nan", "None", Jinja syntax, English code words or raw ids in the text;
- Dutch plurals and lists (:data:`FORBIDDEN`, patterns kept as data);
- with every baseline p = .5, no baseline difference in the summary.

A property that fails is marked ``xfail(strict=True)`` with the defect, and the
failing sets are listed in the failure message with the seed and scenario to
reproduce them (``python -m`` snippet in :func:`_reproduce`).
"""

from __future__ import annotations

import html as html_module
import itertools
import multiprocessing
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT, report_figures, report_resources

from buurtpreventie.report import build
from buurtpreventie.report.claims import check_claims
from buurtpreventie.report.context import CHAT_TABLES, SURVEY_TABLES, load_tables
from buurtpreventie.synthetic.results import (
    EFFECTS,
    ResultSet,
    Scenario,
    generate,
    scenario_grid,
    table_columns,
)

#: Generated result sets rendered (the grid's first ones; seed = position).
SETS = 200
#: Processes that examine the sets.
WORKERS = 2
RESOURCES = report_resources()
FIGURES = report_figures()
#: Extra sets beside the grid: (seed, scenario). The first is the set of the
#: contradiction found before: every baseline p = .5.
EXTRA = (
    (1000, Scenario(effects="baseline_half", waves=2, buurten=2)),
    (1001, Scenario(effects="baseline_half", waves=3, buurten=1, panel=False, chats=False)),
    (1002, Scenario(effects="null", waves=5, buurten=4, small_cells=True, shown=2)),
    (1003, Scenario(effects="significant", waves=2, buurten=1, published=False)),
)

_NOUNS = (
    ("respondent", "respondenten"),
    ("buurt", "buurten"),
    ("meting", "metingen"),
    ("groep", "groepen"),
    ("toets", "toetsen"),
    ("indicator", "indicatoren"),
    ("deelnemer", "deelnemers"),
    ("waarde", "waarden"),
    ("schatting", "schattingen"),
    ("vergelijking", "vergelijkingen"),
    ("schaal", "schalen"),
    ("stelling", "stellingen"),
    ("interventie", "interventies"),
    ("paar", "paren"),
    ("cel", "cellen"),
    ("verschil", "verschillen"),
    ("appgroep", "appgroepen"),
    ("patroon", "patronen"),
    ("verandering", "veranderingen"),
)
_ONE = r"(?:1|één|een)"
_MANY_NUMBER = r"(?:[02-9]|[1-9]\d+|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf)"
_NUMBER_WORDS = "één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf"
#: Text the report must never show, per property: (regular expression, what is
#: wrong). Matched on the visible text (tags removed, entities resolved, white
#: space collapsed).
FORBIDDEN: dict[str, tuple[tuple[str, str], ...]] = {
    "missing": (
        (r"\bnan\b|\bNaN\b", "a missing number printed as nan"),
        (r"\bNone\b", "a missing value printed as None"),
        (r"\{\{|\}\}|\{%|%\}", "Jinja syntax in the output"),
        (r"\bTrue\b|\bFalse\b", "a boolean printed"),
        (r"\d[.,]\d*e[-+]\d", "scientific notation"),
        (r",,|\.\.(?!\.)|;;", "doubled punctuation"),
        (r"\b([A-Za-zé]{2,}) \1\b", "a doubled word"),
    ),
    "code": (
        (
            r"\b(?:not reproduced|not_supported|supported|not_testable|too_small|by_construction"
            r"|within_tolerance|computed|baseline|consecutive|identical|different|none_significant"
            r"|carried out|opposite codes|integer|pairs|print as|printed|which implies|of about"
            r"|from config)\b",
            "English words from the code",
        ),
        (r"(?<![\w\].])[a-z]+_[a-z0-9_]+\b(?![\[.])", "a raw id (snake_case) in the text"),
        (
            r"\b(?:lombardijen|essenburgbuurt|noordereiland|bloemhof|tarwewijk|carnisse)\b",
            "a buurt id instead of its name",
        ),
        (r"\bE-C\b", "a code cell name"),
    ),
    "dutch": (
        *(
            (rf"\b{_ONE} {many}\b", f"singular count with the plural '{many}'")
            for _, many in _NOUNS
        ),
        *(
            (rf"\b{_MANY_NUMBER} {one}\b(?![-\w])", f"plural count with the singular '{one}'")
            for one, _ in _NOUNS
        ),
        (r"\b(?:een|één|1) van de (?:1|één)\b", "'een van de 1'"),
        (rf"\b(?:in )?({_NUMBER_WORDS}|\d+) van de \1\b", "'vier van de vier' instead of 'alle'"),
        (r"\b(?:alle|beide) (?:1|één|een)\b", "'alle een'"),
        (r"\bgeen van de (?:0|nul)\b", "'geen van de 0'"),
        (r"\b(?:0|nul) van de\b", "'0 van de'"),
        (
            r"\b[A-Z][\w-]+, [A-Z][\w-]+, (?:en|of) [A-Z]"
            r"|\b(?:de|het) [\w-]+, (?:de|het) [\w-]+(?: [\w-]+)?, (?:en|of) (?:de|het) ",
            "a list with an Oxford comma ('A, B, en C')",
        ),
    ),
    "design": ((r"\(\s*\)", "empty parentheses (a list of nothing)"),),
}
#: Text forbidden only in some designs: (predicate on the scenario, pattern, why).
FORBIDDEN_IF = (
    (
        lambda s: s.buurten == 1,
        r"\bbeide buurten\b|\bin alle buurten\b|\bin elke buurt\b",
        "more than one buurt named in a study of one",
    ),
    (
        lambda s: s.buurten > 2,
        r"\bin beide buurten\b",
        "'in beide buurten' in a study of 3+ buurten",
    ),
    (lambda s: s.waves == 2, r"\b(?:drie|vier|vijf) metingen\b", "more waves than the study"),
    (
        lambda s: s.buurten == 1,
        r"\bgeen groepen\b|\bsamen 0\b",
        "app groups of a buurt not in the study",
    ),
)
#: Phrases of the summary that say the groups differ at the baseline.
BASELINE_DIFFERENCE = (
    r"verschillen van niet-deelnemers",
    r"al bij aanvang verschil",
    r"bij aanvang .{0,40}(?:hoger|lager|vaker|minder)",
)


@dataclass
class Findings:
    """What the report made of one generated set (small, so a worker can send it back)."""

    seed: int
    scenario: Scenario
    error: str = ""
    claims: int = 0
    false_claims: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    summary_baseline: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"generate({self.seed}, {self.scenario!r})"


def _visible(html: str) -> str:
    """The text a reader sees: no style, no tags, entities resolved, white space collapsed."""
    body = re.sub(r"<style>.*?</style>|<head>.*?</head>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _summary(html: str) -> str:
    """The visible text of the samenvatting (up to chapter 1)."""
    start = html.find('id="samenvatting"')
    end = html.find('id="inleiding"', start)
    return _visible(html[start:end]) if start >= 0 else ""


def _build(study: ResultSet, folder: Path) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """Write the set as CSV and build the context and HTML from the files, as the rule does."""
    paths = study.write(folder)
    names = (*SURVEY_TABLES, *CHAT_TABLES)
    tables = {n: p for n, p in paths["tables"].items() if n in names}
    resources = {**RESOURCES, "codebook": paths["codebook"]}
    context = build.report_context(
        tables, study.config, resources, FIGURES, "2026-01-01", (), study.scenario.panel
    )
    return context, build.render_context(context, resources), paths


def _quote(text: str, m: re.Match, before: int = 60, after: int = 30) -> str:
    return f"...{text[max(m.start() - before, 0) : m.end() + after]}..."


def forbidden_text(text: str, scenario: Scenario) -> list[str]:
    """Every match of :data:`FORBIDDEN` and, for this design, :data:`FORBIDDEN_IF`.

    Each line starts with its property (``missing: ...``, ``design: ...``).
    """
    rules = [(group, p, why) for group, items in FORBIDDEN.items() for p, why in items]
    rules += [("design", p, why) for test, p, why in FORBIDDEN_IF if test(scenario)]
    return [
        f"{group}: {why}: {_quote(text, m)}"
        for group, p, why in rules
        for m in re.finditer(p, text)
    ]


def examine(seed: int, scenario: Scenario, folder: Path) -> Findings:
    """Generate one set, build the report, and check every property on it."""
    study = generate(seed, scenario)
    try:
        context, html, paths = _build(study, folder)
    except Exception as why:
        return Findings(seed, scenario, error=f"{type(why).__name__}: {why}")
    claims = context.get("claims", [])
    false = check_claims(claims, load_tables(paths["tables"]))
    summary = _summary(html)
    baseline = []
    if scenario.effects == "baseline_half":
        baseline = [
            _quote(summary, m, 80, 40) for p in BASELINE_DIFFERENCE for m in re.finditer(p, summary)
        ]
    return Findings(
        seed,
        scenario,
        claims=len(claims),
        false_claims=tuple(false),
        forbidden=tuple(forbidden_text(_visible(html), scenario)),
        summary_baseline=tuple(baseline),
    )


def _sets() -> list[tuple[int, Scenario]]:
    grid = list(itertools.islice(scenario_grid(), SETS))
    return [*enumerate(grid), *EXTRA]


def _examine_all(base: Path, sets: list[tuple[int, Scenario]]) -> list[Findings]:
    """:func:`examine` on every set, in two processes (the CI's two cores)."""
    folders = [base / f"set{seed}" for seed, _ in sets]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
        return list(pool.map(examine, *zip(*sets, strict=True), folders, chunksize=4))


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> list[Findings]:
    """Every set examined once, for all the properties."""
    started = time.monotonic()
    out = _examine_all(tmp_path_factory.mktemp("sets"), _sets())
    print(f"{len(out)} result sets examined in {time.monotonic() - started:.0f} s")
    return out


def _report(failures: list[str], limit: int = 8) -> str:
    return f"{len(failures)} failures; first:\n" + "\n".join(failures[:limit])


# --- the generator --------------------------------------------------------------


def test_the_sets_cover_every_scenario():
    scenarios = [s for _, s in _sets()]
    assert len(scenarios) >= 200
    assert {s.effects for s in scenarios} == set(EFFECTS)
    assert {s.waves for s in scenarios} == {2, 3, 4, 5}
    assert {s.buurten for s in scenarios} == {1, 2, 3, 4}
    for flag in ("panel", "chats", "published", "small_cells"):
        assert {getattr(s, flag) for s in scenarios} == {True, False}, flag
    assert any(s.shown for s in scenarios)


def test_generated_tables_have_the_columns_of_the_data_dictionary():
    columns = table_columns()
    for seed, scenario in _sets()[:12]:
        study = generate(seed, scenario)
        for name, frame in study.tables.items():
            assert list(frame.columns) == columns[name], (name, scenario)


def test_generated_tables_read_back_with_the_dtypes_of_a_real_run(tmp_path):
    """After the CSV round trip, each column has the dtype kind of ``results/tables`` of a run."""
    results = ROOT / "results" / "tables"
    if not (results / "baseline.csv").exists():
        pytest.skip("no results/tables of a workflow run in this checkout")
    study = generate(1, Scenario(effects="mixed", waves=2, buurten=2))
    generated = load_tables(study.write(tmp_path)["tables"])
    real = load_tables(
        {n: results / f"{n}.csv" for n in generated if (results / f"{n}.csv").exists()}
    )
    differ = {
        (name, c): (str(generated[name][c].dtype), str(frame[c].dtype))
        for name, frame in real.items()
        for c in frame.columns
        if c in generated[name] and generated[name][c].dtype.kind != frame[c].dtype.kind
    }
    assert not differ


def test_generated_values_are_consistent():
    """N of indicators = N of baseline; p from t and df; d from the means and SDs."""
    from scipy import stats

    study = generate(3, Scenario(effects="mixed", waves=3, buurten=2))
    t = study.tables
    base = t["baseline"]
    first = study.config["waves"][0]["id"]
    cells = t["indicators"].set_index(["indicator", "buurt", "groep", "wave"])
    for r in base.itertuples():
        assert cells.loc[(r.indicator, r.buurt, "E", first), "n"] == r.n_e
        assert cells.loc[(r.indicator, r.buurt, "C", first), "mean"] == pytest.approx(r.mean_c)
        assert 2 * stats.t.sf(abs(r.t), r.df) == pytest.approx(r.p)
        pooled = ((r.n_e - 1) * r.sd_e**2 + (r.n_c - 1) * r.sd_c**2) / (r.n_e + r.n_c - 2)
        assert (r.mean_e - r.mean_c) / pooled**0.5 == pytest.approx(r.d)
    did = t["did"]
    assert (did["p_holm"] >= did["p"] - 1e-12).all()
    flow = t["flow"]
    for wave, part in flow.groupby("wave"):
        total = part.loc[part["outcome"] == "total", "n"].iloc[0]
        assert total == part.loc[part["outcome"] != "total", "n"].sum(), wave


def test_every_baseline_p_is_one_half_in_that_scenario():
    study = generate(1000, Scenario(effects="baseline_half"))
    assert study.tables["baseline"]["p"].to_numpy() == pytest.approx(0.5)


def test_same_seed_same_set():
    a = generate(5, Scenario(waves=4, buurten=3))
    b = generate(5, Scenario(waves=4, buurten=3))
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


# --- the report on every set ------------------------------------------------------


def test_report_builds_on_every_set(findings):
    failures = [f"{f.label}: {f.error}" for f in findings if f.error]
    assert not failures, _report(failures)


def test_report_context_and_render_context_are_report_html(tmp_path):
    """The two steps the test takes give what ``report_html`` gives (one set)."""
    study = generate(7, Scenario(effects="mixed", waves=3, buurten=2))
    _, html, paths = _build(study, tmp_path)
    names = (*SURVEY_TABLES, *CHAT_TABLES)
    tables = {n: p for n, p in paths["tables"].items() if n in names}
    resources = {**RESOURCES, "codebook": paths["codebook"]}
    again = build.report_html(
        tables, study.config, resources, FIGURES, "2026-01-01", (), study.scenario.panel
    )
    assert again == html


def _false_claims(findings: list[Findings], hidden: bool) -> list[str]:
    return [
        f"{f.label}: {line}"
        for f in findings
        if bool(f.scenario.shown) == hidden
        for line in f.false_claims
    ]


def test_no_false_claims_when_every_buurt_is_shown(findings):
    failures = _false_claims(findings, hidden=False)
    assert not failures, _report(failures)


def test_no_false_claims_when_buurten_are_hidden(findings):
    assert any(f.scenario.shown for f in findings)
    failures = _false_claims(findings, hidden=True)
    assert not failures, _report(failures)


def test_every_set_makes_claims(findings):
    empty = [f.label for f in findings if not f.error and not f.claims]
    assert not empty, _report(empty)


def _forbidden(findings: list[Findings], group: str) -> list[str]:
    return [
        f"{f.label}: {line}"
        for f in findings
        for line in f.forbidden
        if line.startswith(f"{group}: ")
    ]


def test_no_missing_values_or_template_syntax_in_the_text(findings):
    failures = _forbidden(findings, "missing")
    assert not failures, _report(failures)


def test_no_english_words_or_ids_from_the_code_in_the_text(findings):
    failures = _forbidden(findings, "code")
    assert not failures, _report(failures)


def test_no_known_mistake_in_dutch_counts_plurals_or_lists(findings):
    failures = _forbidden(findings, "dutch")
    assert not failures, _report(failures)


def test_no_wording_known_to_contradict_the_design(findings):
    failures = _forbidden(findings, "design")
    assert not failures, _report(failures)


def test_forbidden_patterns_catch_what_they_name():
    """The patterns as data: each bad example is caught, the good ones are not."""
    bad = [
        "1 respondenten",
        "2 respondent.",
        "een van de 1 buurten",
        "in vier van de vier buurten",
        "Lombardijen, Bloemhof, en Carnisse",
        "de alertheid, de meldingsbereidheid, en de sociale cohesie",
        "p = nan",
        "not reproduced",
        "alle één buurt",
        "sociale_cohesie",
    ]
    good = [
        "1 respondent",
        "2 respondenten",
        "in alle vier buurten",
        "Lombardijen, Bloemhof en Carnisse",
        "het melden van verdachte situaties, en werken met het protocol",
        "via app_groups[].members_at_start",
        "één buurt",
        "twee metingen (voormeting en nameting)",
    ]
    patterns = [p for items in FORBIDDEN.values() for p, _ in items]
    for example in bad:
        assert any(re.search(p, example) for p in patterns), example
    for example in good:
        assert not any(re.search(p, example) for p in patterns), example


def test_summary_claims_no_baseline_difference_when_every_baseline_p_is_half(findings):
    assert any(f.scenario.effects == "baseline_half" and not f.error for f in findings)
    failures = [f"{f.label}: {line}" for f in findings for line in f.summary_baseline]
    assert not failures, _report(failures)


@pytest.mark.e2e
def test_pdf_of_a_generated_set(tmp_path):
    """One set through WeasyPrint: the PDF renders (slow, so e2e)."""
    from buurtpreventie.report.render import write_pdf

    _, html, _ = _build(generate(*EXTRA[2]), tmp_path / "set")
    target = tmp_path / "rapport.pdf"
    write_pdf(html, tmp_path / "rapport.html", target)
    assert target.read_bytes()[:5] == b"%PDF-"
