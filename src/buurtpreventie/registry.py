"""The one list of the tables, figures and data files the workflow makes (resources/tables.yaml).

Each entry says where a table or figure comes from and where it goes: its
file, the rule and the rule's output name that make it, the package function
that computes it, the config keys that shape it, whether it needs chats or the
published tables, whether the report reads it, and under which caption keys
the report's templates show it. The workflow's targets, the report's inputs,
the provenance records the report cites, the captions of Snakemake's report,
the report's source lines and ``buurtpreventie trace`` are all derived from
it, so adding a table is one entry here plus its function. ``docs/registry.md``
describes the fields.

The registry is plain data read with PyYAML; the dataclass only fixes the field
names, so that a misspelt field stops at load time with the entry's name.

Besides tables and figures, ``data:`` lists data files for other software
(the respondents as SPSS files): one file per wave when its ``file`` holds
``{wave}``. They are targets of ``rule all`` (:meth:`Entry.files`) and outputs
of their rule (``registered(name)`` gives the pattern), but the report, its
sources and ``trace`` by label, which read tables and figures, do not see them:
iterating a :class:`Registry` gives its tables and figures only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from buurtpreventie.yamlio import load_yaml

__all__ = ["REGISTRY_FILE", "Entry", "Registry", "load_registry"]

REGISTRY_FILE = Path(__file__).resolve().parents[2] / "resources" / "tables.yaml"
"""``resources/tables.yaml`` of the repository the package is installed from."""

NEEDS = ("chats", "published")
"""What an entry can need besides the survey: the chat material, the published tables."""


@dataclass(frozen=True)
class Entry:
    """One table or figure of the workflow."""

    name: str
    kind: str  # "table", "figure" or "data"
    title: str
    report: str  # the label in the report ("Tabel 4", "Bijlage B", ...)
    file: str
    rule: str
    output: str  # the name of the file among the rule's outputs
    function: str  # dotted path of the package function that computes it
    category: str  # Snakemake report category
    needs: tuple[str, ...] = ()
    report_input: bool = True  # the report job reads it
    captions: tuple[str, ...] = ()  # caption keys of the templates that cite it
    appendix_captions: tuple[str, ...] = ()  # the same, in Bijlage C only
    config: tuple[str, ...] = ()  # config keys that shape it (dotted)
    caption: str = ""  # one or two sentences for Snakemake's report
    png: str | None = None  # the copy Snakemake's report shows, for a figure
    snakemake_report: bool = True  # Snakemake's report shows it (its png when given)
    columns: Mapping[str, str] = field(default_factory=dict)

    def files(self, waves: Iterable[str]) -> list[str]:
        """The files it makes: one per wave when ``file`` holds ``{wave}``, else ``file``."""
        if "{wave}" not in self.file:
            return [self.file]
        return [self.file.format(wave=wave) for wave in waves]

    def applies(self, chats: bool, published: bool) -> bool:
        """Whether a study with (or without) chats and published tables makes it."""
        have = {"chats": chats, "published": published}
        return all(have[need] for need in self.needs)

    def labels(self) -> dict[str, str]:
        """Labels for Snakemake's report: the name and the report's label."""
        return {"table" if self.kind == "table" else "figure": self.name, "report": self.report}

    def caption_text(self) -> str:
        """The caption of Snakemake's report (reStructuredText): what, where, columns, trace.

        The caption sentence(s), the report's label, the file and its rule, the
        columns of a table, and the ``buurtpreventie trace`` call that gives
        its lineage.
        """
        lines = [f"{self.title} ({self.report}). {self.caption}", ""]
        lines.append(f"``{self.file}``, made by rule ``{self.rule}``.")
        if self.columns:
            lines += ["", "Columns:", ""]
            lines += [f"- ``{name}``: {text}" for name, text in self.columns.items()]
        lines += ["", f"Full lineage and hashes: ``buurtpreventie trace {self.file}``.", ""]
        return "\n".join(lines)

    def shown_file(self) -> str | None:
        """The file Snakemake's report shows for this entry (its png if given), or None."""
        if not self.snakemake_report:
            return None
        return self.png or self.file


def _entry(name: str, kind: str, raw: Mapping[str, Any]) -> Entry:
    known = {f.name for f in fields(Entry)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"resources/tables.yaml: {kind} {name}: unknown field(s) {unknown}")
    for key in ("needs", "captions", "appendix_captions", "config"):
        if key in raw:
            raw = {**raw, key: tuple(raw[key] or ())}
    bad = sorted(set(raw.get("needs", ())) - set(NEEDS))
    if bad:
        raise ValueError(f"resources/tables.yaml: {kind} {name}: needs {bad}, not one of {NEEDS}")
    if kind == "data" and "file" not in raw:
        raise ValueError(f"resources/tables.yaml: data {name}: needs a `file`")
    file = raw.get("file", f"results/tables/{name}.csv")
    return Entry(name=name, kind=kind, **{**raw, "file": file})


@dataclass(frozen=True)
class Registry:
    """Every table and figure, tables first, each in the order of the file; and the data files."""

    entries: tuple[Entry, ...]
    common: Mapping[str, str]
    data: tuple[Entry, ...] = ()  # data files for other software (not in entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @property
    def tables(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == "table")

    @property
    def figures(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == "figure")

    def get(self, name: str) -> Entry:
        """The entry of a table, figure or data file by name."""
        for entry in (*self.entries, *self.data):
            if entry.name == name:
                return entry
        raise KeyError(name)

    def select(self, chats: bool, published: bool) -> tuple[Entry, ...]:
        """The entries a study makes, given whether it has chats and published tables."""
        return tuple(e for e in self.entries if e.applies(chats, published))

    def caption_files(self, kind: str, appendix: bool = True) -> dict[str, str]:
        """Caption key of the templates -> the file its source line cites."""
        keys: dict[str, str] = {}
        for entry in self.entries:
            if entry.kind != kind:
                continue
            for key in (*entry.captions, *(entry.appendix_captions if appendix else ())):
                if key in keys:
                    raise ValueError(
                        f"resources/tables.yaml: caption {key!r} is claimed by two {kind}s"
                    )
                keys[key] = entry.file
        return keys

    def appendix_keys(self) -> set[str]:
        """The caption keys of Bijlage C (shown only when the chapters leave buurten out)."""
        return {key for entry in self.entries for key in entry.appendix_captions}

    def find(self, label: str) -> list[Entry]:
        """Entries for a report label ("Tabel 4"), a name ("did") or a file path.

        An exact label wins; otherwise a label listing it ("Tabel 2 and 3"
        for "Tabel 3") or starting with it ("Tabel 4 and 6 (N, M, SD)").
        """
        wanted = label.strip().casefold()
        by_name = [e for e in self.entries if wanted in (e.name.casefold(), e.file.casefold())]
        if by_name:
            return by_name
        exact = [e for e in self.entries if e.report.casefold() == wanted]
        if exact:
            return exact
        return [
            e
            for e in self.entries
            if wanted in _label_parts(e.report) or e.report.casefold().startswith(wanted + " ")
        ]


def _label_parts(report: str) -> list[str]:
    """ "Tabel 2 and 3 (added)" -> ["tabel 2", "tabel 3"]; the word carries over."""
    text = report.casefold().split("(")[0].strip()
    words = text.replace(" and ", ", ").split(", ")
    head = words[0].rsplit(" ", 1)[0] if " " in words[0] else ""
    return [w if " " in w or not head else f"{head} {w}" for w in words]


@cache
def _load(path: Path) -> Registry:
    data = load_yaml(path.read_text(encoding="utf-8"))
    entries = [_entry(n, "table", raw) for n, raw in data["tables"].items()]
    entries += [_entry(n, "figure", raw) for n, raw in (data.get("figures") or {}).items()]
    files = tuple(_entry(n, "data", raw) for n, raw in (data.get("data") or {}).items())
    return Registry(entries=tuple(entries), common=data.get("common", {}), data=files)


def load_registry(path: str | Path | None = None) -> Registry:
    """Read the registry (``resources/tables.yaml`` unless another path is given)."""
    return _load(Path(path or REGISTRY_FILE).resolve())
