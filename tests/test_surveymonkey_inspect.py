"""inspect_survey: how an export would be read, with no answer or name in it."""

import json

from conftest import COLLECTORS, DOOR, record

from buurtpreventie.survey.ingest import inspect_survey
from buurtpreventie.synthetic.export_writer import ExportForm

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}
NAME, EMAIL = "Invented Person", "invented.person@example.org"


def _contact(respondent_id):
    return record(respondent_id, DOOR, **GOOD, q21="Ja", q22=NAME, q24=EMAIL)


def _text(inspection):
    return json.dumps(inspection.to_json(), ensure_ascii=False) + "\n".join(inspection.lines())


def test_a_good_export(write, codebook):
    path = write([_contact(1), record(2, DOOR, **GOOD)])
    inspection = inspect_survey(path, codebook, COLLECTORS)
    assert (inspection.kind, inspection.format, inspection.verdict) == ("surveymonkey", "csv", "ok")
    assert inspection.how["delimiter"] == "comma"
    assert inspection.how["encoding"] == "utf-8"
    assert inspection.how["header_names"] == "current"
    assert inspection.how["date_order"] == "mdy (from the values)"
    assert inspection.counts["respondents"] == 2
    assert inspection.counts["unknown_columns"] == 0
    # IP, e-mail, first and last name, custom data; name, address, e-mail, phone
    assert inspection.counts["personal_columns"] == 9
    text = _text(inspection)
    assert NAME not in text and EMAIL not in text and "Essenburgbuurt" not in text


def test_semicolon_bom_older_headings_and_an_unknown_question(write, codebook):
    form = ExportForm(
        delimiter=";",
        bom=True,
        older_headings=True,
        extra_questions={"Hoe hoorde u van ons?": ["Flyer"]},
    )
    inspection = inspect_survey(write([_contact(1)], form=form), codebook, COLLECTORS)
    assert inspection.verdict == "warnings"
    assert inspection.how["delimiter"] == "semicolon"
    assert inspection.how["encoding"] == "utf-8 with BOM"
    assert inspection.how["header_names"] == "older"
    assert inspection.counts["unknown_columns"] == 1
    assert any("Hoe hoorde u van ons" in w for w in inspection.warnings)
    assert "Flyer" not in _text(inspection)


def test_condensed_export_is_refused(write, codebook):
    path = write([_contact(1), _contact(2)], form=ExportForm(condensed=True))
    inspection = inspect_survey(path, codebook, COLLECTORS)
    assert (inspection.format, inspection.verdict) == ("csv-condensed", "refused")
    assert len(inspection.problems) == 1 and "Expanded" in inspection.problems[0]
    assert NAME not in _text(inspection)


def test_problem_is_the_real_ingestion_error_on_one_line(write, codebook):
    path = write([_contact(1), record(2, "999", **GOOD)])
    inspection = inspect_survey(path, codebook, COLLECTORS)
    assert inspection.verdict == "refused"
    assert inspection.problems == [
        f"{path}, row 4, Respondent ID 2, column 'Collector ID': Collector ID '999' is not in "
        "the config's `collectors`; add it as app or door"
    ]
    without_config = inspect_survey(path, codebook)
    assert without_config.verdict == "ok"
    assert without_config.how["collectors"].startswith("not checked")


def test_other_text_and_excel_damage(write, codebook):
    form = ExportForm(other_columns={"q6": "Other (please specify)"}, excel_ids=True)
    records = [{**_contact(118000000001), "q6_other": "Secret Typed Words"}]
    inspection = inspect_survey(write(records, form=form), codebook, COLLECTORS)
    assert inspection.counts["other_columns"] == 1
    assert "scientific notation" in inspection.problems[0]
    assert "Secret Typed Words" not in _text(inspection)


def test_ambiguous_dates_are_a_problem_that_names_the_config_key(write, codebook):
    form = ExportForm(date_style="excel_nl")
    inspection = inspect_survey(write([_contact(1)], form=form), codebook, COLLECTORS)
    assert "survey.date_order" in inspection.problems[0]
    decided = inspect_survey(write([_contact(1)], form=form), codebook, COLLECTORS, "dmy")
    assert decided.verdict == "ok" and decided.how["date_order"] == "dmy (from the config)"


def test_spss_and_xlsx(write, codebook):
    sav = inspect_survey(write([_contact(1)], name="e.sav"), codebook, COLLECTORS)
    assert (sav.format, sav.verdict, sav.how["header_names"]) == ("sav", "ok", "spss")
    xlsx = inspect_survey(write([_contact(1)], name="e.xlsx"), codebook, COLLECTORS)
    assert (xlsx.format, xlsx.verdict, xlsx.how["sheet"]) == ("xlsx", "ok", "Sheet")
    assert NAME not in _text(sav) + _text(xlsx)


def test_unreadable_file(tmp_path, codebook):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    inspection = inspect_survey(path, codebook)
    assert inspection.verdict == "refused" and inspection.format == "csv"
    assert "header rows" in inspection.problems[0]


def test_without_a_codebook_only_form_and_size(write):
    inspection = inspect_survey(write([_contact(1), _contact(2)]), None)
    assert (inspection.format, inspection.verdict) == ("csv", "warnings")
    # 9 metadata; q1-q4 4; q5 4 options; q6-q8 3; q9 7, q10 6, q11 6 statements;
    # q12-q13 2; q14 4 options; q15-q21 7; q22-q25 4: 56 columns
    assert inspection.counts == {"respondents": 2, "columns": 56}
