"""The data wing: a plan's files read, checked, loaded and written (plan, schema, readers, workbook,
coerce, validate, load, geos, template, assessments, extract* — a plan's text drafted into targets —,
fileio, locks — every lock of the project).

May import: the standard library, pandas/pandera/openpyxl/filelock (and jinja2 for the draft's review page), and the foundation
(``helpers.exceptions``, ``helpers.paths``, ``helpers.vocab``, ``helpers.formats``); never
``helpers.method``, ``helpers.report``, ``helpers.publish`` or ``helpers.cli``.
"""
