"""CJK font setup: Chinese labels render without missing glyphs; without a CJK font the labels
fall back to English with exactly one warning."""

from __future__ import annotations

import io
import logging
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from helpers.report.charts import plots as charts, fonts, style  # noqa: E402
from helpers.exceptions import UnknownValueError  # noqa: E402

CHINESE = "阜阳市民生工作 每千常住人口床位数"


@pytest.fixture(autouse=True)
def _restore_fonts():
    """Each test starts from a fresh font search and leaves the CJK setup in place afterwards."""
    fonts._reset_for_tests()
    yield
    plt.close("all")
    fonts._reset_for_tests()
    fonts.setup_fonts(disable_cjk=False)


def _render_chinese_figure() -> tuple[list[str], list[str]]:
    """Draw a figure whose title, axis labels, tick labels and legend are Chinese; return the
    warning messages and the matplotlib log messages emitted while drawing it."""
    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = _Collect(level=logging.DEBUG)
    mpl_logger = logging.getLogger("matplotlib")
    old_level = mpl_logger.level
    mpl_logger.addHandler(handler)
    mpl_logger.setLevel(logging.INFO)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.plot([2016, 2021], [4.0, 6.0], label="要求路径")
            ax.set_title(CHINESE)
            ax.set_xlabel("年份 / Year")
            ax.set_ylabel("张/千人 / beds per 1000 −1")
            ax.set_xticks([2016, 2021], ["基期 2016", "目标 2021"])
            ax.legend()
            fig.savefig(io.BytesIO(), format="png")
            plt.close(fig)
    finally:
        mpl_logger.removeHandler(handler)
        mpl_logger.setLevel(old_level)
    return [str(w.message) for w in caught], [r.getMessage() for r in records]


def test_setup_fonts_puts_latin_first_and_a_cjk_family_second():
    family = fonts.setup_fonts()
    assert family is not None
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans", family]
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert fonts._covers(path, CHINESE.replace(" ", ""))
    assert Path(path).name != "SimHei.ttf"


def test_setup_fonts_is_idempotent_and_registers_the_font_once():
    first = fonts.setup_fonts()
    n_fonts = len(font_manager.fontManager.ttflist)
    fonts._reset_for_tests()  # even a new search must not add the file a second time
    assert fonts.setup_fonts() == first
    assert fonts.setup_fonts() == first
    assert len(font_manager.fontManager.ttflist) == n_fonts


def test_bundled_font_is_the_noto_file_and_mplfonts_is_never_imported():
    path = fonts.bundled_font_path()
    assert path is not None and path.name == "NotoSansCJKsc-Regular.otf"
    assert fonts._covers(path)
    fonts.setup_fonts()
    assert "mplfonts" not in sys.modules


def test_chinese_labels_render_without_missing_glyph_warning():
    fonts.setup_fonts()
    messages, logs = _render_chinese_figure()
    assert not [m for m in messages if "missing from font" in m], messages
    assert not [m for m in logs if "findfont" in m and "not found" in m], logs


def test_missing_glyph_check_detects_boxes_without_a_cjk_font():
    # The control: with the Latin font alone the same figure does warn, so the test above can fail.
    matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
    messages, _ = _render_chinese_figure()
    assert any("missing from font" in m for m in messages)


def test_chart_with_chinese_labels_draws_without_missing_glyphs():
    import pandas as pd

    traj = pd.DataFrame({
        "indicator_id": "health.beds_per_1000", "area": "health", "name_zh": "每千常住人口床位数",
        "name_en": "Hospital beds per 1,000 residents", "unit": "beds per 1000", "unit_zh": "张/千人",
        "kind": "level", "comparator": ">=", "year": [2017, 2018], "value": [4.5, 5.0],
        "baseline": 4.0, "target": 6.0, "target_hi": float("nan"), "required": [4.4, 4.8],
        "status": ["on_track", "on_track"],
    })
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.plot_trajectory(traj, lang="zh")
        fig.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert fig.axes[0].get_title() == "每千常住人口床位数"


def test_forced_no_cjk_path_warns_once_and_falls_back_to_english(monkeypatch):
    monkeypatch.setenv(fonts.ENV_DISABLE, "1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.setup_fonts() is None
        assert fonts.setup_fonts() is None
        assert style.resolve_lang("zh") == "en"
        assert style.resolve_lang("both") == "en"
        assert style.resolve_lang("en") == "en"
    ours = [w for w in caught if "English labels" in str(w.message)]
    assert str(ours[0].message) == fonts.DISABLED_WARNING
    assert len(ours) == 1
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans"]


def test_charts_use_english_labels_when_no_cjk_font(monkeypatch):
    import pandas as pd

    monkeypatch.setenv(fonts.ENV_DISABLE, "1")
    latest = pd.DataFrame({"indicator_id": ["a.x"], "area": ["health"], "status": ["achieved"]})
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        fig = charts.plot_area_scoreboard(latest, lang="zh", areas={"health": ("医疗卫生", "Health")})
    ax = fig.axes[0]
    assert ax.get_title() == "Status of targets by area"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Health"]  # the plan's English label


def test_missing_font_warns_that_no_cjk_font_was_found(monkeypatch):
    monkeypatch.setattr(fonts, "find_system_cjk_family", lambda: None)
    monkeypatch.setattr(fonts, "bundled_font_path", lambda: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.setup_fonts(disable_cjk=False) is None
        assert style.resolve_lang("both") == "en"
    assert [str(w.message) for w in caught] == [fonts.NO_CJK_WARNING]


def test_parameter_overrides_the_environment(monkeypatch):
    monkeypatch.setenv(fonts.ENV_DISABLE, "1")
    assert fonts.setup_fonts(disable_cjk=False) is not None


def test_resolve_lang_keeps_valid_languages_and_rejects_others():
    assert style.resolve_lang("zh") == "zh"
    assert style.resolve_lang("both") == "both"
    with pytest.raises(UnknownValueError, match="valid values are: zh, en, both"):
        style.resolve_lang("fr")


def _fake_font_manager(monkeypatch, entries: list[tuple[str, Path]]) -> None:
    fake = [font_manager.FontEntry(fname=str(path), name=name) for name, path in entries]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)


def test_system_cjk_font_is_preferred_only_when_it_covers_chinese(monkeypatch):
    noto = fonts.bundled_font_path()
    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    # A listed family whose file really has the glyphs is chosen...
    _fake_font_manager(monkeypatch, [("WenQuanYi Zen Hei", noto)])
    assert fonts.find_system_cjk_family() == "WenQuanYi Zen Hei"
    # ...a listed family name on a file without CJK glyphs is not...
    _fake_font_manager(monkeypatch, [("Noto Sans CJK SC", dejavu)])
    assert fonts.find_system_cjk_family() is None
    # ...and a proprietary family is never picked, even with the glyphs.
    _fake_font_manager(monkeypatch, [("SimHei", noto)])
    assert fonts.find_system_cjk_family() is None
    # Order of preference: Noto Sans CJK SC before WenQuanYi.
    _fake_font_manager(monkeypatch, [("WenQuanYi Zen Hei", noto), ("Noto Sans CJK SC", noto)])
    assert fonts.find_system_cjk_family() == "Noto Sans CJK SC"
