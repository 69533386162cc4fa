"""The template process of the ``warm-fork`` papermill engine (:mod:`helpers.publish.kernels.engine`).

Run by the renderer as ``<kernel python> <kernel flags> -c "...main()" SOCKET SPECS.json``. It
does what a fresh kernel does before a notebook's first line runs and what the notebooks' import
cells do — imports ipykernel and the modules listed in ``SPECS.json`` — and nothing else. Then, for every request
on the Unix socket ``SOCKET`` (one JSON line: the kernel's arguments, environment and working
directory), it forks; the child becomes an ordinary ipykernel on the connection file it was given
and the template replies with the child's pid. Every notebook therefore runs in a process of its
own whose state is the template's untouched post-import state: nothing a notebook does can reach
the next one.

The template refuses (replies ``{"refuse": reason}``, and the engine starts a fresh kernel
instead) whenever a forked kernel could differ from a fresh one:

- importing printed anything or showed a warning (a fresh kernel would show it in the notebook);
- an import failed (the notebook must report it itself);
- the kernel's environment differs from the template's in a variable other than the per-kernel
  ones (:data:`PER_KERNEL_ENV`): modules read the environment when they are imported;
- the kernel's working directory holds a file or folder named like a preloaded top-level module
  (a fresh kernel, which puts its working directory on ``sys.path``, would import that one).

Standard library only at module level, so the template holds nothing the notebooks would not
import themselves. The template exits when its parent (the worker) closes its stdin, and kills
any kernel it forked that is still running.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import importlib.util
import io
import json
import os
import select
import signal
import socket
import sys
import tempfile
import traceback
import warnings

#: What IPKernelApp sets when MPLBACKEND is unset, before any user code runs.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Environment variables that may differ between the template and a kernel (the kernel gets its
#: own values either way): set by jupyter_client and read only at run time; set by the kernel app
#: itself before user code (MPLBACKEND, which the template sets the same way); the terminal size
#: (COLUMNS, LINES), which GNU readline writes into a process's C-level environment behind
#: os.environ's back (so the workers, which inherit that environment, can have them while the
#: environment the renderer gives the template does not), read when output is formatted.
#: JPY_PARENT_PID is read when ipykernel is imported: the template sets it to its own pid, the
#: kernels' parent, and the engine passes the same value.
PER_KERNEL_ENV = frozenset({"JPY_SESSION_NAME", "MPLBACKEND", "COLUMNS", "LINES"})
#: Warnings Python does not show by default (outside ``__main__``): importing may raise them.
_QUIET = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def _import_all(specs: list[str]) -> None:
    """``a`` means ``import a``; ``a:b,c`` means ``from a import b, c`` (a submodule is imported
    when the package has no such attribute, as Python's ``from`` does)."""
    for spec in specs:
        name, _, names = spec.partition(":")
        mod = importlib.import_module(name)
        for attr in filter(None, names.split(",")):
            if not hasattr(mod, attr):
                importlib.import_module(f"{name}.{attr}")


def preload(specs: list[str]) -> str | None:
    """Import ``specs``; return why the template is not faithful to a fresh kernel, or None."""
    with tempfile.TemporaryFile() as captured:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(captured.fileno(), 1)
        os.dup2(captured.fileno(), 2)
        failure = None
        try:
            # "always": record every warning without marking it as shown, so a forked kernel
            # shows a later warning exactly as a fresh one would.
            text = io.StringIO()  # Python-level writes; C-level ones reach the file
            with warnings.catch_warnings(record=True) as caught, \
                    contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
                warnings.simplefilter("always")
                try:
                    _import_all(specs)
                except Exception as exc:  # noqa: BLE001 — the notebook will report it itself
                    failure = f"importing failed: {type(exc).__name__}: {exc}"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        captured.seek(0)
        output = text.getvalue().encode() + captured.read()
    if failure:
        return failure
    loud = [w for w in caught if not issubclass(w.category, _QUIET)]
    if loud:
        return f"importing showed a warning: {loud[0].category.__name__}: {loud[0].message}"
    if output.strip():
        return f"importing wrote output: {output[:200]!r}"
    return None


def _why_not(req: dict, env0: dict, tops: set[str], unfaithful: str | None) -> str | None:
    if unfaithful:
        return unfaithful
    env = req["env"]
    differ = sorted(k for k in set(env) | set(env0) if env.get(k) != env0.get(k) and k not in PER_KERNEL_ENV)
    if env.get("MPLBACKEND", INLINE_BACKEND) != env0.get("MPLBACKEND"):
        differ.append("MPLBACKEND")
    if differ:
        return "the kernel's environment differs from the template's in " + ", ".join(differ[:5])
    cwd = req["cwd"]
    shadow = sorted(n for n in tops if os.path.exists(os.path.join(cwd, n)) or os.path.exists(os.path.join(cwd, n + ".py")))
    if shadow:
        return f"the kernel's working directory holds {shadow[0]!r}, the name of a preloaded module"
    return None


def _become_kernel(req: dict) -> None:
    """In the forked child: the state of a process that was started as this kernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    os.chdir(req["cwd"])
    os.environ.clear()
    os.environ.update(req["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    if "numpy" in sys.modules:  # the random module reseeds itself after a fork; numpy does not
        sys.modules["numpy"].random.seed()
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *req["args"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def _fork(conn: socket.socket, listener: socket.socket, req: dict, live: set[int]) -> int:
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the kernel
        code = 1
        try:
            os.close(ready_r)
            conn.close()
            listener.close()
            os.setsid()  # its own process group, as jupyter_client starts kernels
            os.write(ready_w, b"1")
            os.close(ready_w)
            _become_kernel(req)
            atexit._run_exitfuncs()
            code = 0
        except BaseException:  # noqa: BLE001 — a kernel must never return into the template
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    os.close(ready_w)
    select.select([ready_r], [], [], 10)  # until the child has its own session
    os.close(ready_r)
    live.add(pid)
    return pid


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    sock_path = argv[0]
    with open(argv[1], encoding="utf-8") as fh:
        specs = list(json.load(fh))
    if sys.path and sys.path[0] == "":
        del sys.path[0]  # the kernel app adds the kernel's working directory itself
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(16)  # requests queue while the imports run
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    env0 = dict(os.environ)
    before = {m.partition(".")[0] for m in sys.modules}
    unfaithful = preload(specs)
    tops = ({m.partition(".")[0] for m in sys.modules} - before) | {s.partition(":")[0].partition(".")[0] for s in specs}
    live: set[int] = set()

    def reap(*_):
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            live.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when the template ends
    stdin = sys.stdin.fileno()
    parent = os.getppid()
    try:
        while True:
            ready, _, _ = select.select([listener, stdin], [], [], 1.0)
            if os.getppid() != parent:
                break  # the render is gone (killed): end the kernels too
            if stdin in ready and not os.read(stdin, 1024):
                break  # the worker is gone
            if listener not in ready:
                continue
            conn, _ = listener.accept()
            with conn:
                try:
                    with conn.makefile("rb") as fh:
                        req = json.loads(fh.readline())
                    reason = _why_not(req, env0, tops, unfaithful)
                    if reason:
                        reply = {"refuse": reason}
                    else:
                        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGCHLD])
                        try:
                            reply = {"pid": _fork(conn, listener, req, live)}
                        finally:
                            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGCHLD])
                except Exception as exc:  # noqa: BLE001 — a bad request must not end the template
                    reply = {"refuse": f"bad request: {type(exc).__name__}: {exc}"}
                conn.sendall(json.dumps(reply).encode() + b"\n")
    finally:
        for pid in list(live):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:  # and anything the kernels started
            from helpers.publish.hygiene import kill_tree

            kill_tree(os.getpid(), include_self=False, timeout=1.0)
        except Exception:  # noqa: BLE001 — ending anyway
            pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # nothing to finalise: skip tearing down the imported libraries
