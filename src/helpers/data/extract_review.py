"""Files of :mod:`helpers.data.extract`: reading a plan's text (.txt or .html), plan.json's metadata,
review.html, and writing each output atomically.

The page shows the plan's text with every clause that became a target highlighted and linked to
its row (rows the reader was unsure of first, with the reason), and the numeric clauses that were
not taken, each with the reason, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from helpers.data import extract_rules as R
from helpers.exceptions import Problem, ValidationError

_DOCNO = re.compile(R.DOCNO_PATTERN)
_PERIOD = re.compile(R.PERIOD_PATTERN)

_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>extract review: {{ title }}</title>
<style>
body{font-family:"Noto Sans CJK SC",sans-serif;margin:1.5em;max-width:80em;line-height:1.6}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.2em .4em;vertical-align:top}
tr.check{background:#fff4d6}mark{background:#d8f0d8}mark.check{background:#ffe08a}
mark.rejected{background:#f3d6d6}pre{white-space:pre-wrap;font-family:inherit}
</style></head><body>
<h1>{{ title }}</h1>
<p>Draft read from <code>{{ source }}</code>: {{ rows|length }} targets ({{ n_check }} to check),
{{ rejected|length }} numeric clauses not taken. Review <code>targets.csv</code> (column
<code>check</code>), fill what is missing, then run <code>python -m helpers validate --plan DIR</code>.</p>
<h2>Targets (rows to check first)</h2>
<table><tr><th>id</th><th>name</th><th>comparator</th><th>target</th><th>unit</th><th>kind</th>
<th>year</th><th>check</th><th>source_ref</th></tr>
{% for r in rows %}<tr id="row-{{ r.id }}" class="{{ 'check' if r.check else '' }}">
<td><a href="#clause-{{ r.id }}">{{ r.id }}</a></td><td>{{ r.name_zh }}</td><td>{{ r.comparator }}</td>
<td>{{ r.target }}{% if r.target_hi %} – {{ r.target_hi }}{% endif %}</td><td>{{ r.unit }}</td>
<td>{{ r.kind }}</td><td>{{ r.target_year }}</td><td>{{ r.check }}</td><td>{{ r.source_ref }}</td></tr>
{% endfor %}</table>
<h2>Numeric clauses not taken</h2>
<table><tr><th>clause</th><th>reason</th></tr>
{% for r in rejected %}<tr><td><a href="#rej-{{ loop.index }}">{{ r.text }}</a></td><td>{{ r.reason }}</td></tr>
{% endfor %}</table>
<h2>The text</h2>
<pre>{% for piece in pieces %}{% if piece.kind == 'text' %}{{ piece.text }}{% elif piece.kind == 'target' %}<mark id="clause-{{ piece.ids[0] }}" class="{{ 'check' if piece.check else '' }}" title="{{ piece.ids|join(', ') }}">{{ piece.text }}</mark>{% for i in piece.ids %}<a href="#row-{{ i }}"><sup>{{ i }}</sup></a>{% endfor %}{% else %}<mark id="rej-{{ piece.n }}" class="rejected" title="{{ piece.reason }}">{{ piece.text }}</mark>{% endif %}{% endfor %}</pre>
</body></html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined)


def highlight_pieces(draft) -> list[dict]:
    """The text cut into plain pieces and highlighted clauses (targets, then rejected clauses)."""
    checks = dict(zip(draft.targets["id"], draft.targets["check"]))
    marks: dict[tuple[int, int], dict] = {}
    for s in draft.spans:
        m = marks.setdefault((s["start"], s["end"]), {"kind": "target", "ids": [], "check": False})
        m["ids"].append(s["id"])
        m["check"] = m["check"] or bool(checks.get(s["id"]))
    for n, r in enumerate(draft.rejected, 1):
        marks.setdefault((r["start"], r["end"]), {"kind": "rejected", "n": n, "reason": r["reason"]})
    pieces, pos, text = [], 0, draft.text
    for (s, e), m in sorted(marks.items()):
        if s < pos:
            continue
        if s > pos:
            pieces.append({"kind": "text", "text": text[pos:s]})
        pieces.append({**m, "text": text[s:e]})
        pos = e
    pieces.append({"kind": "text", "text": text[pos:]})
    return pieces


def review_html(draft) -> str:
    """The review page of ``draft`` (a :class:`helpers.data.extract.Draft`)."""
    t = draft.unsure.astype(object).where(draft.unsure.notna(), "")
    rows = t.to_dict("records")
    return _ENV.from_string(_PAGE).render(
        title=draft.meta.get("title_zh", draft.source_name), source=draft.source_name, rows=rows,
        n_check=sum(1 for r in rows if r["check"]), rejected=draft.rejected, pieces=highlight_pieces(draft))


class _TextOf(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, one block per line (stdlib html.parser)."""
    p = _TextOf()
    p.feed(html)
    p.close()
    lines = [ln.rstrip() for ln in "".join(p.parts).split("\n")]
    return "\n".join(ln for ln in lines if ln.strip())


_TEXT = """<div style="white-space:pre-wrap;line-height:1.7">{% for piece in pieces %}{% if piece.kind == 'text' %}{{ piece.text }}{% elif piece.kind == 'target' %}<mark style="background:{{ '#ffe08a' if piece.check else '#d8f0d8' }}" title="{{ piece.ids|join(', ') }}">{{ piece.text }}</mark><sup>{{ piece.ids|join(' ') }}</sup>{% else %}<mark style="background:#f3d6d6" title="{{ piece.reason }}">{{ piece.text }}</mark>{% endif %}{% endfor %}</div>"""


def text_html(draft) -> str:
    """The plan's text alone with its clauses highlighted (green: a target, yellow: a target to
    check, red: a numeric clause not taken; hover for ids and reasons), for a notebook."""
    return _ENV.from_string(_TEXT).render(pieces=highlight_pieces(draft))


def read_text(path: str | Path) -> str:
    """The text of a .txt (UTF-8 with or without BOM, or GB18030) or .html file; refuses binary,
    empty and undecodable files with a ValidationError naming the file."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ValidationError([Problem(name, None, None, f"cannot read: {e.strerror or e}")]) from None
    suffix = path.suffix.lower()
    if suffix == ".docx":
        raise ValidationError([Problem(name, None, None, ".docx is not read (python-docx is not installed): "
                                       "save the document as UTF-8 text (.txt) and extract that")])
    if not raw.strip():
        raise ValidationError([Problem(name, None, None, "the file is empty: nothing to extract")])
    if b"\x00" in raw[:4096] or raw[:4] in (b"PK\x03\x04", b"%PDF") or raw[:2] == b"\xd0\xcf":
        raise ValidationError([Problem(name, None, None, "a binary file (PDF, Word, zip…), not text: "
                                       "save the plan as a UTF-8 .txt")])
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError([Problem(name, None, None, "not readable as UTF-8 or GB18030 text")])
    if suffix in (".html", ".htm"):
        text = html_to_text(text)
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ValidationError([Problem(name, None, None, "no Chinese text found: is this the plan's text?")])
    return text


def plan_meta(text: str, norm: str, source_name: str) -> dict:
    """plan.json of a text: title and document number from its first lines, issuer and date from
    its signature, the period; the jurisdiction is the key ``local`` labelled with the issuer's place."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    nlines = [ln.translate(R.TRAD_TO_SIMP) for ln in lines]
    meta: dict = {}
    m = _DOCNO.search(norm[:3000])
    if m:
        meta["document_number"] = text[m.start():m.end()]
    for ln, nl in zip(lines[:20], nlines[:20]):
        core = re.sub(r"^[^:：]{0,4}[:：]\s*", "", nl)
        core = _DOCNO.sub("", core).strip(" 《》")
        if 4 <= len(core) <= 80 and core.endswith(R.TITLE_ENDINGS) and "。" not in core:
            i = nl.find(core)
            meta["title_zh"] = ln[i:i + len(core)] if i >= 0 else core
            break
    else:
        meta["title_zh"] = lines[0][:80] if lines else source_name
    for i, nl in enumerate(nlines):
        d = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", nl)
        if d and i > 0 and re.fullmatch(r"\S{2,20}(?:人民政府|办公室|办公厅|委员会)", nlines[i - 1]):
            meta["issuer_zh"] = lines[i - 1]
            meta["issued"] = f"{d.group(1)}-{int(d.group(2)):02d}-{int(d.group(3)):02d}"
    p = _PERIOD.search(norm[:5000])
    named = re.search(r"十[一二三四五]五", norm[:3000])
    if p and int(p.group(1)) < int(p.group(2)):
        meta["period"] = [int(p.group(1)), int(p.group(2))]
    elif named:
        meta["period"] = list(R.PERIOD_NAMES[named.group(0)])
    place = re.sub(r"(?:人民政府|办公室|办公厅|委员会)$", "", meta.get("issuer_zh", "")) or "本地"
    meta.update(jurisdiction="local", geos={"local": {"zh": place, "en": place}},
                source_document=source_name,
                draft_note="drafted by helpers extract: review targets.csv (column check) and fill what is missing")
    return meta
