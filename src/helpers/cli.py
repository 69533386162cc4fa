"""Command line: ``python -m helpers <command> ...``.

Commands: ``validate``, ``gaps``, ``build``, ``template``, ``import``, ``coverage``, ``render``,
``new-plan``.
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
from helpers.exceptions import HelpersError, Interrupted
from helpers.vocab import LANGS, METHODS


def _add_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plan", default=None, metavar="NAME|DIR",
                   help="the plan: the name of a folder under data/raw/, or a folder holding "
                        "plan.json, targets.csv and statistics.csv; default: the default plan "
                        f"({paths.DEFAULT_PLAN}, set in pyproject.toml)")
    p.add_argument("--targets", type=Path, default=None,
                   help="targets table instead of --plan (plan.json is read from beside it)")
    p.add_argument("--statistics", type=Path, default=None,
                   help="statistics table instead of --plan (default: statistics.csv beside --targets)")


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year: {text!r}") from None
    if not 1900 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"year out of range 1900-2100: {year}")
    return year


#: What ``--geo`` defaults to everywhere (:func:`helpers.geos.default_geo`).
GEO_DEFAULT = ("default: the plan's jurisdiction (plan.json; without one, the geo with the most "
               "rows of target values)")
#: ``--geo`` of the commands that score or list several geos (:func:`helpers.geos.resolve_geos`).
GEOS_HELP = ("jurisdiction(s) to score: a name, a comma-separated list, or 'all' (the plan's own "
             f"and every other geo with target values except the plan's benchmarks); {GEO_DEFAULT}")
#: ``--geo`` of the commands about one geo (:func:`helpers.geos.check_geo`).
GEO_HELP = f"jurisdiction (one geo of the plan or the statistics); {GEO_DEFAULT}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers", allow_abbrev=False,
        description="Track a plan's quantitative targets against what actually happened.",
    )
    parser.add_argument("--version", action="version", version=f"helpers {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _sub = sub.add_parser
    sub.add_parser = lambda *a, **k: _sub(*a, allow_abbrev=False, **k)  # --area is not --areas

    p = sub.add_parser("validate", help="check the targets and statistics tables (and plan.json)")
    _add_inputs(p)

    p = sub.add_parser("gaps", help="compute the gap-to-target trajectory table")
    _add_inputs(p)
    p.add_argument("--out", type=Path, default=None,
                   help="output CSV; default: data/processed/<plan>/gaps.csv")
    p.add_argument("--geo", default=None, help=GEOS_HELP)
    p.add_argument("--method", choices=METHODS, default="linear",
                   help="progress method; default: %(default)s")
    p.add_argument("--binding", action="store_true",
                   help="score only the binding (约束性) targets (targets column binding = binding)")

    p = sub.add_parser("build", help="rebuild every table in data/processed/ from the inputs")
    _add_inputs(p)
    p.add_argument("--out-dir", type=Path, default=None,
                   help="output folder; default: data/processed/<plan>/")
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

    p = sub.add_parser("new-plan", help="create a plan folder to fill in (plan.json, targets.csv, statistics.csv)")
    p.add_argument("folder", type=Path, help="the new plan's folder (e.g. data/raw/my_plan)")
    p.add_argument("--jurisdiction", required=True, help="geo key of the place the plan is about (e.g. hubei)")
    p.add_argument("--title-zh", default=None, help="the plan's Chinese title")
    p.add_argument("--title-en", default=None, help="the plan's English title")

    p = sub.add_parser("render", help="render the dated HTML reports")
    _add_inputs(p)
    p.add_argument("--date", default=None, help="report date YYYY-MM-DD; default: today")
    p.add_argument("--areas", nargs="+", default=None, metavar="AREA",
                   help="area keys of the plan to render (plan.json's areas); "
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
    p.add_argument("--out", type=Path, default=paths.REPORTS_DIR,
                   help="reports root: the set goes to <out>/<plan>/YYYY-MM-DD/ and <out>/index.html "
                        "lists every plan's sets; default: %(default)s")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds; default: %(default)s")
    p.add_argument("--wait", action="store_true",
                   help="wait for a running render to finish instead of exiting")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def _resolve_plan(args: argparse.Namespace) -> None:
    """``--plan`` or ``--targets/--statistics`` -> the plan's files; output defaults follow it."""
    from helpers.plan import locate

    if args.command == "render" and args.plan == "all" and args.targets is None and args.statistics is None:
        args.plan_files = None  # every shipped plan (helpers.render.cli_render)
        return
    files = locate(args.plan, args.targets, args.statistics)
    args.plan_files = files
    args.targets, args.statistics = files.targets_path, files.statistics_path
    default_out = ((args.command == "gaps" and args.out is None)
                   or (args.command == "build" and args.out_dir is None))
    if default_out:  # our own folder data/processed/<plan>/: made when missing
        try:
            files.processed_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # reported with the path and the reason when the file is written
    if args.command == "gaps" and args.out is None:
        args.out = files.processed_dir / "gaps.csv"
    if args.command == "build" and args.out_dir is None:
        args.out_dir = files.processed_dir


def _dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "new-plan":
        from helpers.plan import cli_new_plan
        return cli_new_plan(args)
    _resolve_plan(args)
    if cmd == "validate":
        from helpers.validate import cli_validate
        return cli_validate(args)
    if cmd == "gaps":
        from helpers.processed import cli_gaps
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
    except Interrupted as exc:
        print(f"stopped: {exc}", file=sys.stderr)
        return 143
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
