"""Stage 5, the published report: reproduced tables against the printed ones.

In: the results tables of the survey and statistics stages, and the published
tables as CSV (``resources/published/``). Out: ``published_vs_reproduced``
(each printed cell, the reproduced value and whether it prints the same) and
``audit`` (the internal consistency of the printed cells: GRIM, GRIMMER, the
p-values against their statistics). Imports the core and the statistics, never
the report; the synthetic generator uses :mod:`.attainable` to calibrate.

- :mod:`.attainable`: which means and SDs a cell of N integer answers can have.
- :mod:`.comparison`: the published-versus-reproduced table.
- :mod:`.audit`: the audit of the printed tables.
"""
