"""Command line: ``python -m helpers <command> ...``.

Commands: ``validate``, ``gaps``, ``build``, ``template``, ``import``, ``coverage``, ``render``.
Bad input exits 2 with every problem listed (file, line, column); an output that cannot be
written (read-only, missing folder, a folder in the way, full disk) exits 2 naming the path and
the reason; a failed render exits 1; a render blocked by another running render, or an import or
build blocked by the data lock (:mod:`helpers.locks`), exits 3 (``--wait`` waits instead). No
traceback for expected errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from helpers import __version__, paths
from helpers.exceptions import HelpersError
from helpers.vocab import AREAS, LANGS, METHODS


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--targets", type=Path, default=paths.DEFAULT_TARGETS,
                   help="targets table (CSV contract); default: %(default)s")
    p.add_argument("--statistics", type=Path, default=paths.DEFAULT_STATISTICS,
                   help="statistics table (CSV contract); default: %(default)s")


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"year out of range 1900-2100: {year}")
    return year


#: What ``--geo`` defaults to everywhere (:func:`helpers.gaps.default_geo`).
GEO_DEFAULT = ("default: the plan's jurisdiction (plan.json; without one, the geo with the most "
               "rows of target values)")
#: ``--geo`` of the commands that score or list several geos (:func:`helpers.gaps.resolve_geos`).
GEOS_HELP = ("jurisdiction(s) to score: a name, a comma-separated list, or 'all' (the plan's own "
             f"and every other geo with target values except the plan's benchmarks); {GEO_DEFAULT}")
#: ``--geo`` of the commands about one geo (:func:`helpers.params.check_geo`).
GEO_HELP = f"jurisdiction (one geo of the plan or the statistics); {GEO_DEFAULT}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="Track a plan's quantitative targets against what actually happened.",
    )
    parser.add_argument("--version", action="version", version=f"helpers {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the targets and statistics tables (and plan.json)")
    _add_inputs(p)

    p = sub.add_parser("gaps", help="compute the gap-to-target trajectory table")
    _add_inputs(p)
    p.add_argument("--out", type=Path, default=paths.PROCESSED_DIR / "gaps.csv",
                   help="output CSV; default: %(default)s")
    p.add_argument("--geo", default=None, help=GEOS_HELP)
    p.add_argument("--method", choices=METHODS, default="linear",
                   help="progress method; default: %(default)s")

    p = sub.add_parser("build", help="rebuild every table in data/processed/ from the inputs")
    _add_inputs(p)
    p.add_argument("--out-dir", type=Path, default=paths.PROCESSED_DIR,
                   help="output folder; default: %(default)s")
    p.add_argument("--geo", default=None, help=GEOS_HELP)
    p.add_argument("--wait", action="store_true",
                   help="wait while an import or render holds the data lock instead of exiting (exit 3)")

    p = sub.add_parser("template", help="write the fill-in template for researchers")
    _add_inputs(p)
    p.add_argument("--out", type=Path, default=Path("statistics_template.csv"),
                   help="output path (.csv or .xlsx; must not exist yet); default: %(default)s")
    p.add_argument("--geo", default=None, help=GEO_HELP)

    p = sub.add_parser("import", help="merge a filled template into the statistics table")
    p.add_argument("path", type=Path, help="the filled template (.csv or .xlsx)")
    _add_inputs(p)
    p.add_argument("--replace", action="store_true",
                   help="overwrite existing values that differ (otherwise stop and name them)")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--wait", action="store_true",
                   help="wait while another import, build or render holds the data lock instead of exiting (exit 3)")

    p = sub.add_parser("coverage", help="how much of the plan has data")
    _add_inputs(p)
    p.add_argument("--geo", default=None, help=GEO_HELP)

    p = sub.add_parser("render", help="render the dated HTML reports")
    _add_inputs(p)
    p.add_argument("--date", default=None, help="report date YYYY-MM-DD; default: today")
    p.add_argument("--areas", nargs="+", default=None, metavar="AREA",
                   help=f"areas to render ({', '.join(AREAS)}, or another area of the targets); "
                        "default: every area that has a target")
    p.add_argument("--as-of", type=_year, default=None,
                   help="data as-of year; default: the latest year with data")
    p.add_argument("--method", choices=METHODS, default="linear",
                   help="progress method; default: %(default)s")
    p.add_argument("--lang", choices=LANGS, default="both",
                   help="language of the reports; default: %(default)s")
    p.add_argument("--geo", default=None, help=GEO_HELP)
    p.add_argument("--jobs", type=int, default=None,
                   help="notebooks run in parallel; default: the number of CPUs (at most one per report)")
    p.add_argument("--out", type=Path, default=paths.REPORTS_DIR, help="reports root; default: %(default)s")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds; default: %(default)s")
    p.add_argument("--wait", action="store_true",
                   help="wait for a running render to finish instead of exiting")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "validate":
        from helpers.validate import cli_validate
        return cli_validate(args)
    if cmd == "gaps":
        from helpers.gaps import cli_gaps
        return cli_gaps(args)
    if cmd == "build":
        from helpers.processed import cli_build
        return cli_build(args)
    if cmd == "template":
        from helpers.template import cli_template
        return cli_template(args)
    if cmd == "import":
        from helpers.template import cli_import
        return cli_import(args)
    if cmd == "coverage":
        from helpers.coverage import cli_coverage
        return cli_coverage(args)
    if cmd == "render":
        from helpers.render import cli_render
        return cli_render(args)
    raise AssertionError(cmd)  # argparse rejects unknown commands first


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except HelpersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`, which closed early: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        # An OS refusal no command turned into a message itself (each output is checked and
        # written through helpers.fileio, which raises OutputError): still a message, exit 2.
        from helpers.fileio import output_error

        where = getattr(exc, "output_path", None) or exc.filename or "(unknown path)"
        print(f"error: {output_error(where, exc)}", file=sys.stderr)
        return 2
