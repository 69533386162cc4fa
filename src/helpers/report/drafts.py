"""A target table drafted from a plan's text, as the notebook ``05_plan_from_text`` shows it: the
draft (:mod:`helpers.data.extract`), its rows to check first, the numeric clauses not taken, and
the text with every clause highlighted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data import extract, extract_review

#: The draft's columns a reviewer reads first.
REVIEW_COLUMNS = ("id", "name_zh", "comparator", "target", "target_hi", "unit", "kind", "target_year", "check",
                  "source_ref")


def text_file(text_path: str | Path) -> Path:
    """``text_path`` itself, or for a folder the first ``.txt`` file in it (by name)."""
    path = Path(text_path)
    if path.is_dir():
        found = sorted(path.glob("*.txt"))
        if found:
            return found[0]
    return path


def draft_from_text(text_path: str | Path) -> extract.Draft:
    """Read a plan's text (UTF-8 or GB18030 ``.txt``, or ``.html``; a folder: its first ``.txt``)
    and draft its targets."""
    path = text_file(text_path)
    return extract.extract_text(extract_review.read_text(path), source_name=str(path))


def summary_text(draft: extract.Draft) -> str:
    n_check = int((draft.targets["check"] != "").sum())
    title = " ".join(x for x in (draft.meta.get("title_zh"), draft.meta.get("document_number")) if x)
    return (f"{title}: {len(draft.targets)} targets ({n_check} to check), "
            f"{len(draft.rejected)} numeric clauses not taken")


def unsure_frame(draft: extract.Draft) -> pd.DataFrame:
    """The draft's rows, those with a ``check`` first, in :data:`REVIEW_COLUMNS`."""
    return draft.unsure[list(REVIEW_COLUMNS)]


def rejected_frame(draft: extract.Draft) -> pd.DataFrame:
    """The numeric clauses not turned into targets, with the reason."""
    return pd.DataFrame(draft.rejected, columns=["text", "reason"])


def highlighted_text_html(draft: extract.Draft) -> str:
    """The text with every extracted clause highlighted (targets, targets to check, clauses not
    taken), escaped."""
    return extract_review.text_html(draft)


def write_draft(text_path: str | Path, out_dir: str | Path) -> str:
    """Write the draft plan folder (targets.csv, plan.json, statistics.csv, review.html); the
    summary line."""
    return extract.run_extract(text_file(text_path), out_dir)
