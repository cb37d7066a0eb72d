"""No template types a result: every number in the report comes from results/ or config.

The text of the templates (outside Jinja tags and HTML tags) holds no digit at
all. Inside Jinja expressions only single digits occur: heading levels, list
indices, column counts and decimals of a filter, never a result.
"""

import re

import pytest
from conftest import ROOT

TEMPLATES = sorted((ROOT / "report" / "templates").glob("*.j2"))
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>")
LITERAL = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?")


def test_there_are_templates():
    assert len(TEMPLATES) >= 10


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_text_has_no_digits(path):
    source = path.read_text(encoding="utf-8")
    text = TAG.sub(" ", JINJA.sub(" ", source))
    assert re.findall(r"\S*\d\S*", text) == [], path.name


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_jinja_expressions_hold_only_structural_numbers(path):
    source = path.read_text(encoding="utf-8")
    for expression in JINJA.findall(source):
        if expression.startswith("{#"):
            continue
        literals = LITERAL.findall(expression)
        assert all(re.fullmatch(r"\d", n) for n in literals), (path.name, expression)


def test_report_words_hold_no_numbers():
    """The report's fixed prose kept as data: only the +1/-1 aim of each indicator."""
    words = (ROOT / "resources" / "report" / "words.yaml").read_text(encoding="utf-8")
    body = "\n".join(line.split("#")[0] for line in words.splitlines())
    assert set(re.findall(r"\d+", body)) <= {"1"}
