"""The whole-text header match (buurtpreventie.chat.headers) agrees with one match per line.

The parser finds every message header of an export with one regular
expression over blocks of text; these tests hold it to the rule it replaced,
``header.match(line)`` per line, on lines that are easy to get wrong.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import ROOT

from buurtpreventie.chat import headers
from buurtpreventie.chat.whatsapp import load_locales, parse_chat

LOCALES = load_locales(
    [
        ROOT / "resources" / "chat" / "whatsapp_nl.yaml",
        ROOT / "resources" / "chat" / "whatsapp_en.yaml",
    ]
)
M, RLM, NNBSP = "\u200e", "\u200f", "\u202f"

TRICKY = [
    "12-03-2021 21:14 - Anna: Verdachte man bij de garages",
    "Zwarte jas",  # the continuation of a message
    "",  # an empty line inside a message
    "   ",
    "zie ook 12-03-2021 21:14 - Piet: dit lijkt een kop maar staat midden in de tekst",
    " 12-03-2021 21:14 - Piet: een spatie ervoor",
    "12-03-2021 21:14 -Piet: geen spatie na het streepje",
    "12/03/21, 9:14 PM - Anna: English phone",
    f"3/12/21, 9:14{NNBSP}p.m. - Anna: narrow no-break space before p.m.",
    f"{M}12-03-2021 21:14 - {M}Anna: a mark before the header",
    "[12-03-2021 21:14:05] Anna: iOS bracketed header",
    f"{M}[12-03-2021, 21:14:05] {M}Buurt: {M}Anna is toegevoegd",
    f"[3/12/21, 9:14:05{NNBSP}PM] Anna: iOS, 12 hours",
    "2021-03-12 21:14 - Anna: year first",
    "12.03.21 21.14 - Anna: dots",
    "12-03/2021 21:14 - Anna: mixed separators (not a header)",
    "12-03-2021 21:14 - ",  # a header with an empty text
    "12-03-2021 21:14 - Anna:",
    "\u0661\u0662-03-2021 21:14 - Anna: Arabic-Indic digits match \\d",
    f"12-03-2021 21:14 {RLM}- Anna: a right-to-left mark (read as a left-to-right one)",
    "[12-03-2021 21:14:05] Anna: bracket ] inside: [x] - y: z",
    "\u2028 a line separator is not a line break",
    "\x85 nor is NEL",
    "Anna: a name and a colon but no date",
]


def per_line(header: re.Pattern[str], text: str):
    """The old rule: one ``header.match`` per line."""
    matches = [header.match(line) for line in text.split("\n")]
    found = [m.group(*headers.HEADER_GROUPS) for m in matches if m is not None]
    return [m is not None for m in matches], [[x or "" for x in row] for row in found]


def whole_text(header: re.Pattern[str], text: str, block: int):
    """The new rule, with blocks of ``block`` characters."""
    whole = headers.whole_text_header(header)
    assert whole is not None, "the shipped header patterns must take the whole-text path"
    flags, rows = [], []
    original = headers.CHUNK
    headers.CHUNK = block
    try:
        for is_header, columns in headers.header_rows(text, header, whole):
            flags.extend(is_header.tolist())
            rows.extend([list(r) for r in zip(*columns, strict=True)])
    finally:
        headers.CHUNK = original
    return flags, rows


@pytest.mark.parametrize("locale", LOCALES, ids=lambda x: x.name)
@pytest.mark.parametrize("form", ["android", "ios"])
@pytest.mark.parametrize("block", [1, 40, 10_000])
def test_the_whole_text_match_agrees_with_the_per_line_match(locale, form, block):
    header = locale.formats[form]
    rng = np.random.default_rng(19)
    for _ in range(20):
        lines = list(rng.permutation(TRICKY))
        lines[0] = TRICKY[0] if form == "android" else TRICKY[10]
        text = "\n".join(lines)
        assert whole_text(header, text, block) == per_line(header, text)


def test_a_pattern_that_could_cross_a_line_break_is_read_line_by_line():
    for unsafe in [
        r"^(?P<d1>\d+)\s(?P<rest>.*)$",  # \s matches a line break
        r"^(?P<d1>[^x]+)(?P<rest>.*)$",  # so does a negated class
        r"(?s)^(?P<d1>\d+).(?P<rest>.*)$",  # and "." under DOTALL
        r"\A(?P<d1>\d+) (?P<rest>.*)\Z",  # \A and \Z mean the whole text
    ]:
        assert not headers.stays_on_line(re.compile(unsafe))
    for locale in LOCALES:
        for header in locale.formats.values():
            assert headers.stays_on_line(header)
            assert headers.stays_on_line(locale.body_filter)


def test_an_unsafe_pattern_still_gives_the_per_line_answer():
    header = re.compile(
        r"^(?P<d1>\d+)-(?P<d2>\d+)-(?P<d3>\d+)\s(?P<hh>\d+):(?P<mm>\d+)(?::(?P<ss>\d+))?"
        r"(?P<ampm>x)?\s-\s(?P<rest>.*)$"
    )
    assert headers.whole_text_header(header) is None
    text = "1-2-2021 10:00 - a\nb\n1-2-2021\n10:00 - c"
    flags, rows = [], []
    for is_header, columns in headers.header_rows(text, header, None):
        flags.extend(is_header.tolist())
        rows.extend([list(r) for r in zip(*columns, strict=True)])
    assert (flags, rows) == per_line(header, text)


def test_blocks_do_not_change_the_parse(tmp_path):
    path = tmp_path / "g.txt"
    lines = []
    for day in range(1, 29):
        lines.append(f"{day:02d}-03-2021 21:14 - Anna: bericht {day}")
        lines.append("tweede regel")
        if day % 5 == 0:
            lines.append(f"{day:02d}-03-2021 21:15 - Piet is vertrokken")
    path.write_text("\n".join(lines) + "\n\n  \n", encoding="utf-8")
    whole = parse_chat(path, "g", LOCALES, {})
    original = headers.CHUNK
    headers.CHUNK = 1
    try:
        small = parse_chat(path, "g", LOCALES, {})
    finally:
        headers.CHUNK = original
    assert whole.messages["line_end"].iloc[-1] == len(lines)
    for a, b in [(whole.messages, small.messages), (whole.events, small.events)]:
        assert a.equals(b) and (a.dtypes == b.dtypes).all()
