"""Time ``helpers.data.extract.extract_text`` on a ~1 MB text: Fuyang's plan text (22.8 kB)
repeated until it passes 1 MB (so about 45 copies; each copy re-reads every section).

Run: PYTHONPATH=src python benchmarks/bench_extract.py  (the goal is under 2 s; not a test)
"""

from __future__ import annotations

import time
from pathlib import Path

from helpers.data.extract import extract_text

HERE = Path(__file__).resolve().parents[1]
SOURCE = HERE.parent / "shared" / "source" / "fuyang_2017_50_livelihood_plan.txt"


def main() -> None:
    one = SOURCE.read_text(encoding="utf-8")
    copies = -(-1_000_000 // len(one.encode("utf-8")))
    text = "\n".join([one] * copies)
    size = len(text.encode("utf-8"))
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        draft = extract_text(text, source_name="bench")
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    n = len(draft.targets)
    print(f"extract: {size / 1e6:.2f} MB ({copies} copies of Fuyang's text): {n} targets, "
          f"{len(draft.rejected)} clauses not taken; best of 3 {best:.2f} s, {n / best:,.0f} targets/s "
          f"(goal: under 2 s)")


if __name__ == "__main__":
    main()
