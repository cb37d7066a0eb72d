"""One export, many forms: the derived respondent table is the same for all of them.

Forms: another collector mapping, shuffled rows, XLSX, SPSS .sav, semicolon CSV
with BOM (Dutch Excel), numbered headings, ISO dates, older metadata headings,
and one extra unknown question.
"""

import pandas as pd
import pytest
from conftest import COLLECTORS, ROOT

from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm
from buurtpreventie.synthetic.generate import generate_study

# Where each row came from differs per form by design; everything else must not.
ORIGIN = ["source", "source_row"]


@pytest.fixture(scope="module")
def records(codebook):
    study = generate_study(ROOT / "resources", codebook, seed=11)
    return study.records["voormeting"][:80]


def _derived(codebook, paths, collectors=COLLECTORS, key=b"test-key"):
    result = ingest_wave("voormeting", paths, codebook, collectors, min_answered=4, key=key)
    table = result.respondents.drop(columns=ORIGIN)
    return table.sort_values("respondent_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(records, codebook, tmp_path_factory):
    from buurtpreventie.synthetic.export_writer import write_export

    path = write_export(tmp_path_factory.mktemp("ref") / "ref.csv", records, codebook)
    return _derived(codebook, [str(path)])


def _renumbered(records):
    mapping = {"100000001": "555", "100000002": "777"}
    return [{**r, "Collector ID": mapping[r["Collector ID"]]} for r in records], {
        "555": "app",
        "777": "door",
    }


FORMS = {
    "xlsx": ("export.xlsx", ExportForm()),
    "semicolon_bom": ("export.csv", ExportForm(delimiter=";", bom=True)),
    "numbered_headings": ("export.csv", ExportForm(numbered=True)),
    "spss": ("export.sav", ExportForm()),
    "iso_dates": ("export.csv", ExportForm(date_style="iso")),
    "older_headings": ("export.csv", ExportForm(older_headings=True)),
    "extra_question": (
        "export.csv",
        ExportForm(extra_questions={"Hoe bent u op de hoogte gebracht?": ["Via de app"] * 80}),
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_form_gives_the_same_respondents(form, records, codebook, write, reference):
    name, export_form = FORMS[form]
    derived = _derived(codebook, [write(records, name=name, form=export_form)])
    pd.testing.assert_frame_equal(derived, reference)


def test_shuffled_rows_give_the_same_respondents(records, codebook, write, reference):
    shuffled = [records[i] for i in pd.Series(range(len(records))).sample(frac=1, random_state=3)]
    pd.testing.assert_frame_equal(_derived(codebook, [write(shuffled)]), reference)


def test_other_collector_mapping_gives_the_same_respondents(records, codebook, write, reference):
    renumbered, collectors = _renumbered(records)
    derived = _derived(codebook, [write(renumbered)], collectors=collectors)
    pd.testing.assert_frame_equal(derived, reference)


def test_split_over_two_exports_gives_the_same_respondents(records, codebook, write, reference):
    paths = [write(records[:30], name="a.csv"), write(records[30:], name="b.xlsx")]
    pd.testing.assert_frame_equal(_derived(codebook, paths), reference)
