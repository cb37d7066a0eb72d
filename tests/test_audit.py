"""The audit of the published tables: GRIM, GRIMMER, recomputed p and count checks."""

from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import ROOT
from scipy import stats

from buurtpreventie.published.audit import audit_published, grim_grimmer, p_interval


def _cell(n, mean, sd, low=1, high=7, item_type="integer_single_item"):
    return {
        "table": "t", "indicator": "x", "buurt": f"b{mean}{sd}", "groep": "E", "wave": "v", "n": n,
        "mean": mean, "sd": sd, "mean_printed": str(mean), "sd_printed": str(sd),
        "scale_min": low, "scale_max": high, "item_type": item_type,
    }  # fmt: skip


def test_grim_textbook_example():
    # Brown & Heathers (2017): a mean of 5.19 from 28 integer answers is impossible:
    # 145 / 28 = 5.179 (5.18) and 146 / 28 = 5.214 (5.21).
    # (With 145 / 28 = 5.18, an SD of 1.02 is attainable and 1.00 is not: GRIMMER.)
    rows = grim_grimmer(pd.DataFrame([_cell(28, 5.19, 1.02), _cell(28, 5.18, 1.02)]))
    assert [r["result"] for r in rows] == ["error", "ok"]
    # The scrutiny R package's test vector: 5.19 with n = 32 is consistent (166 / 32 = 5.1875).
    from buurtpreventie.published.attainable import moment_candidates

    assert any(total == 166 for total, _ in moment_candidates(32, 5.19, 1.0, 1, 7))
    assert rows[0]["check"] == "GRIM"


def test_grimmer_impossible_sd():
    # Five integer answers with mean 3.00: the smallest SD other than 0 is
    # sqrt(2 / 4) = 0.71 (values 2, 3, 3, 3, 4), so an SD of 0.10 cannot occur.
    rows = grim_grimmer(pd.DataFrame([_cell(5, 3.0, 0.10), _cell(5, 3.0, 0.71)]))
    assert [r["result"] for r in rows] == ["error", "ok"]
    assert rows[0]["check"] == "GRIMMER"


def test_p_interval_contains_the_exact_p():
    a = SimpleNamespace(n=82, mean=2.91, sd=0.77)
    b = SimpleNamespace(n=230, mean=2.47, sd=0.99)
    low, high = p_interval(a, b)
    exact = stats.ttest_ind_from_stats(2.91, 0.77, 82, 2.47, 0.99, 230).pvalue
    assert low <= exact <= high and high < 0.001


def test_the_published_slips_are_found_by_the_checks():
    folder = ROOT / "resources" / "published"
    text = {
        "pct_printed": str,
        "p_published": str,
        "mean_printed": str,
        "sd_printed": str,
        "printed": str,
    }
    tables = [pd.read_csv(folder / f"tabel{i}.csv", dtype=text) for i in (1, 2, 3, 4, 6)]
    audit = audit_published(*tables, pd.read_csv(folder / "footnotes.csv", dtype=text))
    errors = audit[audit["result"] == "error"]
    found = set(zip(errors["table"], errors["cell"], errors["check"], strict=True))
    assert found == {
        ("tabel2", "Essenburgbuurt-E voormeting Man", "count vs percentage"),
        ("tabel2", "Essenburgbuurt-E voormeting Man/Vrouw", "percentages add to 100"),
        ("tabel3", "Lombardijen-E nameting Geen inwonende kinderen", "count vs percentage"),
        ("tabel3", "Lombardijen-E nameting Inwonende kinderen", "count vs percentage"),
        (
            "tabel3",
            "Lombardijen-E nameting Geen inwonende kinderen/Inwonende kinderen",
            "base within table 1",
        ),
        ("text", "Essenburgbuurt response rate", "count vs percentage"),
    }
    # Every (N, M, SD) cell of tables 4 and 6 passes GRIM and GRIMMER; every p is reachable.
    assert (audit.loc[audit["check"] == "GRIM+GRIMMER", "result"] == "ok").sum() == 64
    assert (audit.loc[audit["check"] == "p recomputed", "result"] == "ok").sum() == 48
    man = errors[errors["cell"] == "Essenburgbuurt-E voormeting Man"]["detail"].item()
    assert "21 of 66 is 31,8%, printed 32,8%" in man


@pytest.mark.parametrize("printed", ["<,001", "n.s."])
def test_p_category_outside_the_interval_is_an_error(printed):
    pair = pd.DataFrame([_cell(82, 2.91, 0.77), _cell(230, 2.47, 0.99)])
    pair["comparison_id"] = "c"
    pair["p_published"] = printed
    from buurtpreventie.published.audit import p_checks

    result = p_checks(pair)[0]["result"]
    assert result == ("ok" if printed == "<,001" else "error")
