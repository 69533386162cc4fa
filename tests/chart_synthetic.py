"""Synthetic inputs and lookups shared by the chart tests (test_charts, test_chartparts,
test_chartcontext, test_chartlayout).

Every trajectory frame here is SYNTHETIC and written by hand in the shape of the engine's
trajectory table (helpers.method.gaps), with the required path computed by hand:
required_t = x_b + (x* − x_b)·(t − b)/(T − b), b = 2016, T = 2021.
:func:`cjk_fonts_and_cleanup` is an autouse fixture: a test module imports it to use it.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from helpers.report import terms  # noqa: E402
from helpers.report.charts import fonts  # noqa: E402

from helpers import vocab
from helpers.data.plan import Plan  # noqa: E402

import fuyang_plan  # noqa: E402


#: Labels as a plan gives them (the shipped plan's areas and places).
_PLAN = Plan(fuyang_plan.META, pd.DataFrame(), pd.DataFrame())
AREA_LABELS = _PLAN.areas
GEO_NAMES = _PLAN.geo_label
NAN = np.nan
YEARS = [2017, 2018, 2019, 2020, 2021]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def cjk_fonts_and_cleanup():
    fonts.setup_fonts(disable_cjk=False)
    yield
    plt.close("all")


def synthetic_traj(kind: str, comparator: str, values, required, baseline, target,
                   target_hi=NAN, tolerance=NAN, years=YEARS, indicator_id="health.synthetic",
                   area="health", name=("合成床位数", "Synthetic beds"),
                   unit=("张/千人", "beds per 1000"), **extra) -> pd.DataFrame:
    """One synthetic target's trajectory rows, shaped like compute_gaps output."""
    n = len(years)
    frame = pd.DataFrame({
        "geo": pd.array(["fuyang"] * n, dtype="string"),
        "indicator_id": pd.array([indicator_id] * n, dtype="string"),
        "area": area, "name_zh": name[0], "name_en": name[1], "unit": unit[1], "unit_zh": unit[0],
        "kind": kind, "comparator": comparator,
        "year": pd.array(years, dtype="Int64"),
        "value": pd.array(values, dtype="Float64"),  # nullable, as the engine may give it
        "baseline": baseline, "target": target, "target_hi": target_hi, "tolerance": tolerance,
        "required": np.asarray(required, dtype="float64"),
        "gap": NAN, "status": "no_data",
    })
    for key, val in extra.items():
        frame[key] = val
    return frame


def engine_traj(kind: str, values: dict, comparator: str | None = ">=", target: float = NAN,
                indicator_id: str = "health.synthetic_kind", reference: dict | None = None,
                **target_extra) -> pd.DataFrame:
    """compute_gaps rows of one SYNTHETIC target (b = 2016, T = 2021) with the given statistics."""
    gaps = pytest.importorskip("helpers.method.gaps")
    row = {"id": indicator_id, "area": "health", "name_zh": "合成指标", "name_en": "Synthetic indicator",
           "unit": target_extra.pop("unit", "synthetic unit"), "comparator": comparator, "target": target,
           "target_hi": NAN, "tolerance": NAN, "target_year": 2021, "baseline_year": 2016, "kind": kind,
           "reference_id": target_extra.pop("reference_id", None), "baseline_value": NAN, **target_extra}
    rows = [(indicator_id, "synthetica", y, v) for y, v in values.items()]
    if reference:
        rows += [(row["reference_id"], "synthetica", y, v) for y, v in reference.items()]
    stats = pd.DataFrame(rows, columns=["indicator_id", "geo", "year", "value"])
    traj = gaps.compute_gaps(pd.DataFrame([row]), stats, geo="synthetica")
    if "value_unit" in row:  # as sections.trajectory_figure adds it
        traj = traj.assign(value_unit=row["value_unit"])
    return traj


def context_rows(suffix: str, unit: str = "beds per 1000", years=(2017, 2019), values=(4.4, 4.9), geo="fuyang", **cols):
    frame = pd.DataFrame({"indicator_id": f"health.synthetic:{suffix}", "geo": geo, "year": list(years),
                          "value": list(values), "unit": unit})
    for k, v in cols.items():
        frame[k] = v
    return frame


#: A target name longer than a heatmap row label's line in every language (as long as the 14th
#: Five-Year Plan's air-quality target).
LONG_ROW_NAME = ("合成地级及以上城市空气质量优良天数比率(名称很长)",
                 "Synthetic share of days with good air quality, cities at prefecture level and above")


def heatmap_traj(long_name: bool = False, n_more: int = 0) -> pd.DataFrame:
    """3 synthetic targets: health first in the frame, employment must come first on the chart;
    the poverty-like target ends a year earlier (its 2021 cell does not exist).
    ``long_name``: health A is named :data:`LONG_ROW_NAME`. ``n_more``: as many further synthetic
    health targets (a long heatmap), every third of them with the long name."""
    health_a = LONG_ROW_NAME if long_name else ("合成卫生甲", "Synthetic health A")
    rows = [
        ("health.a", "health", *health_a, 2020, "achieved"),
        ("health.a", "health", *health_a, 2021, "on_track"),
        ("employment.b", "employment", "合成就业乙", "Synthetic jobs B", 2020, "no_data"),
        ("employment.b", "employment", "合成就业乙", "Synthetic jobs B", 2021, "regressing"),
        ("poverty.c", "poverty", "合成脱贫丙", "Synthetic poverty C", 2020, "achieved"),
    ]
    for i in range(n_more):
        name = LONG_ROW_NAME if i % 3 == 0 else (f"合成卫生{i}", f"Synthetic health {i}")
        rows += [(f"health.more{i}", "health", *name, year, "no_data") for year in (2020, 2021)]
    return pd.DataFrame(rows, columns=["indicator_id", "area", "name_zh", "name_en", "year", "status"])


LEVEL_GE = dict(kind="level", comparator=">=", values=[4.5, NAN, 5.0, 5.4, 5.6],
                required=[4.4, 4.8, 5.2, 5.6, 6.0], baseline=4.0, target=6.0)


def line_by_gid(fig: Figure, gid: str):
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid]
    assert len(found) == 1, f"expected one line with gid={gid!r}, found {len(found)}"
    return found[0]


def line_by_label(fig: Figure, label: str):
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"expected one line labelled {label!r}, found {[ln.get_label() for ln in fig.axes[0].get_lines()]}"
    return found[0]


def legend_texts(fig: Figure) -> list[str]:
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    return [t.get_text() for lg in legends for t in lg.get_texts()]


def collection_by_label(fig: Figure, label: str):
    found = [c for ax in fig.axes for c in ax.collections if c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in fig.axes[0].collections]
    return found[0]


def shortfall_years(fig: Figure, lang: str = "both") -> list[float]:
    label = vocab.label(terms.T_SHORTFALL, lang)
    found = [c for c in fig.axes[0].collections if c.get_label() == label]
    if not found:
        return []
    return [float(seg[0][0]) for seg in found[0].get_segments()]


def band_patch(fig: Figure) -> Rectangle:
    label_start = (vocab.label(terms.T_TARGET_RANGE, "both"), vocab.label(terms.T_QUOTA, "both"))
    found = [p for p in fig.axes[0].patches if p.get_label().startswith(label_start)]
    assert len(found) == 1
    return found[0]
