"""Stage 2-3, the statistics: respondents in, reliability and comparisons out.

In: the respondents of every wave (from :mod:`buurtpreventie.survey`) and the
codebook. Out: the tables ``reliability``, ``baseline``, ``prepost``,
``demographics_tests``, ``panel``, ``attrition``, ``did`` and ``hypothesis``
under ``results/tables/``. The statistical constants (alpha, power, the CI
level) come from :mod:`buurtpreventie.constants`. Imports the core and the
survey stage, never the report.

- :mod:`.reliability`: Cronbach's alpha per scale and wave (pingouin).
- :mod:`.cellstats`: tests from cell summaries (N, M, SD) and proportions.
- :mod:`.compare`: baseline E vs C, before/after per group, multiple testing.
- :mod:`.panel`: paired comparisons of the respondents in two waves.
- :mod:`.models`: ANCOVA and the difference-in-differences (statsmodels).
- :mod:`.verdict`: the verdict on the hypothesis, by ``resources/stats/verdict.yaml``.
"""
