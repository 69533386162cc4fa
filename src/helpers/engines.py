"""The ``warm-fork`` papermill engine: kernel start and imports paid once per render worker, and
still a fresh process per notebook.

Design. Two ways to stop paying a kernel start and the imports for every notebook:

1. *Reuse one kernel* and reset it between notebooks (``%reset -f``, rcParams, caches, cwd,
   environment, warnings filters, pandas options...). Isolation is then only as good as the list
   of things reset: any module-level cache, registry or monkey-patch a library keeps is carried
   from one notebook into the next, silently.
2. *Fork a template* (what this module does). Each render worker starts one template process
   (:mod:`helpers._zygote`) on the notebooks' kernel interpreter; it imports ipykernel and what
   the report notebooks import (their import statements, plus :data:`PRELOAD_EXTRA`), and then
   only forks. Every notebook's kernel is a forked child that becomes an ordinary ipykernel: a
   process of its own whose memory is the template's post-import state, which no notebook ever
   touches. Nothing needs resetting because nothing is reused but what a fresh kernel would have
   built identically. The template refuses to fork (and a fresh kernel is started instead, so
   the render never depends on the template) whenever a forked kernel could differ from a fresh
   one: see :mod:`helpers._zygote` (imports that print or warn or fail, an environment that
   differs, a working directory that shadows a preloaded module).

Option 2 is used. The pieces, from papermill down:

- :class:`WarmForkEngine` — a papermill engine (``engine_name="warm-fork"``): papermill's own
  :class:`~papermill.engines.NBClientEngine` (so parameter injection, the ``papermill`` metadata,
  the error cell and :class:`~papermill.exceptions.PapermillExecutionError` are papermill's), on
  a :class:`WarmForkKernelManager`. Registered in-process by :func:`register` and through the
  ``papermill.engine`` entry point (pyproject.toml).
- :class:`WarmForkKernelManager` — jupyter_client's AsyncKernelManager with a
  :class:`ForkProvisioner` instead of the LocalProvisioner (unless the kernel spec names one).
- :class:`ForkProvisioner` — the LocalProvisioner, except that ``launch_kernel`` asks the
  worker's template to fork instead of running the kernel command. The connection file, ports,
  IPC sockets, keys, interrupts (to the kernel's own process group), kill and clean-up are
  jupyter_client's; the process handle is a pidfd (:class:`_ForkedKernel`). Any refusal or error
  falls back to ``LocalProvisioner.launch_kernel`` (a fresh kernel), noted in the kernel log.

Selecting: ``HELPERS_RENDER_ENGINE=warm-fork`` (default) or ``nbclient`` (papermill's default
engine: a fresh kernel per notebook; the benchmark's floor uses it). Linux only (fork, pidfd);
elsewhere the renderer uses ``nbclient``.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from papermill.engines import NBClientEngine, papermill_engines

from helpers import _zygote
from helpers._zygote import (  # noqa: F401  (re-exported: the engine's names and switches)
    ENGINE_ENV,
    ENGINE_NAME,
    FRESH_ENGINE,
    LAUNCHES,
    PRELOAD_EXTRA,
    START_TIMEOUT,
    Template,
    selected_engine,
    start_template,
    stop_template,
)


def register() -> None:
    """Register :class:`WarmForkEngine` with papermill in this process (the entry point does the
    same once the package is installed)."""
    papermill_engines.register(ENGINE_NAME, WarmForkEngine)


class _ForkedKernel:
    """The part of :class:`subprocess.Popen` the LocalProvisioner uses, for a kernel that is the
    template's child, not ours: watched and signalled through a pidfd (no pid-reuse race). Its
    exit status is the template's to collect: an exit reads as 0, or minus the last fatal signal
    we sent."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._sent = 0
        self._fd: int | None = os.pidfd_open(pid)

    def poll(self) -> int | None:
        if self.returncode is None and self._fd is not None and select.select([self._fd], [], [], 0)[0]:
            self.returncode = -self._sent if self._sent else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.poll() is None:
            if not select.select([self._fd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self.poll()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self._fd, sig)
            if sig in (signal.SIGKILL, signal.SIGTERM):
                self._sent = sig

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked from the worker's template (module docstring)."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        template = _zygote.current()
        args = template.kernel_args(cmd) if template is not None else None
        why = "no template in this worker" if template is None else "not the template's kernel command"
        if args is not None:
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(template.pid)  # the kernel exits if its parent goes
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid, why = await template.fork(args, env, cwd, START_TIMEOUT)
            if pid is not None:
                self.process = _ForkedKernel(pid)
                self.pid = self.pgid = pid  # the child called setsid() before the reply
                self.cwd = cwd
                LAUNCHES.append("forked")
                return self.connection_info
        self.log.warning("warm-fork engine: starting a fresh kernel (%s)", why)
        LAUNCHES.append(f"fresh: {why}")
        return await super().launch_kernel(cmd, **kwargs)


class WarmForkKernelManager(AsyncKernelManager):
    """AsyncKernelManager on a :class:`ForkProvisioner` (unless the kernel spec names its own)."""

    async def _async_pre_start_kernel(self, **kw):
        spec = self.kernel_spec
        if self.provisioner is None and not (spec and spec.metadata.get("kernel_provisioner")):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class WarmForkEngine(NBClientEngine):
    """papermill's nbclient engine on a :class:`WarmForkKernelManager`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        kwargs.setdefault("kernel_manager_class", WarmForkKernelManager)
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
