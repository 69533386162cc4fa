"""helpers.report.terms: the reports' words, the report statuses and the engine's notes in words."""

from __future__ import annotations

import pandas as pd

from helpers.report import terms


def test_gap_names_differ_in_both_languages():
    assert terms.GAP_TO_TARGET != terms.GAP_TO_PATH
    assert terms.GAP_TO_TARGET[0] != terms.GAP_TO_PATH[0] and terms.GAP_TO_TARGET[1] != terms.GAP_TO_PATH[1]
    assert terms.GAP_TO_TARGET == ("距目标", "gap to target") and terms.GAP_TO_PATH == ("距应达路径", "gap to path")
    # "no data" and "value, not scored" are two statuses with two labels
    assert terms.report_status_label("not_scored", "both") == "有数值，未评分 / value, not scored"
    assert terms.report_status_label("no_data", "both") == "无数据 / no data"
    assert terms.REPORT_STATUS_COLOURS["not_scored"] not in {
        v for k, v in terms.REPORT_STATUS_COLOURS.items() if k != "not_scored"}


def test_every_engine_note_has_a_label():
    from helpers.method import gaps, kinds

    texts = [getattr(m, k) for m in (gaps, kinds) for k in dir(m)
             if "NOTE" in k and isinstance(getattr(m, k), str)]
    assert len(texts) >= 16
    for text in texts:
        note = text.format(year=2022)
        for lang in ("zh", "en"):
            got = terms.note_label(note, lang)
            assert got and got != note, (note, lang)
            assert "{" not in got
        if "{year}" in text:
            assert "2022" in terms.note_label(note, "en") and "2022" in terms.note_label(note, "zh")
    # Notes joined by the engine ("; ", and a note may contain "; ") are labelled one by one.
    # ("no projection for this kind ..." is a note of earlier engine versions, still labelled and quiet)
    joined = f"{gaps.NOTE_NO_BASELINE}; {kinds.NOTE_DEFINITION}; no projection for this kind (a running figure)"
    assert terms.note_label(joined, "en") == ("no baseline value: not scored; definition differs from the "
                                              "baseline year: not comparable; no projection for this kind")
    assert terms.note_label(joined, "en", quiet=terms.QUIET_NOTES).endswith("not comparable")
    assert terms.note_label("something else entirely", "en") == "something else entirely"
    assert terms.note_label(pd.NA) is None
