"""The WhatsApp parser on small hand-written exports (Android and iOS, Dutch locale)."""

import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.chat.whatsapp import load_locale, parse_chat
from buurtpreventie.errors import InputError

LOCALE = load_locale(ROOT / "resources" / "chat" / "whatsapp_nl.yaml")
ROSTER = {"Karin Bos": "beheerder_gemeente", "Agent Jansen": "wijkagent"}

ANDROID = """\
01-09-2019 10:00 - Berichten en oproepen zijn end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.
01-09-2019 10:00 - Karin Bos heeft de groep "Buurtapp Zenobuurt" aangemaakt
01-09-2019 10:01 - Karin Bos heeft Anouk de Vries, Bram Smit en Agent Jansen toegevoegd
02-09-2019 18:30 - Cor Peters is lid geworden via de uitnodigingslink van deze groep
03-09-2019 21:15 - Anouk de Vries: Er loopt iemand met een zaklamp bij de garages.
Donkere jas, rode pet.
Richting de speeltuin
03-09-2019 21:16 - Bram Smit: <Media weggelaten>
03-09-2019 21:20 - Agent Jansen: We zijn er al, dank voor het melden
04-09-2019 08:00 - Bram Smit: Cor Peters is vertrokken naar zijn werk, zei hij
15-10-2019 12:00 - Cor Peters is vertrokken
20-10-2019 12:00 - Anouk de Vries heeft de groep verlaten
21-10-2019 09:00 - Karin Bos heeft Bram Smit verwijderd
22-10-2019 09:00 - +31 6 12345678: Is dit de buurtapp?
22-10-2019 09:05 - Dewi Kok is gewijzigd naar +31 6 87654321
"""

IOS = """\
[01-09-2019 10:00:05] Buurt Preventie Essenburg: \u200eBerichten en oproepen zijn end-to-end versleuteld. Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.
[01-09-2019 10:00:05] Buurt Preventie Essenburg: \u200eKees Visser heeft de groep "Buurt Preventie Essenburg" aangemaakt
[01-09-2019 10:00:06] Buurt Preventie Essenburg: \u200eKees Visser heeft Anouk de Vries en Bram Smit toegevoegd
[02-09-2019 11:00:00] Kees Visser: Welkom allemaal!
Lees even de regels in de beschrijving.
[02-09-2019 11:05:10] Anouk de Vries: \u200eafbeelding weggelaten
[03-09-2019 12:00:00] Buurt Preventie Essenburg: \u200eBram Smit is vertrokken
[04-09-2019 12:00:00] Anouk de Vries: Bram Smit is vertrokken
"""


@pytest.fixture
def android(tmp_path):
    path = tmp_path / "zenobuurt.txt"
    path.write_text(ANDROID, encoding="utf-8")
    return parse_chat(path, "zenobuurt", LOCALE, ROSTER)


@pytest.fixture
def ios(tmp_path):
    path = tmp_path / "essenburg.txt"
    path.write_text(IOS, encoding="utf-8")
    return parse_chat(path, "essenburg", LOCALE, {"Kees Visser": "beheerder_bewoner"})


def test_android_messages_lines_and_kinds(android):
    m = android.messages
    assert len(m) == 13
    signal = m.iloc[4]
    assert (signal["line_start"], signal["line_end"]) == (5, 7)  # multi-line message
    assert signal["kind"] == "message" and signal["role"] == "bewoner"
    assert m.iloc[5]["kind"] == "media"
    assert m.iloc[6]["role"] == "wijkagent" and m.iloc[6]["sender"] == "wijkagent_1"
    assert m.iloc[0]["kind"] == "system" and pd.isna(m.iloc[0]["sender"])
    assert m.iloc[12]["kind"] == "system"  # number change: no member event
    assert m["timestamp"].iloc[4] == pd.Timestamp("2019-09-03 21:15")


def test_a_message_that_reads_like_a_system_line_stays_a_message(android):
    row = android.messages.iloc[7]
    assert row["kind"] == "message" and row["sender"] == android.messages.iloc[5]["sender"]


def test_android_member_events(android):
    e = android.events
    assert e["event"].tolist() == [
        "created",
        "added",
        "added",
        "added",
        "joined",
        "left",
        "left",
        "removed",
    ]
    assert e["member"].iloc[0] == "beheerder_gemeente_1"
    assert e["actor"].iloc[1] == "beheerder_gemeente_1"
    assert e["member"].iloc[3] == "wijkagent_1"
    # the same resident keeps one pseudonym across system lines and messages
    anouk = e["member"].iloc[1]
    assert android.messages.iloc[4]["sender"] == anouk
    assert e.loc[e["event"] == "left", "member"].tolist()[1] == anouk


def test_no_name_or_text_leaves_the_parser(android):
    text = android.messages.to_csv() + android.events.to_csv()
    for fragment in ("Anouk", "Bram", "Karin", "Jansen", "zaklamp", "12345678", "Peters"):
        assert fragment not in text


def test_ios_messages_and_system_lines(ios):
    m, e = ios.messages, ios.events
    assert m["kind"].tolist() == [
        "system",
        "system",
        "system",
        "message",
        "media",
        "system",
        "message",
    ]
    assert (m.iloc[3]["line_start"], m.iloc[3]["line_end"]) == (4, 5)
    assert m.iloc[3]["role"] == "beheerder_bewoner"
    assert e["event"].tolist() == ["created", "added", "added", "left"]
    assert m["timestamp"].iloc[4] == pd.Timestamp("2019-09-02 11:05:10")


def test_undecodable_text_names_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(ANDROID.encode() + "22-10-2019 10:00 - Bram: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"bad\.txt, row 16: text cannot be decoded"):
        parse_chat(path, "g", LOCALE, {})


def test_not_a_chat_export(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Boodschappen\nmelk\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a WhatsApp chat export"):
        parse_chat(path, "g", LOCALE, {})


def test_unknown_role_in_roster_is_refused(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text(ANDROID, encoding="utf-8")
    with pytest.raises(ValueError, match="burgemeester"):
        parse_chat(path, "g", LOCALE, {"Karin Bos": "burgemeester"})
