"""Stage 1, the survey: SurveyMonkey exports in, coded respondents out.

In: a wave's exports (CSV, XLSX or SPSS ``.sav``, as listed under ``waves`` in
``config.yaml``) and the codebook (``resources/codebook.yaml``). Out: one row
per included respondent with buurt, groep, demographics, the eight indicators
and a keyed panel pseudonym (``results/survey/<wave>.respondents.parquet``),
the respondent flow that accounts for every raw row, and the descriptives of
tables 1 to 4 and 6. Imports only the core modules.

- :mod:`.codebook`: the questionnaire as data.
- :mod:`.exports`: reading an export in any of its variants.
- :mod:`.ingest`: from an export to coded, pseudonymised respondents.
- :mod:`.derive`: buurt, groep, exclusions, demographics, indicators.
- :mod:`.pseudonym`: keyed pseudonyms for linking the panel.
- :mod:`.describe`: respondent counts and indicator descriptives.
"""
