"""The codebook: matching headings, answer codes, and self-consistency checks."""

import pytest
import yaml
from conftest import INDICATORS, ROOT

from buurtpreventie.survey.codebook import load_codebook, normalise_text


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Bent u?", "bent u"),
        ("  9. Kunt u   over de\nvolgende uitspraken ", "kunt u over de volgende uitspraken"),
        ("9) Bent u?", "bent u"),
        ("BENT U", "bent u"),
        ("Heeft u zo\u2019n situatie", "heeft u zo'n situatie"),
        ("18-25 jaar", "18-25 jaar"),  # a number that is a label, not a question number
        ("10", "10"),
        (None, ""),
    ],
)
def test_normalise_text(heading, expected):
    assert normalise_text(heading) == expected


def test_every_question_of_the_appendix_is_in_the_codebook(codebook):
    assert [q.number for q in codebook.questions] == list(range(1, 26))
    assert {q.id for q in codebook.questions if q.personal} == {"q22", "q23", "q24", "q25"}


def test_find_question_by_text_alias_and_number(codebook):
    assert codebook.find_question("1. In welke buurt woont u?").id == "q1"
    corrected = (
        "Kunt u voor de volgende uitspraken over het functioneren van de politie in uw buurt "
        "aangeven in hoeverre u het ermee eens of oneens bent?"
    )
    assert codebook.find_question(corrected).id == "q11"
    assert codebook.find_question("Wat is uw favoriete kleur?") is None


def test_codes_and_missing(codebook):
    q4 = codebook.question("q4")
    assert [q4.code_of(x) for x in ("Nooit", "Zelden", "Soms", "Vaak")] == [1, 2, 3, 4]
    assert q4.missing_codes == {9}
    likert = codebook.question("q9_1")
    assert likert.code_of("weet ik niet") == 3 and not likert.missing_codes


def test_indicators_name_the_eight_of_interfaces(codebook):
    assert [i.id for i in codebook.indicators] == INDICATORS


def _broken(tmp_path, change):
    raw = yaml.safe_load((ROOT / "resources" / "codebook.yaml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_codebook_with_unknown_indicator_question_is_refused(tmp_path):
    def change(raw):
        raw["indicators"]["alertheid"]["rules"] = [{"from": "q99"}]

    with pytest.raises(KeyError, match="q99"):
        load_codebook(_broken(tmp_path, change))


def test_codebook_with_skip_to_nowhere_is_refused(tmp_path):
    def change(raw):
        raw["questions"][1]["skip"]["to"] = "q77"

    with pytest.raises(ValueError, match="q77"):
        load_codebook(_broken(tmp_path, change))
