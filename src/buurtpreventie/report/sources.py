"""Where each table and figure of the report comes from, for its caption and Bijlage B.

Built from the provenance records (:mod:`buurtpreventie.provenance`). Only what
is the same in every clean run of the same inputs and code goes into the
report: the file, the rule, the script and short sha256 hashes ("hash") of the output
and of the raw inputs. Run times and the git state stay in the records, so the
PDF remains byte-identical between runs.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from buurtpreventie.provenance import trace
from buurtpreventie.registry import load_registry

__all__ = ["APPENDIX_TABLES", "CAPTION_FIGURES", "CAPTION_TABLES", "provenance_sources"]

SHORT = 8

# Caption keys of the templates -> the results file behind them, from the registry
# (resources/tables.yaml), in its order: Bijlage B lists the sources in this order.
_REGISTRY = load_registry()
_MAIN_TABLES = _REGISTRY.caption_files("table", appendix=False)
#: Bijlage C (only in a study with more buurten than the main chapters show).
APPENDIX_TABLES = {
    key: path
    for key, path in _REGISTRY.caption_files("table").items()
    if key in _REGISTRY.appendix_keys()
}
CAPTION_TABLES = {**_MAIN_TABLES, **APPENDIX_TABLES}
CAPTION_FIGURES = _REGISTRY.caption_files("figure")


def _source(
    path: str, records: Sequence[Mapping[str, Any]], hashes: dict[str, str | None]
) -> dict[str, Any] | None:
    lineage = trace(path, list(records), hashes=hashes)
    if lineage.record is None:
        return None
    raw = {}
    for node in lineage.walk():
        if node.record is None and not node.path.startswith("src/"):
            raw[node.path] = (node.recorded or node.current or "")[:SHORT]
    script = lineage.record.get("script") or {}
    return {
        "file": path,
        "name": Path(path).name,
        "rule": lineage.record["rule"],
        "script": script.get("path", ""),
        "script_sha": script.get("sha256", "")[:SHORT],
        "sha": (lineage.recorded or "")[:SHORT],
        "raw": [{"path": p, "sha": h} for p, h in sorted(raw.items())],
        # Older than its inputs (a later run failed): the report says so.
        "stale": lineage.stale,
    }


def provenance_sources(
    records: Sequence[Mapping[str, Any]], unshown: Collection[str] = ()
) -> dict[str, Any]:
    """Per caption key the source of its table or figure, and the list for Bijlage B.

    Parameters
    ----------
    records : sequence of dict
        The workflow's provenance records.
    unshown : collection of str
        Caption keys of tables and figures this report leaves out (the summary
        figure and Bijlage C of a study whose chapters show every buurt): they
        get no source and stay out of the list.

    Returns
    -------
    dict
        ``tables`` and ``figures``: caption key -> source (file, rule, script,
        short hashes, raw inputs, ``stale`` when an input changed since the
        file was made), or nothing when no record made the file;
        ``chain``: one source per distinct file, in caption order.
    """
    hashes: dict[str, str | None] = {}  # each file hashed once for all captions
    tables = {k: _source(p, records, hashes) for k, p in CAPTION_TABLES.items() if k not in unshown}
    figures = {
        k: _source(p, records, hashes) for k, p in CAPTION_FIGURES.items() if k not in unshown
    }
    chain: dict[str, dict[str, Any]] = {}
    for source in [*tables.values(), *figures.values()]:
        if source is not None:
            chain.setdefault(source["file"], source)
    return {
        "tables": {k: v for k, v in tables.items() if v},
        "figures": {k: v for k, v in figures.items() if v},
        "chain": list(chain.values()),
    }
