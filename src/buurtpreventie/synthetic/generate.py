"""Deterministic generator of the SYNTHETIC study data (SurveyMonkey exports).

The real respondents of the experiment are confidential. This module writes
exports in the real format, one per wave, for respondents that never existed.
It works in two layers:

1. *Plans*: per wave and buurt x groep, how many respondents there are and the
   value of every indicator per respondent (missing included), plus the
   demographics. For the two published waves, :func:`plan_from_calibration`
   takes the indicator values from :mod:`buurtpreventie.synthetic.calibrate`,
   which reproduces every published N, mean, SD, p-value category, Cohen's d
   and Cronbach's alpha exactly; :func:`demographic_plan` reproduces the counts
   of tables 2 and 3. A wave without published targets gets plausible draws
   (:func:`plan_cell`).
2. *Realisation*: :func:`realise_answers` turns one respondent's indicator
   values into answers to the questionnaire that obey its skip logic (for
   example onveiligheidsgevoel 1 becomes "Nee" at question 2 and question 3 is
   skipped). Missing values become "Weet ik niet", a skipped question or item
   non-response, so Ns differ per indicator the way they do in real data.

On top come excluded rows (one or more per exclusion reason), invented contact
details for respondents who agree to be contacted again, and panel members who
answer both waves with the same contact details.

Every personal value is invented (``resources/synthetic/personae.yaml``):
fictional streets, e-mail on the reserved domain example.org, IP addresses from
the documentation ranges.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from buurtpreventie.survey.codebook import Codebook, load_codebook
from buurtpreventie.synthetic.calibrate import Calibration, calibrate_published, sample_cell
from buurtpreventie.synthetic.export_writer import ExportForm, write_export

__all__ = [
    "CellPlan",
    "SyntheticStudy",
    "demographic_plan",
    "generate_study",
    "plan_cell",
    "plan_from_calibration",
    "realise_answers",
]

APP_COLLECTOR = "100000001"
DOOR_COLLECTOR = "100000002"

# Which q1 buurt an app group of Lombardijen belongs to (generator knowledge only).
LOMBARDIJEN_APPS = {
    "Molièrebuurt": "molierebuurt",
    "Homerusbuurt": "zenobuurt",
    "Smeetsland of Karl Marx buurt": "smeets_karlmarx",
}
ESSENBURG_APP = "essenburg"

SCALES = ("sociale_cohesie", "nabijheid_gemeente", "nabijheid_politie")
SINGLE_INDICATORS = (
    "alertheid",
    "meldingsbereidheid",
    "onveiligheidsgevoel",
    "rapportcijfer",
    "sociale_controle",
)
PUBLISHED_NAMES = {"onveilig_voelen": "onveiligheidsgevoel"}


@dataclass
class CellPlan:
    """What one buurt x groep x wave cell must contain.

    ``values[indicator]`` is a list with one entry per respondent (``None`` for
    missing); for scales ``items[scale]`` holds per respondent the six item
    scores in the scale's direction (before reversal), or ``None``.
    """

    wave: str
    buurt: str
    groep: str
    n: int
    values: dict[str, list[float | None]] = field(default_factory=dict)
    items: dict[str, list[list[int] | None]] = field(default_factory=dict)
    demographics: list[dict[str, int | str | None]] = field(default_factory=list)


@dataclass
class SyntheticStudy:
    """All generated records per wave, ready to be written as exports."""

    records: dict[str, list[dict[str, object]]]


def _published(resources: Path, name: str) -> list[dict[str, str]]:
    with (resources / "published" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _discretised_normal(
    rng: np.random.Generator, n: int, mean: float, sd: float, low: int, high: int
) -> np.ndarray:
    return np.clip(np.rint(rng.normal(mean, sd, n)), low, high).astype(int)


def _with_missing(rng: np.random.Generator, values: Sequence[float], n: int) -> list:
    """Place ``values`` among ``n`` respondents; the others get ``None``."""
    slots: list[float | None] = [None] * n
    for position, value in zip(rng.permutation(n)[: len(values)], values, strict=False):
        slots[int(position)] = float(value)
    return slots


def plan_cell(
    rng: np.random.Generator,
    wave: str,
    buurt: str,
    groep: str,
    n: int,
    targets: Mapping[str, tuple[int, float, float]],
    demographics: Mapping[str, float],
) -> CellPlan:
    """Draw plausible indicator values and demographics for one cell.

    Parameters
    ----------
    targets : mapping
        Indicator -> (N, mean, sd) to draw around (the published cell).
    demographics : mapping
        ``p_man``, ``p_samenwonend``, ``p_kinderen``, ``mean_age`` (0-6 coding).
    """
    plan = CellPlan(wave=wave, buurt=buurt, groep=groep, n=n)
    alert_n, alert_mean, alert_sd = targets["alertheid"]
    alert = _discretised_normal(rng, alert_n, alert_mean, alert_sd, 1, 4)
    plan.values["alertheid"] = _with_missing(rng, alert, n)
    asked = [i for i, a in enumerate(plan.values["alertheid"]) if a is not None and a >= 2]
    meld_n, meld_mean, _ = targets["meldingsbereidheid"]
    meld_n = min(meld_n, len(asked))
    meld = (rng.random(meld_n) < meld_mean).astype(int)
    plan.values["meldingsbereidheid"] = [None] * n
    for position, value in zip(rng.permutation(asked)[:meld_n], meld, strict=False):
        plan.values["meldingsbereidheid"][int(position)] = float(value)
    for indicator, (low, high) in (
        ("onveiligheidsgevoel", (1, 4)),
        ("rapportcijfer", (1, 10)),
        ("sociale_controle", (1, 5)),
    ):
        count, mean, sd = targets[indicator]
        plan.values[indicator] = _with_missing(
            rng, _discretised_normal(rng, count, mean, sd, low, high), n
        )
    for scale in SCALES:
        count, mean, sd = targets[scale]
        level = rng.normal(mean, sd, count)
        rows = [
            np.clip(np.rint(level_i + rng.normal(0, 0.7, 6)), 1, 5).astype(int).tolist()
            for level_i in level
        ]
        slots: list[list[int] | None] = [None] * n
        for position, row in zip(rng.permutation(n)[:count], rows, strict=False):
            slots[int(position)] = row
        plan.items[scale] = slots
    plan.demographics = [_draw_demographics(rng, demographics) for _ in range(n)]
    return plan


def _draw_demographics(rng: np.random.Generator, p: Mapping[str, float]) -> dict:
    age = int(np.clip(np.rint(rng.normal(p["mean_age"], 1.3)), 0, 6))
    person = {
        "geslacht": "Man" if rng.random() < p["p_man"] else "Vrouw",
        "leeftijdscategorie": age,
        "samenwonend": int(rng.random() < p["p_samenwonend"]),
        "inwonende_kinderen": int(rng.random() < p["p_kinderen"]),
    }
    for key in person:  # item non-response on each demographic question
        if rng.random() < 0.015:
            person[key] = None
    return person


class _Labels:
    """Answer labels by code, from the codebook (the generator holds no labels)."""

    def __init__(self, codebook: Codebook) -> None:
        self.codebook = codebook

    def __call__(self, column: str, code: int) -> str:
        question = self.codebook.question(column)
        return next(o.label for o in question.options if o.code == code)

    def missing(self, column: str) -> str:
        question = self.codebook.question(column)
        return next(o.label for o in question.options if o.missing)

    def options(self, column: str) -> list[str]:
        return [o.label for o in self.codebook.question(column).options]


def realise_answers(
    rng: np.random.Generator,
    codebook: Codebook,
    buurt_label: str,
    groep: str,
    values: Mapping[str, float | None],
    items: Mapping[str, list[int] | None],
    person: Mapping[str, object],
) -> dict[str, object]:
    """Answers to the questionnaire that give exactly these indicator values.

    Follows the skip logic: questions 5-7 only after question 4 is Vaak, Soms
    or Zelden; question 3 only after question 2 is "Ja"; questions 13-17 only
    for members of an app group.
    """
    label = _Labels(codebook)
    answers: dict[str, object] = {"q1": buurt_label}
    unsafe = values["onveiligheidsgevoel"]
    if unsafe is None:
        if rng.random() < 0.5:
            answers["q2"] = label.missing("q2")
        else:
            answers.update(q2=label("q2", 1), q3=label.missing("q3"))
    elif unsafe == 1:
        answers["q2"] = label("q2", 0)
    else:
        answers.update(q2=label("q2", 1), q3=label("q3", int(unsafe)))
    alert = values["alertheid"]
    if alert is None:
        answers["q4"] = label.missing("q4") if rng.random() < 0.7 else None
    else:
        answers["q4"] = label("q4", int(alert))
    if alert is not None and alert >= 2:
        situations = codebook.question("q5").options
        ticked = rng.random(len(situations)) < [0.55, 0.45, 0.35, 0.4]
        if not ticked.any():
            ticked[int(rng.integers(len(situations)))] = True
        for option, tick in zip(situations, ticked, strict=True):
            answers[f"q5_{option.name}"] = bool(tick)
        answers["q6"] = label.options("q6")[int(rng.choice(3, p=[0.55, 0.4, 0.05]))]
        report = values["meldingsbereidheid"]
        if report is None:
            answers["q7"] = label.missing("q7") if rng.random() < 0.6 else None
        else:
            answers["q7"] = label("q7", int(report))
    grade = values["rapportcijfer"]
    answers["q8"] = label.missing("q8") if grade is None else label("q8", int(grade))
    control = values["sociale_controle"]
    answers["q9_7"] = None if control is None else label("q9_7", int(control))
    for scale in SCALES:
        indicator = codebook.indicator(scale)
        row = items[scale]
        if row is None:  # fewer statements answered than a scale score needs
            answered = rng.choice(6, size=int(rng.integers(0, 4)), replace=False)
            row = [int(rng.integers(1, 6)) if i in answered else None for i in range(6)]
        for column, value in zip(indicator.items, row, strict=True):
            if value is None:
                answers[column] = None
                continue
            code = 6 - value if column in indicator.reversed_items else value
            answers[column] = label(column, int(code))
    answers.update(_membership(rng, label, buurt_label, groep))
    answers.update(_demographic_answers(label, person))
    return answers


def _membership(rng: np.random.Generator, label: _Labels, buurt_label: str, groep: str) -> dict:
    if groep == "E":
        app = LOMBARDIJEN_APPS.get(buurt_label, ESSENBURG_APP)
        answers: dict[str, object] = {"q12": label("q12", 1), "q13": label("q13", 1)}
        answers[f"q14_{app}"] = True
        if app != ESSENBURG_APP and rng.random() < 0.08:  # some read two Lombardijen groups
            other = [a for a in LOMBARDIJEN_APPS.values() if a != app]
            answers[f"q14_{other[int(rng.integers(2))]}"] = True
        answers["q15"] = label.options("q15")[int(rng.choice(3, p=[0.3, 0.45, 0.25]))]
        answers["q16"] = label.options("q16")[int(rng.choice(4, p=[0.55, 0.3, 0.1, 0.05]))]
        answers["q17"] = label.options("q17")[int(rng.choice(4, p=[0.05, 0.25, 0.35, 0.35]))]
        return answers
    # Control: not in a safety app group. Some are in another app group of the buurt.
    choice = rng.choice(3, p=[0.2, 0.75, 0.05])
    if choice == 1:
        return {"q12": label("q12", 0)}
    return {"q12": label.options("q12")[0 if choice == 0 else 2], "q13": label("q13", 0)}


def _demographic_answers(label: _Labels, person: Mapping[str, object]) -> dict:
    answers: dict[str, object] = {"q18": person.get("geslacht")}
    age = person.get("leeftijdscategorie")
    answers["q19"] = None if age is None else label("q19", int(age))
    together, children = person.get("samenwonend"), person.get("inwonende_kinderen")
    if together is None or children is None:
        answers["q20"] = None
    else:
        answers["q20"] = label("q20", 1 + 2 * int(together) + int(children))
    return answers


# ----------------------------------------------------------------------------
# Metadata, contact details, excluded rows and the panel
# ----------------------------------------------------------------------------


class _Personae:
    """Invented names, addresses, e-mail addresses and phone numbers."""

    def __init__(self, resources: Path, rng: np.random.Generator) -> None:
        with (resources / "synthetic" / "personae.yaml").open(encoding="utf-8") as handle:
            self.data = yaml.safe_load(handle)
        self.rng = rng
        self.used: set[str] = set()

    def _pick(self, key: str) -> str:
        values = self.data[key]
        return str(values[int(self.rng.integers(len(values)))])

    def contact(self) -> dict[str, str]:
        while True:
            first, last = self._pick("first_names"), self._pick("last_names")
            number = int(self.rng.integers(10, 9999))
            local = f"{first}.{last}".lower().replace(" ", "") + str(number)
            if local not in self.used:
                self.used.add(local)
                break
        street = f"{self._pick('streets')} {int(self.rng.integers(1, 240))}"
        postcode = f"30{int(self.rng.integers(10, 99))} {self._pick('postcode_letters')}"
        phone = "06-" + "".join(str(int(d)) for d in self.rng.integers(0, 10, 8))
        return {
            "q22": f"{first} {last}",
            "q23": f"{street}, {postcode} {self.data['city']}",
            "q24": f"{local}@{self.data['email_domain']}",
            "q25": phone,
        }

    def ip(self) -> str:
        return f"{self._pick('ip_prefixes')}{int(self.rng.integers(1, 255))}"


def _metadata(
    rng: np.random.Generator,
    personae: _Personae,
    respondent_id: int,
    collector: str,
    fieldwork: str,
) -> dict[str, object]:
    year, month = (int(x) for x in fieldwork.split("-"))
    start = dt.datetime(year, month, 1, 9, 0, 0) + dt.timedelta(
        days=int(rng.integers(0, 28)), minutes=int(rng.integers(0, 11 * 60))
    )
    end = start + dt.timedelta(seconds=int(rng.integers(4 * 60, 12 * 60)))
    return {
        "Respondent ID": str(respondent_id),
        "Collector ID": collector,
        "Start Date": start,
        "End Date": end,
        "IP Address": personae.ip(),
    }


def _excluded_records(
    rng: np.random.Generator, codebook: Codebook, reasons: Mapping[str, int]
) -> list[tuple[str, dict[str, object]]]:
    """(collector, answers) for rows that the pipeline must exclude, per reason."""
    label = _Labels(codebook)
    rows: list[tuple[str, dict[str, object]]] = []
    neutral = {"q2": label("q2", 0), "q4": label("q4", 1), "q8": label("q8", 7)}
    for reason, count in reasons.items():
        for _ in range(count):
            if reason == "lege_respons":
                rows.append((APP_COLLECTOR if rng.random() < 0.5 else DOOR_COLLECTOR, {}))
            elif reason == "buurt_onbekend":
                rows.append((DOOR_COLLECTOR, dict(neutral)))
            elif reason == "buurt_gediskwalificeerd":
                rows.append((APP_COLLECTOR, {"q1": label("q1", 5)}))
            elif reason == "deur_in_appgroep":
                answers = {"q1": label("q1", 4), **neutral}
                answers.update(q12=label("q12", 1), q13=label("q13", 1), q14_essenburg=True)
                rows.append((DOOR_COLLECTOR, answers))
            elif reason == "app_niet_in_appgroep":
                answers = {"q1": label("q1", 1), **neutral, "q12": label("q12", 1)}
                answers["q13"] = label("q13", 0)
                rows.append((APP_COLLECTOR, answers))
    return rows


# ----------------------------------------------------------------------------
# The study
# ----------------------------------------------------------------------------

BUURT_LABELS = {
    "lombardijen": list(LOMBARDIJEN_APPS),
    "essenburgbuurt": ["Essenburgbuurt"],
}
EXCLUDED_PER_WAVE = {
    "lege_respons": 3,
    "buurt_onbekend": 1,
    "buurt_gediskwalificeerd": 4,
    "deur_in_appgroep": 2,
    "app_niet_in_appgroep": 5,
}
PANEL = {
    ("lombardijen", "E"): 9,
    ("essenburgbuurt", "E"): 9,
    ("lombardijen", "C"): 28,
    ("essenburgbuurt", "C"): 11,
}
RECONTACT_AT_BASELINE = 216


def _targets(resources: Path) -> dict[tuple[str, str, str], dict[str, tuple[int, float, float]]]:
    targets: dict[tuple[str, str, str], dict[str, tuple[int, float, float]]] = {}
    for row in _published(resources, "tabel6.csv"):
        key = (row["wave"], row["buurt"].lower(), row["groep"])
        indicator = PUBLISHED_NAMES.get(row["indicator"], row["indicator"])
        targets.setdefault(key, {})[indicator] = (
            int(row["n"]),
            float(row["mean"]),
            float(row["sd"]),
        )
    return targets


def _demographic_targets(resources: Path) -> dict[tuple[str, str, str], dict[str, float]]:
    result: dict[tuple[str, str, str], dict[str, float]] = {}
    for name in ("tabel2.csv", "tabel3.csv"):
        for row in _published(resources, name):
            key = (row["wave"], row["buurt"].lower(), row["groep"])
            cell = result.setdefault(key, {})
            if row["kenmerk"] == "Man":
                cell["p_man"] = float(row["pct"]) / 100
            elif row["kenmerk"] == "Samenwonend":
                cell["p_samenwonend"] = float(row["pct"]) / 100
            elif row["kenmerk"] == "Inwonende kinderen":
                cell["p_kinderen"] = float(row["pct"]) / 100
            elif row["kenmerk"] == "gemiddelde_leeftijdscategorie":
                cell["mean_age"] = float(row["value"])
    return result


def _cell_sizes(resources: Path) -> dict[tuple[str, str, str], int]:
    return {
        (row["wave"], row["buurt"].lower(), row["groep"]): int(row["n"])
        for row in _published(resources, "tabel1.csv")
        if row["measure"] == "respondenten"
    }


def _planned_answers(
    rng: np.random.Generator, codebook: Codebook, plan: CellPlan, index: int
) -> dict[str, object]:
    """The answers of respondent ``index`` of a plan, in one of the buurt's neighbourhoods."""
    labels = BUURT_LABELS[plan.buurt]
    buurt_label = labels[int(rng.integers(len(labels)))]
    values = {k: plan.values[k][index] for k in SINGLE_INDICATORS}
    items = {k: plan.items[k][index] for k in SCALES}
    person = plan.demographics[index]
    return realise_answers(rng, codebook, buurt_label, plan.groep, values, items, person)


def generate_study(
    resources: Path,
    codebook: Codebook,
    seed: int,
    waves: Sequence[tuple[str, str]] = (("voormeting", "2020-06"), ("nameting", "2021-09")),
) -> SyntheticStudy:
    """Generate every wave's records.

    Parameters
    ----------
    resources : Path
        The ``resources/`` folder (published targets, personae).
    codebook : Codebook
    seed : int
        Seed of the random generator: the same seed gives the same study.
    waves : sequence of (wave id, fieldwork YYYY-MM)
    """
    rng = np.random.default_rng(seed)
    calibration = calibrate(resources, rng)
    margins = demographic_margins(resources)
    personae = _Personae(resources, rng)
    sizes, targets, demo = (
        _cell_sizes(resources),
        _targets(resources),
        _demographic_targets(resources),
    )
    used_ids: set[int] = set()

    def new_id() -> int:
        while True:
            candidate = int(rng.integers(11_000_000_000, 11_999_999_999))
            if candidate not in used_ids:
                used_ids.add(candidate)
                return candidate

    records: dict[str, list[dict[str, object]]] = {}
    baseline_contacts: dict[tuple[str, str], list[dict[str, str]]] = {}
    for wave_index, (wave, fieldwork) in enumerate(waves):
        wave_records: list[dict[str, object]] = []
        for (size_wave, buurt, groep), n in sorted(sizes.items()):
            if size_wave != wave:
                continue
            cell = (wave, buurt, groep)
            if ("alertheid", buurt, groep, wave) in calibration.values:
                plan = plan_from_calibration(rng, calibration, wave, buurt, groep, n)
                plan.demographics = demographic_plan(rng, n, margins[cell])
            else:
                plan = plan_cell(rng, wave, buurt, groep, n, targets[cell], demo[cell])
            collector = APP_COLLECTOR if groep == "E" else DOOR_COLLECTOR
            returning = baseline_contacts.get((buurt, groep), []) if wave_index > 0 else []
            for index in range(n):
                answers = _planned_answers(rng, codebook, plan, index)
                record = _metadata(rng, personae, new_id(), collector, fieldwork)
                record.update(answers, _cell=(buurt, groep))
                if index < len(returning):
                    record.update(q21="Ja", **_reformatted(rng, returning[index]))
                wave_records.append(record)
        for collector, answers in _excluded_records(rng, codebook, EXCLUDED_PER_WAVE):
            record = _metadata(rng, personae, new_id(), collector, fieldwork)
            record.update(answers)
            wave_records.append(record)
        if wave_index == 0:
            baseline_contacts = _recontact(rng, personae, wave_records)
        else:
            _recontact(rng, personae, wave_records, share=0.35)
        order = rng.permutation(len(wave_records))
        records[wave] = [wave_records[int(i)] for i in order]
    return SyntheticStudy(records=records)


# A third wave (the report recommends one): the experimental groups improve on
# two indicators compared with the second wave; everything else stays put.
EXTRA_WAVE = {
    "wave": "derde_meting",
    "fieldwork": "2022-09",
    "seed": 20220901,
    "like": "nameting",
    "improvements": {"rapportcijfer": 0.6, "meldingsbereidheid": 0.12},
    "collectors": {APP_COLLECTOR: "100000003", DOOR_COLLECTOR: "100000004"},
    "returning": {
        ("lombardijen", "E"): 7,
        ("essenburgbuurt", "E"): 6,
        ("lombardijen", "C"): 15,
        ("essenburgbuurt", "C"): 6,
    },
    # The third questionnaire words question 8 differently and adds a question.
    "renamed": {"q8": "Welk rapportcijfer geeft u de veiligheid in uw buurt, van 1 tot en met 10?"},
    "extra_question": "Heeft u het afgelopen jaar een bijeenkomst van de appgroep bezocht?",
}


def generate_extra_wave(
    resources: Path,
    codebook: Codebook,
    base_seed: int,
    spec: Mapping[str, object] = EXTRA_WAVE,
) -> tuple[list[dict[str, object]], ExportForm]:
    """Records of an extra wave after the two published ones, and the form to write them in.

    Cell sizes and distributions follow the wave named ``like`` (plausible draws,
    no calibration: there is nothing published to match); the experimental groups
    score higher by ``improvements`` on two indicators. Some respondents of the
    earlier waves (``returning`` per cell) answer again with the same contact
    details, so the panel links over three waves. The questionnaire differs a
    little: question 8 is reworded (the codebook knows the wording as an alias)
    and one question is new (the pipeline warns and ignores it).
    """
    base = generate_study(resources, codebook, base_seed)
    rng = np.random.default_rng(int(spec["seed"]))
    personae = _Personae(resources, rng)
    earlier: dict[tuple[str, str], list[dict[str, str]]] = {}
    for records in base.records.values():
        for record in records:
            if record.get("q21") == "Ja" and record.get("_cell"):
                contact = {k: str(record.get(k) or "") for k in ("q22", "q23", "q24", "q25")}
                earlier.setdefault(record["_cell"], []).append(contact)
                personae.used.add(contact["q24"].strip().lower().split("@")[0])
    like = str(spec["like"])
    sizes = {k[1:]: n for k, n in _cell_sizes(resources).items() if k[0] == like}
    targets, demo = _targets(resources), _demographic_targets(resources)
    wave, fieldwork = str(spec["wave"]), str(spec["fieldwork"])
    improvements: Mapping[str, float] = spec["improvements"]  # type: ignore[assignment]
    collectors: Mapping[str, str] = spec["collectors"]  # type: ignore[assignment]
    records: list[dict[str, object]] = []
    next_id = iter(rng.permutation(np.arange(12_000_000_000, 12_000_100_000))[:10_000])
    for (buurt, groep), n in sorted(sizes.items()):
        cell_targets = dict(targets[(like, buurt, groep)])
        if groep == "E":
            for indicator, shift in improvements.items():
                count, mean, sd = cell_targets[indicator]
                cell_targets[indicator] = (count, mean + shift, sd)
        plan = plan_cell(rng, wave, buurt, groep, n, cell_targets, demo[(like, buurt, groep)])
        pool = earlier.get((buurt, groep), [])
        chosen = [
            pool[int(i)]
            for i in rng.permutation(len(pool))[: spec["returning"].get((buurt, groep), 0)]
        ]
        for index in range(n):
            answers = _planned_answers(rng, codebook, plan, index)
            collector = collectors[APP_COLLECTOR if groep == "E" else DOOR_COLLECTOR]
            record = _metadata(rng, personae, int(next(next_id)), collector, fieldwork)
            record.update(answers, _cell=(buurt, groep))
            if index < len(chosen):
                record.update(q21="Ja", **_reformatted(rng, chosen[index]))
            records.append(record)
    for collector, answers in _excluded_records(rng, codebook, EXCLUDED_PER_WAVE):
        record = _metadata(rng, personae, int(next(next_id)), collectors[collector], fieldwork)
        record.update(answers)
        records.append(record)
    _recontact(rng, personae, records, share=0.35)
    records = [records[int(i)] for i in rng.permutation(len(records))]
    visited = ["Ja" if rng.random() < 0.2 else "Nee" for _ in records]
    form = ExportForm(
        renamed=dict(spec["renamed"]), extra_questions={str(spec["extra_question"]): visited}
    )
    return records, form


def _included_cell(record: Mapping[str, object]) -> tuple[str, str] | None:
    return record.get("_cell")  # type: ignore[return-value]


def _recontact(
    rng: np.random.Generator,
    personae: _Personae,
    records: list[dict[str, object]],
    share: float | None = None,
) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Ask question 21 and add invented contact details to those who say "Ja".

    At the baseline exactly :data:`RECONTACT_AT_BASELINE` included respondents
    agree; the panel members who answer again are drawn from them per cell.
    """
    candidates = [i for i, r in enumerate(records) if _included_cell(r) and "q21" not in r]
    if share is None:
        agree = set(int(i) for i in rng.choice(candidates, RECONTACT_AT_BASELINE, replace=False))
    else:
        agree = {i for i in candidates if rng.random() < share}
    panel: dict[tuple[str, str], list[dict[str, str]]] = {}
    for i in candidates:
        if i not in agree:
            records[i]["q21"] = "Nee"
            continue
        contact = personae.contact()
        if rng.random() < 0.15:  # some leave no e-mail address, only a phone number
            contact["q24"] = ""
        records[i].update(q21="Ja", **contact)
        panel.setdefault(_included_cell(records[i]), []).append(contact)
    return {
        cell: [contacts[int(j)] for j in rng.permutation(len(contacts))[: PANEL[cell]]]
        for cell, contacts in panel.items()
    }


def _reformatted(rng: np.random.Generator, contact: Mapping[str, str]) -> dict[str, str]:
    """The same person's details as typed again a year later (case, spacing, +31)."""
    again = dict(contact)
    if again["q24"] and rng.random() < 0.3:
        again["q24"] = " " + again["q24"].upper()
    if rng.random() < 0.3:
        again["q25"] = "+31 6 " + again["q25"][3:]
    return again


def write_study(study: SyntheticStudy, codebook: Codebook, out: Path) -> list[Path]:
    """Write one comma-separated export per wave: ``out/<wave>.csv``."""
    return [
        write_export(out / f"{wave}.csv", rows, codebook) for wave, rows in study.records.items()
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m buurtpreventie.synthetic --seed N --out DIR``."""
    import argparse

    parser = argparse.ArgumentParser(description="Write the synthetic SurveyMonkey exports.")
    parser.add_argument("--seed", type=int, default=20200601, help="random seed (default 20200601)")
    parser.add_argument("--resources", type=Path, default=Path("resources"))
    parser.add_argument("--out", type=Path, default=Path("resources/survey"))
    parser.add_argument(
        "--extra-wave",
        action="store_true",
        help="write only the example third wave (derde_meting.csv), see config/examples/",
    )
    args = parser.parse_args(argv)
    codebook = load_codebook(args.resources / "codebook.yaml")
    if args.extra_wave:
        records, form = generate_extra_wave(args.resources, codebook, args.seed)
        path = write_export(args.out / f"{EXTRA_WAVE['wave']}.csv", records, codebook, form)
        print(f"wrote {path}")
        return
    study = generate_study(args.resources, codebook, args.seed)
    for path in write_study(study, codebook, args.out):
        print(f"wrote {path}")


# ----------------------------------------------------------------------------
# Calibrated plans: the published tables, cell for cell
# ----------------------------------------------------------------------------


def calibrate(resources: Path, rng: np.random.Generator) -> Calibration:
    """Indicator vectors that reproduce published tables 4 and 6 (see calibrate.py)."""
    return calibrate_published(
        _published(resources, "tabel4.csv"), _published(resources, "tabel6.csv"), rng
    )


# How each indicator moves with a respondent's worry about safety in the buurt
# (generator knowledge only): worried residents see more, feel less safe, give a
# lower grade and a less favourable view of cohesion and the authorities.
WORRY_DIRECTION = {
    "alertheid": 1.0,
    "meldingsbereidheid": 0.5,
    "onveiligheidsgevoel": 1.0,
    "rapportcijfer": -1.0,
    "sociale_controle": -0.5,
    "sociale_cohesie": -0.6,
    "nabijheid_gemeente": -0.4,
    "nabijheid_politie": -0.4,
}


def _place(
    rng: np.random.Generator,
    worry: np.ndarray,
    direction: float,
    candidates: Sequence[int],
    count: int,
) -> list[int]:
    """Pick ``count`` of ``candidates`` at random and order them by (noisy) worry.

    Giving the sorted values of a cell to respondents in this order keeps the
    cell's values exactly, but makes indicators correlate as in real data.
    """
    chosen = rng.permutation(np.asarray(candidates, dtype=int))[:count]
    key = direction * worry[chosen] + rng.normal(0.0, 1.0, len(chosen))
    return [int(i) for i in chosen[np.argsort(key, kind="stable")]]


def plan_from_calibration(
    rng: np.random.Generator,
    calibration: Calibration,
    wave: str,
    buurt: str,
    groep: str,
    n: int,
) -> CellPlan:
    """Spread the calibrated values of one cell over its ``n`` respondents.

    An indicator with N below ``n`` leaves the other respondents missing; the
    realisation turns that into a skipped question, "Weet ik niet" or item
    non-response. Meldingsbereidheid goes only to respondents whose alertheid
    is 2 or more, because question 7 is only asked then. Values are handed out
    along a latent worry per respondent (:data:`WORRY_DIRECTION`), so that the
    indicators correlate plausibly; each cell keeps its calibrated values.
    """
    plan = CellPlan(wave=wave, buurt=buurt, groep=groep, n=n)
    worry = rng.normal(0.0, 1.0, n)
    for indicator in SINGLE_INDICATORS:
        values = np.sort(calibration.values[(indicator, buurt, groep, wave)])
        candidates = range(n)
        if indicator == "meldingsbereidheid":
            alert = plan.values["alertheid"]
            candidates = [i for i, a in enumerate(alert) if a is not None and a >= 2]
            if len(values) > len(candidates):
                raise ValueError(
                    f"{wave} {buurt} {groep}: more meldingsbereidheid answers than asked"
                )
        slots: list[float | None] = [None] * n
        order = _place(rng, worry, WORRY_DIRECTION[indicator], candidates, len(values))
        for position, value in zip(order, values, strict=True):
            slots[position] = float(value)
        plan.values[indicator] = slots
    for scale in SCALES:
        rows = calibration.items[(scale, buurt, groep, wave)]
        rows = rows[np.argsort(rows.sum(axis=1), kind="stable")]
        item_slots: list[list[int] | None] = [None] * n
        order = _place(rng, worry, WORRY_DIRECTION[scale], range(n), len(rows))
        for position, row in zip(order, rows, strict=True):
            item_slots[position] = [int(v) for v in row]
        plan.items[scale] = item_slots
    return plan


def demographic_margins(resources: Path) -> dict[tuple[str, str, str], dict[str, float]]:
    """Per wave x buurt x groep: counts of tables 2-3 (consistent reading) and mean age."""
    cells: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for name in ("tabel2.csv", "tabel3.csv"):
        for row in _published(resources, name):
            cells.setdefault((row["wave"], row["buurt"].lower(), row["groep"]), []).append(row)
    margins: dict[tuple[str, str, str], dict[str, float]] = {}
    for key, rows in cells.items():
        by = {r["kenmerk"]: r for r in rows}
        alone, together = int(by["Alleenstaand"]["count"]), int(by["Samenwonend"]["count"])
        household_base = alone + together
        children = int(by["Inwonende kinderen"]["count"])
        if int(by["Geen inwonende kinderen"]["count"]) + children != household_base:
            children = round(float(by["Inwonende kinderen"]["pct"]) / 100 * household_base)
        margins[key] = {
            "man": int(by["Man"]["count"]),
            "vrouw": int(by["Vrouw"]["count"]),
            "samenwonend": together,
            "household_base": household_base,
            "inwonende_kinderen": children,
            "mean_age": float(by["gemiddelde_leeftijdscategorie"]["value"]),
        }
    return margins


def _ages(rng: np.random.Generator, base: int, n: int, mean: float) -> np.ndarray:
    """Age categories whose mean prints as ``mean``, answered by about ``base`` respondents.

    The report does not print how many answered the age question. Not every
    base can give the printed mean (2,33 is no multiple of 1/53), so the
    nearest base from ``base`` towards ``n`` that can is used.
    """
    for offset in range(n):
        for candidate in (base + offset, base - offset):
            if 1 < candidate <= n:
                try:
                    return sample_cell(candidate, mean, 1.45, 0, 6, rng, label="leeftijd")
                except ValueError:
                    continue
    raise ValueError(f"no number of respondents up to {n} gives mean age {mean}")


def demographic_plan(
    rng: np.random.Generator, n: int, margins: Mapping[str, float]
) -> list[dict[str, int | str | None]]:
    """Demographics for ``n`` respondents with exactly the published counts.

    Gender: ``man`` and ``vrouw`` respondents, the rest did not answer. The
    household question (20) is answered by ``household_base`` respondents, of
    whom ``samenwonend`` live together and ``inwonende_kinderen`` have children
    at home. Age (0-6 coding) is answered by about as many respondents as
    gender, with a mean that prints as the published one.
    """
    people: list[dict[str, int | str | None]] = [
        {
            "geslacht": None,
            "leeftijdscategorie": None,
            "samenwonend": None,
            "inwonende_kinderen": None,
        }
        for _ in range(n)
    ]
    men, women = int(margins["man"]), int(margins["vrouw"])
    order = rng.permutation(n)
    for rank, index in enumerate(order[: men + women]):
        people[int(index)]["geslacht"] = "Man" if rank < men else "Vrouw"
    ages = _ages(rng, men + women, n, margins["mean_age"])
    for index, age in zip(rng.permutation(n)[: len(ages)], ages, strict=True):
        people[int(index)]["leeftijdscategorie"] = int(age)
    base = int(margins["household_base"])
    answering = rng.permutation(n)[:base]
    together = np.zeros(base, dtype=int)
    together[: int(margins["samenwonend"])] = 1
    # Children live more often with couples: sort the children towards them, with noise.
    together = rng.permutation(together)
    weights = together + rng.random(base) * 1.5
    children_order = np.argsort(-weights, kind="stable")
    with_children = np.zeros(base, dtype=int)
    with_children[children_order[: int(margins["inwonende_kinderen"])]] = 1
    for index, t, c in zip(answering, together, with_children, strict=True):
        people[int(index)]["samenwonend"] = int(t)
        people[int(index)]["inwonende_kinderen"] = int(c)
    return people
