"""The PDF report: results/ in, a Dutch research report out.

The report is a set of Jinja2 templates (``report/templates``) and a print
stylesheet (``report/style.css``), rendered to HTML and by WeasyPrint to PDF.
Nothing in the templates is a result: every number comes from ``results/`` and
every sentence that depends on a result is written by :mod:`.text`.

- :mod:`.format`: Dutch number formatting (decimal comma, ``,77``, ``<,001``).
- :mod:`.text`: Dutch lists, plurals and the generated findings.
- :mod:`.context`: reads ``results/`` and the resources into a template context.
- :mod:`.figures`: the report's own figures (matplotlib, SVG).
- :mod:`.render`: Jinja2 and WeasyPrint, with numbered tables and figures.
"""

__all__: list[str] = []
