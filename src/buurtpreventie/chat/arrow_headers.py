"""The message headers of a whole export with Arrow's RE2 kernels, when that is provably the same.

The parser's rule is ``header.match(line)`` per line (Python ``re``). Arrow's
``extract_regex`` runs RE2 over an array of lines in C and builds no Python
object per field. RE2 reads some patterns differently, so the header pattern
is not copied as text: :func:`re2_header` writes an RE2 pattern from the
parse tree of the Python pattern and refuses (``None``, the caller keeps the
Python path) every element whose meaning could differ. What it accepts:

* literal characters, written as ``\\x{hex}``;
* classes ``[...]`` of literals, ranges and ``\\d`` (never negated);
* ``.`` (without DOTALL), ``^`` and ``$``, repeats, groups, alternatives;
* a back-reference ``(?P=name)`` to a group outside any repeat or
  alternative (and without anchors): RE2 has none, so it becomes a second
  capture of a copy of the group; the caller compares the two columns.

No inline or global flag is accepted (no IGNORECASE, MULTILINE, DOTALL ...).
Of these elements only ``\\d`` depends on Unicode tables in Python (any
decimal digit) and not in RE2 (``0-9``): :func:`has_other_digits` finds a text
where that could matter, and the caller takes the Python path for it.

Lines are handed to RE2 with their ``\\n`` (no copy of the text to cut it
off); the RE2 pattern runs in multi-line mode, where ``$`` matches before
that break as Python's ``$`` matches at the end of the line alone. No
accepted element can consume a line break, so ``^`` and ``$`` can never
match anywhere else.

Back-references: the RE2 pattern matches every line the Python pattern
matches (a copy of a group matches the text the group captured) and possibly
more. When the two captures agree, RE2's first match in Python's order of
trying is also a match of the Python pattern, and every earlier try failed in
both: the same match. A line where they differ is decided by the caller
with Python (here: the whole file is read the old way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

__all__ = ["Header", "has_other_digits", "line_array", "re2_header"]

_C = sre_constants
_NEWLINE = ord("\n")
_RE2_MAX_REPEAT = 1000
HEAD = "_head"  # the RE2 group of everything before the rest of a header line
REST = "rest"
_BLOCK = 1 << 24  # bytes searched for line breaks at a time
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a character Python's \d matches and RE2's does not


class _RefusedError(Exception):
    """An element whose meaning in RE2 is not proven the same."""


def _char(code: int) -> str:
    if code == _NEWLINE or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _RefusedError
    return f"\\x{{{code:x}}}"


class _Writer:
    """RE2 text of a parse tree; ``plain``: without captures, a back-reference as a copy."""

    def __init__(self, pattern: re.Pattern[str], keep: set[str], plain: bool = False) -> None:
        self.names = {index: name for name, index in pattern.groupindex.items()}
        self.keep = keep
        self.plain = plain
        self.trees: dict[int, list] = {}
        self.free: set[int] = set()  # groups outside any repeat or alternative
        self.refs: list[tuple[str, str]] = []
        self.has_anchor: dict[int, bool] = {}

    def seq(self, items, free: bool) -> str:
        return "".join(self.item(op, av, free) for op, av in items)

    def item(self, op, av, free: bool) -> str:
        if op is _C.LITERAL:
            return _char(av)
        if op is _C.IN:
            return self.klass(av)
        if op is _C.ANY:
            return "."
        if op is _C.AT:
            if av is _C.AT_BEGINNING:
                return "^"
            if av is _C.AT_END:
                return "$"
            raise _RefusedError
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, high, sub = av
            if (high is not _C.MAXREPEAT and high > _RE2_MAX_REPEAT) or low > _RE2_MAX_REPEAT:
                raise _RefusedError
            body = self.seq(sub, False)
            count = f"{{{low},}}" if high is _C.MAXREPEAT else f"{{{low},{high}}}"
            return f"(?:{body}){count}" + ("?" if op is _C.MIN_REPEAT else "")
        if op is _C.SUBPATTERN:
            group, add, remove, sub = av
            if add or remove:
                raise _RefusedError
            body = self.seq(sub, free)
            if group is None:
                return f"(?:{body})"
            self.trees[group] = sub
            if free:
                self.free.add(group)
            name = self.names.get(group)
            if name is not None and name in self.keep:
                return f"(?P<{name}>{body})"
            return f"(?:{body})"
        if op is _C.BRANCH:
            return "(?:" + "|".join(self.seq(sub, False) for sub in av[1]) + ")"
        if op is _C.GROUPREF and self.plain:
            return f"(?:{self.seq(self.trees[av], False)})"
        if op is _C.GROUPREF:
            if not free or av not in self.free or _anchored(self.trees[av]):
                raise _RefusedError
            name = self.names.get(av)
            if name is None or name not in self.keep:
                raise _RefusedError
            copy = f"_ref{len(self.refs)}"
            self.refs.append((name, copy))
            return f"(?P<{copy}>{self.seq(self.trees[av], False)})"
        raise _RefusedError

    def reads(self, items) -> str | None:
        """RE2 text of the texts after which a try of ``items`` reads one more character.

        ``None`` when there are none. A try that has read such a text of a
        line's first K characters goes on to the (K+1)-th: only then can the
        match on those K characters differ from the match on the whole line.
        """
        ways = []
        for index, (op, av) in enumerate(items):
            after = self.reads_item(op, av)
            if after is not None:
                ways.append(self.seq(items[:index], False) + after)
        return "(?:" + "|".join(ways) + ")" if ways else None

    def reads_item(self, op, av) -> str | None:
        if op in (_C.LITERAL, _C.IN, _C.ANY):
            return ""
        if op is _C.AT:
            return None
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            _, high, sub = av
            inner = self.reads(sub)
            if high == 0 or inner is None:
                return None
            count = "{0,}" if high is _C.MAXREPEAT else f"{{0,{high - 1}}}"
            return f"(?:{self.seq(sub, False)}){count}{inner}"
        if op is _C.SUBPATTERN:
            return self.reads(av[3])
        if op is _C.BRANCH:
            ways = [w for w in (self.reads(sub) for sub in av[1]) if w is not None]
            return "(?:" + "|".join(ways) + ")" if ways else None
        if op is _C.GROUPREF:
            return self.reads(self.trees[av])
        raise _RefusedError

    def klass(self, items) -> str:
        parts = []
        for op, av in items:
            if op is _C.LITERAL:
                parts.append(_char(av))
            elif op is _C.RANGE:
                if av[0] <= _NEWLINE <= av[1]:
                    raise _RefusedError
                parts.append(f"{_char(av[0])}-{_char(av[1])}")
            elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
                parts.append("0-9")
            else:
                raise _RefusedError
        return "[" + "".join(parts) + "]"


def _anchored(items) -> bool:
    """Whether a tree holds ``^``/``$`` anywhere (a copy of it would not mean the same)."""
    for op, av in items:
        if op is _C.AT:
            return True
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and _anchored(av[2]):
            return True
        if op is _C.SUBPATTERN and _anchored(av[3]):
            return True
        if op is _C.BRANCH and any(_anchored(sub) for sub in av[1]):
            return True
    return False


def _referenced(items, found: set[int]) -> set[int]:
    for op, av in items:
        if op is _C.GROUPREF:
            found.add(av)
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            _referenced(av[2], found)
        elif op is _C.SUBPATTERN:
            _referenced(av[3], found)
        elif op is _C.BRANCH:
            for sub in av[1]:
                _referenced(sub, found)
    return found


def re2_header(header: re.Pattern[str], groups: tuple[str, ...]) -> Header | None:
    """An RE2 pattern that matches a line (with its ``\\n``) as ``header.match`` matches the line.

    Returns the pattern, capturing ``groups`` but ``rest`` (and the copies of
    referenced groups), and :data:`HEAD`, what comes before the rest; and the
    pairs (group, copy) whose values must be equal. ``None`` when the pattern
    does not end in ``(?P<rest>.*)$`` or holds anything not proven to mean the
    same in RE2. (RE2 runs its slower engine only over the text its fast one
    found to match: leaving the rest out of the match saves most of the time.)
    """
    if header.flags & ~re.UNICODE or not set(groups) <= set(header.groupindex):
        return None
    try:
        tree = sre_parse.parse(header.pattern, header.flags)
        if tree.state.flags & ~re.UNICODE:
            return None
        items = list(tree)
        if not _rest_tail(items[-2:], header.groupindex.get(REST)):
            return None
        referenced = _referenced(items, set())
        names = {index: name for name, index in header.groupindex.items()}
        keep = (set(groups) - {REST}) | {names[i] for i in referenced if i in names}
        writer = _Writer(header, keep)
        body = writer.seq(items[:-2], True)
        plain = _Writer(header, set(), plain=True)
        plain.seq(items[:-2], True)
        reads = plain.reads(items[:-2])
    except (_RefusedError, Exception):
        return None
    reads = "(?!)" if reads is None else reads
    return Header(f"(?m)\\A(?P<{HEAD}>{body})", writer.refs, f"\\A{reads}\\z")


@dataclass(frozen=True)
class Header:
    """A header pattern in RE2 (:func:`re2_header`).

    ``pattern`` captures the header's groups (``rest`` left out) and
    :data:`HEAD`; ``refs`` pairs each back-referenced group with its copy;
    ``reads`` matches the texts after which a try of the pattern reads one
    more character (a header's first K characters that are no such text
    give the same match as the whole line).
    """

    pattern: str
    refs: list[tuple[str, str]]
    reads: str


def _rest_tail(items, rest: int | None) -> bool:
    """Whether the pattern ends in ``(?P<rest>.*)$``: the rest of the line, whatever it holds.

    Then a line is a header exactly when what comes before matches at its
    start (``.*`` takes the rest of a line, ``$`` its end), and the rest is
    the line after that match.
    """
    if rest is None or len(items) != 2:
        return False
    (op, av), (end, where) = items
    if op is not _C.SUBPATTERN or av[0] != rest or av[1] or av[2]:
        return False
    if end is not _C.AT or where is not _C.AT_END or len(av[3]) != 1:
        return False
    op, repeat = av[3][0]
    return (
        op is _C.MAX_REPEAT
        and repeat[:2] == (0, _C.MAXREPEAT)
        and list(repeat[2]) == [(_C.ANY, None)]
    )


def has_other_digits(text: str) -> bool:
    """Whether ``text`` holds a decimal digit other than 0-9 (Python's ``\\d`` and RE2's differ)."""
    return not text.isascii() and _OTHER_DIGIT.search(text) is not None


def line_array(data) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The lines of a UTF-8 text (split at ``\\n``) as an Arrow array over its own buffer.

    ``data`` is the text's bytes (any buffer). Each line but the last keeps
    its ``\\n``; also returned: the byte offset of each line's start and of
    its end (its ``\\n``, or the end of the text). No line is copied, and the
    breaks are found block by block (no temporary as large as the text).
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    found = []
    scratch = np.empty(min(len(raw), _BLOCK), dtype=bool)
    for start in range(0, len(raw), _BLOCK):
        block = raw[start : start + _BLOCK]
        np.equal(block, _NEWLINE, out=scratch[: len(block)])
        found.append(np.flatnonzero(scratch[: len(block)]) + start)
    breaks = np.concatenate([np.zeros(0, dtype=np.int64), *found])
    count = len(breaks) + 1
    offsets = np.empty(count + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:-1] = breaks + 1
    offsets[-1] = len(raw)
    ends = np.append(breaks, len(raw))
    array = pa.LargeStringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data))
    return array, offsets[:-1], ends
