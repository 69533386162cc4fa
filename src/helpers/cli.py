"""Command line: ``python -m helpers <command> ...``.

Commands: ``validate``, ``gaps``, ``build``, ``template``, ``import``, ``coverage``,
``scorecard``, ``render``, ``new-plan``, ``extract``.
Bad input exits 2 with every problem listed (file, line, column); an output that cannot be
written (read-only, missing folder, a folder in the way, full disk) exits 2 naming the path and
the reason; a failed render exits 1; a render blocked by another running render, or an import or
build blocked by the data lock (:mod:`helpers.data.locks`), exits 3 (``--wait`` waits instead). No
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


def _positive(text: str) -> int:
    """A whole number of at least 1 (``--timeout`` seconds, ``--jobs``): 0 or -1 would mean
    "no limit" or "no worker" silently."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


#: What ``--geo`` defaults to everywhere (:func:`helpers.data.geos.default_geo`).
GEO_DEFAULT = ("default: the plan's jurisdiction (plan.json; without one, the geo with the most "
               "rows of target values)")
#: ``--geo`` of the commands that score or list several geos (:func:`helpers.data.geos.resolve_geos`).
GEOS_HELP = ("jurisdiction(s) to score: a name, a comma-separated list, or 'all' (the plan's own "
             f"and every other geo with target values except the plan's benchmarks); {GEO_DEFAULT}")
#: ``--geo`` of the commands about one geo (:func:`helpers.data.geos.check_geo`).
GEO_HELP = f"jurisdiction (one geo of the plan or the statistics); {GEO_DEFAULT}"


# --------------------------------------------------------------------------- command handlers
# Each handler turns parsed arguments into one call of the package and prints what it did;
# expected errors raise (HelpersError) and main() turns them into a message and an exit code.

def cli_coverage(args) -> int:
    """``python -m helpers coverage [--geo NAME]``: per area and overall, then the targets with
    no data at all (id and Chinese name)."""
    from helpers.data.load import load_inputs
    from helpers.method.coverage import (
        coverage_by_area,
        coverage_by_target,
        resolve_geo,
    )
    from helpers.report.tables import coverage_text

    plan = load_inputs(args.targets, args.statistics)
    geo = resolve_geo(args.geo, plan)
    by_target = coverage_by_target(plan.targets, plan.statistics, geo)
    by_area = coverage_by_area(plan.targets, plan.statistics, geo, by_target, plan.areas)
    t = plan.targets
    first = int(t["baseline_year"].min()) + 1 if len(t) else 0
    last = int(t["target_year"].max()) if len(t) else 0
    print(coverage_text(by_area, by_target, plan.geo_label(geo), f"{first}–{last}"))
    sys.stdout.flush()
    return 0


def cli_new_plan(args) -> int:
    """``python -m helpers new-plan DIR --jurisdiction KEY``: a plan folder to fill in."""
    from helpers.data.plan import write_skeleton

    written = write_skeleton(args.folder, args.jurisdiction, args.title_zh or "", args.title_en or "")
    for p in written:
        print(f"wrote {p}")
    print(f"next: edit {written[0]} (title, areas, geos), add one row per target to {written[1]} "
          f"(docs/data_contract.md), then: {paths.command()} validate --plan {args.folder}")
    return 0


def cli_build(args) -> int:
    """``python -m helpers build [--geo NAME|LIST|all]``: rebuild data/processed/ and list what
    was written, with each table's row count."""
    from helpers.publish.processed import check_out_dir, processed_tables, write_tables

    check_out_dir(args.out_dir, create=False)  # a wrong --out-dir is the cheapest error
    tables = processed_tables(args.targets, args.statistics, args.geo, wait=getattr(args, "wait", False))
    written = write_tables(tables, args.out_dir)
    for name, path in written.items():
        print(f"wrote {path} ({len(tables[name])} rows)")
    return 0


def cli_gaps(args) -> int:
    """``python -m helpers gaps``: load (ValidationError -> exit 2 in cli.main), compute, write."""
    from helpers.data import fileio
    from helpers.data.geos import resolve_geos
    from helpers.data.load import load_inputs
    from helpers.exceptions import ValidationError
    from helpers.method import gaps, summaries
    from helpers.publish.processed import input_problems, write_table

    problems = input_problems(args.targets, args.statistics)
    if problems:
        raise ValidationError(problems)
    fileio.check_output_file(args.out, make_folder=True)  # before computing anything
    plan = load_inputs(args.targets, args.statistics)
    geos = resolve_geos(args.geo, plan.meta, plan.statistics, targets=plan.targets)
    binding_only = bool(getattr(args, "binding", False))
    traj = gaps.compute_gaps(plan.targets, plan.statistics, geo=geos, method=args.method, plan=plan.meta,
                             binding_only=binding_only)
    with fileio.writing(args.out):
        write_table(traj, args.out)
    latest = summaries.latest_status(traj)
    n_targets = traj["indicator_id"].nunique()
    which = " binding" if binding_only else ""
    print(f"wrote {args.out}: {len(traj)} rows ({n_targets}{which} targets x {len(geos)} geo(s): "
          f"{','.join(geos)}; method {args.method}); latest status: {summaries.status_counts_text(latest)}")
    return 0


def cli_template(args) -> int:
    """``python -m helpers template [--out PATH] [--geo NAME]``."""
    import shlex

    from helpers.data.geos import plan_geo
    from helpers.data.load import load_inputs
    from helpers.data.template import REFERENCE_KIND, check_template_out, write_template

    out = Path(args.out)
    check_template_out(out, overwrite=False)  # before reading anything: a wrong --out is the cheapest error
    plan = load_inputs(args.targets, args.statistics)
    geo = plan_geo(args.geo, plan)
    frame = write_template(out, plan.targets, plan.statistics, plan.meta, geo=geo,
                           plan_name=args.plan_files.name, plan_args=args.plan_files.cli_args())
    n_ref = int((frame["kind"] == REFERENCE_KIND).sum())
    known = int(frame["known_value"].notna().sum())
    print(f"wrote {out}: {len(frame)} rows ({len(frame) - n_ref} target-years for {geo}, {n_ref} reference-series "
          f"years), {known} already known")
    print("fill value, source_title, source_url (and note), then: "
          f"{paths.command()} import {shlex.quote(str(out))} {args.plan_files.cli_args()} --dry-run")
    return 0


def cli_import(args) -> int:
    """``python -m helpers import PATH [--plan P] [--replace] [--dry-run] [--wait]``: prints what
    was added/changed; exit 3 while another import, build or render holds the data lock. Without
    ``--plan`` (or ``--targets``), the plan the template names in its ``plan`` column."""
    from helpers.data.load import load_meta, load_targets
    from helpers.data.template import import_template

    targets = load_targets(args.targets)
    plan = load_meta(args.targets)
    report = import_template(args.path, args.statistics, targets, replace=args.replace,
                             dry_run=args.dry_run, plan=plan, wait=getattr(args, "wait", False),
                             plan_name=args.plan_files.name)
    for line in report.lines():
        print(line)
    sys.stdout.flush()
    return 0


def cli_validate(args) -> int:
    """``python -m helpers validate``: problems on stderr, exit 2; or "ok: ..." and exit 0."""
    from helpers.data.validate import check_files
    from helpers.exceptions import format_problems

    checked = check_files(args.targets, args.statistics)
    if checked.problems:
        for line in format_problems(checked.problems):
            print(line, file=sys.stderr)
        n = len(checked.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found", file=sys.stderr)
        return 2
    print(f"ok: {len(checked.targets.frame)} targets, {len(checked.statistics.frame)} statistics rows")
    return 0


def cli_extract(args) -> int:
    """``python -m helpers extract TEXT --out DIR``: a draft plan folder from a plan's text."""
    from helpers.data.extract import run_extract

    print(run_extract(args.text, args.out))
    return 0


def cli_scorecard(args) -> int:
    """``python -m helpers scorecard --out FILE.csv|.xlsx [--as-of Y]``: one row per target
    (:func:`helpers.report.scorecard.scorecard_frame`), written atomically."""
    from helpers.report import params, scorecard

    out = scorecard.check_out(args.out)  # before reading anything
    ctx = params.prepare(targets_path=args.targets, statistics_path=args.statistics, as_of_year=args.as_of,
                         method=args.method, lang=args.lang, geo=args.geo, charts=False)
    frame = scorecard.scorecard_frame(ctx)
    scorecard.write_scorecard(frame, out)
    counts = frame["status"].value_counts()
    shown = ", ".join(f"{n} {k}" for k, n in counts.items())
    print(f"wrote {out}: {len(frame)} targets of {ctx.plan.name} as of {ctx.as_of} ({shown})")
    return 0


def cli_render(args) -> int:
    """``python -m helpers render``: 0 when every report was written (errors raise: the command
    line turns them into exit 1 render failed, 2 bad input, 3 locked). ``--plan all`` renders
    every plan under ``data/raw/`` in turn (stopping at the first failure)."""
    from helpers.data.plan import locate, shipped_plans
    from helpers.publish.render import render_reports

    files = [args.plan_files] if args.plan_files is not None else [locate(p) for p in shipped_plans()]
    for f in files:
        render_reports(
            date=args.date, areas=args.areas, as_of=args.as_of, method=args.method, lang=args.lang,
            targets_path=f.targets_path, statistics_path=f.statistics_path,
            geo=args.geo, jobs=args.jobs,
            out=args.out, timeout=args.timeout, wait=args.wait, progress=not args.quiet)
    return 0


# --------------------------------------------------------------------------- the parser

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
    p.set_defaults(handler=cli_validate)
    _add_inputs(p)

    p = sub.add_parser("gaps", help="compute the gap-to-target trajectory table")
    p.set_defaults(handler=cli_gaps)
    _add_inputs(p)
    p.add_argument("--out", type=Path, default=None,
                   help="output CSV; default: data/processed/<plan>/gaps.csv")
    p.add_argument("--geo", default=None, help=GEOS_HELP)
    p.add_argument("--method", choices=METHODS, default="linear",
                   help="progress method; default: %(default)s")
    p.add_argument("--binding", action="store_true",
                   help="score only the binding (约束性) targets (targets column binding = binding)")

    p = sub.add_parser("build", help="rebuild every table in data/processed/ from the inputs")
    p.set_defaults(handler=cli_build)
    _add_inputs(p)
    p.add_argument("--out-dir", type=Path, default=None,
                   help="output folder; default: data/processed/<plan>/")
    p.add_argument("--geo", default=None, help=GEOS_HELP)
    p.add_argument("--wait", action="store_true",
                   help="wait while an import or render holds the data lock instead of exiting (exit 3)")

    p = sub.add_parser("template", help="write the fill-in template for researchers")
    p.set_defaults(handler=cli_template)
    _add_inputs(p)
    p.add_argument("--out", type=Path, default=Path("statistics_template.csv"),
                   help="output path (.csv or .xlsx; must not exist yet); default: %(default)s")
    p.add_argument("--geo", default=None, help=GEO_HELP)

    p = sub.add_parser("import", help="merge a filled template into the statistics table")
    p.set_defaults(handler=cli_import)
    p.add_argument("path", type=Path, help="the filled template (.csv or .xlsx)")
    _add_inputs(p)
    p.add_argument("--replace", action="store_true",
                   help="overwrite existing values that differ (otherwise stop and name them)")
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--wait", action="store_true",
                   help="wait while another import, build or render holds the data lock instead of exiting (exit 3)")

    p = sub.add_parser("coverage", help="how much of the plan has data")
    p.set_defaults(handler=cli_coverage)
    _add_inputs(p)
    p.add_argument("--geo", default=None, help=GEO_HELP)

    p = sub.add_parser("scorecard", help="one row per target (status, shortfall, source) as CSV or xlsx")
    p.set_defaults(handler=cli_scorecard)
    _add_inputs(p)
    p.add_argument("--out", type=Path, required=True, help="output file, .csv or .xlsx (replaced if it exists)")
    p.add_argument("--as-of", type=_year, default=None,
                   help="statuses as of this year; default: the latest year with data")
    p.add_argument("--method", choices=METHODS, default="linear", help="progress method; default: %(default)s")
    p.add_argument("--lang", choices=LANGS, default="both",
                   help="language of the status labels and notes; default: %(default)s")
    p.add_argument("--geo", default=None, help=GEO_HELP)

    p = sub.add_parser("new-plan", help="create a plan folder to fill in (plan.json, targets.csv, statistics.csv)")
    p.set_defaults(handler=cli_new_plan)
    p.add_argument("folder", type=Path, help="the new plan's folder (e.g. data/raw/my_plan)")
    p.add_argument("--jurisdiction", required=True, help="geo key of the place the plan is about (e.g. hubei)")
    p.add_argument("--title-zh", default=None, help="the plan's Chinese title")
    p.add_argument("--title-en", default=None, help="the plan's English title")

    p = sub.add_parser("extract", help="draft a plan folder (targets.csv, plan.json, review.html) from the plan's text")
    p.set_defaults(handler=cli_extract)
    p.add_argument("text", type=Path, help="the plan's text: a UTF-8 or GB18030 .txt, or an .html page")
    p.add_argument("--out", type=Path, required=True,
                   help="the draft plan folder to write (e.g. data/raw/my_plan); review.html lists what to check")

    p = sub.add_parser("render", help="render the dated HTML reports")
    p.set_defaults(handler=cli_render)
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
    p.add_argument("--jobs", type=_positive, default=None,
                   help="notebooks run in parallel; default: the number of CPUs (at most one per report)")
    p.add_argument("--out", type=Path, default=None,
                   help="reports root: the set goes to <out>/<plan>/YYYY-MM-DD/ and <out>/index.html "
                        f"lists every plan's sets; default: {paths.REPORTS_DIR} for a plan under "
                        f"{paths.RAW_DIR}, else a folder 'reports' beside the plan's folder")
    p.add_argument("--timeout", type=_positive, default=600, help="per-cell timeout in seconds; default: %(default)s")
    p.add_argument("--wait", action="store_true",
                   help="wait for a running render to finish instead of exiting")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def _resolve_plan(args: argparse.Namespace) -> None:
    """``--plan`` or ``--targets/--statistics`` -> the plan's files; output defaults follow it."""
    from helpers.data.plan import locate

    if args.command == "import" and args.plan is None and args.targets is None and args.statistics is None:
        from helpers.data.template import template_plan

        args.plan = template_plan(args.path)  # the plan the template was written for (None: the default)
        if args.plan is not None:
            print(f"plan {args.plan} (named in the template; --plan overrides it)", file=sys.stderr)
    if args.command == "render" and args.plan == "all" and args.targets is None and args.statistics is None:
        args.plan_files = None  # every shipped plan (cli_render)
        args.out = args.out or paths.REPORTS_DIR
        return
    files = locate(args.plan, args.targets, args.statistics)
    args.plan_files = files
    if args.command == "render" and args.out is None:
        args.out = files.reports_root
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
    if args.command not in ("new-plan", "extract"):
        _resolve_plan(args)
    return args.handler(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from helpers.publish.hygiene import terminate_on_signals

    try:
        with terminate_on_signals():  # SIGTERM/SIGHUP: Interrupted, exit 143, whatever runs
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
        # written through helpers.data.fileio, which raises OutputError): still a message, exit 2.
        from helpers.data.fileio import output_error

        where = getattr(exc, "output_path", None) or exc.filename or "(unknown path)"
        print(f"error: {output_error(where, exc)}", file=sys.stderr)
        return 2
