"""The synthetic data is calibrated by method, not by a lucky draw.

For other seeds than the shipped one, the generator writes other exports, and
the pipeline's own functions (ingest, descriptives, reliability, comparison)
still reproduce every published figure of tables 1, 4 and 6, the significance
categories, the two Cohen's d and the three alphas. In tables 2 and 3 only the
two published slips differ, and in the text one response rate; each explained.
"""

import pandas as pd
import pytest
import yaml
from conftest import COLLECTORS, INDICATORS, ROOT

from buurtpreventie.published.comparison import compare_published
from buurtpreventie.stats.compare import baseline_comparisons, prepost_comparisons
from buurtpreventie.stats.reliability import reliability_table
from buurtpreventie.survey.describe import demographics_table, indicator_table, respondent_table
from buurtpreventie.survey.ingest import ingest_wave
from buurtpreventie.synthetic.generate import generate_study, write_study

WAVES = ["voormeting", "nameting"]
SLIPS = {
    ("tabel2", "essenburgbuurt E voormeting Man", "pct"),
    ("tabel3", "lombardijen E nameting Inwonende kinderen", "count"),
    ("text", "essenburgbuurt E voormeting", "response_rate"),  # 66 of 107 is 61,7%, printed 61,9%
}


def reproduce(codebook, exports_dir):
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    respondents = pd.concat(
        [
            ingest_wave(
                w, [str(exports_dir / f"{w}.csv")], codebook, COLLECTORS, 4, key=b"k"
            ).respondents
            for w in WAVES
        ],
        ignore_index=True,
    )
    comparison = compare_published(
        ROOT / "resources" / "published",
        respondent_table(respondents, WAVES, config["app_groups"]),
        indicator_table(respondents, codebook, WAVES),
        demographics_table(respondents, WAVES),
        reliability_table(respondents, codebook, WAVES),
        baseline_comparisons(respondents, INDICATORS, WAVES[0]),
        prepost_comparisons(respondents, INDICATORS, WAVES),
        config["app_groups"],
    )
    return respondents, comparison


def assert_calibrated(comparison):
    core = comparison[comparison["table"].str.match(r"tabel[146]|footnote")]
    assert len(core) == 10 + 3 * 32 + 16 + 3 * 64 + 32 + 2 + 3
    assert core["match"].all(), core[~core["match"]]
    misses = comparison[~comparison["match"]]
    assert set(zip(misses["table"], misses["cell"], misses["statistic"], strict=True)) == SLIPS
    assert misses["note"].str.len().gt(20).all()


@pytest.mark.parametrize("seed", [7, 31])
def test_other_seeds_are_still_calibrated(seed, codebook, tmp_path):
    write_study(generate_study(ROOT / "resources", codebook, seed), codebook, tmp_path)
    shipped = (ROOT / "resources" / "survey" / "voormeting.csv").read_bytes()
    assert (tmp_path / "voormeting.csv").read_bytes() != shipped
    respondents, comparison = reproduce(codebook, tmp_path)
    assert_calibrated(comparison)
    # Panel: 216 agree at the baseline; 57 answer again (9 + 9 experimental, 28 + 11 control).
    before = respondents[(respondents["wave"] == "voormeting") & respondents["pseudonym"].notna()]
    after = respondents[(respondents["wave"] == "nameting") & respondents["pseudonym"].notna()]
    assert len(before) == 216
    linked = after.merge(before, on="pseudonym", suffixes=("", "_voor"))
    assert linked.groupby(["buurt", "groep"]).size().to_dict() == {
        ("essenburgbuurt", "C"): 11,
        ("essenburgbuurt", "E"): 9,
        ("lombardijen", "C"): 28,
        ("lombardijen", "E"): 9,
    }


def test_shipped_exports_are_calibrated(codebook):
    _, comparison = reproduce(codebook, ROOT / "resources" / "survey")
    assert_calibrated(comparison)
