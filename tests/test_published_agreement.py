"""The four kinds of agreement of a published figure with its reproduction.

The expected kinds are classified by hand from the definitions in
``resources/tables.yaml`` (published_vs_reproduced.agreement), not by the code.
"""

import pandas as pd
import pytest
import yaml
from conftest import COLLECTORS, INDICATORS, ROOT

from buurtpreventie.published.comparison import (
    AGREEMENTS,
    COLUMNS,
    classify,
    compare_published,
    construction_of,
    construction_parts,
    printed_as,
)
from buurtpreventie.report.context import _published
from buurtpreventie.stats.compare import baseline_comparisons, prepost_comparisons
from buurtpreventie.stats.reliability import reliability_table
from buurtpreventie.survey.describe import demographics_table, indicator_table, respondent_table
from buurtpreventie.survey.ingest import ingest_wave

MEMBERS = "config app_groups[].members_at_start"
CALIBRATED = "synthetic calibration to resources/published/tabel4.csv (study.synthetic: true)"

# statistic, published, reproduced as printed, holds, construction -> kind (by hand)
CASES = [
    ("n", "82", "82", True, "", "identical"),
    ("n", "189", "189", True, MEMBERS, "by_construction"),
    ("count", "32", "22", False, "", "different"),
    ("count", "32", "22", False, CALIBRATED, "different"),  # constructed, yet not equal
    ("mean", "2,91", "2,91", True, CALIBRATED, "by_construction"),
    ("pct", "41%", "41,0%", True, "", "identical"),  # same value at the printed precision
    ("p_category", "<,001", "<,001", True, "", "identical"),
    ("p_category", "n.s.", "n.s.", True, "", "identical"),
    ("p_category", ",001", "<,001", True, "", "within_tolerance"),
    ("p_category", ",041", ",042", True, "", "within_tolerance"),
    ("p_category", ",041", ",042", True, CALIBRATED, "by_construction"),
    ("p_category", ",026", ",029", False, "", "different"),
    ("p_category", "n.s.", ",030", False, "", "different"),
]


@pytest.mark.parametrize(("statistic", "published", "here", "holds", "construction", "kind"), CASES)
def test_classification_by_hand(statistic, published, here, holds, construction, kind):
    assert classify(statistic, published, here, holds, construction) == kind
    assert kind in AGREEMENTS


@pytest.mark.parametrize(
    ("statistic", "value", "printed"),
    [
        ("n", 82.0, "82"),
        ("mean", 2.914, "2,91"),
        ("sd", 0.7749, ",77"),
        ("pct", 40.74, "40,7%"),
        ("response_rate", 61.68, "61,7%"),
        ("p_category", 0.000802, "<,001"),
        ("p_category", 0.041687, ",042"),
        ("p_category", 0.2, "n.s."),
        ("cohens_d", 0.2249, ",22"),
        ("count", None, ""),
    ],
)
def test_reproduced_values_print_as_the_report_prints(statistic, value, printed):
    assert printed_as(statistic, value) == printed


def test_constructions_name_their_source():
    assert construction_of("tabel1", "lombardijen appdeelnemers", "n", False) == MEMBERS
    assert construction_of("tabel1", "lombardijen appdeelnemers", "n", True) == MEMBERS
    assert construction_of("tabel1", "lombardijen E voormeting", "n", False) == ""
    assert construction_of("tabel4", "T4_x", "p_category", True) == CALIBRATED
    assert "footnotes.csv" in construction_of("footnote 5", "x", "cohens_d", True)
    rate = construction_of("text", "lombardijen E voormeting", "response_rate", True)
    assert construction_parts(rate) == (["app_groups[].members_at_start"], "tabel1.csv")
    assert construction_parts(MEMBERS) == (["app_groups[].members_at_start"], "")
    assert construction_parts("") == ([], "")


@pytest.fixture(scope="module")
def shipped(codebook):
    """The shipped study's comparison, synthetic as its config says, and as if it were real."""
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    waves = [w["id"] for w in config["waves"]]
    respondents = pd.concat(
        [
            ingest_wave(
                w["id"], [str(ROOT / e) for e in w["exports"]], codebook, COLLECTORS, 4, key=b"k"
            ).respondents
            for w in config["waves"]
        ],
        ignore_index=True,
    )
    tables = (
        respondent_table(respondents, waves, config["app_groups"]),
        indicator_table(respondents, codebook, waves),
        demographics_table(respondents, waves),
        reliability_table(respondents, codebook, waves),
        baseline_comparisons(respondents, INDICATORS, waves[0]),
        prepost_comparisons(respondents, INDICATORS, waves),
    )
    folder = ROOT / "resources" / "published"
    return {
        flag: compare_published(folder, *tables, config["app_groups"], synthetic=flag)
        for flag in (config["study"]["synthetic"], False)
    }


def test_app_member_counts_are_by_construction_from_the_config(shipped):
    for comparison in shipped.values():
        assert list(comparison.columns) == COLUMNS
        members = comparison[comparison["cell"].str.endswith("appdeelnemers")]
        assert members["published"].tolist() == ["189", "107"]  # the published table 1
        assert (members["agreement"] == "by_construction").all()
        assert (members["construction"] == MEMBERS).all()


def test_synthetic_study_counts_nothing_as_reproduced(shipped):
    comparison = shipped[True]
    assert set(comparison["agreement"]) == {"by_construction", "different"}
    assert comparison["construction"].ne("").all()
    # The report's three slips stay different, whatever constructed them.
    different = comparison[comparison["agreement"] == "different"]
    assert set(different["statistic"]) == {"pct", "count", "response_rate"}


def test_p_values_printed_otherwise_are_listed(shipped):
    # By hand: p = .0008 prints <,001 (published ,001, twice); 68/183 against 48/177 gives
    # p = .0417, printed ,042 (published ,041; resources/published/README.md).
    expected = {
        ("T4_meldingsbereidheid_Essenburgbuurt", ",001", "<,001"),
        ("T4_rapportcijfer_Lombardijen", ",001", "<,001"),
        ("T6_meldingsbereidheid_Lombardijen_C", ",041", ",042"),
    }
    for synthetic, comparison in shipped.items():
        p = comparison[comparison["statistic"] == "p_category"]
        otherwise = p[p["published"] != p["reproduced_printed"]]
        assert (
            set(
                zip(
                    otherwise["cell"],
                    otherwise["published"],
                    otherwise["reproduced_printed"],
                    strict=True,
                )
            )
            == expected
        )
        kind = "by_construction" if synthetic else "within_tolerance"
        assert (otherwise["agreement"] == kind).all()
        context = _published(comparison, {})
        listed = {(r["published"], r["here"]) for r in context["p_printed_otherwise"]}
        assert listed == {(",001", "<,001"), (",041", ",042")}
        assert len(context["p_printed_otherwise"]) == 3


def test_report_context_keeps_the_kinds_apart(shipped):
    real, synthetic = _published(shipped[False], {}), _published(shipped[True], {})
    assert real["kinds"] == {
        "identical": 449,
        "within_tolerance": 3,
        "by_construction": 2,
        "different": 3,
    }
    assert real["matching"] == 449  # by construction is not counted as equal
    assert synthetic["matching"] == 0
    assert sum(synthetic["kinds"].values()) == synthetic["figures"] == 457
    for row in synthetic["summary"]:
        assert row["figures"] == sum(row[k] for k in AGREEMENTS)
    sources = {c["source"] for c in synthetic["constructions"]}
    assert {"tabel1.csv", "tabel4.csv", "tabel6.csv", "footnotes.csv"} <= sources
    members = [c for c in real["constructions"] if c["keys"]]
    assert members == [{"count": 2, "keys": ["app_groups[].members_at_start"], "source": ""}]
