"""Jinja2 templates to HTML; numbered sections, tables and figures.

Templates number nothing themselves: a :class:`Numbering` hands out section,
table and figure numbers in the order the template asks for them, and resolves
cross-references. Rendering runs twice, so a reference to a table further on
("zie tabel 6") and the table of contents are right on the second pass.

Table header cells get a ``scope`` (:func:`scope_headers`), so that a screen
reader and the PDF's structure tree tell row headers from column headers. The
HTML to PDF is :mod:`buurtpreventie.report.pdf` (its names are importable from
here too).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from buurtpreventie import dutch as fmt
from buurtpreventie.report import text

# The PDF half lives in buurtpreventie.report.pdf (no pandas, so the PDF job starts
# quicker); named here too, where the report's code has always found it.
from buurtpreventie.report.pdf import (
    PDF_VARIANT,
    compound_breaks,
    pdf_date,
    source_epoch,
    write_pdf,
)

__all__ = [
    "PDF_VARIANT",
    "Numbering",
    "compound_breaks",
    "environment",
    "pdf_date",
    "render_html",
    "scope_headers",
    "source_epoch",
    "typeset",
    "write_pdf",
]

# A statistic in running text ("p = ,007", "d = ,22" with a minus, "3,17", "43,4%"): kept
# on one line. \u03b1 is alpha, \u2212 the minus sign.
_NUMBER = re.compile(r"(?:[A-Za-z\u03b1|]+ = )?[<\u2212+]?\d*(?:[.,]\d+)+%?|[<\u2212+]?\d+%")


_TABLE_TAG = re.compile(r"<(/?)(thead|tbody|tfoot|th)\b([^>]*)>", re.IGNORECASE)


def scope_headers(html: str) -> str:
    """Give every ``<th>`` without a ``scope`` one: ``col`` in ``<thead>``, else ``row``.

    A screen reader (and the PDF's structure tree) then knows which cells a header
    heads. A ``scope`` the template set stays.
    """
    section = "tbody"

    def fix(match: re.Match[str]) -> str:
        nonlocal section
        closing, tag, rest = match.group(1), match.group(2).lower(), match.group(3)
        if tag != "th":
            section = "tbody" if closing else tag
            return match.group(0)
        if closing or re.search(r"\bscope\s*=", rest):
            return match.group(0)
        scope = "col" if section == "thead" else "row"
        return f'<th scope="{scope}"{rest}>'

    return _TABLE_TAG.sub(fix, html)


def typeset(value: object) -> Markup:
    """Escape generated text and keep each number (with ``p =``) on one line."""
    escaped = str(escape(value))
    return Markup(_NUMBER.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped))


class Numbering:
    """Numbers of sections, tables and figures, and references to them.

    Parameters
    ----------
    previous : Numbering, optional
        The numbering of an earlier pass: references to labels that come later
        in the document are resolved from it.
    """

    def __init__(self, previous: Numbering | None = None) -> None:
        self._known = dict(previous.labels) if previous else {}
        self.previous_headings = list(previous.headings) if previous else []
        self.labels: dict[str, str] = {}
        self.headings: list[dict[str, Any]] = []
        self._sections = [0, 0, 0]
        self._appendix = 0
        self._in_appendix = False
        self._counts = {"tabel": 0, "figuur": 0}
        self.missing: set[str] = set()

    def heading(
        self, key: str, title: str, level: int = 1, numbered: bool = True, appendix: bool = False
    ) -> dict[str, Any]:
        """Register a heading; returns its ``id`` and ``number`` (empty when unnumbered)."""
        number = ""
        if appendix and level == 1:
            self._in_appendix = True
            self._appendix += 1
            self._sections = [0, 0, 0]
            number = chr(ord("A") + self._appendix - 1)
        elif numbered and self._in_appendix:
            self._sections[level - 1] += 1
            self._sections[level:] = [0] * (len(self._sections) - level)
            letter = chr(ord("A") + self._appendix - 1)
            number = ".".join([letter, *(str(n) for n in self._sections[1:level])])
        elif numbered:
            self._sections[level - 1] += 1
            self._sections[level:] = [0] * (len(self._sections) - level)
            number = ".".join(str(n) for n in self._sections[:level])
        prefix = "Bijlage " if appendix and level == 1 else ""
        entry = {
            "id": f"sec-{key}",
            "number": number,
            "prefix": prefix,
            "title": title,
            "level": level,
        }
        self.headings.append(entry)
        self.labels[key] = number
        return entry

    def _next(self, kind: str, key: str) -> int:
        if key in self.labels:
            raise ValueError(f"label {key!r} is used twice")
        self._counts[kind] += 1
        self.labels[key] = str(self._counts[kind])
        return self._counts[kind]

    def table(self, key: str) -> int:
        """The next table number, for the table labelled ``key``."""
        return self._next("tabel", key)

    def figure(self, key: str) -> int:
        """The next figure number, for the figure labelled ``key``."""
        return self._next("figuur", key)

    def ref(self, key: str) -> str:
        """The number of a label, from this pass or the previous one (``?`` if unknown)."""
        number = self.labels.get(key) or self._known.get(key)
        if not number:
            self.missing.add(key)
            return "?"
        return number


def environment(templates: str | Path) -> jinja2.Environment:
    """The Jinja2 environment of the report: HTML autoescape, strict, Dutch filters.

    One per templates folder and process: the environment keeps the compiled
    templates (about 0.4 s to compile), so a process that renders several reports
    (the tests' generated studies, benchmarks/one_process.py) compiles them once.
    Jinja checks each template's modification time on use (``auto_reload``), so an
    edited template is compiled again.
    """
    return _environment(str(Path(templates).resolve()))


@functools.lru_cache(maxsize=8)
def _environment(templates: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        auto_reload=True,
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "nl": fmt.nl_number,
            "nl0": fmt.nl_no_zero,
            "p": fmt.nl_p,
            "pct": fmt.nl_pct,
            "share": fmt.nl_share,
            "int": fmt.nl_int,
            "signed": fmt.nl_signed,
            "month": fmt.nl_month,
            "date": fmt.nl_date,
            "words": text.number_word,
            "cap": text.capitalise,
            "join_nl": text.join_nl,
            "typeset": typeset,
        }
    )
    env.globals.update({"count": text.count, "plural": text.plural, "missing": fmt.is_missing})
    return env


def render_html(
    context: Mapping[str, Any], templates: str | Path, stylesheet: str | Path, main: str
) -> str:
    """Render the report's HTML (two passes, for references and the table of contents).

    Parameters
    ----------
    context : mapping
        From :func:`buurtpreventie.report.context.build_context`.
    templates : path
        The folder of the templates.
    stylesheet : path
        The print stylesheet; it is inlined, so the HTML file stands on its own.
    main : str
        The name of the main template.

    Returns
    -------
    str
    """
    env = environment(templates)
    css = Path(stylesheet).read_text(encoding="utf-8")
    template = env.get_template(main)
    first = Numbering()
    template.render(**context, num=first, css=css)
    second = Numbering(first)
    html = template.render(**context, num=second, css=css)
    if second.labels != first.labels:
        raise RuntimeError("numbering differs between the two passes")
    if second.missing:
        raise RuntimeError(f"references to unknown labels: {sorted(second.missing)}")
    return scope_headers(html)
