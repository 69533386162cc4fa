"""``make soak``: interrupt many renders at moments spread over a render's phases and report hangs,
surviving processes, damaged sets and exit-time percentiles (issue 23).

    .venv/bin/python benchmarks/soak_interrupts.py [--trials 50] [--load 2] [--plan fuyang]

``--load N`` keeps N busy-looping processes running during the trials (a loaded machine: the
defect this guards against showed up under load). The moments are deterministic: trial ``i``
interrupts at ``(i + 1) / (trials + 1)`` of one measured render's length, cycling SIGINT,
SIGTERM, ``kill -9`` of the render and ``kill -9`` of a worker; every tenth trial is followed by
a full render, which must succeed. Exits 1 when any trial hung, left a process or damaged a set.
The trial driver is tests/interrupt_trials.py (the test suite runs a few of the same trials).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import interrupt_trials as it  # noqa: E402


def _full_render(out: Path, date: str, plan: str) -> float:
    t0 = time.monotonic()
    subprocess.run(it.render_command(out, date, plan), check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--load", type=int, default=0, help="busy-looping processes during the trials")
    ap.add_argument("--plan", default="fuyang")
    args = ap.parse_args()
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.load)]
    bad = 0
    try:
        with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
            out = Path(tmp) / "reports"
            # Reuse off: every trial executes its notebooks, so the moments fall in every phase.
            env = {"HELPERS_RENDER_REUSE": "0"}
            import os
            os.environ.update(env)
            _full_render(out, "2030-01-01", args.plan)  # the first pays for cold caches
            span = _full_render(out, "2030-01-02", args.plan)
            print(f"one render: {span:.1f} s (moments spread over it); load: {args.load} busy process(es)")
            exits, renders = [], 0
            for i, at in enumerate(it.moments(args.trials, span)):
                how = it.HOWS[i % len(it.HOWS)]
                day = f"2030-{3 + i // 28:02d}-{1 + i % 28:02d}"
                t = it.run_trial(out, day, how, at, args.plan)
                if t.exit_seconds is not None:
                    exits.append(t.exit_seconds)
                flag = "ok" if t.ok else "BAD"
                bad += not t.ok
                print(f"[{i + 1:>3}/{args.trials}] {how:<11} at {at:5.2f} s  interrupted={t.interrupted!s:<5} "
                      f"exit={t.returncode} in {t.exit_seconds if t.exit_seconds is not None else float('nan'):.2f} s  "
                      f"{flag}" + ("  hung" if not t.exited else "")
                      + (f"  survivors={t.survivors}" if t.survivors else "")
                      + (f"  damaged={t.damaged}" if t.damaged else ""), flush=True)
                if (i + 1) % 10 == 0:
                    _full_render(out, f"2031-01-{1 + renders:02d}", args.plan)
                    renders += 1
            _full_render(out, "2031-12-31", args.plan)
            if exits:
                qs = statistics.quantiles(exits, n=10, method="inclusive") if len(exits) > 1 else [exits[0]] * 9
                print(f"interrupted renders: {len(exits)}; exit time after the interruption: "
                      f"median {statistics.median(exits):.2f} s, p90 {qs[8]:.2f} s, max {max(exits):.2f} s")
            print(f"bad trials: {bad} of {args.trials}; full renders after trials: {renders + 1}, all succeeded")
    finally:
        for b in burners:
            b.kill()
            b.wait()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
