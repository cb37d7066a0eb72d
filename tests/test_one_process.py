"""The one-process comparator (benchmarks/one_process.py) runs every rule of the workflow.

A fast guard against drift: a rule added to workflow/rules/ without its job in
the comparator would make the benchmark of issue 19 compare unequal work. That
the outputs agree is checked by ``benchmarks/dag_overhead.py --check`` (slow).
"""

import re

from conftest import ROOT


def test_comparator_runs_every_rule():
    rules = set()
    for path in (ROOT / "workflow" / "rules").glob("*.smk"):
        rules |= set(re.findall(r"^rule (\w+):", path.read_text(encoding="utf-8"), re.M))
    source = (ROOT / "benchmarks" / "one_process.py").read_text(encoding="utf-8")
    called = set(re.findall(r'_call\(\s*study, "(\w+)"', source))
    # each job is the rule's own script, run in the comparator's process
    assert "runpy.run_path(" in source
    assert rules == called
