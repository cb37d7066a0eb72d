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


# --- result words -------------------------------------------------------------------------
#
# The rule: a word or phrase that states a result (RESULT_WORDS) may appear in a
# template only
#   - inside a Jinja expression ({{ ... }}: generated text, with its claims), or
#   - inside an {% if %} block (either branch) whose condition is a claim-backed
#     switch: `flags.<name>` (build_context's `_flags`, each set from findings
#     whose claims are checked) or `discussion.worse` (the baseline's claims).
# Method prose ("het verschil in verandering", "n.s. = niet significant", "het
# kleinste effect dat de toets kon opsporen") is fine: the list holds words and
# phrases that judge an outcome, not the names of statistics; tables (their
# headers and legends define notation) are not checked. The introduction is not
# checked either: it states the policy theory and earlier research, each with
# its source, and no result of this study.

RESULT_WORDS = re.compile(
    r"\b(?:(?:is|zijn|was|waren|bleek|bleken) (?:niet |geen )?significant\w*|"
    r"significante? (?:verschil|effect|verandering)\w*|geen (?:enkel )?(?:effect|verschil)\w*|"
    r"te weinig|beter|slechter|klein(?:e|er)?|groot|grote|middelgro\w*|weinig|verschil dat|"
    r"verschillen (?:niet|weinig)|bevestig\w*|ondersteund|niet makkelijk|interessantste|"
    r"vooruitgegaan|achteruitgegaan)\b",
    re.I,
)
TABLE = re.compile(r"<table.*?</table>", re.S)
BACKED = re.compile(r"\bflags\.\w+|\bdiscussion\.worse\b")
TOKEN = re.compile(r"(\{\{.*?\}\}|\{%-?\s*(\w+)(.*?)-?%\}|\{#.*?#\})", re.S)
CHECKED = ("samenvatting", "opzet", "bevindingen", "conclusie", "discussie")


def unbacked_text(source: str) -> str:
    """The template's own prose outside expressions and outside claim-backed if-blocks."""
    out, stack, last = [], [], 0
    for match in TOKEN.finditer(source):
        if not any(stack):
            out.append(source[last : match.start()])
        last = match.end()
        keyword, condition = match.group(2), match.group(3) or ""
        if keyword == "if":
            stack.append(bool(BACKED.search(condition)))
        elif keyword == "endif":
            stack.pop()
    if not any(stack):
        out.append(source[last:])
    return TAG.sub(" ", TABLE.sub(" ", "".join(out)))


@pytest.mark.parametrize("name", CHECKED)
def test_no_result_word_outside_a_claim(name):
    source = (ROOT / "report" / "templates" / f"{name}.html.j2").read_text(encoding="utf-8")
    found = RESULT_WORDS.findall(unbacked_text(source))
    assert found == [], (name, found)


def test_the_result_word_rule_sees_a_bare_claim():
    assert RESULT_WORDS.findall(unbacked_text("<p>Het effect is klein.</p>")) == ["klein"]
    backed = (
        "{% if flags.supported %}<p>Het werkt beter.</p>{% else %}<p>Niet beter.</p>{% endif %}"
    )
    assert RESULT_WORDS.findall(unbacked_text(backed)) == []
    loose = "{% if chat.available %}<p>Het werkt beter.</p>{% endif %}"
    assert RESULT_WORDS.findall(unbacked_text(loose)) == ["beter"]
