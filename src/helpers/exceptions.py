"""Every error the package raises on purpose.

The command line turns a :class:`HelpersError` into a message on stderr and an exit code
(2 for bad input, 1 for a failed render) instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence


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
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class UnknownValueError(HelpersError, ValueError):
    """A parameter names something that does not exist (an area, an indicator, a geo...)."""

    def __init__(self, what: str, value: object, valid: Sequence[object]):
        self.what, self.value, self.valid = what, value, list(valid)
        shown = ", ".join(map(str, self.valid))
        super().__init__(f"unknown {what} {value!r}; valid values are: {shown}")


class ImportConflictError(HelpersError):
    """An imported value differs from the value already stored (and ``--replace`` was not given)."""

    def __init__(self, conflicts: Sequence[str]):
        self.conflicts = list(conflicts)
        super().__init__(
            f"{len(self.conflicts)} conflicting value(s); nothing was written. "
            "Re-run with --replace to overwrite them:\n" + "\n".join(f"  {c}" for c in self.conflicts)
        )


class RenderError(HelpersError):
    """A report notebook failed; names the notebook and the cell."""

    exit_code = 1

    def __init__(self, message: str, notebook: str | None = None, cell: int | None = None):
        self.notebook, self.cell = notebook, cell
        super().__init__(message)


class LockedError(HelpersError):
    """Another render holds the lock on the reports directory."""

    exit_code = 3


class Interrupted(BaseException):
    """A render received SIGTERM or SIGHUP (a BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` swallows it); the command line exits 143."""
