"""The PDF report is tagged and archivable, read back with pikepdf.

A structure tree with the document's language, alternative text on every figure
and header cells in the tables, so a screen reader can read it; and PDF/A (with
PDF/UA) identification in the XMP metadata, so an archive accepts it.
"""

from __future__ import annotations

import re
from collections import Counter

import pikepdf
import pytest
from test_pdf_layout import built_report

from buurtpreventie.report.render import compound_breaks, scope_headers


def _elements(pdf: pikepdf.Pdf):
    """Every structure element of the tree, depth first."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = built_report(tmp_path_factory)
    pdf = pikepdf.open(path)
    yield pdf, path.with_suffix(".html").read_text(encoding="utf-8")
    pdf.close()


@pytest.mark.e2e
def test_tagged(report):
    pdf, _ = report
    assert "/StructTreeRoot" in pdf.Root
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert str(pdf.Root.Lang) == "nl"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


@pytest.mark.e2e
def test_every_figure_has_its_alternative_text(report):
    pdf, html = report
    alts = [str(e.get("/Alt", "")) for e in _elements(pdf) if e.S == "/Figure"]
    images = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert len(alts) == len(images) == html.count("<img ")
    assert all(len(alt.split()) >= 4 for alt in alts), alts
    assert not [alt for alt in alts if re.search(r"\.(svg|png)\b", alt)]


@pytest.mark.e2e
def test_tables_have_header_cells(report):
    pdf, html = report
    tags = Counter(str(e.S) for e in _elements(pdf))
    assert tags["/Table"] >= html.count("<table")
    assert tags["/TH"] >= tags["/Table"]
    # Data cells point at their headers (row headers through scope="row").
    cells = [e for e in _elements(pdf) if e.S == "/TD"]
    assert sum(1 for c in cells if len(c.A.get("/Headers", [])) >= 2) > len(cells) / 2


@pytest.mark.e2e
def test_pdfa_and_pdfua_identification_in_the_xmp_metadata(report):
    pdf, _ = report
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") == "3"
        assert xmp.get("pdfaid:conformance") == "U"
        assert xmp.get("pdfuaid:part") == "1"
        assert xmp.get("dc:title")
    assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"


# The HTML rules behind it, without a PDF.


def test_header_cells_get_a_scope():
    html = (
        "<table><thead><tr><th>A</th><th scope='colgroup'>B</th></tr></thead>"
        "<tbody><tr><th class='x'>r</th><td>1</td></tr></tbody>"
        "<tfoot><tr><th>t</th></tr></tfoot></table>"
    )
    assert scope_headers(html) == (
        "<table><thead><tr><th scope=\"col\">A</th><th scope='colgroup'>B</th></tr></thead>"
        "<tbody><tr><th scope=\"row\" class='x'>r</th><td>1</td></tr></tbody>"
        '<tfoot><tr><th scope="row">t</th></tr></tfoot></table>'
    )


@pytest.mark.parametrize(
    ("word", "marked"),
    [
        ("Buurtapp", '<span class="compound">Buurt|app</span>'),
        ("Zenobuurt", '<span class="compound">Zeno|buurt</span>'),
        # The dictionary gets these right: left alone.
        ("buurtpreventie", "buurtpreventie"),
        ("appdeelnemers", "appdeelnemers"),
        ("WhatsApp", "WhatsApp"),
        ("buurten", "buurten"),
    ],
)
def test_compounds_break_at_their_seams(word, marked):
    html = f"<html><head><title>{word}</title></head><body><p>de {word} en</p></body></html>"
    out = compound_breaks(html).replace("\u00ad", "|")
    assert f"<p>de {marked} en</p>" in out
    assert f"<title>{word}</title>" in out


def test_other_words_code_and_tables_are_left_alone():
    html = (
        "<body><p>apparaat veiligheid</p><code>buurtapp_x.csv</code>"
        "<table><tr><td>Buurtapp</td></tr></table></body>"
    )
    assert compound_breaks(html) == html
