"""Reproducible pipeline for the Rotterdam WhatsApp-buurtpreventie field experiment.

The package holds the logic; the Snakemake rules in ``workflow/rules`` call it
through thin adapters in ``scripts/``. Subpackages follow the stages of the
workflow, and none imports a later stage:

- :mod:`buurtpreventie.survey`     SurveyMonkey exports -> coded respondents, descriptives
- :mod:`buurtpreventie.stats`      reliability, comparisons, difference-in-differences, verdict
- :mod:`buurtpreventie.chat`       WhatsApp exports and MAXQDA codes -> table 5
- :mod:`buurtpreventie.published`  reproduced vs printed tables, and their audit
- :mod:`buurtpreventie.report`     results -> the Dutch PDF report
- :mod:`buurtpreventie.synthetic`  synthetic exports and result sets for tests
- :mod:`buurtpreventie.checks`     config, run folder and export checks

The core, used by every stage: :mod:`.constants` (statistical constants),
:mod:`.registry` (every table and figure), :mod:`.adapter` (scripts' I/O),
:mod:`.errors`, :mod:`.provenance`, :mod:`.codepaths`, :mod:`.inspection`,
:mod:`.printed` and :mod:`.dutch` (how numbers print), and :mod:`.cli`.
"""

__version__ = "0.1.0"
