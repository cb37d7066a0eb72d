"""Dutch words and helpers: number words, plurals, lists, the report's words (words.yaml)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from buurtpreventie.constants import ALPHA
from buurtpreventie.dutch import nl_no_zero, nl_number, nl_p
from buurtpreventie.report.claims import Claim, rows_key
from buurtpreventie.yamlio import load_yaml

_WORDS = (
    "nul",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
    "twintig",
)

Small = frozenset[tuple[str, str, str, str]]


# --- helpers ---------------------------------------------------------------------------


def join_nl(items: Iterable[str], conjunction: str = "en") -> str:
    """A Dutch list: ``["a", "b", "c"]`` -> ``"a, b en c"`` (no comma before *en*)."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def number_word(n: int) -> str:
    """A count in words up to twenty (``3`` -> ``"drie"``, ``1`` -> ``"één"``), else digits."""
    n = int(n)
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def part_of(part: int, whole: int, one: str, many: str, article: str = "de") -> str:
    """How many of a whole, in words that read well at the ends too.

    ``part_of(3, 5, "vergelijking", "vergelijkingen")`` -> ``"drie van de vijf
    vergelijkingen"``; all of them: ``"beide vergelijkingen"``, ``"alle zes
    vergelijkingen"``, ``"de enige vergelijking"`` (``article`` for a
    het-word); none: ``"geen van de vijf vergelijkingen"``, ``"geen enkele
    vergelijking"`` (of one; ``"geen enkel verschil"`` for a het-word). Never "vier van de
    vier".
    """
    part, whole = int(part), int(whole)
    if whole == 1:
        return (
            f"{article} enige {one}"
            if part
            else f"geen {'enkel' if article == 'het' else 'enkele'} {one}"
        )
    if part == whole:
        return f"beide {many}" if whole == 2 else f"alle {number_word(whole)} {many}"
    if part == 0:
        return f"geen van de {number_word(whole)} {many}"
    return f"{number_word(part)} van de {number_word(whole)} {many}"


def part_is(
    part: int, whole: int, one: str, many: str, verb_one: str, verb_many: str, article: str = "de"
) -> str:
    """:func:`part_of` with its verb, as the opening of a sentence.

    ``part_is(3, 32, "verschil", "verschillen", "ligt", "liggen")`` -> ``"drie van de 32
    verschillen liggen"``; a count written in digits does not open the sentence:
    ``part_is(24, 32, ...)`` -> ``"van de 32 verschillen liggen er 24"``. The verb
    agrees: ``"geen van de ... ligt"``, ``"alle ... liggen"``, ``"één van de ... ligt"``.
    """
    verb = verb_many if int(part) > 1 else verb_one
    if 0 < int(part) < int(whole) and number_word(part) == str(int(part)):
        return f"van de {number_word(whole)} {many} {verb} er {int(part)}"
    return f"{part_of(part, whole, one, many, article)} {verb}"


def plural(n: int, one: str, many: str) -> str:
    """``one`` for exactly one, else ``many`` (Dutch uses the plural for zero too)."""
    return one if int(n) == 1 else many


def count(n: int, one: str, many: str, zero: str | None = None) -> str:
    """A count with its noun: ``count(3, "indicator", "indicatoren")`` -> ``"drie indicatoren"``.

    ``zero`` replaces the whole phrase for zero (``"geen enkele indicator"``);
    without it zero is ``"geen <many>"``.
    """
    n = int(n)
    if n == 0:
        return zero if zero is not None else f"geen {many}"
    return f"{number_word(n)} {plural(n, one, many)}"


def capitalise(text: str) -> str:
    """The first letter in upper case, the rest untouched ("één" becomes "Eén", as in Dutch)."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:] if text else text


def p_is(p: float) -> str:
    """A p-value in running text: ``p = ,007`` or ``p < ,001``."""
    printed = nl_p(p, None)
    return f"p {printed[0]} {printed[1:]}" if printed.startswith("<") else f"p = {printed}"


def _sentence(text: str) -> str:
    text = capitalise(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."


def _significant(p: object, alpha: float = ALPHA) -> bool:
    return p is not None and not (isinstance(p, float) and math.isnan(p)) and float(p) < alpha


def _sign(value: float) -> int:
    return 1 if value > 0 else -1 if value < 0 else 0


def _claim(
    section: str, sentence: str, kind: str, table: str, rows: str, value: object, asserts: str = ""
) -> Claim:
    """A claim; ``value`` as a plain Python number or text (for claims.csv)."""
    if hasattr(value, "item"):
        value = value.item()
    return Claim(section, sentence, kind, table, rows, value, asserts)


def _row_claims(
    section: str,
    sentence: str,
    table: str,
    row,
    keys: Mapping[str, str],
    column: str,
    sign_of: str,
    alpha: float,
) -> list[Claim]:
    """Significant (with its direction) or not: the claims behind one judged comparison."""
    rows = rows_key(**keys)
    p = getattr(row, column)
    if _significant(p, alpha):
        return [
            _claim(section, sentence, "significant", table, rows, p, column),
            _claim(section, sentence, "direction", table, rows, _sign(getattr(row, sign_of)),
                   sign_of),
        ]  # fmt: skip
    return [_claim(section, sentence, "not_significant", table, rows, p, column)]


def chance_phrase(n_sig: int, tests: int, alpha: float) -> str:
    """``"door toeval verwacht je er bij 32 toetsen ongeveer 1,6; dat is meer dan dat"``."""
    expected = alpha * tests
    compare = "meer dan" if n_sig > expected else "niet meer dan"
    return (
        f"door toeval alleen verwacht je er bij {tests} toetsen ongeveer "
        f"{nl_number(expected, 1)}, dus dat is {compare} toeval doet verwachten"
    )


def _chance_claims(section, sentence, table, rows, n_sig, tests, alpha, column="p"):
    """The count set against the chance expectation, as claims (see :func:`chance_phrase`)."""
    kind = "above_chance" if n_sig > alpha * tests else "at_most_chance"
    return [
        _claim(section, sentence, "count", table, rows, n_sig, f"{column}<alpha"),
        _claim(section, sentence, "chance", table, rows, alpha * tests, column),
        _claim(section, sentence, kind, table, rows, n_sig, column),
    ]


def _in_order(column: Iterable[str], order: Sequence[str] = ()) -> list[str]:
    """The buurten of a column, in ``order`` where given, else as they first come."""
    present = list(dict.fromkeys(column))
    return [b for b in order if b in present] + [b for b in present if b not in order]


def _scoped(scope: str) -> str:
    return f"{scope} " if scope else ""


def in_every_buurt(buurten: Sequence[str], words: Words, scope: str = "") -> str:
    """``"in beide buurten"``, ``"in alle getoonde buurten"``, or the one buurt (``"in X"``).

    ``scope`` is an adjective for buurten that are a selection (``"getoonde"``).
    """
    if len(buurten) == 1:
        return words.buurt_in(buurten[0])
    return f"in {'beide' if len(buurten) == 2 else 'alle'} {_scoped(scope)}buurten"


#: The ``scope`` of :func:`in_every_buurt` when the chapters show a selection of the buurten.
SHOWN = "getoonde"


# --- words -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """The words of ``resources/report/words.yaml`` plus the codebook's labels."""

    buurten: Mapping[str, Mapping[str, str]]
    groepen: Mapping[str, Mapping[str, str]]
    indicators: Mapping[str, Mapping[str, object]]
    scores: Mapping[str, Mapping[str, str]]
    ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    subquestions: Sequence[Mapping[str, str]] = ()
    verdicts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def noun(self, indicator: str) -> str:
        """The indicator in running text (``"de meldingsbereidheid"``)."""
        return str(self.indicators[indicator]["noun"])

    def phrase(self, indicator: str, direction: int) -> str:
        """What a higher (``direction > 0``) or lower score means, as a verb phrase."""
        return str(self.indicators[indicator]["higher" if direction > 0 else "lower"])

    def better(self, indicator: str) -> int:
        """+1 when a higher score is the aim, -1 when a lower one is."""
        return int(self.indicators[indicator]["better"])

    def mean(self, indicator: str, value: object) -> str:
        """A mean as the report prints it: no leading zero on a 0-1 scale."""
        high = self.ranges.get(indicator, (1.0, 10.0))[1]
        return nl_no_zero(value) if high <= 1 else nl_number(value)

    def buurt_in(self, buurt: str) -> str:
        """``"in de Essenburgbuurt"``."""
        return str(self.buurten[buurt]["in"])

    def cell(self, buurt: str, groep: str) -> str:
        """``"Lombardijen-E"``, as the report labels a group in table 6."""
        return f"{self.buurten[buurt]['name']}-{self.groepen[groep]['short']}"

    def buurt_name(self, buurt: str) -> str:
        """The buurt with its article, as a sentence names it (``"de Essenburgbuurt"``).

        The article is data (``article`` in ``words.yaml``); a buurt without
        that field takes the one its ``in`` phrase has.
        """
        entry = self.buurten[buurt]
        if "article" in entry:
            return f"{entry['article']} {entry['name']}".strip()
        return self.buurt_in(buurt).removeprefix("in ")

    def inverted(self, indicator: str, direction: int, subject: str) -> str:
        """The phrase with the verb before the subject, for a sentence that opens with
        an adverbial (Dutch verb-second): ``"voelen appdeelnemers zich vaker onveilig"``.

        The phrases of ``words.yaml`` open with their finite verb.
        """
        verb, _, rest = self.phrase(indicator, direction).partition(" ")
        return f"{verb} {subject} {rest}".strip()

    def fronted(self, front: str, subject: str, items: Sequence[tuple[str, int]]) -> str:
        """A sentence opening with ``front`` about ``items`` (indicator, direction).

        ``fronted("in beide buurten", "appdeelnemers", [("onveiligheidsgevoel", 1),
        ("rapportcijfer", -1)])`` -> ``"in beide buurten voelen appdeelnemers zich vaker
        onveilig in hun eigen buurt en geven ze de veiligheid in hun buurt een lager
        rapportcijfer"``: the verb comes second, and each later phrase repeats the
        subject as "ze" (no subject dropped after inversion).
        """
        parts = [self.inverted(i, d, subject if k == 0 else "ze") for k, (i, d) in enumerate(items)]
        return f"{front} {join_nl(parts)}"

    def with_buurten(self, buurten: Mapping[str, Mapping[str, str]]) -> Words:
        """The same words with these buurt names (see :func:`buurt_names`)."""
        return replace(self, buurten=dict(buurten))


def _short(name: str) -> str:
    """A short label of a buurt name: initials and numbers (``"Buurt 001"`` -> ``"B001"``)."""
    parts = re.findall(r"[^\W\d_]+|\d+", name)
    return "".join(p if p.isdigit() else p[0].upper() for p in parts) or name


def buurt_names(
    buurten: Sequence[str],
    options: Sequence[object],
    named: Mapping[str, Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """A name for every buurt of the study: ``words.yaml``'s, else the codebook's.

    Parameters
    ----------
    buurten : sequence of str
        The study's buurten (the codebook's ``buurten``), in order.
    options : sequence of Option
        The options of the buurt question (``codebook.roles["buurt"]``); an
        option's ``derive["buurt"]`` says which buurt it stands for.
    named : mapping
        The buurten ``resources/report/words.yaml`` names (``name``, ``in``,
        ``short``); they are kept as they are.

    Returns
    -------
    dict
        Buurt -> ``{"name", "article", "in", "short"}``, in the order of ``buurten``. A
        buurt that words.yaml does not name is called by the label of the one
        option that derives it ("Buurt 001"), else by its id, without an
        article; ``in`` is
        ``"in "`` + name, ``short`` its initials and numbers (the name itself
        where two shorts would be the same).
    """
    names: dict[str, dict[str, str]] = {}
    for buurt in buurten:
        if buurt in named:
            names[buurt] = {k: str(v) for k, v in named[buurt].items()}
            continue
        labels = [
            str(o.label)
            for o in options
            if (getattr(o, "derive", None) or {}).get("buurt") == buurt
        ]
        name = labels[0] if len(labels) == 1 else buurt
        names[buurt] = {"name": name, "article": "", "in": f"in {name}", "short": _short(name)}
    shorts = [n["short"] for n in names.values()]
    for buurt, entry in names.items():
        if buurt not in named and shorts.count(entry["short"]) > 1:
            entry["short"] = entry["name"]
    return names


def study_words(words: Words, codebook: object) -> Words:
    """``words`` with a name for every buurt of the codebook (:func:`buurt_names`)."""
    options = codebook.question(codebook.roles["buurt"]).options
    return words.with_buurten(buurt_names(codebook.buurten, options, words.buurten))


def load_words(path: str | Path, ranges: Mapping[str, tuple[float, float]] | None = None) -> Words:
    """Read ``resources/report/words.yaml``; ``ranges`` are the indicators' scales (codebook)."""
    with open(path, encoding="utf-8") as handle:
        raw = load_yaml(handle)
    return Words(
        buurten=raw["buurten"],
        groepen=raw["groepen"],
        indicators=raw["indicators"],
        scores=raw["scores"],
        ranges=dict(ranges or {}),
        subquestions=list(raw.get("subquestions", [])),
        verdicts=dict(raw.get("verdicts", {})),
    )
