"""The Arrow (RE2) reading of an export gives exactly what the Python reading gives.

``parse_chat`` reads a file with Arrow kernels when that is provably the same
(:mod:`buurtpreventie.chat.arrow_headers`) and with the Python path otherwise.
Each export here is parsed both ways (the Arrow path switched off by
replacing ``_arrow_read``) and everything is compared: frames with their
dtypes, how the file was read, events, unclassified lines, warnings, the
errors and the log.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.chat import arrow_headers, whatsapp
from buurtpreventie.chat.headers import HEADER_GROUPS
from buurtpreventie.chat.whatsapp import load_locales

LOCALES = load_locales(
    [
        ROOT / "resources" / "chat" / "whatsapp_nl.yaml",
        ROOT / "resources" / "chat" / "whatsapp_en.yaml",
    ]
)
M, RLM, NNBSP = "\u200e", "\u200f", "\u202f"
ARROW_READ = whatsapp._arrow_read


def _outcome(path, caplog, **options):
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="buurtpreventie"):
        try:
            chat = whatsapp._read(path, "g", LOCALES, {"Karin Bos": "wijkagent"}, **options)
        except Exception as error:  # the same error, word for word
            return (
                "error",
                type(error).__name__,
                str(error),
                [r.getMessage() for r in caplog.records],
            )
    problems = [(type(p).__name__, str(p)) for p in chat.problems]
    logs = [r.getMessage() for r in caplog.records]
    return chat, (chat.how, chat.system, chat.unclassified, chat.warnings, problems, logs)


def _both_ways(tmp_path, caplog, monkeypatch, data: bytes, **options):
    """(Arrow reading, Python reading) of ``data``, and whether the Arrow path was taken."""
    path = tmp_path / "chat.txt"
    path.write_bytes(data)
    taken = []

    def spy(*args):
        result = ARROW_READ(*args)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(whatsapp, "_arrow_read", spy)
    fast = _outcome(path, caplog, **options)
    monkeypatch.setattr(whatsapp, "_arrow_read", lambda *args: None)
    slow = _outcome(path, caplog, **options)
    return fast, slow, any(taken)


def _assert_same(fast, slow):
    if fast[0] == "error" or slow[0] == "error":
        assert fast == slow
        return
    (a, rest_a), (b, rest_b) = fast, slow
    pd.testing.assert_frame_equal(a.messages, b.messages, check_dtype=True)
    pd.testing.assert_frame_equal(a.events, b.events, check_dtype=True)
    for column in a.messages:
        x, y = a.messages[column].array, b.messages[column].array
        assert type(x) is type(y)
        if hasattr(x, "_pa_array"):
            assert x._pa_array.type == y._pa_array.type
    assert rest_a == rest_b


def _export(lines):
    return "\n".join(lines).encode("utf-8")


ANDROID = [
    "12-03-2021 21:10 - Karin Bos heeft de groep Buurt gemaakt",
    "12-03-2021 21:11 - Karin Bos heeft je toegevoegd",
    "12-03-2021 21:14 - Anna: Verdachte man bij de garages",
    "Zwarte jas",
    "",
    "   ",
    "zie ook 12-03-2021 21:14 - Piet: dit lijkt een kop maar staat midden in de tekst",
    "12-03-2021 21:15 - Piet: <Media weggelaten>",
    "12-03-2021 21:16 - Anna: Dit bericht is verwijderd",
    "12-03-2021 21:17 - Bewoner C is lid geworden via de uitnodigingslink van deze groep",
    "12-03-2021 21:18 - Karin Bos heeft Anna en Piet toegevoegd",
    "12-03-2021 21:19 - Piet is vertrokken",
    "12-03-2021 21:20 -Piet: geen spatie na het streepje",
    "12-03-2021 21:22 - ",
    "12-03-2021 21:23 - Anna:",
    "12-03-2021 21:24 - Anna: een: twee: drie",
    "12-03-2021 21:25 - Karin Bos: Goedenavond",
    "12-03-2021 21:26 - ~ Bewoner D: hallo",
    "12-03-2021 21:27 - Anna: Gemiste spraakoproep",
]
EXTRA = {
    "marks before the date": f"{M}{M}{M}{M}{M}{M}{M}{M}{M}12-03-2021 21:30 - Anna: veel tekens",
    "a mark before the dash": f"12-03-2021 21:31 {M}- Anna: een teken",
    "seconds": "12-03-2021 21:32:05 - Anna: met seconden",
    "12 hours": "12-03-2021 9:33 p.m. - Anna: twaalf uur",
    "non-ASCII": "12-03-2021 21:34 - Zoë 🌷: Goedemiddag, één vraag",
    "Arabic-Indic digits": "\u0661\u0662-03-2021 21:35 - Anna: andere cijfers",
    "mixed separators": "12-03/2021 21:21 - Anna: gemengde scheidingstekens (geen kop)",
    "a colon in the name": "12-03-2021 21:36 - Anna: : leeg",
    "unclassified": "12-03-2021 21:37 - Anna heeft iets onbekends gedaan",
    "right-to-left mark": f"12-03-2021 21:38 {RLM}- Anna: rtl",
    "no-break space": f"12-03-2021 9:39{NNBSP}PM - Anna: nbsp",
    "year first": "2021-03-12 21:40 - Anna: jaar eerst",
}


@pytest.mark.parametrize("extra", [None, *EXTRA], ids=str)
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\n\n  \n"], ids=["lf", "crlf", "blank-end"])
def test_arrow_and_python_readings_agree(tmp_path, caplog, monkeypatch, extra, ending):
    lines = list(ANDROID)
    if extra is not None:
        lines.insert(9, EXTRA[extra])
    data = ("\n".join(lines) + ending).replace("\n", ending if ending == "\r\n" else "\n")
    fast, slow, taken = _both_ways(tmp_path, caplog, monkeypatch, data.encode(), max_unclassified=5)
    # Digits other than 0-9, and a back-reference RE2 cannot check: the Python reading.
    assert taken == (extra not in ("Arabic-Indic digits", "mixed separators"))
    _assert_same(fast, slow)


def test_the_arrow_reading_is_taken_for_plain_exports(tmp_path, caplog, monkeypatch):
    fast, slow, taken = _both_ways(tmp_path, caplog, monkeypatch, _export(ANDROID))
    assert taken
    _assert_same(fast, slow)
    for name in ["zenobuurt", "smeets_karlmarx", "molierebuurt", "essenburg"]:
        data = (ROOT / "resources" / "chat" / f"{name}.txt").read_bytes()
        fast, slow, taken = _both_ways(tmp_path, caplog, monkeypatch, data)
        assert taken, name
        _assert_same(fast, slow)


def test_long_heads_after_the_sample_are_matched_whole(tmp_path, caplog, monkeypatch):
    """Keys are as long as the longest head among the first lines; later, longer heads."""
    rng = np.random.default_rng(19)
    lines = [f"{1 + i % 28:02d}-03-2021 21:{i % 60:02d} - Anna {i % 7}: kort" for i in range(2500)]
    lines.sort(key=lambda line: line[:2])
    for i in rng.choice(len(lines), 40, replace=False):
        lines[i] = lines[i][:16] + ":59" + (" p.m." if i % 2 else "") + lines[i][16:]
    for i in rng.choice(len(lines), 20, replace=False):
        lines[i] = M * int(1 + i % 30) + lines[i]
    lines[0] = "01-03-2021 21:00 - Anna: eerste"
    fast, slow, taken = _both_ways(tmp_path, caplog, monkeypatch, _export(lines))
    assert taken
    _assert_same(fast, slow)


def test_a_first_line_that_is_no_header_gives_the_same_error(tmp_path, caplog, monkeypatch):
    fast, slow, _ = _both_ways(tmp_path, caplog, monkeypatch, _export(["hallo", *ANDROID]))
    assert fast[0] == "error"
    _assert_same(fast, slow)


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", "12-03-2021 21:14 - Anna: één".encode(), b"12-03-2021 21:14 - Anna: a\r\nb"],
    ids=["empty", "blank", "one-line", "cr"],
)
def test_small_files_agree(tmp_path, caplog, monkeypatch, data):
    fast, slow, _ = _both_ways(tmp_path, caplog, monkeypatch, data, format="android")
    _assert_same(fast, slow)


MIDDLE = r"-(?P<d2>\d+)-(?P<d3>\d+) (?P<hh>\d+):(?P<mm>\d+)(?P<ss>)(?P<ampm>)"
REFUSED = {
    "ignorecase": (r"(?i)^(?P<d1>\d+)", r" - (?P<rest>.*)$"),
    "word": (r"^(?P<d1>\w+)", r" - (?P<rest>.*)$"),
    "boundary": (r"^(?P<d1>\d+)\b", r" - (?P<rest>.*)$"),
    "negated": (r"^(?P<d1>[^-]+)", r" - (?P<rest>.*)$"),
    "lookahead": (r"^(?=1)(?P<d1>\d+)", r" - (?P<rest>.*)$"),
    "ref-in-repeat": (r"^(?:(?P<d1>\d)(?P=d1))+", r" - (?P<rest>.*)$"),
    "rest+": (r"^(?P<d1>\d+)", r" - (?P<rest>.+)$"),
    "space": (r"^(?P<d1>\d+)", r"\s-\s(?P<rest>.*)$"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_patterns_re2_may_read_differently_are_refused(case):
    start, end = REFUSED[case]
    pattern = start + MIDDLE + end
    assert arrow_headers.re2_header(re.compile(pattern), HEADER_GROUPS) is None


def test_the_shipped_patterns_are_translated():
    for locale in LOCALES:
        for header in locale.formats.values():
            translated = arrow_headers.re2_header(header, HEADER_GROUPS)
            assert translated is not None
            assert translated.refs == [("sep", "_ref0")]


def test_reads_past_the_key():
    """A try of the pattern goes on past a key exactly when the key can be continued."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = arrow_headers.re2_header(LOCALES[0].formats["android"], HEADER_GROUPS)
    keys = ["12-03-2021 21:14 - ", "12-03-2021 21:14", "12-03-2021 21:14 ", f"{M}{M}", "x", ""]
    reads = pc.match_substring_regex(pa.array(keys), header.reads).to_pylist()
    assert reads == [False, True, True, True, False, True]
