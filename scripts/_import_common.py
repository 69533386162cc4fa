"""What the import scripts (``import_fyp14.py``, ``import_shared_compilation.py``) share: reading
their CSV inputs and stored statistics table, comparing and writing its cells, the context
series' legend labels of ``data/raw/<plan>/series_labels.csv``, the source quality of every row
(the host rule of ``data/source_quality.csv``); and the end of their command
line (``--replace``, ``--dry-run``, errors as ``error: ...`` and an exit code).

Each script loads this file by its path (it is not a package module: the data layer reads
researchers' files with :mod:`helpers.data.readers`; these are the scripts' own, stricter readers of
machine-written compilations). Every problem is raised as one :class:`helpers.exceptions.ValidationError`
listing all problems found (file, line, column); ``import_shared_compilation.py`` raises it as it
is, ``import_fyp14.py`` turns it into its MappingError at its edge.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import urllib.parse
from pathlib import Path
from typing import Callable, Iterable, Sequence

from helpers.exceptions import Problem, ValidationError
from helpers.data.fileio import atomic_write_bytes

#: The statistics contract's optional legend labels of a context series.
LABEL_COLUMNS: tuple[str, ...] = ("label_zh", "label_en")
#: Columns of a labels file (one row per context series).
LABELS_REQUIRED: tuple[str, ...] = ("indicator_id", *LABEL_COLUMNS)
#: The statistics contract's optional column grading the cited page (docs/data_contract.md).
QUALITY_COLUMN = "source_quality"
#: The host rule: ``domain,quality,outlet``, one row per domain (docs/data_contract.md).
QUALITY_RULES = Path(__file__).resolve().parents[1] / "data" / "source_quality.csv"
#: The grade of a page whose host no rule lists: a copy on a site with no editorial identity.
QUALITY_DEFAULT = "mirror"


def read_csv(path: Path, required: Sequence[str]) -> tuple[list[str], list[dict]]:
    """Header and rows of a UTF-8 CSV file (a BOM is dropped; cells as text); each row gets
    ``_line`` (its first line as an editor shows it, header = line 1). Raises ValidationError
    naming the file when it is not UTF-8, a required column is missing (one problem per column)
    or a row has another number of cells than the header (one problem per such row)."""
    file = str(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            reader = csv.DictReader(fh)
            header = list(reader.fieldnames or [])
            missing = [c for c in required if c not in header]
            if missing:
                raise ValidationError([Problem(file, 1, c, "required column is missing") for c in missing])
            rows, problems, end = [], [], reader.line_num
            for row in reader:
                row["_line"] = end + 1
                end = reader.line_num
                n = len(header) + len(row.get(None, [])) - sum(v is None for v in row.values())
                if n != len(header):
                    problems.append(Problem(file, row["_line"], None, f"{n} cells but the header has {len(header)}"))
                rows.append(row)
        except UnicodeDecodeError:
            raise ValidationError([Problem(file, None, None, "not UTF-8 text; save it as CSV UTF-8")]) from None
    if problems:
        raise ValidationError(problems)
    return header, rows


def same_cell(column: str, old: str, new: str, number: Callable[[str], object] = float) -> bool:
    """Whether two cells of ``column`` are equal; ``value`` cells compare as numbers read with
    ``number`` (``float`` or ``decimal.Decimal``: ``4.50`` equals ``4.5``), as text when either
    is not one."""
    if column == "value":
        try:
            return number(old) == number(new)
        except (ValueError, ArithmeticError):  # float's ValueError, Decimal's InvalidOperation
            pass
    return old == new


def csv_text(rows: Iterable[dict], header: Sequence[str]) -> str:
    """CSV text of ``rows`` in the columns ``header``, with ``\\n`` line ends; keys starting with
    ``_`` (where a row came from) are left out, a missing cell is empty."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n")
    w.writeheader()
    w.writerows({k: v for k, v in r.items() if not k.startswith("_")} for r in rows)
    return buf.getvalue()


def write_if_changed(path: Path, text: str, dry_run: bool) -> str:
    """Write ``text`` (UTF-8) atomically unless the file already holds exactly it; returns what
    happened: ``unchanged``, ``would be written`` (``dry_run``) or ``written``."""
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return "unchanged"
    if dry_run:
        return "would be written"
    atomic_write_bytes(path, data)
    return "written"


def read_labels(path: Path) -> dict[str, tuple[str, str]]:
    """``indicator_id -> (label_zh, label_en)`` from a labels file (:data:`LABELS_REQUIRED`; cells
    stripped). Each id is a context series ``<target id>:<suffix>``, listed once, with both labels;
    ValidationError names the file, line and column of every row that is not."""
    path = Path(path)
    file = str(path)
    _, rows = read_csv(path, LABELS_REQUIRED)
    labels: dict[str, tuple[str, str]] = {}
    problems = []
    for r in rows:
        ind = (r["indicator_id"] or "").strip()
        zh, en = (r["label_zh"] or "").strip(), (r["label_en"] or "").strip()
        if ":" not in ind:
            problems.append(Problem(file, r["_line"], "indicator_id", f"{ind!r} is not a context series "
                                    "<target id>:<suffix>; only context series carry a legend label"))
        elif ind in labels:
            problems.append(Problem(file, r["_line"], "indicator_id", f"{ind} is labelled twice"))
        for col, text in (("label_zh", zh), ("label_en", en)):
            if not text:
                problems.append(Problem(file, r["_line"], col, f"{ind} needs a {col}"))
        labels.setdefault(ind, (zh, en))
    if problems:
        raise ValidationError(problems)
    return labels


def apply_labels(rows: Iterable[dict], labels: dict[str, tuple[str, str]], labels_path: Path) -> list[str]:
    """Set ``label_zh`` / ``label_en`` of every produced row (its cells, by column): a context
    series' labels, empty for the others. ValidationError naming the labels file when a produced
    context series has no label (nothing is set then). Returns the labelled ids these rows do not
    use (another set of inputs may produce them; the scripts say so)."""
    rows = list(rows)
    produced = {r["indicator_id"] for r in rows if ":" in r["indicator_id"]}
    missing = sorted(produced - labels.keys())
    if missing:
        raise ValidationError([Problem(str(labels_path), None, None,
                                       f"no label for the context series {', '.join(missing)}; "
                                       f"add a row ({','.join(LABELS_REQUIRED)}) for each")])
    for r in rows:
        r["label_zh"], r["label_en"] = labels.get(r["indicator_id"], ("", ""))
    return sorted(labels.keys() - produced)


def labels_line(labels_path: Path, n_labelled: int, unused: Sequence[str]) -> str:
    """The run's report on the labels file: how many context series it labelled, and the labels
    no produced series used."""
    return (f"{labels_path}: labels of {n_labelled} context series"
            + (f"; {len(unused)} not produced by these inputs: {', '.join(unused)}" if unused else ""))


def read_quality_rules(path: Path = QUALITY_RULES) -> dict[str, str]:
    """``domain -> quality`` from the host rule file (``domain,quality,outlet``). ValidationError
    naming the file, line and column of a repeated domain, an empty cell or a quality outside
    :data:`helpers.vocab.SOURCE_QUALITY`."""
    from helpers.vocab import SOURCE_QUALITY

    path = Path(path)
    _, rows = read_csv(path, ("domain", "quality", "outlet"))
    rules: dict[str, str] = {}
    problems = []
    for r in rows:
        domain, quality = (r["domain"] or "").strip().lower(), (r["quality"] or "").strip()
        if not domain or domain in rules:
            problems.append(Problem(str(path), r["_line"], "domain", f"{domain!r} is empty or listed twice"))
        if quality not in SOURCE_QUALITY:
            problems.append(Problem(str(path), r["_line"], "quality", f"{quality!r} is not one of "
                                    + ", ".join(SOURCE_QUALITY)))
        if not (r["outlet"] or "").strip():
            problems.append(Problem(str(path), r["_line"], "outlet", "say whose site the domain is"))
        rules.setdefault(domain, quality)
    if problems:
        raise ValidationError(problems)
    return rules


def source_quality(url: str, rules: dict[str, str]) -> str:
    """The grade of the page at ``url``: the rule of the longest listed domain that is the URL's
    host or a parent of it (``www.gov.cn`` before ``gov.cn``); :data:`QUALITY_DEFAULT` when none
    is; empty when there is no URL (nothing to grade)."""
    if not (url or "").strip():
        return ""
    host = (urllib.parse.urlsplit((url or "").strip()).hostname or "").lower()
    parts = host.split(".")
    for i in range(len(parts)):
        quality = rules.get(".".join(parts[i:]))
        if quality:
            return quality
    return QUALITY_DEFAULT


def apply_quality(rows: Iterable[dict], rules: dict[str, str]) -> None:
    """Set ``source_quality`` of every produced row (its cells, by column) from its source URL."""
    for r in rows:
        r[QUALITY_COLUMN] = source_quality(r.get("source_url") or "", rules)


def add_write_options(ap: argparse.ArgumentParser) -> None:
    """The options both scripts' command lines end with: ``--replace`` and ``--dry-run``."""
    ap.add_argument("--replace", action="store_true",
                    help="overwrite stored rows whose value, unit or source differs from the compilation")
    ap.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")


def cli(call: Callable[[], object], errors: type[Exception]) -> int:
    """Run ``call`` as a command: exit code 0; for one of the script's own ``errors``, ``error:
    <message>`` on stderr and its ``exit_code`` (2 when it has none); for an OSError the file it
    could not read or write, and 2."""
    try:
        call()
    except errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    except OSError as exc:
        print(f"error: cannot read or write {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
