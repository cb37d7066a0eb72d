"""Section 3.2, the interventions in the chats (table 5), their members and activity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from buurtpreventie.dutch import nl_number, nl_pct
from buurtpreventie.report.claims import Claim, rows_key
from buurtpreventie.report.text.words import (
    Words,
    _claim,
    _sentence,
    count,
    join_nl,
    number_word,
    part_of,
    plural,
)

# --- the interventions (section 3.2) ---------------------------------------------------


def judged_scores(interventions: pd.DataFrame) -> pd.DataFrame:
    """``interventions.csv`` with the rule's score where the researchers gave none.

    Returns a copy with a boolean column ``judged`` (the researchers' score is
    there) and ``score`` filled from ``computed_score`` where it is not.
    """
    out = interventions.copy()
    score = out["score"].astype(object)
    out["judged"] = score.notna() & (score.astype(str).str.strip() != "")
    out["score"] = score.where(out["judged"], out["computed_score"])
    return out


def intervention_findings(
    interventions: pd.DataFrame,
    words: Words,
    scheme: Sequence[Mapping[str, object]],
    buurten: Sequence[str],
) -> dict[str, object]:
    """Table 5 in words: per buurt what was strengthened, continued, partly or not done.

    Parameters
    ----------
    interventions : DataFrame
        ``results/tables/interventions.csv``.
    words : Words
    scheme : list of dict
        The interventions of ``resources/interventions.yaml`` (number, short, factor).
    buurten : list of str
        Buurten in report order.

    Where the researchers left no judgement, the rule's score stands in
    (:func:`judged_scores`) and the agreement sentence says so.
    """
    raw = interventions
    interventions = judged_scores(interventions)
    by_number = {int(i["number"]): i for i in scheme}

    def name(number: int) -> str:
        item = by_number.get(int(number), {})
        return f"{str(item.get('short', number)).lower()} ({int(number)})"

    strengthened: dict[str, list[int]] = {}
    paragraphs, expectations = [], []
    total = len(by_number) or int(interventions["intervention"].nunique())
    for buurt in buurten:
        part = interventions[interventions["buurt"] == buurt].sort_values("intervention")
        groups = {s: [int(n) for n in part.loc[part["score"] == s, "intervention"]] for s in "✓=~X"}
        strengthened[buurt] = groups["✓"]
        n_ok = len(groups["✓"])
        text = _sentence(
            f"{words.buurt_in(buurt)} "
            + (
                "versterkte geen enkele interventie een succesfactor substantieel"
                if not n_ok
                else f"{plural(n_ok, 'versterkte', 'versterkten')} "
                f"{count(n_ok, 'interventie', 'interventies')} van de {number_word(total)} een "
                f"succesfactor substantieel: {join_nl(name(n) for n in groups['✓'])}"
            )
        )
        for symbol, verb_one, verb_many in (
            (
                "=",
                "interventie was al gangbare praktijk en is voortgezet",
                "interventies waren al gangbare praktijk en zijn voortgezet",
            ),
            (
                "~",
                "interventie is (deels) uitgevoerd, zonder veel verandering",
                "interventies zijn (deels) uitgevoerd, zonder veel verandering",
            ),
            ("X", "interventie is niet uitgevoerd", "interventies zijn niet uitgevoerd"),
        ):
            numbers = groups[symbol]
            if numbers:
                text += " " + _sentence(
                    f"{number_word(len(numbers))} {plural(len(numbers), verb_one, verb_many)}: "
                    f"{join_nl(name(n) for n in numbers)}"
                )
        paragraphs.append(text)
        factors = list(
            dict.fromkeys(
                str(by_number[n]["factor"]).split(" (")[0].lower()
                for n in groups["✓"]
                if n in by_number
            )
        )
        if not n_ok:
            expectations.append(
                _sentence(
                    f"omdat {words.buurt_in(buurt)} geen succesfactor substantieel is versterkt, "
                    f"verwachten we daar geen verandering die aan het experiment is toe te "
                    f"schrijven"
                )
            )
        elif n_ok * 2 < total:
            expectations.append(
                _sentence(
                    f"{words.buurt_in(buurt)} verwachten we weinig verandering tussen de metingen, "
                    f"hooguit op wat samenhangt met {join_nl(factors)}"
                )
            )
        else:
            expectations.append(
                _sentence(
                    f"{words.buurt_in(buurt)} zijn genoeg succesfactoren versterkt om een "
                    f"verbetering te verwachten, vooral op wat samenhangt met {join_nl(factors)}"
                )
            )
    judged = interventions["judged"]
    differ = interventions[judged & ~interventions["agree"].astype(bool)]
    if not judged.any():
        agreement = _sentence(
            "de onderzoekers hebben voor deze buurten geen oordelen vastgelegd: de symbolen "
            "zijn die van de vastgelegde beslisregel op de codes uit de chats"
        )
    elif differ.empty:
        agreement = _sentence(
            f"de regel en het oordeel van de onderzoekers komen bij alle {int(judged.sum())} "
            f"beoordelingen overeen"
        )
    else:
        listed = join_nl(
            f"{name(r.intervention)} {words.buurt_in(r.buurt)} (oordeel {r.score}, regel "
            f"{r.computed_score})"
            for r in differ.itertuples()
        )
        agreement = _sentence(
            f"bij {part_of(len(differ), int(judged.sum()), 'beoordeling', 'beoordelingen')} "
            f"wijkt de regel af van het oordeel van de onderzoekers: {listed}"
        )
    if judged.any() and not judged.all():
        missing = int((~judged).sum())
        agreement += " " + _sentence(
            f"bij {part_of(missing, len(interventions), 'combinatie', 'combinaties')} van "
            f"interventie en buurt ontbreekt het oordeel; daar geldt de regel"
        )
    # the agreement sentence, recomputed from the scores themselves (not ``agree``)
    claims = [
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               len(raw)),
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               int((~judged).sum()), "score="),
        _claim("bevindingen", "interventions.agreement", "count", "interventions", "",
               len(differ), "score!= & score!=computed_score"),
        *(_claim("bevindingen", "interventions.agreement", "equals", "interventions",
                 rows_key(intervention=int(r.intervention), buurt=r.buurt), str(r.score),
                 f"score={r.score} & computed_score={r.computed_score}")
          for r in differ.itertuples()),
    ]  # fmt: skip
    for buurt in buurten:
        own = interventions[interventions["buurt"] == buurt]
        column = (
            "score" if own["judged"].all() else "computed_score" if not own["judged"].any() else ""
        )
        if column:
            claims.append(
                _claim("bevindingen", "interventions", "count", "interventions",
                       rows_key(buurt=buurt), len(strengthened[buurt]), f"{column}=✓")
            )  # fmt: skip
    return {
        "claims": claims,
        "strengthened": strengthened,
        "paragraphs": paragraphs,
        "expectations": expectations,
        "agreement": agreement,
        "disagreements": len(differ),
    }


def member_findings(
    members: pd.DataFrame,
    names: Mapping[str, str],
    start: str,
    end: str,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Group size at the start and the end of the experiment year, per group.

    ``claims``, when given, gets the claims behind the sentence (on ``members``).
    """
    claims = [] if claims is None else claims
    parts = []
    for group, own in members.groupby("group", sort=False):
        own = own.sort_values("month")
        before = own[own["month"] < start[:7]]
        during = own[(own["month"] >= start[:7]) & (own["month"] < end[:7])]
        if during.empty:
            continue
        first = (
            int(before["size"].iloc[-1])
            if len(before)
            else int(during["size"].iloc[0] - during["joined"].iloc[0] + during["left"].iloc[0])
        )
        last = int(during["size"].iloc[-1])
        joined, left = int(during["joined"].sum()), int(during["left"].sum())
        months = rows_key(group=group, month=list(during["month"]))
        claims += [
            _claim("bevindingen", "members", "sum", "members", months, joined, "joined"),
            _claim("bevindingen", "members", "sum", "members", months, left, "left"),
            _claim("bevindingen", "members", "equals", "members",
                   rows_key(group=group, month=during["month"].iloc[-1]), last, f"size={last}"),
            _claim("bevindingen", "members", "equals", "members",
                   rows_key(group=group, month=before["month"].iloc[-1]), first,
                   f"size={first}")
            if len(before)
            else _claim("bevindingen", "members", "equals", "members",
                        rows_key(group=group, month=during["month"].iloc[0]), first,
                        f"size={int(during['size'].iloc[0])} & "
                        f"joined={int(during['joined'].iloc[0])} & "
                        f"left={int(during['left'].iloc[0])}"),
        ]  # fmt: skip
        verb = "groeide" if last > first else "kromp" if last < first else "bleef"
        sizes = f"van {first} naar {last}" if last != first else f"op {first}"
        # verb second after "Tijdens het experiment", the name as an apposition of "de groep"
        parts.append(
            f"{verb} de groep {names.get(group, group)} {sizes} deelnemers "
            f"({joined} erbij, {left} eraf)"
        )
    if not parts:
        return []
    return [_sentence(f"tijdens het experiment {join_nl(parts)}")]


def activity_findings(
    activity: pd.DataFrame,
    names: Mapping[str, str],
    start: str,
    end: str,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Messages per month before and during the experiment year, per group.

    ``claims``, when given, gets the claims behind the sentence (on ``activity``).
    """
    claims = [] if claims is None else claims
    parts = []
    for group, own in activity.groupby("group", sort=False):
        per_month = own.groupby("month")["messages"].sum()
        professional = (
            own[~own["role"].isin(["bewoner", "beheerder_bewoner"])]
            .groupby("month")["messages"]
            .sum()
        )
        before = per_month[per_month.index < start[:7]]
        during = per_month[(per_month.index >= start[:7]) & (per_month.index < end[:7])]
        if during.empty:
            continue
        from_professionals = professional.reindex(during.index, fill_value=0).sum()
        share = from_professionals / max(during.sum(), 1)
        months = rows_key(group=group, month=list(during.index))
        claims += [
            _claim("bevindingen", "activity", "mean", "activity", months, float(during.mean()),
                   "messages per month"),
            _claim("bevindingen", "activity", "sum", "activity", months, float(during.sum()),
                   "messages"),
            _claim("bevindingen", "activity", "sum", "activity",
                   f"{months};{rows_key(role=['bewoner', 'beheerder_bewoner'])}",
                   float(during.sum() - from_professionals), "messages"),
        ]  # fmt: skip
        if len(before):
            claims.append(
                _claim("bevindingen", "activity", "mean", "activity",
                       rows_key(group=group, month=list(before.index)), float(before.mean()),
                       "messages per month")
            )  # fmt: skip
        if not from_professionals:
            by_whom = "geen enkel bericht kwam van professionals"
        elif from_professionals == during.sum():
            by_whom = "alle berichten kwamen van professionals"
        elif share < 0.005:
            by_whom = "minder dan 1% daarvan kwam van professionals"
        elif share > 0.995:
            by_whom = "meer dan 99% daarvan kwam van professionals"
        else:
            by_whom = f"{nl_pct(share * 100, 0)} daarvan kwam van professionals"
        group_name = f"in de groep {names.get(group, group)}"
        # verb second: "Tijdens het experiment verschenen in de groep X ...", then
        # "In de groep Y verschenen ..."
        opening = (
            f"tijdens het experiment verschenen {group_name}"
            if not parts
            else f"{group_name} verschenen"
        )
        parts.append(
            _sentence(
                f"{opening} gemiddeld {nl_number(during.mean(), 0)} berichten per maand"
                + (f" (in de maanden ervoor {nl_number(before.mean(), 0)})" if len(before) else "")
                + f"; {by_whom}"
            )
        )
    return [" ".join(parts)] if parts else []
