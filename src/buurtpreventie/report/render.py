"""Jinja2 templates to HTML, WeasyPrint HTML to PDF; numbered sections, tables and figures.

Templates number nothing themselves: a :class:`Numbering` hands out section,
table and figure numbers in the order the template asks for them, and resolves
cross-references. Rendering runs twice, so a reference to a table further on
("zie tabel 6") and the table of contents are right on the second pass.

The PDF is reproducible: its dates come from the config (``report.date``) or
from ``SOURCE_DATE_EPOCH``, and its file identifier is a hash of the HTML.

The PDF is tagged and archivable: PDF/A-3u (:data:`PDF_VARIANT`) with WeasyPrint's
structure tree (``pdf_tags``), identified as PDF/A and PDF/UA-1 in its XMP
metadata. The language comes from ``<html lang="nl">``, the alternative text of a
figure from its ``<img alt>``, and table header cells from ``<th>``:
:func:`scope_headers` gives each one a ``scope`` so that row headers are told
from column headers.
"""

from __future__ import annotations

import datetime as dt
import functools
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


# PDF/A-3, level U (Unicode text); WeasyPrint adds the structure tree on request.
PDF_VARIANT = "pdf/a-3u"
_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"

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


# Dutch compounds of the study that the nl hyphenation dictionary breaks wrongly
# ("Buur-tapp", "Zen-obuurt"): the parts are split at their seams.
# "app" only before these heads or at the end of a word ("apparaat" is no compound).
_MORPHEME = re.compile(
    r"buurt|^app(?=deelnem|groep|bericht|gebruik|beheer|lid|leden|activiteit)"
    r"|(?<=[a-z\u00e0-\u00ff])app$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u00ff]{6,}")
_SKIP = re.compile(r"<(/?)(style|head|code|table|h[1-6]|title|script)\b[^>]*>", re.IGNORECASE)
_SOFT = "\u00ad"


def _hyphenator():  # pragma: no cover - trivial
    import pyphen

    return pyphen.Pyphen(lang="nl", left=3, right=3)


def _split_compound(word: str, dictionary: Any) -> str:
    """``word`` with soft hyphens at its seams and, within free parts, the dictionary's."""
    cuts: list[tuple[int, int]] = []
    for m in _MORPHEME.finditer(word):
        start, end = m.start(), m.end()
        # A seam needs three letters on each side: "buurten" is no compound.
        if 0 < start < 3:
            start = 0
        if 0 < len(word) - end < 3:
            end = len(word)
        cuts.append((start, end))
    if not cuts or cuts == [(0, len(word))]:
        return word
    parts: list[str] = []
    position = 0
    for start, end in cuts:
        if start < position:
            continue
        if start > position:
            parts.append(dictionary.inserted(word[position:start], hyphen=_SOFT))
        parts.append(word[start:end])
        position = end
    if position < len(word):
        parts.append(dictionary.inserted(word[position:], hyphen=_SOFT))
    breaks = [i for i, c in enumerate(dictionary.inserted(word, hyphen="|")) if c == "|"]
    breaks = [b - n for n, b in enumerate(breaks)]
    if not any(start < b < end or 0 < start - b < 3 for b in breaks for start, end in cuts):
        # The dictionary gets this one right ("buurt-ge-no-ten", "Whats-App"): leave it,
        # as a span costs WeasyPrint's line breaking (a short, widely spaced line at times).
        return word
    marked = _SOFT.join(parts)
    # The span keeps the soft hyphens to this word: WeasyPrint skips its automatic
    # hyphenation in any text run that holds a soft hyphen.
    return f'<span class="compound">{marked}</span>'


def compound_breaks(html: str) -> str:
    """Mark the seams of the study's compounds in running text with soft hyphens.

    Each such word goes into a ``<span class="compound">`` (``hyphens: manual``) with
    soft hyphens at its seams and, inside its other parts, at the Dutch dictionary's
    break points, so "Buurtapp" breaks as "Buurt-app" and "Zenobuurt" as "Zeno-buurt",
    never "Buur-tapp" or "Zen-obuurt". Only words the dictionary (with
    ``hyphenate-limit-chars: 6 3 3`` as in the stylesheet) gets wrong are marked.
    Tags, attributes, code, headings and tables are left alone.
    """
    dictionary = _hyphenator()
    out: list[str] = []
    depth = 0
    position = 0
    body = html.find("<body")
    if body < 0:
        return html

    def text(segment: str) -> str:
        pieces = re.split(r"(<[^>]*>)", segment)
        return "".join(
            p
            if p.startswith("<")
            else _WORD.sub(lambda m: _split_compound(m.group(0), dictionary), p)
            for p in pieces
        )

    out.append(html[:body])
    position = body
    for m in _SKIP.finditer(html, body):
        segment = html[position : m.start()]
        out.append(text(segment) if depth == 0 else segment)
        out.append(m.group(0))
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        position = m.end()
    rest = html[position:]
    out.append(text(rest) if depth == 0 else rest)
    return "".join(out)


def _identify_pdfua(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: add the PDF/UA-1 identification to the XMP metadata."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    number = reference.split()[0] if isinstance(reference, bytes) else str(reference).split()[0]
    stream = pdf.objects[int(number)]
    content = b"".join(c if isinstance(c, bytes) else str(c).encode() for c in stream.stream)
    if b"pdfuaid:part" in content:
        return
    content = content.replace(
        b"<rdf:RDF ", f'<rdf:RDF xmlns:pdfuaid="{_PDFUA_NS}" '.encode(), 1
    ).replace(b'pdfaid:part="', b'pdfuaid:part="1" pdfaid:part="', 1)
    stream.stream = [content]


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

    The PDF is tagged (structure tree, ``/MarkInfo``, ``/Lang`` from ``<html lang>``,
    ``/Alt`` from ``<img alt>``, ``/TH`` from ``<th>``) and PDF/A-3u with the
    PDF/A and PDF/UA-1 identification in its XMP metadata. The seams of the study's
    compounds are marked for hyphenation (:func:`compound_breaks`).
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
    document = weasyprint.HTML(string=compound_breaks(html), base_url=str(base_url))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        document.write_pdf(
            str(target),
            pdf_identifier=identifier,
            uncompressed_pdf=False,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            finisher=_identify_pdfua,
        )
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
