"""Jinja2 templates to HTML, WeasyPrint HTML to PDF; numbered sections, tables and figures.

Templates number nothing themselves: a :class:`Numbering` hands out section,
table and figure numbers in the order the template asks for them, and resolves
cross-references. Rendering runs twice, so a reference to a table further on
("zie tabel 6") and the table of contents are right on the second pass.

The PDF is reproducible: its dates come from the config (``report.date``) or
from ``SOURCE_DATE_EPOCH``, and its file identifier is a hash of the HTML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from buurtpreventie import dutch as fmt
from buurtpreventie.report import text

__all__ = [
    "Numbering",
    "environment",
    "pdf_date",
    "render_html",
    "source_epoch",
    "typeset",
    "write_pdf",
]

# A statistic in running text ("p = ,007", "d = ,22" with a minus, "3,17", "43,4%"): kept
# on one line. \u03b1 is alpha, \u2212 the minus sign.
_NUMBER = re.compile(r"(?:[A-Za-z\u03b1|]+ = )?[<\u2212+]?\d*(?:[.,]\d+)+%?|[<\u2212+]?\d+%")


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
    """The Jinja2 environment of the report: HTML autoescape, strict, Dutch filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
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
    return html


def pdf_date(config_date: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The PDF's creation date: ``SOURCE_DATE_EPOCH`` when set, else the config date.

    Returns a W3C date (``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``), or ``""``.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(config_date or "")


def source_epoch(date: str, environ: Mapping[str, str] | None = None) -> int:
    """Seconds since 1970 for the document: ``SOURCE_DATE_EPOCH``, else ``date`` (UTC midnight)."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return int(epoch)
    if not date:
        return 0
    day = dt.date.fromisoformat(str(date)[:10])
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def write_pdf(html: str, base_url: str | Path, target: str | Path, epoch: int = 0) -> None:
    """Render ``html`` to a PDF at ``target`` with WeasyPrint, reproducibly.

    Relative links (the figures) resolve against ``base_url``. The file
    identifier is a hash of the HTML, and the embedded font subsets carry
    ``epoch`` as their timestamp (fontTools reads ``SOURCE_DATE_EPOCH``), so the
    same HTML gives the same bytes.
    """
    import logging
    import warnings

    with warnings.catch_warnings():
        # Without the system's HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools
        # (reproducible through SOURCE_DATE_EPOCH below) and warns that it may not later.
        warnings.simplefilter("ignore", DeprecationWarning)
        import weasyprint

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = weasyprint.HTML(string=html, base_url=str(base_url))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        document.write_pdf(str(target), pdf_identifier=identifier, uncompressed_pdf=False)
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
