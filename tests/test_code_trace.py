"""``buurtpreventie trace --code``: the code path of every table and figure, as file:line.

The chain of each registered table and figure is checked against the files
themselves: every place it names exists and its line says what the chain claims
(``rule <name>:``, ``def <function>``, the call, the caption key). The rules are
looked for in every ``workflow/rules/*.smk``, whichever file holds them now.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from conftest import ROOT

from buurtpreventie import cli
from buurtpreventie.codetrace import (
    CONTEXT_FILE,
    call_line,
    code_trace,
    context_reads,
    def_line,
    package_calls,
    rule_line,
    rule_script,
    schema_key_line,
    template_uses,
    upstream_rules,
    yaml_key_line,
)
from buurtpreventie.registry import load_registry

ENTRIES = list(load_registry())


def _line(path: str, number: int) -> str:
    """The line of a file of the repository, read here (not taken from the chain)."""
    file = ROOT / path
    assert file.is_file(), path
    lines = file.read_text(encoding="utf-8").splitlines()
    assert 1 <= number <= len(lines), f"{path}:{number}"
    return lines[number - 1]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_every_table_and_figure_has_its_whole_chain(entry):
    chain = code_trace(entry)
    assert chain.missing == []
    assert chain.steps <= 5  # config -> rule -> script -> code -> file -> report
    assert [link.kind for link in chain.chain] == ["rule", "script", "code", entry.kind, "report"]

    assert [link.label for link in chain.config] == list(entry.config)
    for link in chain.config:
        (place,) = link.places
        assert place.path in ("config.yaml", "workflow/schemas/config.schema.yaml")
        key = link.label.rsplit(".", 1)[-1]
        assert re.match(rf"\s*{re.escape(key)}\s*:", _line(place.path, place.line))

    rule, script, code, output, report = chain.chain
    assert rule.places[0].label == entry.rule
    for place in rule.places:  # the rule, and the upstream rule when it only gathers
        assert re.fullmatch(r"workflow/rules/[^/]+\.smk", place.path)
        assert _line(place.path, place.line).startswith(f"rule {place.label}:")

    function = entry.function.rsplit(".", 1)[1]
    place = script.places[0]
    assert place.path.startswith("scripts/") and place.path.endswith(".py")
    if len(script.places) == 1:  # the script calls it
        assert function in _line(place.path, place.line)
    else:  # the script calls a package function, whose line calls it
        wrapper, inner = place.label, script.places[1]
        assert len(script.places) == 2 and wrapper.startswith("buurtpreventie.")
        assert wrapper.rsplit(".", 1)[1] + "(" in _line(place.path, place.line)
        assert inner.path.startswith("src/buurtpreventie/")
        assert function + "(" in _line(inner.path, inner.line)

    (place,) = code.places
    assert code.label == entry.function
    assert place.path == "src/buurtpreventie/" + "/".join(entry.function.split(".")[1:-1]) + ".py"
    assert re.match(rf"\s*def {function}\(", _line(place.path, place.line))

    (place,) = output.places
    assert output.label == entry.file and place.path == "resources/tables.yaml"
    assert _line(place.path, place.line).strip() == f"{entry.name}:"

    keys = (*entry.captions, *entry.appendix_captions)
    if keys:
        assert {p.note.split("'")[1] for p in report.places} == set(keys)
        macro = "caption" if entry.kind == "table" else "figure"
        for place in report.places:
            key = place.note.split("'")[1]
            assert place.path.startswith("report/templates/") and place.path.endswith(".j2")
            assert f"{macro}('{key}" in _line(place.path, place.line)
    elif entry.report_input:
        assert report.places and report.note == "read by the report context"
        for place in report.places:
            assert place.path == CONTEXT_FILE
            assert f'"{entry.name}"' in _line(place.path, place.line)
    else:
        assert report.places == () and report.note == "not read by the report"


def test_cli_trace_code_tabel_4(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # works from anywhere: the package's registry and repository
    assert cli.main(["trace", "--code", "Tabel 4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Tabel 4 → baseline (results/tables/baseline.csv)"
    expected = [
        r"  config    waves            config\.yaml:\d+",
        r"            codebook         config\.yaml:\d+",
        r"  → rule    comparisons      workflow/rules/\w+\.smk:\d+",
        r"  → script  scripts/comparisons\.py:\d+",
        r"  → code    buurtpreventie\.stats\.compare\.baseline_comparisons"
        r"  src/buurtpreventie/stats/compare\.py:\d+",
        r"  → table   results/tables/baseline\.csv"
        r"  \(registered at resources/tables\.yaml:\d+; (on disk|not made yet)\)",
        r"  → report  report/templates/bevindingen\.html\.j2:\d+ \(caption 'voormeting'\)",
    ]
    for pattern, line in zip(expected, lines[1:], strict=False):
        assert re.fullmatch(pattern, line), (pattern, line)
    assert sum(line.startswith("  → ") for line in lines) == 5
    assert any(
        re.search(r"bijlage_buurten\.html\.j2:\d+ \(caption 'buurten-voormeting'\)", x)
        for x in lines
    )


def test_cli_trace_code_unknown_label_is_one_line(capsys):
    assert cli.main(["trace", "--code", "Tabel 99"]) != 0
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "Tabel 99" in err


def test_a_link_not_found_is_named_and_exits_1(tmp_path, capsys, monkeypatch):
    """A made-up repository whose script no longer calls the function."""
    files = {
        "config.yaml": "waves:\n  - id: v\ncodebook: c.yaml\n",
        "workflow/schemas/config.schema.yaml": "properties:\n  waves: {type: array}\n",
        "workflow/rules/stats.smk": 'rule comparisons:\n    script:\n        "../../scripts/c.py"',
        "scripts/c.py": "from x import baseline_comparisons\n\nprint('nothing')\n",
        "resources/tables.yaml": "tables:\n  baseline:\n    rule: comparisons\n",
        "report/templates/b.html.j2": "{{ x.caption('voormeting', 'T') }}\n",
        "report/templates/c.html.j2": "{{ x.caption('voormeting-extra', 'T') }}\n",
        CONTEXT_FILE: "",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    entry = load_registry().get("baseline")
    chain = code_trace(entry, root=tmp_path)
    assert chain.missing == [
        "script scripts/c.py: scripts/c.py does not use baseline_comparisons,"
        " nor a package function that calls it",
        "report voormeting, voormeting-extra, buurten-voormeting:"
        " no template uses ['buurten-voormeting']",
    ]
    assert [str(p) for p in chain.chain[0].places] == ["workflow/rules/stats.smk:1"]
    assert [str(p) for p in chain.chain[-1].places] == [
        "report/templates/b.html.j2:1",
        "report/templates/c.html.j2:1",
    ]

    monkeypatch.setattr(cli, "code_trace", lambda e: code_trace(e, root=tmp_path))
    assert cli.main(["trace", "--code", "baseline"]) == 1
    out, err = capsys.readouterr()
    assert (
        "  → script  scripts/c.py  NOT FOUND: scripts/c.py does not use baseline_comparisons" in out
    )
    assert "2 link(s) not found" in err and "baseline" in err


# ---------------------------------------------------------------- the pure finders

CONFIG = textwrap.dedent(
    """\
    # comment
    study:
      title: X
    report:
      date: "2026"   # a comment
      interim: "2021-05"
    waves:
      - id: voormeting
        label: V
    experiment: {start: "2020-09-01", end: "2021-09-01"}
    """
)


def test_yaml_key_line_top_level_nested_and_flow():
    assert yaml_key_line(CONFIG, "study") == 2
    assert yaml_key_line(CONFIG, "report.interim") == 6
    assert yaml_key_line(CONFIG, "waves") == 7
    assert yaml_key_line(CONFIG, "experiment.end") == 10
    assert yaml_key_line(CONFIG, "report.buurten") is None
    assert yaml_key_line(CONFIG, "waves.id") is None  # inside a list: not a mapping key path
    assert yaml_key_line(CONFIG, "nothing") is None
    assert yaml_key_line("a: [unclosed", "a") is None


def test_schema_key_line_walks_properties():
    schema = textwrap.dedent(
        """\
        type: object
        properties:
          report:
            type: object
            properties:
              buurten:
                type: array
          waves: {type: array}
        """
    )
    assert schema_key_line(schema, "report.buurten") == 6
    assert schema_key_line(schema, "waves") == 8
    assert schema_key_line(schema, "report.date") is None


SMK = textwrap.dedent(
    """\
    # rules
    rule ab:
        input:
            x=rules.a.output.members,
        script:
            "../../scripts/ab.py"


    rule a:
        output:
            members="m.parquet",
        script: "../../scripts/a.py"


    rule c:
        input:
            expand(rules.ab.output.x, b=B),
            rules.a.output.members,
        shell:
            "cat {input}"
    """
)


def test_rule_line_and_script_in_smk_text():
    assert rule_line(SMK, "ab") == 2
    assert rule_line(SMK, "a") == 9  # not the line of rule ab
    assert rule_line(SMK, "b") is None
    assert rule_script(SMK, "ab") == "../../scripts/ab.py"
    assert rule_script(SMK, "a") == "../../scripts/a.py"
    assert rule_script(SMK, "c") is None  # a shell rule, and not the script of the rule above
    assert rule_script(SMK, "b") is None
    assert upstream_rules(SMK, "c") == ["ab", "a"]
    assert upstream_rules(SMK, "a") == []


def test_call_line_skips_imports_and_finds_calls():
    script = textwrap.dedent(
        """\
        from buurtpreventie.stats.compare import (
            baseline_comparisons,
        )
        from buurtpreventie.chat import aggregate

        table = other(x).merge(
            baseline_comparisons(r, i, w)
        )
        rows = aggregate.members_table(a, b)
        apply(monthly_codes)
        """
    )
    assert call_line(script, "baseline_comparisons") == (7, "call")
    assert call_line(script, "members_table") == (9, "call")
    assert call_line(script, "monthly_codes") == (10, "reference")
    assert call_line(script, "flow_table") is None


def test_package_calls_resolve_the_imports_of_the_package():
    script = textwrap.dedent(
        """\
        import pandas as pd
        from buurtpreventie.chat import tables
        from buurtpreventie.chat.tables import chat_tables as gather
        import buurtpreventie.adapter

        frame = pd.read_csv("x")
        result = gather(frame)
        batch = tables.parse_batch(1)
        buurtpreventie.adapter.job(2)
        """
    )
    assert package_calls(script) == [
        (7, "buurtpreventie.chat.tables.chat_tables"),
        (8, "buurtpreventie.chat.tables.parse_batch"),
    ]


def test_def_line_goes_past_decorators():
    lines = ["import x", "", "@cache", "@other(1)", "def f(a):", "    return a", "def g():"]
    assert def_line(lines, 3, "f") == 5
    assert def_line(lines, 1, "g") == 7
    assert def_line(lines, 6, "f") is None


def test_template_uses_match_the_key_not_a_longer_one():
    text = textwrap.dedent(
        """\
        {{ x.caption('voormeting', 'A') }}
        {{ x.caption('voormeting-extra', 'B') }}
        {{ x.figure('voormeting', figures.baseline, 'C') }}
        {{ x.caption("did", 'D') }}
        <div>{{ x.caption('demografie-' ~ t.key, 'E') }}</div>
        {% set n = num.figure('fig-' ~ key) -%}
        """
    )
    assert template_uses(text, "voormeting") == [1]
    assert template_uses(text, "voormeting", "figure") == [3]
    assert template_uses(text, "voormeting-extra") == [2]
    assert template_uses(text, "did") == [4]
    assert template_uses(text, "demografie") == [5]  # a key built while rendering
    assert template_uses(text, "fig", "figure") == []


def test_context_reads_prefer_reading_over_naming():
    text = textwrap.dedent(
        """\
        TABLES = (
            "indicators",
            "hypothesis",
            "flow",
        )
        small = small_cells(everything["indicators"])
        verdict = everything.get("hypothesis")
        out = {"indicators": indicators}
        """
    )
    assert context_reads(text, "indicators") == [6]
    assert context_reads(text, "hypothesis") == [7]
    assert context_reads(text, "flow") == [4]  # only named: the list of tables it loads
    assert context_reads(text, "panel") == []
