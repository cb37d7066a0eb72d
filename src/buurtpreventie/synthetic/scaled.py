"""A SYNTHETIC study of any size: N buurten x W waves x R respondents, plus chats.

The shipped study is two buurten calibrated to the published tables. A
municipality that runs the design in every neighbourhood, or a national monitor,
has far more data; this generator writes such a study so that the pipeline's
speed and the report's readability can be measured at that scale
(``benchmarks/scaled_study.py``). Nothing here is calibrated: the answers come
from a simple latent model with a buurt effect, a person effect that persists
across waves (so the panel links), and an effect of the app group after the
baseline.

Everything is written in the real formats, so the pipeline reads it exactly as
it reads the shipped data:

- ``codebook.yaml``: the shipped codebook with question 1 offering the N
  buurten and question 14 their N app groups;
- ``survey/<wave>.csv``: one SurveyMonkey export per wave;
- ``chat/<group>.txt``: one WhatsApp export per app group, and
  ``chat/coded_segments.csv`` (MAXQDA), ``roster.yaml``, ``judgements.yaml``;
- ``config.yaml``: a config overlay for ``snakemake --configfile``.

Usage::

    python -m buurtpreventie.synthetic.scaled --buurten 100 --waves 5 \\
        --respondents 2000 --messages 10000000 --out scaled

Generation is vectorised with numpy (written by hand: no library draws
questionnaire answers under skip logic), so that a million respondents take
about a minute rather than an hour.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from buurtpreventie.survey.codebook import Codebook, Question, load_codebook
from buurtpreventie.synthetic.export_writer import DATE_FORMAT, export_layout

__all__ = [
    "Scale",
    "scaled_codebook",
    "survey_wave",
    "write_chat",
    "write_scaled_study",
]

APP_COLLECTOR = "100000001"
DOOR_COLLECTOR = "100000002"
FIRST_FIELDWORK = dt.date(2020, 6, 1)
EXPERIMENT = {"start": "2020-09-01", "end": "2021-09-01"}
CHAT_START = dt.datetime(2019, 9, 1)
CHAT_END = dt.datetime(2022, 9, 1)
HEADER = "# SYNTHETIC scaled study written by python -m buurtpreventie.synthetic.scaled;\n"


@dataclass(frozen=True)
class Scale:
    """The size of a scaled study.

    Attributes
    ----------
    buurten : int
        Number of buurten, each with one app group and one chat.
    waves : int
        Measurement waves; the first is the baseline.
    respondents : int
        Respondents per buurt per wave (half via the app, half door to door).
    messages : int
        Chat messages over all groups together.
    report_buurten : int
        How many buurten the report's main chapters show (the first ones).
    seed : int
    """

    buurten: int = 100
    waves: int = 5
    respondents: int = 2000
    messages: int = 10_000_000
    report_buurten: int = 2
    seed: int = 20260601

    @property
    def total_respondents(self) -> int:
        return self.buurten * self.waves * self.respondents


def buurt_id(index: int) -> str:
    return f"buurt_{index + 1:03d}"


def group_id(index: int) -> str:
    return f"app_{index + 1:03d}"


ORDINALS = ("tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende")


def wave_ids(waves: int) -> list[tuple[str, str, str]]:
    """(id, label, fieldwork month) per wave: the baseline, then one wave a year.

    Labels read in running text ("bij de derde meting"): Dutch ordinals, then numbers.
    """
    out = [("voormeting", "Voormeting", FIRST_FIELDWORK.strftime("%Y-%m"))]
    for k in range(2, waves + 1):
        label = f"{ORDINALS[k - 2].capitalize()} meting" if k - 2 < len(ORDINALS) else f"Meting {k}"
        out.append((f"meting_{k}", label, f"{FIRST_FIELDWORK.year + k - 1}-09"))
    return out


# ----------------------------------------------------------------------------
# Codebook
# ----------------------------------------------------------------------------


def scaled_codebook(raw: dict, buurten: int) -> dict:
    """The shipped codebook (as parsed YAML) with N buurten and N app groups.

    Question 1 (the buurt role) offers ``Buurt 001`` ... plus the
    disqualifying "other buurt" options of the original; question 14 (the
    app-groups role) offers one app group per buurt.
    """
    out = copy.deepcopy(raw)
    roles = out["roles"]
    by_id = {q["id"]: q for q in out["questions"]}
    buurt_question = by_id[roles["buurt"]]
    others = [
        o
        for o in buurt_question["options"]
        if o.get("derive", {}).get("buurt") not in raw["buurten"]
    ]
    buurt_question["options"] = [
        {"label": f"Buurt {i + 1:03d}", "code": i + 1, "derive": {"buurt": buurt_id(i)}}
        for i in range(buurten)
    ] + [{**o, "code": buurten + 1 + k} for k, o in enumerate(others)]
    by_id[roles["app_groups"]]["options"] = [
        {"label": f"Buurtapp {i + 1:03d}", "code": i + 1, "name": group_id(i)}
        for i in range(buurten)
    ]
    out["buurten"] = [buurt_id(i) for i in range(buurten)]
    out["version"] = f"{raw.get('version', '')}-scaled-{buurten}"
    return out


# ----------------------------------------------------------------------------
# Survey answers
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """Who answers one wave: per respondent the buurt, the person and the recruitment."""

    buurt: np.ndarray  # index of the buurt
    person: np.ndarray  # index of the person within the buurt's pool
    app: np.ndarray  # bool: recruited via the app group (experimental)


def draw_sample(rng: np.random.Generator, scale: Scale) -> Sample:
    """R respondents per buurt from a pool of 1.5 R persons, so waves overlap (panel)."""
    pool = int(np.ceil(1.5 * scale.respondents))
    persons = np.concatenate(
        [rng.choice(pool, scale.respondents, replace=False) for _ in range(scale.buurten)]
    )
    buurt = np.repeat(np.arange(scale.buurten), scale.respondents)
    return Sample(buurt=buurt, person=persons, app=persons % 2 == 0)


def _logistic(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-1.7 * z))


def _ordinal(z: np.ndarray, categories: int) -> np.ndarray:
    """Position 0 .. categories-1 from a latent value (higher z, higher category)."""
    return np.minimum((_logistic(z) * categories).astype(np.int64), categories - 1)


@dataclass(frozen=True)
class LatentModel:
    """Effects of the answer model, fixed per study."""

    buurt: np.ndarray  # buurt x indicator
    person: np.ndarray  # buurt x pool x indicator
    treatment: np.ndarray  # buurt x indicator: the app group's effect after the baseline

    @classmethod
    def draw(cls, rng: np.random.Generator, scale: Scale, indicators: int) -> LatentModel:
        pool = int(np.ceil(1.5 * scale.respondents))
        return cls(
            buurt=rng.normal(0.0, 0.3, (scale.buurten, indicators)),
            person=rng.normal(0.0, 0.6, (scale.buurten, pool, indicators)),
            treatment=rng.normal(0.15, 0.15, (scale.buurten, indicators)),
        )


def _indicator_of(codebook: Codebook) -> dict[str, int]:
    """Column id -> index of the indicator it measures."""
    out: dict[str, int] = {}
    for index, indicator in enumerate(codebook.indicators):
        for column in (*codebook.questions_for(indicator), *indicator.items):
            out.setdefault(column, index)
    return out


def _positions(question: Question, labels: Sequence[str]) -> list[int]:
    return [i for i, o in enumerate(question.options) if o.label in labels]


def _answer_positions(
    rng: np.random.Generator,
    question: Question,
    latent: np.ndarray | None,
    reversed_item: bool,
) -> np.ndarray:
    """Option positions for a single-choice question or statement (missing: -1)."""
    n = len(latent) if latent is not None else 0
    valid = [i for i, o in enumerate(question.options) if not o.missing]
    valid.sort(key=lambda i: question.options[i].code)
    noise = rng.normal(0.0, 0.7, n)
    z = noise + (0.0 if latent is None else latent) * (-1 if reversed_item else 1)
    positions = np.asarray(valid)[_ordinal(z, len(valid))]
    missing = [i for i, o in enumerate(question.options) if o.missing]
    if missing:
        positions = np.where(rng.random(n) < 0.03, missing[0], positions)
    return positions


def _fixed_choice(rng: np.random.Generator, question: Question, shares: dict[str, float], n: int):
    labels = list(shares)
    picks = rng.choice(len(labels), n, p=np.asarray(list(shares.values())))
    lookup = np.asarray([_positions(question, [label])[0] for label in labels])
    return lookup[picks]


def survey_wave(
    rng: np.random.Generator,
    codebook: Codebook,
    scale: Scale,
    model: LatentModel,
    wave_index: int,
) -> tuple[Sample, dict[str, np.ndarray]]:
    """Answers of one wave, as option positions per column (-1: empty).

    Single-choice and matrix columns hold the position of the chosen option in
    the codebook; checkbox columns hold 1 (ticked) or -1; open columns -1.
    The questionnaire's skip logic is applied, so every answer is one the
    questionnaire would have asked.
    """
    sample = draw_sample(rng, scale)
    n = len(sample.buurt)
    roles = codebook.roles
    indicator_of = _indicator_of(codebook)
    reversed_items = {i for ind in codebook.indicators for i in ind.reversed_items}
    after_baseline = wave_index > 0
    latent = (
        model.buurt[sample.buurt]
        + model.person[sample.buurt, sample.person]
        + model.treatment[sample.buurt] * (sample.app & after_baseline)[:, None]
    )
    answers: dict[str, np.ndarray] = {}
    for question in codebook.questions:
        if question.type == "open":
            answers[question.id] = np.full(n, -1)
        elif question.type == "checkbox" and question.id != roles["app_groups"]:
            for column in question.column_ids:
                answers[column] = np.where(rng.random(n) < 0.35, 1, -1)
        elif question.type in ("single", "matrix") and question.id not in roles.values():
            for column in question.column_ids:
                index = indicator_of.get(column)
                answers[column] = _answer_positions(
                    rng,
                    question,
                    latent[:, index] if index is not None else np.zeros(n),
                    column in reversed_items,
                )
    answers.update(_role_answers(rng, codebook, sample))
    _apply_skips(codebook, answers)
    return sample, answers


def _role_answers(rng: np.random.Generator, codebook: Codebook, sample: Sample) -> dict:
    """Buurt, app-group membership and recontact: the questions the design depends on."""
    roles = codebook.roles
    n = len(sample.buurt)
    out: dict[str, np.ndarray] = {}
    buurt_q = codebook.question(roles["buurt"])
    other = [
        i for i, o in enumerate(buurt_q.options) if o.derive.get("buurt") not in codebook.buurten
    ]
    out[buurt_q.id] = np.where(rng.random(n) < 0.01, other[0], sample.buurt)
    in_app = codebook.question(roles["in_app_group"])
    out[in_app.id] = np.where(
        sample.app,
        _fixed_choice(rng, in_app, {"Ja": 1.0}, n),
        _fixed_choice(rng, in_app, {"Ja": 0.3, "Nee": 0.7}, n),
    )
    safety = codebook.question(roles["in_safety_app_group"])
    out[safety.id] = np.where(
        sample.app,
        _fixed_choice(rng, safety, {"Ja": 0.98, "Nee": 0.02}, n),
        _fixed_choice(rng, safety, {"Ja": 0.03, "Nee": 0.97}, n),
    )
    groups = codebook.question(roles["app_groups"])
    for i, column in enumerate(groups.column_ids):
        out[column] = np.where(sample.buurt == i, 1, -1)
    recontact = codebook.question(roles["recontact"])
    out[recontact.id] = _fixed_choice(rng, recontact, {"Ja": 0.4, "Nee": 0.6}, n)
    return out


def _apply_skips(codebook: Codebook, answers: dict[str, np.ndarray]) -> None:
    """Empty every answer the questionnaire's skip logic does not ask, in place."""
    order = [q.id for q in codebook.questions]
    for start, question in enumerate(codebook.questions, start=1):
        if not question.skip_answers:
            continue
        skipping = np.isin(answers[question.id], _positions(question, question.skip_answers))
        stop = len(order) if question.skip_to == "end" else order.index(question.skip_to)
        for later in codebook.questions[start:stop]:
            for column in later.column_ids:
                answers[column] = np.where(skipping, -1, answers[column])


def _labels(question: Question, positions: np.ndarray) -> np.ndarray:
    labels = np.asarray([o.label for o in question.options] + [""], dtype=object)
    return labels[np.where(positions < 0, len(question.options), positions)]


def _personal(kind: str, ids: pd.Series) -> pd.Series:
    """Invented contact details; numbers in reserved ranges (example.org, 06-00)."""
    number = ids.astype("int64")
    text = number.astype(str)
    if kind == "name":
        return "Synthetische Bewoner " + text
    if kind == "address":
        return "Voorbeeldstraat " + (number % 400 + 1).astype(str) + ", Rotterdam"
    if kind == "email":
        return "bewoner" + text + "@example.org"
    return "06-00" + (number % 1_000_000).astype(str).str.zfill(6)


def export_frame(
    rng: np.random.Generator,
    codebook: Codebook,
    sample: Sample,
    answers: dict[str, np.ndarray],
    wave_index: int,
    fieldwork: str,
) -> pd.DataFrame:
    """The wave as export cells (text), columns in export order."""
    _, _, keys = export_layout(codebook)
    n = len(sample.buurt)
    first = dt.datetime.fromisoformat(f"{fieldwork}-01")
    start = pd.Series(first).repeat(n).reset_index(drop=True) + pd.to_timedelta(
        rng.integers(0, 28 * 24 * 3600, n), unit="s"
    )
    end = start + pd.to_timedelta(rng.integers(240, 1500, n), unit="s")
    person_key = pd.Series(sample.buurt * 10_000 + sample.person + 1)
    meta = {
        "Respondent ID": pd.Series(11_000_000_000 + wave_index * 100_000_000 + np.arange(n)).astype(
            str
        ),
        "Collector ID": pd.Series(np.where(sample.app, APP_COLLECTOR, DOOR_COLLECTOR)),
        "Start Date": start.dt.strftime(DATE_FORMAT),
        "End Date": end.dt.strftime(DATE_FORMAT),
        "IP Address": "192.0.2." + pd.Series(rng.integers(1, 255, n)).astype(str),
    }
    personal = {q.id: q.personal for q in codebook.questions if q.personal}
    columns = {}
    for position, (kind, key) in enumerate(keys):
        if kind == "meta":
            columns[position] = meta.get(key, pd.Series([""] * n))
        elif kind == "checkbox":
            column, label = key.split("\t")
            columns[position] = pd.Series(np.where(answers[column] > 0, label, ""))
        elif key in personal:
            asked = ~_not_recontacted(codebook, answers)
            columns[position] = _personal(personal[key], person_key).where(asked, "")
        else:
            question = codebook.question(key)
            columns[position] = pd.Series(_labels(question, answers[key]))
    return pd.DataFrame(columns)


def _not_recontacted(codebook: Codebook, answers: dict[str, np.ndarray]) -> np.ndarray:
    """True where the contact questions are not asked (recontact not Ja, or skipped)."""
    recontact = codebook.question(codebook.roles["recontact"])
    return ~np.isin(answers[recontact.id], _positions(recontact, [codebook.roles["recontact_yes"]]))


def write_survey_export(path: Path, frame: pd.DataFrame, codebook: Codebook) -> Path:
    """Write the two header rows and the cells as a comma CSV (SurveyMonkey's form)."""
    headings, subheadings, _ = export_layout(codebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerow(subheadings)
        frame.to_csv(handle, header=False, index=False, lineterminator="\r\n")
    return path


# ----------------------------------------------------------------------------
# Chats
# ----------------------------------------------------------------------------

PHRASES = (
    "Goedenavond buren, alles rustig hier",
    "Verdachte auto met draaiende motor bij de garages",
    "Wie heeft er een pakketje van nummer 12 aangenomen?",
    "Politie is gebeld, ze komen eraan",
    "Dank voor het melden, de wijkagent kijkt ernaar",
    "Let op: de voordeur van de flat staat open",
    "Zaterdag is er een opschoondag in het park",
    "Het is weer opgelost, bedankt iedereen",
)
MEDIA = "<Media weggelaten>"


@dataclass(frozen=True)
class Chat:
    """One written chat: its lines of the coded messages, for the MAXQDA export."""

    group: str
    coded_lines: np.ndarray  # line numbers of messages picked for coding
    coded_texts: list[str]
    members_at_start: int  # members when the experiment starts (as the system lines say)


def _professionals(index: int) -> dict[str, str]:
    """Sender name -> role of the professionals in group ``index``."""
    number = f"{index + 1:03d}"
    return {
        f"Beheerder {number}": "beheerder_gemeente",
        f"Wijkagent {number}": "wijkagent",
        f"Handhaver {number}": "handhaving",
    }


def write_chat(
    path: Path,
    index: int,
    messages: int,
    residents: int,
    rng: np.random.Generator,
    code_share: float = 0.01,
) -> Chat:
    """Write one Android WhatsApp export (Dutch) of ``messages`` messages.

    Residents join by the invitation link just before their first message;
    one in twenty messages is a professional's, one in twenty media, one in
    ten spans two lines.
    """
    professionals = list(_professionals(index))
    span = int((CHAT_END - CHAT_START).total_seconds() // 60)
    minutes = np.sort(rng.integers(60, span, messages))
    stamps = pd.Series(np.datetime64(CHAT_START, "m") + minutes.astype("timedelta64[m]"))
    heads = stamps.dt.strftime("%d-%m-%Y %H:%M").to_numpy()
    senders = rng.integers(0, residents, messages)
    professional = rng.random(messages) < 0.05
    kinds = rng.random(messages)
    phrases = rng.integers(0, len(PHRASES), messages)
    first_seen = np.zeros(residents, dtype=bool)
    admin = professionals[0]
    open_head = CHAT_START.strftime("%d-%m-%Y %H:%M")
    lines = [
        f"{open_head} - Berichten en oproepen zijn end-to-end versleuteld. "
        "Niemand buiten deze chat, zelfs WhatsApp niet, kan ze lezen of beluisteren.",
        f'{open_head} - {admin} heeft de groep "Buurtapp {index + 1:03d}" aangemaakt',
        f"{open_head} - {admin} heeft {professionals[1]} en {professionals[2]} toegevoegd",
    ]
    coded = rng.random(messages) < code_share
    coded_lines, coded_texts = [], []
    # A loop over messages: each line depends on whether its sender has joined yet.
    for i in range(messages):
        head = heads[i]
        if professional[i]:
            sender = professionals[int(senders[i]) % len(professionals)]
        else:
            sender = f"Bewoner {index + 1:03d}-{int(senders[i]):05d}"
            if not first_seen[senders[i]]:
                first_seen[senders[i]] = True
                lines.append(
                    f"{head} - {sender} is lid geworden via de uitnodigingslink van deze groep"
                )
        text = MEDIA if kinds[i] < 0.05 else PHRASES[phrases[i]]
        if coded[i]:
            coded_lines.append(len(lines) + 1)
            coded_texts.append(text)
        lines.append(f"{head} - {sender}: {text}")
        if 0.05 <= kinds[i] < 0.15:
            lines.append("Graag even opletten allemaal")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    experiment_start = np.datetime64(EXPERIMENT["start"], "m")
    joined_before = np.unique(senders[~professional & (stamps.to_numpy() < experiment_start)])
    return Chat(
        group=group_id(index),
        coded_lines=np.asarray(coded_lines),
        coded_texts=coded_texts,
        members_at_start=len(professionals) + len(joined_before),
    )


def coded_segments(
    rng: np.random.Generator, chats: Sequence[Chat], interventions: Sequence[dict]
) -> pd.DataFrame:
    """A MAXQDA "coded segments" export: each picked message gets one intervention code."""
    frames = []
    for chat in chats:
        n = len(chat.coded_lines)
        entry = rng.integers(0, len(interventions), n)
        opposite = rng.random(n) < 0.15
        codes = [
            interventions[e]["codes"]["tegengesteld" if o else "uitgevoerd"]
            for e, o in zip(entry, opposite, strict=True)
        ]
        frames.append(
            pd.DataFrame(
                {
                    "Color": "#42d4f4",
                    "Document group": "Synthetisch",
                    "Document name": chat.group,
                    "Code": codes,
                    "Begin": chat.coded_lines,
                    "End": chat.coded_lines,
                    "Weight score": 0,
                    "Segment": chat.coded_texts,
                    "Created by": "SYN",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# ----------------------------------------------------------------------------
# The whole study
# ----------------------------------------------------------------------------


def scaled_config(
    scale: Scale, out: Path, resources: Path, members: Sequence[int] | None = None
) -> dict:
    """The config overlay that points the pipeline at the scaled study.

    ``members`` are the app groups' members at the experiment's start (from the
    chats); without chats, 1.6 times the respondents per buurt.
    """
    waves = [
        {"id": i, "label": label, "fieldwork": month, "exports": [str(out / "survey" / f"{i}.csv")]}
        for i, label, month in wave_ids(scale.waves)
    ]
    members = list(members or [round(1.6 * scale.respondents)] * scale.buurten)
    groups = [
        {
            "id": group_id(i),
            "buurt": buurt_id(i),
            "export": str(out / "chat" / f"{group_id(i)}.txt"),
        }
        for i in range(scale.buurten)
    ]
    chats: dict = {
        "groups": groups if scale.messages else [],
        "codings": [str(out / "chat" / "coded_segments.csv")],
        "roster": str(out / "chat" / "roster.yaml"),
        "locale": str(resources / "chat" / "whatsapp_nl.yaml"),
        "scheme": str(resources / "interventions.yaml"),
        "judgements": str(out / "chat" / "judgements.yaml"),
        # Four parse jobs whatever the number of chats: two per core on this machine.
        "batch_size": max(1, -(-scale.buurten // 4)),
    }
    config = {
        "study": {
            "title": f"Geschaalde synthetische studie: {scale.buurten} buurten",
            "synthetic": True,
        },
        "report": {
            "buurten": [buurt_id(i) for i in range(min(scale.report_buurten, scale.buurten))]
        },
        "waves": waves,
        "collectors": {APP_COLLECTOR: "app", DOOR_COLLECTOR: "door"},
        "app_groups": [
            {"id": group_id(i), "buurt": buurt_id(i), "members_at_start": members[i]}
            for i in range(scale.buurten)
        ],
        "experiment": dict(EXPERIMENT),
        "codebook": str(out / "codebook.yaml"),
        "published": "",
    }
    if scale.messages:
        config["chats"] = chats
    return config


def _dump(path: Path, data: object, comment: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(HEADER + f"# {comment}\n" + body, encoding="utf-8")
    return path


def write_scaled_study(scale: Scale, out: Path, resources: Path = Path("resources")) -> list[Path]:
    """Write codebook, exports, chats and the config overlay of a scaled study into ``out``."""
    rng = np.random.default_rng(scale.seed)
    raw = yaml.safe_load((resources / "codebook.yaml").read_text(encoding="utf-8"))
    written = [_dump(out / "codebook.yaml", scaled_codebook(raw, scale.buurten), "the codebook")]
    codebook = load_codebook(written[0])
    model = LatentModel.draw(rng, scale, len(codebook.indicators))
    for index, (wave, _label, month) in enumerate(wave_ids(scale.waves)):
        sample, answers = survey_wave(rng, codebook, scale, model, index)
        frame = export_frame(rng, codebook, sample, answers, index, month)
        written.append(write_survey_export(out / "survey" / f"{wave}.csv", frame, codebook))
    members = None
    if scale.messages:
        chats, paths = _write_chats(rng, scale, out, resources)
        written += paths
        members = [chat.members_at_start for chat in chats]
    config = scaled_config(scale, out, resources, members)
    written.append(_dump(out / "config.yaml", config, "config overlay"))
    return written


def _write_chats(
    rng: np.random.Generator, scale: Scale, out: Path, resources: Path
) -> tuple[list[Chat], list[Path]]:
    """One chat per buurt, with twice as many residents as the buurt has respondents per wave."""
    per_group = scale.messages // scale.buurten
    residents = max(20, 2 * scale.respondents)
    chats = [
        write_chat(out / "chat" / f"{group_id(i)}.txt", i, per_group, residents, rng)
        for i in range(scale.buurten)
    ]
    interventions = yaml.safe_load((resources / "interventions.yaml").read_text("utf-8"))
    segments = coded_segments(rng, chats, interventions["interventions"])
    segments_path = out / "chat" / "coded_segments.csv"
    segments.to_csv(segments_path, index=False)
    roster = {name: role for i in range(scale.buurten) for name, role in _professionals(i).items()}
    return chats, [
        *(out / "chat" / f"{c.group}.txt" for c in chats),
        segments_path,
        _dump(out / "chat" / "roster.yaml", roster, "professionals per group"),
        _dump(out / "chat" / "judgements.yaml", {}, "no researchers' judgements: rule scores only"),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    defaults = Scale()
    for name in ("buurten", "waves", "respondents", "messages", "report_buurten", "seed"):
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name)
        )
    parser.add_argument("--resources", type=Path, default=Path("resources"))
    parser.add_argument("--out", type=Path, default=Path("scaled"))
    args = parser.parse_args(argv)
    scale = Scale(
        **{k: getattr(args, k) for k in ("buurten", "waves", "respondents", "messages")},
        report_buurten=args.report_buurten,
        seed=args.seed,
    )
    for path in write_scaled_study(scale, args.out, args.resources):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
