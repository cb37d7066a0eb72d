"""ANCOVA-adjusted baseline difference and difference-in-differences, against numpy."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from buurtpreventie.stats.models import adjusted_baseline, difference_in_differences


def _data(seed=3, n=120):
    rng = np.random.default_rng(seed)
    groep = np.where(rng.random(n) < 0.4, "E", "C")
    wave = np.where(rng.random(n) < 0.5, "v", "n")
    man = rng.random(n) < 0.5
    age = rng.integers(0, 7, n).astype(float)
    y = 2 + 0.5 * (groep == "E") + 0.3 * man - 0.1 * age + 0.4 * (groep == "E") * (wave == "n")
    y = y + rng.normal(0, 0.6 + 0.6 * (groep == "E"), n)  # unequal variances
    return pd.DataFrame(
        {
            "buurt": "lombardijen",
            "groep": groep,
            "wave": wave,
            "geslacht": np.where(man, "man", "vrouw"),
            "leeftijdscategorie": age,
            "alertheid": y,
        }
    )


def test_adjusted_difference_equals_least_squares_by_hand():
    data = _data()
    result = adjusted_baseline(data, ["alertheid"], "v").iloc[0]
    part = data[data["wave"] == "v"]
    # Independent computation: ordinary least squares with numpy, classical SE.
    design = np.column_stack(
        [
            np.ones(len(part)),
            part["groep"] == "E",
            part["geslacht"] == "vrouw",
            part["leeftijdscategorie"],
        ]
    ).astype(float)
    y = part["alertheid"].to_numpy()
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ beta
    dof = len(y) - design.shape[1]
    cov = residual @ residual / dof * np.linalg.inv(design.T @ design)
    se = np.sqrt(cov[1, 1])
    assert result["n_adjusted"] == len(part)
    assert result["diff_adjusted"] == pytest.approx(beta[1])
    assert result["se_adjusted"] == pytest.approx(se)
    assert result["p_adjusted"] == pytest.approx(2 * stats.t.sf(abs(beta[1] / se), dof))


def test_did_estimate_is_the_difference_of_differences():
    data = _data()
    result = difference_in_differences(data, ["alertheid"], ["v", "n"]).iloc[0]
    means = data.groupby(["groep", "wave"])["alertheid"].mean()
    by_hand = (means[("E", "n")] - means[("E", "v")]) - (means[("C", "n")] - means[("C", "v")])
    assert result["estimate"] == pytest.approx(by_hand)
    assert (result["wave_from"], result["wave_to"], result["cov_type"]) == ("v", "n", "HC3")


def test_did_robust_standard_error_is_hc3_by_hand():
    data = _data()
    result = difference_in_differences(data, ["alertheid"], ["v", "n"]).iloc[0]
    # Independent computation of the HC3 sandwich (MacKinnon & White, 1985):
    # V = (design'design)^-1 design' diag(e_i^2 / (1 - h_ii)^2) design (design'design)^-1
    e_group = (data["groep"] == "E").to_numpy(float)
    later = (data["wave"] == "n").to_numpy(float)
    design = np.column_stack([np.ones(len(data)), e_group, later, e_group * later])
    y = data["alertheid"].to_numpy()
    bread = np.linalg.inv(design.T @ design)
    beta = bread @ design.T @ y
    residual = y - design @ beta
    leverage = np.einsum("ij,jk,ik->i", design, bread, design)
    meat = design.T @ (design * (residual**2 / (1 - leverage) ** 2)[:, None])
    se = np.sqrt((bread @ meat @ bread)[3, 3])
    assert result["se"] == pytest.approx(se)
    z = stats.norm.ppf(0.975)
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(
        (beta[3] - z * se, beta[3] + z * se)
    )
    assert result["p"] == pytest.approx(2 * stats.norm.sf(abs(beta[3] / se)))


def test_did_with_three_waves_gives_one_row_per_later_wave():
    data = _data(n=200)
    data.loc[data.index[::3], "wave"] = "d"
    result = difference_in_differences(data, ["alertheid"], ["v", "n", "d"])
    assert result[["wave_from", "wave_to"]].values.tolist() == [["v", "n"], ["v", "d"]]
    assert result["estimate"].notna().all()


def test_did_p_is_adjusted_over_all_estimates_of_the_study():
    # The family is the whole table (every indicator x buurt x later wave): the adjusted p
    # are those of R's p.adjust on the column p (pinned in tests/test_compare.py).
    data = pd.concat([_data(seed=s).assign(buurt=b) for s, b in ((3, "x"), (4, "y"))])
    data["sociale_controle"] = data["alertheid"] * 0.5 + 1
    data.loc[data.index[:5], "sociale_controle"] = np.nan
    result = difference_in_differences(data, ["alertheid", "sociale_controle"], ["v", "n"])
    assert len(result) == 4
    from statsmodels.stats.multitest import multipletests

    for method, column in (("holm", "p_holm"), ("fdr_bh", "p_bh")):
        expected = multipletests(result["p"].to_numpy(), method=method)[1]
        assert result[column].to_numpy() == pytest.approx(expected, rel=1e-12)
    # By hand for Holm: the smallest p is multiplied by the size of the family.
    smallest = result["p"].idxmin()
    assert result.loc[smallest, "p_holm"] == pytest.approx(min(1, 4 * result["p"].min()))
