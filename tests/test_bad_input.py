"""Bad-input suite (issue 7) on SYNTHETIC inputs, through the command line.

Every case feeds one malformed input (a targets table, a statistics table, an imported template,
or a command-line parameter) to ``python -m helpers ...`` (``helpers.cli.main``) and asserts:
exit code 2, a message naming the file, line and column where there is one, no traceback, and
nothing written: every output of the command points into ``tmp_path/processed`` or
``tmp_path/reports``, which must stay empty, and the statistics file keeps its bytes.

Commands built by other modules (gaps, build, render) are skipped, with the reason, only while
their module does not exist.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

import synthetic_inputs as syn
from helpers.data import load
from helpers.cli import main
from helpers.data.template import write_template


@dataclass
class Env:
    root: Path
    t: Path
    s: Path
    processed: Path
    reports: Path
    template: Path | None = None

    def inputs(self) -> list[str]:
        return ["--targets", str(self.t), "--statistics", str(self.s)]


@dataclass
class Case:
    name: str
    argv: Callable[[Env], list[str]]
    where: Callable[[Env], str] | None  # the "file:line: column 'x':" prefix expected in a message
    text: str  # expected in the same message
    targets: Callable[[list], list] | None = None
    statistics: Callable[[list], list] | None = None
    t_bytes: Callable[[bytes], bytes] | None = None
    s_bytes: Callable[[bytes], bytes] | None = None
    fill: dict = field(default_factory=dict)  # (indicator_id, year) -> cells of the template
    tpl_bytes: Callable[[bytes], bytes] | None = None
    needs: str | None = None  # module that must exist for this command


def _cell(i, **cells):
    def change(rows):
        rows[i].update(cells)
        return rows
    return change


def _set_year(rows, year):
    rows[6]["year"] = year
    return rows


def _validate(e):
    return ["validate", *e.inputs()]


def _gaps(e):
    return ["gaps", *e.inputs(), "--out", str(e.processed / "gaps.csv")]


def _build(e):
    return ["build", *e.inputs(), "--out-dir", str(e.processed)]


def _render(e):
    return ["render", *e.inputs(), "--out", str(e.reports), "--date", "2024-01-01", "--quiet"]


def _coverage(e):
    return ["coverage", *e.inputs()]


def _template(e):
    return ["template", *e.inputs(), "--out", str(e.processed / "template.csv")]


def _import(e):
    return ["import", str(e.template), *e.inputs()]


def _at(which: str, line: int | None, column: str | None = None):
    def where(e: Env) -> str:
        path = {"t": e.t, "s": e.s, "tpl": e.template}[which]
        return f"{path}:" + (f"{line}:" if line is not None else "") + (f" column '{column}':" if column else "")
    return where


BEDS = "health.beds_per_1000"

CASES = [
    # ---- the targets table
    Case("unknown_area", _validate, _at("t", 2, "area"), "'healht' is not an area of this plan; plan.json declares: ", targets=_cell(0, area="healht")),
    Case("year_outside_plan_range", _validate, _at("t", 2, "target_year"), "year 2201 is out of range",
         targets=_cell(0, target_year="2201")),
    Case("between_lo_above_hi", _validate, _at("t", 6, "target_hi"), "target_hi 5 must be greater than target 10",
         targets=_cell(4, target_hi="5")),
    Case("relative_reference_series_missing", _validate, _at("t", 5, "reference_id"),
         "the reference series 'ref.income_per_capita' has no row in the statistics",
         statistics=lambda rows: [r for r in rows if r["indicator_id"] != "ref.income_per_capita"]),
    Case("trailing_space_in_id_build", _build, _at("t", 3, "id"), "has a space at the start or end",
         targets=_cell(1, id="employment.new_jobs  "), needs="helpers.publish.processed"),
    Case("gbk_encoded_targets_template", _template, _at("t", 2, "name_zh"), "save as UTF-8",
         t_bytes=lambda b: b.decode("utf-8").encode("gb18030")),
    Case("bom_then_comparator_typo", _validate, _at("t", 3, "comparator"), "'=>' is not a known comparator",
         targets=_cell(1, comparator="=>"), t_bytes=lambda b: b"\xef\xbb\xbf" + b),
    Case("zero_byte_targets_render", _render, _at("t", 1), "the file is empty (0 bytes)",
         t_bytes=lambda b: b"", needs="helpers.publish.render"),
    Case("negative_count_target", _validate, _at("t", 4, "target"), "target -5 is negative",
         targets=_cell(2, target="-5")),
    # ---- the statistics table
    Case("negative_count_statistic", _validate, _at("s", 4, "value"), "value -1 is negative",
         statistics=_cell(2, value="-1")),
    Case("duplicate_indicator_year_values_differ", _validate, _at("s", 8, "indicator_id"),
         "the values differ (4.6 vs 4.8)", statistics=lambda rows: rows + [dict(rows[6], value="4.8")]),
    # issue 23 D2: duplicate rows whose year cannot be read (crashed the duplicate check)
    Case("duplicate_rows_with_unreadable_year_render", _render, _at("s", 15, "year"), "'2018年': write only the year",
         statistics=lambda rows: _set_year(rows, "2018年") + [dict(_set_year(rows, "2018年")[6], value="4.8")],
         needs="helpers.publish.render"),
    Case("n_a_value_gaps", _gaps, _at("s", 5, "value"), "leave the cell empty for a missing value",
         statistics=_cell(3, value="N/A"), needs="helpers.method.gaps"),
    Case("windows_1252_statistics_coverage", _coverage, _at("s", 2, "source_title"), "Windows-1252); save as UTF-8",
         statistics=_cell(0, source_title="Annuaire synthétique"), s_bytes=lambda b: b.decode("utf-8").encode("cp1252")),
    Case("formula_cell", _validate, _at("s", 3, "source_title"), "looks like a spreadsheet formula",
         statistics=_cell(1, source_title='=HYPERLINK("http://example.org","synthetic")')),
    Case("thousands_separator_build", _build, _at("s", 5, "value"), "thousands separator not allowed, write 1300",
         statistics=_cell(3, value="1,300"), needs="helpers.publish.processed"),
    Case("statistic_without_source_gaps", _gaps, _at("s", 7, "source_title"), "a source title is required",
         statistics=_cell(5, source_title=""), needs="helpers.method.gaps"),
    Case("zero_byte_statistics", _coverage, _at("s", 1), "the file is empty (0 bytes)", s_bytes=lambda b: b""),
    # ---- issue 14.9: right words for encodings, separators, range, invisible characters
    Case("gb18030_statistics_named", _validate, _at("s", 2, "source_title"),
         "(it looks like GBK/GB18030, the Chinese Windows encoding); save as UTF-8",
         statistics=_cell(0, source_title="合成统计年鉴丂乚 2018"), s_bytes=lambda b: b.decode("utf-8").encode("gb18030")),
    Case("utf16_bom_statistics", _validate, _at("s", None), "it looks like UTF-16 LE (byte-order mark FF FE); save as UTF-8",
         s_bytes=lambda b: b.decode("utf-8").encode("utf-16")),
    Case("utf16_without_bom_targets", _validate, _at("t", None), "it looks like UTF-16 LE (every second byte is NUL)",
         t_bytes=lambda b: b.decode("utf-8").encode("utf-16-le")),
    Case("full_width_comma_value", _validate, _at("s", 5, "value"),
         "'23，821': thousands separator not allowed (here the full-width comma '，'), write 23821",
         statistics=_cell(3, value="23，821")),
    Case("value_out_of_range", _build, _at("s", 5, "value"), "'1e400' is out of range", statistics=_cell(3, value="1e400"),
         needs="helpers.publish.processed"),
    Case("zero_width_space_in_unit", _validate, _at("s", 7, "unit"),
         "'beds per 1000<U+200B> residents' contains invisible characters (U+200B ZERO WIDTH SPACE)",
         statistics=_cell(5, unit="beds per 1000\u200b residents")),
    Case("right_to_left_override_in_title", _gaps, _at("s", 3, "source_title"),
         "contains invisible characters (U+202E RIGHT-TO-LEFT OVERRIDE)",
         statistics=_cell(1, source_title="synthetic \u202etxt.exe"), needs="helpers.method.gaps"),
    Case("zero_width_in_value", _validate, _at("s", 4, "value"), "'4.3<U+200B>' contains invisible characters",
         statistics=_cell(2, value="4.3\u200b")),
    # ---- an imported template
    Case("template_n_a", _import, None, "leave the cell empty for a missing value",
         fill={(BEDS, 2017): {"value": "N/A", "source_title": "synthetic"}}),
    Case("template_value_without_source", _import, None, "a source title is required", fill={(BEDS, 2019): {"value": "5"}}),
    Case("template_percent", _import, None, "write the number without %",
         fill={("social_security.reimbursement", 2018): {"value": "72%", "source_title": "synthetic"}}),
    Case("template_year_outside_plan", _import, None, "is outside the years of 'poverty.poor_population'",
         fill={("poverty.poor_population", 2020): {"year": "2021", "value": "0", "source_title": "synthetic"}}),
    Case("template_gbk", _import, _at("tpl", 2, "name_zh"), "GBK/GB18030",
         tpl_bytes=lambda b: b.decode("utf-8-sig").encode("gb18030")),
    Case("template_zero_byte", _import, _at("tpl", 1), "the file is empty (0 bytes)", tpl_bytes=lambda b: b""),
    Case("template_two_years_cleared", _import, None, "the year is required",
         fill={(BEDS, 2017): {"year": "", "value": "4.3", "source_title": "synthetic"},
               (BEDS, 2019): {"year": "", "value": "4.9", "source_title": "synthetic"}}),
    Case("template_zero_width_note", _import, None, "'synthetic<U+200D>' contains invisible characters (U+200D ZERO WIDTH JOINER)",
         fill={(BEDS, 2017): {"value": "4.3", "source_title": "synthetic", "note": "synthetic\u200d"}}),
    Case("template_full_width_comma", _import, None, "thousands separator not allowed (here the full-width comma",
         fill={("ref.income_per_capita", 2017): {"value": "25，974", "source_title": "synthetic"}}),
    # ---- command-line parameters
    Case("gaps_geo_nowhere", lambda e: [*_gaps(e), "--geo", "nowhere"], None, "nowhere", needs="helpers.method.gaps"),
    Case("coverage_geo_nowhere", lambda e: [*_coverage(e), "--geo", "nowhere"], None,
         "unknown geo 'nowhere'; valid values are: fuyang, anhui, china"),
    Case("coverage_targets_missing", lambda e: ["coverage", "--targets", str(e.root / "missing.csv"), "--statistics", str(e.s)],
         lambda e: f"{e.root / 'missing.csv'}:", "not found"),
    Case("template_out_folder_missing",
         lambda e: ["template", *e.inputs(), "--out", str(e.processed / "dir/that/does/not/exist/x.csv")],
         lambda e: f"{e.processed / 'dir/that/does/not/exist/x.csv'}:", "does not exist"),
    Case("import_file_missing", lambda e: ["import", str(e.root / "filled.csv"), *e.inputs()],
         lambda e: f"{e.root / 'filled.csv'}:", "file not found"),
    Case("render_area_nowhere", lambda e: [*_render(e), "--areas", "nowhere"], None, "nowhere", needs="helpers.publish.render"),
    # issue 23 D17: a timeout of 0 or -1 (or no worker) is refused, not run silently
    Case("render_timeout_zero", lambda e: [*_render(e), "--timeout", "0"], None,
         "argument --timeout: must be 1 or more, got 0"),
    Case("render_timeout_negative", lambda e: [*_render(e), "--timeout", "-1"], None,
         "argument --timeout: must be 1 or more, got -1"),
    Case("render_jobs_zero", lambda e: [*_render(e), "--jobs", "0"], None, "argument --jobs: must be 1 or more, got 0"),
    Case("render_as_of_out_of_range", lambda e: [*_render(e), "--as-of", "2500"], None, "year out of range"),
]


def _env(tmp_path: Path, case: Case) -> Env:
    rows_t = syn.targets()
    rows_s = syn.statistics()
    t, s = syn.write_inputs(tmp_path / "raw", case.targets(rows_t) if case.targets else rows_t,
                            case.statistics(rows_s) if case.statistics else rows_s)
    env = Env(tmp_path, t, s, tmp_path / "processed", tmp_path / "reports")
    env.processed.mkdir()
    env.reports.mkdir()
    if case.argv is _import:
        inputs = load.load_inputs(t, s)
        env.template = tmp_path / "filled.csv"
        write_template(env.template, inputs.targets, inputs.statistics, inputs.meta)
        if case.fill:
            syn.fill_template(env.template, case.fill)
        if case.tpl_bytes:
            env.template.write_bytes(case.tpl_bytes(env.template.read_bytes()))
    if case.t_bytes:
        t.write_bytes(case.t_bytes(t.read_bytes()))
    if case.s_bytes:
        s.write_bytes(case.s_bytes(s.read_bytes()))
    return env


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse rejects a parameter
        return int(exc.code)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_exits_2_with_a_located_message_and_writes_nothing(tmp_path, capsys, case):
    if case.needs and importlib.util.find_spec(case.needs) is None:
        pytest.skip(f"{case.needs} does not exist yet (built by another helper)")
    env = _env(tmp_path, case)
    stats_before = env.s.read_bytes()
    code = _run(case.argv(env))
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    if case.where is not None:
        prefix = case.where(env)
        assert any(prefix in ln and case.text in ln for ln in lines), err
    elif case.argv is _import:
        # the template's own file, line and column
        assert any(f"{env.template}:" in ln and "column '" in ln and case.text in ln for ln in lines), err
    else:
        assert case.text in err, err
    assert list(env.processed.iterdir()) == [] and list(env.reports.iterdir()) == []
    assert env.s.read_bytes() == stats_before


def test_suite_covers_every_input_kind():
    kinds = {"targets": 0, "statistics": 0, "template": 0, "parameters": 0}
    for c in CASES:
        if c.argv is _import or c.name.startswith("template_") and c.fill or c.tpl_bytes:
            kinds["template"] += 1
        elif c.targets or c.t_bytes:
            kinds["targets"] += 1
        elif c.statistics or c.s_bytes:
            kinds["statistics"] += 1
        else:
            kinds["parameters"] += 1
    assert len(CASES) >= 15 and all(n >= 3 for n in kinds.values()), kinds


# ---- issue 14.9: inputs that are not regular files must not hang, and get their own words

@pytest.fixture
def no_hang():
    """Fail (instead of hanging the suite) when a command blocks for more than 20 s."""
    import signal

    def fail(*_):
        raise TimeoutError("the command hung")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _special(tmp_path, kind):
    import os

    p = tmp_path / "special.csv"
    if kind == "fifo":
        os.mkfifo(p)
        return p, "not a regular file: this is a FIFO (named pipe)"
    if kind == "loop":
        os.symlink(tmp_path / "other.csv", p)
        os.symlink(p, tmp_path / "other.csv")
        return p, "symlink loop"
    if kind == "broken":
        os.symlink(tmp_path / "gone.csv", p)
        return p, f"broken symlink: it points to {tmp_path / 'gone.csv'}, which does not exist"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["fifo", "loop", "broken"])
@pytest.mark.parametrize("command", ["validate", "gaps", "build", "import"])
def test_special_input_files_are_named_not_hung(tmp_path, capsys, no_hang, kind, command):
    t, s = syn.write_inputs(tmp_path / "raw")
    special, text = _special(tmp_path, kind)
    out = tmp_path / "processed"
    out.mkdir()
    argv = {"validate": ["validate", "--targets", str(t), "--statistics", str(special)],
            "gaps": ["gaps", "--targets", str(special), "--statistics", str(s), "--out", str(out / "g.csv")],
            "build": ["build", "--targets", str(t), "--statistics", str(special), "--out-dir", str(out)],
            "import": ["import", str(special), "--targets", str(t), "--statistics", str(s)]}[command]
    before = s.read_bytes()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{special}: {text}" in err, err
    assert "Traceback" not in err and list(out.iterdir()) == [] and s.read_bytes() == before


def test_many_problems_are_capped_and_summarised(tmp_path, capsys):
    rows = syn.statistics() + [
        {"indicator_id": "health.beds_per_1000", "geo": f"g{i}", "year": "2017", "value": "1,300" if i % 2 else "N/A",
         "unit": "beds per 1000 residents", "source_title": "synthetic", "source_url": "", "note": ""}
        for i in range(450)]
    t, s = syn.write_inputs(tmp_path / "raw", stats_rows=rows)
    assert main(["validate", "--targets", str(t), "--statistics", str(s)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 202
    assert lines[-2] == "... and 250 more problems (2 distinct kinds)" and lines[-1] == "450 problems found"
    # the commands that raise ValidationError (build, gaps, import...) print the same cap
    assert main(["build", "--targets", str(t), "--statistics", str(s), "--out-dir", str(tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "error: 450 problems found:" and len(lines) == 202
    assert lines[-1] == "  ... and 250 more problems (2 distinct kinds)"


# ---- issue 14.8 (outputs of build, gaps, template): a message naming the path and the OS reason,
# exit 2, nothing half-written. Running as root, chmod cannot make a folder read-only, so the
# refusals are the operating system's own errors injected where the temporary file is created;
# a full disk is a real ENOSPC from /dev/full.

def _out_argv(command, env, out):
    return {"build": ["build", *env.inputs(), "--out-dir", str(out)],
            "gaps": ["gaps", *env.inputs(), "--out", str(out)],
            "template": ["template", *env.inputs(), "--out", str(out)]}[command]


def _default_out(command, env):
    return {"build": env.processed, "gaps": env.processed / "gaps.csv", "template": env.processed / "t.csv"}[command]


def _plain_env(tmp_path):
    t, s = syn.write_inputs(tmp_path / "raw")
    env = Env(tmp_path, t, s, tmp_path / "processed", tmp_path / "reports")
    env.processed.mkdir()
    return env


def _files(folder):
    return {p.name: (p.read_bytes() if p.is_file() else _files(p)) for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.parametrize("command", ["build", "gaps", "template"])
@pytest.mark.parametrize("errno_name, reason", [("EACCES", "permission denied"), ("EROFS", "read-only file system"),
                                                ("ENOSPC", "no space left on device")])
def test_output_refused_by_the_os_is_a_message(tmp_path, capsys, monkeypatch, command, errno_name, reason):
    import errno as errno_mod

    from helpers.data import fileio

    env = _plain_env(tmp_path)
    out = _default_out(command, env)

    def refuse(path):
        code = getattr(errno_mod, errno_name)
        raise OSError(code, os.strerror(code), str(path))

    import os
    monkeypatch.setattr(fileio, "_create_temp", refuse)
    assert _run(_out_argv(command, env, out)) == 2
    err = capsys.readouterr().err
    named = out / "gaps.csv" if command == "build" else out
    assert f"error: {named}: cannot write: {reason}" in err, err
    assert f"{errno_name}]" in err and "nothing was written" in err and "Traceback" not in err
    assert _files(env.processed) == {}


@pytest.mark.parametrize("command", ["build", "gaps", "template"])
@pytest.mark.parametrize("fault", ["missing_parent", "is_a_folder", "parent_is_a_file"])
def test_output_path_that_cannot_be_a_file_is_refused_before_work(tmp_path, capsys, command, fault):
    env = _plain_env(tmp_path)
    base = env.processed
    leaf = "dir" if command == "build" else "x.csv"
    if fault == "missing_parent":
        out, text = base / "no" / "such" / leaf, "does not exist"
    elif fault == "is_a_folder":
        out, text = base / "x.csv", "this is a folder"
        out.mkdir()
        if command == "build":
            (out / "gaps.csv").mkdir()  # the folder is fine, but a table's name is taken by a folder
    else:
        (base / "file").write_bytes(b"synthetic")
        out, text = base / "file" / leaf, ("does not exist" if command != "gaps" else "not a folder")
    before = _files(base)
    assert _run(_out_argv(command, env, out)) == 2
    err = capsys.readouterr().err
    named = [p for p in (out, out.parent, out / "gaps.csv") if f"{p}: " in err]
    assert named and text in err and "Traceback" not in err, err
    assert _files(base) == before and not (base / "no").exists()


def test_full_disk_in_the_middle_of_build_replaces_nothing(tmp_path, capsys, monkeypatch):
    """The third of seven files hits a full disk (/dev/full: a real ENOSPC): the two already
    written to temporary files are removed, and every file of the previous build is unchanged."""
    import os

    from helpers.data import fileio

    env = _plain_env(tmp_path)
    assert _run(_out_argv("build", env, env.processed)) == 0
    before = _files(env.processed)
    rows = syn.statistics() + [{"indicator_id": BEDS, "geo": "fuyang", "year": "2019", "value": "5.1",
                                "unit": "beds per 1000 residents", "source_title": "synthetic", "source_url": "",
                                "note": ""}]
    syn.write_inputs(env.root / "raw", stats_rows=rows)  # the next build would change files
    real = fileio._create_temp
    calls = []

    def third_is_full(path):
        fd, tmp = real(path)
        calls.append(tmp)
        if len(calls) == 3:
            os.close(fd)
            return os.open("/dev/full", os.O_WRONLY), tmp
        return fd, tmp

    monkeypatch.setattr(fileio, "_create_temp", third_is_full)
    capsys.readouterr()
    assert _run(_out_argv("build", env, env.processed)) == 2
    err = capsys.readouterr().err
    assert f"error: {env.processed / 'latest_status.csv'}: cannot write: no space left on device" in err, err
    assert _files(env.processed) == before  # no file replaced, no temporary file left
    assert len(calls) == 3 and not any(p.exists() for p in calls)


def test_build_creates_one_missing_folder(tmp_path, capsys):
    env = _plain_env(tmp_path)
    out = env.processed / "new"
    assert _run(_out_argv("build", env, out)) == 0
    from helpers.publish.processed import TABLE_NAMES

    assert sorted(_files(out)) == sorted(TABLE_NAMES)
