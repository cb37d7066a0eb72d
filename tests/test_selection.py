"""The buurten of the report's main chapters (buurtpreventie.selection)."""

import pytest

from buurtpreventie.selection import main_buurten

ALL = [f"buurt_{i:03d}" for i in range(1, 101)]


def test_a_small_study_shows_every_buurt():
    assert main_buurten(["lombardijen", "essenburgbuurt"], [], 4) == [
        "lombardijen",
        "essenburgbuurt",
    ]


def test_a_large_study_shows_the_first_ones_by_default():
    assert main_buurten(ALL, [], 4) == ALL[:4]


def test_a_chosen_selection_keeps_the_codebook_order():
    assert main_buurten(ALL, ["buurt_050", "buurt_007"], 4) == ["buurt_007", "buurt_050"]


def test_an_unknown_buurt_is_an_error_that_names_it():
    with pytest.raises(ValueError, match="buurt_999"):
        main_buurten(ALL, ["buurt_999"], 4)
