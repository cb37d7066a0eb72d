"""The PDF report: results/ in, a Dutch research report out.

The report is a set of Jinja2 templates (``report/templates``) and a print
stylesheet (``report/style.css``), rendered to HTML and by WeasyPrint to PDF.
Nothing in the templates is a result: every number comes from ``results/`` and
every sentence that depends on a result is written by :mod:`.text`.

Stage 6. In: every table and figure under ``results/`` and the resources of
the report; out: ``results/report/rapport.html`` and ``rapport.pdf``. Dutch
number formatting is :mod:`buurtpreventie.dutch` (shared with the published
comparison); nothing below the report imports it.

- :mod:`.text`: Dutch lists, plurals and the generated findings.
- :mod:`.context`: reads ``results/`` and the resources into a template context.
- :mod:`.figures`: the report's own figures (matplotlib, SVG).
- :mod:`.render`: Jinja2 and WeasyPrint, with numbered tables and figures.
- :mod:`.chat_figures`: the figures of the groups' life (members, messages).
- :mod:`.selection`: which buurten the chapters show.
- :mod:`.claims`: the checked claims behind every generated sentence.
- :mod:`.sources`: each caption's provenance for Bijlage B.
"""

__all__: list[str] = []
