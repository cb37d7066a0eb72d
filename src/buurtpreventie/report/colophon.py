"""The literature list and the colophon of the report.

:func:`reference_entries` turns ``resources/report/references.yaml`` into the
entries the templates cite and list (short in-text form, APA-style author
list). :func:`colophon` gathers what the colophon page states: the sources
named in the config, the package version, the git commits of the provenance
records, the config's hash (:func:`config_sha256`), the report date and
whether the data are synthetic. Nothing here reads a clock or calls git: two
runs of the same commit and config give the same page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from buurtpreventie.dutch import nl_date

__all__ = [
    "RUNTIME_KEYS",
    "canonical_config",
    "colophon",
    "config_sha256",
    "reference_entries",
]

#: Config keys the workflow adds at run time (not part of the study's settings),
#: left out of the config hash.
RUNTIME_KEYS = ("published_skipped",)
# "Eysink Smeets, M." / "Van Steden, R.": a person (surname, initials).
_PERSON = re.compile(r"^(?P<surname>.+?), (?P<initials>(?:[A-Z][a-z]?\.[ -]?)+)$")
# Prefixes of Dutch surnames that do not count when sorting (Van Steden under S).
_PREFIXES = re.compile(r"^(?:(?:van|de|der|den|het|ter|ten|te)\s+)+", re.IGNORECASE)
_SHORT_COMMIT = 7


def _surname(author: str) -> str:
    match = _PERSON.match(author)
    return match["surname"] if match else author


def _author_list(authors: Sequence[str]) -> str:
    """APA: "A, B., C, D., & E, F." (two: "A, B., & C, D.")."""
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + ", & " + authors[-1]


def _cite(authors: Sequence[str], year: object) -> str:
    """The in-text form: "A, 2019", "A & B, 2019", "A et al., 2019"."""
    names = [_surname(a) for a in authors]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {year}"


def reference_entries(raw: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> dict[str, dict]:
    """The references by key, with ``cite`` (in-text) and ``author_list`` (APA), sorted.

    ``raw`` is the parsed ``references.yaml``: a list of entries with ``key``
    (a mapping of key -> entry is read the same way). Entries are ordered as a
    literature list is: by first author (prefixes such as "Van" ignored), then
    year.
    """
    if isinstance(raw, Mapping):
        raw = [{"key": k, **v} for k, v in raw.items()]
    entries = {}
    for item in raw:
        entry = dict(item)
        authors = entry.get("authors") or []
        if isinstance(authors, str):
            authors = [authors]
        entry["authors"] = list(authors)
        entry["author_list"] = _author_list(entry["authors"])
        entry["cite"] = _cite(entry["authors"], entry["year"])
        entry["kind"] = entry.get("kind", "rapport")
        for optional in ("title", "container", "url", "note"):
            entry[optional] = str(entry.get(optional) or "")
        entries[entry["key"]] = entry

    def order(entry: Mapping[str, Any]) -> tuple:
        first = _PREFIXES.sub("", _surname(entry["authors"][0])).lower()
        return (first, [a.lower() for a in entry["authors"]], str(entry["year"]))

    return {e["key"]: e for e in sorted(entries.values(), key=order)}


def canonical_config(config: Mapping[str, Any]) -> str:
    """The effective config as canonical JSON: sorted keys, no runtime-only keys.

    Compact separators, UTF-8 text as is; a value JSON has no type for (a
    date) is written as its text.
    """
    settings = {k: v for k, v in config.items() if k not in RUNTIME_KEYS}
    return json.dumps(
        settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def config_sha256(config: Mapping[str, Any]) -> str:
    """The sha256 of :func:`canonical_config` (UTF-8)."""
    return hashlib.sha256(canonical_config(config).encode("utf-8")).hexdigest()


def _commits(provenance: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The git commits the provenance records were made from, most steps first."""
    steps: Counter[str] = Counter()
    dirty: set[str] = set()
    unknown = 0
    for record in provenance:
        git = record.get("git") or {}
        commit = git.get("commit")
        if not commit:
            unknown += 1
            continue
        steps[commit] += 1
        if git.get("dirty"):
            dirty.add(commit)
    commits = [
        {
            "commit": commit,
            "short": commit[:_SHORT_COMMIT],
            "dirty": commit in dirty,
            "steps": count,
        }
        for commit, count in sorted(steps.items(), key=lambda item: (-item[1], item[0]))
    ]
    return {"commits": commits, "unknown": unknown, "records": len(provenance)}


def _sources(config: Mapping[str, Any]) -> dict[str, Any]:
    """The input files the config names: survey exports, chat exports, MAXQDA codes."""
    surveys = [
        {"wave": wave.get("label", wave["id"]), "files": [str(p) for p in wave.get("exports", [])]}
        for wave in config.get("waves", [])
    ]
    chats = config.get("chats") or {}
    active = bool(chats.get("activate", bool(chats.get("groups"))))
    return {
        "surveys": surveys,
        "chats": [str(g["export"]) for g in chats.get("groups", [])] if active else [],
        "codings": [str(p) for p in chats.get("codings", [])] if active else [],
        "codebook": str(config.get("codebook", "")),
    }


def colophon(
    config: Mapping[str, Any],
    provenance: Sequence[Mapping[str, Any]],
    references: Mapping[str, Mapping[str, Any]],
    original: str = "inholland2022",
) -> dict[str, Any]:
    """What the colophon page states (see the module docstring).

    ``date`` is ``report.date``, the date of the PDF metadata. Whether the data
    are synthetic is the title page's flag (``study.synthetic`` of the
    context), which the template reads directly.
    """
    from buurtpreventie import __version__

    date = str((config.get("report") or {}).get("date", "") or "")
    return {
        "version": __version__,
        "git": _commits(provenance),
        "config_sha256": config_sha256(config),
        "algorithm": "SHA-256",
        "date": date,
        "date_text": nl_date(date) if date else "",
        "title": (config.get("study") or {}).get("title", ""),
        "sources": _sources(config),
        "original": references.get(original),
    }
