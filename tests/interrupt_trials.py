"""Fault injection for ``python -m helpers render``: interrupt renders at chosen moments and check
what is left. Used by tests/publish/test_hygiene.py (a few trials) and
benchmarks/soak_interrupts.py (``make soak``: many trials, exit-time percentiles).

A trial starts a render in a session of its own, with a marker in its environment that every
process it starts inherits (workers, the kernel template, kernels), waits a chosen number of
seconds, then interrupts it one of four ways — SIGINT, SIGTERM, ``kill -9`` of the render, or
``kill -9`` of one render worker — and records:

- whether the render exited within :data:`EXIT_LIMIT` seconds (liveness, not speed), its exit
  code and how long it took after the interruption;
- which processes carrying the marker were still running :data:`SETTLE` seconds later
  (they are then killed, so one bad trial does not spoil the next);
- whether every published set of the plan is complete and unchanged and ``latest`` points to a
  complete set.

The moments are given by the caller (deterministic); nothing here depends on how fast the
machine is, except that a render must react within :data:`EXIT_LIMIT` seconds.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

#: Seconds an interrupted render may take to exit before it counts as hung.
EXIT_LIMIT = 60.0
#: Seconds after the render exited within which every process it started must be gone.
SETTLE = 15.0
HOWS = ("SIGINT", "SIGTERM", "KILL_PARENT", "KILL_WORKER")
MARKER = "HELPERS_INTERRUPT_TRIAL"


@dataclass
class Trial:
    how: str
    at: float | str
    interrupted: bool = False  # False: the render had finished before the moment came
    exited: bool = True
    returncode: int | None = None
    exit_seconds: float | None = None
    survivors: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    stderr: str = ""

    @property
    def ok(self) -> bool:
        expected = {"SIGINT": (130,), "SIGTERM": (143,), "KILL_PARENT": (-9,), "KILL_WORKER": (1,)}
        code_ok = not self.interrupted or self.returncode in expected[self.how] or self.returncode == 0
        return self.exited and code_ok and not self.survivors and not self.damaged


def marked_processes(tag: str) -> list[tuple[int, str]]:
    """(pid, command line) of every running process whose environment holds ``MARKER=tag``."""
    needle = f"{MARKER}={tag}".encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as fh:
                if needle not in fh.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue  # exited, waiting for its parent: not running
            with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append((int(entry.name), cmd))
    return found


def _kill_marked(tag: str) -> None:
    for pid, _ in marked_processes(tag):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def set_digests(plan_out: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file of every complete set of a plan's reports folder."""
    digests = {}
    if not plan_out.is_dir():
        return digests
    for folder in sorted(plan_out.iterdir()):
        if folder.is_symlink() or not folder.is_dir() or not (folder / "index.html").is_file():
            continue
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                digests[str(f.relative_to(plan_out))] = hashlib.sha256(f.read_bytes()).hexdigest()
    return digests


def check_sets(plan_out: Path, before: dict[str, str]) -> list[str]:
    """What is wrong with the published sets: a file of a set published before that changed or
    went, or a ``latest`` that does not point to a complete set."""
    now = set_digests(plan_out)
    damaged = [f"changed or gone: {k}" for k, v in before.items() if now.get(k) != v]
    latest = plan_out / "latest"
    if latest.is_symlink() or latest.exists():
        target = latest.resolve()
        if not (target.is_dir() and (target / "index.html").is_file()):
            damaged.append(f"latest -> {os.readlink(latest) if latest.is_symlink() else latest} is not a complete set")
    return damaged


def render_command(out: Path, date: str, plan: str = "fuyang") -> list[str]:
    return [sys.executable, "-m", "helpers", "render", "--plan", plan, "--out", str(out), "--date", date, "--quiet"]


def _worker_pid(root: int) -> int | None:
    """A render worker (a spawned multiprocessing child of the render), if one runs yet."""
    import psutil

    try:
        for child in psutil.Process(root).children():
            if "multiprocessing.spawn" in " ".join(child.cmdline()):  # not the resource tracker
                return child.pid
    except psutil.Error:
        return None
    return None


def _is_kernel(pid: int, cmd: str) -> bool:
    """A fresh kernel, or one forked from the render's kernel template (same command line as the
    template, and the template is its parent)."""
    import psutil

    if "ipykernel" in cmd:
        return True
    if "kernels.zygote" not in cmd:
        return False
    try:
        return "kernels.zygote" in " ".join(psutil.Process(pid).parent().cmdline())
    except (psutil.Error, AttributeError):
        return False


def wait_for_kernel(proc: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the render ``proc`` runs notebooks (a process of its tree is a kernel); False
    when it ended, or none started within ``timeout`` seconds (liveness)."""
    import psutil

    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            tree = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            tree = []
        for p in tree:
            try:
                if _is_kernel(p.pid, " ".join(p.cmdline())):
                    return True
            except psutil.Error:
                continue
        time.sleep(0.2)
    return False


def _wait_for_moment(proc: subprocess.Popen, tag: str, at: float | str) -> None:
    """Wait for the moment ``at``: seconds after the start, or ``"kernels"`` (once a kernel of the
    render runs a notebook), or ``"kernels+S"`` (S seconds after that). Returns early when the
    render ends first."""
    if isinstance(at, (int, float)):
        try:
            proc.wait(timeout=at)
        except subprocess.TimeoutExpired:
            pass
        return
    extra = float(at.partition("+")[2] or 0)
    deadline = time.monotonic() + EXIT_LIMIT * 2
    while proc.poll() is None and time.monotonic() < deadline:
        if any(_is_kernel(pid, cmd) for pid, cmd in marked_processes(tag)):
            break
        time.sleep(0.1)
    try:
        proc.wait(timeout=extra)
    except subprocess.TimeoutExpired:
        pass


def run_trial(out: Path, date: str, how: str, at: float | str, plan: str = "fuyang",
              env: dict | None = None) -> Trial:
    """Start a render of ``plan`` into ``out`` dated ``date``; at the moment ``at``
    (:func:`_wait_for_moment`) interrupt it ``how``; return what happened (:class:`Trial`)."""
    tag = uuid.uuid4().hex
    plan_out = out / plan
    before = set_digests(plan_out)
    trial = Trial(how, at)
    run_env = {**os.environ, **(env or {}), MARKER: tag}
    proc = subprocess.Popen(render_command(out, date, plan), env=run_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _wait_for_moment(proc, tag, at)
        if proc.poll() is None:
            trial.interrupted = True
            if how == "KILL_WORKER":
                worker = _worker_pid(proc.pid)
                target, sig = (worker, signal.SIGKILL) if worker else (proc.pid, signal.SIGTERM)
            else:
                target = proc.pid
                sig = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "KILL_PARENT": signal.SIGKILL}[how]
            t0 = time.monotonic()
            try:
                os.kill(target, sig)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=EXIT_LIMIT)
                trial.exit_seconds = time.monotonic() - t0
            except subprocess.TimeoutExpired:
                trial.exited = False
                proc.kill()
                proc.wait()
        trial.returncode = proc.returncode
        trial.stderr = proc.stderr.read()[-2000:] if proc.stderr else ""
        deadline = time.monotonic() + SETTLE
        left = marked_processes(tag)
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = marked_processes(tag)
        trial.survivors = [f"{pid} {cmd[:120]}" for pid, cmd in left]
        trial.damaged = check_sets(plan_out, before)
        return trial
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
        _kill_marked(tag)


def moments(n: int, span: float) -> list[float]:
    """``n`` moments spread evenly over ``(0, span]`` seconds: deterministic."""
    return [round(span * (i + 1) / (n + 1), 2) for i in range(n)]
