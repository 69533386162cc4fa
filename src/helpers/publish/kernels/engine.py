"""Which papermill engine runs the report notebooks: ``warm-fork`` (kernels forked from one
template per render: :mod:`helpers.publish.kernels.template`, :mod:`~helpers.publish.kernels.fork`,
:mod:`~helpers.publish.kernels.zygote`) or ``nbclient``, papermill's own, a fresh kernel per
notebook, which is also the fallback wherever the warm engine cannot run.

Why forking and not reusing one kernel: a reused kernel is only as isolated as the list of
things reset between notebooks (module caches, registries, monkey-patches); a kernel forked from
a template that only imported is an ordinary fresh ipykernel process whose memory is the
template's post-import state, which no notebook ever touches. The template refuses to fork
whenever a forked kernel could differ from a fresh one (see the zygote), and the render then
starts a fresh kernel, so the render never depends on the trick.

Selecting: ``HELPERS_RENDER_ENGINE=warm-fork`` (default) or ``nbclient`` (the benchmark's floor
uses it). Linux only (fork, pidfd); elsewhere ``nbclient``. The warm engine is registered in
papermill's engine registry in-process (:func:`helpers.publish.kernels.fork.register`) by each
render worker; there is no entry point to install.
"""

from __future__ import annotations

import os
import sys

ENGINE_NAME = "warm-fork"
#: papermill's default engine: a fresh kernel per notebook.
FRESH_ENGINE = "nbclient"
ENGINE_ENV = "HELPERS_RENDER_ENGINE"


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
