"""The scaled SYNTHETIC study (buurtpreventie.synthetic.scaled) reads like real exports."""

import datetime as dt

import pandas as pd
import pytest
import yaml
from conftest import ROOT

from buurtpreventie.chat import aggregate
from buurtpreventie.chat.coding import document_names, link_segments, load_scheme, read_segments
from buurtpreventie.chat.whatsapp import load_locale, parse_chat
from buurtpreventie.survey.codebook import load_codebook
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.scaled import Scale, write_scaled_study

SCALE = Scale(buurten=3, waves=3, respondents=60, messages=6000, report_buurten=2, seed=7)
KEY = b"scaled-study-test-key-0123456789"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    out = tmp_path_factory.mktemp("scaled") / "scaled"
    write_scaled_study(SCALE, out, ROOT / "resources")
    config = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    return out, config, load_codebook(out / "codebook.yaml")


@pytest.fixture(scope="module")
def waves(study):
    _, config, codebook = study
    return {
        wave["id"]: ingest_wave(wave["id"], wave["exports"], codebook, config["collectors"], 4, KEY)
        for wave in config["waves"]
    }


def test_the_codebook_offers_every_buurt_and_app_group(study):
    _, config, codebook = study
    assert codebook.buurten == ("buurt_001", "buurt_002", "buurt_003")
    groups = codebook.question(codebook.roles["app_groups"])
    assert [o.name for o in groups.options] == [g["id"] for g in config["app_groups"]]
    assert config["report"]["buurten"] == ["buurt_001", "buurt_002"]
    assert config["published"] == ""


def test_every_row_is_read_and_accounted_for(waves):
    for result in waves.values():
        assert result.rows_read == SCALE.buurten * SCALE.respondents
        outcomes = result.flow["outcome"].value_counts()
        assert outcomes.sum() == result.rows_read
        assert outcomes["included"] > 0.9 * result.rows_read


def test_every_buurt_has_both_groups_in_every_wave(waves):
    for result in waves.values():
        cells = result.respondents.groupby(["buurt", "groep"]).size()
        assert len(cells) == 2 * SCALE.buurten
        assert cells.min() > 0.3 * SCALE.respondents


def test_the_panel_links_respondents_across_waves(waves):
    first, second = (set(r.respondents["pseudonym"].dropna()) for r in list(waves.values())[:2])
    assert len(first & second) > 10


def test_the_app_group_effect_shows_after_the_baseline(waves):
    results = list(waves.values())

    def gap(result):
        means = result.respondents.groupby("groep")["sociale_cohesie"].mean()
        return means["E"] - means["C"]

    assert gap(results[-1]) > gap(results[0])


def test_chats_parse_link_and_agree_with_the_config(study):
    out, config, _ = study
    resources = ROOT / "resources"
    locale = load_locale(resources / "chat" / "whatsapp_nl.yaml")
    roster = yaml.safe_load((out / "chat" / "roster.yaml").read_text(encoding="utf-8"))
    groups = config["chats"]["groups"]
    start = dt.date.fromisoformat(config["experiment"]["start"])
    parsed = [parse_chat(g["export"], g["id"], locale, roster) for g in groups]
    assert sum(len(c.messages) for c in parsed) >= SCALE.messages
    for chat, group in zip(parsed, config["app_groups"], strict=True):
        assert aggregate.size_at(chat.events, group["id"], start) == group["members_at_start"]
        assert set(chat.messages["role"].dropna()) >= {"bewoner", "wijkagent"}
    scheme = load_scheme(resources / "interventions.yaml")
    segments = read_segments(config["chats"]["codings"][0], scheme)
    messages = pd.concat([c.messages for c in parsed], ignore_index=True)
    linked = link_segments(segments, messages, document_names(groups))
    assert len(linked) == len(segments) > 0
