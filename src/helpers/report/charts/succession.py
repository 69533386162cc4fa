"""One indicator across two plans (issue 21, item 6): the earlier plan's values and required path up
to its target year, then the later plan's required path (and values) from the baseline the first
hands to it; each plan's target marked at its year. The table it draws is
:func:`helpers.method.succession.across_plans` for one link."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers import vocab
from helpers.report.charts.layout import place_single_axes, set_title, trajectory_legend
from helpers.report.charts.style import resolve_lang, use_style
from helpers.report.terms import T_OBSERVED, T_REQUIRED, T_TARGET, T_YEAR

#: Colours of the earlier and the later plan (Okabe–Ito blue and vermillion).
PLAN_COLOURS = ("#0072B2", "#D55E00")


def plot_across_plans(table: pd.DataFrame, lang: str = "both",
                      plan_labels: dict[str, tuple[str, str]] | None = None) -> Figure:
    """``table``: the rows of one link of ``across_plans`` (columns plan, year, value, required,
    baseline_year, baseline, target_year, target_point, name_zh, name_en, unit), the earlier plan
    first. Lines get gids ``observed:<plan>``, ``required:<plan>``; target markers ``target:<plan>``."""
    if table.empty:
        raise ValueError("across_plans: no rows")
    use_style()
    lang = resolve_lang(lang)
    labels = plan_labels or {}
    fig, ax = plt.subplots(figsize=(7.0, 3.8), layout="none")
    handles, texts = [], []
    plans = list(dict.fromkeys(table["plan"]))
    for k, plan in enumerate(plans):
        rows = table[table["plan"] == plan].sort_values("year")
        colour = PLAN_COLOURS[k % len(PLAN_COLOURS)]
        name = vocab.label(labels.get(plan, (plan, plan)), lang)
        b_year, b = rows["baseline_year"].iloc[0], rows["baseline"].astype("float64").iloc[0]
        years = rows["year"].astype("int64").to_numpy()
        req = rows["required"].astype("float64").to_numpy()
        if not np.isnan(b):  # the path starts at the baseline point
            years_r, req = np.concatenate([[int(b_year)], years]), np.concatenate([[b], req])
        else:
            years_r = years
        (line,) = ax.plot(years_r, req, linestyle="--", color=colour, linewidth=1.2, gid=f"required:{plan}")
        handles.append(line)
        texts.append(f"{name}: {vocab.label(T_REQUIRED, lang)}")
        val = rows["value"].astype("float64").to_numpy()
        if np.isfinite(val).any():
            (obs,) = ax.plot(years, val, marker="o", markersize=3.5, color=colour, linewidth=1.6,
                             gid=f"observed:{plan}")
            handles.append(obs)
            texts.append(f"{name}: {vocab.label(T_OBSERVED, lang)}")
        tp = rows["target_point"].astype("float64").iloc[-1]
        if np.isfinite(tp):
            (mark,) = ax.plot([int(rows["target_year"].iloc[0])], [tp], marker="*", markersize=10, color=colour,
                              linestyle="none", gid=f"target:{plan}")
            handles.append(mark)
            texts.append(f"{name}: {vocab.label(T_TARGET, lang)}")
    if len(plans) > 1:
        first = table[table["plan"] == plans[0]]
        ax.axvline(int(first["target_year"].iloc[0]), color="#888888", linewidth=0.8, linestyle=":",
                   gid="handover")
    last = table.iloc[-1]
    set_title(ax, str(last.get("name_zh") or ""), str(last.get("name_en") or ""), lang)
    ax.set_xlabel(vocab.label(T_YEAR, lang))
    ax.set_ylabel(str(last.get("unit") or ""))
    ax.xaxis.get_major_locator().set_params(integer=True)
    legend = trajectory_legend(fig, handles, texts)
    place_single_axes(fig, ax, legend)
    return fig
