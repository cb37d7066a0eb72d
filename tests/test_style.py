"""The checks a contributor must keep clean: snakemake --lint, snakefmt, ruff."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent


def _run(*command):
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_snakemake_lint_has_no_findings():
    result = _run(str(BIN / "snakemake"), "--lint")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Lints for" not in output, output


@pytest.mark.parametrize(
    "command",
    [
        ["snakefmt", "--check", "."],
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
    ],
    ids=lambda c: " ".join(c),
)
def test_formatter_and_linter_are_clean(command):
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr
