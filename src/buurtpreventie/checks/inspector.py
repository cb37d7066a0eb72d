"""``buurtpreventie inspect FILE...``: how the pipeline would read a researcher's own exports.

For each file the inspector decides what it is (a WhatsApp chat, a SurveyMonkey
export, a MAXQDA coded-segments export), hands it to that reader's
``inspect_*`` function with the settings of the config (codebook, collectors,
locales, coding scheme, pinned formats), and returns an
:class:`~buurtpreventie.inspection.Inspection`. Nothing is written, and no
name, message or answer is shown: the readers put only counts, line numbers,
their own words and pseudonymised text into an inspection.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtpreventie.errors import InputError
from buurtpreventie.inspection import Inspection
from buurtpreventie.yamlio import load_yaml

__all__ = ["Settings", "detect_kind", "inspect_file", "load_settings"]

_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Settings:
    """What the readers need from the config to read a file as the workflow would."""

    codebook: str | None = None
    collectors: Mapping[str, str] = field(default_factory=dict)
    date_order: str | None = None
    locales: tuple[str, ...] = ()
    max_unclassified: int = 0
    scheme: str | None = None
    roster: str | None = None
    chat_pins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


# The project folder of this checkout: where the shipped resources are when no
# config names them (an editable install, as the README sets up).
PROJECT = Path(__file__).resolve().parents[2]


def _in_project(path: object, project: Path) -> Path:
    """A path of the config, relative to the project folder as Snakemake reads it."""
    path = Path(str(path))
    return path if path.is_absolute() else project / path


def _existing(path: object, project: Path) -> str | None:
    if not path:
        return None
    found = _in_project(path, project)
    return str(found) if found.is_file() else None


def load_settings(config_path: str | Path | None) -> Settings:
    """The readers' settings from a config file; the shipped defaults without one.

    Relative paths in the config are taken from the config's folder (the
    project folder, where Snakemake runs), so ``inspect`` can run anywhere.
    """
    config: dict[str, Any] = {}
    project = PROJECT
    if config_path is not None and Path(config_path).is_file():
        with open(config_path, encoding="utf-8") as handle:
            config = load_yaml(handle) or {}
        project = Path(config_path).resolve().parent
    chats = config.get("chats") or {}
    locales = chats.get("locales") or ([chats["locale"]] if chats.get("locale") else [])
    locales = [_in_project(p, project) for p in locales]
    if not locales:
        locales = sorted((project / "resources" / "chat").glob("whatsapp_*.yaml"))
    pins = {
        str(_in_project(group["export"], project).resolve()): group
        for group in chats.get("groups") or []
        if isinstance(group, Mapping) and group.get("export")
    }
    survey = config.get("survey") or {}
    return Settings(
        codebook=_existing(config.get("codebook", "resources/codebook.yaml"), project),
        collectors={str(k): str(v) for k, v in (config.get("collectors") or {}).items()},
        date_order=survey.get("date_order"),
        locales=tuple(str(p) for p in locales),
        max_unclassified=int(chats.get("max_unclassified", 0)),
        scheme=_existing(chats.get("scheme", "resources/interventions.yaml"), project),
        roster=_existing(chats.get("roster"), project),
        chat_pins=pins,
    )


def _first_row(path: Path) -> list[str]:
    """The first row of a table file (CSV in any of its delimiters and encodings, or XLSX)."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # only XLSX files pay for it

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            row = next(workbook.worksheets[0].iter_rows(values_only=True), ())
        finally:
            workbook.close()
        return ["" if v is None else str(v) for v in row]
    with open(path, "rb") as handle:
        data = handle.read(_SNIFF_BYTES)
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    text = data.decode(encoding or "utf-8-sig", errors="replace")
    first = text.splitlines()[0] if text else ""
    rows = [next(csv.reader(io.StringIO(first), delimiter=d), []) for d in (",", ";", "\t")]
    return max(rows, key=len)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def detect_kind(path: str | Path) -> str:
    """``whatsapp``, ``surveymonkey``, ``maxqda`` or ``unknown``, from the name and first row.

    A ``.txt`` file is a chat export, a ``.sav`` file an SPSS export of a
    survey. A table is a survey when a heading is SurveyMonkey's Respondent ID
    (in any of its spellings), and a MAXQDA export when it has a ``Code``
    column and a document-name column (in any interface language).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return "whatsapp"
    if suffix == ".sav":
        return "surveymonkey"
    if suffix not in (".csv", ".tsv", ".xlsx"):
        return "unknown"
    try:
        headings = {_squash(h) for h in _first_row(path)}
    except Exception:  # any unreadable file: its reader says why
        return "surveymonkey" if suffix != ".tsv" else "unknown"
    if "respondentid" in headings:
        return "surveymonkey"
    if "code" in headings and any(h.startswith(("doc", "dok")) for h in headings):
        return "maxqda"
    return "unknown"


def _inspect_whatsapp(path: str, settings: Settings) -> Inspection:
    from buurtpreventie.chat.whatsapp import inspect_chat, load_locale

    locales = [load_locale(p) for p in settings.locales]
    roster: dict[str, str] = {}
    if settings.roster:
        with open(settings.roster, encoding="utf-8") as handle:
            roster = load_yaml(handle) or {}
    pin = settings.chat_pins.get(str(Path(path).resolve()), {})
    return inspect_chat(
        path,
        locales,
        roster,
        format=pin.get("format"),
        locale=pin.get("locale"),
        date_order=pin.get("date_order"),
        max_unclassified=settings.max_unclassified,
    )


def _inspect_survey(path: str, settings: Settings) -> Inspection:
    from buurtpreventie.survey.codebook import load_codebook
    from buurtpreventie.survey.ingest import inspect_survey

    codebook = load_codebook(settings.codebook) if settings.codebook else None
    return inspect_survey(
        path, codebook, collectors=settings.collectors or None, date_order=settings.date_order
    )


def _inspect_maxqda(path: str, settings: Settings) -> Inspection:
    from buurtpreventie.chat.coding import inspect_codings, load_scheme

    scheme = load_scheme(settings.scheme) if settings.scheme else None
    return inspect_codings(path, scheme)


_INSPECTORS = {
    "whatsapp": _inspect_whatsapp,
    "surveymonkey": _inspect_survey,
    "maxqda": _inspect_maxqda,
}


def inspect_file(path: str | Path, settings: Settings) -> Inspection:
    """Inspect one file as the pipeline would read it; never raises for a bad file."""
    path = str(path)
    if not Path(path).is_file():
        return Inspection(path=path, kind="unknown", problems=["no such file"])
    kind = detect_kind(path)
    inspector = _INSPECTORS.get(kind)
    if inspector is None:
        return Inspection(
            path=path,
            kind="unknown",
            problems=[
                "not a file the pipeline reads: a WhatsApp chat (.txt), a SurveyMonkey "
                "export (.csv, .xlsx, .sav) or a MAXQDA coded-segments export (.csv, .xlsx)"
            ],
        )
    try:
        return inspector(path, settings)
    except InputError as error:  # a reader that stops before it can inspect
        return Inspection(path=path, kind=kind, problems=[str(error)])
