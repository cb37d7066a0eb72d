"""How the workflow chooses: the main chapters' buurten, and the chat jobs."""

import pytest

from buurtpreventie.report.selection import main_buurten

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


def test_chats_in_batches_keep_config_order_and_names():
    from buurtpreventie.chat.batches import chat_batches

    groups = [{"id": f"app_{i:03d}"} for i in range(1, 8)]
    assert list(chat_batches(groups)) == [g["id"] for g in groups]
    batches = chat_batches(groups, 3)
    assert list(batches) == ["app_001--app_003", "app_004--app_006", "app_007"]
    assert [g["id"] for g in batches["app_004--app_006"]] == ["app_004", "app_005", "app_006"]
    with pytest.raises(ValueError, match="batch_size"):
        chat_batches(groups, 0)
