"""The report wing: what a report page shows, run in the notebook's kernel (params, sections,
narrate, frames, tables, terms, htmltext, display, widgets, scorecard, lead, provenance, drafts,
and ``charts/``). Notebooks import
from here only: ``from helpers.report import charts, display, params, sections, widgets``.

May import: the foundation, ``helpers.data`` and ``helpers.method``; never ``helpers.publish`` or
``helpers.cli``.
"""
