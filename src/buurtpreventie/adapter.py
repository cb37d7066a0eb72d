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
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from buurtpreventie.errors import InputError

__all__ = ["job", "logged", "neutralise_cell", "neutralise_formulas", "write_csv"]


class _Elapsed(logging.Filter):
    """Adds ``elapsed``: seconds since the log was opened."""

    def __init__(self) -> None:
        super().__init__()
        self.start = time.perf_counter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.elapsed = time.perf_counter() - self.start
        return True


@contextlib.contextmanager
def logged(log_path: str | Path) -> Iterator[logging.Logger]:
    """Send logging, warnings and stderr of the block to ``log_path``."""
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    # Seconds since the job started: a long step's log shows its progress.
    handler.setFormatter(logging.Formatter("%(elapsed)7.1fs %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Elapsed())
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


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP,
# "CSV Injection"); a number such as -0.25 or 1e-3 is left as it is, and so is a
# lone character: "=" alone runs nothing, and is a score of table 5.
_FORMULA = r"^[=+\-@\t\r][\s\S]"  # at least two characters
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def neutralise_cell(value):
    """A text cell a spreadsheet would run as a formula, prefixed with a single quote.

    Anything else (numbers, missing values, text that parses as a number, such
    as ``-0.25`` or ``+31``, a single character such as the score ``=``) is
    returned unchanged.
    """
    if isinstance(value, str) and re.match(_FORMULA, value) and not re.match(_NUMBER, value):
        return "'" + value
    return value


def neutralise_formulas(frame):
    """``frame`` with formula-like text cells and headers neutralised (:func:`neutralise_cell`).

    Only text columns are looked at, vectorised; a frame without such cells is
    returned as it is (no copy).
    """
    import pandas as pd

    out = frame
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            renamed = [neutralise_cell(c) for c in series.cat.categories]
            if renamed != list(series.cat.categories):
                out = out.copy() if out is frame else out
                out.isetitem(position, series.cat.rename_categories(renamed))
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            text = series.astype("string")  # only to find candidates; missing stays missing
            mask = text.str.match(_FORMULA).fillna(False).astype(bool)
            mask &= ~text.str.match(_NUMBER).fillna(False).astype(bool)
            if mask.any():
                out = out.copy() if out is frame else out
                out.isetitem(position, series.astype(object).map(neutralise_cell))
    columns = [neutralise_cell(c) for c in frame.columns]
    if columns != list(frame.columns):
        out = out.copy() if out is frame else out
        out.columns = columns
    return out


def write_csv(frame, path: str | Path) -> None:
    """Write a results table: UTF-8, comma separated, point decimals, full precision, LF.

    Every CSV the pipeline writes goes through here; text cells that a
    spreadsheet would take for a formula are neutralised first
    (:func:`neutralise_formulas`).
    """
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_respondents(paths, columns: list[str] | None = None):
    """The respondent tables of the waves (parquet) as one table; only ``columns`` if given."""
    import pandas as pd  # every rule that reads respondents has pandas loaded already

    return pd.concat([pd.read_parquet(p, columns=columns) for p in paths], ignore_index=True)


def _original_script(sm, script_file: str) -> str:
    """The script in ``scripts/``: Snakemake runs a copy named ``tmpXXXX.<name>.py``."""
    name = re.sub(r"^tmp[^.]*\.", "", Path(script_file).name)
    script = (Path(getattr(sm, "scriptdir", ".")) / name).resolve()
    return os.path.relpath(script)


@contextlib.contextmanager
def job(sm, script_file: str) -> Iterator[logging.Logger]:
    """Run a rule's work with its log (:func:`logged`), then write its provenance record.

    The record goes to the rule's output named ``provenance`` (when it has one)
    and lists every input and every other output with its sha256, the params,
    the script, the package, git and software versions, and the runtime (see
    :mod:`buurtpreventie.provenance`).
    """
    started = time.time()
    with logged(sm.log[0]) as log:
        yield log
        outputs = dict(sm.output.items())
        target = outputs.pop("provenance", None)
        if target is not None:
            from buurtpreventie.provenance import build_record, write_record

            record = build_record(
                rule=sm.rule,
                wildcards=dict(sm.wildcards.items()),
                script=_original_script(sm, script_file),
                used=[str(p) for p in sm.input],
                generated=[str(p) for p in _flatten(outputs.values())],
                params=dict(sm.params.items()),
                started=started,
            )
            write_record(record, target)


def _flatten(values) -> list[str]:
    flat: list[str] = []
    for value in values:
        flat.extend([value] if isinstance(value, str) else list(value))
    return flat
