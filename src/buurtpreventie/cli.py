"""Command line of the pipeline: ``buurtpreventie trace`` and ``buurtpreventie inspect``.

``trace "Tabel 4"`` (or ``trace results/tables/baseline.csv``) prints the
lineage of a table or figure down to the raw files, from the provenance
records under ``results/provenance``, hashes every file on disk again and
reports drift: a file that changed since the run that used it. The
exit code is 1 when anything drifted or is missing.

``trace --prov "Tabel 4"`` walks the run's W3C PROV document
(``results/provenance/run.prov.json``, written by rule run_provenance) instead
of our records, and checks that both give the same files and hashes. Without
records, ``trace`` falls back to the PROV document by itself.

``trace --code "Tabel 4"`` prints the code path instead, one step per line as
``file:line`` (:mod:`buurtpreventie.codetrace`): config keys -> rule -> script
-> package function -> file -> template. The exit code is 1 when a step cannot
be found.

``inspect`` reads a researcher's own exports as the pipeline would and says
what each file is, how it was read, what it counts, and what would stop the
pipeline (exit code 1 when anything would). It writes nothing and shows no
name, message or answer; ``--json`` gives one JSON object per file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from buurtpreventie.codetrace import CodeTrace, Link, code_trace
from buurtpreventie.provenance import Lineage, load_records, trace
from buurtpreventie.registry import Registry, load_registry
from buurtpreventie.standards import prov_lineage

__all__ = ["main", "resolve_target"]


def resolve_target(target: str, registry_file: Path | None, results: Path) -> list[str]:
    """Paths for a target: a file path as given, or the files of a registry label ("Tabel 4").

    A label, a name ("did") or a registered file resolves with
    :meth:`Registry.find`; the files are given under ``results`` (the
    registry's paths start with ``results/``).
    """
    if Path(target).exists() or "/" in target:
        return [target]
    return [str(_under(results, e.file)) for e in _registry(registry_file).find(target)]


def _under(results: Path, file: str) -> Path:
    parts = Path(file).parts
    return results.joinpath(*parts[1:]) if parts and parts[0] == "results" else Path(file)


def _registry(path: Path | None) -> Registry:
    """The registry at ``path`` when it exists, else the package's resources/tables.yaml."""
    return load_registry(path if path is not None and path.exists() else None)


def _status(node: Lineage) -> str:
    if node.current is None:
        return "MISSING"
    if node.drifted:
        return f"DRIFT (recorded {node.recorded[:12]}, now {node.current[:12]})"
    return "ok"


def _print(node: Lineage, prefix: str = "", last: bool = True, out=None) -> None:
    out = out or sys.stdout
    branch = "" if not prefix and last else ("└─ " if last else "├─ ")
    digest = (node.current or node.recorded or "")[:12]
    raw = "" if node.record else ("  [code]" if node.path.startswith("src/") else "  [raw input]")
    print(f"{prefix}{branch}{node.path}  sha256:{digest}  {_status(node)}{raw}", file=out)
    child_prefix = prefix + ("   " if last else "│  ") if (prefix or not last) else prefix + ""
    if node.record is not None:
        record = node.record
        wildcards = ", ".join(f"{k}={v}" for k, v in record.get("wildcards", {}).items())
        script = record.get("script") or {}
        git = record.get("git") or {}
        commit = (git.get("commit") or "no git")[:10] + (" (dirty)" if git.get("dirty") else "")
        job = record["rule"] + (f" [{wildcards}]" if wildcards else "")
        print(
            f"{child_prefix}   made by rule {job}; "
            f"script {script.get('path', '-')} ({script.get('sha256', '')[:12]}); "
            f"package {record['package']['sha256'][:12]}; commit {commit}; "
            f"{record['runtime']['started']}",
            file=out,
        )
        for index, parent in enumerate(node.parents):
            _print(parent, child_prefix + "   ", index == len(node.parents) - 1, out)


def run_inspect(args: argparse.Namespace) -> int:
    """Inspect each file; 1 when any would stop the pipeline."""
    from buurtpreventie.checks.inspector import inspect_file, load_settings

    config = args.config if args.config != "-" else None
    settings = load_settings(config)
    refused = 0
    for path in args.files:
        inspection = inspect_file(path, settings)
        refused += inspection.verdict == "refused"
        if args.json:
            print(json.dumps(inspection.to_json(), ensure_ascii=False, sort_keys=False))
        else:
            print("\n".join(inspection.lines()))
    return 1 if refused else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="buurtpreventie", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    tracer = commands.add_parser("trace", help="lineage of a table or figure, with drift check")
    tracer.add_argument(
        "target", help='a path (results/tables/baseline.csv) or a label ("Tabel 4")'
    )
    tracer.add_argument("--results", default="results", help="results folder (default: results)")
    tracer.add_argument(
        "--tables",
        default="resources/tables.yaml",
        help="registry of tables and figures (default: resources/tables.yaml, else the package's)",
    )
    tracer.add_argument(
        "--prov",
        action="store_true",
        help="walk the W3C PROV document (results/provenance/run.prov.json), not the records",
    )
    tracer.add_argument(
        "--code",
        action="store_true",
        help="the code path instead (file:line): config, rule, script, function, file, template",
    )
    inspector = commands.add_parser(
        "inspect", help="how the pipeline would read your exports (writes nothing)"
    )
    inspector.add_argument("files", nargs="+", help="WhatsApp .txt, SurveyMonkey or MAXQDA files")
    inspector.add_argument("--json", action="store_true", help="one JSON object per file")
    inspector.add_argument(
        "--config",
        default="config.yaml",
        help="config whose codebook, collectors, locales and scheme to use (- for none)",
    )
    args = parser.parse_args(argv)
    if args.command == "inspect":
        return run_inspect(args)
    if args.code:
        return run_code_trace(args.target, Path(args.tables))

    results = Path(args.results)
    records = load_records(results / "provenance")
    prov_file = results / "provenance" / PROV_FILE
    if (args.prov or not records) and not prov_file.is_file():
        print(
            f"no provenance records under {results / 'provenance'}: run snakemake first"
            if not records
            else f"no PROV document {prov_file}: run snakemake (rule run_provenance) first",
            file=sys.stderr,
        )
        return 2
    paths = resolve_target(args.target, Path(args.tables), results)
    if not paths:
        print(f"{args.target!r} names no table or file", file=sys.stderr)
        return 2
    document = _read_prov(prov_file) if args.prov or not records else None
    problems = 0
    for path in paths:
        if document is not None:
            lineage = prov_lineage(document, path)
            if lineage is None:
                print(f"{path}: not in the PROV document {prov_file}", file=sys.stderr)
                problems += 1
                continue
            if records:
                problems += _cross_check(lineage, trace(path, records), prov_file)
        else:
            lineage = trace(path, records)
        _print(lineage)
        print()
        problems += sum(n.current is None or n.drifted for n in lineage.walk())
        if lineage.stale:
            print(_stale_line(lineage))
    if problems:
        print(f"{problems} file(s) missing or changed since they were used", file=sys.stderr)
    return 1 if problems else 0


PROV_FILE = "run.prov.json"


def _read_prov(path: Path):
    """The PROV document of a run (PROV-JSON, read with the ``prov`` package)."""
    from prov.model import ProvDocument

    return ProvDocument.deserialize(source=str(path), format="json")


def _pairs(node: Lineage) -> set[tuple[str, str | None]]:
    return {(n.path, n.recorded) for n in node.walk()}


def _cross_check(from_prov: Lineage, from_records: Lineage, prov_file: Path) -> int:
    """1 (and a line) when the PROV document and the records give other files or hashes."""
    only_prov = _pairs(from_prov) - _pairs(from_records)
    only_records = _pairs(from_records) - _pairs(from_prov)
    if not only_prov and not only_records:
        return 0
    path, digest = sorted(only_prov or only_records)[0]
    where = "only the PROV document" if only_prov else "only the records"
    print(
        f"{prov_file} and the records disagree: {where} name {path} "
        f"(sha256 {str(digest)[:12]}); {len(only_prov | only_records)} difference(s): "
        "rerun snakemake",
        file=sys.stderr,
    )
    return 1


def run_code_trace(target: str, registry_file: Path | None = None) -> int:
    """Print the code path of each entry a label resolves to; 1 when a link is not found."""
    registry = _registry(registry_file)
    entries = registry.find(target)
    if not entries:
        print(f"{target!r} names no registered table or figure", file=sys.stderr)
        return 2
    missing: list[str] = []
    for index, entry in enumerate(entries):
        if index:
            print()
        chain = code_trace(entry)
        print("\n".join(code_trace_lines(chain)))
        missing += [f"{entry.name}: {m}" for m in chain.missing]
    if missing:
        print(f"{len(missing)} link(s) not found: " + "; ".join(missing), file=sys.stderr)
    return 1 if missing else 0


def code_trace_lines(chain: CodeTrace) -> list[str]:
    """The chain as text: a header, the config keys, then one arrow per step."""
    entry = chain.entry
    lines = [f"{entry.report} → {entry.name} ({entry.file})"]
    if not chain.config:
        lines.append("  config    (none)")
    for index, link in enumerate(chain.config):
        lines += _link_lines("  config  " if index == 0 else " " * 10, link, named=True)
    for link in chain.chain:
        lines += _link_lines(f"  → {link.kind:<6}", link, named=link.kind in ("rule", "code"))
    return lines


def _link_lines(head: str, link: Link, named: bool) -> list[str]:
    """One line per place of a link; the second and later lines are indented under the first."""
    pad = " " * len(head)
    if link.missing:
        what = f"{link.label}  " if link.label else ""
        return [f"{head}  {what}NOT FOUND: {link.missing}"]
    if not link.places:
        return [f"{head}  {link.note}"]
    lines = []
    for index, place in enumerate(link.places):
        text = str(place)
        if link.kind in ("table", "figure"):
            text = f"{link.label}  (registered at {place}; {link.note})"
        elif place.note:
            text += f" ({place.note})"
        elif link.note:
            text += f" ({link.note})"
        label = place.label or link.label
        if named:
            text = f"{label:<16} {text}" if len(label) < 16 else f"{label}  {text}"
        lines.append(f"{head if index == 0 else pad}  {text}")
    return lines


def _stale_line(node: Lineage) -> str:
    """One line saying that a table is older than its inputs, and which changed."""
    changed = node.changed_inputs
    named = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (
        f"STALE: {node.path} is older than its inputs ({named} changed since it was made; "
        "a later run failed or did not run): rerun snakemake"
    )


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:  # output piped into `head`
        raise SystemExit(0) from None
