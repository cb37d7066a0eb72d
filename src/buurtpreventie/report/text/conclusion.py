"""Chapter 4, the discussion and the summary: the hypothesis, its verdict, the lessons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_number
from buurtpreventie.report.claims import STUDY, rows_key
from buurtpreventie.report.text.baseline import BaselineFindings
from buurtpreventie.report.text.changes import ChangeFindings, _of_them
from buurtpreventie.report.text.words import (
    Words,
    _claim,
    _sentence,
    capitalise,
    count,
    join_nl,
    number_word,
    part_of,
    plural,
)

# --- the conclusion (chapter 4) --------------------------------------------------------


def hypothesis_findings(
    interventions: Mapping[str, object] | None,
    changes: Sequence[ChangeFindings],
    did: Mapping[str, object],
    chance: Mapping[str, object],
    words: Words,
    buurten: Sequence[str],
    total_interventions: int,
    hypothesis: pd.DataFrame | None = None,
) -> dict[str, list[str]]:
    """The answer to the hypothesis, from the interventions, the changes and the DiD.

    With ``hypothesis`` (``results/tables/hypothesis.csv``) the last paragraph is
    the verdict of that table (:func:`verdict_findings`), with its claims.
    """
    paragraphs = []
    if interventions is not None:
        counts = {b: len(interventions["strengthened"].get(b, [])) for b in buurten}
        listed = join_nl(
            f"{words.buurt_in(b)} {number_word(n) if n else 'geen'}" for b, n in counts.items()
        )
        few = all(n * 2 < total_interventions for n in counts.values())
        paragraphs.append(
            _sentence(
                f"van de {number_word(total_interventions)} interventies versterkten er "
                f"{listed} een succesfactor substantieel"
            )
            + " "
            + _sentence(
                "de interventies zijn dus in beperkte mate uitgevoerd"
                if few
                else "een groot deel van de interventies is dus uitgevoerd"
            )
        )
    if hypothesis is not None:
        found = verdict_findings(hypothesis, words, buurten)
        return {
            "paragraphs": [*paragraphs, *found["paragraphs"]],
            "verdict": [found["name"]],
            "code": found["verdict"],
            "claims": list((interventions or {}).get("claims", [])) + found["claims"],
        }
    desired = [d for c in changes for d in c.desired]
    undesired = [d for c in changes for d in c.undesired]
    support = list(did["desired"])
    against = list(did["undesired"])
    expected = sum(f["expected"] for f in chance["families"])
    if not support:
        reason = []
        if desired:
            reason.append(
                f"de {count(len(desired), 'verandering', 'veranderingen')} in de gewenste "
                f"richting {plural(len(desired), 'houdt', 'houden')} geen stand in de directe "
                f"toets van het verschil in verandering"
            )
        else:
            reason.append("er is geen verandering in de gewenste richting gevonden")
        if len(desired) + len(undesired) <= expected:
            reason.append(
                "het aantal significante uitkomsten is niet groter dan je door toeval zou "
                "verwachten"
            )
        paragraphs.append(_sentence(f"de hypothese kunnen we niet bevestigen: {join_nl(reason)}"))
        verdict = "niet bevestigd"
    else:
        listed = join_nl(
            dict.fromkeys(f"{words.noun(i)} {words.buurt_in(b)}" for i, b, _ in support)
        )
        text = _sentence(
            f"de directe toets van het verschil in verandering geeft steun voor de hypothese "
            f"bij {listed}"
        )
        if len(support) <= did["tests"] * ALPHA:
            text += " " + _sentence(
                "dat zijn niet meer uitkomsten dan je bij dit aantal toetsen door toeval "
                "verwacht; de steun is daarom zwak"
            )
        if against:
            cells = dict.fromkeys(f"{words.noun(i)} {words.buurt_in(b)}" for i, b, _ in against)
            text += " " + _sentence(
                f"daar staat tegenover dat {join_nl(cells)} juist de andere kant op veranderde"
            )
        paragraphs.append(text)
        verdict = "gedeeltelijk ondersteund" if len(support) > did["tests"] * ALPHA else "zwak"
    # the fallback rests on the difference in differences (and, without support, on the
    # number of changes against the chance expectation of table 6)
    sentence = "hypothesis.fallback"
    claims = [
        _claim("conclusie", sentence, "count", "did", "", len(support),
               "p<alpha & intended(estimate)>0"),
        _claim("conclusie", sentence, "count", "did", "", len(against),
               "p<alpha & intended(estimate)<0"),
        *(_claim("conclusie", sentence, "significant", "did",
                 rows_key(indicator=i, buurt=b, wave_to=w), 0, "p")
          for i, b, w in [*support, *against]),
    ]  # fmt: skip
    if support:
        kind = "above_chance" if len(support) > did["tests"] * ALPHA else "at_most_chance"
        claims.append(_claim("conclusie", sentence, kind, "did", "", len(support), "p"))
    elif len(desired) + len(undesired) <= expected:
        claims.append(
            _claim("conclusie", sentence, "at_most_chance", "prepost", "",
                   len(desired) + len(undesired), "p")
        )  # fmt: skip
    return {
        "paragraphs": paragraphs,
        "verdict": [verdict],
        "code": "",
        "claims": list((interventions or {}).get("claims", [])) + claims,
    }


_ADJUSTED = {"holm": ("p_holm", "Holm"), "bh": ("p_bh", "Benjamini-Hochberg")}


def _verdict_reason(r, name: str, rule_name: str) -> str:
    """Why the verdict is what it is, in plain Dutch, from one row of ``hypothesis.csv``."""
    n, k = int(r.estimates), int(r.significant)
    up, down = int(r.in_direction), int(r.against)
    tested = (
        f"na correctie voor het aantal toetsen ({rule_name}) "
        f"{plural(k, 'is', 'zijn') if k else 'is'} {number_word(k) if k else 'geen'} van de "
        f"{n} schattingen "
        f"van het verschil in verandering significant"
    )
    reasons = {
        "significant_in_intended_direction": f"{tested}; {_of_them(k, up)} in de gewenste "
        f"richting" + (f" en {number_word(down)} ertegenin" if down else ""),
        "significant_in_both_directions": f"{tested}, maar niet eensgezind: "
        f"{number_word(up)} in de gewenste richting en {number_word(down)} ertegenin",
        "none_significant": tested,
        "significant_against_only": f"{tested}, en {_of_them(k, down)} tegen de gewenste "
        f"richting in",
        "too_few_in_intended_direction": f"{tested}; in de gewenste richting "
        f"{plural(up, 'wijst', 'wijzen')} er {number_word(up) if up else 'geen'}, minder dan de "
        f"regel vraagt ({number_word(int(r.min_in_direction))})",
        "no_difference_in_differences": "er is geen schatting van het verschil in verandering: "
        "daarvoor zijn in een buurt beide groepen in ten minste twee metingen nodig",
        "no_estimable_cell": "geen enkele schatting van het verschil in verandering was te "
        "berekenen",
    }
    return f"de hypothese is {name}: {reasons.get(str(r.reason), str(r.reason))}"


def verdict_findings(
    hypothesis: pd.DataFrame, words: Words, buurten: Sequence[str] = ()
) -> dict[str, object]:
    """The verdict on the hypothesis of ``hypothesis.csv``, with its reason, in plain Dutch.

    Parameters
    ----------
    hypothesis : DataFrame
        ``results/tables/hypothesis.csv`` (scope ``study``, and one row per buurt).
    words : Words
        ``verdicts`` gives the verdict's name.
    buurten : sequence of str
        The buurten of the report; with more than one, the verdict per buurt follows.

    Returns
    -------
    dict
        ``verdict`` (the code), ``name``, ``paragraphs`` (one) and ``claims``.
    """
    study = hypothesis[hypothesis["scope"] == "study"]
    r = next(study.itertuples(index=False))
    name = str(words.verdicts.get(r.verdict, {}).get("name", r.verdict))
    column, rule_name = _ADJUSTED.get(str(r.adjustment), ("p_holm", str(r.adjustment)))
    text = _sentence(_verdict_reason(r, name, rule_name))
    section, sentence = "conclusie", "hypothesis.verdict"
    claims = [
        _claim(section, sentence, "verdict", "hypothesis", "scope=study", r.verdict, "verdict"),
        _claim(section, sentence, "equals", "hypothesis", "scope=study", r.reason,
               f"reason={r.reason}"),
    ] + [
        _claim(section, sentence, "equals", "hypothesis", "scope=study", int(getattr(r, c)),
               f"{c}={int(getattr(r, c))}")
        for c in ("estimates", "significant", "in_direction", "against")
    ]  # fmt: skip
    if float(r.alpha) == ALPHA and int(r.estimates):  # recount from did.csv itself
        claims += [
            _claim(section, sentence, "count", "did", STUDY, int(r.significant), f"{column}<alpha"),
            _claim(section, sentence, "count", "did", STUDY, int(r.in_direction),
                   f"{column}<alpha & intended(estimate)>0"),
            _claim(section, sentence, "count", "did", STUDY, int(r.against),
                   f"{column}<alpha & intended(estimate)<0"),
        ]  # fmt: skip
    own = {
        str(b.buurt): b for b in hypothesis[hypothesis["scope"] == "buurt"].itertuples(index=False)
    }
    shown = [b for b in buurten if b in own]
    if len(shown) > 1:
        per = {}
        for b in shown:
            per.setdefault(str(own[b].verdict), []).append(b)
            claims.append(
                _claim(section, sentence, "verdict", "hypothesis", rows_key(scope="buurt", buurt=b),
                       own[b].verdict, "verdict")
            )  # fmt: skip
        listed = join_nl(
            f"{words.verdicts.get(v, {}).get('name', v)} {join_nl(words.buurt_in(b) for b in bs)}"
            for v, bs in per.items()
        )
        text += " " + _sentence(f"per buurt bekeken is de hypothese {listed}")
    return {"verdict": str(r.verdict), "name": name, "paragraphs": [text], "claims": claims}


def summary_findings(
    baseline: BaselineFindings, verdict: str, words: Words, wave_label: str
) -> dict[str, object]:
    """The summary's paragraphs that rest on a result: the baseline and the lesson.

    The baseline lead says that a difference was found only when one was; the
    lesson is the one ``words.verdicts`` gives for the verdict of ``hypothesis.csv``.
    """
    claims = [
        _claim("samenvatting", "summary.lesson", "verdict", "hypothesis", "scope=study", verdict,
               "verdict")
    ]  # fmt: skip
    lead = ""
    if baseline.significant:
        lead = (
            _sentence(
                "naast de vraag van het experiment laat de eerste meting een verschil zien "
                "waar het experiment niet naar zocht"
            )
            + " "
        )
    lesson = str(words.verdicts.get(verdict, {}).get("lesson", ""))
    return {
        "baseline": [lead + baseline.conclusion[0]] if baseline.conclusion else [],
        "lessons": [lesson] if lesson else [],
        "claims": claims,
    }


def subquestion_answers(
    questions: Sequence[Mapping[str, str]], answers: Mapping[str, Sequence[str]]
) -> list[dict[str, object]]:
    """Each sub-question of ``words.subquestions`` with the paragraphs that answer it."""
    return [
        {"id": q["id"], "question": q["question"], "answer": list(answers.get(q["answer"], []))}
        for q in questions
    ]


def discussion_findings(baseline: BaselineFindings, words: Words, where: str) -> dict[str, object]:
    """Flags for the discussion: do participants everywhere see safety more darkly?

    ``where`` names the buurten the finding holds in (``"in beide buurten"``).
    """
    worse = [
        i
        for i in baseline.everywhere
        if next(iter(baseline.significant[i].values())) * words.better(i) < 0
    ]
    items = [(i, next(iter(baseline.significant[i].values()))) for i in worse]
    people, others = words.groepen["E"]["people"], words.groepen["C"]["people"]
    return {
        "worse": worse,
        "where": capitalise(where),
        # verb second after the opening "In beide buurten": "... voelen appdeelnemers zich"
        "sentence": _sentence(f"{words.fronted(where, people, items)} dan {others}")
        if items
        else "",
    }


# --- the summary in plain Dutch --------------------------------------------------------


def _as_summary(claims, sentence: str) -> list:
    """The same claims, for a sentence of the summary."""
    return [replace(c, section="samenvatting", sentence=sentence) for c in claims]


def _plain_changes(change: ChangeFindings, words: Words, waves: Mapping[str, str]) -> str:
    """The changes within the groups between two waves, without statistical terms."""
    n, tests = len(change.changes), change.tested
    span = (
        f"tussen de {waves.get(change.wave_from, change.wave_from).lower()} en de "
        f"{waves.get(change.wave_to, change.wave_to).lower()}"
    )
    expected = ALPHA * tests
    if not n:
        return _sentence(
            f"{span} veranderde in geen enkele groep een uitkomst meer dan toeval kan verklaren"
        )
    improved = sum(sign * words.better(i) > 0 for i, _, _, sign in change.changes)
    found = _sentence(
        f"{span} was bij {part_of(n, tests, 'vergelijking', 'vergelijkingen')} van een groep "
        f"met zichzelf de verandering zo groot dat toeval haar moeilijk verklaart"
    )
    if n <= expected:  # the chapter's claim: at most what chance gives
        return (
            found
            + " "
            + _sentence(
                f"dat zijn er niet meer dan je bij {tests} vergelijkingen door toeval alleen "
                f"verwacht (ongeveer {nl_number(expected, 1)}); de groepen veranderden dus weinig"
            )
        )
    worse = n - improved
    return (
        found
        + " "
        + _sentence(
            f"door toeval alleen verwacht je er bij {tests} vergelijkingen ongeveer "
            f"{nl_number(expected, 1)}"
        )
        + " "
        + _sentence(
            f"{number_word(improved) if improved else 'geen'} daarvan "
            f"{plural(improved, 'was een verbetering', 'waren een verbetering')}"
            + (f", {number_word(worse)} een verslechtering" if worse else "")
        )
    )


_PLAIN_REASONS = {
    "no_difference_in_differences": "met deze gegevens is de hypothese niet te toetsen: "
    "daarvoor zijn in een buurt beide groepen in ten minste twee metingen nodig",
    "no_estimable_cell": "met deze gegevens is de hypothese niet te toetsen",
}


def _plain_verdict(r, name: str, found_any: bool) -> str:
    """The verdict of ``hypothesis.csv`` in plain words: what survives the stricter test."""
    if str(r.reason) in _PLAIN_REASONS:
        return _sentence(_PLAIN_REASONS[str(r.reason)])
    k, up, down = int(r.significant), int(r.in_direction), int(r.against)
    stricter = "een strengere toets, die meeweegt hoeveel vergelijkingen we maakten"
    verdict = _sentence(f"het oordeel over de hypothese luidt daarom: {name}")
    if not k and not found_any:
        return verdict
    if not k:
        kept = f"na {stricter}, blijft daarvan geen enkel verschil over"
    else:
        left = f"na {stricter}, {plural(k, 'blijft', 'blijven')} er {number_word(k)} over"
        if up == k or down == k:  # one direction: say it once
            way = "in de gewenste richting" if up == k else "tegen de gewenste richting in"
            kept = f"{left}, {way}" if k == 1 else f"{left}, alle {way}"
        else:
            kept = f"{left}: " + join_nl(
                [
                    *([f"{number_word(up)} in de gewenste richting"] if up else []),
                    *([f"{number_word(down)} ertegenin"] if down else []),
                ]
            )
    return _sentence(kept) + " " + verdict


def plain_summary(
    changes: Sequence[ChangeFindings],
    did: Mapping[str, object],
    hypothesis: pd.DataFrame | None,
    words: Words,
    waves: Mapping[str, str],
) -> dict[str, list]:
    """What the results mean, for the summary: the same findings as chapter 3, in plain Dutch.

    No "significant", "schatting" or test names: a change or a difference is
    one "that chance hardly explains", set against how many of those chance
    alone would give. Every sentence rests on the claims of the chapter's
    sentence it retells (copied with section ``samenvatting``), so another
    data set gives another, still true, summary.

    Returns
    -------
    dict
        ``paragraphs`` (one per later wave, then one on the difference in
        differences and the verdict) and ``claims``.
    """
    paragraphs, claims = [], []
    for change in changes:
        paragraphs.append(_plain_changes(change, words, waves))
        claims += _as_summary(
            [c for c in change.claims if c.sentence == f"changes.{change.wave_to}.count"],
            f"summary.changes.{change.wave_to}",
        )
    n = int(did.get("tests", 0))
    desired, undesired = list(did.get("desired", [])), list(did.get("undesired", []))
    k = len(desired) + len(undesired)
    people, others = words.groepen["E"]["people"], "hun buurtgenoten"
    lead = _sentence(
        f"de kern van de hypothese is of {people} er meer op vooruitgingen dan {others}"
    )
    if not n:
        text = lead
    elif not k:
        text = (
            lead
            + " "
            + _sentence(
                "de verschillen die we daarbij vonden, zijn zo klein dat ze ook door toeval "
                f"kunnen ontstaan: op geen enkele uitkomst veranderden {people} duidelijk anders "
                f"dan {others}"
            )
        )
    else:
        text = (
            lead
            + " "
            + _sentence(
                f"bij {part_of(k, n, 'vergelijking', 'vergelijkingen')} veranderden {people} "
                f"duidelijk anders dan {others}: "
                + join_nl(
                    [
                        *(
                            [f"{number_word(len(desired))} keer in de gewenste richting"]
                            if desired
                            else []
                        ),
                        *([f"{number_word(len(undesired))} keer ertegenin"] if undesired else []),
                    ]
                )
            )
        )
        if k <= ALPHA * n:
            text += " " + _sentence(
                f"zoveel verwacht je bij {n} vergelijkingen ook door toeval alleen"
            )
    claims += _as_summary(
        [c for c in did.get("claims", []) if c.sentence == "did.summary"], "summary.did"
    )
    if hypothesis is not None and len(hypothesis[hypothesis["scope"] == "study"]):
        found = verdict_findings(hypothesis, words)
        r = next(hypothesis[hypothesis["scope"] == "study"].itertuples(index=False))
        text += " " + _plain_verdict(r, str(found["name"]), bool(k))
        claims += _as_summary(found["claims"], "summary.verdict")
    paragraphs.append(text)
    return {"paragraphs": paragraphs, "claims": claims}
