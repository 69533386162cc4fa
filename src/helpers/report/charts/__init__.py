"""Charts: one function per chart, each returning a matplotlib Figure (``plots``), the pieces of
a trajectory chart (``parts``, ``context``), layout (``layout``) and the shared look (``style``,
``fonts``). Part of the report wing (same imports allowed).

The chart functions are re-exported here: ``charts.plot_trajectory(...)``.
"""

from helpers.report.charts.plots import *  # noqa: F401,F403  (the public chart functions)
from helpers.report.charts.plots import __all__  # noqa: F401
from helpers.report.charts.succession import plot_across_plans  # noqa: F401,E402  (issue 21: across two plans)
