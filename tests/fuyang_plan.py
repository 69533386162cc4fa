"""Where the shipped default plan (Fuyang's) lives, for tests that run on the real data.

Tests may name the plan; the package may not (``tests/test_plan_words.py``).
"""

from __future__ import annotations

import json

from helpers import paths

NAME = "fuyang"
DIR = paths.RAW_DIR / NAME
TARGETS = DIR / "targets.csv"
STATISTICS = DIR / "statistics.csv"
PLAN_JSON = DIR / paths.PLAN_FILENAME
META = json.loads(PLAN_JSON.read_text(encoding="utf-8"))
#: Area keys in the plan's order (plan.json).
AREAS: list[str] = [a["key"] for a in META["areas"]]
