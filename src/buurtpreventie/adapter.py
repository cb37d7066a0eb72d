"""What every Snakemake script adapter needs: logging to the rule's log file.

A script in ``scripts/`` is a thin adapter: it opens the rule's log with
:func:`logged`, reads ``snakemake.input/output/params`` and calls one function
of this package. Bad input (:class:`~buurtpreventie.errors.InputError`) is
written to the log and to the console as one clear line, without a traceback,
and the job fails; Snakemake then removes the job's outputs.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from buurtpreventie.errors import InputError

__all__ = ["logged", "write_csv"]


@contextlib.contextmanager
def logged(log_path: str | Path) -> Iterator[logging.Logger]:
    """Send logging, warnings and stderr of the block to ``log_path``."""
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    logger = logging.getLogger("buurtpreventie")
    try:
        with open(log_path, "a", encoding="utf-8") as stderr, contextlib.redirect_stderr(stderr):
            yield logger
    except InputError as error:
        logger.error("%s", error)
        handler.flush()
        print(f"\nInput error: {error}\n", file=sys.__stderr__)
        raise SystemExit(1) from None
    finally:
        handler.flush()


def write_csv(frame, path: str | Path) -> None:
    """Write a results table: UTF-8, comma separated, point decimals, full precision, LF."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
