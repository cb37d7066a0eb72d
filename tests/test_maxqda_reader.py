"""MAXQDA coded-segments exports of every interface language and file form.

Every sample is written here, with invented document names and segment text,
in the column order of a real export of that language (see the sources in
resources/chat/maxqda_headings.yaml). The expected parse is worked out by hand:
two segments with a scheme code, one of another scheme (ignored).
"""

import codecs
import csv
import io
import logging

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.chat.coding import inspect_codings, load_scheme, read_segments
from buurtpreventie.errors import InputError

SCHEME = load_scheme(ROOT / "resources" / "interventions.yaml")

# Column order of real exports: [EN1], [DE1] and (unverified) Dutch.
HEADERS = {
    "en": [
        "Color", "Document group", "Document name", "Code", "Beginning", "End",
        "Weight score", "Segment", "Modified by", "Created by", "Modified", "Created",
    ],
    "de": [
        "Farbe", "Kommentar", "Dokumentgruppe", "Dokumentname", "Code", "Anfang", "Ende",
        "Gewicht", "Segment", "Bearbeitet von", "Bearbeitet am", "Erstellt von",
        "Erstellt am", "Fläche", "Abdeckungsgrad %",
    ],
    "nl": [
        "Kleur", "Opmerking", "Documentgroep", "Documentnaam", "Code", "Begin", "Einde",
        "Gewicht", "Segment", "Gemaakt door", "Gemaakt",
    ],
}  # fmt: skip
FIELD = {  # heading -> what the sample row holds
    "Document name": "document", "Dokumentname": "document", "Documentnaam": "document",
    "Code": "code", "Segment": "segment",
    "Beginning": "begin", "Anfang": "begin", "Begin": "begin",
    "End": "end", "Ende": "end", "Einde": "end",
}  # fmt: skip
SECRET = 'Zag "Piet Pronk"; bij de schuur,\tom 3 uur\nnog een regel'
ROWS = [
    {"document": "hofplein", "code": "Interventies > 08 Duiding > uitgevoerd", "begin": 12,
     "end": 13, "segment": SECRET},
    {"document": "dijkzicht", "code": "Interventies\\01 Terugkoppelen\\tegengesteld", "begin": 5,
     "end": 5, "segment": "Fiets weg, iemand iets gezien?"},
    {"document": "hofplein", "code": "Werkcodes > Nog bekijken", "begin": 7, "end": 7,
     "segment": "later"},
]  # fmt: skip
EXPECTED = [  # source_row, document, category, direction, begin, end
    [2, "hofplein", "8", "uitgevoerd", 12, 13],
    [3, "dijkzicht", "1", "tegengesteld", 5, 5],
]
COLUMNS = ["source_row", "document", "category", "direction", "begin", "end"]


def _cells(language, rows, position=lambda value: value):
    """Header and data rows of an export; columns the pipeline ignores get filler."""
    header = HEADERS[language]
    data = []
    for row in rows:
        cells = []
        for heading in header:
            name = FIELD.get(heading)
            value = row[name] if name else "0" if heading in ("Gewicht", "Weight score") else "x"
            cells.append(position(value) if name in ("begin", "end") else value)
        data.append(cells)
    return header, data


def write_csv(path, header, data, delimiter=",", encoding="utf-8"):
    """A CSV export as MAXQDA or Excel writes it (quotes only where needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(data)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, header, data, extra_sheets=0):
    """An XLSX export: the segments on the first sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Coded segments"
    sheet.append(header)
    for row in data:
        sheet.append(row)
    for number in range(extra_sheets):
        workbook.create_sheet(f"Sheet {number + 2}")
    workbook.save(path)
    return path


def _parsed(path):
    return read_segments(path, SCHEME)[COLUMNS].values.tolist()


@pytest.mark.parametrize("language", ["en", "de", "nl"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_csv_of_every_language_delimiter_and_bom(tmp_path, language, delimiter, encoding):
    path = write_csv(tmp_path / "codes.csv", *_cells(language, ROWS), delimiter, encoding)
    assert _parsed(path) == EXPECTED


@pytest.mark.parametrize("language", ["en", "de", "nl"])
def test_utf16_tab_separated_unicode_text(tmp_path, language):
    path = write_csv(tmp_path / "codes.txt", *_cells(language, ROWS), "\t", "utf-16")
    assert path.read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert _parsed(path) == EXPECTED
    inspection = inspect_codings(path, SCHEME)
    assert inspection.how == {"language": language, "delimiter": "tab", "encoding": "utf-16"}


@pytest.mark.parametrize("language", ["en", "de", "nl"])
def test_xlsx_of_every_language(tmp_path, language):
    path = write_xlsx(tmp_path / "codes.xlsx", *_cells(language, ROWS))
    assert _parsed(path) == EXPECTED


@pytest.mark.parametrize(
    "position",
    [str, float, lambda v: f"{v},0", lambda v: f"{v}.0", lambda v: f" {v} "],
    ids=["text", "float", "decimal-comma", "decimal-point", "spaces"],
)
def test_positions_as_text_float_and_decimal_comma(tmp_path, position):
    header, data = _cells("de", ROWS, position)
    assert _parsed(write_xlsx(tmp_path / "codes.xlsx", header, data)) == EXPECTED
    assert _parsed(write_csv(tmp_path / "codes.csv", header, data, ";")) == EXPECTED


@pytest.mark.parametrize("value", ["3: 125", "12,5", "1.000", "twaalf"])
def test_position_that_is_not_a_line_number_is_refused(tmp_path, value):
    header, data = _cells("de", ROWS[:1], lambda v: value if v == 12 else v)
    path = write_csv(tmp_path / "codes.csv", header, data, ";")
    with pytest.raises(InputError, match=r"codes\.csv, row 2, column 'Anfang': position") as caught:
        read_segments(path, SCHEME)
    if value == "3: 125":
        assert "PDF" in str(caught.value)


def test_typo_in_the_code_root_stops_the_run(tmp_path):
    # Today's reader dropped these with an INFO line and intervention 8 silently fell.
    rows = [*ROWS[:2], {**ROWS[0], "code": "Interventie\\08 Duiding\\uitgevoerd"}]
    path = write_csv(tmp_path / "codes.csv", *_cells("en", rows))
    with pytest.raises(InputError) as caught:
        read_segments(path, SCHEME)
    message = str(caught.value)
    assert message.startswith(f"{path}, row 4, column 'Code': code 'Interventie\\08 Duiding")
    assert "nearest scheme code 'Interventies\\08 Duiding\\uitgevoerd'" in message
    assert "\n" not in message


@pytest.mark.parametrize("root", ["INTERVENTIE", "Intervneties", "Interventions", "Interventie's"])
def test_near_roots_are_typos(tmp_path, root):
    rows = [{**ROWS[1], "code": f"{root}\\01 Terugkoppelen\\tegengesteld"}]
    path = write_csv(tmp_path / "codes.csv", *_cells("en", rows))
    with pytest.raises(InputError, match="close to it"):
        read_segments(path, SCHEME)


def test_case_spacing_and_separators_of_the_root_are_the_same_code(tmp_path):
    rows = [{**ROWS[1], "code": " interventies / 01 terugkoppelen >Tegengesteld"}]
    path = write_csv(tmp_path / "codes.csv", *_cells("en", rows))
    assert _parsed(path) == [[2, *EXPECTED[1][1:]]]


def test_other_schemes_are_ignored_with_a_warning_per_root(tmp_path, caplog):
    rows = [*ROWS, {**ROWS[2], "code": "Incidenten\\Signalement"}, ROWS[2]]
    path = write_csv(tmp_path / "codes.csv", *_cells("en", rows))
    with caplog.at_level(logging.INFO, logger="buurtpreventie.chat.coding"):
        assert _parsed(path) == EXPECTED
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "1 segments with codes under 'Incidenten'" in warnings[0]
    assert "2 segments with codes under 'Werkcodes'" in warnings[1]


def test_unknown_interface_language_names_expected_and_found_headings(tmp_path):
    header = ["Color", "Nombre del documento", "Código", "Inicio", "Fin", "Segmento"]
    path = write_csv(tmp_path / "codes.csv", header, [["x", "a", "b", "1", "1", "y"]])
    with pytest.raises(InputError) as caught:
        read_segments(path, SCHEME)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a MAXQDA coded-segments export")
    assert "en: Document name, Code, Beginning, End" in message
    assert "de: Dokumentname, Code, Anfang, Ende" in message
    assert "found 'Color', 'Nombre del documento', 'Código'" in message
    assert "\n" not in message


def test_missing_required_column_names_it(tmp_path):
    header, data = _cells("de", ROWS)
    drop = header.index("Ende")
    header, data = header[:drop] + header[drop + 1 :], [r[:drop] + r[drop + 1 :] for r in data]
    path = write_csv(tmp_path / "codes.csv", header, data, ";")
    with pytest.raises(InputError, match=r"\(de interface\) is missing: 'Ende'; found 'Farbe'"):
        read_segments(path, SCHEME)


def test_a_chat_is_not_shown_when_refused(tmp_path):
    path = tmp_path / "chat.csv"
    path.write_text("12-03-2020 10:15 - Piet Pronk: er staat iemand bij de schuur\n", "utf-8")
    inspection = inspect_codings(path, SCHEME)
    assert inspection.verdict == "refused"
    assert "Pronk" not in "\n".join(inspection.lines())


def test_workbook_with_more_sheets(tmp_path):
    path = write_xlsx(tmp_path / "codes.xlsx", *_cells("nl", ROWS), extra_sheets=2)
    assert _parsed(path) == EXPECTED
    inspection = inspect_codings(path, SCHEME)
    assert inspection.warnings[0] == "the workbook has 3 sheets; only the first was read"
    empty = write_xlsx(tmp_path / "empty.xlsx", ["Notes"], [], extra_sheets=1)
    with pytest.raises(InputError, match="the workbook has 2 sheets; only the first is read"):
        read_segments(empty, SCHEME)


def test_inspect_counts_and_never_shows_segment_text(tmp_path):
    rows = [*ROWS, {**ROWS[0], "code": "Interventie\\08 Duiding\\uitgevoerd"}]
    path = write_csv(tmp_path / "codes.csv", *_cells("de", rows), ";", "utf-8-sig")
    inspection = inspect_codings(path, SCHEME)
    assert inspection.kind == "maxqda" and inspection.format == "csv"
    assert inspection.how == {"language": "de", "delimiter": "semicolon", "encoding": "utf-8-sig"}
    assert inspection.counts == {
        "segments": 4,
        "documents": 2,
        "codes": 4,
        "in_scheme": 3,
        "outside_scheme": 1,
    }
    assert len(inspection.problems) == 1 and "row 5" in inspection.problems[0]
    assert inspection.warnings == [
        "1 segments under code root 'Werkcodes' (not 'Interventies') would be ignored"
    ]
    shown = "\n".join(inspection.lines()) + str(inspection.to_json())
    for text in ("Pronk", "schuur", "Fiets", "hofplein", "dijkzicht"):
        assert text not in shown
    without = inspect_codings(path)
    assert without.counts == {"segments": 4, "documents": 2, "codes": 4}
    assert without.verdict == "ok"


# -- the shipped export, rewritten in every language and form -----------------

SHIPPED = ROOT / "resources" / "chat" / "coded_segments.xlsx"
RENAME = {  # the shipped (English) headings in the other languages
    "de": {"Color": "Farbe", "Document group": "Dokumentgruppe", "Document name": "Dokumentname",
           "Begin": "Anfang", "End": "Ende", "Weight score": "Gewicht",
           "Created by": "Erstellt von"},
    "nl": {"Color": "Kleur", "Document group": "Documentgroep", "Document name": "Documentnaam",
           "End": "Einde", "Weight score": "Gewicht", "Created by": "Gemaakt door"},
    "en": {"Begin": "Beginning"},
}  # fmt: skip
FORMS = [
    ("csv", ",", "utf-8"),
    ("csv", ";", "utf-8-sig"),
    ("csv", "\t", "utf-8"),
    ("txt", "\t", "utf-16"),
    ("xlsx", "", ""),
]


@pytest.fixture(scope="module")
def shipped():
    frame = pd.read_excel(SHIPPED, dtype=object)
    return frame, read_segments(SHIPPED, SCHEME).drop(columns="source")


@pytest.mark.parametrize("language", ["en", "de", "nl"])
@pytest.mark.parametrize(("suffix", "delimiter", "encoding"), FORMS)
def test_shipped_export_round_trip(tmp_path, shipped, language, suffix, delimiter, encoding):
    frame, expected = shipped
    frame = frame.rename(columns=RENAME[language])
    if language != "en":  # MAXQDA 2020+ writes code paths with " > "
        frame["Code"] = frame["Code"].str.replace("\\", " > ", regex=False)
    header, data = list(frame.columns), frame.values.tolist()
    path = tmp_path / f"codes.{suffix}"
    if suffix == "xlsx":
        write_xlsx(path, header, data)
    else:
        write_csv(path, header, data, delimiter, encoding)
    got = read_segments(path, SCHEME).drop(columns="source")
    pd.testing.assert_frame_equal(got, expected)
    assert inspect_codings(path, SCHEME).how["language"] == language


def test_excel_sep_hint_and_windows_ansi(tmp_path):
    header, data = _cells("de", ROWS)
    path = write_csv(tmp_path / "codes.csv", header, data, ";", "cp1252")
    path.write_bytes(b"sep=;\r\n" + path.read_bytes())
    assert _parsed(path) == EXPECTED
    assert inspect_codings(path, SCHEME).how["encoding"] == "cp1252"  # "Fläche" in cp1252
