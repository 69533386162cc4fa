"""helpers — track a government plan's quantitative targets against what actually happened.

The package is laid out in wings, one folder each, that import only downwards (after OWID's
etl and papermill):

- foundation, here: ``exceptions`` (typed errors), ``paths`` (default locations), ``vocab``
  (the generic vocabularies with zh/en labels), ``formats`` (numbers and targets as text);
- ``helpers.data``: a plan's files read, checked, loaded, written, locked;
- ``helpers.method``: the gap-to-target arithmetic (tables in, tables out);
- ``helpers.report``: what a report page shows, run in the notebook kernel (notebooks import
  from here only: ``from helpers.report import charts, display, params, sections, widgets``);
- ``helpers.publish``: rendering and publishing dated report sets;
- ``helpers.cli``: the command line, every command handler.

Each wing's ``__init__.py`` says what it holds and what it may import; ``tests/test_layers.py``
checks the rule on every import. The README's package table lists every module.
"""

__version__ = "0.1.0"
