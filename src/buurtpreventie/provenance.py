"""Provenance records: what made each table and figure, and how to trace it back.

Every job of the workflow writes one record (JSON) next to its outputs, under
``results/provenance/``. The schema (``buurtpreventie-provenance/1``) is our
own, documented here, and close to W3C PROV in spirit: an *activity* (the rule
job) *used* entities (input files) and *generated* entities (output files).

A record holds:

``schema``
    ``"buurtpreventie-provenance/1"``.
``rule``, ``wildcards``
    The Snakemake rule and the job's wildcards.
``script``
    Path and sha256 of the adapter script that ran.
``package``
    Name, version and one sha256 over all source files of the package.
``git``
    The commit of the working tree and whether it had uncommitted changes.
``used`` / ``generated``
    Every input / output file with its sha256 and size, whatever its size.
``params``
    The rule's parameters (config values it used).
``software``
    Versions of Python and of the packages that shape the results.
``runtime``
    Start (UTC, ISO 8601) and wall time in seconds.

:func:`trace` follows the records from a table back to the raw files and
re-hashes every file on disk, so drift since the run is visible; a table with
a changed input upstream is *stale* (:attr:`Lineage.stale`).

At the end of a run, rule run_provenance writes the same lineage in the
standards: W3C PROV (``results/provenance/run.prov.json``, ``run.provn``) and a
Workflow Run RO-Crate (``results/ro-crate-metadata.json``); see
:mod:`buurtpreventie.standards`. ``buurtpreventie trace --prov`` walks the PROV
document into the same :class:`Lineage` tree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform
import subprocess
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "SCHEMA",
    "SOFTWARE",
    "Lineage",
    "build_record",
    "file_entry",
    "load_records",
    "sha256_file",
    "trace",
    "write_record",
]

SCHEMA = "buurtpreventie-provenance/1"
SOFTWARE = (
    "snakemake",
    "pandas",
    "numpy",
    "scipy",
    "pingouin",
    "statsmodels",
    "matplotlib",
    "weasyprint",
    "jinja2",
    "pyarrow",
    "openpyxl",
)
PACKAGE_ROOT = Path(__file__).resolve().parent


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """The sha256 of a file, read in chunks (any size)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def file_entry(path: str | Path) -> dict[str, Any]:
    """``{path, sha256, bytes}`` of one file (a folder: every file in it)."""
    path = Path(path)
    if path.is_dir():
        digest = hashlib.sha256()
        size = 0
        for item in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(item.relative_to(path)).encode() + b"\0" + sha256_file(item).encode())
            size += item.stat().st_size
        return {"path": str(path), "sha256": digest.hexdigest(), "bytes": size}
    return {"path": str(path), "sha256": sha256_file(path), "bytes": path.stat().st_size}


def package_hash(root: Path = PACKAGE_ROOT) -> str:
    """One sha256 over every ``.py`` file of the package (path and content)."""
    digest = hashlib.sha256()
    for item in sorted(root.rglob("*.py")):
        digest.update(str(item.relative_to(root)).encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=20, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def git_state() -> dict[str, Any]:
    """The commit of the working tree and whether it has uncommitted changes."""
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def software_versions(names: Iterable[str] = SOFTWARE) -> dict[str, str | None]:
    """Python's version and the installed version of each package (``None`` if absent)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def build_record(
    rule: str,
    wildcards: Mapping[str, str],
    script: str | None,
    used: Iterable[str | Path],
    generated: Iterable[str | Path],
    params: Mapping[str, Any],
    started: float,
) -> dict[str, Any]:
    """The provenance record of one finished job (see the module docstring)."""
    from buurtpreventie import __version__

    return {
        "schema": SCHEMA,
        "rule": rule,
        "wildcards": dict(wildcards),
        "script": file_entry(script) if script and Path(script).is_file() else None,
        "package": {"name": "buurtpreventie", "version": __version__, "sha256": package_hash()},
        "git": git_state(),
        "used": [file_entry(p) for p in used],
        "generated": [file_entry(p) for p in generated],
        "params": _jsonable(params),
        "software": software_versions(),
        "runtime": {
            "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.time() - started, 3),
        },
    }


def write_record(record: Mapping[str, Any], path: str | Path) -> None:
    """Write a record as indented JSON (UTF-8)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load_records(folder: str | Path) -> list[dict[str, Any]]:
    """Every provenance record under ``folder``."""
    records = []
    for path in sorted(Path(folder).rglob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("schema") == SCHEMA:
            record["_file"] = str(path)
            records.append(record)
    return records


@dataclass
class Lineage:
    """A file and where it came from: the job that generated it and that job's inputs."""

    path: str
    recorded: str | None
    current: str | None
    record: dict[str, Any] | None = None
    parents: list[Lineage] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return self.recorded is not None and self.recorded != self.current

    def walk(self) -> Iterable[Lineage]:
        yield self
        for parent in self.parents:
            yield from parent.walk()

    @property
    def changed_inputs(self) -> list[str]:
        """Files upstream of this one that changed or vanished since they were used.

        The paths, once each, in lineage order; empty when the file was made
        from the files as they are now.
        """
        changed: dict[str, None] = {}
        for parent in self.parents:
            for node in parent.walk():
                if node.current is None or node.drifted:
                    changed.setdefault(node.path)
        return list(changed)

    @property
    def stale(self) -> bool:
        """True when the file is older than its inputs: some input changed since it was made.

        Typical after a later run failed half-way: its outputs stay in
        ``results/`` while the exports, config or code they came from differ.
        """
        return bool(self.changed_inputs)


def _current_hash(path: str) -> str | None:
    target = Path(path)
    if not target.exists():
        return None
    return file_entry(target)["sha256"]


def trace(
    path: str,
    records: list[dict[str, Any]],
    recorded: str | None = None,
    hashes: dict[str, str | None] | None = None,
) -> Lineage:
    """The lineage of ``path``: the job that made it, recursively, down to raw files.

    ``recorded`` is the sha256 the consuming job saw; the on-disk file is hashed
    again so that any drift since the run is reported. Every file is hashed once
    per trace, however often the lineage passes it (a raw export feeds many
    tables; at a million respondents hashing it again each time took half a
    minute). Pass the same ``hashes`` dict to several traces to share that work.
    """
    producers = {Path(e["path"]).as_posix(): r for r in records for e in r["generated"]}
    hashes = {} if hashes is None else hashes

    def current(key: str) -> str | None:
        if key not in hashes:
            hashes[key] = _current_hash(key)
        return hashes[key]

    def lineage(key: str, recorded: str | None) -> Lineage:
        record = producers.get(key)
        if recorded is None and record is not None:
            recorded = next(
                e["sha256"] for e in record["generated"] if Path(e["path"]).as_posix() == key
            )
        node = Lineage(path=key, recorded=recorded, current=current(key), record=record)
        if record is not None:
            node.parents = [
                lineage(Path(e["path"]).as_posix(), e["sha256"]) for e in record["used"]
            ]
        return node

    return lineage(Path(path).as_posix(), recorded)
