"""Start-up checks of the config (buurtpreventie.checks.config): one line, key, value, why."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
import time

import pytest
import yaml
from conftest import ROOT

from buurtpreventie.checks import config as config_checks
from buurtpreventie.checks.config import (
    ConfigError,
    chat_span,
    chats_active,
    check_chat_covers_period,
    check_codebook,
    check_config,
    check_config_files,
    check_interim,
    check_period_in_fieldwork,
    check_roster,
    check_schema,
    check_waves_in_order,
    expanded_size,
    normalise_config,
    published_mismatch,
    published_outline,
    refuse_on_error,
    schema_error,
)

SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
VOOR = {"id": "voormeting", "label": "Voormeting", "fieldwork": "2020-06", "exports": ["v.csv"]}
NA = {"id": "nameting", "label": "Nameting", "fieldwork": "2021-09", "exports": ["n.csv"]}


def shipped_config() -> dict:
    """The shipped config.yaml, with paths made absolute (tests run anywhere)."""
    config = normalise_config(yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")))
    config["codebook"] = str(ROOT / config["codebook"])
    for key in ("roster", "locale", "scheme", "judgements"):
        if key in config["chats"]:
            config["chats"][key] = str(ROOT / config["chats"][key])
    config["chats"]["locales"] = [str(ROOT / path) for path in config["chats"]["locales"]]
    for group in config["chats"]["groups"]:
        group["export"] = str(ROOT / group["export"])
    return config


def bomb(levels: int = 9, width: int = 9, mappings: bool = False) -> str:
    """A "billion laughs" YAML text: each level repeats the one before ``width`` times."""
    names = string.ascii_lowercase[:levels]
    if mappings:
        lines = ["a: &a {x: lol}"]
        for before, name in itertools.pairwise(names):
            pairs = ", ".join(f"k{i}: *{before}" for i in range(width))
            lines.append(f"{name}: &{name} {{{pairs}}}")
    else:
        lines = ["a: &a [" + ", ".join(["lol"] * width) + "]"]
        for before, name in itertools.pairwise(names):
            lines.append(f"{name}: &{name} [" + ", ".join([f"*{before}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_the_shipped_config_passes():
    config = shipped_config()
    check_schema(config, SCHEMA)
    assert "lombardijen" in check_config(config)["buurten"]


def test_waves_out_of_fieldwork_order_are_refused_naming_the_key():
    check_waves_in_order([VOOR, NA])
    with pytest.raises(ConfigError) as error:
        check_waves_in_order([NA, VOOR])
    message = str(error.value)
    assert "waves[1].fieldwork" in message and "2020-06" in message and "\n" not in message


def test_min_answered_above_the_smallest_scale_is_refused():
    config = shipped_config()
    config["scales"] = {"min_answered": 7}
    with pytest.raises(ConfigError) as error:
        check_config(config)
    message = str(error.value)
    assert "scales.min_answered = 7" in message
    assert "6 statements" in message and "codebook.yaml" in message
    config["scales"] = {"min_answered": 6}
    check_config(config)


def test_an_experiment_that_ends_before_it_starts_is_refused():
    config = shipped_config()
    config["experiment"] = {"start": "2021-09-01", "end": "2020-09-01"}
    with pytest.raises(ConfigError, match=r"experiment\.end = '2020-09-01': must be after"):
        check_config(config)
    config["experiment"] = {"start": "2020-09-01", "end": "2020-13-01"}
    with pytest.raises(ConfigError, match=r"experiment\.end .*not a date"):
        check_config(config)


def test_a_roster_that_is_not_a_mapping_names_key_and_file(tmp_path):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/bin/sh\n")
    with pytest.raises(ConfigError) as error:
        check_roster(passwd)
    message = str(error.value)
    assert message.startswith("config: chats.roster = ") and message.count("\n") == 0
    assert "passwd" in message
    assert "not a YAML mapping" in message and "x:0:0" not in message and "bash" not in message
    with pytest.raises(ConfigError, match="no such file"):
        check_roster(tmp_path / "absent.yaml")


def test_a_roster_entry_that_is_not_text_is_named_by_number_not_name(tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text("Anna de Vries: wijkagent\nPiet Jansen: [1, 2]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        check_roster(roster)
    assert "entry 2" in str(error.value) and "Piet" not in str(error.value)
    (tmp_path / "empty.yaml").write_text("# nobody\n", encoding="utf-8")
    assert check_roster(tmp_path / "empty.yaml") == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- a\n- b\n", "not a YAML mapping"),
        ("questions: []\nbuurten: [x]\n", "has no indicators"),
        ("questions: []\nbuurten: x\nindicators: {}\n", "buurten must be a list"),
        ("key: [unclosed\n", "not valid YAML (line 2"),
    ],
)
def test_a_codebook_of_the_wrong_shape_is_refused(tmp_path, text, reason):
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        check_codebook(path)
    assert str(error.value).startswith("config: codebook = ") and reason in str(error.value)


def test_unquoted_collector_ids_are_taken_as_text():
    config = shipped_config()
    config["collectors"] = yaml.safe_load("100000001: app\n100000002: door\n")
    assert list(config["collectors"]) == [100000001, 100000002]  # what YAML gives
    config = normalise_config(config)
    assert config["collectors"] == {"100000001": "app", "100000002": "door"}
    check_schema(config, SCHEMA)


def test_a_schema_error_is_one_short_line_without_the_schema():
    config = shipped_config()
    config["wavez"] = []
    with pytest.raises(ConfigError) as error:
        check_schema(config, SCHEMA)
    assert str(error.value).startswith("config: wavez: unknown key")
    config = shipped_config()
    config["report"] = {"date": "x" * 100_000}
    with pytest.raises(ConfigError) as error:
        check_schema(config, SCHEMA)
    message = str(error.value)
    assert message.startswith("config: report.date = 'xxx") and "must match" in message
    assert len(message) < 200 and "\n" not in message and "$schema" not in message


@pytest.mark.parametrize(
    ("part", "line"),
    [
        ({"scales": {"min_answered": 0}}, "scales.min_answered = 0: must be at least 1"),
        ({"collectors": {"100000001": "bus"}}, "collectors.100000001 = 'bus': must be one of app"),
        ({"waves": []}, "waves = []: must list at least 1"),
        ({"study": {"synthetic": "ja"}}, "study.synthetic = 'ja': must be of type boolean"),
    ],
)
def test_each_kind_of_schema_error_reads_as_key_value_why(part, line):
    config = {**shipped_config(), **part}
    with pytest.raises(ConfigError, match=re.escape(f"config: {line}")):
        check_schema(config, SCHEMA)


def test_refuse_on_error_prints_one_line_and_exits(capsys):
    with pytest.raises(SystemExit) as stop, refuse_on_error():
        raise ConfigError("config: waves[1].fieldwork = '2020-06': not after")
    assert stop.value.code == 1
    assert capsys.readouterr().err == "config: waves[1].fieldwork = '2020-06': not after\n"


@pytest.mark.parametrize("mappings", [False, True])
def test_an_alias_bomb_is_measured_not_expanded(tmp_path, mappings):
    text = bomb(mappings=mappings)
    assert len(text) < 700
    written, expanded = expanded_size(yaml.compose(text, Loader=yaml.SafeLoader))
    assert written < 300 and expanded > 100_000_000
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as error:
        check_config_files([path])
    assert time.perf_counter() - started < 1
    assert f"config file {path}: YAML aliases expand" in str(error.value)


def test_aliases_that_repeat_a_little_are_accepted(tmp_path, monkeypatch):
    path = tmp_path / "config.yaml"
    path.write_text(
        "exports: &exports [a.csv, b.csv]\n"
        "waves:\n  - {exports: *exports}\n  - {exports: *exports}\n"
    )
    check_config_files([path, tmp_path / "absent.yaml"])
    # Large but written out: no aliases, nothing to refuse.
    monkeypatch.setattr(config_checks, "MAX_EXPANDED_NODES", 1000)
    path.write_text("items: [" + ", ".join(["1"] * 1010) + "]\n")
    check_config_files([path])
    path.write_text("one: &one [" + ", ".join(["1"] * 200) + "]\nten: [" + "*one, " * 9 + "*one]\n")
    with pytest.raises(ConfigError, match="expand 205 written values to 2215"):
        check_config_files([path])


# --- Dates, chats and published tables that must agree (issue item 4) ---------

EXPERIMENT = {"start": "2020-09-01", "end": "2021-09-01"}


def one_line(error) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_an_experiment_before_the_baseline_is_refused():
    check_period_in_fieldwork([VOOR, NA], EXPERIMENT)
    with pytest.raises(ConfigError) as error:
        check_period_in_fieldwork([{**VOOR, "fieldwork": "2020-10"}, NA], EXPERIMENT)
    message = one_line(error)
    assert "waves[0].fieldwork = '2020-10'" in message and "experiment.start" in message


def test_an_experiment_after_the_last_wave_is_refused():
    with pytest.raises(ConfigError) as error:
        check_period_in_fieldwork([VOOR, {**NA, "fieldwork": "2021-07"}], EXPERIMENT)
    message = one_line(error)
    assert "waves[1].fieldwork = '2021-07'" in message and "experiment.end" in message
    # The end is exclusive: a last wave in the month of the last day is fine.
    check_period_in_fieldwork([VOOR, {**NA, "fieldwork": "2021-08"}], EXPERIMENT)
    # A baseline-only study (run while the experiment goes on) checks the start only.
    check_period_in_fieldwork([VOOR], EXPERIMENT)


def test_the_period_check_runs_in_check_config():
    config = shipped_config()
    config["experiment"] = {"start": "2020-01-01", "end": "2021-09-01"}
    with pytest.raises(ConfigError, match=r"waves\[0\]\.fieldwork = '2020-06'"):
        check_config(config)


@pytest.mark.parametrize("month", ["2020-08", "2021-09", "2022-01"])
def test_an_interim_evaluation_outside_the_experiment_is_refused(month):
    with pytest.raises(ConfigError) as error:
        check_interim(month, EXPERIMENT)
    message = one_line(error)
    assert f"report.interim_evaluation = '{month}'" in message
    assert "2020-09 to 2021-08" in message


@pytest.mark.parametrize("month", ["2020-09", "2021-05", "2021-08", "", None])
def test_an_interim_evaluation_inside_the_experiment_passes(month):
    check_interim(month, EXPERIMENT)


def test_the_interim_check_runs_in_check_config():
    config = shipped_config()
    config["report"] = {"interim_evaluation": "2022-05"}
    with pytest.raises(ConfigError, match=r"report\.interim_evaluation = '2022-05'"):
        check_config(config)


KEY = "chats.groups[0].export = 'x.txt'"


def test_a_chat_that_starts_after_the_experiment_starts_is_refused():
    span = (dt.date(2020, 11, 3), dt.date(2021, 12, 30))
    with pytest.raises(ConfigError) as error:
        check_chat_covers_period(KEY, span, EXPERIMENT)
    message = one_line(error)
    assert message.startswith(f"config: {KEY}: the chat starts 2020-11-03")
    assert "experiment.start 2020-09-01" in message


def test_a_chat_that_ends_before_the_experiment_ends_is_refused():
    span = (dt.date(2019, 9, 1), dt.date(2021, 3, 20))
    with pytest.raises(ConfigError, match=r"the chat ends 2021-03-20, before"):
        check_chat_covers_period(KEY, span, EXPERIMENT)


def test_a_chat_covering_the_experiment_by_month_passes():
    # Created in the first month, quiet in the last days: covered.
    check_chat_covers_period(KEY, (dt.date(2020, 9, 14), dt.date(2021, 8, 20)), EXPERIMENT)


def _android_chat(path, days, filler=0):
    """A small Dutch Android export: one message per day in ``days``, filler lines between."""
    lines = []
    for number, day in enumerate(days):
        lines.append(f"{day:%d-%m-%Y} 10:{number % 60:02d} - Anna de Vries: bericht {number}")
        lines.extend(f"vervolgregel {i}" for i in range(filler))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("filler", [0, 4000])
def test_chat_span_reads_the_first_and_last_message_from_the_ends(tmp_path, filler):
    from buurtpreventie.chat.whatsapp import load_locales

    locales = load_locales([ROOT / "resources/chat/whatsapp_nl.yaml"])
    days = [dt.date(2020, 8, 30), dt.date(2021, 1, 13), dt.date(2021, 9, 2)]
    path = _android_chat(tmp_path / "chat.txt", days, filler)
    assert filler == 0 or path.stat().st_size > 2 * config_checks.SPAN_BYTES
    assert chat_span(path, locales, {}) == (days[0], days[-1])
    assert chat_span(tmp_path / "missing.txt", locales, {}) is None


def test_chat_span_follows_a_pinned_date_order(tmp_path):
    from buurtpreventie.chat.whatsapp import load_locales

    locales = load_locales([ROOT / "resources/chat/whatsapp_nl.yaml"])
    path = _android_chat(tmp_path / "chat.txt", [dt.date(2020, 3, 4), dt.date(2021, 9, 5)])
    assert chat_span(path, locales, {"date_order": "mdy"}) == (
        dt.date(2020, 4, 3),
        dt.date(2021, 5, 9),
    )


def test_the_shipped_chats_are_checked_against_a_moved_experiment():
    config = shipped_config()
    config["experiment"] = {"start": "2021-01-01", "end": "2022-06-01"}
    config["waves"] = [VOOR, {**NA, "fieldwork": "2022-06"}]
    config["report"] = {"interim_evaluation": "2021-06"}
    with pytest.raises(ConfigError) as error:
        check_config(config)
    message = one_line(error)
    assert message.startswith("config: chats.groups[0].export = ")
    assert "zenobuurt.txt" in message and "the chat ends 2021-12-31" in message


def test_a_study_without_chats_passes_schema_and_checks():
    config = shipped_config()
    config["chats"] = {"activate": False, "roster": "/no/such/roster.yaml"}
    assert schema_error(config, SCHEMA) is None
    assert not chats_active(config)
    check_config(config)  # the roster of an inactive chats section is not read
    del config["chats"]
    assert schema_error(config, SCHEMA) is None
    check_config(config)


def test_active_chats_still_need_their_groups():
    config = shipped_config()
    config["chats"] = {"roster": "r.yaml", "codings": []}
    assert schema_error(config, SCHEMA) == "config: chats.groups: required but missing"
    config["chats"] = {"activate": True, "groups": [], "roster": "r.yaml", "codings": []}
    assert "chats.groups = []: must list at least 1" in schema_error(config, SCHEMA)


PUBLISHED = ROOT / "resources" / "published"
SHIPPED_APP = [{"id": "g", "buurt": "lombardijen"}, {"id": "h", "buurt": "essenburgbuurt"}]
BUURTEN = ["lombardijen", "essenburgbuurt"]


def test_the_published_tables_outline():
    outline = published_outline(PUBLISHED)
    assert outline["waves"] == ["voormeting", "nameting"]
    assert outline["baseline"] == ["voormeting"]
    assert sorted(outline["buurten"]) == sorted(BUURTEN) == sorted(outline["app_buurten"])


def test_the_shipped_study_is_the_published_one():
    assert (
        published_mismatch(
            published_outline(PUBLISHED), ["voormeting", "nameting"], BUURTEN, SHIPPED_APP
        )
        is None
    )


@pytest.mark.parametrize(
    ("waves", "buurten", "app", "key", "woorden"),
    [
        (
            ["voormeting", "nameting", "derde_meting"],
            BUURTEN,
            SHIPPED_APP,
            "waves =",
            "derde_meting",
        ),
        (["t0", "t1"], BUURTEN, SHIPPED_APP, "waves = t0, t1", "t0 en t1"),
        (
            ["voormeting", "nameting"],
            ["delfshaven"],
            SHIPPED_APP,
            "buurten = delfshaven",
            "delfshaven",
        ),
        (["voormeting", "nameting"], BUURTEN, SHIPPED_APP[:1], "app_groups", "appgroepen"),
        (["nameting", "voormeting"], BUURTEN, SHIPPED_APP, "waves[0].id = nameting", "voormeting"),
    ],
)
def test_a_study_other_than_the_published_one_skips_the_comparison(
    waves, buurten, app, key, woorden
):
    line, zin = published_mismatch(published_outline(PUBLISHED), waves, buurten, app)
    assert line.startswith(f"config: {key}") and "\n" not in line
    assert zin.startswith("De vergelijking met het gepubliceerde rapport is overgeslagen")
    assert woorden in zin and zin.endswith(".")


def test_a_published_folder_without_its_tables_is_refused(tmp_path):
    with pytest.raises(ConfigError) as error:
        published_outline(tmp_path)
    assert one_line(error).startswith(f"config: published = '{tmp_path}'"[:40])
    assert "no tabel1.csv" in str(error.value)


def test_the_skip_reason_reaches_bijlage_b():
    from buurtpreventie.report.context import _published

    part = _published(None, {"published": "resources/published", "published_skipped": "Reden."})
    assert part == {"available": False, "skipped": True, "note": ["Reden."]}
    assert not _published(None, {"published": ""})["skipped"]
