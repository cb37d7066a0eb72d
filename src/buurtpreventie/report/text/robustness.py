"""What the original report did not do: difference-in-differences, chance, power, the panel."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from buurtpreventie.constants import ALPHA, MDE_POWER
from buurtpreventie.dutch import nl_no_zero, nl_number, nl_pct
from buurtpreventie.report.claims import rows_key, size_word
from buurtpreventie.report.text.changes import _of_them
from buurtpreventie.report.text.words import (
    Small,
    Words,
    _chance_claims,
    _claim,
    _sentence,
    _sign,
    _significant,
    capitalise,
    chance_phrase,
    count,
    join_nl,
    number_word,
    p_is,
    part_is,
    part_of,
    plural,
)

# --- what the report did not do --------------------------------------------------------


def did_findings(
    did: pd.DataFrame, words: Words, waves: Mapping[str, str], alpha: float = ALPHA
) -> dict[str, object]:
    """The difference in differences: which interactions are significant, which way.

    Returns a dict with ``tests``, ``desired`` and ``undesired`` (lists of
    (indicator, buurt, wave_to)) and ``paragraphs``.
    """
    sig = [r for r in did.itertuples(index=False) if _significant(r.p, alpha)]
    desired = [
        (r.indicator, r.buurt, r.wave_to)
        for r in sig
        if _sign(r.estimate) * words.better(r.indicator) > 0
    ]
    undesired = [
        (r.indicator, r.buurt, r.wave_to)
        for r in sig
        if _sign(r.estimate) * words.better(r.indicator) < 0
    ]
    several_waves = len(set(did["wave_to"])) > 1

    def where(i, b, w):
        text = f"{words.noun(i)} {words.buurt_in(b)}"
        return text + (f" ({waves[w].lower()})" if several_waves else "")

    n = int(did["p"].notna().sum())
    if not n:
        text = _sentence("er is geen schatting van het verschil in verandering te berekenen")
    elif not sig:
        text = _sentence(
            f"{part_of(0, n, 'schatting', 'schattingen')} is significant: bij geen enkele "
            f"indicator veranderde de experimentele groep aantoonbaar anders dan de controlegroep"
        )
    else:
        text = _sentence(
            f"{part_of(len(sig), n, 'schatting', 'schattingen')} "
            f"{'zijn' if len(sig) > 1 else 'is'} significant (zonder correctie voor het aantal "
            f"toetsen); {chance_phrase(len(sig), n, alpha)}"
        )
        text += " " + _sentence(
            f"{_of_them(len(sig), len(desired))} in de gewenste richting"
            + (f": {join_nl(where(*x) for x in desired)}" if desired else "")
        )
        if undesired:
            text += " " + _sentence(
                f"tegen de gewenste richting in: {join_nl(where(*x) for x in undesired)}"
            )
    claims = [
        *_chance_claims("bevindingen", "did.summary", "did", "", len(sig), n, alpha),
        _claim("bevindingen", "did.summary", "count", "did", "", len(desired),
               "p<alpha & intended(estimate)>0"),
        _claim("bevindingen", "did.summary", "count", "did", "", len(undesired),
               "p<alpha & intended(estimate)<0"),
    ]  # fmt: skip
    claims += [
        _claim("bevindingen", "did.summary", "significant", "did",
               rows_key(indicator=r.indicator, buurt=r.buurt, wave_to=r.wave_to), r.p, "p")
        for r in sig
    ]  # fmt: skip
    return {
        "tests": n,
        "desired": desired,
        "undesired": undesired,
        "paragraphs": [text],
        "claims": claims,
    }


def chance_findings(prepost: pd.DataFrame, alpha: float = ALPHA) -> dict[str, object]:
    """How many tests one would expect to be significant by chance, and what survives adjustment.

    Counts the comparisons of kind ``baseline`` (table 6); with three or more
    waves the consecutive comparisons are a family of their own.
    """
    families = []
    for kind, part in prepost.groupby("kind", sort=False):
        tests = int(part["p"].notna().sum())
        families.append(
            {
                "kind": kind,
                "tests": tests,
                "expected": alpha * tests,
                "significant": int((part["p"] < alpha).sum()),
                "holm": int((part["p_holm"] < alpha).sum()),
                "bh": int((part["p_bh"] < alpha).sum()),
            }
        )
    paragraphs = []

    def holding(k: int, name: str) -> str:
        if k == 0:
            return f"volgens {name} geen enkele"
        return f"volgens {name} nog {number_word(k)}"

    for family in families:
        what = (
            "vergelijkingen van een groep met de eerste meting"
            if family["kind"] == "baseline"
            else "vergelijkingen van een groep met de meting ervoor"
        )
        n_sig, tests = family["significant"], family["tests"]
        text = _sentence(f"er zijn {tests} {what} gedaan")
        text += " " + _sentence(
            f"als er nergens een werkelijk verschil is, valt bij \u03b1 = {nl_no_zero(alpha)} toch "
            f"ongeveer {nl_number(alpha * 100, 0)}% van de toetsen significant uit: bij {tests} "
            f"toetsen naar verwachting {nl_number(family['expected'], 1)}"
        )
        text += " " + _sentence(
            f"gevonden {plural(n_sig, 'is', 'zijn')} er "
            f"{number_word(n_sig) if n_sig else 'geen enkele'}"
        )
        if n_sig:
            holm, bh = family["holm"], family["bh"]
            if holm == 0 and bh == 0:
                text += " " + _sentence(
                    "na correctie voor het aantal toetsen is er geen enkele meer significant, "
                    "volgens Holm noch volgens Benjamini-Hochberg"
                )
            else:
                text += " " + _sentence(
                    f"na correctie voor het aantal toetsen {plural(holm, 'is', 'zijn')} er "
                    f"{holding(holm, 'Holm')} significant en {holding(bh, 'Benjamini-Hochberg')}"
                )
        paragraphs.append(text)
    claims = [
        c
        for f in families
        for c in (
            _claim("bevindingen", "chance", "chance", "prepost", f"kind={f['kind']}",
                   f["expected"], "p"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["significant"], "p<alpha"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["holm"], "p_holm<alpha"),
            _claim("bevindingen", "chance", "count", "prepost", f"kind={f['kind']}",
                   f["bh"], "p_bh<alpha"),
        )
    ]  # fmt: skip
    return {"families": families, "paragraphs": paragraphs, "claims": claims}


def chance_scope_note(shown: int, total: int) -> str:
    """Under the chance counts when the chapter shows ``shown`` of the ``total`` buurten."""
    return capitalise(
        f"deze tellingen gaan over de {count(shown, 'buurt', 'buurten')} "
        f"van dit hoofdstuk; de correcties van Holm en Benjamini-Hochberg zijn berekend "
        f"over de vergelijkingen in alle {total} buurten van de studie."
    )


def power_findings(
    prepost: pd.DataFrame, words: Words, small: Small = frozenset(), alpha: float = ALPHA
) -> dict[str, object]:
    """The smallest effect each before/after comparison could detect, against what was found."""
    part = prepost[prepost["kind"] == "baseline"]
    part = part[
        [
            (r.indicator, r.buurt, r.groep, r.wave_to) not in small
            and (r.indicator, r.buurt, r.groep, r.wave_from) not in small
            for r in part.itertuples(index=False)
        ]
    ]
    if part.empty:
        return {"paragraphs": [], "rows": [], "claims": []}
    whole = len(part) == int((prepost["kind"] == "baseline").sum())
    per_cell = (
        part.groupby(["buurt", "groep", "wave_to"], sort=False)
        .agg(mde=("mde_d", "median"), n_from=("n_from", "median"), n_to=("n_to", "median"))
        .reset_index()
    )
    low = per_cell.loc[per_cell["mde"].idxmin()]
    high = per_cell.loc[per_cell["mde"].idxmax()]
    observed = part["d"].abs()
    below = int((observed < part["mde_d"]).sum())
    text = _sentence(
        f"met deze aantallen respondenten kon een vergelijking van twee metingen een effect "
        f"alleen met {nl_pct(MDE_POWER * 100, 0)} kans (bij \u03b1 = {nl_no_zero(alpha)}) opsporen "
        f"als het minstens d = {nl_no_zero(low['mde'])} groot was; dat gold voor de grootste "
        f"groep ({words.cell(low['buurt'], low['groep'])}). In de kleinste groep "
        f"({words.cell(high['buurt'], high['groep'])}) moest het effect minstens "
        f"d = {nl_no_zero(high['mde'])} zijn"
    )
    top = part.loc[observed.idxmax()]
    size = size_word(top["d"])
    below_text = part_is(
        below, len(part), "gevonden verschil", "gevonden verschillen", "ligt", "liggen", "het"
    )
    text += " " + _sentence(
        f"{below_text} onder die grens; het grootste is "
        f"d = {nl_no_zero(observed.max())}, volgens de maatstaf van Cohen een {size} effect"
    )
    if below > len(part) / 2:
        text += " " + _sentence(
            f"een effect kleiner dan d = {nl_no_zero(low['mde'])} kon het experiment dus niet "
            f"betrouwbaar aantonen of uitsluiten"
        )
    else:
        text += " " + _sentence(
            "de meeste gevonden verschillen waren groot genoeg om op te sporen"
            if len(part) > 1
            else "het gevonden verschil was groot genoeg om op te sporen"
        )
    top_rows = rows_key(
        indicator=top["indicator"], buurt=top["buurt"], groep=top["groep"], kind="baseline",
        wave_to=top["wave_to"],
    )  # fmt: skip
    claims = [_claim("bevindingen", "power", "size", "prepost", top_rows, size, "d")]
    if whole:
        claims += [
            _claim("bevindingen", "power", "count", "prepost", "kind=baseline", below,
                   "abs(d)<mde_d"),
            _claim("bevindingen", "power", "superlative", "prepost", "kind=baseline", top_rows,
                   "max abs(d)"),
        ]  # fmt: skip
    return {"paragraphs": [text], "rows": per_cell.to_dict("records"), "claims": claims}


def _linked_sentence(pairs: pd.DataFrame, words: Words, waves: Mapping[str, str]) -> str:
    """How many respondents are linked: per group for one pair of waves, else per pair.

    With more than two waves a respondent can be linked in several pairs, so
    the counts are given per pair of waves, with their range over the groups,
    and not added up.
    """
    wave_pairs = list(dict.fromkeys(zip(pairs["wave_from"], pairs["wave_to"], strict=True)))
    if len(wave_pairs) == 1:
        listed = join_nl(
            f"{int(r.n_pairs)} in {words.cell(r.buurt, r.groep)}" for r in pairs.itertuples()
        )
        total = int(pairs["n_pairs"].sum())
        return _sentence(
            f"{total} respondenten zijn via hun pseudoniem aan een eerdere meting gekoppeld: "
            f"{listed}"
        )
    parts = []
    for wave_from, wave_to in wave_pairs:
        own = pairs[(pairs["wave_from"] == wave_from) & (pairs["wave_to"] == wave_to)]
        low, high = int(own["n_pairs"].min()), int(own["n_pairs"].max())
        spread = f"{low} per groep" if low == high else f"{low} tot {high} per groep"
        parts.append(
            f"{int(own['n_pairs'].sum())} tussen de {waves.get(wave_from, wave_from).lower()} "
            f"en de {waves.get(wave_to, wave_to).lower()} ({spread})"
        )
    return _sentence(
        "via hun pseudoniem zijn respondenten aan een eerdere meting gekoppeld: " + join_nl(parts)
    )


#: How to switch panel linkage on (README, "Panel linkage").
PANEL_HOW = (
    "de koppeling gaat aan met een geheime sleutel in de omgevingsvariabele "
    "BUURTPREVENTIE_PANEL_KEY of in het bestand .panel-key (make study maakt er een aan); "
    "zie \u2018Panel linkage\u2019 in de README"
)


def panel_findings(
    panel: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    alpha: float = ALPHA,
    key: bool | None = None,
) -> dict[str, object]:
    """Respondents linked across waves: how many per group, and what the paired tests show.

    Parameters
    ----------
    panel : DataFrame
        ``results/tables/panel.csv``.
    words : Words
    waves : mapping
        Wave id -> label.
    alpha : float
    key : bool or None
        Whether a panel key was set (``None``: not known). Without a key the
        text says that linkage was switched off and how to switch it on.

    Returns
    -------
    dict
        ``paragraphs``, ``linked`` (any respondent linked), ``limitation`` (a
        sentence for the discussion), ``pairs`` and ``claims``.
    """
    if panel.empty:
        claims = [_claim("bevindingen", "panel", "none", "panel", "", 0, "")]
        if key:
            text = _sentence(
                "de koppeling van respondenten over de metingen stond aan, maar geen "
                "respondent is in twee metingen herkend"
            )
        else:
            text = (
                _sentence(
                    "respondenten zijn niet over de metingen heen gekoppeld: de koppeling via een "
                    "pseudoniem stond uit, omdat er geen sleutel was"
                )
                + " "
                + _sentence(PANEL_HOW)
            )
        return {
            "paragraphs": [text],
            "linked": False,
            "limitation": text,
            "linked_text": text,
            "pairs": [],
            "claims": claims,
        }
    pairs = (
        panel.groupby(["buurt", "groep", "wave_from", "wave_to"], sort=False)["n_pairs"]
        .max()
        .reset_index()
    )
    linked = text = _linked_sentence(pairs, words, waves)
    claims = [
        _claim("bevindingen", "panel.linked", "max", "panel",
               rows_key(buurt=r.buurt, groep=r.groep, wave_from=r.wave_from,
                        wave_to=r.wave_to), int(r.n_pairs), "n_pairs")
        for r in pairs.itertuples()
    ]  # fmt: skip
    computed = panel[panel["status"] == "computed"]
    too_small = int((panel["status"] != "computed").sum())
    sig = computed[computed["p"] < alpha]
    if too_small:
        text += " " + _sentence(
            f"{count(too_small, 'vergelijking heeft', 'vergelijkingen hebben')} te weinig paren "
            f"voor een gepaarde toets"
        )
        claims.append(
            _claim("bevindingen", "panel.tests", "count", "panel", "", too_small,
                   "status=too_small")
        )  # fmt: skip
    limitation = _sentence(
        "een panel van dezelfde respondenten in elke meting was sterker geweest; "
        + _linked_clause(pairs)
    )
    out = {"paragraphs": [text], "linked": True, "limitation": limitation, "linked_text": linked,
           "pairs": pairs.to_dict("records"), "claims": claims}  # fmt: skip
    if computed.empty:
        return out
    claims.append(
        _claim("bevindingen", "panel.tests", "count", "panel", "status=computed", len(sig),
               "p<alpha")
    )  # fmt: skip
    if sig.empty:
        text += " " + _sentence(
            f"{part_of(0, len(computed), 'gepaarde toets', 'gepaarde toetsen')} is significant; "
            f"{chance_phrase(0, len(computed), alpha)}"
        )
    else:
        several = panel[["wave_from", "wave_to"]].drop_duplicates().shape[0] > 1

        def when(r) -> str:  # which pair of waves, when there are several
            if not several:
                return ""
            return f" van de {waves.get(r.wave_from, r.wave_from).lower()} naar de " + (
                f"{waves.get(r.wave_to, r.wave_to).lower()}"
            )

        listed = join_nl(
            f"{words.noun(r.indicator)} in {words.cell(r.buurt, r.groep)} "
            f"({'toename' if r.mean_diff > 0 else 'afname'}{when(r)}, {p_is(r.p)})"
            for r in sig.itertuples()
        )
        text += " " + _sentence(
            f"{part_of(len(sig), len(computed), 'gepaarde toets', 'gepaarde toetsen')} "
            f"{'zijn' if len(sig) > 1 else 'is'} significant: {listed}"
        )
    out["paragraphs"] = [text]
    return out


def _linked_clause(pairs: pd.DataFrame) -> str:
    """``"hier zijn 39 respondenten aan een eerdere meting gekoppeld"`` (per pair of waves)."""
    totals = pairs.groupby(["wave_from", "wave_to"], sort=False)["n_pairs"].sum()
    if len(totals) == 1:
        return f"hier zijn {int(totals.iloc[0])} respondenten aan een eerdere meting gekoppeld"
    return (
        f"hier zijn per paar van metingen {join_nl(str(int(t)) for t in totals)} "
        f"respondenten aan een eerdere meting gekoppeld"
    )


def panel_design(panel: Mapping[str, object]) -> list[str]:
    """How the samples of the waves relate (section 2), from :func:`panel_findings`."""
    lead = _sentence(
        "bij elke meting is een nieuwe steekproef getrokken, op dezelfde manier als de eerste "
        "keer; wie vaker meedeed, telt in elke meting mee"
    )
    return [lead + " " + str(panel["linked_text"])]
