"""Finding the message headers of a whole WhatsApp export at once.

The parser used to call the header pattern once per line in a Python loop;
here one compiled pattern runs over a whole block of text (``re.findall`` in
C) and yields one row per line: the header's groups, or the line itself when
it is not a header. That is the same as ``header.match(line)`` per line when
the pattern can never consume a line break and does not use ``\\A`` or ``\\Z``:
then a match starting at a line's first character sees the line break where
the line alone would end, and fails or succeeds exactly as on the line alone.
:func:`stays_on_line` checks that from the pattern's parse tree; a locale
whose header pattern does not pass gets ``None`` from :func:`whole_text_header`
and the parser falls back to one match per line.

The parser first tries :mod:`buurtpreventie.chat.arrow_headers` (pyarrow's
RE2 kernels, for header patterns and texts where RE2 provably reads as
Python's ``re`` does); this module is the path for everything else. RE2 has
no back-references (the header's ``(?P=sep)``) and reads ``\\d``, ``\\b`` and
case-insensitivity differently from ``re``; the locale files are written for
``re``.
"""

from __future__ import annotations

import re
from itertools import compress
from operator import itemgetter

import numpy as np

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

__all__ = ["HEADER_GROUPS", "header_rows", "stays_on_line", "whole_text_header"]

HEADER_GROUPS = ("d1", "d2", "d3", "hh", "mm", "ss", "ampm", "rest")
NOT_HEADER = "_not_a_header"
CHUNK = 250_000  # characters per findall call: a block's rows stay in the cache between passes

_NEWLINE = ord("\n")
_C = sre_constants
_SAFE_CATEGORIES = {_C.CATEGORY_DIGIT, _C.CATEGORY_WORD, _C.CATEGORY_NOT_SPACE}
_STRING_ENDS = {_C.AT_BEGINNING_STRING, _C.AT_END_STRING}


def _class_stays(items) -> bool:
    """Whether a character class (``[...]``, ``\\d``) cannot match a line break."""
    for op, av in items:
        if op is _C.NEGATE:
            return False
        if op is _C.LITERAL and av == _NEWLINE:
            return False
        if op is _C.RANGE and av[0] <= _NEWLINE <= av[1]:
            return False
        if op is _C.CATEGORY and av not in _SAFE_CATEGORIES:
            return False
        if op not in (_C.LITERAL, _C.RANGE, _C.CATEGORY):
            return False
    return True


def _stays(items, dotall: bool) -> bool:
    """Walk a parse tree; False at anything that could consume a line break or anchor a string."""
    for op, av in items:
        if op is _C.LITERAL:
            ok = av != _NEWLINE
        elif op is _C.NOT_LITERAL:
            ok = av == _NEWLINE
        elif op is _C.ANY:
            ok = not dotall
        elif op is _C.IN:
            ok = _class_stays(av)
        elif op is _C.AT:
            ok = av not in _STRING_ENDS
        elif op is _C.GROUPREF:
            ok = True  # repeats a group, which is itself checked
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) or op is getattr(_C, "POSSESSIVE_REPEAT", None):
            ok = _stays(av[2], dotall)
        elif op is _C.SUBPATTERN:
            _, add, _, sub = av
            ok = _stays(sub, dotall or bool(add & re.DOTALL))
        elif op is _C.BRANCH:
            ok = all(_stays(sub, dotall) for sub in av[1])
        elif op in (_C.ASSERT, _C.ASSERT_NOT):
            ok = _stays(av[1], dotall)
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            ok = _stays(av, dotall)
        elif op is _C.GROUPREF_EXISTS:
            ok = _stays(av[1], dotall) and (av[2] is None or _stays(av[2], dotall))
        else:
            ok = False  # an element not reasoned about: take the safe, slow way
        if not ok:
            return False
    return True


def stays_on_line(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` can never match a line break (nor use ``\\A``, ``\\Z``).

    Such a pattern matches at the start of a line of a whole text exactly as
    it matches the line on its own.
    """
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unparseable tree just means the slow way
        return False
    return _stays(tree, bool(tree.state.flags & re.DOTALL))


def whole_text_header(header: re.Pattern[str]) -> re.Pattern[str] | None:
    """One row per line of a text: the header's groups, or the line (with its break) in a group.

    ``None`` when the header pattern may behave differently on a whole text
    (:func:`stays_on_line`), lacks a group the parser reads, or cannot be
    wrapped (a global inline flag such as ``(?i)`` at its start).
    """
    if not stays_on_line(header) or not set(HEADER_GROUPS) <= set(header.groupindex):
        return None
    if NOT_HEADER in header.groupindex:
        return None
    try:
        # Every line ends in a line break (the caller adds one at the end), so
        # the second branch always captures at least that break: a row is a
        # header exactly when this group is empty.
        return re.compile(
            rf"^(?:(?:{header.pattern})|(?P<{NOT_HEADER}>.*\n))", header.flags | re.MULTILINE
        )
    except re.error:
        return None


def _blocks(text: str, size: int | None = None):
    """``text`` in blocks of about ``size`` characters of whole lines, each ending with a break.

    An empty text has no lines (no block); a text ending in a break ends
    with an empty line.
    """
    size = CHUNK if size is None else size
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        block = text[start:end]
        yield block if block.endswith("\n") else block + "\n"
        start = end
    if text.endswith("\n"):
        yield "\n"


def header_rows(text: str, header: re.Pattern[str], whole: re.Pattern[str] | None):
    """Per block of ``text``: (is_header per line, the :data:`HEADER_GROUPS` of each header).

    ``text`` holds whole lines separated by ``\\n`` (no break after the last);
    ``whole`` is :func:`whole_text_header` of ``header``. Groups that took no
    part in a match are ``""``. A block whose rows do not come out one per
    line (a pattern that matches an empty line emptily), and every block when
    ``whole`` is ``None``, is read line by line with ``header.match``.
    """
    for block in _blocks(text):
        rows = None if whole is None else whole.findall(block)
        if rows is None or len(rows) != block.count("\n"):
            yield _line_by_line(block, header)
            continue
        flags = map(itemgetter(whole.groupindex[NOT_HEADER] - 1), rows)
        is_header = np.fromiter(map(_EMPTY, flags), dtype=bool, count=len(rows))
        found = list(compress(rows, is_header)) if not is_header.all() else rows
        del rows
        # Only the groups the parser reads, each one C-level pass over the rows.
        columns = [list(map(itemgetter(whole.groupindex[n] - 1), found)) for n in HEADER_GROUPS]
        yield is_header, columns


def _line_by_line(block: str, header: re.Pattern[str]):
    """What :func:`header_rows` yields for a block, from one match per line (the old way)."""
    matches = list(map(header.match, block[:-1].split("\n")))
    is_header = np.array([m is not None for m in matches], dtype=bool)
    found = [m.group(*HEADER_GROUPS) for m in matches if m is not None]
    columns = [[x or "" for x in column] for column in zip(*found, strict=True)] if found else []
    return is_header, columns or [[] for _ in HEADER_GROUPS]


_EMPTY = "".__eq__
