"""The package files a script runs, read from its imports (buurtpreventie.codepaths)."""

from pathlib import Path

from conftest import ROOT

from buurtpreventie.codepaths import package_sources


def _modules(script: str) -> set[str]:
    files = package_sources(ROOT / "scripts" / script, ROOT / "src")
    return {str(Path(f).relative_to(ROOT / "src" / "buurtpreventie")) for f in files}


def test_imports_are_followed_through_the_package():
    ingest = _modules("ingest_wave.py")
    # direct imports, and what they import in turn (ingest -> derive, exports, pseudonym)
    survey = {"survey/ingest.py", "survey/derive.py", "survey/exports.py", "survey/pseudonym.py"}
    assert {"adapter.py", *survey} <= ingest
    # the adapter imports provenance inside a function: that counts too
    assert {"provenance.py", "errors.py", "__init__.py", "survey/__init__.py"} <= ingest
    assert not any(m.startswith(("report/", "chat/", "synthetic/", "stats/")) for m in ingest)


def test_from_package_import_module_and_subpackages_count():
    chat = _modules("parse_chat.py")  # from buurtpreventie.chat import tables (-> aggregate)
    assert {"chat/__init__.py", "chat/aggregate.py", "chat/whatsapp.py"} <= chat
    assert "stats/cellstats.py" in _modules("difference_in_differences.py")  # via models
    assert "stats/cellstats.py" not in _modules("reliability.py")


def test_a_script_without_package_imports_has_none(tmp_path):
    script = tmp_path / "lonely.py"
    script.write_text("import json\nprint(json.dumps({}))\n", encoding="utf-8")
    assert package_sources(script, ROOT / "src") == []
