"""The real workflow, end to end, on the shipped synthetic data (in a temporary copy).

Runs `snakemake` as a user would: the whole DAG, a second call that has nothing
to do, a scan of every output for personal data, and runs that must stop on
bad input or bad config without leaving outputs or touching the inputs.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.survey.codebook import load_codebook, normalise_text
from buurtpreventie.survey.exports import read_export
from buurtpreventie.survey.pseudonym import normalise_phone

pytestmark = pytest.mark.e2e

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")
SKIP = {
    ".git",
    ".venv",
    "results",
    "logs",
    ".snakemake",
    ".pytest_cache",
    ".ruff_cache",
    "benchmarks",
}
KEY = "e2e-test-panel-key"


def _copy_workflow(target: Path) -> Path:
    def ignore(directory, names):
        return {n for n in names if n in SKIP or n == "__pycache__" or n.endswith(".egg-info")}

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def _snakemake(workdir: Path, *args: str, key: str | None = KEY) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BUURTPREVENTIE_PANEL_KEY"}
    if key:
        env["BUURTPREVENTIE_PANEL_KEY"] = key
    return subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    workdir = _copy_workflow(tmp_path_factory.mktemp("e2e") / "study")
    hashes = {
        p: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (workdir / "resources").rglob("*")
        if p.is_file()
    }
    first = _snakemake(workdir)
    assert first.returncode == 0, first.stdout + first.stderr
    second = _snakemake(workdir, "--dry-run")
    return workdir, first, second, hashes


def test_whole_dag_builds_the_tables(study):
    workdir, *_ = study
    for name in ("flow", "respondents", "indicators"):
        assert (workdir / "results" / "tables" / f"{name}.csv").stat().st_size > 0
    respondents = pd.read_csv(workdir / "results" / "tables" / "respondents.csv")
    counts = respondents.set_index(["buurt", "groep", "wave"])["n"]
    # Table 1 of the report.
    assert counts[("lombardijen", "E", "voormeting")] == 82
    assert counts[("essenburgbuurt", "C", "nameting")] == 67


def test_second_call_has_nothing_to_do(study):
    _, _, second, _ = study
    assert second.returncode == 0
    assert "Nothing to be done" in second.stdout + second.stderr


def test_every_raw_row_is_accounted_for(study):
    workdir, *_ = study
    flow = pd.read_csv(workdir / "results" / "tables" / "flow.csv", keep_default_na=False)
    for wave in ("voormeting", "nameting"):
        rows = len(read_export(workdir / "resources" / "survey" / f"{wave}.csv").rows)
        part = flow[flow["wave"] == wave]
        assert part.loc[part["outcome"] == "total", "n"].item() == rows
        assert part.loc[part["outcome"] != "total", "n"].sum() == rows
        assert (part.loc[part["outcome"] == "excluded", "n"] > 0).all()


def test_inputs_are_untouched(study):
    _, _, _, hashes = study
    for path, digest in hashes.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, path


def _personal_values(
    workdir: Path, survey: str = "resources/survey", codebook: str = "resources/codebook.yaml"
) -> set[str]:
    """Every personal value in the raw exports: metadata and questions 22-25."""
    codebook = load_codebook(workdir / codebook)
    personal_headings = codebook.personal_metadata | {
        normalise_text(q.text) for q in codebook.questions if q.personal
    }
    values: set[str] = set()
    for export in sorted((workdir / survey).glob("*.csv")):
        raw = read_export(export)
        columns = [i for i, h in enumerate(raw.headings) if normalise_text(h) in personal_headings]
        for row in raw.rows:
            for i in columns:
                if row[i].strip():
                    values.add(row[i].strip())
                    if normalise_phone(row[i]):
                        values.add(normalise_phone(row[i]))
    return values


def _chat_names(workdir: Path, chats: str = "resources/chat") -> set[str]:
    """Sender names in the raw chat exports, and the roster's names (independent regexes)."""
    import re

    import yaml

    android = re.compile(r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2} - ([^:]+): ")
    ios = re.compile(r"^\[[^\]]+\] ([^:]+): (?!\u200e)")
    names: set[str] = set()
    for export in (workdir / chats).glob("*.txt"):
        for line in export.read_text(encoding="utf-8").splitlines():
            match = android.match(line) or ios.match(line)
            if match:
                names.add(match.group(1).strip())
    roster = yaml.safe_load((workdir / chats / "roster.yaml").read_text(encoding="utf-8"))
    return names | set(roster)


def _output_texts(workdir: Path):
    for folder in ("results", "logs", "report"):
        for path in sorted((workdir / folder).rglob("*")):
            if not path.is_file():
                continue
            if path.suffix == ".parquet":
                yield path, pd.read_parquet(path).to_csv()
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def assert_no_personal_data(workdir: Path, values: set[str]) -> None:
    """No personal value, in any case, in any file under results/, logs/ or report/."""
    lowered = {v.lower() for v in values}
    for path, text in _output_texts(workdir):
        text = text.lower()
        hits = sorted(v for v in lowered if v in text)
        assert not hits, f"{path} holds personal data: {hits[:5]}"


def test_no_personal_data_in_any_output(study):
    workdir, *_ = study
    values = _personal_values(workdir)
    assert len(values) > 400  # the synthetic exports do carry contact details
    names = _chat_names(workdir)
    assert len(names) > 200  # and the chats carry names
    assert_no_personal_data(workdir, values | names)


def test_panel_pseudonyms_link_across_waves(study):
    workdir, *_ = study
    before = pd.read_parquet(workdir / "results" / "respondents" / "voormeting.parquet")
    after = pd.read_parquet(workdir / "results" / "respondents" / "nameting.parquet")
    assert before["pseudonym"].notna().sum() == 216
    linked = after.dropna(subset=["pseudonym"]).merge(
        before.dropna(subset=["pseudonym"]), on="pseudonym", suffixes=("", "_voor")
    )
    assert len(linked) == 57
    assert (linked["groep"] == linked["groep_voor"]).all()


@pytest.fixture
def scratch(tmp_path):
    return _copy_workflow(tmp_path / "scratch")


def test_bad_input_stops_with_file_row_and_column(scratch):
    source = scratch / "resources" / "survey" / "voormeting.csv"
    broken = scratch / "resources" / "survey" / "voormeting-broken.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    column = next(i for i, h in enumerate(table[0]) if h.startswith("Hoe vaak ziet u situaties"))
    table[5][column] = "Heel vaak"  # row 6 as a spreadsheet counts
    with broken.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table)
    before = broken.read_bytes()
    overlay = scratch / "broken.yaml"
    overlay.write_text(
        "waves:\n"
        "  - {id: voormeting, label: Voormeting, fieldwork: 2020-06,"
        " exports: [resources/survey/voormeting-broken.csv]}\n",
        encoding="utf-8",
    )
    result = _snakemake(scratch, "--configfile", str(overlay))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "voormeting-broken.csv, row 6" in output
    assert "column 'Hoe vaak ziet u situaties" in output and "question q4" in output
    assert "Heel vaak" not in output  # the cell is described, never repeated
    assert not (scratch / "results" / "respondents" / "voormeting.parquet").exists()
    assert broken.read_bytes() == before


@pytest.mark.parametrize(
    ("overlay", "named"),
    [("wavez: []\n", "wavez"), ("scales: {min_answered: 0}\n", "min_answered")],
)
def test_bad_config_stops_naming_the_key(scratch, overlay, named):
    path = scratch / "bad.yaml"
    path.write_text(overlay, encoding="utf-8")
    result = _snakemake(scratch, "--dry-run", "--configfile", str(path))
    assert result.returncode != 0
    assert named in result.stdout + result.stderr


def test_synthetic_study_is_calibrated_to_the_published_tables(study):
    """The shipped (synthetic) study's tables agree with the published ones, by construction.

    The synthetic exports were generated to match the published tables
    (synthetic.calibrate and synthetic.generate), so agreement here shows that
    the pipeline recovers the calibration targets; it is no independent
    reproduction of the published report.
    """
    from test_calibration_method import assert_calibrated

    workdir, *_ = study
    comparison = pd.read_csv(workdir / "results" / "tables" / "published_vs_reproduced.csv")
    assert_calibrated(comparison)
    reliability = pd.read_csv(workdir / "results" / "tables" / "reliability.csv")
    assert set(reliability["wave"]) == {"voormeting", "nameting"}


def test_every_table_is_in_the_data_dictionary(study):
    """The run makes exactly the registered tables and figures, tables with their columns."""
    from buurtpreventie.registry import load_registry

    workdir, *_ = study
    registry = load_registry(ROOT / "resources" / "tables.yaml")
    produced = {p.stem: p for p in (workdir / "results" / "tables").glob("*.csv")}
    assert set(produced) == {table.name for table in registry.tables}
    for table in registry.tables:
        header = pd.read_csv(produced[table.name], nrows=0).columns.tolist()
        assert header == list(table.columns), table.name
    for figure in registry.figures:
        assert (workdir / figure.file).is_file(), figure.file
        assert figure.png is None or (workdir / figure.png).is_file(), figure.png


# Table 5 of the report: per intervention, Lombardijen and Essenburgbuurt.
TABLE_5 = {
    1: ("~", "="), 2: ("~", "✓"), 3: ("X", "X"), 4: ("~", "="), 5: ("X", "X"), 6: ("~", "="),
    7: ("=", "="), 8: ("✓", "="), 9: ("X", "X"), 10: ("X", "X"), 11: ("✓", "~"),
}  # fmt: skip


def test_table_5_scores_equal_the_recorded_judgements(study):
    """The scores of interventions.csv are the judgements of judgements.yaml, i.e. table 5.

    The score column is copied from ``resources/chat/judgements.yaml``, which
    records the report's table 5: this checks the copying, not the chats.
    """
    import yaml

    workdir, *_ = study
    table = pd.read_csv(workdir / "results" / "tables" / "interventions.csv")
    scores = table.set_index(["intervention", "buurt"])
    judgements = yaml.safe_load(
        (workdir / "resources" / "chat" / "judgements.yaml").read_text(encoding="utf-8")
    )
    for number, (lombardijen, essenburg) in TABLE_5.items():
        assert scores.loc[(number, "lombardijen"), "score"] == lombardijen
        assert scores.loc[(number, "essenburgbuurt"), "score"] == essenburg
    for buurt, judged in judgements.items():
        for number, entry in judged.items():
            assert scores.loc[(number, buurt), "score"] == entry["score"], (number, buurt)


def test_rule_on_the_synthetic_chats_agrees_with_the_judgement_in_every_cell(study):
    """The mechanical rule (chat.scoring.rule_score), computed from the coded chats, gives table 5.

    ``agree`` is whether the rule's ``computed_score`` equals the judgement.
    The shipped chats are synthetic, and their code counts
    (synthetic.chats.CODE_COUNTS) were set from table 5, so the agreement is by
    construction: it shows that the rule, its thresholds and the chat pipeline
    recover what the generator planted, not that the rule matches the
    researchers' judgement on real chats.
    """
    workdir, *_ = study
    table = pd.read_csv(workdir / "results" / "tables" / "interventions.csv")
    assert (table["agree"] == (table["score"] == table["computed_score"])).all()
    computed = table.set_index(["intervention", "buurt"])["computed_score"]
    for number, (lombardijen, essenburg) in TABLE_5.items():
        assert computed[(number, "lombardijen")] == lombardijen
        assert computed[(number, "essenburgbuurt")] == essenburg
    assert table["agree"].all()


def test_group_sizes_from_the_chats(study):
    workdir, *_ = study
    members = pd.read_csv(workdir / "results" / "tables" / "members.csv", dtype={"month": str})
    size = members.set_index(["group", "month"])["size"]
    # At the start of the experiment (end of August 2020): 77, 68, 44 and 107.
    assert [size[(g, "2020-08")] for g in ("zenobuurt", "smeets_karlmarx", "molierebuurt")] == [
        77,
        68,
        44,
    ]
    assert size[("essenburg", "2020-08")] == 107
    assert size[("essenburg", "2021-08")] - size[("essenburg", "2020-08")] == 21
    lombardijen = sum(
        size[(g, "2021-08")] - size[(g, "2020-08")]
        for g in ("zenobuurt", "smeets_karlmarx", "molierebuurt")
    )
    assert abs(lombardijen) <= 3
    for figure in ("chat_activity", "chat_members"):
        assert (workdir / "results" / "figures" / f"{figure}.svg").stat().st_size > 10_000


@pytest.fixture(scope="module")
def second_study(tmp_path_factory):
    workdir = _copy_workflow(tmp_path_factory.mktemp("e2e-again") / "study")
    result = _snakemake(workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir


def test_two_clean_runs_give_identical_tables(study, second_study):
    first, *_ = study
    tables = sorted((first / "results" / "tables").glob("*.csv"))
    assert len(tables) > 15
    for table in tables:
        again = second_study / "results" / "tables" / table.name
        assert table.read_bytes() == again.read_bytes(), table.name
    pdf = "results/report/rapport.pdf"
    assert (first / pdf).read_bytes() == (second_study / pdf).read_bytes()


def test_report_captions_cite_their_provenance(study):
    from pypdf import PdfReader

    workdir, *_ = study
    text = "\n".join(
        page.extract_text() for page in PdfReader(workdir / "results/report/rapport.pdf").pages
    )
    text = " ".join(text.split())
    digest = hashlib.sha256((workdir / "results/tables/baseline.csv").read_bytes()).hexdigest()[:8]
    assert f"Bron: baseline.csv (regel comparisons, hash {digest})" in text
    assert "Herkomst van de tabellen" in text and "resources/survey/voormeting.csv" in text


def test_a_changed_script_reruns_exactly_what_depends_on_it(second_study):
    script = second_study / "scripts" / "reliability.py"
    script.write_text(script.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    result = _snakemake(second_study, "--dry-run")
    output = result.stdout + result.stderr
    assert "rule reliability:" in output
    assert "rule published_vs_reproduced:" in output  # it reads reliability.csv
    for unaffected in (
        "ingest_wave",
        "comparisons",
        "parse_chat",
        "chat_tables",
        "audit_published",
    ):
        assert f"rule {unaffected}:" not in output, unaffected


def test_a_changed_package_module_reruns_the_rules_that_import_it(second_study):
    module = second_study / "src" / "buurtpreventie" / "stats" / "cellstats.py"
    original, stamp = module.read_text(encoding="utf-8"), module.stat()
    module.write_text(original + "\n# changed\n", encoding="utf-8")
    try:
        result = _snakemake(second_study, "--dry-run")
    finally:  # as it was, mtime included, for the tests after this one
        module.write_text(original, encoding="utf-8")
        os.utime(module, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    output = result.stdout + result.stderr
    # cellstats is imported by compare and models: the comparisons and the DiD
    for affected in ("comparisons", "difference_in_differences"):
        assert f"rule {affected}:" in output, affected
    for unaffected in ("ingest_wave", "flow_table", "parse_chat", "describe_respondents"):
        assert f"rule {unaffected}:" not in output, unaffected


def test_one_changed_byte_in_a_raw_export_is_drift_and_a_rerun(second_study):
    export = second_study / "resources" / "survey" / "nameting.csv"
    data = bytearray(export.read_bytes())
    position = data.index(b"192.0.2.") + 8  # a digit of an IP address
    data[position] = ord("7") if data[position] != ord("7") else ord("8")
    export.write_bytes(bytes(data))
    trace = subprocess.run(
        [
            str(Path(sys.executable).parent / "buurtpreventie"),
            "trace",
            "results/tables/baseline.csv",
        ],
        cwd=second_study,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert trace.returncode == 1
    drifted = [line for line in trace.stdout.splitlines() if "DRIFT" in line]
    assert drifted and all("resources/survey/nameting.csv" in line for line in drifted)
    dry = _snakemake(second_study, "--dry-run")
    assert "rule ingest_wave:" in dry.stdout + dry.stderr


def test_trace_reaches_every_raw_file_of_the_report(study):
    from buurtpreventie.provenance import load_records, trace

    workdir, *_ = study
    records = load_records(workdir / "results" / "provenance")
    report = next(r for r in records if r["rule"] == "report")
    leaves: set[str] = set()
    for entry in report["used"]:
        if entry["path"].startswith("results/") and "/provenance/" not in entry["path"]:
            node = trace(entry["path"], records)
            assert node.record is not None, entry["path"]
            leaves |= {n.path for n in node.walk() if n.record is None}
    raw = {
        "resources/survey/voormeting.csv",
        "resources/survey/nameting.csv",
        "resources/codebook.yaml",
        "resources/chat/coded_segments.xlsx",
        "resources/chat/roster.yaml",
        *(
            f"resources/chat/{group}.txt"
            for group in ("zenobuurt", "smeets_karlmarx", "molierebuurt", "essenburg")
        ),
        *(f"resources/published/tabel{i}.csv" for i in (1, 2, 3, 4, 6)),
    }
    assert raw <= leaves
    assert all((workdir / leaf).is_file() for leaf in leaves)


def test_trace_command_follows_a_table_to_the_raw_exports(study):
    workdir, *_ = study
    result = subprocess.run(
        [str(Path(sys.executable).parent / "buurtpreventie"), "trace", "Tabel 4"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "results/tables/baseline.csv" in result.stdout
    assert "resources/survey/voormeting.csv" in result.stdout and "[raw input]" in result.stdout
    assert "DRIFT" not in result.stdout and "MISSING" not in result.stdout


def test_snakemake_report_registers_the_tables(study):
    workdir, *_ = study
    result = _snakemake(workdir, "--report", "results/snakemake-report.html")
    assert result.returncode == 0, result.stdout + result.stderr
    html = (workdir / "results" / "snakemake-report.html").read_text(
        encoding="utf-8", errors="replace"
    )
    for name in ("baseline.csv", "prepost.csv", "interventions.csv", "chat_activity.png"):
        assert name in html, name


# --- A third wave, added with an overlay and an export only (keep these tests last:
# --- they add the wave to the `study` workdir).


# Before the three-wave tests below, which run another config in the same folder:
# its run leaves the first run's published-comparison records behind, and the
# PROV document (rightly) describes only the jobs of the last run.
def test_prov_and_crate_cover_every_job_of_the_run(study):
    """rule run_provenance: every job's record is an activity of the PROV document, and
    the crate holds every file a job made with its sha256 (the rest is tested on
    made-up records in tests/test_prov_standards.py)."""
    import json

    from rocrate.rocrate import ROCrate

    workdir, *_ = study
    folder = workdir / "results" / "provenance"
    document = json.loads((folder / "run.prov.json").read_text(encoding="utf-8"))
    jobs = {v["prov:label"] for v in document["activity"].values()}
    records = [p for p in folder.rglob("*.json") if p.name != "run.prov.json"]
    assert jobs == {p.relative_to(folder).with_suffix("").as_posix() for p in records}
    crate = ROCrate(workdir / "results")
    for path in records:
        for entry in json.loads(path.read_text(encoding="utf-8"))["generated"]:
            entity = crate.dereference(str(Path(entry["path"]).relative_to("results")))
            assert entity["sha256"] == entry["sha256"], entry["path"]


OVERLAY = "config/examples/derde-meting.yaml"


def test_third_wave_dry_run_leaves_the_chat_reconstruction_alone(study):
    workdir, *_ = study
    result = _snakemake(workdir, "--dry-run", "--configfile", OVERLAY)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "rule ingest_wave:" in output and "rule comparisons:" in output
    for unaffected in (
        "parse_chat",
        "chat_tables",
        "score_interventions",
        "chat_figures",
        "audit_published",
    ):
        assert f"rule {unaffected}:" not in output, unaffected


@pytest.fixture(scope="module")
def three_waves(study):
    workdir, *_ = study
    result = _snakemake(workdir, "--configfile", OVERLAY)
    assert result.returncode == 0, result.stdout + result.stderr
    return workdir


def test_third_wave_reaches_every_table(three_waves):
    tables = three_waves / "results" / "tables"
    respondents = pd.read_csv(tables / "respondents.csv")
    assert set(respondents["wave"]) == {"voormeting", "nameting", "derde_meting"}
    prepost = pd.read_csv(tables / "prepost.csv")
    pairs = set(zip(prepost["wave_from"], prepost["wave_to"], prepost["kind"], strict=True))
    assert pairs == {
        ("voormeting", "nameting", "baseline"),
        ("voormeting", "derde_meting", "baseline"),
        ("nameting", "derde_meting", "consecutive"),
    }
    did = pd.read_csv(tables / "did.csv")
    assert set(did["wave_to"]) == {"nameting", "derde_meting"} and did["estimate"].notna().all()
    attrition = pd.read_csv(tables / "attrition.csv")
    assert (attrition["pattern"] == "voormeting+nameting+derde_meting").any()
    log = (three_waves / "logs" / "ingest" / "ingest_wave" / "derde_meting.log").read_text(
        encoding="utf-8"
    )
    assert "unknown question" in log and "bijeenkomst van de appgroep" in log
    # The report names the third wave in its tables and text.
    from pypdf import PdfReader

    pdf = PdfReader(three_waves / "results" / "report" / "rapport.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert text.count("Derde meting") + text.count("derde meting") >= 5
    # The experimental groups improve on the two indicators the example wave raises.
    indicators = pd.read_csv(tables / "indicators.csv").set_index(
        ["indicator", "buurt", "groep", "wave"]
    )
    for buurt in ("lombardijen", "essenburgbuurt"):
        before = indicators.loc[("rapportcijfer", buurt, "E", "nameting"), "mean"]
        assert indicators.loc[("rapportcijfer", buurt, "E", "derde_meting"), "mean"] > before
