"""Interactive exploration in JupyterLab: switch area / target and method without re-running.

:func:`area_explorer` (notebook 02) and :func:`indicator_explorer` (notebook 03) build an
ipywidgets box: a Dropdown, method ToggleButtons, an ``HTML`` widget (narrative and tables from
:mod:`helpers.sections`, already escaped) and ``Image`` widgets holding the charts as PNG.
:func:`explore` shows one only when the notebook runs interactively: with ``interactive=False``
(the report renderer, papermill) or without ipywidgets it displays nothing and returns ``None``,
so the static charts stand.

Why no ``Output`` widget: when a notebook is executed by nbclient (papermill, nbval), an Output
widget that is written to during execution makes nbclient send widget updates on the shell
socket while it waits for the cell's reply on the same socket, which intermittently stalls the
cell until its timeout (jupyter/nbclient#312). Widget values (HTML text, PNG bytes) travel only
from the kernel to the front end, so the defaults stay safe to run unattended.
"""

from __future__ import annotations

import importlib.util
from typing import Callable

from helpers import narrate, sections
from helpers.params import Context
from helpers.vocab import METHOD_LABELS, METHODS, label


def available() -> bool:
    """True when ipywidgets can be imported."""
    return importlib.util.find_spec("ipywidgets") is not None


def figure_png(fig) -> bytes:
    """PNG bytes of a Figure, which is then closed (never shown twice)."""
    import matplotlib.pyplot as plt

    from helpers.narrate import figure_png as _png

    png = _png(fig)
    plt.close(fig)
    return png


def _method_buttons(ctx: Context):
    import ipywidgets as w

    return w.ToggleButtons(options=[(label(METHOD_LABELS[m], ctx.lang), m) for m in METHODS], value=ctx.method,
                           description=narrate.t("方法", "Method", ctx.lang))


def _images(figures) -> list:
    import ipywidgets as w

    return [w.Image(value=figure_png(f), format="png", layout=w.Layout(max_width="100%"))
            for f in figures]


def area_view(ctx: Context, area: str, method: str) -> tuple[str, list]:
    """(HTML, figures) the area explorer shows: heading, narrative, table, one chart per target."""
    html = (f"<h2>{narrate.esc(ctx.plan.area_label(area, ctx.lang))}</h2>"
            + sections.area_intro_html(ctx, area, method) + sections.area_table_html(ctx, area, method))
    figures = [sections.trajectory_figure(ctx, ind, method) for ind in sections.area_ids(ctx, area)]
    return html, figures


def indicator_view(ctx: Context, indicator_id: str, method: str) -> tuple[str, list]:
    """(HTML, figures) the indicator explorer shows: gap table for ``method`` and projection."""
    rows = sections.target_rows(ctx, indicator_id, method)
    html = (f"<h3>{narrate.esc(narrate.names(rows.head(1), ctx.lang).iloc[0])}</h3>"
            + narrate.gap_by_year_table(rows, None, ctx.lang)
            + sections.indicator_projection_html(ctx, indicator_id, method))
    return html, [sections.trajectory_figure(ctx, indicator_id, method)]


def _explorer(ctx: Context, dropdown, view: Callable[[Context, str, str], tuple[str, list]]):
    import ipywidgets as w

    buttons = _method_buttons(ctx)
    text = w.HTML()
    charts = w.VBox()

    def redraw(_change=None) -> None:
        html, figures = view(ctx, dropdown.value, buttons.value)
        text.value = html
        charts.children = _images(figures)

    dropdown.observe(redraw, names="value")
    buttons.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([dropdown, buttons]), text, charts])


def area_explorer(ctx: Context, area: str | None = None):
    """Dropdown of areas + method buttons -> the area's narrative, table and charts."""
    import ipywidgets as w

    areas = ctx.plan.areas_in_use()
    dd = w.Dropdown(options=[(ctx.plan.area_label(a, ctx.lang), a) for a in areas],
                    value=area if area in areas else areas[0],
                    description=narrate.t("领域", "Area", ctx.lang))
    return _explorer(ctx, dd, area_view)


def indicator_explorer(ctx: Context, indicator_id: str | None = None):
    """Dropdown of targets (labelled "area: name") + method buttons -> chart, gap table and
    projection of the chosen target."""
    import ipywidgets as w

    tg = ctx.targets
    labels = [f"{ctx.plan.area_label(a, ctx.lang)}: {n}" for a, n in zip(tg["area"], narrate.names(tg, ctx.lang))]
    ids = tg["id"].astype(str).tolist()
    dd = w.Dropdown(options=list(zip(labels, ids)),
                    value=indicator_id if indicator_id in ids else ids[0],
                    description=narrate.t("目标", "Target", ctx.lang), layout=w.Layout(width="60%"))
    return _explorer(ctx, dd, indicator_view)


def explore(interactive: bool, factory: Callable, ctx: Context, *args):
    """Display ``factory(ctx, *args)`` when ``interactive`` and ipywidgets exist; else nothing.

    Returns the widget (or ``None``). A heading tells a reader of the notebook what it is for.
    """
    if not interactive or not available():
        return None
    from IPython.display import display

    narrate.show(narrate.heading("交互探索", "Explore interactively", ctx.lang))
    widget = factory(ctx, *args)
    display(widget)
    return widget
