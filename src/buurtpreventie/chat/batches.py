"""How the workflow splits the chats into jobs.

Every Snakemake job is its own Python process and pays its imports (pandas and
pyarrow, about a second). With a few chats one job per chat is best: each chat
has its own log and provenance record. A city-wide study with a hundred chats
would spend more time importing than parsing, so the config's
``chats.batch_size`` puts that many chats in one job. This module holds only
that split; it imports nothing heavy, because the workflow imports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["chat_batches"]


def chat_batches(
    groups: Sequence[Mapping[str, Any]], size: int = 1
) -> dict[str, list[Mapping[str, Any]]]:
    """The chat groups in batches of ``size``, in config order.

    Returns
    -------
    dict of str -> list
        Batch id -> the config entries of its groups. A batch of one group is
        named after the group (``zenobuurt``); a larger batch after its first
        and last group (``app_001--app_025``; ``--`` cannot occur in a group id).
    """
    if size < 1:
        raise ValueError(f"chats.batch_size must be at least 1, got {size}")
    batches = {}
    for start in range(0, len(groups), size):
        chunk = list(groups[start : start + size])
        name = chunk[0]["id"] if len(chunk) == 1 else f"{chunk[0]['id']}--{chunk[-1]['id']}"
        batches[name] = chunk
    return batches
