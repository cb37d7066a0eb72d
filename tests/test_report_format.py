"""Dutch number formatting, lists and plurals of the report, on hand-worked cases."""

import math

import pytest

from buurtpreventie.dutch import (
    MINUS,
    nl_date,
    nl_int,
    nl_month,
    nl_no_zero,
    nl_number,
    nl_p,
    nl_pct,
    nl_signed,
)
from buurtpreventie.report.render import Numbering, pdf_date, source_epoch, typeset
from buurtpreventie.report.text import (
    ALPHA,
    MDE_POWER,
    capitalise,
    count,
    join_nl,
    number_word,
    p_is,
    plural,
)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (2.9146341463, 2, "2,91"),
        (6.1, 2, "6,10"),
        (2.345, 2, "2,35"),
        (-0.66, 2, f"{MINUS}0,66"),
        (-0.001, 2, "0,00"),  # no negative zero
        (1234.5, 1, "1.234,5"),
        (6343, 0, "6.343"),
        (None, 2, "\u2013"),
        (math.nan, 2, "\u2013"),
    ],
)
def test_decimal_comma(value, digits, expected):
    assert nl_number(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.7730206825, ",77"),  # table 4, Lombardijen E alertheid SD
        (1.1382, "1,14"),
        (0.4963, ",50"),
        (-0.2196, f"{MINUS},22"),
        (0.995, "1,00"),  # half away from zero (as SPSS), past one: the zero stays
        (0.285, ",29"),  # stored as 0.28499999..., still rounds up
    ],
)
def test_no_leading_zero(value, expected):
    assert nl_no_zero(value) == expected


@pytest.mark.parametrize(
    ("p", "alpha", "expected"),
    [
        (0.000296, 0.05, "<,001"),
        (0.0008, 0.05, "<,001"),
        (0.026, 0.05, ",026"),
        (0.0417, 0.05, ",042"),
        (0.04961, 0.05, ",0496"),  # would print ,050 with three decimals
        (0.05, 0.05, "n.s."),
        (0.4832, 0.05, "n.s."),
        (0.4832, None, ",483"),  # exact p in the added tables
        (1.0, None, "1,000"),
        (None, 0.05, "\u2013"),
    ],
)
def test_p_values_as_the_report_prints_them(p, alpha, expected):
    assert nl_p(p, alpha) == expected


def test_percentages_counts_signs_and_dates():
    assert nl_pct(40.74074) == "40,7%"
    assert nl_pct(37.0370) == "37,0%"
    assert nl_int(189.0) == "189"
    assert nl_int(455) == "455"
    assert nl_int(12345) == "12.345"
    assert nl_signed(0.4379) == "+0,44"
    assert nl_signed(-0.62) == f"{MINUS}0,62"
    assert nl_signed(0.0001) == "0,00"
    assert nl_month("2020-06") == "juni 2020"
    assert nl_month("2021-09-01") == "september 2021"
    assert nl_date("2020-09-01") == "1 september 2020"


def test_dutch_lists():
    assert join_nl([]) == ""
    assert join_nl(["a"]) == "a"
    assert join_nl(["a", "b"]) == "a en b"
    assert join_nl(["a", "b", "c"]) == "a, b en c"  # no comma before "en"
    assert join_nl(["a", "b"], "of") == "a of b"


def test_dutch_plurals_and_counts():
    assert plural(1, "indicator", "indicatoren") == "indicator"
    assert plural(0, "indicator", "indicatoren") == "indicatoren"
    assert plural(3, "is", "zijn") == "zijn"
    assert count(1, "indicator", "indicatoren") == "één indicator"
    assert count(3, "indicator", "indicatoren") == "drie indicatoren"
    assert count(11, "interventie", "interventies") == "elf interventies"
    assert count(0, "verschil", "verschillen") == "geen verschillen"
    assert count(0, "verschil", "verschillen", zero="geen enkel verschil") == "geen enkel verschil"
    assert number_word(21) == "21"
    assert capitalise("één interventie") == "Eén interventie"  # Dutch: only the second e
    assert capitalise("in de Essenburgbuurt") == "In de Essenburgbuurt"
    assert p_is(0.0066) == "p = ,007"
    assert p_is(0.00002) == "p < ,001"


def test_report_constants_are_those_of_the_statistics():
    from buurtpreventie.stats.compare import ALPHA as STATS_ALPHA
    from buurtpreventie.stats.compare import POWER

    assert ALPHA == STATS_ALPHA
    assert MDE_POWER == POWER


def test_numbers_in_running_text_stay_on_one_line():
    html = str(typeset("de meldingsbereidheid (p = ,007; d = \u2212,22) & 43,4%"))
    assert '<span class="nowrap">p = ,007</span>' in html
    assert '<span class="nowrap">d = \u2212,22</span>' in html
    assert '<span class="nowrap">43,4%</span>' in html
    assert "&amp;" in html  # escaped


def test_numbering_resolves_forward_references():
    first = Numbering()
    assert first.ref("tab-later") == "?"
    first.heading("inleiding", "Inleiding")
    first.heading("experiment", "Het experiment", level=2)
    assert first.table("tab-a") == 1
    assert first.table("tab-later") == 2
    assert first.figure("fig-a") == 1
    first.heading("bijlage", "Vragenlijst", appendix=True)
    sub = first.heading("sub", "Sub", level=2)
    second = Numbering(first)
    assert second.ref("tab-later") == "2"  # before it is defined on the second pass
    assert first.labels["experiment"] == "1.1"
    assert first.labels["bijlage"] == "A"
    assert sub["number"] == "A.1"
    with pytest.raises(ValueError):
        first.table("tab-a")


def test_pdf_dates_come_from_config_or_source_date_epoch():
    assert pdf_date("2026-11-23", {}) == "2026-11-23"
    assert pdf_date("2026-11-23", {"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01T00:00:00Z"
    assert source_epoch("1970-01-02", {}) == 86400
    assert source_epoch("2026-11-23", {"SOURCE_DATE_EPOCH": "5"}) == 5
