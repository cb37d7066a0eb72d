"""Personal data is dropped in the first step; only a keyed pseudonym remains."""

import hashlib
import hmac

import pytest
from conftest import COLLECTORS, DOOR, record

from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.survey.pseudonym import (
    contact_pseudonym,
    key_fingerprint,
    load_key,
    normalise_email,
    normalise_phone,
)

PERSON = {
    "q22": "Anouk Testpersoon",
    "q23": "Fictieweg 12, 3011 XA Rotterdam",
    "q24": "Anouk.Testpersoon@example.org",
    "q25": "06-12345678",
}
BASE = {"q1": "Essenburgbuurt", "q2": "Nee", "q12": "Nee", "q21": "Ja"}


def test_rfc4231_test_case_2():
    # Second source: RFC 4231, test case 2 (HMAC-SHA-256 of "what do ya want for nothing?"
    # with key "Jefe"). Our pseudonym is HMAC-SHA-256 over the normalised contact.
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert (
        hmac.new(b"Jefe", b"what do ya want for nothing?", hashlib.sha256).hexdigest() == expected
    )
    ours = contact_pseudonym(b"Jefe", "", "")
    assert ours is None
    email = "what do ya want for nothing?@x"
    manual = hmac.new(b"Jefe", email.encode(), hashlib.sha256).hexdigest()
    assert contact_pseudonym(b"Jefe", email, "") == manual


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" Anouk.T@Example.ORG ", "anouk.t@example.org"), ("geen e-mail", ""), ("", "")],
)
def test_normalise_email(raw, expected):
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06-12345678", "0612345678"),
        ("+31 6 1234 5678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("(010) 123 45 67", "0101234567"),
        ("12345", ""),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


def test_same_person_same_pseudonym_across_waves_and_formats(write, codebook):
    first = write([record(1, DOOR, **BASE, **PERSON)], name="w1.csv")
    again = {**PERSON, "q24": " ANOUK.TESTPERSOON@example.org", "q25": "+31 6 1234 5678"}
    second = write([record(2, DOOR, **BASE, **again)], name="w2.csv")
    one = ingest_wave("voormeting", [first], codebook, COLLECTORS, 4, key=b"k1").respondents
    two = ingest_wave("nameting", [second], codebook, COLLECTORS, 4, key=b"k1").respondents
    assert one["pseudonym"][0] == two["pseudonym"][0]
    other_key = ingest_wave("nameting", [second], codebook, COLLECTORS, 4, key=b"k2").respondents
    assert other_key["pseudonym"][0] != one["pseudonym"][0]


def test_phone_only_links_too(write, codebook):
    path = write([record(1, DOOR, **BASE, **{**PERSON, "q24": ""})])
    table = ingest_wave("voormeting", [path], codebook, COLLECTORS, 4, key=b"k").respondents
    assert table["pseudonym"][0] == contact_pseudonym(b"k", "", "0612345678")


def test_no_pseudonym_without_consent_or_key(write, codebook):
    path = write(
        [record(1, DOOR, **{**BASE, "q21": "Nee"}, **PERSON), record(2, DOOR, **BASE, **PERSON)]
    )
    with_key = ingest_wave("voormeting", [path], codebook, COLLECTORS, 4, key=b"k").respondents
    by_id = with_key.set_index("respondent_id")["pseudonym"]
    assert by_id.isna()["1"] and by_id.notna()["2"]
    without = ingest_wave("voormeting", [path], codebook, COLLECTORS, 4, key=None).respondents
    assert without["pseudonym"].isna().all()


def test_no_personal_value_survives_ingestion(write, codebook):
    rows = [
        record(
            1,
            DOOR,
            **BASE,
            **PERSON,
            **{
                "Email Address": "meta@example.org",
                "First Name": "Metavoornaam",
                "Last Name": "Metaachternaam",
            },
        )
    ]
    result = ingest_wave("voormeting", [write(rows)], codebook, COLLECTORS, 4, key=b"k")
    text = result.respondents.to_csv() + result.flow.to_csv()
    for value in [
        *PERSON.values(),
        "192.0.2.10",
        "meta@example.org",
        "Metavoornaam",
        "Metaachternaam",
        "12345678",
    ]:
        assert value.lower() not in text.lower()
    assert not {"q22", "q23", "q24", "q25", "ip_address"} & set(result.respondents.columns)


def test_key_from_environment_or_file(tmp_path, monkeypatch):
    key_file = tmp_path / ".panel-key"
    monkeypatch.delenv("TEST_PANEL_KEY", raising=False)
    assert load_key("TEST_PANEL_KEY", key_file) is None
    key_file.write_text("uit-bestand\n", encoding="utf-8")
    assert load_key("TEST_PANEL_KEY", key_file) == b"uit-bestand"
    monkeypatch.setenv("TEST_PANEL_KEY", "uit-omgeving")
    assert load_key("TEST_PANEL_KEY", key_file) == b"uit-omgeving"
    assert key_fingerprint(b"uit-omgeving") != key_fingerprint(b"uit-bestand")
    assert "uit-omgeving" not in key_fingerprint(b"uit-omgeving")
