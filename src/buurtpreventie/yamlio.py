"""YAML read with libyaml's C parser, where PyYAML was built with it.

PyYAML's own parser is pure Python: 20 to 200 ms for each of the study's
resource files (codebook, registry, config schema, words). Snakemake parses the
workflow, and so reads the config and the registry, on every call, a no-op
included; each job reads the codebook again. The C parser reads the same files
about ten times faster. Both loaders share PyYAML's safe constructor and
resolver, so the values are the same; only parser messages may be worded
differently. Without libyaml the pure-Python loader is used.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

__all__ = ["SAFE_LOADER", "compose_yaml", "load_yaml"]

#: ``yaml.CSafeLoader`` when PyYAML has libyaml, else ``yaml.SafeLoader``.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    """``yaml.safe_load``, with the C parser when there is one."""
    return yaml.load(stream, Loader=SAFE_LOADER)


def compose_yaml(stream: str | bytes | IO[str] | IO[bytes]) -> yaml.Node | None:
    """``yaml.compose`` with the safe loader, with the C parser when there is one."""
    return yaml.compose(stream, Loader=SAFE_LOADER)
