"""The provenance of a run in the standards auditors' tools read: W3C PROV and RO-Crate.

Made at the end of a run (rule ``run_provenance``) from the run's own records
(:mod:`buurtpreventie.provenance`), and only from them: no file is hashed
again, no login name, host or path outside the repository is read, so the
files hold no more than the records (which hold no personal data).

W3C PROV (:func:`prov_document`, with the ``prov`` package)
    Every file a job used or generated is an *entity* (``bpf:<path>``, label
    the path, with ``bp:sha256`` and ``bp:bytes``); every job an *activity*
    (``bpj:<rule>[/<wildcard values>]``, start and end time, rule,
    wildcards, script and its sha256); the pipeline (version, package sha256,
    git commit) a ``prov:SoftwareAgent``. Relations: ``used``,
    ``wasGeneratedBy``, ``wasAssociatedWith`` (with the script as plan) and
    ``wasDerivedFrom`` from every output to every data input of its job
    (code files are used, but nothing is derived from them). Written as
    PROV-JSON and PROV-N.

Workflow Run RO-Crate (:func:`run_crate`, with the ``rocrate`` package)
    ``results/`` is the crate root. Its files are data entities (``File``,
    with ``sha256`` and ``contentSize``). An attached crate may only name as
    data entities the files inside its root or on the web, so the files of
    the repository the run read (Snakefile, rules, config, raw exports,
    resources, code) are contextual ``File`` entities with a local identifier
    ``#repo/<path>`` and their sha256: whoever has the repository checks them.
    The Snakefile is the ``mainEntity`` (``ComputationalWorkflow``,
    programmingLanguage Snakemake); Python and the packages are
    ``SoftwareApplication`` entities; one ``CreateAction`` is the run, with
    the workflow as ``instrument``, the config and inputs as ``object`` and
    every output as ``result``. The crate conforms to the Process Run Crate,
    Workflow Run Crate (0.5) and Workflow RO-Crate (1.0) profiles.

:func:`prov_lineage` walks the PROV document (not the records) from a file to
the raw inputs, for ``buurtpreventie trace --prov``.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

__all__ = [
    "PROFILES",
    "PROV_NAMESPACE",
    "prov_document",
    "prov_lineage",
    "run_crate",
    "write_crate",
    "write_prov",
    "write_run",
]

PROV_NAMESPACE = "urn:buurtpreventie:"
PROFILES = {
    "https://w3id.org/ro/wfrun/process/0.5": ("Process Run Crate", "0.5"),
    "https://w3id.org/ro/wfrun/workflow/0.5": ("Workflow Run Crate", "0.5"),
    "https://w3id.org/workflowhub/workflow-ro-crate/1.0": ("Workflow RO-Crate", "1.0"),
}
WFRUN_CONTEXT = "https://w3id.org/ro/terms/workflow-run/context"


# --- shared -------------------------------------------------------------------------------


def _posix(path: str) -> str:
    return PurePosixPath(Path(path).as_posix()).as_posix()


def is_code(path: str) -> bool:
    """A source file of the package or a script: used by a job, no data derived from it."""
    return path.startswith(("src/", "scripts/")) or path.endswith(".py")


def job_id(record: Mapping[str, Any]) -> str:
    """``<rule>`` or ``<rule>/<wildcard values>``: the record's path under results/provenance."""
    values = [str(v) for v in record.get("wildcards", {}).values()]
    return "/".join([record["rule"], *values])


def _times(record: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.fromisoformat(record["runtime"]["started"])
    return start, start + dt.timedelta(seconds=float(record["runtime"]["seconds"]))


def _sorted(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(records, key=lambda r: (_times(r)[0], job_id(r)))


# --- W3C PROV -----------------------------------------------------------------------------


def _file_ids(records: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """The local name of each (path, sha256): the path, with the hash when a path has several.

    In one consistent run every job saw the same bytes of a file; records of
    different runs can disagree, and then each version is its own entity.
    """
    hashes: dict[str, set[str]] = {}
    for record in records:
        own = [record["_entry"]] if record.get("_entry") else []
        for entry in [*record["used"], *record["generated"], *own]:
            hashes.setdefault(_posix(entry["path"]), set()).add(entry["sha256"])
        if record.get("script"):
            hashes.setdefault(_posix(record["script"]["path"]), set()).add(
                record["script"]["sha256"]
            )
    names = {}
    for path, digests in hashes.items():
        for digest in digests:
            name = quote(path, safe="/._-")
            names[(path, digest)] = name if len(digests) == 1 else f"{name}@{digest[:12]}"
    return names


def prov_document(records: Sequence[Mapping[str, Any]]):
    """The run's lineage as a :class:`prov.model.ProvDocument` (see the module docstring)."""
    from prov.model import PROV, PROV_LABEL, PROV_TYPE, ProvDocument

    records = _sorted(records)
    doc = ProvDocument()
    doc.set_default_namespace(PROV_NAMESPACE)
    bp = doc.add_namespace("bp", PROV_NAMESPACE + "terms#")
    bpf = doc.add_namespace("bpf", PROV_NAMESPACE + "file:")
    bpj = doc.add_namespace("bpj", PROV_NAMESPACE + "job:")
    bpa = doc.add_namespace("bpa", PROV_NAMESPACE + "agent:")
    names = _file_ids(records)
    entities: dict[str, Any] = {}

    def entity(entry: Mapping[str, Any], kind: str):
        path = _posix(entry["path"])
        name = names[(path, entry["sha256"])]
        if name not in entities:
            attributes = {
                PROV_LABEL: path,
                bp["path"]: path,
                bp["sha256"]: entry["sha256"],
                PROV_TYPE: bp[kind],
            }
            if entry.get("bytes") is not None:
                attributes[bp["bytes"]] = int(entry["bytes"])
            entities[name] = doc.entity(bpf[name], attributes)
        return entities[name]

    agents: dict[tuple, Any] = {}
    for record in records:
        package, git = record.get("package") or {}, record.get("git") or {}
        key = (package.get("version"), package.get("sha256"), git.get("commit"), git.get("dirty"))
        if key not in agents:
            commit = git.get("commit") or "no-git"
            name = f"buurtpreventie-{package.get('version')}-{commit[:12]}"
            if len(agents):
                name += f"-{len(agents)}"
            attributes = {
                PROV_TYPE: PROV["SoftwareAgent"],
                PROV_LABEL: f"buurtpreventie {package.get('version')} (commit {commit[:12]})",
                bp["version"]: str(package.get("version")),
                bp["package_sha256"]: str(package.get("sha256")),
                bp["git_commit"]: commit,
                bp["git_dirty"]: bool(git.get("dirty")),
            }
            agents[key] = doc.agent(bpa[name], attributes)
        agent = agents[key]

        start, end = _times(record)
        attributes = {
            PROV_TYPE: bp["SnakemakeJob"],
            PROV_LABEL: job_id(record),
            bp["rule"]: record["rule"],
        }
        for wildcard, value in record.get("wildcards", {}).items():
            attributes[bp[f"wildcard_{wildcard}"]] = str(value)
        plan = None
        if record.get("script"):
            attributes[bp["script"]] = _posix(record["script"]["path"])
            attributes[bp["script_sha256"]] = record["script"]["sha256"]
            plan = entity(record["script"], "Script")
            doc.wasAttributedTo(plan, agent)
        activity = doc.activity(bpj[quote(job_id(record), safe="/._-")], start, end, attributes)
        doc.wasAssociatedWith(activity, agent, plan)
        used = []
        for entry in record["used"]:
            path = _posix(entry["path"])
            kind = "Code" if is_code(path) else ("File" if path.startswith("results/") else "Input")
            inp = entity(entry, kind)
            doc.used(activity, inp, start)
            if not is_code(path):
                used.append(inp)
        for entry in record["generated"]:
            out = entity(entry, "File")
            doc.wasGeneratedBy(out, activity, end)
            for inp in used:
                doc.wasDerivedFrom(out, inp, activity)
        if record.get("_entry"):  # the job's own record, which later jobs may use
            doc.wasGeneratedBy(entity(record["_entry"], "ProvenanceRecord"), activity, end)
    return doc


def write_prov(records: Sequence[Mapping[str, Any]], json_path: str | Path, provn_path: str | Path):
    """Write the PROV document as PROV-JSON (indented, sorted keys) and as PROV-N."""
    doc = prov_document(records)
    data = json.loads(doc.serialize(format="json"))
    Path(json_path).write_text(
        json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    Path(provn_path).write_text(doc.serialize(format="provn") + "\n", encoding="utf-8")
    return doc


def _attribute(record, name: str):
    for key, value in record.attributes:
        if key.localpart == name:
            return value
    return None


def prov_lineage(doc, path: str):
    """The lineage of ``path`` in a PROV document, as a :class:`~buurtpreventie.provenance.Lineage`.

    Walks ``wasGeneratedBy`` and ``used`` of the document only; ``record`` of
    each node that a job made is a small dict with the job's rule,
    wildcards, script, agent and start time, as our records have them, so that
    the tree prints the same way. The files on disk are hashed again.
    """
    from prov.model import (
        ProvActivity,
        ProvAgent,
        ProvAssociation,
        ProvEntity,
        ProvGeneration,
        ProvUsage,
    )

    from buurtpreventie.provenance import Lineage, file_entry

    doc = doc.unified()
    by_id = {r.identifier: r for r in doc.get_records((ProvEntity, ProvActivity, ProvAgent))}
    generated_by: dict = {}
    used_by: dict = {}
    agent_of: dict = {}
    for relation in doc.get_records(ProvGeneration):
        entity, activity = relation.formal_attributes[0][1], relation.formal_attributes[1][1]
        generated_by[entity] = activity
    for relation in doc.get_records(ProvUsage):
        activity, entity = relation.formal_attributes[0][1], relation.formal_attributes[1][1]
        used_by.setdefault(activity, []).append(entity)
    for relation in doc.get_records(ProvAssociation):
        agent_of[relation.formal_attributes[0][1]] = relation.formal_attributes[1][1]
    hashes: dict[str, str | None] = {}

    def current(key: str) -> str | None:
        if key not in hashes:
            hashes[key] = file_entry(key)["sha256"] if Path(key).exists() else None
        return hashes[key]

    def job(activity_id) -> dict[str, Any]:
        activity = by_id[activity_id]
        agent = by_id.get(agent_of.get(activity_id))
        wildcards = {
            key.localpart.removeprefix("wildcard_"): str(value)
            for key, value in activity.attributes
            if key.localpart.startswith("wildcard_")
        }
        start = activity.get_startTime()
        script = _attribute(activity, "script")
        return {
            "rule": str(_attribute(activity, "rule")),
            "wildcards": wildcards,
            "script": {"path": str(script), "sha256": str(_attribute(activity, "script_sha256"))}
            if script
            else None,
            "package": {"sha256": str(_attribute(agent, "package_sha256")) if agent else ""},
            "git": {
                "commit": str(_attribute(agent, "git_commit")) if agent else None,
                "dirty": _attribute(agent, "git_dirty") if agent else None,
            },
            "runtime": {"started": start.isoformat() if start else ""},
        }

    def lineage(entity_id, seen: frozenset) -> Lineage:
        entity = by_id[entity_id]
        key = str(_attribute(entity, "path"))
        node = Lineage(path=key, recorded=str(_attribute(entity, "sha256")), current=current(key))
        activity = generated_by.get(entity_id)
        if activity is not None and activity not in seen:
            node.record = job(activity)
            node.parents = [lineage(e, seen | {activity}) for e in used_by.get(activity, [])]
        return node

    key = _posix(path)
    matches = [
        r.identifier
        for r in by_id.values()
        if isinstance(r, ProvEntity) and str(_attribute(r, "path")) == key
    ]
    if not matches:
        return None
    # Several versions of a path: the one a job generated, else the first.
    made = [m for m in matches if m in generated_by]
    return lineage((made or matches)[0], frozenset())


# --- RO-Crate -----------------------------------------------------------------------------


def _mime(path: str) -> str | None:
    extra = {".parquet": "application/vnd.apache.parquet", ".provn": "text/provenance-notation"}
    suffix = Path(path).suffix.lower()
    return extra.get(suffix) or mimetypes.guess_type(path)[0]


def run_crate(
    records: Sequence[Mapping[str, Any]],
    results: str | Path,
    workflow_files: Mapping[str, Mapping[str, Any]],
    config_files: Sequence[Mapping[str, Any]],
    extra_outputs: Sequence[Mapping[str, Any]] = (),
    config_sha256: str | None = None,
    registry=None,
):
    """The Workflow Run RO-Crate of a run (a :class:`rocrate.rocrate.ROCrate`, not written).

    ``workflow_files``: ``{path: file_entry}`` of the Snakefile (first) and
    the rule files; ``config_files``: the file entries of the config files;
    ``extra_outputs``: file entries of files in ``results`` made after the
    records (the PROV files, the records themselves). Paths are relative to
    the repository; those under ``results`` become data entities.
    """
    from rocrate.model.computerlanguage import get_lang
    from rocrate.model.contextentity import ContextEntity
    from rocrate.model.file import File
    from rocrate.rocrate import ROCrate

    records = _sorted(records)
    root = _posix(str(results)).rstrip("/") + "/"
    crate = ROCrate(version="1.1")
    crate.metadata.extra_contexts.append(WFRUN_CONTEXT)
    labels = {}
    if registry is not None:
        labels = {entry.file: entry for entry in registry}

    first, last = _times(records[0])[0], max(_times(r)[1] for r in records)
    package = records[-1].get("package") or {}
    git = records[-1].get("git") or {}
    commit = git.get("commit") or "no-git"
    crate.name = f"buurtpreventie: a run of the workflow (commit {commit[:12]})"
    crate.description = (
        "Results of one run of the buurtpreventie workflow, from the SurveyMonkey and "
        "WhatsApp exports to the report: tables, figures, the report, the provenance records "
        "of every job and their W3C PROV form (provenance/run.prov.json, run.provn)."
    )
    crate.datePublished = last.isoformat()
    profiles = []
    for uri, (name, version) in PROFILES.items():
        profiles.append(
            crate.add(
                ContextEntity(
                    crate,
                    uri,
                    properties={"@type": "CreativeWork", "name": name, "version": version},
                )
            )
        )
    crate.root_dataset["conformsTo"] = profiles

    def local(path: str, entry: Mapping[str, Any], kind: str, extra=None):
        """A file of the repository outside the crate: a contextual File with its sha256."""
        identifier = "#repo/" + quote(path, safe="/._-")
        if identifier in crate:
            return crate.dereference(identifier)
        properties = {
            "@type": kind,
            "name": path,
            "description": "In the repository at this path (outside the crate root results/).",
            "sha256": entry["sha256"],
        }
        if entry.get("bytes") is not None:
            properties["contentSize"] = str(entry["bytes"])
        if mime := _mime(path):
            properties["encodingFormat"] = mime
        properties.update(extra or {})
        return crate.add(ContextEntity(crate, identifier, properties=properties))

    def inside(path: str, entry: Mapping[str, Any]):
        """A file under results/: a data entity, named by its registry label when registered."""
        rel = path[len(root) :]
        if rel in crate:
            return crate.dereference(rel)
        properties = {"name": rel, "sha256": entry["sha256"]}
        if entry.get("bytes") is not None:
            properties["contentSize"] = str(entry["bytes"])
        if mime := _mime(path):
            properties["encodingFormat"] = mime
        registered = labels.get(path)
        if registered is not None:
            properties["name"] = f"{registered.report or registered.name}: {registered.title}"
            properties["alternateName"] = registered.name
            properties["description"] = registered.caption
        return crate.add(File(crate, None, rel, properties=properties))

    # Software: Python and the packages that shape the results, and the pipeline itself.
    software = []
    versions = {k: v for r in records for k, v in (r.get("software") or {}).items() if v}
    for name, version in sorted(versions.items()):
        software.append(
            crate.add(
                ContextEntity(
                    crate,
                    f"#software/{name}",
                    properties={"@type": "SoftwareApplication", "name": name, "version": version},
                )
            )
        )
    pipeline = crate.add(
        ContextEntity(
            crate,
            "#software/buurtpreventie",
            properties={
                "@type": "SoftwareApplication",
                "name": "buurtpreventie",
                "version": str(package.get("version")),
                "description": f"The pipeline's package at git commit {commit}"
                + (" (with uncommitted changes)" if git.get("dirty") else "")
                + f"; sha256 over its sources {package.get('sha256')}.",
                "identifier": commit,
            },
        )
    )

    # The workflow: the Snakefile with the rule files as its parts.
    paths = list(workflow_files)
    snakemake_version = versions.get("snakemake")
    language = crate.add(get_lang(crate, "snakemake", version=snakemake_version))
    parts = [
        local(path, workflow_files[path], "File", {"programmingLanguage": language})
        for path in paths[1:]
    ]
    workflow = local(
        paths[0],
        workflow_files[paths[0]],
        ["File", "SoftwareSourceCode", "ComputationalWorkflow"],
        {
            "programmingLanguage": language,
            "version": str(package.get("version")),
            "hasPart": parts,
            "softwareRequirements": [pipeline, *software],
        },
    )
    crate.mainEntity = workflow

    # Inputs (outside results/), outputs (inside); every job's files.
    inputs, outputs = {}, {}
    code = {}
    for record in records:
        for entry in record["used"]:
            path = _posix(entry["path"])
            if path.startswith(root):
                continue
            if is_code(path):
                code[path] = local(path, entry, "File")
            else:
                inputs[path] = local(path, entry, "File")
        for entry in record["generated"]:
            path = _posix(entry["path"])
            if path.startswith(root):
                outputs[path] = inside(path, entry)
        if record.get("script"):
            path = _posix(record["script"]["path"])
            code[path] = local(path, record["script"], "File")
        record_file = record.get("_file")
        if record_file and record.get("_entry") and _posix(record_file).startswith(root):
            outputs[_posix(record_file)] = inside(_posix(record_file), record["_entry"])
    for entry in extra_outputs:
        path = _posix(entry["path"])
        outputs[path] = inside(path, entry)
    pipeline["hasPart"] = [code[p] for p in sorted(code)]
    configs = [
        local(_posix(e["path"]), e, "File", {"name": _posix(e["path"])}) for e in config_files
    ]
    objects = configs + [inputs[p] for p in sorted(inputs)]
    if config_sha256:
        objects.append(
            crate.add(
                ContextEntity(
                    crate,
                    "#config-effective",
                    properties={
                        "@type": "PropertyValue",
                        "name": "sha256 of the effective config (files, --config and defaults)",
                        "value": config_sha256,
                    },
                )
            )
        )

    action = crate.add_action(
        workflow,
        identifier=f"#run-{commit[:12]}-{first.strftime('%Y%m%dT%H%M%S')}",
        object=objects,
        result=[outputs[p] for p in sorted(outputs)],
        properties={
            "@type": "CreateAction",
            "name": f"Run of the buurtpreventie workflow, {first.isoformat()}",
            "startTime": first.isoformat(),
            "endTime": last.isoformat(),
            "actionStatus": {"@id": "http://schema.org/CompletedActionStatus"},
        },
    )
    crate.root_dataset["mentions"] = [action]
    return crate


def write_crate(crate, results: str | Path) -> Path:
    """Write only ``ro-crate-metadata.json`` into ``results`` (the files are there already)."""
    crate.metadata.write(results)
    return Path(results) / "ro-crate-metadata.json"


# --- the rule's work ------------------------------------------------------------------------


def _config_entry(path: str | Path) -> dict[str, Any]:
    """The file entry of a config file, by its path in the working directory, else by its
    name only: an absolute path would name the user's home folder."""
    from buurtpreventie.provenance import file_entry

    entry = file_entry(path)
    relative = os.path.relpath(Path(path).resolve(), Path.cwd())
    entry["path"] = Path(path).name if relative.startswith("..") else Path(relative).as_posix()
    return entry


def load_run(record_files: Sequence[str | Path]) -> list[dict[str, Any]]:
    """The records of a run, each with ``_file`` and ``_entry`` (its own path and sha256).

    Every file under ``results/`` that a job used must be made by a job of the
    list (else the list misses a job and the lineage would stop short): an
    :class:`~buurtpreventie.errors.InputError` names the first such file.
    """
    from buurtpreventie.errors import InputError
    from buurtpreventie.provenance import SCHEMA, file_entry

    records = []
    for path in record_files:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        if record.get("schema") != SCHEMA:
            raise InputError(
                str(path), f"not a provenance record (schema {record.get('schema')!r})"
            )
        record["_file"] = Path(path).as_posix()
        record["_entry"] = file_entry(path)
        records.append(record)
    made = {_posix(e["path"]) for r in records for e in r["generated"]}
    used = {_posix(e["path"]) for r in records for e in r["used"]}
    made |= {r["_file"] for r in records}
    missing = sorted(p for p in used - made if p.startswith("results/"))
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputError(
            missing[0],
            f"no provenance record of the run names the job that made it{more}: add the "
            "record to rule run_provenance's input (run_records in workflow/rules/report.smk)",
        )
    return records


def write_run(
    record_files: Sequence[str | Path],
    workflow_files: Sequence[str | Path],
    config_files: Sequence[str | Path],
    prov_json: str | Path,
    provn: str | Path,
    crate: str | Path,
    registry=None,
    config_sha256: str | None = None,
) -> list[dict[str, Any]]:
    """What rule run_provenance does: PROV-JSON, PROV-N and ro-crate-metadata.json of a run.

    ``crate`` is the path of ``ro-crate-metadata.json``: its folder is the crate root.
    """
    from buurtpreventie.provenance import file_entry

    records = load_run(record_files)
    write_prov(records, prov_json, provn)
    results = Path(crate).parent
    built = run_crate(
        records,
        results=results,
        workflow_files={Path(p).as_posix(): file_entry(p) for p in workflow_files},
        config_files=[_config_entry(p) for p in config_files],
        extra_outputs=[file_entry(prov_json), file_entry(provn)],
        config_sha256=config_sha256,
        registry=registry,
    )
    write_crate(built, results)
    return records
