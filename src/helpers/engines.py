"""The ``warm-fork`` papermill engine: kernel start and imports paid once per render, and still a
fresh process per notebook.

Design. Two ways to stop paying a kernel start and the imports for every notebook:

1. *Reuse one kernel* and reset it between notebooks (``%reset -f``, rcParams, caches, cwd,
   environment, warnings filters, pandas options...). Isolation is then only as good as the list
   of things reset: any module-level cache, registry or monkey-patch a library keeps is carried
   from one notebook into the next, silently.
2. *Fork a template* (what this module does). Each render starts one template process
   (:mod:`helpers._zygote`, started by the parent before its workers, so it imports while they
   start) on the notebooks' kernel interpreter; it imports ipykernel and what the report
   notebooks import (their import statements, plus :data:`PRELOAD_EXTRA`), and then only forks.
   Every notebook's kernel is a forked child that becomes an ordinary ipykernel: a process of its
   own whose memory is the template's post-import state, which no notebook ever touches.
   Nothing needs resetting because nothing is reused but what a fresh kernel would have built
   identically. The template refuses to fork (and a fresh kernel is started instead, so the
   render never depends on the template) whenever a forked kernel could differ from a fresh
   one: see :mod:`helpers._zygote` (imports that print or warn or fail, an environment that
   differs, a working directory that shadows a preloaded module).

Option 2 is used: kernel start and imports are paid once per render, not once per notebook. The
pieces, from papermill down:

- :class:`WarmForkEngine` — the papermill engine ``warm-fork``: papermill's own
  :class:`~papermill.engines.NBClientEngine` (so parameter injection, the ``papermill`` metadata,
  the error cell and :class:`~papermill.exceptions.PapermillExecutionError` are papermill's) on
  forked kernels (:mod:`helpers._warmfork`). Registered in-process by :func:`register` and
  through the ``papermill.engine`` entry point (pyproject.toml); this module imports neither
  papermill nor jupyter_client, so papermill can load the entry point while it is imported.
- :mod:`helpers._warmfork` — a kernel manager whose provisioner is jupyter_client's
  LocalProvisioner except that ``launch_kernel`` asks the template to fork. The connection file,
  ports, IPC sockets, keys, interrupts (to the kernel's own process group), kill and clean-up are
  jupyter_client's; the process handle is a pidfd. Any refusal or error falls back to a fresh
  kernel, noted in the kernel log.
- :class:`Template`, :func:`start_for_render`, :func:`attach` — the parent starts the template
  (with the environment its workers' kernels will have) and passes :meth:`Template.info` to
  every worker.

Selecting: ``HELPERS_RENDER_ENGINE=warm-fork`` (default) or ``nbclient`` (papermill's default
engine: a fresh kernel per notebook; the benchmark's floor uses it). Linux only (fork, pidfd);
elsewhere the renderer uses ``nbclient``.
"""

from __future__ import annotations

import json
import os
import sys

from helpers._zygote import notebook_imports

ENGINE_NAME = "warm-fork"
#: papermill's default engine: a fresh kernel per notebook.
FRESH_ENGINE = "nbclient"
ENGINE_ENV = "HELPERS_RENDER_ENGINE"
#: Imported by every report notebook at run time (``params.prepare`` imports them lazily).
PRELOAD_EXTRA = ("helpers.load", "helpers.gaps", "helpers.summaries")
#: What a fresh ipykernel imports before the notebook's first line.
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel")
_LAUNCHER = ["-m", "ipykernel_launcher"]
#: Seconds a kernel request may wait for the template (its imports, on a busy machine).
START_TIMEOUT = 120.0
_TEMPLATE: "Template | None" = None
#: How each kernel of this worker was started ("forked" or "fresh: <why>"), oldest first.
LAUNCHES: list[str] = []


def selected_engine() -> str:
    """The engine named by :data:`ENGINE_ENV` (default :data:`ENGINE_NAME`); ``nbclient`` where
    the warm engine cannot run."""
    name = os.environ.get(ENGINE_ENV, "").strip() or ENGINE_NAME
    if name not in (ENGINE_NAME, FRESH_ENGINE):
        from helpers.exceptions import UnknownValueError

        raise UnknownValueError(ENGINE_ENV, name, [ENGINE_NAME, FRESH_ENGINE])
    if name == ENGINE_NAME and not (sys.platform.startswith("linux") and hasattr(os, "pidfd_open")):
        return FRESH_ENGINE
    return name


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
        code = "from helpers._zygote import main; main()"
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


def register() -> None:
    """Register :class:`WarmForkEngine` with papermill in this process (the ``papermill.engine``
    entry point does the same once the package is installed)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, WarmForkEngine)


class WarmForkEngine:
    """The papermill engine ``warm-fork`` (:class:`helpers._warmfork.ForkEngine`, papermill's
    NBClientEngine on forked kernels). This module is the entry point's target and imports
    neither papermill nor jupyter_client: papermill loads its entry points while it is being
    imported, and the implementation imports papermill."""

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        from helpers._warmfork import ForkEngine

        return ForkEngine.execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, *args, **kwargs):
        from helpers._warmfork import ForkEngine

        return ForkEngine.nb_kernel_name(*args, **kwargs)

    @classmethod
    def nb_language(cls, *args, **kwargs):
        from helpers._warmfork import ForkEngine

        return ForkEngine.nb_language(*args, **kwargs)
