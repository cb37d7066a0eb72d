"""Reproducible pipeline for the Rotterdam WhatsApp-buurtpreventie field experiment.

The package holds the logic; the Snakemake rules in ``workflow/rules`` call it
through thin adapters in ``scripts/``. Modules by stage:

- :mod:`buurtpreventie.codebook`   the questionnaire as data (``resources/codebook.yaml``)
- :mod:`buurtpreventie.exports`    reading SurveyMonkey exports (CSV, XLSX)
- :mod:`buurtpreventie.ingest`     from an export to coded, pseudonymised respondents
- :mod:`buurtpreventie.derive`     buurt, groep, exclusions, demographics, indicators
- :mod:`buurtpreventie.pseudonym`  keyed pseudonyms for panel linkage
- :mod:`buurtpreventie.describe`   respondent counts and indicator descriptives
"""

__version__ = "0.1.0"
