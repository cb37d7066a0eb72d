"""MAXQDA coded segments: reading them and linking each segment to its message.

A coding scheme (``resources/interventions.yaml``, or any file with the same
shape) maps MAXQDA code paths to a category (an intervention number) and a
direction (carried out, or the opposite). The scheme is configuration: another
study's scheme (for example the incident codes of the 2018 study) works the
same way.

The export is read as the MAXQDA interface wrote it: the column headings of
the English, German and Dutch interfaces (old and new versions) are data in
``resources/chat/maxqda_headings.yaml``; the interface language is found from
them. CSV with comma, semicolon or tab (UTF-8 with or without BOM, UTF-16 with
BOM) and XLSX (first sheet) are read. Only the document, code and position
columns are read: the ``Segment`` column (chat text) never is.

A code whose top code is close to the scheme's root but not equal to it (a
typo such as ``Interventie`` for ``Interventies``) stops the run; codes of
another scheme are ignored with a warning per root.

MAXQDA numbers the paragraphs of an imported text document; for a chat export
a paragraph is a line. A segment is linked to every message whose lines it
overlaps, and gets the time, group and role of the first of them. A coded
segment that covers no message is an error that names the document and the
position.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from buurtpreventie.errors import InputError
from buurtpreventie.inspection import Inspection
from buurtpreventie.yamlio import load_yaml

__all__ = [
    "CodingScheme",
    "document_names",
    "inspect_codings",
    "link_segments",
    "load_headings",
    "load_scheme",
    "read_segments",
]

log = logging.getLogger(__name__)

MAX_PROBLEMS = 20  # problems listed by inspect_codings
MAX_HEADING = 40  # a longer first cell is text, not a heading (and is never shown)


def normalise_code(path: str) -> str:
    """A code path compared case-insensitively, with \\, / or > and spacing tolerated.

    MAXQDA 2020 and later write code paths as ``Parent > Child``; older
    versions and the scheme files use ``Parent\\Child``.
    """
    parts = re.split(r"\s*[\\/>]\s*", str(path).strip())
    return "\\".join(p.casefold() for p in parts if p)


@dataclass(frozen=True)
class CodingScheme:
    """Code paths -> (category, direction); ``root`` is the scheme's top code."""

    root: str
    codes: dict[str, tuple[str, str]]
    categories: tuple[str, ...]
    directions: tuple[str, ...]
    paths: dict[str, str] = field(default_factory=dict)  # normalised -> as written

    def lookup(self, code: str) -> tuple[str, str] | None:
        return self.codes.get(normalise_code(code))

    def owns(self, code: str) -> bool:
        """True when a code path lies under this scheme's root."""
        return normalise_code(code).split("\\")[0] == normalise_code(self.root)


def load_scheme(path: str | Path) -> CodingScheme:
    """Read a coding scheme.

    Two shapes are understood: the interventions file (``interventions`` with
    ``number`` and ``codes: {direction: path}``) and a plain scheme
    (``categories`` with ``id`` and ``codes: {direction: path}``).
    """
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    entries = raw.get("interventions") or raw.get("categories")
    codes: dict[str, tuple[str, str]] = {}
    paths: dict[str, str] = {}
    categories, directions = [], []
    for entry in entries:
        category = str(entry.get("number", entry.get("id")))
        categories.append(category)
        for direction, code in entry["codes"].items():
            codes[normalise_code(code)] = (category, direction)
            paths[normalise_code(code)] = str(code)
            if direction not in directions:
                directions.append(direction)
    return CodingScheme(
        root=raw["coding_scheme"],
        codes=codes,
        categories=tuple(categories),
        directions=tuple(directions),
        paths=paths,
    )


HEADINGS_FILE = Path(__file__).resolve().parents[3] / "resources" / "chat" / "maxqda_headings.yaml"
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_POSITION = re.compile(r"\s*(\d+)(?:[.,]0{1,2})?\s*")
_SEP_HINT = re.compile(r"sep=([,;\t])")
_PAGE_POSITION = re.compile(r"\s*\d+\s*:\s*\d+\s*")


@dataclass(frozen=True)
class Headings:
    """The headings of a coded-segments export per field and interface language."""

    languages: tuple[str, ...]
    required: tuple[str, ...]
    fields: dict[str, dict[str, tuple[str, ...]]]

    def of(self, language: str, field_name: str) -> tuple[str, ...]:
        """The headings of one field in one language."""
        return self.fields[field_name].get(language, ())


@dataclass(frozen=True)
class Layout:
    """Where the needed columns of one export are, and how the file was read."""

    form: str
    language: str
    columns: dict[str, int]
    found: tuple[str, ...] = ()
    encoding: str = ""
    delimiter: str = ""
    sheets: int = 1

    def heading(self, name: str) -> str:
        """The heading of a field as the export writes it."""
        return self.found[self.columns[name]].replace("\ufeff", "").strip()


@dataclass
class Scan:
    """Everything read from one export, without the segment text."""

    layout: Layout
    rows: list[tuple]
    documents: set[str]
    codes: set[str]
    outside: dict[str, int]
    problems: list[InputError]
    segments: int = 0


def load_headings(path: str | Path = HEADINGS_FILE) -> Headings:
    """Read the heading table (``resources/chat/maxqda_headings.yaml``).

    Parameters
    ----------
    path : str or Path
        The YAML file: ``languages``, ``required`` and ``headings`` (field ->
        language -> list of headings).

    Returns
    -------
    Headings
    """
    raw = load_yaml(Path(path).read_text(encoding="utf-8"))
    fields = {
        name: {lang: tuple(str(h) for h in heads) for lang, heads in per_language.items()}
        for name, per_language in raw["headings"].items()
    }
    return Headings(tuple(raw["languages"]), tuple(raw["required"]), fields)


def _heading_key(text: object) -> str:
    """A heading as compared: no BOM, trimmed, case-folded, single spaces."""
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


def match_headings(found: Sequence[str], headings: Headings) -> tuple[str, dict[str, int]]:
    """The interface language of a header row and the column of every field it has.

    Parameters
    ----------
    found : sequence of str
        The header row as read.
    headings : Headings

    Returns
    -------
    (str, dict)
        The language whose headings match most columns (ties: the order of the
        table), and field -> 0-based column (the first column when repeated).
    """
    keys = [_heading_key(h) for h in found]
    best, best_columns = "", {}
    for language in headings.languages:
        columns = {}
        for name in headings.fields:
            wanted = {_heading_key(h) for h in headings.of(language, name)}
            hits = [i for i, key in enumerate(keys) if key in wanted]
            if hits:
                columns[name] = hits[0]
        if len(columns) > len(best_columns):
            best, best_columns = language, columns
    return best, best_columns


def _expected(headings: Headings) -> str:
    """The required headings of every language, for an error message."""
    return "; ".join(
        f"{lang}: " + ", ".join(headings.of(lang, name)[0] for name in headings.required)
        for lang in headings.languages
    )


def _shown(found: Sequence[str]) -> str:
    """The header row for an error message, unless it does not look like headings.

    A file that is not an export (a chat, say) has text in its first line that
    may name people: it is only described, never shown.
    """
    cells = [str(h).replace("\ufeff", "").strip() for h in found]
    if len(cells) < 2 or any(len(c) > MAX_HEADING for c in cells):
        return "a first line that is not a row of column headings"
    return ", ".join(repr(c) for c in cells)


def check_layout(path: str, found: Sequence[str], headings: Headings) -> tuple[str, dict[str, int]]:
    """Language and columns of an export, or a one-line error naming what was expected.

    Raises
    ------
    InputError
        No known interface language, or a required column is missing.
    """
    language, columns = match_headings(found, headings)
    shown = _shown(found)
    missing = [name for name in headings.required if name not in columns]
    if not language or len(missing) == len(headings.required):
        raise InputError(
            path,
            "not a MAXQDA coded-segments export in a known interface language; "
            f"expected the headings ({_expected(headings)}); found {shown}",
        )
    if missing:
        wanted = " or ".join(repr(h) for name in missing for h in headings.of(language, name))
        raise InputError(
            path,
            f"required column of a MAXQDA export ({language} interface) is missing: "
            f"{wanted}; found {shown}",
        )
    return language, {name: columns[name] for name in headings.required}


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV export: UTF-16 or UTF-8 by their BOM, else UTF-8, else cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into most columns."""
    return max(DELIMITERS, key=lambda d: len(next(csv.reader([header_line], delimiter=d))))


def _read_csv(path: str, headings: Headings) -> tuple[Layout, pd.DataFrame]:
    text, encoding = _decode(Path(path).read_bytes())
    text = text.lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    hint = _SEP_HINT.fullmatch(first.rstrip("\r"))
    if hint:  # Excel's "sep=;" line before the headings
        text = rest
    delimiter = hint.group(1) if hint else _delimiter(first.rstrip("\r"))
    found = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    language, columns = check_layout(path, found, headings)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        header=None,
        skiprows=1,
        usecols=sorted(columns.values()),  # never the Segment column
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
    )
    layout = Layout(
        "csv",
        language,
        columns,
        tuple(found),
        encoding=encoding,
        delimiter=DELIMITERS[delimiter],
    )
    return layout, frame


def _read_xlsx(path: str, headings: Headings) -> tuple[Layout, pd.DataFrame]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        sheets = len(workbook.sheetnames)
        first = workbook.worksheets[0]
        found = next(first.iter_rows(max_row=1, values_only=True), ())
    finally:
        workbook.close()
    found = ["" if value is None else str(value) for value in found]
    try:
        language, columns = check_layout(path, found, headings)
    except InputError as error:
        if sheets > 1:
            note = f" (the workbook has {sheets} sheets; only the first is read)"
            raise InputError(path, error.message + note) from None
        raise
    frame = pd.read_excel(
        path,
        sheet_name=0,
        header=None,
        skiprows=1,
        usecols=sorted(columns.values()),  # never the Segment column
        dtype=str,
        engine="openpyxl",
    ).fillna("")
    return Layout("xlsx", language, columns, tuple(found), sheets=sheets), frame


def read_table(path: str | Path, headings: Headings | None = None) -> tuple[Layout, pd.DataFrame]:
    """Read the needed columns of a coded-segments export (``.xlsx`` or CSV).

    Parameters
    ----------
    path : str or Path
        A MAXQDA export: XLSX (first sheet), or CSV/TXT with comma, semicolon or
        tab, UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.
    headings : Headings, optional
        The heading table; by default ``resources/chat/maxqda_headings.yaml``.

    Returns
    -------
    (Layout, DataFrame)
        How it was read, and the required fields (``document, code, begin,
        end``) as text, one row per data row. The segment text is not read.
    """
    path = str(path)
    headings = headings or _default_headings()
    reader = _read_xlsx if path.lower().endswith((".xlsx", ".xlsm")) else _read_csv
    layout, frame = reader(path, headings)
    by_position = {index: name for name, index in layout.columns.items()}
    frame = frame.rename(columns=by_position)[list(headings.required)]
    return layout, frame.astype(str).apply(lambda column: column.str.strip())


def _default_headings() -> Headings:
    return load_headings(HEADINGS_FILE)


def parse_position(value: str) -> int | None:
    """A paragraph (line) number: ``12``, ``12.0`` or ``12,0``; None when it is not one."""
    match = _POSITION.fullmatch(str(value))
    return int(match.group(1)) if match else None


def _position_problem(value: str) -> str:
    if _PAGE_POSITION.fullmatch(value):
        return (
            f"position {value!r} is a page and character position (a PDF document?), "
            "not a line number"
        )
    return f"position {value!r} is not a line number"


def _stem(part: str) -> str:
    """A code root without a plural ending, for telling a typo from another scheme."""
    return re.sub(r"(s|en)$", "", part)


def scheme_roots(scheme: CodingScheme) -> set[str]:
    """The normalised top codes of a scheme: its root and the first part of each path."""
    return {normalise_code(scheme.root)} | {code.split("\\")[0] for code in scheme.codes}


def near_root(code: str, scheme: CodingScheme) -> bool:
    """True when a code outside the scheme's roots looks like a typo of one of them.

    Close means: the same first path part without a plural ending (``interventie``
    for ``interventies``), or a first part ``difflib`` finds close (ratio >= 0.8).
    """
    root = normalise_code(code).split("\\")[0]
    roots = scheme_roots(scheme)
    if any(_stem(root) == _stem(r) for r in roots):
        return True
    return bool(difflib.get_close_matches(root, roots, n=1, cutoff=0.8))


def nearest_code(code: str, scheme: CodingScheme) -> str:
    """The scheme code path most like ``code`` (as written in the scheme file)."""
    found = difflib.get_close_matches(normalise_code(code), list(scheme.codes), n=1, cutoff=0)
    return scheme.paths.get(found[0], found[0]) if found else scheme.root


def _classify(code: str, scheme: CodingScheme) -> str:
    """``in`` (a scheme code), ``owned`` (under a root, not a code), ``near`` or ``other``."""
    if scheme.lookup(code) is not None:
        return "in"
    if normalise_code(code).split("\\")[0] in scheme_roots(scheme):
        return "owned"
    return "near" if near_root(code, scheme) else "other"


def _code_problem(
    path: str, row: int, code: str, kind: str, scheme: CodingScheme, column: str
) -> InputError:
    if kind == "owned":
        message = f"code '{code}' is not in the coding scheme"
    else:
        message = (
            f"code '{code}' is not under the coding scheme's root '{scheme.root}' but close "
            f"to it (a typo?); nearest scheme code '{nearest_code(code, scheme)}'"
        )
    return InputError(path, message, row=row, column=column)


def scan_segments(
    path: str | Path, scheme: CodingScheme | None, headings: Headings | None = None
) -> Scan:
    """Read an export and check every row, collecting problems instead of stopping.

    Parameters
    ----------
    path : str or Path
        A MAXQDA coded-segments export.
    scheme : CodingScheme or None
        Without a scheme, codes are counted but not classified.
    headings : Headings, optional
        The heading table.

    Returns
    -------
    Scan
        Rows ``(source, source_row, document, category, direction, begin, end)``
        of the segments with a scheme code, the documents and codes seen, the
        segments per code root outside the scheme, and the problems (one
        :class:`InputError` each).

    Raises
    ------
    InputError
        The headings are not those of a known interface language.
    """
    path = str(path)
    layout, table = read_table(path, headings)
    scan = Scan(layout, [], set(), set(), {}, [])
    kinds: dict[str, str] = {}  # code as written -> its class (a few dozen codes)
    for index, values in enumerate(table.itertuples(index=False), start=2):  # row 1: header
        if not any(values):
            continue
        scan.segments += 1
        scan.documents.add(values.document)
        scan.codes.add(values.code)
        if scheme is None:
            continue
        kind = kinds.get(values.code) or kinds.setdefault(
            values.code, _classify(values.code, scheme)
        )
        if kind == "other":
            root = values.code.replace(">", "\\").split("\\")[0].strip()
            scan.outside[root] = scan.outside.get(root, 0) + 1
            continue
        if kind != "in":
            scan.problems.append(
                _code_problem(path, index, values.code, kind, scheme, layout.heading("code"))
            )
            continue
        positions = [parse_position(values.begin), parse_position(values.end)]
        for name, raw, value in zip(
            ("begin", "end"), (values.begin, values.end), positions, strict=True
        ):
            if value is None:
                scan.problems.append(
                    InputError(path, _position_problem(raw), row=index, column=layout.heading(name))
                )
        if None in positions:
            continue
        found = scheme.lookup(values.code)
        scan.rows.append((path, index, values.document, *found, *positions))
    return scan


def read_segments(
    path: str | Path, scheme: CodingScheme, headings: Headings | None = None
) -> pd.DataFrame:
    """Read a MAXQDA coded-segments export (``.xlsx`` or CSV) for one scheme.

    The interface language (English, German, Dutch) is found from the headings
    (``resources/chat/maxqda_headings.yaml``). Code paths may be written with
    ``\\``, ``/`` or ``>`` between the parts.

    Parameters
    ----------
    path : str or Path
        The export.
    scheme : CodingScheme
        The coding scheme.
    headings : Headings, optional
        The heading table; by default the shipped one.

    Returns
    -------
    DataFrame
        ``source, source_row, document, category, direction, begin, end``.
        The segment text is not read. Segments with codes of another scheme
        (another root, not close to this scheme's) are ignored with a warning
        that counts them per root.

    Raises
    ------
    InputError
        Unknown headings or a missing required column; a position that is not
        a line number; a code under the scheme's root that is not in the
        scheme; a code whose root is close to the scheme's (a typo).
    """
    scan = scan_segments(path, scheme, headings)
    if scan.problems:
        raise scan.problems[0]
    for root, count in sorted(scan.outside.items()):
        log.warning(
            "%s: %d segments with codes under %r (not the coding scheme %r) ignored",
            path,
            count,
            root,
            scheme.root,
        )
    if scan.layout.sheets > 1:
        log.warning(
            "%s: the workbook has %d sheets; only the first was read", path, scan.layout.sheets
        )
    return pd.DataFrame(
        scan.rows,
        columns=["source", "source_row", "document", "category", "direction", "begin", "end"],
    )


def inspect_codings(path: str | Path, scheme: CodingScheme | None = None) -> Inspection:
    """Inspect a MAXQDA coded-segments export as :func:`read_segments` would read it.

    Parameters
    ----------
    path : str or Path
        The export.
    scheme : CodingScheme, optional
        Without a scheme, ``in_scheme`` and ``outside_scheme`` are not counted.

    Returns
    -------
    Inspection
        Kind ``maxqda``; format ``csv`` or ``xlsx``; how: ``language``,
        ``delimiter``, ``encoding``, ``sheets``; counts: ``segments``,
        ``documents``, ``codes`` and with a scheme ``in_scheme``,
        ``outside_scheme``; problems: what would stop the pipeline. No segment
        text, no document names.
    """
    path = str(path)
    form = "xlsx" if path.lower().endswith((".xlsx", ".xlsm")) else "csv"
    inspection = Inspection(path=path, kind="maxqda", format=form)
    try:
        scan = scan_segments(path, scheme)
    except InputError as error:
        inspection.problems.append(str(error))
        return inspection
    layout = scan.layout
    inspection.how = {"language": layout.language}
    if layout.form == "csv":
        inspection.how |= {"delimiter": layout.delimiter, "encoding": layout.encoding}
    else:
        inspection.how["sheets"] = str(layout.sheets)
        if layout.sheets > 1:
            inspection.warnings.append(
                f"the workbook has {layout.sheets} sheets; only the first was read"
            )
    inspection.counts = {
        "segments": scan.segments,
        "documents": len(scan.documents),
        "codes": len(scan.codes),
    }
    if scheme is not None:
        outside = sum(scan.outside.values())
        inspection.counts |= {"in_scheme": scan.segments - outside, "outside_scheme": outside}
        inspection.warnings += [
            f"{count} segments under code root {root!r} (not {scheme.root!r}) would be ignored"
            for root, count in sorted(scan.outside.items())
        ]
    inspection.problems += [str(problem) for problem in scan.problems[:MAX_PROBLEMS]]
    if len(scan.problems) > MAX_PROBLEMS:
        inspection.problems.append(f"... and {len(scan.problems) - MAX_PROBLEMS} more")
    return inspection


def link_segments(
    segments: pd.DataFrame,
    messages: pd.DataFrame,
    documents: Mapping[str, str],
) -> pd.DataFrame:
    """Give every segment the time, group and sender role of the message(s) it covers.

    Parameters
    ----------
    segments : DataFrame
        From :func:`read_segments`.
    messages : DataFrame
        Parsed messages of all groups (``group, line_start, line_end, timestamp, role``).
    documents : mapping
        MAXQDA document name -> group id (the group id itself, or the export's
        file name without extension).

    Returns
    -------
    DataFrame
        The segments with ``group, timestamp, role, messages`` (how many
        messages the segment covers).

    Raises
    ------
    InputError
        An unknown document, or a segment that covers no message.
    """
    by_group = {g: m.sort_values("line_start") for g, m in messages.groupby("group")}
    group_of = segments["document"].map(documents)
    known = group_of.isin(list(by_group)).to_numpy()
    covered = np.zeros(len(segments), dtype=bool)
    count = np.zeros(len(segments), dtype=int)
    timestamp = np.full(len(segments), np.datetime64("NaT"), dtype="datetime64[ns]")
    role = np.full(len(segments), None, dtype=object)
    begins, ends = segments["begin"].to_numpy(), segments["end"].to_numpy()
    # All segments of a group at once: the messages they overlap by binary search.
    for group, chat in by_group.items():
        mask = (group_of == group).to_numpy()
        if not mask.any():
            continue
        first = np.searchsorted(chat["line_end"].to_numpy(), begins[mask], side="left")
        last = np.searchsorted(chat["line_start"].to_numpy(), ends[mask], side="right")
        covered[mask] = (first < last) & (ends[mask] >= begins[mask])
        count[mask] = last - first
        position = np.minimum(first, len(chat) - 1)
        timestamp[mask] = chat["timestamp"].to_numpy(dtype="datetime64[ns]")[position]
        role[mask] = chat["role"].to_numpy(dtype=object)[position]
    problems = ~known | ~covered
    if problems.any():
        _raise_unlinked(segments.iloc[int(np.argmax(problems))], bool(known[np.argmax(problems)]))
    extra = pd.DataFrame(
        {"group": group_of, "timestamp": timestamp, "role": role, "messages": count},
        index=segments.index,
    )
    return pd.concat([segments, extra], axis=1)


def _raise_unlinked(segment: pd.Series, known: bool) -> None:
    """Stop at a segment that names no chat, or covers no message of its chat."""
    where = f"document {segment['document']!r}, lines {segment['begin']}-{segment['end']}"
    if not known:
        raise InputError(
            segment["source"],
            f"{where}: no chat export with this document name",
            row=segment["source_row"],
            column="Document name",
        )
    raise InputError(
        segment["source"],
        f"{where}: the segment covers no message",
        row=segment["source_row"],
        column="Begin",
    )


def document_names(groups: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """MAXQDA document names of the configured groups: the id and the export's file stem."""
    names = {}
    for group in groups:
        names[group["id"]] = group["id"]
        names[Path(group["export"]).stem] = group["id"]
    return names
