"""The render's kernel template: a handle on the template process (:class:`Template`), started
by the render's parent before its workers (:func:`start_for_render`) and attached to by each
worker (:func:`attach`, :func:`current`); the process itself is :mod:`helpers.publish.kernels.zygote`.
"""

from __future__ import annotations

import json
import os

from helpers.publish.jobs import notebook_imports
from helpers.publish.kernels.engine import ENGINE_NAME, FRESH_ENGINE, selected_engine

#: Imported by every report notebook at run time (``params.prepare`` imports them lazily).
PRELOAD_EXTRA = ("helpers.data.load", "helpers.method.gaps", "helpers.method.summaries")
#: What a fresh ipykernel imports before the notebook's first line.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel")
_LAUNCHER = ["-m", "ipykernel_launcher"]
#: Seconds a kernel request may wait for the template (its imports, on a busy machine).
START_TIMEOUT = 120.0
_TEMPLATE: "Template | None" = None
#: How each kernel of this worker was started ("forked" or "fresh: <why>"), oldest first.
LAUNCHES: list[str] = []


class Template:
    """A handle on a template process. The process that started it owns it (``proc``: its stdin
    is the template's lifeline, it exits when that closes); render workers attach to it with
    :meth:`info`."""

    def __init__(self, prefix: list[str], sock: str, pid: int, proc=None):
        self.prefix, self.sock, self.pid, self.proc = list(prefix), sock, pid, proc
        self.dead: str | None = None

    @classmethod
    def start(cls, prefix: list[str], folder: str, specs: list[str], env: dict | None = None,
              log_path: str | None = None) -> "Template":
        """Start a template on the interpreter ``prefix`` (the kernel's, with its flags)."""
        import subprocess

        sock, listing = os.path.join(folder, "z"), os.path.join(folder, "z.json")
        with open(listing, "w", encoding="utf-8") as fh:  # not argv: ps shows no module names
            json.dump(list(specs), fh)
        code = "from helpers.publish.kernels.zygote import main; main()"
        log = open(log_path, "ab") if log_path else None  # the kernels' output goes there too
        try:
            proc = subprocess.Popen([*prefix, "-c", code, sock, listing], stdin=subprocess.PIPE, stdout=log,
                                    stderr=log, cwd=folder, env=env, start_new_session=True)
        finally:
            if log is not None:
                log.close()
        return cls(prefix, sock, proc.pid, proc)

    def info(self) -> dict:
        return {"prefix": self.prefix, "sock": self.sock, "pid": self.pid}

    def alive(self) -> bool:
        if self.proc is not None:
            return self.proc.poll() is None
        try:
            os.kill(self.pid, 0)
        except OSError:
            return False
        return True

    def kernel_args(self, cmd: list[str]) -> list[str] | None:
        """The kernel's own arguments when ``cmd`` runs ipykernel on the template's interpreter."""
        n = len(self.prefix) + len(_LAUNCHER)
        return list(cmd[n:]) if list(cmd[:n]) == self.prefix + _LAUNCHER else None

    async def fork(self, args: list[str], env: dict, cwd: str, timeout: float) -> tuple[int | None, str]:
        """(pid, "") of a forked kernel, or (None, why not)."""
        import asyncio

        if self.dead:
            return None, self.dead
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        request = json.dumps({"args": args, "env": env, "cwd": cwd}).encode() + b"\n"
        while True:
            if not self.alive():
                self.dead = "the template exited"
                return None, self.dead
            try:
                reader, writer = await asyncio.open_unix_connection(self.sock)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if loop.time() > deadline:
                    return None, "the template did not start in time"
                await asyncio.sleep(0.02)
        try:
            writer.write(request)
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), max(1.0, deadline - loop.time()))
            reply = json.loads(line) if line else {"refuse": "the template closed the connection"}
        except (OSError, ValueError, asyncio.TimeoutError) as exc:
            self.dead = f"the template did not answer ({type(exc).__name__})"
            return None, self.dead
        finally:
            writer.close()
        if "pid" in reply:
            return int(reply["pid"]), ""
        return None, str(reply.get("refuse", "no reason given"))

    def close(self, wait: float = 1.0) -> None:
        """Owner only: close the template's stdin, so it ends (killing any kernel still
        running); wait up to ``wait`` seconds for it, then kill it."""
        import subprocess

        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def kernel_argv(kernel_name: str) -> list[str]:
    """The kernel spec's ``argv``, read where jupyter_client finds it (first ``kernel.json`` on
    the Jupyter data path), without importing jupyter_client."""
    from jupyter_core.paths import jupyter_path

    for d in jupyter_path("kernels"):
        path = os.path.join(d, kernel_name.lower(), "kernel.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                return list(json.load(fh).get("argv", []))
    return []


def start_for_render(kernel_name: str, folder: str, notebooks, env: dict, log_path: str) -> Template | None:
    """The renderer's parent, before it starts its workers: the render's one template, when the
    warm engine is selected and ``kernel_name`` runs ``python ... -m ipykernel_launcher``. It
    imports ipykernel, the ``notebooks``' imports (:func:`notebook_imports`) and
    :data:`PRELOAD_EXTRA`; ``env`` must be the environment the workers' kernels get (else the
    template refuses every kernel); its output and its kernels' go to ``log_path``."""
    if selected_engine() != ENGINE_NAME:
        return None
    argv = kernel_argv(kernel_name)
    i = next((i for i in range(len(argv) - 1) if argv[i:i + 2] == _LAUNCHER), None)
    if i is None:
        return None
    specs = [*KERNEL_MODULES, *dict.fromkeys([*notebook_imports(notebooks), *PRELOAD_EXTRA])]
    return Template.start(argv[:i], folder, specs, env, log_path)


def attach(info: dict | None) -> str:
    """A render worker: use the render's template (``info``: :meth:`Template.info`, or None for
    none); returns the papermill engine to use."""
    global _TEMPLATE
    _TEMPLATE = Template(**info) if info else None
    return ENGINE_NAME if info else FRESH_ENGINE


def current() -> "Template | None":
    """The template this process's kernels are forked from, if any."""
    return _TEMPLATE


