"""The method wing: the arithmetic of gap-to-target (kinds, gapinputs, gaps, verdicts, summaries,
coverage, measures, succession);
tables in, tables out, nothing printed or drawn.

May import: the foundation and ``helpers.data``; never ``helpers.report``, ``helpers.publish`` or
``helpers.cli``.
"""
