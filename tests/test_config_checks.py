"""Start-up checks of the config (buurtpreventie.config_checks): one line, key, value, why."""

from __future__ import annotations

import itertools
import re
import string
import time

import pytest
import yaml
from conftest import ROOT

from buurtpreventie import config_checks
from buurtpreventie.config_checks import (
    ConfigError,
    check_codebook,
    check_config,
    check_config_files,
    check_roster,
    check_schema,
    check_waves_in_order,
    expanded_size,
    normalise_config,
    refuse_on_error,
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
