"""Every error the package raises on purpose.

The command line turns a :class:`HelpersError` into a message on stderr and an exit code
(2 for bad input or an output that cannot be written, 1 for a failed render, 3 when the data or
the reports are locked by another command) instead of a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

#: At most this many problems (or conflicts) are printed; the rest are summarised.
PRINT_LIMIT = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file.

    ``line`` is the 1-based line number in the file as a text editor shows it (the header is
    line 1, the first data row line 2); ``None`` when the problem concerns the whole file.
    ``column`` is the column name, or ``None`` for a whole-row or whole-file problem.
    """

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        col = f" column '{self.column}':" if self.column else ""
        return f"{where}:{col} {self.message}"


_VARIABLE = re.compile(r"'[^']*'|\d+(?:\.\d+)?")


def problem_kind(p: "Problem") -> tuple:
    """What kind of problem ``p`` is, for the summary of problems not printed: its column and
    its message with quoted texts and numbers blanked ("'1,300': thousands separator…" and
    "'2,500': thousands separator…" are one kind)."""
    return (p.column, _VARIABLE.sub("_", p.message))


def format_lines(lines: Sequence[str], limit: int = PRINT_LIMIT, kinds: int | None = None,
                 noun: str = "problems") -> list[str]:
    """``lines`` cut to ``limit``, then "... and N more problems (K distinct kinds)"."""
    lines = list(lines)
    if len(lines) <= limit:
        return lines
    rest = len(lines) - limit
    what = f" ({kinds} distinct kind{'s' if kinds != 1 else ''})" if kinds is not None else ""
    return lines[:limit] + [f"... and {rest} more {noun}{what}"]


def format_problems(problems: Sequence["Problem"], limit: int = PRINT_LIMIT) -> list[str]:
    """One line per problem, at most ``limit``; then "... and N more problems (K distinct
    kinds)", the kinds (:func:`problem_kind`) counted among the problems not printed."""
    kinds = len({problem_kind(p) for p in problems[limit:]}) if len(problems) > limit else None
    return format_lines([str(p) for p in problems], limit, kinds)


class HelpersError(Exception):
    """Base class of every error raised on purpose by this package."""

    exit_code = 2


class ValidationError(HelpersError):
    """Input failed validation; ``problems`` lists every problem found (not only the first)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(f"  {line}" for line in format_problems(self.problems))])


class UnknownValueError(HelpersError, ValueError):
    """A parameter names something that does not exist (an area, an indicator, a geo...).

    The message is "unknown <what> <value>; valid values are: a, b", or, when nothing is valid
    (e.g. a plan without statistics has no geo), "...; there is no <what> to choose from".
    ``problem`` replaces the "unknown <what> <value>" part when the value was fine but led
    nowhere (no geo given and none can be inferred)."""

    def __init__(self, what: str, value: object, valid: Sequence[object], problem: str | None = None):
        self.what, self.value, self.valid = what, value, list(valid)
        head = problem or f"unknown {what} {value!r}"
        if self.valid:
            tail = "valid values are: " + ", ".join(map(str, self.valid))
        else:
            tail = f"there is no {what} to choose from"
        super().__init__(f"{head}; {tail}")


class ImportConflictError(HelpersError):
    """An imported value differs from the value already stored (and ``--replace`` was not given)."""

    def __init__(self, conflicts: Sequence[str]):
        self.conflicts = list(conflicts)
        super().__init__(
            f"{len(self.conflicts)} conflicting value(s); nothing was written. "
            "Re-run with --replace to overwrite them:\n"
            + "\n".join(f"  {c}" for c in format_lines(self.conflicts, noun="conflicts"))
        )


class RenderError(HelpersError):
    """A report notebook failed; names the notebook and the cell."""

    exit_code = 1

    def __init__(self, message: str, notebook: str | None = None, cell: int | None = None):
        self.notebook, self.cell = notebook, cell
        super().__init__(message)


class OutputError(HelpersError):
    """An output could not be written (read-only folder, missing folder, a folder in the way, full
    disk...): names the path and the operating system's reason. Nothing was half-written: the
    previous file, if any, is unchanged (:mod:`helpers.data.fileio` writes atomically)."""

    def __init__(self, path: object, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: cannot write: {reason}")


class LockedError(HelpersError):
    """Another render holds the lock on the reports directory, or another command holds the data
    lock (:mod:`helpers.data.locks`)."""

    exit_code = 3


class Interrupted(BaseException):
    """A render received SIGTERM or SIGHUP (a BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` swallows it); the command line exits 143."""
