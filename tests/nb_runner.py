"""Executing the report notebooks with papermill for the notebook tests.

Kernels use IPC (Unix socket) transport under a private folder, so two kernels started at the
same moment by parallel workers cannot pick the same TCP port. Workers are spawned processes
(papermill's ``cwd`` changes the process's directory, so threads would race).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "plan-tracker"


def _ipc_config(folder: str):
    from traitlets.config import Config

    cfg = Config()
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.ip = os.path.join(folder, "kernel")
    return cfg


def execute(name: str, out_path: str | Path, parameters: dict | None = None,
            env: dict | None = None, timeout: int = 600):
    """Run ``notebooks/<name>`` with ``parameters`` (cwd = notebooks/, kernel plan-tracker),
    write the executed notebook to ``out_path`` and return it. Raises papermill's
    PapermillExecutionError when a cell fails (the executed notebook is still written)."""
    import papermill as pm

    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with tempfile.TemporaryDirectory(prefix="nbk-") as folder:
            return pm.execute_notebook(
                str(NOTEBOOKS / name), str(out_path), parameters=parameters or {},
                kernel_name=KERNEL, cwd=str(NOTEBOOKS), progress_bar=False, log_output=False,
                execution_timeout=timeout, config=_ipc_config(folder))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _job(args):
    name, out_path, parameters, env = args
    try:
        execute(name, out_path, parameters, env)
        return out_path, None
    except Exception as exc:  # reported to the test, which names the notebook and parameters
        return out_path, {"type": type(exc).__name__, "text": str(exc),
                          "ename": getattr(exc, "ename", None), "evalue": getattr(exc, "evalue", None),
                          "cell_index": getattr(exc, "cell_index", None)}


def execute_many(jobs: list[tuple[str, str, dict, dict | None]], workers: int = 2) -> dict[str, dict | None]:
    """Run (name, out_path, parameters, env) jobs on ``workers`` spawned processes; returns
    {out_path: None, or the error as a dict (type, text, ename, evalue, cell_index)}."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return dict(pool.map(_job, jobs))
