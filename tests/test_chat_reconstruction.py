"""MAXQDA segments linked to messages, member and code tables, and the scoring rule."""

import datetime as dt

import pandas as pd
import pytest
from conftest import ROOT
from test_chat_parser import ANDROID

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.coding import link_segments, load_scheme, read_segments
from buurtpreventie.chat.scoring import intervention_scores, rule_score
from buurtpreventie.chat.whatsapp import load_locale, parse_chat
from buurtpreventie.errors import InputError

LOCALE = load_locale(ROOT / "resources" / "chat" / "whatsapp_nl.yaml")
SCHEME = load_scheme(ROOT / "resources" / "interventions.yaml")
START, END = dt.date(2019, 9, 3), dt.date(2019, 10, 16)


@pytest.fixture
def chat(tmp_path):
    path = tmp_path / "zenobuurt.txt"
    path.write_text(ANDROID, encoding="utf-8")
    return parse_chat(path, "zenobuurt", LOCALE, {"Agent Jansen": "wijkagent"})


def _segments(tmp_path, rows, name="codes.csv"):
    frame = pd.DataFrame(rows, columns=["Document name", "Code", "Begin", "End", "Segment"])
    path = tmp_path / name
    if name.endswith(".xlsx"):
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False, sep=";")
    return str(path)


def test_segments_link_to_the_messages_they_cover(tmp_path, chat):
    path = _segments(
        tmp_path,
        [
            ("zenobuurt", "Interventies\\08 Duiding\\uitgevoerd", 9, 9, "We zijn er al"),
            ("zenobuurt", "interventies/01 terugkoppelen/Uitgevoerd", 6, 7, "Donkere jas"),
            ("zenobuurt", "Werkcodes\\Nog bekijken", 5, 5, "iets"),  # another scheme: ignored
        ],
        name="codes.xlsx",
    )
    segments = read_segments(path, SCHEME)
    assert segments[["category", "direction"]].values.tolist() == [
        ["8", "uitgevoerd"],
        ["1", "uitgevoerd"],
    ]
    assert "Segment" not in segments and "Donkere" not in segments.to_csv()
    linked = link_segments(segments, chat.messages, {"zenobuurt": "zenobuurt"})
    assert linked["role"].tolist() == ["wijkagent", "bewoner"]
    # lines 6-7 are continuation lines of the message that starts at line 5
    assert linked["timestamp"].iloc[1] == pd.Timestamp("2019-09-03 21:15")


def test_segment_that_covers_no_message_is_an_error(tmp_path, chat):
    path = _segments(tmp_path, [("zenobuurt", "Interventies\\08 Duiding\\uitgevoerd", 40, 41, "x")])
    with pytest.raises(InputError) as caught:
        link_segments(read_segments(path, SCHEME), chat.messages, {"zenobuurt": "zenobuurt"})
    message = str(caught.value)
    assert "codes.csv, row 2" in message and "document 'zenobuurt', lines 40-41" in message


def test_unknown_document_and_unknown_code_are_errors(tmp_path, chat):
    path = _segments(tmp_path, [("onbekend", "Interventies\\08 Duiding\\uitgevoerd", 5, 5, "x")])
    with pytest.raises(InputError, match="no chat export with this document name"):
        link_segments(read_segments(path, SCHEME), chat.messages, {"zenobuurt": "zenobuurt"})
    path = _segments(
        tmp_path, [("zenobuurt", "Interventies\\12 Nieuw\\uitgevoerd", 5, 5, "x")], "b.csv"
    )
    with pytest.raises(InputError, match=r"b.csv, row 2, column 'Code'"):
        read_segments(path, SCHEME)


def test_members_per_month_follow_the_system_lines(chat):
    members = aggregate.members_table(chat.events, chat.messages, {"zenobuurt": "lombardijen"})
    by_month = members.set_index("month")
    # September: the creator, 3 added and 1 joined = 5. October: 2 left and 1 removed.
    assert by_month.loc["2019-09", ["joined", "left", "size"]].tolist() == [5, 0, 5]
    assert by_month.loc["2019-10", ["joined", "left", "size"]].tolist() == [0, 3, 2]
    assert aggregate.size_at(chat.events, "zenobuurt", dt.date(2019, 10, 16)) == 4


def test_activity_counts_messages_and_senders_by_role(chat):
    activity = aggregate.activity_table(
        chat.messages, {"zenobuurt": "lombardijen"}, ["wijkagent", "bewoner"]
    )
    september = activity[activity["month"] == "2019-09"].set_index("role")
    # residents: signal, media, the "vertrokken" remark (2 senders); the wijkagent: 1 message
    assert september.loc["bewoner", ["messages", "senders"]].tolist() == [3, 2]
    assert september.loc["wijkagent", ["messages", "senders"]].tolist() == [1, 1]
    assert september["share_professionals"].iloc[0] == pytest.approx(1 / 4)


def test_code_table_has_every_period_with_zeros(tmp_path, chat):
    path = _segments(
        tmp_path,
        [
            ("zenobuurt", "Interventies\\08 Duiding\\uitgevoerd", 9, 9, "x"),  # 3 Sep: experiment
            ("zenobuurt", "Interventies\\08 Duiding\\tegengesteld", 14, 14, "x"),  # 22 Oct: after
        ],
    )
    linked = link_segments(read_segments(path, SCHEME), chat.messages, {"zenobuurt": "zenobuurt"})
    codes = aggregate.code_table(
        linked, {"zenobuurt": "lombardijen"}, SCHEME.categories, SCHEME.directions, START, END
    )
    assert len(codes) == 11 * 2 * 3
    counts = codes.set_index(["intervention", "direction", "period"])["count"]
    assert counts[("8", "uitgevoerd", "experiment")] == 1
    assert counts[("8", "tegengesteld", "after")] == 1
    assert counts.sum() == 2


@pytest.mark.parametrize(
    ("carried_out", "opposite", "before", "during", "expected"),
    [
        (0, 0, 0.0, 0.0, "X"),  # nothing in the experiment year
        (2, 2, 0.0, 2 / 12, "~"),  # opposite codes balance it
        (14, 0, 3 / 12, 14 / 12, "✓"),  # 1.17 a month >= 2 x 0.25
        (5, 0, 0.0, 5 / 12, "✓"),  # new practice, enough codes
        (3, 0, 0.0, 3 / 12, "~"),  # new, but too few codes
        (11, 0, 10 / 12, 11 / 12, "="),  # common before (0.83 a month), continued
        (5, 0, 3 / 12, 5 / 12, "~"),  # more than before, not substantially; not common before
        (2, 0, 10 / 12, 2 / 12, "~"),  # common before, fell away
    ],
)
def test_rule_score_by_hand(carried_out, opposite, before, during, expected):
    assert rule_score(carried_out, opposite, before, during)[0] == expected


def test_intervention_scores_mark_disagreement():
    months = (
        [f"2019-{m:02d}" for m in range(9, 13)]
        + [f"2020-{m:02d}" for m in range(1, 13)]
        + [f"2021-{m:02d}" for m in range(1, 13)]
    )
    members = pd.DataFrame({"group": "g", "buurt": "lombardijen", "month": months})
    codes = pd.DataFrame(
        [
            ("g", "lombardijen", 8, "uitgevoerd", "before", 3),
            ("g", "lombardijen", 8, "uitgevoerd", "experiment", 14),
        ],
        columns=["group", "buurt", "intervention", "direction", "period", "count"],
    )
    judgements = {"lombardijen": {8: {"score": "~", "rationale": "test"}}}
    table = intervention_scores(
        codes, members, judgements, [{"number": 8}, {"number": 9}], "2020-09", "2021-09"
    )
    row = table.set_index("intervention").loc[8]
    assert (row["months_before"], row["months_experiment"]) == (12, 12)
    assert row["computed_score"] == "✓" and row["score"] == "~" and not row["agree"]
    assert table.set_index("intervention").loc[9, "computed_score"] == "X"


# Table 3.5 of the 2018 study: police reports per month in six groups.
TABLE_3_5 = {
    # group: (months, reports, printed rate)
    "schapenmeent": (24, 2, 0.08),
    "kromgouw": (34, 4, 0.1),
    "bovenkerk": (11, 9, 0.8),
    "westwijk": (10, 3, 0.3),
    "lastage": (27, 42, 1.5),
    "k_buurt": (13, 3, 0.2),
}


def _chat_over(months: int, reports: int) -> str:
    """A chat with one message a month for ``months`` months; ``reports`` of them reports."""
    lines = []
    # In time order, as an export is: message i falls in month i % months, day 1 + i // months.
    for i in sorted(range(max(months, reports)), key=lambda i: (i % months, i // months)):
        month = pd.Timestamp("2016-01-01") + pd.DateOffset(months=i % months)
        day = 1 + i // months
        lines.append(f"{day:02d}-{month.month:02d}-{month.year} 12:00 - Bewoner {i}: bericht {i}")
    return "\n".join(lines) + "\n"


def test_police_reports_per_month_round_trip_table_3_5(tmp_path):
    scheme = load_scheme(ROOT / "resources" / "coding" / "incidenten-2018.yaml")
    messages, rows = [], []
    for group, (months, reports, _) in TABLE_3_5.items():
        path = tmp_path / f"{group}.txt"
        path.write_text(_chat_over(months, reports), encoding="utf-8")
        messages.append(parse_chat(path, group, LOCALE, {}).messages)
        rows += [
            (group, "Opvolging\\Melding 112 of politie", i + 1, i + 1, "x") for i in range(reports)
        ]
        rows += [(group, "Incidenten\\Signalement", 1, 1, "x")]
    segments = read_segments(_segments(tmp_path, rows), scheme)
    linked = link_segments(segments, pd.concat(messages), {g: g for g in TABLE_3_5})
    buurt_of = {g: g for g in TABLE_3_5}
    members = aggregate.members_table(
        pd.DataFrame(columns=["group", "timestamp", "event"]), pd.concat(messages), buurt_of
    )
    months = members.groupby("group").size()
    counts = aggregate.code_table(
        linked,
        buurt_of,
        scheme.categories,
        scheme.directions,
        dt.date(2000, 1, 1),
        dt.date(2100, 1, 1),
    )
    police = counts[counts["intervention"] == "melding_politie"].groupby("group")["count"].sum()
    rate = police / months
    for group, (period, reports, printed) in TABLE_3_5.items():
        assert months[group] == period and police[group] == reports
        decimals = len(str(printed).split(".")[1])
        if group == "lastage":
            # 42 / 27 = 1.556: the study printed 1,5 (truncated); rounded it is 1,6.
            assert round(rate[group], 1) == 1.6 and int(rate[group] * 10) / 10 == printed
        else:
            assert round(rate[group], decimals) == printed


def test_typo_in_the_scheme_root_is_an_error_not_a_dropped_segment(tmp_path):
    # "Interventie" for "Interventies": formerly ignored with an INFO line.
    path = _segments(
        tmp_path,
        [
            ("zenobuurt", "Interventies\\08 Duiding\\uitgevoerd", 9, 9, "x"),
            ("zenobuurt", "Interventie\\08 Duiding\\uitgevoerd", 9, 9, "x"),
        ],
    )
    with pytest.raises(InputError, match=r"codes.csv, row 3, column 'Code'.*close to it"):
        read_segments(path, SCHEME)
