"""The respondents of a wave as an SPSS file (``results/respondents/<wave>.sav``).

Each test reads the ``.sav`` back with pyreadstat, with and without user-missing
values, and compares it with the parquet file it was written from: the same
columns and rows, the same values (codes, and the answer labels they carry), the
codebook's question texts as variable labels and its "Weet ik niet" codes as
user-missing. The expected labels are taken from the codebook here, not from
``buurtpreventie.survey.spss``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import APP, COLLECTORS, DOOR, ROOT, record

from buurtpreventie.registry import load_registry
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.survey.spss import CREATED, sav_layout, write_respondents_sav

GOOD = {"q1": "Essenburgbuurt", "q2": "Nee", "q4": "Soms", "q7": "Ja", "q12": "Nee"}
NAME, EMAIL, PHONE = "Invented Q. Person", "iemand@example.org", "06-12345678"


def _wave(tmp_path, write, codebook, records, wave="voormeting"):
    """Ingest records as one wave; the respondents as the rule reads them (from parquet)."""
    export = write(records)
    result = ingest_wave(wave, [export], codebook, COLLECTORS, 4, key=b"test-key")
    path = tmp_path / f"{wave}.parquet"
    result.respondents.to_parquet(path, index=False)
    return pd.read_parquet(path)


def _variables(codebook):
    """Column id -> (variable label, {code: answer label}, user-missing codes, question type)."""
    out = {}
    for q in codebook.questions:
        codes = {float(o.code): o.label for o in q.options}
        missing = sorted(float(o.code) for o in q.options if o.missing)
        if q.type == "matrix":
            for s in q.statements:
                out[s.id] = (f"{q.text} - {s.text}", codes, missing, q.type)
        elif q.type == "checkbox":
            for o in q.options:
                out[f"{q.id}_{o.name}"] = (f"{q.text} - {o.label}", None, [], q.type)
        else:
            out[q.id] = (q.text, codes, missing, q.type)
    return out


def assert_sav_matches(parquet: pd.DataFrame, sav, codebook) -> None:
    """The .sav holds the parquet's rows and columns, values and the codebook's labels."""
    frame, meta = pyreadstat.read_sav(str(sav), user_missing=True)
    plain, _ = pyreadstat.read_sav(str(sav))
    shown, _ = pyreadstat.read_sav(str(sav), user_missing=True, apply_value_formats=True)
    # exactly the parquet's columns, in order, and its rows
    assert list(frame.columns) == list(parquet.columns)
    assert len(frame) == len(plain) == len(parquet)
    variables = _variables(codebook)
    labels = meta.column_names_to_labels
    assert all(labels[c] for c in frame.columns), "every variable has a label"
    for column in parquet.columns:
        expected, got = parquet[column], frame[column]
        if column in variables:
            text, codes, missing, kind = variables[column]
            assert labels[column] == text, column
            if kind in ("matrix", "checkbox"):  # Likert statements; ticked or not
                level = "ordinal" if kind == "matrix" else "nominal"
                assert meta.variable_measure[column] == level, column
            numbers = expected.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            np.testing.assert_array_equal(got.to_numpy(dtype=float), numbers, err_msg=column)
            if codes is None:  # checkbox: 0/1
                assert meta.variable_value_labels[column] == {0: "Niet aangevinkt", 1: "Aangevinkt"}
                continue
            assert meta.variable_value_labels[column] == codes, column
            # the values after applying the value labels: the answer labels
            answers = [codes[v] if not np.isnan(v) else None for v in numbers]
            assert [None if pd.isna(v) else v for v in shown[column]] == answers, column
            ranges = meta.missing_ranges.get(column, [])
            assert ranges == [{"lo": c, "hi": c} for c in missing], column
            # without user-missing values, "Weet ik niet" reads as missing
            blanked = np.where(np.isin(numbers, missing), np.nan, numbers)
            np.testing.assert_array_equal(plain[column].to_numpy(dtype=float), blanked)
        elif pd.api.types.is_datetime64_any_dtype(expected.dtype):
            assert (got.astype("datetime64[us]") == expected.astype("datetime64[us]")).all()
        elif pd.api.types.is_numeric_dtype(expected.dtype):
            numbers = expected.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            np.testing.assert_array_equal(got.to_numpy(dtype=float), numbers, err_msg=column)
        else:  # text: SPSS's missing text is ""
            texts = [None if pd.isna(v) or v == "" else v for v in got]
            assert texts == [None if pd.isna(v) else v for v in expected], column
    for indicator in codebook.indicators:
        if indicator.id in frame.columns:
            assert labels[indicator.id].startswith(indicator.label + ": "), indicator.id
            assert meta.variable_measure[indicator.id] == "scale"


def _records():
    return [
        record(1, DOOR, **GOOD, q5_vuil=True, q5_verkeer=True, q9_1="Weet ik niet", q8="7"),
        record(
            2, APP, **{**GOOD, "q2": "Weet ik niet", "q12": "Ja", "q13": "Ja"}, q14_essenburg=True
        ),
        record(3, DOOR, **{**GOOD, "q2": "Ja", "q3": "Weet ik niet"}, q8="Weet ik niet"),
        record(
            4, DOOR, **GOOD, q18="Vrouw", q19="46-55 jaar", q20="Samenwonend met inwonende kinderen"
        ),
        record(5, DOOR, **GOOD, q21="Ja", q22=NAME, q24=EMAIL, q25=PHONE),
        record(6, APP, q1="Andere buurt in Rotterdam"),  # excluded
    ]


def test_a_small_wave_reads_back_as_its_parquet(tmp_path, write, codebook):
    respondents = _wave(tmp_path, write, codebook, _records())
    assert len(respondents) == 5
    sav = tmp_path / "voormeting.sav"
    write_respondents_sav(respondents, codebook, "voormeting", sav)
    assert_sav_matches(respondents, sav, codebook)

    frame, meta = pyreadstat.read_sav(str(sav), user_missing=True)
    plain, _ = pyreadstat.read_sav(str(sav))
    by_id = frame.set_index("respondent_id")
    # "Weet ik niet" of question 2 (code 9) and 8 (99): user-missing, kept as codes ...
    assert by_id.loc["2", "q2"] == 9 and by_id.loc["3", "q8"] == 99
    assert meta.missing_ranges["q8"] == [{"lo": 99.0, "hi": 99.0}]
    plain = plain.set_index("respondent_id")
    assert np.isnan(plain.loc["2", "q2"]) and np.isnan(plain.loc["3", "q8"])
    # ... but the matrix's "Weet ik niet" is the middle of the scale: a valid 3
    assert by_id.loc["1", "q9_1"] == 3 and "q9_1" not in meta.missing_ranges
    assert plain.loc["1", "q9_1"] == 3
    # derived variables: Dutch descriptions and the options' labels
    assert meta.column_names_to_labels["buurt"] == "Buurt (vraag 1)"
    assert meta.variable_value_labels["leeftijdscategorie"][3] == "46-55 jaar"
    assert meta.variable_value_labels["samenwonend"] == {0: "Alleenstaand", 1: "Samenwonend"}
    assert meta.variable_value_labels["groep"] == {
        "E": "Experimentele groep (appgroep)",
        "C": "Controlegroep",
    }
    assert meta.variable_measure["q19"] == "ordinal" and meta.variable_measure["q1"] == "nominal"
    assert meta.original_variable_types["sociale_cohesie"] == "F8.2"
    assert meta.original_variable_types["start_date"].startswith("DATETIME")
    # the pseudonym is there for the panel; the contact details it was made from are not
    assert by_id.loc["5", "pseudonym"]
    data = sav.read_bytes()
    for value in (NAME, EMAIL, PHONE, "12345678", "192.0.2.10"):
        assert value.encode() not in data, value
    personal = [q.text for q in codebook.questions if q.personal]
    assert not set(personal) & set(meta.column_names_to_labels.values())


def test_the_same_respondents_give_the_same_bytes(tmp_path, write, codebook):
    respondents = _wave(tmp_path, write, codebook, _records()[:3])
    first, second = tmp_path / "a.sav", tmp_path / "b.sav"
    write_respondents_sav(respondents, codebook, "voormeting", first)
    write_respondents_sav(respondents, codebook, "voormeting", second)
    assert first.read_bytes()[92:109] == CREATED
    assert first.read_bytes() == second.read_bytes()
    _, meta = pyreadstat.read_sav(str(first), metadataonly=True)
    assert meta.creation_time.year == 1970
    assert meta.file_label == "Buurtpreventie voormeting"


def test_a_personal_or_undescribed_column_is_refused(tmp_path, write, codebook):
    respondents = _wave(tmp_path, write, codebook, _records()[:2])
    with pytest.raises(ValueError, match="'q22' holds personal data"):
        sav_layout(respondents.assign(q22="Naam"), codebook, "voormeting")
    with pytest.raises(ValueError, match="'ip_address' holds personal data"):
        sav_layout(respondents.assign(ip_address="192.0.2.10"), codebook, "voormeting")
    with pytest.raises(ValueError, match="column 'extra' is no question"):
        sav_layout(respondents.assign(extra=1), codebook, "voormeting")


@pytest.mark.parametrize("wave", ["voormeting", "nameting"])
def test_the_shipped_study_reads_back_as_its_parquet(tmp_path, codebook, wave):
    """The shipped synthetic exports, ingested as rule ingest_wave does (a few seconds)."""
    from test_workflow import _personal_values

    export = str(ROOT / "resources" / "survey" / f"{wave}.csv")
    result = ingest_wave(wave, [export], codebook, COLLECTORS, 4, key=b"test-key")
    result.respondents.to_parquet(tmp_path / "r.parquet", index=False)
    respondents = pd.read_parquet(tmp_path / "r.parquet")
    sav = tmp_path / f"{wave}.sav"
    layout = write_respondents_sav(respondents, codebook, wave, sav)
    assert_sav_matches(respondents, sav, codebook)
    assert len(layout.missing) == 7  # questions 2, 3, 4, 6, 7, 8, 12
    frame, _ = pyreadstat.read_sav(str(sav), user_missing=True)
    assert (frame["q8"] == 99).any() and (frame["pseudonym"] != "").any()
    text = sav.read_bytes().decode("utf-8", errors="replace").lower()
    values = _personal_values(ROOT)
    assert len(values) > 400
    assert not sorted(v for v in {v.lower() for v in values} if v in text)


def test_the_sav_files_are_registered_once():
    """One `data:` entry: its rule's output, the targets of `rule all`, named nowhere else."""
    entry = load_registry(ROOT / "resources" / "tables.yaml").get("respondents_sav")
    assert entry.kind == "data" and entry.file == "results/respondents/{wave}.sav"
    assert entry.files(["voormeting", "nameting"]) == [
        "results/respondents/voormeting.sav",
        "results/respondents/nameting.sav",
    ]
    assert entry.name not in [e.name for e in load_registry(ROOT / "resources" / "tables.yaml")]
    rules = (ROOT / "workflow" / "rules" / "survey.smk").read_text(encoding="utf-8")
    block = re.search(r"^rule respondents_sav:\n(.*?)(?=^rule |\Z)", rules, re.S | re.M).group(1)
    assert re.search(r'^\s+sav=registered\("respondents_sav"\),$', block, re.M)
    common = (ROOT / "workflow" / "rules" / "common.smk").read_text(encoding="utf-8")
    assert "REGISTRY.data" in common.split("def all_targets")[1]
    code = [ROOT / "Snakefile", *(ROOT / "workflow").rglob("*.smk")]
    code += [*(ROOT / "scripts").glob("*.py"), *(ROOT / "src").rglob("*.py")]
    named = [p for p in code if re.search(r"respondents/\{[^}]*\}\.sav", p.read_text("utf-8"))]
    assert named == []


def test_a_long_label_is_cut_and_too_many_missing_codes_stop(tmp_path, write, codebook, caplog):
    import dataclasses

    respondents = _wave(tmp_path, write, codebook, _records()[:2])
    q2 = codebook.question("q2")

    def with_q2(**changes):
        questions = tuple(
            dataclasses.replace(q, **changes) if q is q2 else q for q in codebook.questions
        )
        return dataclasses.replace(codebook, questions=questions)

    layout = sav_layout(respondents, with_q2(text="Voelt u zich " + "é" * 200), "voormeting")
    label = layout.column_labels["q2"]
    assert len(label.encode("utf-8")) <= 256 and label.endswith("...")
    assert "label of q2 is longer than SPSS's 256 bytes" in caplog.text
    options = tuple(
        dataclasses.replace(o, code=code, missing=True)
        for o, code in zip([*q2.options, q2.options[0]], (7, 8, 9, 10), strict=True)
    )
    with pytest.raises(ValueError, match="question q2 marks 4 answers missing"):
        sav_layout(respondents, with_q2(options=options), "voormeting")
