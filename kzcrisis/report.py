"""The coding shown on the text itself: an article as self-contained right-to-left HTML.

:func:`show_article` renders a document's cleaned text (``docs.text_clean``, the text every
``start_char``/``end_char`` indexes) with

- each actor mention highlighted in its group's colour: one ``<span class="m g-GROUP">`` per
  mention carrying ``data-start``/``data-end`` (cleaned-text offsets), ``data-actor``,
  ``data-group`` and ``data-method``;
- each statement underlined in the colour of its stance label (``<span class="s st-LABEL">``
  with ``data-statement-id`` and the offsets);
- a tooltip (``title``) with the actor's English name, the cue and the rule that fired.

The text is HTML-escaped and kept character for character (``white-space: pre-wrap``), so the
text content of the article element is exactly ``text_clean``. Spans that overlap without
nesting are split: the span opened earlier is closed and reopened inside the later one
(``data-continued="true"`` marks the reopened part), which keeps a mention whole when a
statement ends inside it. The page loads nothing from the network (a Content-Security-Policy
forbids it) and its CSS is scoped to ``.kz-article`` so it does not restyle a notebook.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import KzError
from .io_safety import file_stem
from .plots import STANCE_COLORS, STANCE_LABELS, TARGETS, UNCODED_COLOR, group_colors, order_groups

TABLES = ("docs", "mentions", "actors", "statements", "stance")
MENTION_COLUMNS = ["doc_id", "actor_id", "group", "surface", "start_char", "end_char"]
STATEMENT_COLUMNS = ["doc_id", "statement_id", "speaker_actor_id", "group", "speaker_text",
                     "cue", "start_char", "end_char"]
STANCE_COLUMNS = ["statement_id", "target", "label"]

_CLASS_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_-]")
_FONTS = '"Noto Naskh Arabic", "Amiri", "DejaVu Sans", "Arial", serif'


@dataclass(frozen=True)
class ArticleHTML:
    """One annotated article: ``.html`` is the whole page, ``_repr_html_`` shows it in Jupyter.

    >>> docs = pd.DataFrame({"doc_id": ["a1"], "text_clean": ["قال الرئيس إن النظام استعيد."]})
    >>> show_article(docs=docs)
    ArticleHTML(doc_id='a1', n_mentions=0, n_statements=0)
    """

    doc_id: str
    title: str
    body: str
    n_mentions: int
    n_statements: int

    @property
    def html(self) -> str:
        """The self-contained HTML page (``<html dir="rtl" lang="ar">``)."""
        return (
            "<!DOCTYPE html>\n"
            '<html dir="rtl" lang="ar">\n<head>\n<meta charset="utf-8">\n'
            # nothing may be fetched: the page is evidence and must read the same offline
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(self.title)}</title>\n</head>\n<body>\n{self.body}\n"
            "</body>\n</html>\n"
        )

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return (f"ArticleHTML(doc_id={self.doc_id!r}, n_mentions={self.n_mentions}, "
                f"n_statements={self.n_statements})")

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8, LF line ends); returns the path."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(self.html, encoding="utf-8", newline="\n")
            tmp.replace(path)
        except OSError as err:
            raise KzError(f"{path}: cannot write article HTML ({err.strerror})") from None
        return path


# --------------------------------------------------------------------------- inputs

def _table(source: Any, name: str) -> pd.DataFrame | None:
    if source is None:
        return None
    if isinstance(source, Mapping):
        value = source.get(name)
    else:
        value = getattr(source, name, None)
        extra = getattr(source, "extra", None)
        if value is None and isinstance(extra, Mapping):  # results.Results keeps later tables
            value = extra.get(name)
    if value is not None and not isinstance(value, pd.DataFrame):
        raise KzError(f"{name}: expected a pandas DataFrame, got {type(value).__name__}")
    return value


def _require(table: pd.DataFrame | None, columns: list[str], name: str) -> pd.DataFrame | None:
    if table is None:
        return None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KzError(f"{name} table lacks columns {missing} (see kzcrisis.schemas)")
    return table


def _s(value: Any) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _offsets(row: Any, name: str, length: int) -> tuple[int, int]:
    try:
        start, end = int(row.start_char), int(row.end_char)
    except (TypeError, ValueError):
        raise KzError(f"{name}: offsets {row.start_char!r}..{row.end_char!r} are not "
                      "integers") from None
    if not 0 <= start < end <= length:
        raise KzError(f"{name}: offsets {start}..{end} outside the cleaned text "
                      f"(length {length}); were the tables made from another cleaning?")
    return start, end


# --------------------------------------------------------------------------- spans

@dataclass
class _Span:
    start: int
    end: int
    rank: int  # 0 statement (outer when both cover the same characters), 1 mention
    tag: str  # the opening tag without the closing '>'


def _nest(text: str, spans: list[_Span]) -> str:
    """Text with spans as properly nested elements, splitting only where spans cross.

    Invariant: ends on the stack never increase from bottom to top, so closing at a boundary
    only ever pops the top. Opening a span that outlives some open ones closes those and
    reopens them inside it (marked ``data-continued``).
    """
    spans = sorted(spans, key=lambda s: (s.start, -s.end, s.rank, s.tag))
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[_Span] = []
    k = 0
    for pos, nxt in zip(bounds, bounds[1:] + [None], strict=True):
        while stack and stack[-1].end <= pos:
            stack.pop()
            out.append("</span>")
        while k < len(spans) and spans[k].start == pos:
            span = spans[k]
            k += 1
            i = next((j for j, s in enumerate(stack) if s.end < span.end), len(stack))
            crossed = stack[i:]
            out.extend("</span>" for _ in crossed)
            del stack[i:]
            stack.append(span)
            out.append(span.tag + ">")
            for s in crossed:
                stack.append(s)
                out.append(s.tag + ' data-continued="true">')
        if nxt is not None:
            out.append(html.escape(text[pos:nxt], quote=False))
    out.extend("</span>" for _ in stack)
    return "".join(out)


def _attrs(**attrs: Any) -> str:
    # class_ -> class, data_start -> data-start
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(_s(v), quote=True)}"'
                   for k, v in attrs.items())


_ARABIC_RE = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_STRONG_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate


def isolate(value: Any) -> str:
    """Plain text (a tooltip, a title attribute) with a mixed or Arabic part isolated by
    FSI/PDI, so its neighbours' punctuation and digits keep their side.

    >>> isolate("وكالة سبوتنيك") == FSI + "وكالة سبوتنيك" + PDI, isolate("RUS")
    (True, 'RUS')
    """
    text = _s(value)
    return f"{FSI}{text}{PDI}" if _ARABIC_RE.search(text) else text


def bdi(value: Any, cls: str = "") -> str:
    """``value`` escaped inside ``<bdi>``: left to right when it has no Arabic (a date, a
    number, an English name), its own first strong direction otherwise.

    >>> bdi("2022-01-07", "date")
    '<bdi class="date" dir="ltr">2022-01-07</bdi>'
    >>> bdi("وكالة «سبوتنيك»")
    '<bdi dir="auto">وكالة «سبوتنيك»</bdi>'
    """
    text = _s(value)
    klass = f' class="{cls}"' if cls else ""
    return f'<bdi{klass} dir="{cell_dir(text)}">{html.escape(text, quote=False)}</bdi>'


def cell_dir(text: str) -> str:
    """``ltr`` for text without Arabic letters (Latin-only fields, numbers, dates), else
    ``auto`` (the browser takes the first strong letter's direction).

    >>> cell_dir("CSTO"), cell_dir("+0.70"), cell_dir("قال: «ندعم»"), cell_dir("RUS قال")
    ('ltr', 'ltr', 'auto', 'auto')
    """
    return "auto" if _ARABIC_RE.search(text) else "ltr"


_CELL_RE = re.compile(r"<(td|th)((?:\s[^>]*)?)>(.*?)</\1>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def bidi_html(frame: pd.DataFrame) -> str:
    """A DataFrame's notebook HTML with every cell direction-isolated: ``dir="auto"`` where
    it holds Arabic (so «», colons and digits land on the right side of an evidence string),
    ``dir="ltr"`` where it does not. Installed for every table by :func:`use_bidi_tables`.

    >>> table = pd.DataFrame({"group": ["RUS"], "evidence": ["«ندعم»: +0.7"]})
    >>> bidi_html(table).count('dir="auto"'), '<td dir="ltr">RUS</td>' in bidi_html(table)
    (1, True)
    """
    def cell(m: re.Match) -> str:
        tag, attrs, body = m.group(1), m.group(2), m.group(3)
        if "dir=" in attrs:
            return m.group(0)
        text = html.unescape(_TAG_RE.sub("", body))
        return f'<{tag}{attrs} dir="{cell_dir(text)}">{body}</{tag}>'

    return _CELL_RE.sub(cell, frame._repr_html_() or frame.to_html())


def use_bidi_tables() -> bool:
    """Show every DataFrame in this Jupyter kernel with :func:`bidi_html`; returns whether
    a kernel was found (outside IPython it does nothing). The plain-text output is pandas's own.

    >>> import kzcrisis as kz
    >>> kz.use_bidi_tables()   # in a notebook's first cell  # doctest: +SKIP
    True
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, bidi_html)
    return True


def _css_class(group: str) -> str:
    return "g-" + (_CLASS_UNSAFE_RE.sub("_", group) if group else "none")


def _primary_label(labels: dict[str, str]) -> str:
    ordered = [labels[t] for t in TARGETS if t in labels] + \
              [v for t, v in sorted(labels.items()) if t not in TARGETS]
    return next((lab for lab in ordered if lab and lab != "neutral"),
                "neutral" if ordered else "none")


def _css(groups: dict[str, str]) -> str:
    rules = [
        ".kz-article{direction:rtl;max-width:52rem;margin:1rem auto;padding:0 1rem;"
        f"font-family:{_FONTS};color:#1a1a1a;background:#fff}}",
        ".kz-article .kz-text{white-space:pre-wrap;font-size:1.3rem;line-height:2.4}",
        ".kz-article header{font-size:.95rem;border-bottom:1px solid #ccc;margin-bottom:1rem}",
        ".kz-article .legend span.chip{display:inline-block;margin:.15rem .3rem;"
        "padding:0 .4rem;border-radius:3px}",
        ".kz-article .m{border-radius:3px;padding:0 1px}",
        ".kz-article .s,.kz-article .s-key{text-decoration-line:underline;"
        "text-decoration-thickness:3px;"
        "text-underline-offset:.45em;text-decoration-skip-ink:none}",
        ".kz-article [title]{cursor:help}",
        # Naskh fonts have no Latin: English notes in a sans font rather than a serif fallback
        '.kz-article [lang="en"]{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif}',
    ]
    for group, color in groups.items():
        rules.append(f".kz-article .{_css_class(group)}{{background-color:{color}38;"
                     f"box-shadow:inset 0 -2px 0 {color}}}")
    rules.append(f".kz-article .g-none{{background-color:{UNCODED_COLOR}66}}")
    for label in STANCE_LABELS:
        rules.append(f".kz-article .st-{label}{{text-decoration-color:{STANCE_COLORS[label]}}}")
    rules.append(f".kz-article .st-none{{text-decoration-color:{UNCODED_COLOR};"
                 "text-decoration-style:dashed}")
    return "\n".join(rules)


# --------------------------------------------------------------------------- public API

def show_article(results: Any = None, doc_id: str | None = None, *,  # noqa: C901 (a listed exception)
                 docs: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                 actors: pd.DataFrame | None = None, statements: pd.DataFrame | None = None,
                 stance: pd.DataFrame | None = None) -> ArticleHTML:
    """The article ``doc_id`` as annotated right-to-left HTML (shows inline in Jupyter).

    ``results`` is anything with the tables as attributes (``results.Results``) or a mapping
    of them; tables given as keywords take precedence. Only ``docs`` (with ``text_clean``) is
    required; ``doc_id`` may be omitted when there is one document.

    >>> docs = pd.DataFrame({"doc_id": ["a1"], "date": ["2022-01-07"],
    ...                      "text_clean": ["ودعت الأمم المتحدة إلى ضبط النفس."]})
    >>> '<bdi class="date" dir="ltr">2022-01-07</bdi>' in show_article(docs=docs).body
    True
    """
    given = {"docs": docs, "mentions": mentions, "actors": actors, "statements": statements,
             "stance": stance}
    tables = {name: given[name] if given[name] is not None else _table(results, name)
              for name in TABLES}
    docs = _require(tables["docs"], ["doc_id", "text_clean"], "docs")
    if docs is None:
        raise KzError("show_article needs the docs table (with text_clean): pass the analysis "
                      "results or docs=...")
    ids = docs["doc_id"].map(str)
    if doc_id is None:
        if len(ids) != 1:
            raise KzError(f"{len(ids)} documents: pass doc_id= (one of {list(ids[:5])}...)")
        doc_id = ids.iloc[0]
    doc_id = str(doc_id)
    match = docs[ids == doc_id]
    if match.empty:
        raise KzError(f"document {doc_id!r} not found; available: {list(ids[:5])}"
                      + (" ..." if len(ids) > 5 else ""))
    doc = match.iloc[0]
    text = _s(doc["text_clean"])
    title = _s(doc.get("title")) or doc_id

    names: dict[str, tuple[str, str]] = {}
    if tables["actors"] is not None:
        a = _require(tables["actors"], ["actor_id", "name_en"], "actors")
        for r in a.drop_duplicates("actor_id").itertuples(index=False):
            names[_s(r.actor_id)] = (_s(r.name_en), _s(getattr(r, "name_ar", "")))

    def who(actor_id: str, fallback: str) -> str:
        return names.get(actor_id, ("", ""))[0] or actor_id or fallback

    spans: list[_Span] = []
    groups: list[str] = []

    ment = _require(tables["mentions"], MENTION_COLUMNS, "mentions")
    n_mentions = 0
    if ment is not None:
        ment = ment[ment["doc_id"].map(str) == doc_id]
        for i, r in enumerate(ment.itertuples(index=False)):
            start, end = _offsets(r, f"mentions row {i} ({_s(r.surface)!r})", len(text))
            actor, group = _s(r.actor_id), _s(r.group)
            method = _s(getattr(r, "method", ""))
            groups.append(group)
            tip = " · ".join(x for x in (isolate(who(actor, _s(r.surface))), group,
                                         f"rule: {method}" if method else "") if x)
            spans.append(_Span(start, end, 1, "<span" + _attrs(
                class_=f"m {_css_class(group)}", data_start=start, data_end=end,
                data_actor=actor, data_group=group, data_method=method, title=tip)))
            n_mentions += 1

    labels: dict[str, dict[str, str]] = {}
    evidence: dict[str, list[str]] = {}
    st = _require(tables["stance"], STANCE_COLUMNS, "stance")
    if st is not None:
        if "doc_id" in st.columns:
            st = st[st["doc_id"].map(str) == doc_id]
        for r in st.itertuples(index=False):
            sid, target, label = _s(r.statement_id), _s(r.target), _s(r.label)
            labels.setdefault(sid, {})[target] = label
            score = _s(getattr(r, "score", ""))
            score = f" {float(score):+.2f}" if score else ""
            ev = _s(getattr(r, "evidence", ""))
            evidence.setdefault(sid, []).append(
                f"{target}: {label}{score}" + (f" — evidence: {isolate(ev)}" if ev else ""))

    stm = _require(tables["statements"], STATEMENT_COLUMNS, "statements")
    n_statements = 0
    if stm is not None:
        stm = stm[stm["doc_id"].map(str) == doc_id]
        for i, r in enumerate(stm.itertuples(index=False)):
            sid = _s(r.statement_id)
            start, end = _offsets(r, f"statements row {i} ({sid})", len(text))
            speaker, group = _s(r.speaker_actor_id), _s(r.group)
            label = _primary_label(labels.get(sid, {}))
            cue = _s(r.cue)
            lemma, kind = _s(getattr(r, "cue_lemma", "")), _s(getattr(r, "kind", ""))
            lines = [f"speaker: {isolate(who(speaker, _s(r.speaker_text) or '(unresolved)'))}"
                     + (f" ({group})" if group else ""),
                     f"cue: {isolate(cue)}"
                     + (f" ({isolate(lemma)})" if lemma and lemma != cue else "")
                     + (f" · rule: {kind}" if kind else "")]
            lines += evidence.get(sid, ["stance: not coded"])
            stance_attr = "; ".join(f"{t}:{v}" for t, v in sorted(labels.get(sid, {}).items()))
            spans.append(_Span(start, end, 0, "<span" + _attrs(
                class_=f"s st-{label}", data_statement_id=sid, data_start=start,
                data_end=end, data_speaker=speaker, data_group=group, data_stance=stance_attr,
                title="\n".join(lines))))
            n_statements += 1

    colors = group_colors([g for g in groups if g])
    group_key = "".join(
        f'<span class="chip {_css_class(g)}"><bdi>{html.escape(g)}</bdi></span>'
        for g in order_groups(list(colors)))
    stance_key = "".join(f'<span class="chip s-key st-{lab}">{lab}</span>'
                         for lab in STANCE_LABELS)
    # each field isolated: after an Arabic outlet, an unisolated date would be laid out
    # right to left (2022-01-07 shown as 07-01-2022)
    meta = " · ".join(bdi(x, cls) for x, cls in ((doc_id, "doc-id"),
                                                 (_s(doc.get("outlet")), "outlet"),
                                                 (_s(doc.get("date")), "date")) if x)
    body = (
        f'<div class="kz-article" dir="rtl" lang="ar"{_attrs(data_doc_id=doc_id)}>\n'
        f"<style>\n{_css(colors)}\n</style>\n"
        # dir="auto": a Latin title or a doc_id fallback must not be reordered right to left
        f'<header><h1 dir="auto">{html.escape(title)}</h1>\n'
        f'<p dir="ltr" lang="en">{meta} — {n_mentions} actor mentions, '
        f"{n_statements} statements. Highlight = speaker group; underline = stance "
        "(hover for actor, cue and rule).</p>\n"
        f'<p class="legend" dir="ltr" lang="en">speaker group: {group_key}</p>\n'
        f'<p class="legend" dir="ltr" lang="en">stance: {stance_key}</p></header>\n'
        f'<div class="kz-text">{_nest(text, spans)}</div>\n</div>'
    )
    return ArticleHTML(doc_id=doc_id, title=title, body=body, n_mentions=n_mentions,
                       n_statements=n_statements)


def safe_filename(doc_id: str) -> str:
    """A file name for ``doc_id`` that stays inside its folder (``../x`` becomes ``x-<hash>``).

    Ids made of letters, digits, ``.``, ``_`` and ``-`` are kept as they are; others are
    sanitised, and long ones cut, with a short hash of the original so that two ids never
    share a file (:func:`kzcrisis.io_safety.file_stem`).
    """
    return file_stem(doc_id)


def write_article_html(results: Any, doc_id: str, outdir: str | Path, **tables: Any) -> Path:
    """Write ``outdir/<safe doc_id>.html`` (see :func:`safe_filename`); returns the path.

    >>> write_article_html(results, "a1", "articles/")    # doctest: +SKIP
    PosixPath('articles/a1.html')
    """
    article = show_article(results, doc_id, **tables)
    outdir = Path(outdir)
    path = outdir / f"{safe_filename(article.doc_id)}.html"
    if path.resolve().parent != outdir.resolve():  # belt and braces: never leave outdir
        raise KzError(f"document id {doc_id!r} cannot be written inside {outdir}")
    return article.save(path)


def write_articles(results: Any, outdir: str | Path, **tables: Any) -> list[Path]:
    """Write one annotated page per document (``reports/articles/`` in ``make reproduce``).

    >>> write_articles(results, "articles/")              # doctest: +SKIP
    [PosixPath('articles/a1.html'), ...]
    """
    docs = tables.get("docs")
    if docs is None:
        docs = _table(results, "docs")
    if docs is None:
        raise KzError("write_articles needs the docs table: pass the analysis results")
    return [write_article_html(results, doc_id, outdir, **tables)
            for doc_id in docs["doc_id"].map(str)]
