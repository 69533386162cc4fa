"""The plan: its vocabulary (``plan.json``), its validated tables, and where its files live.

A plan is a folder holding ``plan.json``, ``targets.csv`` and ``statistics.csv``. The project
ships its plans under ``data/raw/<name>/``; any other folder works the same way. Everything a
report names — the plan's title, its areas (in order), its places — comes from ``plan.json``;
nothing about a particular plan is written in code.

Public API:

- :func:`locate` — the plan's files from ``--plan NAME|DIR`` or ``--targets/--statistics``.
- :func:`read_plan_json` — ``plan.json`` parsed and checked: (metadata, problems); never raises.
- :class:`Plan` — metadata, areas, geos, labels and the validated tables, built once by
  :func:`helpers.data.load.load_plan` and passed to every layer.

``plan.json`` keys (``docs/data_contract.md`` lists them with types and examples): required
``title_zh`` or ``title_en``, ``jurisdiction``, ``areas`` (a non-empty list of
``{"key", "zh", "en"}``) and ``geos`` (labels ``{"zh", "en"}`` per place; the jurisdiction's
is required); optional ``document_number``, ``issuer_zh``, ``issuer_en``, ``issued``
(YYYY-MM-DD), ``benchmarks`` (geo keys), ``period`` ([first, last] year), ``source_url``,
``source_document``, ``default_area``, ``default_indicator``. A missing optional key leaves
nothing behind in the reports. Unknown keys are kept and ignored.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data.schema import GEO_PATTERN
from helpers.exceptions import Problem, UnknownValueError, ValidationError
from helpers.vocab import label

#: Area keys: letters, digits, '_' and '-' (they name report files: ``area-<key>.html``).
AREA_PATTERN = r"^[A-Za-z0-9_\-]+$"
#: Plan folder names (they name output folders: ``reports/<name>/``).
NAME_PATTERN = r"^[A-Za-z0-9_.\-]+$"

_TEXT_KEYS = ("title_zh", "title_en", "document_number", "issuer_zh", "issuer_en", "source_url",
              "source_document", "default_area", "default_indicator")


# ------------------------------------------------------------------------------ locating

@dataclass(frozen=True)
class PlanFiles:
    """Where one plan's files are. ``name`` names its output folders (``data/processed/<name>/``,
    ``reports/<name>/``): the folder's name, or a slug of it (:func:`plan_slug`)."""

    name: str
    folder: Path
    targets_path: Path
    statistics_path: Path

    @property
    def plan_json(self) -> Path:
        return self.targets_path.parent / paths.PLAN_FILENAME

    @property
    def processed_dir(self) -> Path:
        return paths.PROCESSED_DIR / self.name

    @property
    def reports_root(self) -> Path:
        """Where this plan's report sets go by default: the project's ``reports/`` for a plan
        under ``data/raw/``; for a plan folder elsewhere, ``reports/`` beside that folder, so
        its sets neither land among the shipped plans' nor appear in their archive."""
        if self.targets_path.resolve().parent.is_relative_to(paths.RAW_DIR.resolve()):
            return paths.REPORTS_DIR
        return self.targets_path.resolve().parent.parent / "reports"

    @property
    def reports_dir(self) -> Path:
        return self.reports_root / self.name

    def cli_args(self) -> str:
        """How a printed next-step command names this plan (``--plan NAME`` for a shipped plan)."""
        if self.folder.resolve() == (paths.RAW_DIR / self.name).resolve() and \
                self.targets_path.name == "targets.csv" and self.statistics_path.name == "statistics.csv":
            return f"--plan {self.name}"
        return f"--targets {self.targets_path} --statistics {self.statistics_path}"


def shipped_plans() -> list[str]:
    """Names of the plans under ``data/raw/`` (folders holding a ``plan.json``), sorted."""
    if not paths.RAW_DIR.is_dir():
        return []
    return sorted(p.name for p in paths.RAW_DIR.iterdir() if (p / paths.PLAN_FILENAME).is_file())


def locate(plan: str | Path | None = None, targets: str | Path | None = None,
           statistics: str | Path | None = None) -> PlanFiles:
    """The plan's files.

    - ``targets`` (and optionally ``statistics``, default ``statistics.csv`` beside the targets):
      those files; ``plan.json`` is read from beside the targets file; the plan's name is the
      targets file's folder name. ``plan`` must then be None.
    - ``plan`` a folder path (holding ``plan.json``/``targets.csv``): that folder.
    - ``plan`` a name: ``data/raw/<name>/``. ``None``: the default plan (:data:`paths.DEFAULT_PLAN`).

    Raises UnknownValueError (listing the shipped plans) for a name that is neither.
    """
    if targets is not None or statistics is not None:
        if plan is not None:
            raise ValidationError([Problem("--plan", None, None,
                                           "give either --plan or --targets/--statistics, not both")])
        if targets is None:
            targets = Path(statistics).parent / "targets.csv"
        t = Path(targets)
        s = Path(statistics) if statistics is not None else t.parent / "statistics.csv"
        folder = t.parent
        return PlanFiles(_folder_name(folder), folder, t, s)
    arg = paths.DEFAULT_PLAN if plan is None else plan
    folder = Path(arg)
    if not folder.is_dir() or not ((folder / paths.PLAN_FILENAME).exists() or (folder / "targets.csv").exists()):
        named = paths.RAW_DIR / str(arg)
        if isinstance(arg, str) and re.fullmatch(NAME_PATTERN, arg) and named.is_dir():
            folder = named
        elif not folder.is_dir():
            raise UnknownValueError("plan", str(arg), shipped_plans() + ["a folder holding plan.json"])
    return PlanFiles(_folder_name(folder), folder, folder / "targets.csv", folder / "statistics.csv")


def _folder_name(folder: Path) -> str:
    return plan_slug(folder.resolve().name)


def plan_slug(name: str) -> str:
    """The plan's name in output paths: the folder's name when it is :data:`NAME_PATTERN`;
    otherwise (``my plan``, ``2024 年度计划``, Cyrillic) a distinct, stable slug: its ASCII letters
    and digits, runs of anything else as ``-``, and 8 hex digits of the name's SHA-256
    (``2024-3f9a0c1e``, ``plan-5b2e77d0``), so two such plans never share an output folder, a
    lock, an archive entry or ``data/processed/<name>/``, and one plan always gets the same."""
    import hashlib

    if not name:
        return "plan"
    if re.fullmatch(NAME_PATTERN, name):
        return name
    stem = re.sub(r"[^A-Za-z0-9_\-]+", "-", name).strip("-_") or "plan"
    return f"{stem[:40]}-{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


# ------------------------------------------------------------------------------ plan.json

def _label_pair(value: object, where: str, file: str, problems: list[Problem]) -> tuple[str, str] | None:
    """``{"zh": ..., "en": ...}`` -> (zh, en); one of the two may be missing (the other is used)."""
    if not isinstance(value, dict):
        problems.append(Problem(file, None, where, f"expected an object {{\"zh\": ..., \"en\": ...}}, got {value!r}"))
        return None
    zh, en = value.get("zh"), value.get("en")
    for lang, text in (("zh", zh), ("en", en)):
        if text is not None and not (isinstance(text, str) and text.strip()):
            problems.append(Problem(file, None, f"{where}.{lang}", f"expected a non-empty text, got {text!r}"))
            return None
    if zh is None and en is None:
        problems.append(Problem(file, None, where, "needs a label: \"zh\" and/or \"en\""))
        return None
    return (zh or en).strip(), (en or zh).strip()


def _check_meta(meta: dict, file: str) -> list[Problem]:
    problems: list[Problem] = []
    for key in _TEXT_KEYS:
        v = meta.get(key)
        if v is not None and not isinstance(v, str):
            problems.append(Problem(file, None, key, f"expected a text (in double quotes), got {v!r}"))
    if not any(isinstance(meta.get(k), str) and meta[k].strip() for k in ("title_zh", "title_en")):
        problems.append(Problem(file, None, "title_zh", "the plan needs a title: \"title_zh\" and/or \"title_en\""))
    issued = meta.get("issued")
    if issued is not None:
        try:
            if not (isinstance(issued, str) and paths.ISO_DATE_RE.fullmatch(issued)):
                raise ValueError
            _dt.date.fromisoformat(issued)
        except ValueError:
            problems.append(Problem(file, None, "issued", f"{issued!r} is not a date YYYY-MM-DD"))
    period = meta.get("period")
    if period is not None and not (isinstance(period, list) and len(period) == 2
                                   and all(isinstance(y, int) and not isinstance(y, bool) for y in period)
                                   and period[0] <= period[1]):
        problems.append(Problem(file, None, "period", f"{period!r}: expected [first year, last year]"))
    jur = meta.get("jurisdiction")
    if jur is None:
        problems.append(Problem(file, None, "jurisdiction",
                                "required: the geo key of the place the plan is about (e.g. \"china\")"))
    elif not (isinstance(jur, str) and re.fullmatch(GEO_PATTERN, jur)):
        problems.append(Problem(file, None, "jurisdiction",
                                f"{jur!r} is not a valid geo key; use lowercase letters, digits, '_' and '-'"))
    bench = meta.get("benchmarks")
    if bench is not None and not (isinstance(bench, list)
                                  and all(isinstance(b, str) and re.fullmatch(GEO_PATTERN, b) for b in bench)):
        problems.append(Problem(file, None, "benchmarks",
                                f"{bench!r}: expected a list of lowercase geo keys such as [\"nation\"]"))
    problems += _check_areas(meta.get("areas"), file)
    problems += _check_geos(meta.get("geos"), jur, file)
    return problems


def _check_areas(areas: object, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if areas is None:
        return [Problem(file, None, "areas", "required: the plan's areas in order, "
                                             "[{\"key\": \"econ\", \"zh\": \"经济发展\", \"en\": \"Economy\"}, ...]")]
    if not isinstance(areas, list) or not areas:
        return [Problem(file, None, "areas", f"expected a non-empty list of areas, got {areas!r}")]
    seen: set[str] = set()
    for i, a in enumerate(areas):
        where = f"areas[{i}]"
        if not isinstance(a, dict):
            problems.append(Problem(file, None, where, f"expected an object {{\"key\", \"zh\", \"en\"}}, got {a!r}"))
            continue
        key = a.get("key")
        if not (isinstance(key, str) and re.fullmatch(AREA_PATTERN, key)):
            problems.append(Problem(file, None, f"{where}.key",
                                    f"{key!r} is not a valid area key; use letters, digits, '_' and '-'"))
        elif key in seen:
            problems.append(Problem(file, None, f"{where}.key", f"area {key!r} is declared twice"))
        else:
            seen.add(key)
        _label_pair(a, where, file, problems)
    return problems


def _check_geos(geos: object, jur: object, file: str) -> list[Problem]:
    problems: list[Problem] = []
    if geos is None:
        geos = {}
    if not isinstance(geos, dict):
        return [Problem(file, None, "geos", f"expected an object {{\"<geo key>\": {{\"zh\", \"en\"}}}}, got {geos!r}")]
    for key, value in geos.items():
        if not re.fullmatch(GEO_PATTERN, key):
            problems.append(Problem(file, None, f"geos.{key}", f"{key!r} is not a valid geo key"))
        _label_pair(value, f"geos.{key}", file, problems)
    if isinstance(jur, str) and jur not in geos:
        problems.append(Problem(file, None, "geos",
                                f"the jurisdiction {jur!r} needs a label: add \"geos\": {{\"{jur}\": "
                                "{\"zh\": \"...\", \"en\": \"...\"}}"))
    return problems


def read_plan_json(path: str | Path) -> tuple[dict, list[Problem]]:
    """``plan.json`` at ``path`` as (metadata, problems); never raises for bad content.

    ``({}, [problem])`` when the file is missing, not UTF-8 or not a JSON object; otherwise the
    metadata with one problem per bad key (file, key, message).
    """
    from helpers.data.readers import file_problem

    p = Path(path)
    file = str(p)
    problem = file_problem(p, file, what="plan.json", expected="a plan.json file")
    if problem is not None and problem.message == "plan.json not found":
        return {}, [Problem(file, None, None, "plan.json not found: a plan is a folder holding plan.json, "
                                              "targets.csv and statistics.csv (see docs/new_plan.md)")]
    if problem is not None:  # a device, a FIFO, a folder, a broken link: said as such
        return {}, [problem]
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return {}, [Problem(file, None, None, f"not UTF-8 text (byte {err.start}); save as UTF-8")]
    except OSError as exc:
        return {}, [Problem(file, None, None, f"cannot read the file: {exc.strerror or exc}")]
    try:
        meta = json.loads(text, object_pairs_hook=_Object)
    except json.JSONDecodeError as err:
        return {}, [Problem(file, err.lineno, None, f"not valid JSON: {err.msg} (at character {err.colno})")]
    except RecursionError:
        return {}, [Problem(file, None, None, f"nested too deeply: plan.json needs at most {MAX_DEPTH} levels "
                                              "of [...] and {...}")]
    if not isinstance(meta, dict):
        return {}, [Problem(file, 1, None, "expected a JSON object {\"title_zh\": ..., \"jurisdiction\": ...}")]
    problems = _text_problems(meta, file)
    if problems and problems[0].message.startswith("nested too deeply"):  # the checks below would recurse
        return {}, problems
    return meta, problems + _check_meta(meta, file)


#: plan.json deeper than this is refused (its own keys need three levels).
MAX_DEPTH = 32


class _Object(dict):
    """A JSON object as parsed, remembering the keys it holds more than once (json keeps the
    last silently)."""

    def __init__(self, pairs):
        super().__init__()
        self.repeated = []
        for key, value in pairs:
            if key in self and key not in self.repeated:
                self.repeated.append(key)
            self[key] = value


def _text_problems(meta: dict, file: str) -> list[Problem]:
    """Repeated keys, invisible characters in keys and texts, and nesting over :data:`MAX_DEPTH`,
    walked without recursion; each problem names where (``areas[2].zh``)."""
    from helpers.data.readers import invisible_message

    problems: list[Problem] = []
    stack: list[tuple[str, object, int]] = [("", meta, 1)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [Problem(file, None, None, f"nested too deeply at {where}: plan.json needs at most "
                                              f"{MAX_DEPTH} levels of [...] and {{...}}")]
        if isinstance(value, str):
            message = invisible_message(value)
            if message:
                problems.append(Problem(file, None, where or None, message))
        elif isinstance(value, dict):
            for key in getattr(value, "repeated", []):
                problems.append(Problem(file, None, f"{where}.{key}".lstrip("."),
                                        f"the key '{key}' appears more than once in this object; JSON keeps "
                                        "only the last one silently: keep one"))
            for key, item in reversed(value.items()):
                path = f"{where}.{key}".lstrip(".")
                message = invisible_message(key)
                if message:
                    problems.append(Problem(file, None, path, f"key {message}"))
                stack.append((path, item, depth + 1))
        elif isinstance(value, list):
            stack += [(f"{where}[{i}]", item, depth + 1) for i, item in reversed(list(enumerate(value)))]
    return problems


def area_keys(meta: dict) -> list[str]:
    """Declared area keys in plan order (malformed entries skipped)."""
    return [a["key"] for a in meta.get("areas") or [] if isinstance(a, dict) and isinstance(a.get("key"), str)]


# ------------------------------------------------------------------------------ the object

def _pair(value: object, key: str) -> tuple[str, str]:
    if isinstance(value, dict):
        zh, en = value.get("zh"), value.get("en")
        if isinstance(zh, str) or isinstance(en, str):
            return (zh or en), (en or zh)
    return key, key


@dataclass
class Plan:
    """One plan, built once (:func:`helpers.data.load.load_plan`) and passed to every layer.

    ``meta`` is ``plan.json`` as parsed; ``targets`` and ``statistics`` are the validated tables
    (contract dtypes). Labels: :meth:`area_label`, :meth:`geo_label` (a key without a label is
    shown as itself), :meth:`title`.
    """

    meta: dict
    targets: pd.DataFrame
    statistics: pd.DataFrame
    targets_path: Path | None = None
    statistics_path: Path | None = None
    name: str = "plan"
    _areas: dict = field(default_factory=dict, repr=False)
    _geos: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._areas = {a["key"]: _pair(a, a["key"]) for a in self.meta.get("areas") or []
                       if isinstance(a, dict) and isinstance(a.get("key"), str)}
        self._geos = {k: _pair(v, k) for k, v in (self.meta.get("geos") or {}).items()}

    # vocabulary
    @property
    def areas(self) -> dict[str, tuple[str, str]]:
        """Area key -> (中文, English), in the plan's order."""
        return dict(self._areas)

    @property
    def area_keys(self) -> list[str]:
        return list(self._areas)

    @property
    def geos(self) -> dict[str, tuple[str, str]]:
        return dict(self._geos)

    @property
    def jurisdiction(self) -> str | None:
        jur = self.meta.get("jurisdiction")
        return jur.strip() or None if isinstance(jur, str) else None

    @property
    def benchmarks(self) -> list[str]:
        return [str(b) for b in self.meta.get("benchmarks") or []]

    def area_pair(self, key: str) -> tuple[str, str]:
        return self._areas.get(key, (key, key))

    def geo_pair(self, key: str) -> tuple[str, str]:
        return self._geos.get(key, (key, key))

    def area_label(self, key: str, lang: str = "both") -> str:
        return label(self.area_pair(str(key)), lang)

    def geo_label(self, key: str, lang: str = "both") -> str:
        return label(self.geo_pair(str(key)), lang)

    def title_pair(self) -> tuple[str, str]:
        zh, en = self.meta.get("title_zh") or "", self.meta.get("title_en") or ""
        return (zh or en), (en or zh)

    def title(self, lang: str = "both") -> str:
        return label(self.title_pair(), lang)

    def text(self, key: str) -> str:
        """An optional text key of ``plan.json`` stripped; ``""`` when absent."""
        v = self.meta.get(key)
        return v.strip() if isinstance(v, str) else ""

    def areas_in_use(self) -> list[str]:
        """Declared areas that have at least one target, in plan order."""
        present = set(self.targets["area"].dropna().astype(str))
        return [a for a in self._areas if a in present]

    def default_area(self) -> str:
        """``default_area`` of plan.json when it has targets, else the first area in use."""
        used = self.areas_in_use()
        wanted = self.text("default_area")
        return wanted if wanted in used else (used[0] if used else self.area_keys[0])

    def default_indicator(self, area: str | None = None) -> str:
        """``default_indicator`` of plan.json when it is a target id (of ``area``, when given),
        else the first target (of ``area``) with a value of the jurisdiction, else the first
        target (of ``area``): a tour of one area and one target never pairs two areas."""
        t = self.targets
        if area is not None and (t["area"].astype(str) == area).any():
            t = t[t["area"].astype(str) == area]
        ids = t["id"].astype(str).tolist()
        wanted = self.text("default_indicator")
        if wanted in ids:
            return wanted
        s = self.statistics
        have = set(s.loc[s["geo"] == self.jurisdiction, "indicator_id"].astype(str))
        return next((i for i in ids if i in have), ids[0])


# ------------------------------------------------------------------------------ a new plan

def skeleton_meta(jurisdiction: str, title_zh: str = "", title_en: str = "") -> dict:
    """The ``plan.json`` :func:`write_skeleton` writes: the required keys, one example area to
    rename, the jurisdiction labelled by its key (edit the labels)."""
    return {
        "title_zh": title_zh or "（规划名称）", "title_en": title_en or "(plan title)",
        "document_number": "", "issued": None, "jurisdiction": jurisdiction, "benchmarks": [],
        "areas": [{"key": "area1", "zh": "（领域一）", "en": "(area one)"}],
        "geos": {jurisdiction: {"zh": jurisdiction, "en": jurisdiction}},
    }


def write_skeleton(folder: str | Path, jurisdiction: str, title_zh: str = "", title_en: str = "") -> list[Path]:
    """Create ``folder`` with ``plan.json`` (:func:`skeleton_meta`), ``targets.csv`` and
    ``statistics.csv`` (header lines only). Refuses (ValidationError, nothing written) when the
    folder already holds any of the three files or the jurisdiction is not a geo key."""
    from helpers.data.fileio import atomic_write_bytes
    from helpers.data.schema import (
        STATISTICS_COLUMNS,
        TARGET_COLUMNS,
        TARGET_OPTIONAL_COLUMNS,
    )

    folder = Path(folder)
    if not re.fullmatch(GEO_PATTERN, jurisdiction or ""):
        raise ValidationError([Problem("--jurisdiction", None, None,
                                       f"{jurisdiction!r} is not a geo key; use lowercase letters, digits, '_' and '-'")])
    names = (paths.PLAN_FILENAME, "targets.csv", "statistics.csv")
    there = [folder / n for n in names if (folder / n).exists()]
    if there:
        raise ValidationError([Problem(str(p), None, None, "exists already; nothing was written") for p in there])
    meta = {k: v for k, v in skeleton_meta(jurisdiction, title_zh, title_en).items() if v is not None}
    folder.mkdir(parents=True, exist_ok=True)
    target_header = [*TARGET_COLUMNS, *(c for c in TARGET_OPTIONAL_COLUMNS if c not in TARGET_COLUMNS)]
    texts = {paths.PLAN_FILENAME: json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
             "targets.csv": ",".join(target_header) + "\n",
             "statistics.csv": ",".join(STATISTICS_COLUMNS) + "\n"}
    return [atomic_write_bytes(folder / n, texts[n].encode("utf-8")) for n in names]
