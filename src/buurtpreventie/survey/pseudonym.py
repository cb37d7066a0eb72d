"""Keyed pseudonyms for linking respondents across waves.

Respondents who agree to be contacted again leave an e-mail address or phone
number. Only a keyed hash of it leaves the first step: HMAC-SHA256 (RFC 2104,
from the standard library) of the normalised contact value. Without the key the
pseudonym cannot be recomputed from a guessed address, and the same person gets
the same pseudonym in every wave as long as the key stays the same.

The key comes from an environment variable or from a git-ignored file. Without
a key, the pipeline runs without panel linkage. On a cluster only the file will
do (:func:`cluster_key_problem`): a job's environment ends up in its log.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from pathlib import Path

__all__ = [
    "cluster_key_problem",
    "contact_pseudonym",
    "key_fingerprint",
    "load_key",
    "normalise_email",
    "normalise_phone",
]

_NON_DIGITS = re.compile(r"\D")


def normalise_email(value: str) -> str:
    """Lower-case, trimmed e-mail address ("" when it does not look like one)."""
    text = unicodedata.normalize("NFKC", value or "").strip().casefold()
    return text if "@" in text else ""


def normalise_phone(value: str) -> str:
    """Dutch phone number as national digits: "+31 6-1234 5678" gives "0612345678".

    A leading ``+31`` or ``0031`` becomes ``0``; everything but digits is
    dropped. Fewer than 9 digits gives "" (not a usable number).
    """
    text = (value or "").strip()
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+31"):
        digits = "0" + digits[2:]
    elif digits.startswith("0031"):
        digits = "0" + digits[4:]
    return digits if len(digits) >= 9 else ""


def contact_pseudonym(key: bytes, email: str, phone: str) -> str | None:
    """HMAC-SHA256 pseudonym of the e-mail address, else of the phone number.

    Parameters
    ----------
    key : bytes
        The secret key.
    email, phone : str
        Raw contact values as typed by the respondent (may be empty).

    Returns
    -------
    str or None
        64 hex characters; it does not reveal whether the e-mail address or
        the phone number was used. ``None`` when neither value is usable.
    """
    contact = normalise_email(email) or normalise_phone(phone)
    if not contact:
        return None
    return hmac.digest(key, contact.encode("utf-8"), "sha256").hex()  # one-shot: faster


def load_key(env_var: str, key_file: str | Path) -> bytes | None:
    """The panel key from ``env_var``, else from ``key_file``; ``None`` when neither has one."""
    value = os.environ.get(env_var, "").strip()
    if not value and key_file and Path(key_file).is_file():
        value = Path(key_file).read_text(encoding="utf-8").strip()
    return value.encode("utf-8") if value else None


def key_fingerprint(key: bytes | None) -> str:
    """A short, non-reversible fingerprint of the key (for rerun triggers and logs)."""
    if key is None:
        return "no-key"
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:12]


def cluster_key_problem(env_var: str, key_file: str | Path) -> str:
    """Why the panel key may not go to cluster jobs as it is; "" when it may.

    A cluster executor passes the submitting shell's environment on to every job
    (SLURM: ``sbatch --export=ALL``), and with ``--verbose`` the SLURM plugin's
    jobs print their whole environment into ``.snakemake/slurm_logs/``, kept
    for failed jobs. A key in ``env_var`` would land there, so a cluster run
    takes the key from ``key_file`` only, and only when no one else may read it
    (on a shared file system, group and others are other people).
    """
    if os.environ.get(env_var, "").strip():
        return (
            f"panel key: {env_var} is set, and on a cluster every job's environment "
            f"can end up in its log; put the key in {key_file} (chmod 600), "
            f"unset {env_var} and run again"
        )
    path = Path(key_file) if key_file else None
    if path is not None and path.is_file() and path.stat().st_mode & 0o077:
        mode = oct(path.stat().st_mode & 0o777)[2:]
        return (
            f"panel key: {key_file} can be read by others (mode {mode}); "
            f"chmod 600 {key_file} and run again"
        )
    return ""
