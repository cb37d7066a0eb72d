"""The report's HTML to PDF with WeasyPrint: reproducible, tagged, archivable.

Apart from :mod:`buurtpreventie.report.render` (Jinja2, the report's text), so
that rule report_pdf imports neither pandas nor the report's text modules.

The PDF is reproducible: its dates come from the config (``report.date``) or
from ``SOURCE_DATE_EPOCH``, and its file identifier is a hash of the HTML.

The PDF is tagged and archivable: PDF/A-3u (:data:`PDF_VARIANT`) with WeasyPrint's
structure tree (``pdf_tags``), identified as PDF/A and PDF/UA-1 in its XMP
metadata. The language comes from ``<html lang="nl">``, the alternative text of a
figure from its ``<img alt>``, and table header cells from ``<th>``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["PDF_VARIANT", "compound_breaks", "pdf_date", "source_epoch", "write_pdf"]

# PDF/A-3, level U (Unicode text); WeasyPrint adds the structure tree on request.
PDF_VARIANT = "pdf/a-3u"
_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"

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
