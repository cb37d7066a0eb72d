"""SurveyMonkey's SPSS export (.sav) gives the same respondents as the CSV.

The layout (variable names ``q0001``, ``q0005_0001``; metadata as
``respondent_id``, ``date_created`` ...; question text in the variable label,
answer texts as value labels) is the one ``buurtpreventie.survey.exports._read_sav``
documents, with the sources it is based on.
"""

import datetime as dt

import pandas as pd
import pyreadstat
import pytest
from conftest import APP, COLLECTORS, DOOR, record

from buurtpreventie.errors import InputError
from buurtpreventie.survey.exports import read_export
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.export_writer import ExportForm, write_export

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}


def _table(codebook, path, collectors=COLLECTORS):
    result = ingest_wave("voormeting", [str(path)], codebook, collectors, 4, key=b"k")
    return result.respondents.drop(columns=["source"])


def test_written_sav_gives_the_csv_respondents(tmp_path, codebook):
    records = [
        record(1, DOOR, **GOOD, q5_vuil=True, q5_verkeer=True, q9_1="Mee eens", q8="7"),
        record(2, APP, **{**GOOD, "q12": "Ja", "q13": "Ja", "q14_essenburg": True}),
        record(
            3, DOOR, **GOOD, q21="Ja", q22="Invented Name", q24="iemand@example.org", q18="Vrouw"
        ),
    ]
    sav = write_export(tmp_path / "export.sav", records, codebook)
    csv = write_export(tmp_path / "export.csv", records, codebook)
    pd.testing.assert_frame_equal(_table(codebook, sav), _table(codebook, csv))
    raw = read_export(sav)
    assert raw.format == "sav"
    assert raw.headings[:4] == ["respondent_id", "collector_id", "date_created", "date_modified"]


def _relabelled_sav(tmp_path, codebook, records):
    """A .sav whose checkbox variables carry only the question in their label.

    SurveyMonkey may label every variable of a block with the question alone;
    the option is then the checkbox's single value label.
    """
    written = write_export(tmp_path / "written.sav", records, codebook)
    frame, meta = pyreadstat.read_sav(str(written))
    labels = dict(meta.column_names_to_labels)
    question = codebook.question("q5").text
    for name in [n for n in frame.columns if n.startswith("q0005_")]:
        assert labels[name].startswith(question + " - ")
        labels[name] = question
    path = tmp_path / "relabelled.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=[labels[n] for n in frame.columns],
        variable_value_labels=meta.variable_value_labels,
    )
    return path


def test_checkbox_labelled_with_the_question_only(tmp_path, codebook):
    records = [
        record(1, DOOR, **GOOD, q5_overlast=True, q5_vuil=True),
        record(2, DOOR, **{**GOOD, "q2": "Ja", "q3": "Soms", "q4": "Nooit"}),
        record(3, APP, q1="Andere buurt in Rotterdam"),
    ]
    path = _relabelled_sav(tmp_path, codebook, records)
    result = ingest_wave("voormeting", [str(path)], codebook, COLLECTORS, 4)
    assert result.flow["outcome"].tolist() == ["included", "included", "excluded"]
    table = result.respondents.set_index("respondent_id")
    # codebook codes, not SPSS's numbering 1, 2, ...: Nee is 0, Soms 3, Nooit 1
    assert table["q2"].tolist() == [0, 1]
    assert table["q3"].tolist() == [pd.NA, 3]
    assert table["q4"].tolist() == [3, 1]
    assert table["q5_overlast"].tolist() == [True, pd.NA]  # q5 is skipped after q4 Nooit
    assert table["q5_vuil"].tolist() == [True, pd.NA]
    assert table["q5_criminaliteit"].tolist() == [False, pd.NA]
    assert table["q7"].tolist() == [1, pd.NA]
    assert table["start_date"].tolist() == [
        pd.Timestamp("2020-06-03 10:16:00"),
        pd.Timestamp("2020-06-03 10:17:00"),
    ]
    assert "192.0.2.10" not in result.respondents.astype(str).to_string()


def test_damaged_sav_names_the_file(tmp_path, codebook):
    path = tmp_path / "damaged.sav"
    path.write_bytes(b"$FL2@(#) not really SPSS")
    with pytest.raises(InputError, match=r"damaged\.sav: the SPSS file is damaged"):
        ingest_wave("voormeting", [str(path)], codebook, COLLECTORS, 4)


def test_sav_with_numbered_headings_and_unknown_question(tmp_path, codebook, caplog):
    records = [record(1, DOOR, **GOOD), record(2, DOOR, **{**GOOD, "q4": "Vaak"})]
    form = ExportForm(numbered=True, extra_questions={"Hoe hoorde u van ons?": ["Flyer", ""]})
    sav = write_export(tmp_path / "numbered.sav", records, codebook, form)
    csv = write_export(tmp_path / "plain.csv", records, codebook)
    pd.testing.assert_frame_equal(_table(codebook, sav), _table(codebook, csv))
    assert any("Hoe hoorde u van ons" in m for m in caplog.messages)


def test_sav_dates_keep_their_seconds(tmp_path, codebook):
    start = dt.datetime(2020, 6, 3, 10, 15, 42)
    records = [{**record(1, DOOR, **GOOD), "Start Date": start}]
    sav = write_export(tmp_path / "seconds.sav", records, codebook)
    assert _table(codebook, sav)["start_date"].tolist() == [pd.Timestamp(start)]


@pytest.mark.e2e
def test_a_wave_given_as_sav_runs_through_the_workflow(tmp_path, codebook):
    """The config names a .sav export: the schema accepts it and Snakemake reads it.

    The shipped study's baseline, written again (same seed, same records) as
    SurveyMonkey's SPSS file, gives respondent and indicator tables identical
    to those of the CSV. An independent check of the SPSS path end to end:
    the reader of the .sav shares no parsing code with the CSV reader.
    """
    import yaml
    from conftest import ROOT
    from test_workflow import _copy_workflow, _snakemake

    from buurtpreventie.synthetic.generate import generate_study

    workdir = _copy_workflow(tmp_path / "study")
    study = generate_study(ROOT / "resources", codebook, 20200601)
    write_export(
        workdir / "resources" / "survey" / "voormeting.sav", study.records["voormeting"], codebook
    )
    config = yaml.safe_load((workdir / "config.yaml").read_text(encoding="utf-8"))
    for wave in config["waves"]:
        if wave["id"] == "voormeting":
            wave["exports"] = ["resources/survey/voormeting.sav"]
    (workdir / "sav.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    targets = ["results/tables/respondents.csv", "results/tables/indicators.csv"]
    run = _snakemake(workdir, *targets, "--configfile", "sav.yaml")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    reference = _copy_workflow(tmp_path / "reference")
    assert _snakemake(reference, *targets).returncode == 0
    for target in targets:
        assert (workdir / target).read_bytes() == (reference / target).read_bytes(), target
