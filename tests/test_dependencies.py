"""pyproject.toml (pip) and environment.yml (conda-forge) pin the same packages."""

import re
import tomllib

import yaml
from conftest import ROOT


def _pip_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = project["dependencies"] + project["optional-dependencies"]["dev"]
    return dict(re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", p).groups() for p in pins)


def _conda_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = [d for d in env["dependencies"] if isinstance(d, str) and "=" in d]
    return {name: version for name, version in (p.split("=", 1) for p in pins) if name != "python"}


def test_same_packages_and_versions():
    pip, conda = _pip_pins(), _conda_pins()
    assert {k.lower() for k in pip} == {k.lower() for k in conda}
    assert {k.lower(): v for k, v in pip.items()} == {k.lower(): v for k, v in conda.items()}


def test_every_pin_is_exact():
    assert all(version for version in _pip_pins().values())
