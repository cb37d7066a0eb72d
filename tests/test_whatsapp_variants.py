# ruff: noqa: E501 (hand-written chat exports keep WhatsApp's long lines as they are)
"""The WhatsApp reader on every export form a Dutch group produces (hand-written samples).

Invented names only ("Bewoner A", "Karin Bos"); each test works out the
expected parse by hand. The forms: Dutch iOS 2025 and older iOS, Android and
iOS with the phone in English (UK 24-hour, US 12-hour), date orders, year
widths, separators, invisible marks, the exporter, unclassified lines, time
running backwards, and the inspection.
"""

import logging

import pandas as pd
import pytest
from conftest import ROOT

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.whatsapp import (
    EXPORTER,
    RESIDENT,
    ROLES,
    inspect_chat,
    load_locales,
    parse_chat,
    pseudonymised_text,
)
from buurtpreventie.errors import InputError

LOCALES = load_locales(
    [
        ROOT / "resources" / "chat" / "whatsapp_nl.yaml",
        ROOT / "resources" / "chat" / "whatsapp_en.yaml",
    ]
)
M, NNBSP, NBSP, RLM = "\u200e", "\u202f", "\u00a0", "\u200f"

IOS_2025 = f"""\
[21-09-2025, 16:30:00] Buurtgroep: {M}Berichten en oproepen worden end-to-end versleuteld. Alleen mensen in deze chat kunnen ze lezen, beluisteren of delen.
[21-09-2025, 16:30:00] Buurtgroep: {M}~{NNBSP}Bewoner B heeft de groep Buurtgroep gemaakt
[21-09-2025, 16:31:02] Buurtgroep: {M}~{NNBSP}Bewoner B heeft je toegevoegd
[21-09-2025, 16:35:10] ~{NNBSP}Bewoner B: Welkom!
[21-09-2025, 16:38:19] ~{NNBSP}Bewoner A:
Is dit de buurtapp?
[21-09-2025, 16:39:00] ~{NNBSP}Bewoner A: {M}Dit bericht is verwijderd.
[21-09-2025, 16:40:00] Karin Bos: {M}afbeelding weggelaten
[21-09-2025, 16:41:00] Karin Bos: {M}Notulen.pdf • 3 pagina's {M}document weggelaten
[21-09-2025, 16:42:00] Karin Bos: Morgen overleg {M}<Dit bericht is bewerkt>
[21-09-2025, 16:43:00] ~{NNBSP}Bewoner A: {M}Gemiste spraakoproep
[21-09-2025, 16:44:00] Buurtgroep: {M}~{NNBSP}Bewoner C is lid geworden via de uitnodigingslink van deze groep
[21-09-2025, 16:45:00] Buurtgroep: {M}Karin Bos heeft de groepsnaam gewijzigd naar "Buurt: Noord"
[21-09-2025, 16:46:00] Buurtgroep: {M}Je bent nu beheerder
[21-09-2025, 16:47:00] Buurtgroep: {M}~{NNBSP}Bewoner B heeft ~{NNBSP}Bewoner A verwijderd
[21-09-2025, 16:48:00] Karin Bos: {M}Je hebt dit bericht verwijderd.
[21-09-2025, 16:49:00] Karin Bos: {M}Contactkaart weggelaten
[21-09-2025, 16:50:00] Karin Bos: {M}<bijgevoegd: 00000012-PHOTO-2025-09-21-16-50-00.jpg>
[22-09-2025, 09:00:00] Buurtgroep: {M}Je hebt de groep verlaten
"""


def _parse(tmp_path, text, name="chat.txt", roster=None, **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_chat(path, "g", LOCALES, roster or {}, **options)


def test_dutch_ios_2025(tmp_path):
    chat = _parse(tmp_path, IOS_2025, roster={"Karin Bos": "beheerder_gemeente"})
    m, e = chat.messages, chat.events
    assert chat.how["format"] == "ios" and chat.how["locale"] == "nl"
    assert m["kind"].tolist() == [
        *["system"] * 3,
        "message",  # Welkom!
        "message",  # empty first line, its text on the next line
        "deleted",
        "media",
        "media",  # document with name and pages
        "message",  # edited: still one message
        "call",
        *["system"] * 4,
        "deleted",
        "media",  # contact card
        "media",  # attachment when exported with media
        "system",
    ]
    b, a = m.loc[3, "sender"], m.loc[4, "sender"]
    assert (m.loc[4, "line_start"], m.loc[4, "line_end"]) == (5, 6)
    assert m.loc[5, "sender"] == a and m.loc[9, "sender"] == a  # deleted and call keep their sender
    assert m.loc[6, "sender"] == "beheerder_gemeente_1"
    # the group's name and "je" are never senders; "Bewoner A:" is Bewoner A
    assert set(m["sender"].dropna()) == {a, b, "beheerder_gemeente_1"}
    assert e["event"].tolist() == ["created", "added", "joined", "removed", "left"]
    assert e["member"].tolist() == [b, EXPORTER, e.loc[2, "member"], a, EXPORTER]
    assert e["actor"].iloc[1] == b and e["actor"].iloc[3] == b
    assert e["line"].tolist() == [2, 3, 12, 15, 19]
    assert chat.system == {
        "encryption": 1,
        "created": 1,
        "added": 1,
        "joined": 1,
        "subject": 1,
        "admin": 1,
        "removed": 1,
        "left": 1,
    }
    assert m.loc[4, "timestamp"] == pd.Timestamp("2025-09-21 16:38:19")
    assert not chat.unclassified


def test_deleted_and_calls_are_no_posts(tmp_path):
    chat = _parse(tmp_path, IOS_2025)
    assert chat.messages["kind"].isin(aggregate.POST_KINDS).sum() == 7  # 3 messages + 4 media
    buurt_of = {chat.messages["group"][0]: "b"}
    activity = aggregate.activity_table(chat.messages, buurt_of, [*ROLES, RESIDENT])
    assert activity["messages"].sum() == 7


OLDER_IOS = f"""\
[22-11-13 19:08:14] {M}Bewoner C heeft deze groep aangemaakt
[22-11-13 19:08:14] {M}Berichten en gesprekken worden end-to-end versleuteld. Tik voor meer informatie.
[24-11-17 14:36:50]{M} Bewoner D heeft Bewoner C toegevoegd
[24-11-17 14:37:00] Buurtgroep: Berichten die naar deze groep worden verzonden, zijn nu beveiligd met end-to-end encryptie. Tik voor meer info.
[24-11-17 14:40:00] Bewoner C: Hallo
[24-11-17 14:41:00] {M}U heeft Bewoner E toegevoegd
"""


def test_older_ios(tmp_path):
    chat = _parse(tmp_path, OLDER_IOS)
    m, e = chat.messages, chat.events
    assert m["kind"].tolist() == ["system", "system", "system", "system", "message", "system"]
    assert e["event"].tolist() == ["created", "added", "added"]
    c = e["member"].iloc[0]
    assert e["member"].iloc[1] == c and m.loc[4, "sender"] == c
    assert e["actor"].iloc[2] == EXPORTER
    assert chat.how["date_order"] == "dmy" and chat.how["date_order_from"] == "values"
    assert m.loc[0, "timestamp"] == pd.Timestamp("2013-11-22 19:08:14")
    assert m.loc[2, "timestamp"] == pd.Timestamp("2017-11-24 14:36:50")
    assert m["sender"].dropna().nunique() == 1


ENGLISH_UK_ANDROID = """\
19/05/2015, 23:15 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
19/05/2015, 23:15 - Karin Bos created group "Neighbourhood watch"
19/05/2015, 23:16 - Karin Bos added Bewoner A, Bewoner B and You
20/05/2015, 08:00 - Bewoner A: Good morning
20/05/2015, 08:01 - Bewoner B: <Media omitted>
20/05/2015, 08:02 - Bewoner B: This message was deleted
20/05/2015, 08:03 - Bewoner C joined using this group's invite link
21/05/2015, 10:00 - Bewoner A left
21/05/2015, 10:05 - Karin Bos removed Bewoner B
21/05/2015, 10:06 - Karin Bos changed the subject from "Watch" to "Neighbourhood watch"
21/05/2015, 10:07 - Karin Bos changed this group's icon
21/05/2015, 10:08 - You're now an admin
21/05/2015, 10:09 - Bewoner C changed to +44 7700 900123
21/05/2015, 10:10 - Your security code with Bewoner C changed. Tap to learn more.
21/05/2015, 10:11 - Bewoner C: Hi <This message was edited>
21/05/2015, 10:12 - You removed Bewoner C
"""


def test_english_uk_android(tmp_path):
    chat = _parse(tmp_path, ENGLISH_UK_ANDROID)
    m, e = chat.messages, chat.events
    assert chat.how == {
        "format": "android",
        "locale": "en",
        "locale_file": str(ROOT / "resources" / "chat" / "whatsapp_en.yaml"),
        "date_order": "dmy",
        "date_order_from": "values",
        "clock": "24h",
    }
    assert m["kind"].tolist() == [
        *["system"] * 3,
        "message",
        "media",
        "deleted",
        *["system"] * 8,
        "message",
        "system",
    ]
    assert e["event"].tolist() == [
        "created",
        "added",
        "added",
        "added",
        "joined",
        "left",
        "removed",
        "removed",
    ]
    assert e["member"].iloc[3] == EXPORTER and e["actor"].iloc[7] == EXPORTER
    assert e["member"].iloc[1] == m.loc[3, "sender"]
    assert chat.system["number"] == 1 and chat.system["security"] == 1
    assert chat.system["icon"] == 1 and chat.system["admin"] == 1
    assert m.loc[3, "timestamp"] == pd.Timestamp("2015-05-20 08:00")


def test_english_uk_ios(tmp_path):
    text = f"""\
[19/05/2015, 23:15:22] Neighbourhood watch: {M}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
[19/05/2015, 23:15:22] Neighbourhood watch: {M}Karin Bos created group "Neighbourhood watch"
[19/05/2015, 23:15:30] Neighbourhood watch: {M}Karin Bos added you
[20/05/2015, 08:00:01] Karin Bos: {M}image omitted
[20/05/2015, 08:00:02] Karin Bos: {M}Minutes.pdf • 2 pages {M}document omitted
[20/05/2015, 08:00:03] Bewoner A: {M}Missed voice call
[20/05/2015, 08:00:04] Bewoner A: {M}You deleted this message.
[20/05/2015, 08:00:05] Bewoner A: {M}View once photo
"""
    chat = _parse(tmp_path, text)
    assert chat.how["locale"] == "en" and chat.how["format"] == "ios"
    assert chat.messages["kind"].tolist() == [
        *["system"] * 3,
        "media",
        "media",
        "call",
        "deleted",
        "media",
    ]
    assert chat.events["member"].tolist() == ["bewoner_0001", EXPORTER]


def test_english_us_12_hour_clock(tmp_path):
    text = f"""\
12/31/21, 9:41 PM - Karin Bos created group "Watch"
12/31/21, 9:42 PM - Karin Bos added you
1/1/22, 12:05 AM - Bewoner A: Happy new year
1/1/22, 12:30 p.m. - Bewoner A: Lunch
1/2/22, 7:15{NNBSP}a.m. - Bewoner A: Morning
"""
    chat = _parse(tmp_path, text)
    assert chat.how["date_order"] == "mdy" and chat.how["clock"] == "12h"
    assert chat.messages["timestamp"].tolist() == [
        pd.Timestamp("2021-12-31 21:41"),
        pd.Timestamp("2021-12-31 21:42"),
        pd.Timestamp("2022-01-01 00:05"),
        pd.Timestamp("2022-01-01 12:30"),
        pd.Timestamp("2022-01-02 07:15"),
    ]


def test_ios_us_narrow_space_before_pm(tmp_path):
    text = f"""\
[12/31/21, 9:41:22{NNBSP}PM] Watch: {M}Karin Bos created group "Watch"
[1/13/22, 12:00:00{NNBSP}AM] Karin Bos: Hi
"""
    chat = _parse(tmp_path, text)
    assert chat.messages["timestamp"].tolist() == [
        pd.Timestamp("2021-12-31 21:41:22"),
        pd.Timestamp("2022-01-13 00:00:00"),
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("31.12.21, 21:41 - ", "2021-12-31 21:41"),  # dots, 2-digit year
        ("2021-12-31 21:41 - ", "2021-12-31 21:41"),  # year first
        ("31/12/2021 21:41 - ", "2021-12-31 21:41"),  # no comma
        (f"{M}31-12-2021{NBSP}21:41{M} - ", "2021-12-31 21:41"),  # marks, no-break space
        ("31-12-2021, 21.41 - ", "2021-12-31 21:41"),  # dotted time
    ],
)
def test_android_header_forms(tmp_path, header, expected):
    chat = _parse(tmp_path, f"{header}Bewoner A: Hallo\n")
    assert chat.messages["timestamp"].iloc[0] == pd.Timestamp(expected)
    assert chat.messages["kind"].iloc[0] == "message"


@pytest.mark.parametrize(
    "header",
    [
        f"{M}[31-12-2021 21:41:00] ",
        f"[{M}31-12-2021, 21:41:00{M}] ",
        "[31.12.21, 21.41.00] ",
        f"{RLM}[31/12/2021, 21:41:00]{RLM} ",
    ],
)
def test_ios_header_forms(tmp_path, header):
    chat = _parse(tmp_path, f"{header}Bewoner A: Hallo\n")
    assert chat.how["format"] == "ios"
    assert chat.messages["timestamp"].iloc[0] == pd.Timestamp("2021-12-31 21:41")
    assert chat.messages["sender"].iloc[0] == "bewoner_0001"


AMBIGUOUS = """\
01-02-2020 10:00 - Bewoner A: Eerste
02-03-2020 10:00 - Bewoner A: Tweede
"""


def test_ambiguous_dates_use_the_locale_default_and_say_so(tmp_path):
    chat = _parse(tmp_path, AMBIGUOUS)
    assert chat.messages["timestamp"].iloc[0] == pd.Timestamp("2020-02-01 10:00")
    assert chat.how["date_order_from"] == "default of locale nl"
    assert "no date decides" in chat.warnings[0]
    inspection = inspect_chat(tmp_path / "chat.txt", LOCALES)
    assert inspection.how["date_order_from"] == "default of locale nl"
    assert inspection.verdict == "warnings"


def test_config_pins_date_order_format_and_locale(tmp_path):
    chat = _parse(tmp_path, AMBIGUOUS, date_order="mdy", format="android", locale="en")
    assert chat.messages["timestamp"].iloc[0] == pd.Timestamp("2020-01-02 10:00")
    assert chat.how["date_order_from"] == "config" and chat.how["locale"] == "en"
    with pytest.raises(InputError, match="locale 'fr' is not among"):
        _parse(tmp_path, AMBIGUOUS, locale="fr")


def test_mixed_date_orders_are_refused(tmp_path):
    text = "13-01-2020 10:00 - Bewoner A: x\n01-13-2020 10:00 - Bewoner A: y\n"
    with pytest.raises(InputError, match="pin the group's date_order"):
        _parse(tmp_path, text)


UNKNOWN = f"""\
21-09-2025 16:30 - Karin Bos heeft de groep "Buurtgroep" aangemaakt
21-09-2025 16:31 - Bewoner A heeft iets vreemds gedaan met de groep
21-09-2025 16:32 - Bewoner A: Hallo
21-09-2025 16:33 - Karin Bos heeft gezegd: kom maar
21-09-2025 16:34 - Bewoner A: {M}Karin Bos heeft de kleur veranderd
"""


def test_unclassified_lines_stop_the_parse_without_text(tmp_path, caplog):
    with caplog.at_level(logging.WARNING), pytest.raises(InputError) as raised:
        _parse(tmp_path, UNKNOWN, name="buurt.txt")
    message = str(raised.value)
    assert "buurt.txt" in message and "lines 2, 4, 5" in message
    assert "whatsapp_nl.yaml" in message and "\n" not in message
    logged = caplog.text
    assert "line 2" in logged and "line 4" in logged
    for text in (message, logged):
        for fragment in ("Bewoner", "Karin", "vreemds", "gezegd", "kleur", "Hallo"):
            assert fragment not in text


def test_unclassified_lines_under_the_limit_never_become_members(tmp_path):
    chat = _parse(tmp_path, UNKNOWN, max_unclassified=3)
    m = chat.messages
    assert m["kind"].tolist() == ["system", "system", "message", "system", "system"]
    assert m["sender"].notna().tolist() == [False, False, True, False, False]
    assert m["sender"].dropna().nunique() == 1 and chat.events["member"].nunique() == 1
    assert chat.unclassified[0] == (2, "… heeft … met de groep")
    assert [n for n, _ in chat.unclassified] == [2, 4, 5]


def test_pseudonymised_text_keeps_only_phrase_words():
    nl = LOCALES[0]
    text = "~ Karin Bos heeft 06-12345678 toegevoegd aan Buurt: Noord"
    assert pseudonymised_text(text, nl) == "… heeft … toegevoegd aan …"  # "aan": a phrase word


def test_time_running_backwards_is_refused(tmp_path):
    text = """\
01-09-2019 10:00 - Karin Bos heeft de groep "Buurt" aangemaakt
02-09-2019 10:00 - Bewoner A: Hallo
02-09-2013 10:00 - Bewoner A: Een bericht van jaren eerder
03-09-2019 10:00 - Bewoner A: Weer normaal
"""
    with pytest.raises(
        InputError, match=r"chat\.txt, row 3: timestamp more than a day before"
    ) as e:
        _parse(tmp_path, text)
    assert "Hallo" not in str(e.value) and "Bewoner" not in str(e.value)


def test_a_line_before_the_groups_creation_is_refused(tmp_path):
    text = """\
01-09-2019 09:00 - Bewoner A: Te vroeg
01-09-2019 10:00 - Karin Bos heeft de groep "Buurt" aangemaakt
"""
    with pytest.raises(InputError, match=r"row 1: timestamp before the group was created"):
        _parse(tmp_path, text)


def test_inspection_of_a_good_export(tmp_path):
    path = tmp_path / "ios.txt"
    path.write_text(IOS_2025, encoding="utf-8")
    inspection = inspect_chat(path, LOCALES)
    assert inspection.kind == "whatsapp" and inspection.format == "ios"
    assert inspection.how["locale"] == "nl" and inspection.how["clock"] == "24h"
    assert inspection.counts == {
        "lines": 19,
        "messages": 7,  # 3 texts + 4 media
        "media": 4,
        "deleted": 2,
        "calls": 1,
        "system": 8,
        "senders": 3,
        "members": 4,
        "unclassified": 0,
    }
    assert inspection.events["joined"] == 1 and inspection.verdict == "ok"
    shown = str(inspection.to_json()) + "\n".join(inspection.lines())
    for fragment in ("Bewoner", "Karin", "Buurtgroep", "Welkom", "Notulen"):
        assert fragment not in shown


def test_inspection_of_a_refused_export(tmp_path):
    path = tmp_path / "buurt.txt"
    path.write_text(UNKNOWN, encoding="utf-8")
    inspection = inspect_chat(path, LOCALES)
    assert inspection.verdict == "refused" and inspection.counts["unclassified"] == 3
    assert [n for n, _ in inspection.unclassified] == [2, 4, 5]
    assert "whatsapp_nl.yaml" in inspection.problems[0]
    assert "Karin" not in "\n".join(inspection.lines())
    notes = tmp_path / "notes.txt"
    notes.write_text("Boodschappen\nmelk\n", encoding="utf-8")
    assert "not a WhatsApp chat export" in inspect_chat(notes, LOCALES).problems[0]
