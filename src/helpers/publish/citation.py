"""How to cite a report set: the code's git commit, the set's ``CITATION.cff`` and
``citation.bib``, and the citation line written into every page's footer.

- :func:`code_commit` — ``git rev-parse HEAD`` of the package's checkout, run once by the
  render's parent and passed down (``None`` outside a git checkout or without git: then no commit
  is written anywhere, never a made-up one);
- :func:`citation_cff` — Citation File Format 1.2.0 (``cff-version``, ``message``, ``title``,
  ``version`` (the set's date), ``date-released``, ``type: dataset``, ``authors`` (the tool
  that made the set, as an entity: the plan's issuer wrote the plan, not the report),
  ``abstract`` (plan, as-of year, tool), ``keywords``, and ``commit`` when known). No URL: a set is
  a folder, published wherever its reader puts it;
- :func:`citation_bib` — one BibTeX ``@misc`` entry with the same facts;
- :func:`stamp_pages` — the notebooks' pages are executed without the set's date and commit
  (so an unchanged page can be reused by a later set, :mod:`helpers.publish.reuse`); after the
  pages are in the set's folder, their footer's citation item
  (``<li class="helpers-cite">``, :func:`helpers.report.htmltext.citation_item`) is replaced
  by the full one. Data-derived text is escaped, so that element cannot come from the data.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

CFF_FILE = "CITATION.cff"
BIB_FILE = "citation.bib"
#: The project's name: the author (an entity) of every report set it makes.
PROJECT_NAME = "Plan target tracker (helpers)"


def code_commit() -> str | None:
    """The git commit of the package's checkout (40 hex digits), ``+dirty`` appended when its
    tracked files differ from it; ``None`` when it cannot be known."""
    here = Path(__file__).resolve().parents[1]  # src/helpers: the package's own files decide "+dirty"
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        if head.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40}", head.stdout.strip()):
            return None
        dirty = subprocess.run(["git", "-C", str(here), "diff", "--quiet", "HEAD", "--", "."],
                               capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + ("+dirty" if dirty.returncode == 1 else "")


def cite_text(ctx, date: str | None, commit: str | None) -> str:
    from helpers.report.htmltext import citation_text

    return citation_text(ctx.meta, ctx.as_of, ctx.lang, date, commit)


def _authors() -> str:
    """The author of a report set: the tool that made it, as an entity (:data:`PROJECT_NAME`).
    Not the plan's issuer: the issuer wrote the plan, not this tracking report (the title names
    the plan); and no person is invented."""
    return PROJECT_NAME


def _title(ctx, date: str) -> str:
    meta = ctx.meta or {}
    tz, te = (str(meta.get(k) or "").strip() for k in ("title_zh", "title_en"))
    plan = " / ".join(x for x in dict.fromkeys([tz, te]) if x) or ctx.plan.name
    doc = str(meta.get("document_number") or "").strip()
    return f"Target tracking report: {plan}" + (f" ({doc})" if doc else "") + f", report set of {date}"


def _abstract(ctx, commit: str | None) -> str:
    from helpers import __version__
    from helpers.report.htmltext import TOOL_NAME

    return (f"The quantitative targets of the plan scored against the statistics, data as of "
            f"{int(ctx.as_of)}, method {ctx.method}; every value with its source (sources.html). "
            f"Made with {TOOL_NAME} {__version__}" + (f", code commit {commit}" if commit else "") + ".")


def citation_cff(ctx, date: str, commit: str | None = None) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) of a set; every string a JSON string, which
    YAML reads as a double-quoted scalar."""
    q = lambda v: json.dumps(str(v), ensure_ascii=False)  # noqa: E731
    lines = ["cff-version: 1.2.0",
             f"message: {q('If you use this report set, please cite it as below.')}",
             f"title: {q(_title(ctx, date))}",
             f"version: {q(date)}",
             f"date-released: {q(date)}",
             "type: dataset",
             "authors:",
             f"  - name: {q(_authors())}",
             f"abstract: {q(_abstract(ctx, commit))}",
             "keywords:",
             f"  - {q('plan targets')}",
             f"  - {q(f'data as of {int(ctx.as_of)}')}"]
    if commit:
        lines.append(f"commit: {q(commit)}")
    return "\n".join(lines) + "\n"


_BIB_SPECIAL = re.compile(r"([\\{}%&$#_~^])")


def _bib(text: str) -> str:
    def sub(m):
        c = m.group(1)
        return {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}.get(c, "\\" + c)
    return _BIB_SPECIAL.sub(sub, str(text))


def citation_bib(ctx, date: str, commit: str | None = None) -> str:
    """One BibTeX ``@misc`` entry of a set (key ``<plan>-<date>``; the author an entity in
    double braces; special characters escaped)."""
    key = re.sub(r"[^A-Za-z0-9_-]", "_", f"{ctx.plan.name}-{date}")
    fields = [("title", "{" + _bib(_title(ctx, date)) + "}"), ("author", "{" + _bib(_authors()) + "}"),
              ("year", date[:4]), ("date", date), ("version", date), ("note", _bib(_abstract(ctx, commit)))]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def write_citation_files(work: Path, ctx, date: str, commit: str | None) -> list[str]:
    """``CITATION.cff`` and ``citation.bib`` into ``work``; their names."""
    (Path(work) / CFF_FILE).write_text(citation_cff(ctx, date, commit), encoding="utf-8")
    (Path(work) / BIB_FILE).write_text(citation_bib(ctx, date, commit), encoding="utf-8")
    return [CFF_FILE, BIB_FILE]


def stamp_pages(work: Path, keys, ctx, date: str, commit: str | None) -> None:
    """Write the full citation item (the set's date and commit) into the footer of each page
    ``<key>.html`` of ``work`` (module docstring); a page without the item is left as it is."""
    from helpers.report.htmltext import CITE_CLASS, citation_item

    item = citation_item(ctx.meta, ctx.as_of, ctx.lang, date, commit)
    pattern = re.compile(rf'<li class="{CITE_CLASS}">.*?</li>', re.S)
    for key in keys:
        path = Path(work) / f"{key}.html"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        new = pattern.sub(lambda _m: item, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
