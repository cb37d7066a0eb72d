"""Chapter 2, the design (opzet): the respondents and their demographics (section 2.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_no_zero, nl_number, nl_pct
from buurtpreventie.report.claims import Claim, rows_key
from buurtpreventie.report.text.words import (
    Words,
    _claim,
    _sentence,
    capitalise,
    count,
    join_nl,
    number_word,
    p_is,
    part_of,
)

# --- respondents and demographics (section 2.2) ----------------------------------------


def respondent_findings(
    respondents: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    buurten: Sequence[str] | None = None,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Response in the app groups and at the door, per wave.

    ``claims``, when given, gets the claims behind the sentences (on ``respondents``).
    """
    claims = [] if claims is None else claims
    order = list(buurten or dict.fromkeys(respondents["buurt"]))
    rank = {b: i for i, b in enumerate(order)}
    respondents = respondents.sort_values("buurt", key=lambda s: s.map(rank))
    people = words.groepen["E"]["people"]
    paragraphs = []
    for wave, label in waves.items():
        part = respondents[respondents["wave"] == wave]
        app = []
        for i, r in enumerate(part[part["groep"] == "E"].itertuples()):
            known = r.app_members == r.app_members and r.app_members
            share = (
                f" ({nl_pct(r.response_rate * 100)} van de {int(r.app_members)} deelnemers"
                f"{' aan de groepen' if i == 0 else ''})"
                if known
                else ""
            )
            who = f" {people}" if i == 0 else ""
            app.append(f"{int(r.n)}{who} {words.buurt_in(r.buurt)}{share}")
            claims.append(
                _claim("opzet", "respondents", "equals", "respondents",
                       rows_key(buurt=r.buurt, groep="E", wave=wave), int(r.n),
                       f"n={int(r.n)}" + (f" & app_members={int(r.app_members)} & response_rate="
                                          f"{float(r.response_rate)!r}" if known else ""))
            )  # fmt: skip
        door = [
            f"{int(r.n)}{' buurtgenoten' if i == 0 else ''} {words.buurt_in(r.buurt)}"
            for i, r in enumerate(part[part["groep"] == "C"].itertuples())
        ]
        claims += [
            _claim("opzet", "respondents", "equals", "respondents",
                   rows_key(buurt=r.buurt, groep="C", wave=wave), int(r.n), f"n={int(r.n)}")
            for r in part[part["groep"] == "C"].itertuples()
        ]  # fmt: skip
        for groep, listed in (("E", app), ("C", door)):  # every group of the wave is named
            claims.append(
                _claim("opzet", "respondents", "count", "respondents",
                       rows_key(groep=groep, wave=wave), len(listed))
            )  # fmt: skip
        text = ""
        if app:
            text = _sentence(
                f"bij de {label.lower()} vulden {join_nl(app)} de vragenlijst in na de oproep "
                f"in hun appgroep"
            )
        if door:
            text += " " + _sentence(
                f"aan de deur werkten {join_nl(door)} mee die zelf niet aan een "
                f"veiligheidsappgroep deelnemen"
            )
        paragraphs.append(text.strip())
    return paragraphs


def demographic_findings(
    demographics: pd.DataFrame,
    tests: pd.DataFrame,
    words: Words,
    waves: Mapping[str, str],
    age_labels: Sequence[str],
    alpha: float = ALPHA,
    claims: list[Claim] | None = None,
) -> list[str]:
    """Gender, age and household of the groups, and whether E and C differ on them.

    ``claims``, when given, gets the claims behind the sentences (on
    ``demographics`` and ``demographics_tests``).
    """
    claims = [] if claims is None else claims
    paragraphs = []
    women = demographics[demographics["kenmerk"] == "Vrouw"]
    e_women = women[women["groep"] == "E"]
    c_women = women[women["groep"] == "C"]
    if len(e_women):
        majority = int((e_women["pct"] > 50).sum())
        n_cells = len(e_women)
        if majority == n_cells:
            lead = (
                "in alle experimentele groepen zijn de vrouwen in de meerderheid, bij elke meting"
            )
        elif majority == 0:
            lead = "in geen van de experimentele groepen zijn de vrouwen in de meerderheid"
        else:
            lead = (
                f"in {number_word(majority)} van de {number_word(n_cells)} combinaties van "
                f"experimentele groep en meting zijn de vrouwen in de meerderheid"
            )
        top = e_women.loc[e_women["pct"].idxmax()]
        e_rows, c_rows = rows_key(kenmerk="Vrouw", groep="E"), rows_key(kenmerk="Vrouw", groep="C")
        claims += [
            _claim("opzet", "demographics.women", "count", "demographics", e_rows, n_cells),
            _claim("opzet", "demographics.women", "count", "demographics", e_rows, majority,
                   "pct>50"),
            _claim("opzet", "demographics.women", "superlative", "demographics", e_rows,
                   rows_key(buurt=top["buurt"], wave=top["wave"]), "max pct"),
            _claim("opzet", "demographics.women", "max", "demographics", e_rows,
                   float(top["pct"]), "pct"),
        ]  # fmt: skip
        if len(c_women):
            claims += [
                _claim("opzet", "demographics.women", "min", "demographics", c_rows,
                       float(c_women["pct"].min()), "pct"),
                _claim("opzet", "demographics.women", "max", "demographics", c_rows,
                       float(c_women["pct"].max()), "pct"),
            ]  # fmt: skip
        text = _sentence(
            f"{lead}; het grootste aandeel vrouwen is {nl_pct(top['pct'])}, "
            f"{words.buurt_in(top['buurt'])} bij de {waves[top['wave']].lower()}"
        )
        if len(c_women):
            text += " " + _sentence(
                f"in de controlegroepen ligt het aandeel vrouwen tussen "
                f"{nl_pct(c_women['pct'].min())} en {nl_pct(c_women['pct'].max())}"
            )
        paragraphs.append(text)
    age = demographics[demographics["kenmerk"] == "gemiddelde_leeftijdscategorie"]
    if len(age):
        merged = age[age["groep"] == "E"].merge(
            age[age["groep"] == "C"], on=["buurt", "wave"], suffixes=("_e", "_c")
        )
        older = int((merged["mean_e"] > merged["mean_c"]).sum())
        claims.append(
            _claim("opzet", "demographics.age", "pairs", "demographics",
                   rows_key(kenmerk="gemiddelde_leeftijdscategorie"), f"{older}/{len(merged)}",
                   "mean[groep=E]>mean[groep=C] per buurt,wave")
        )  # fmt: skip
        text = _sentence(
            f"de gemiddelde leeftijdscategorie van {words.groepen['E']['people']} ligt in "
            f"{part_of(older, len(merged), 'vergelijking', 'vergelijkingen')} "
            f"hoger dan die van {words.groepen['C']['people']}"
        )
        nearest = []
        for buurt, part in age.groupby("buurt", sort=False):
            mean = (part["mean"] * part["base"]).sum() / part["base"].sum()
            label = age_labels[min(max(round(mean), 0), len(age_labels) - 1)]
            claims.append(
                _claim("opzet", "demographics.age", "mean", "demographics",
                       rows_key(kenmerk="gemiddelde_leeftijdscategorie", buurt=buurt),
                       float(mean), "mean weighted base")
            )  # fmt: skip
            nearest.append(f"{words.buurt_in(buurt)} bij {label} ({nl_number(mean)})")
        text += " " + _sentence(
            f"over alle groepen en metingen ligt het gemiddelde het dichtst {join_nl(nearest)}"
        )
        paragraphs.append(text)
    if len(tests):
        sig = tests[tests["p"] < alpha]
        names = {
            "geslacht": "geslacht",
            "samenwonend": "samenwonen",
            "inwonende_kinderen": "inwonende kinderen",
            "leeftijdscategorie": "leeftijd",
        }
        claims += [
            _claim("opzet", "demographics.tests", "count", "demographics_tests", "", len(tests)),
            _claim("opzet", "demographics.tests", "count", "demographics_tests", "", len(sig),
                   "p<alpha"),
            *(_claim("opzet", "demographics.tests", "significant", "demographics_tests",
                     rows_key(kenmerk=r.kenmerk, buurt=r.buurt, wave=r.wave), r.p, "p")
              for r in sig.itertuples()),
        ]  # fmt: skip
        if sig.empty:
            text = _sentence(
                f"geen van de {len(tests)} verschillen tussen experimentele groep en "
                f"controlegroep in geslacht, leeftijd en gezinssituatie is significant "
                f"(chi-kwadraattoets; voor leeftijd een t-toets)"
            )
        else:
            listed = join_nl(
                f"{names.get(r.kenmerk, r.kenmerk)} {words.buurt_in(r.buurt)} bij de "
                f"{waves[r.wave].lower()} ({p_is(r.p)})"
                for r in sig.itertuples()
            )
            what = (
                "tussen experimentele groep en controlegroep in geslacht, leeftijd en "
                "gezinssituatie"
            )
            found = part_of(len(sig), len(tests), f"verschil {what}", f"verschillen {what}", "het")
            text = _sentence(f"{found} {'zijn' if len(sig) > 1 else 'is'} significant: {listed}")
        paragraphs.append(text)
    return paragraphs


def reliability_note(reliability: Mapping[str, object], study: Mapping[str, object]) -> str:
    """The footnote on Cronbach's alpha, per wave."""
    parts = []
    for wave in study["waves"]:
        rows = [r for r in reliability["rows"] if r["wave_id"] == wave["id"]]
        if rows:
            parts.append(
                f"bij de {wave['label'].lower()} "
                + join_nl(f"{r['scale'].lower()} {nl_no_zero(r['alpha'])}" for r in rows)
            )
    below = [r for r in reliability["rows"] if r["below"]]
    verdict = (
        f"alle waarden liggen boven de vuistregel van {nl_no_zero(study['min_alpha'])}, dus de "
        f"stellingen vormen betrouwbare schalen"
        if not below
        else f"{count(len(below), 'waarde ligt', 'waarden liggen')} onder de vuistregel "
        f"van {nl_no_zero(study['min_alpha'])}: "
        + join_nl(f"{r['scale'].lower()} bij de {r['wave'].lower()}" for r in below)
    )
    return capitalise(f"Cronbach's alpha (\u03b1): {'; '.join(parts)}. {capitalise(verdict)}.")


def age_scale(options: Sequence[object]) -> str:
    """The coding of the age question: ``"0 = 18-25 jaar, 1 = 26-35 jaar, ... en 6 = ..."``."""
    return join_nl(f"{o.code} = {o.label}" for o in options)
