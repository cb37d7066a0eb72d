"""Which Snakemake run holds this folder's lock: a pid file written at start.

Snakemake locks the files a run will write (``.snakemake/locks``); a second
run in the same folder then stops with ``LockException``, and after a killed
run with the same message, which reads as if something were broken. The
workflow writes the main process's PID, host and start time to
:data:`RUN_FILE` when it starts (``onstart``) and removes it when it ends
(``onsuccess``/``onerror``). Before a new run, :func:`lock_note` turns the
lock into one line that says which run holds it, or that its run is gone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from pathlib import Path

__all__ = ["RUN_FILE", "clear_run", "lock_note", "process_alive", "record_run"]

RUN_FILE = ".snakemake/buurtpreventie-run.json"
LOCKS = ".snakemake/locks"


def record_run(path: str | Path = RUN_FILE, pid: int | None = None) -> None:
    """Write this run's PID, host and start time (UTC) to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "pid": os.getpid() if pid is None else pid,
        "host": socket.gethostname(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    target.write_text(json.dumps(record) + "\n", encoding="utf-8")


def clear_run(path: str | Path = RUN_FILE, pid: int | None = None) -> None:
    """Remove ``path`` if it is this run's record (another run's record stays)."""
    target = Path(path)
    run = _read_run(target)
    if run is not None and run.get("pid") == (os.getpid() if pid is None else pid):
        target.unlink(missing_ok=True)


def _read_run(path: Path) -> dict | None:
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return run if isinstance(run, dict) and isinstance(run.get("pid"), int) else None


def process_alive(pid: int) -> bool:
    """True when a process with this PID runs on this machine (as any user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def lock_note(locks: str | Path = LOCKS, run_file: str | Path = RUN_FILE) -> str | None:
    """One line on who holds the lock of this folder, or ``None`` when nobody does.

    Parameters
    ----------
    locks : path
        Snakemake's lock folder (``.snakemake/locks``).
    run_file : path
        The record :func:`record_run` wrote.
    """
    folder = Path(locks)
    if not folder.is_dir() or not any(folder.glob("*.lock")):
        return None
    run = _read_run(Path(run_file))
    if run is None:
        return (
            "another Snakemake run holds the lock on this folder (.snakemake/locks; its "
            "PID is unknown); if none is running, `snakemake --unlock` frees it "
            "(README: 'Another run in this folder')"
        )
    who = f"PID {run['pid']} on {run.get('host', '?')}, started {run.get('started', '?')}"
    if run.get("host") not in (None, socket.gethostname()) or process_alive(run["pid"]):
        return (
            f"another Snakemake run ({who}) is working in this folder and holds its lock; "
            "wait for it to finish, or stop it, before starting a run here "
            "(README: 'Another run in this folder')"
        )
    return (
        f"the run that locked this folder ({who}) is no longer running (killed?); "
        "free the lock with `snakemake --unlock`, then rerun with --rerun-incomplete "
        "(README: 'Another run in this folder')"
    )
