"""The shipped synthetic study in every form of export gives the same respondents.

The three waves (``resources/survey/*.csv``, written by the generator from its
records) are written again from the same records as SurveyMonkey XLSX, SPSS
``.sav``, a CSV re-saved by Excel (US: ``8/22/22 15:44``; Dutch: semicolons,
BOM, ``22-8-2022 15:44``), ISO dates and the older metadata headings. Each
gives the respondent table that the shipped file gives; Excel's re-saves lose
the seconds of the dates, so there the dates are compared to the minute.
"""

import dataclasses

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm, write_export
from buurtpreventie.synthetic.generate import EXTRA_WAVE, generate_extra_wave, generate_study

SHIPPED_SEED = 20200601  # the default of `python -m buurtpreventie.synthetic`
ORIGIN = ["source", "source_row"]  # where a row came from differs per form by design
DATES = ["start_date", "end_date"]

FORMS = {
    "xlsx": ("export.xlsx", {}),
    "spss": ("export.sav", {}),
    "excel_us": ("export.csv", {"date_style": "excel_us"}),
    "excel_nl": ("export.csv", {"date_style": "excel_nl", "delimiter": ";", "bom": True}),
    "iso_dates": ("export.csv", {"date_style": "iso"}),
    "older_headings": ("export.csv", {"older_headings": True}),
}


@pytest.fixture(scope="module")
def study(codebook):
    """Per wave: the records, the form of the shipped export, and the collectors."""
    records = generate_study(ROOT / "resources", codebook, SHIPPED_SEED).records
    extra, extra_form = generate_extra_wave(ROOT / "resources", codebook, SHIPPED_SEED)
    config = yaml.safe_load((ROOT / "config" / "examples" / "derde-meting.yaml").read_text())
    collectors = {str(k): v for k, v in config["collectors"].items()}
    return {
        "voormeting": (records["voormeting"], ExportForm(), collectors),
        "nameting": (records["nameting"], ExportForm(), collectors),
        EXTRA_WAVE["wave"]: (extra, extra_form, collectors),
    }


def _respondents(codebook, wave, path, collectors, minutes=False):
    result = ingest_wave(wave, [str(path)], codebook, collectors, 4, key=b"roundtrip")
    table = result.respondents.drop(columns=ORIGIN)
    if minutes:
        table[DATES] = table[DATES].apply(lambda c: c.dt.floor("min"))
    return table.sort_values("respondent_id").reset_index(drop=True)


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("wave", ["voormeting", "nameting", "derde_meting"])
def test_every_form_gives_the_shipped_respondents(form, wave, study, codebook, tmp_path):
    records, shipped_form, collectors = study[wave]
    name, changes = FORMS[form]
    path = write_export(
        tmp_path / name, records, codebook, dataclasses.replace(shipped_form, **changes)
    )
    excel = form.startswith("excel")
    shipped = ROOT / "resources" / "survey" / f"{wave}.csv"
    expected = _respondents(codebook, wave, shipped, collectors, minutes=excel)
    got = _respondents(codebook, wave, path, collectors, minutes=excel)
    assert len(got) > 100
    pd.testing.assert_frame_equal(got, expected)
