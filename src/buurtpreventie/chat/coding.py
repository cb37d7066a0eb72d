"""MAXQDA coded segments: reading them and linking each segment to its message.

A coding scheme (``resources/interventions.yaml``, or any file with the same
shape) maps MAXQDA code paths to a category (an intervention number) and a
direction (carried out, or the opposite). The scheme is configuration: another
study's scheme (for example the incident codes of the 2018 study) works the
same way.

MAXQDA numbers the paragraphs of an imported text document; for a chat export
a paragraph is a line. A segment is linked to every message whose lines it
overlaps, and gets the time, group and role of the first of them. A coded
segment that covers no message is an error that names the document and the
position.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from buurtpreventie.errors import InputError

__all__ = ["CodingScheme", "document_names", "link_segments", "load_scheme", "read_segments"]

log = logging.getLogger(__name__)

REQUIRED = ("Document name", "Code", "Begin", "End", "Segment")


def normalise_code(path: str) -> str:
    """A code path compared case-insensitively, with \\ or / and spacing tolerated."""
    parts = re.split(r"\s*[\\/]\s*", str(path).strip())
    return "\\".join(p.casefold() for p in parts if p)


@dataclass(frozen=True)
class CodingScheme:
    """Code paths -> (category, direction); ``root`` is the scheme's top code."""

    root: str
    codes: dict[str, tuple[str, str]]
    categories: tuple[str, ...]
    directions: tuple[str, ...]

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
        raw = yaml.safe_load(handle)
    entries = raw.get("interventions") or raw.get("categories")
    codes: dict[str, tuple[str, str]] = {}
    categories, directions = [], []
    for entry in entries:
        category = str(entry.get("number", entry.get("id")))
        categories.append(category)
        for direction, code in entry["codes"].items():
            codes[normalise_code(code)] = (category, direction)
            if direction not in directions:
                directions.append(direction)
    return CodingScheme(
        root=raw["coding_scheme"],
        codes=codes,
        categories=tuple(categories),
        directions=tuple(directions),
    )


def _read_table(path: str) -> pd.DataFrame:
    if path.lower().endswith(".xlsx"):
        return pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl").fillna("")
    text = Path(path).read_bytes().decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: len(next(csv.reader([first], delimiter=d))))
    return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False)


def read_segments(path: str | Path, scheme: CodingScheme) -> pd.DataFrame:
    """Read a MAXQDA coded-segments export (``.xlsx`` or ``.csv``) for one scheme.

    Returns
    -------
    DataFrame
        ``source, source_row, document, category, direction, begin, end``.
        The segment text is not kept. Codes outside the scheme's root are
        ignored (reported in the log).

    Raises
    ------
    InputError
        A required column is missing, a position is not a whole number, or a
        code under the scheme's root is not in the scheme.
    """
    path = str(path)
    table = _read_table(path)
    table.columns = [str(c).strip() for c in table.columns]
    for column in REQUIRED:
        if column not in table.columns:
            raise InputError(path, "required column of a MAXQDA export is missing", column=column)
    rows = []
    ignored = 0
    for index, values in enumerate(table.to_dict("records"), start=2):  # row 1: header
        code = values["Code"]
        found = scheme.lookup(code)
        if found is None:
            if scheme.owns(code):
                raise InputError(
                    path,
                    f"code {code!r} is not in the coding scheme",
                    row=index,
                    column="Code",
                )
            ignored += 1
            continue
        positions = []
        for column in ("Begin", "End"):
            try:
                positions.append(int(float(values[column])))
            except ValueError:
                raise InputError(
                    path,
                    f"position {values[column]!r} is not a line number",
                    row=index,
                    column=column,
                ) from None
        rows.append((path, index, values["Document name"].strip(), *found, *positions))
    if ignored:
        log.info("%s: %d segments with codes outside %r ignored", path, ignored, scheme.root)
    return pd.DataFrame(
        rows, columns=["source", "source_row", "document", "category", "direction", "begin", "end"]
    )


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
