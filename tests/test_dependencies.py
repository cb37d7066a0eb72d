"""pyproject.toml (pip), environment.yml (conda-forge) and the hash locks agree.

The locks, requirements/runtime.txt (``make study``) and requirements/dev.txt
(``make test``, CI), hold every transitive package with its sha256 hashes; they are
written by ``make lock`` from pyproject.toml. When a test here fails because a lock
is out of date, the message says to run ``make lock``.
"""

import re
import tomllib

import pytest
import yaml
from conftest import ROOT

LOCKS = {kind: ROOT / "requirements" / f"{kind}.txt" for kind in ("runtime", "dev", "cluster")}
STALE = "{lock} is out of date with pyproject.toml: run `make lock` and commit both locks ({why})"
PIN = re.compile(r"([A-Za-z0-9_.-]+)==(\S+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    return {_norm(n): v for n, v in (PIN.fullmatch(p).groups() for p in requirements)}


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pip_pins(*, dev: bool = True, kind: str | None = None) -> dict[str, str]:
    """The pins of a lock's kind (runtime, dev, cluster); without a kind: runtime and dev."""
    project = _pyproject()["project"]
    kind = kind or ("dev" if dev else "runtime")
    extra = [] if kind == "runtime" else project["optional-dependencies"][kind]
    return _pins(project["dependencies"] + extra)


def _build_pins() -> dict[str, str]:
    return _pins(_pyproject()["build-system"]["requires"])


def _conda_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = [d for d in env["dependencies"] if isinstance(d, str) and "=" in d]
    return {name: version for name, version in (p.split("=", 1) for p in pins) if name != "python"}


def _read_lock(path):
    """``{name: (version, hashes, direct)}``; ``direct``: uv's ``via ... (pyproject.toml)``."""
    entries, current = {}, None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not line.startswith((" ", "#")):
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s\\;]+)(?:\s*;[^\\]*)?\s*\\?", line)
            assert match, f"{path.name}:{number}: not an exact name==version pin: {line!r}"
            name = _norm(match[1])
            assert name not in entries, f"{path.name}:{number}: {name} is locked twice"
            current = entries[name] = [match[2], [], False]
        elif stripped.startswith("--hash="):
            assert current, f"{path.name}:{number}: a hash before any package"
            current[1].append(stripped.rstrip(" \\"))
        elif "(pyproject.toml)" in stripped and current:
            current[2] = True
    return {name: tuple(entry) for name, entry in entries.items()}


def test_same_packages_and_versions():
    pip, conda = _pip_pins(), _conda_pins()
    assert set(pip) == {_norm(k) for k in conda}
    assert pip == {_norm(k): v for k, v in conda.items()}


def test_every_pin_is_exact():
    assert all(version for version in _pip_pins().values())
    assert _build_pins(), "build-system.requires must pin setuptools exactly (it is locked too)"


@pytest.mark.parametrize("kind", LOCKS)
def test_lock_holds_every_direct_pin(kind):
    lock = LOCKS[kind]
    assert lock.exists(), STALE.format(lock=lock.relative_to(ROOT), why="missing")
    entries = _read_lock(lock)
    wanted = _pip_pins(kind=kind) | _build_pins()
    for name, version in wanted.items():
        assert name in entries, STALE.format(lock=lock.name, why=f"{name} is not in it")
        assert entries[name][0] == version, STALE.format(
            lock=lock.name, why=f"{name} is {entries[name][0]} there, pyproject.toml says {version}"
        )
    # A pin removed from pyproject.toml must leave the lock too.
    direct = {name for name, (_, _, is_direct) in entries.items() if is_direct}
    extra = direct - set(_pip_pins(kind=kind))
    assert not extra, STALE.format(
        lock=lock.name, why=f"no longer in pyproject.toml: {sorted(extra)}"
    )


@pytest.mark.parametrize("kind", LOCKS)
def test_every_locked_package_has_a_sha256(kind):
    entries = _read_lock(LOCKS[kind])
    assert len(entries) > len(_pip_pins(kind=kind)), "transitive packages are locked too"
    for name, (version, hashes, _) in entries.items():
        assert hashes, f"{LOCKS[kind].name}: {name}=={version} has no --hash"
        assert all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), name


@pytest.mark.parametrize("kind", ["dev", "cluster"])
def test_dev_and_cluster_locks_keep_the_runtime_versions(kind):
    """``make test`` and ``make setup-cluster`` install exactly the versions ``make study``
    installs, plus their extras."""
    runtime, other = _read_lock(LOCKS["runtime"]), _read_lock(LOCKS[kind])
    locked = {name: entry[0] for name, entry in other.items()}
    differ = {n: (v, locked.get(n)) for n, (v, _, _) in runtime.items() if locked.get(n) != v}
    assert not differ, STALE.format(
        lock=f"requirements/{kind}.txt", why=f"runtime versions differ: {differ}"
    )


def test_the_tests_have_the_cluster_plugins_and_the_study_does_not():
    """The SLURM plugins are tested (dev holds the cluster extra) but not installed for a
    local run: Snakemake imports every installed executor plugin on each call."""
    cluster, dev = _pip_pins(kind="cluster"), _pip_pins(kind="dev")
    assert cluster.items() <= dev.items()
    plugins = {name for name in cluster if name.startswith("snakemake-executor-plugin")}
    assert plugins and not plugins & set(_read_lock(LOCKS["runtime"]))


def test_locks_say_how_to_regenerate_them():
    for lock in LOCKS.values():
        assert "make lock" in "".join(lock.read_text(encoding="utf-8").splitlines(True)[:3])


def test_make_installs_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for variable in ("LOCK_RUNTIME", "LOCK_DEV", "LOCK_CLUSTER"):
        assert f"install --require-hashes --no-deps -r $({variable})" in makefile
    assert "--no-build-isolation -e ." in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
