"""The statistical constants of the study, defined once.

The experiment report fixes these choices; every module that tests, prints a
confidence interval or computes a detectable effect imports them from here
instead of writing its own copy.

- :data:`ALPHA` (0.05): the significance level. Every test in the report is
  two-sided at alpha = .05 (Student's t for the means, the z-test for
  proportions, the difference-in-differences terms); a result with
  p < .05 is "significant".
- :data:`NS_ALPHA` (0.05): the threshold of the printed "n.s.". The report
  prints "n.s." for a p-value of .05 or more (p >= .05), so a printed "n.s."
  stands for p >= NS_ALPHA and a printed value for p < NS_ALPHA. It equals
  :data:`ALPHA` because the report prints "n.s." exactly where it does not
  reject.
- :data:`CONFIDENCE` (0.95): the level of every confidence interval (the CIs
  of means, of Cohen's d, of differences of proportions, Feldt's CI of
  Cronbach's alpha, the CIs in the figures): 95%, the two-sided complement of
  :data:`ALPHA`.
- :data:`POWER` (0.80): the power of the minimum detectable effect
  (``mde_d``): the smallest |d| a two-sided test at :data:`ALPHA` detects with
  probability .80, the conventional power the report uses.
"""

from __future__ import annotations

__all__ = ["ALPHA", "CI_LEVEL", "CONFIDENCE", "MDE_POWER", "NS_ALPHA", "POWER"]

#: Significance level of every (two-sided) test in the report.
ALPHA: float = 0.05
#: A printed "n.s." means p >= NS_ALPHA; a printed p-value means p < NS_ALPHA.
NS_ALPHA: float = ALPHA
#: Level of every confidence interval (tables, figures, reliability).
CONFIDENCE: float = 0.95
#: Power of the minimum detectable effect ``mde_d``.
POWER: float = 0.80

#: Alias of :data:`CONFIDENCE` (the name the report modules use).
CI_LEVEL: float = CONFIDENCE
#: Alias of :data:`POWER` (the name the report modules use).
MDE_POWER: float = POWER
