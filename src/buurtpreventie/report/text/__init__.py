"""Dutch sentences written from the results: lists, plurals and the findings.

Every sentence of the report that depends on a result is made here, from the
results tables, so that other data gives other, still correct, text. The
helpers (:func:`join_nl`, :func:`count`, :func:`plural`) get Dutch lists
("a, b en c") and plurals right; the ``*_findings`` functions turn a results
table into structured findings and paragraphs.

One module per chapter or theme, re-exported here: :mod:`.words` (number
words, plurals, lists, ``words.yaml``), :mod:`.design` (chapter 2),
:mod:`.baseline`, :mod:`.interventions` and :mod:`.changes` (chapter 3),
:mod:`.robustness` (what the original report did not do), :mod:`.conclusion`
(chapter 4, the discussion, the summary), :mod:`.buurten` (studies of many
buurten) and :mod:`.appendix` (the bijlagen).

Every sentence that states or presumes a result comes with the
:class:`~buurtpreventie.report.claims.Claim` objects it rests on (the
``claims`` of each finding); :func:`buurtpreventie.report.claims.check_claims`
recomputes them from the tables, apart from this module, and the report rule
fails on a false one. Size words ("klein", "groot") come only from the
effect-size convention (:func:`~buurtpreventie.report.claims.size_word`).

Significance is judged as the report did: Student's t (column ``p``) at
:data:`ALPHA`. A comparison that involves a small cell (``indicators.small_cell``)
is not judged: the report suppresses its means.
"""

from __future__ import annotations

# ALPHA (significance level), MDE_POWER (power of mde_d) and CI_LEVEL (level of
# the CIs) are the study's constants, re-exported here under the report's names.
from buurtpreventie.constants import ALPHA, CI_LEVEL, MDE_POWER
from buurtpreventie.report.text.appendix import (
    AUDIT_CHECKS,
    FLOW_TOTAL,
    STATISTIC_NAMES,
    flow_cell_label,
    flow_others_label,
    no_published_findings,
    skip_phrase,
    source_name,
)
from buurtpreventie.report.text.baseline import BaselineFindings, baseline_findings
from buurtpreventie.report.text.buurten import (
    all_buurten_findings,
    groups_findings,
    places,
    selection_findings,
)
from buurtpreventie.report.text.changes import ChangeFindings, change_findings
from buurtpreventie.report.text.conclusion import (
    discussion_findings,
    hypothesis_findings,
    plain_summary,
    subquestion_answers,
    summary_findings,
    verdict_findings,
)
from buurtpreventie.report.text.design import (
    age_scale,
    demographic_findings,
    reliability_note,
    respondent_findings,
)
from buurtpreventie.report.text.interventions import (
    activity_findings,
    intervention_findings,
    judged_scores,
    member_findings,
)
from buurtpreventie.report.text.robustness import (
    chance_findings,
    chance_scope_note,
    did_findings,
    panel_design,
    panel_findings,
    power_findings,
)
from buurtpreventie.report.text.words import (
    SHOWN,
    Words,
    buurt_names,
    capitalise,
    chance_phrase,
    count,
    in_every_buurt,
    join_nl,
    load_words,
    number_word,
    p_is,
    part_is,
    part_of,
    plural,
    study_words,
)

__all__ = [
    "ALPHA",
    "AUDIT_CHECKS",
    "CI_LEVEL",
    "FLOW_TOTAL",
    "MDE_POWER",
    "SHOWN",
    "STATISTIC_NAMES",
    "BaselineFindings",
    "ChangeFindings",
    "Words",
    "activity_findings",
    "age_scale",
    "all_buurten_findings",
    "baseline_findings",
    "buurt_names",
    "capitalise",
    "chance_findings",
    "chance_phrase",
    "chance_scope_note",
    "change_findings",
    "count",
    "demographic_findings",
    "did_findings",
    "discussion_findings",
    "flow_cell_label",
    "flow_others_label",
    "groups_findings",
    "hypothesis_findings",
    "in_every_buurt",
    "intervention_findings",
    "join_nl",
    "judged_scores",
    "load_words",
    "member_findings",
    "no_published_findings",
    "number_word",
    "p_is",
    "panel_design",
    "panel_findings",
    "part_is",
    "part_of",
    "places",
    "plain_summary",
    "plural",
    "power_findings",
    "reliability_note",
    "respondent_findings",
    "selection_findings",
    "skip_phrase",
    "source_name",
    "study_words",
    "subquestion_answers",
    "summary_findings",
    "verdict_findings",
]
