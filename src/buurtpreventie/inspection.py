"""What a reader found in one input file, without its contents: the result of ``inspect``.

``buurtpreventie inspect FILE...`` is the first thing a researcher runs on their
own exports. Each reader (WhatsApp, SurveyMonkey, MAXQDA) has an ``inspect_*``
function that reads a file exactly as the pipeline would and returns an
:class:`Inspection`: what the file is, how it was read, counts, the lines it
could not classify, and what would stop the pipeline. An inspection never holds
a name, a message or an answer: only counts, line numbers, the reader's own
words and pseudonymised text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "VERDICTS", "Inspection"]

KINDS = ("whatsapp", "surveymonkey", "maxqda", "unknown")
VERDICTS = ("ok", "warnings", "refused")


@dataclass
class Inspection:
    """How one file was read, and what the pipeline would make of it.

    Attributes
    ----------
    path : str
        The file, as given.
    kind : str
        One of :data:`KINDS`.
    format : str
        The form of the file, e.g. ``android``, ``ios``, ``csv``, ``xlsx``,
        ``sav``, ``csv-condensed``.
    how : dict
        How it was read: ``locale``, ``date_order``, ``delimiter``,
        ``encoding``, ``sheet`` ... (text values only).
    counts : dict
        Whole numbers under stable keys: ``messages``, ``senders``,
        ``unclassified`` (chats), ``respondents``, ``columns`` (surveys),
        ``segments`` (codings) ...
    events : dict
        Chats only: system events by kind (``joined``, ``left``, ``deleted``...).
    unclassified : list of (int, str)
        Line number and pseudonymised text of each line that looked like a
        system line but matched no known phrase.
    problems : list of str
        One line each: what would stop the pipeline (no personal data).
    warnings : list of str
        One line each: what the pipeline would only warn about.
    """

    path: str
    kind: str
    format: str = ""
    how: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    unclassified: list[tuple[int, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """``refused`` when anything would stop the pipeline, ``warnings``, else ``ok``."""
        if self.problems:
            return "refused"
        return "warnings" if self.warnings or self.unclassified else "ok"

    def to_json(self) -> dict[str, Any]:
        """One JSON object with stable keys: ``path, kind, format, verdict``, the
        counts at the top level, ``events``, ``how``, ``unclassified`` (line
        numbers), ``problems`` and ``warnings``."""
        return {
            "path": self.path,
            "kind": self.kind,
            "format": self.format,
            "verdict": self.verdict,
            **{key: int(value) for key, value in sorted(self.counts.items())},
            "events": {key: int(value) for key, value in sorted(self.events.items())},
            "how": dict(sorted(self.how.items())),
            "unclassified_lines": [number for number, _ in self.unclassified],
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }

    def lines(self) -> list[str]:
        """The inspection as text for a person, one fact a line."""
        out = [f"{self.path}: {self.kind} export, {self.format or 'unknown form'}"]
        if self.how:
            out.append("  read as: " + ", ".join(f"{k} {v}" for k, v in sorted(self.how.items())))
        if self.counts:
            out.append("  counts: " + ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())))
        if self.events:
            out.append(
                "  system events: " + ", ".join(f"{k} {v}" for k, v in sorted(self.events.items()))
            )
        for number, text in self.unclassified:
            out.append(f"  unclassified line {number}: {text}")
        out.extend(f"  warning: {w}" for w in self.warnings)
        out.extend(f"  would stop the pipeline: {p}" for p in self.problems)
        out.append(f"  verdict: {self.verdict}")
        return out
