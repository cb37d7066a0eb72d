"""The shipped synthetic exports come from the deterministic generator in the repo."""

import ipaddress

import pytest
from conftest import ROOT

from buurtpreventie.survey.exports import read_export
from buurtpreventie.synthetic.generate import generate_study, write_study

SHIPPED_SEED = 20200601  # the default of `python -m buurtpreventie.synthetic`


@pytest.fixture(scope="module")
def regenerated(codebook, tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    write_study(generate_study(ROOT / "resources", codebook, SHIPPED_SEED), codebook, out)
    return out


@pytest.mark.parametrize("wave", ["voormeting", "nameting"])
def test_shipped_exports_are_the_generator_output(regenerated, wave):
    shipped = (ROOT / "resources" / "survey" / f"{wave}.csv").read_bytes()
    assert (regenerated / f"{wave}.csv").read_bytes() == shipped, (
        "resources/survey differs from the generator: run `python -m buurtpreventie.synthetic`"
    )


def test_other_seed_gives_other_data(codebook):
    one = generate_study(ROOT / "resources", codebook, 1).records["voormeting"]
    two = generate_study(ROOT / "resources", codebook, 2).records["voormeting"]
    assert [r.get("q8") for r in one] != [r.get("q8") for r in two]


def test_contact_details_are_obviously_invented(regenerated):
    raw = read_export(regenerated / "voormeting.csv")
    email = raw.headings.index("Uw emailadres:")
    ip = raw.headings.index("IP Address")
    documentation = [
        ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
    ]
    emails = [row[email] for row in raw.rows if row[email]]
    assert emails and all(e.endswith("@example.org") for e in emails)
    assert all(any(ipaddress.ip_address(row[ip]) in n for n in documentation) for row in raw.rows)


def test_shipped_third_wave_is_the_generator_output(codebook, tmp_path):
    from buurtpreventie.synthetic.export_writer import write_export
    from buurtpreventie.synthetic.generate import EXTRA_WAVE, generate_extra_wave

    records, form = generate_extra_wave(ROOT / "resources", codebook, SHIPPED_SEED)
    path = write_export(tmp_path / f"{EXTRA_WAVE['wave']}.csv", records, codebook, form)
    shipped = ROOT / "resources" / "survey" / f"{EXTRA_WAVE['wave']}.csv"
    assert path.read_bytes() == shipped.read_bytes()
