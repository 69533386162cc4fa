"""The papermill and jupyter_client side of the ``warm-fork`` engine (:mod:`helpers.publish.kernels.engine`):
kernels forked from the render's template instead of started.

- :class:`ForkEngine` — papermill's :class:`~papermill.engines.NBClientEngine` on a
  :class:`WarmForkKernelManager`;
- :class:`WarmForkKernelManager` — jupyter_client's AsyncKernelManager with a
  :class:`ForkProvisioner` (unless the kernel spec names a provisioner of its own);
- :class:`ForkProvisioner` — the LocalProvisioner, except that ``launch_kernel`` asks the
  template to fork instead of running the kernel command; any refusal or error falls back to
  ``LocalProvisioner.launch_kernel`` (a fresh kernel), noted in the kernel log;
- :class:`_ForkedKernel` — the Popen-like handle of a forked kernel (a pidfd).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from papermill.engines import NBClientEngine

from helpers.publish.kernels import template as kernel_template
from helpers.publish.kernels.engine import ENGINE_NAME


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
        template = kernel_template.current()
        args = template.kernel_args(cmd) if template is not None else None
        why = "no template in this worker" if template is None else "not the template's kernel command"
        if args is not None:
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(template.pid)  # the kernel exits if its parent goes
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid, why = await template.fork(args, env, cwd, kernel_template.START_TIMEOUT)
            if pid is not None:
                self.process = _ForkedKernel(pid)
                self.pid = self.pgid = pid  # the child called setsid() before the reply
                self.cwd = cwd
                kernel_template.LAUNCHES.append("forked")
                return self.connection_info
        self.log.warning("warm-fork engine: starting a fresh kernel (%s)", why)
        kernel_template.LAUNCHES.append(f"fresh: {why}")
        return await super().launch_kernel(cmd, **kwargs)


class WarmForkKernelManager(AsyncKernelManager):
    """AsyncKernelManager on a :class:`ForkProvisioner` (unless the kernel spec names its own)."""

    async def _async_pre_start_kernel(self, **kw):
        spec = self.kernel_spec
        if self.provisioner is None and not (spec and spec.metadata.get("kernel_provisioner")):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


class ForkEngine(NBClientEngine):
    """papermill's nbclient engine on a :class:`WarmForkKernelManager`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        kwargs.setdefault("kernel_manager_class", WarmForkKernelManager)
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


def register() -> None:
    """Register :class:`ForkEngine` in papermill's engine registry, in this process, as
    ``warm-fork`` (each render worker does it before its first notebook)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, ForkEngine)
