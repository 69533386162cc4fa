"""Interactive exploration in JupyterLab: pick a target (and an area, and a method) and see its
chart and its table redrawn, without re-running the notebook.

:func:`target_explorer` builds an ipywidgets box: Dropdowns (an area, optionally; a target), method
ToggleButtons, an ``HTML`` widget (the target's status in words and its by-year table, from
:mod:`helpers.report.sections`, already escaped) and one ``Image`` widget holding the chart as PNG. The
static cells of a notebook already show every area and target; the explorer adds only what they
cannot: switching the target or the method in place. :func:`explore` shows one only when the
notebook runs interactively: with ``interactive=False`` (the report renderer, papermill) or
without ipywidgets it displays nothing and returns ``None``.

Why no ``Output`` widget: when a notebook is executed by nbclient (papermill, nbval), an Output
widget that is written to during execution makes nbclient send widget updates on the shell
socket while it waits for the cell's reply on the same socket, which intermittently stalls the
cell until its timeout (jupyter/nbclient#312). Widget values (HTML text, PNG bytes) travel only
from the kernel to the front end, so the defaults stay safe to run unattended.
"""

from __future__ import annotations

import importlib.util
from typing import Callable

from helpers.report import frames, htmltext, narrate, sections
from helpers.report.display import show
from helpers.report.params import Context
from helpers.vocab import METHOD_LABELS, METHODS, label


def available() -> bool:
    """True when ipywidgets can be imported."""
    return importlib.util.find_spec("ipywidgets") is not None


def figure_png(fig) -> bytes:
    """PNG bytes of a Figure, which is then closed (never shown twice)."""
    import matplotlib.pyplot as plt

    from helpers.report.display import figure_png as _png

    png = _png(fig)
    plt.close(fig)
    return png


def _method_buttons(ctx: Context):
    import ipywidgets as w

    # Buttons as wide as their (bilingual) labels: a fixed width cut "线性…" at 1280 px.
    return w.ToggleButtons(options=[(label(METHOD_LABELS[m], ctx.lang), m) for m in METHODS], value=ctx.method,
                           description=htmltext.t("方法", "Method", ctx.lang), style={"button_width": "auto"})


def target_view(ctx: Context, indicator_id: str, method: str) -> tuple[str, object]:
    """(HTML, Figure) the explorer shows for one target and ``method``: the target's name, its
    status in words, its by-year table (both gaps) and projection; the trajectory chart."""
    rows = sections.target_rows(ctx, indicator_id, method)
    latest = ctx.latest if method == ctx.method else ctx.latest_for(method)
    one = latest[latest["indicator_id"].astype(str) == indicator_id]
    frame = frames.by_year_frame(rows, None, ctx.lang)
    html = (f"<h3>{htmltext.esc(htmltext.names(rows.head(1), ctx.lang).iloc[0])}</h3>"
            + narrate.indicator_summary(latest, ctx.statistics, indicator_id, ctx.as_of, ctx.geo,
                                        sections.jurisdiction(ctx), ctx.lang, plan=ctx.plan)
            + sections.gap_note_html(ctx)
            + sections.by_year_styler(ctx, frame).to_html()
            + narrate.projection_sentence(rows.iloc[-1], ctx.lang, one.iloc[0] if len(one) else None))
    return html, sections.trajectory_figure(ctx, indicator_id, method)


def indicator_view(ctx: Context, indicator_id: str, method: str) -> tuple[str, list]:
    """(HTML, [Figure]): :func:`target_view` (kept for callers that expect a list of figures)."""
    html, fig = target_view(ctx, indicator_id, method)
    return html, [fig]


def _target_options(ctx: Context, area: str | None, with_area: bool) -> list[tuple[str, str]]:
    tg = ctx.targets if area is None else ctx.targets[ctx.targets["area"] == area]
    labels = htmltext.names(tg, ctx.lang)
    if with_area:
        labels = [f"{ctx.plan.area_label(a, ctx.lang)}: {n}" for a, n in zip(tg["area"], labels)]
    return list(zip(labels, tg["id"].astype(str)))


def target_explorer(ctx: Context, area: str | None = None, indicator_id: str | None = None,
                    choose_area: bool = False):
    """A target Dropdown (the targets of ``area``, or all) and method buttons -> that target's
    chart and by-year table, redrawn on every change. ``choose_area`` adds an area Dropdown
    in front, which refills the targets. Starts on ``indicator_id`` (else the area's first
    target with something to draw, else its first target).

    Children: ``VBox([HBox([area?, target, method]), HTML, Image])``."""
    import ipywidgets as w

    areas = ctx.plan.areas_in_use()
    if choose_area and area not in areas:
        area = ctx.targets.loc[ctx.targets["id"] == indicator_id, "area"].iloc[0] \
            if indicator_id in set(ctx.targets["id"]) else areas[0]

    def first(a):
        drawn = sections.chart_ids(ctx, a)
        ids = [v for _, v in _target_options(ctx, a, False)]
        return drawn[0] if drawn else ids[0]

    options = _target_options(ctx, area, with_area=area is None)
    ids = [v for _, v in options]
    target = w.Dropdown(options=options, value=indicator_id if indicator_id in ids else first(area),
                        description=htmltext.t("目标", "Target", ctx.lang),
                        layout=w.Layout(width="60%", min_width="18em"))
    buttons = _method_buttons(ctx)
    text = w.HTML()
    image = w.Image(format="png", layout=w.Layout(max_width="100%"))
    controls = [target, buttons]
    picker = None
    if choose_area:
        picker = w.Dropdown(options=[(ctx.plan.area_label(a, ctx.lang), a) for a in areas], value=area,
                            description=htmltext.t("领域", "Area", ctx.lang))
        controls.insert(0, picker)

    def redraw(_change=None) -> None:
        if target.value is None:
            return
        html, fig = target_view(ctx, target.value, buttons.value)
        text.value = html
        image.value = figure_png(fig)

    def refill(change) -> None:
        target.unobserve(redraw, names="value")  # one redraw for the new area, not two
        try:
            target.options = _target_options(ctx, change["new"], with_area=False)
            target.value = first(change["new"])
        finally:
            target.observe(redraw, names="value")
        redraw()

    if picker is not None:
        picker.observe(refill, names="value")
    target.observe(redraw, names="value")
    buttons.observe(redraw, names="value")
    redraw()
    # The controls wrap onto a second line rather than overflow a narrow window.
    return w.VBox([w.HBox(controls, layout=w.Layout(flex_flow="row wrap")), text, image])


def indicator_explorer(ctx: Context, indicator_id: str | None = None):
    """Every target of the plan (labelled "area: name") in one Dropdown: :func:`target_explorer`."""
    return target_explorer(ctx, None, indicator_id)


def explore(interactive: bool, factory: Callable, ctx: Context, *args):
    """Display ``factory(ctx, *args)`` when ``interactive`` and ipywidgets exist; else nothing.

    Returns the widget (or ``None``). A heading tells a reader of the notebook what it is for.
    """
    if not interactive or not available():
        return None
    from IPython.display import display

    show(htmltext.heading("交互探索", "Explore interactively", ctx.lang)
         + htmltext.paragraphs("选择一项目标（或计算方法），图和表随即重画。",
                               "Pick a target (or a method): its chart and table are redrawn.", ctx.lang))
    widget = factory(ctx, *args)
    display(widget)
    return widget
