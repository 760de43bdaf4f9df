"""Publication figures with correctly shaped Arabic, saved deterministically.

Arabic in matplotlib
--------------------
matplotlib >= 3.11 lays text out with libraqm, which shapes Arabic letters (joining forms,
lam-alef ligatures) and orders mixed right-to-left/left-to-right text itself. Older matplotlib
(which conda environments may still carry) and other renderers without shaping draw
code points one by one, left to right. :func:`ar_label` returns text ready for the renderer in
use: unchanged where matplotlib shapes natively, reshaped (arabic-reshaper) and reordered
(python-bidi) where it does not. Reshaping on top of native shaping draws the text reversed,
so never pass labels through arabic-reshaper/python-bidi yourself.

Fonts: Noto Naskh Arabic or Amiri when installed (Debian ``fonts-noto-core``,
``fonts-hosny-amiri``), with per-glyph fallback to DejaVu Sans, which covers both Latin and
Arabic and ships with matplotlib, so figures render everywhere.

Figures
-------
Every ``plot_*`` function takes the tables of :mod:`kzcrisis.schemas` and an optional ``ax``,
draws one figure and returns the Axes; an empty table gives an axis with a "no data" note.
:func:`save_figure` writes PNG (300 dpi), SVG and PDF with no dates in their metadata and a
fixed SVG hash salt, so reruns are byte-identical.
"""
from __future__ import annotations

import contextlib
import functools
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from . import schemas
from .errors import KzError
from .framing import NARRATOR
from .stance import LABELS as STANCE_LABELS
from .stance import TARGETS

# Arabic fonts preferred when installed, best first; DejaVu Sans is always the last fallback.
ARABIC_FONTS: tuple[str, ...] = ("Noto Naskh Arabic", "Amiri", "Noto Sans Arabic")
FALLBACK_FONT = "DejaVu Sans"

#: The groups the research question compares, drawn first and in fixed colours.
FOCUS_GROUPS: tuple[str, ...] = ("UN", "CHN", "USA", "CSTO")
#: Colour-blind-safe colours per stance label (shared with report.py's HTML).
STANCE_COLORS: dict[str, str] = {
    "support": "#1b7837",
    "caution": "#e08214",
    "oppose": "#b2182b",
    "neutral": "#7f7f7f",
}
UNCODED_COLOR = "#c7c7c7"
TARGET_HATCH: dict[str, str] = {"intervention": "", "protesters": "//"}

_FOCUS_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")  # UN, CHN, USA, CSTO
# distinct from each other and from the focus colours, so neighbouring groups stay apart
_OTHER_COLORS = ("#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#393b79",
                 "#7f7f7f", "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d")

_ARABIC_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_SAFE_STEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Fixed salt: SVG element ids are hashes salted with this, so they repeat across runs.
SVG_HASHSALT = "kzcrisis"
#: Per-backend metadata with every date removed (None drops the key).
SAVE_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
FIGURE_DPI = 300


# --------------------------------------------------------------------------- Arabic text

@functools.cache
def native_shaping() -> bool:
    """True when matplotlib shapes and bidi-orders Arabic itself (libraqm, matplotlib >= 3.11).

    A capability probe rather than a version check: lay out two Arabic letters with the
    bundled DejaVu Sans and check that glyphs come back in visual (right-to-left) order and
    in contextual forms (glyph ids that differ from the isolated forms of the font's cmap).
    """
    try:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font, LoadFlags

        font = FT2Font(font_manager.findfont(FALLBACK_FONT, fallback_to_default=True))
        layout = getattr(font, "_layout", None)
        if layout is None:  # matplotlib < 3.11 draws code points left to right
            return False
        items = list(layout("بت", LoadFlags.NO_HINTING))
        order = [it.char for it in items]
        shaped = any(it.glyph_index != font.get_char_index(ord(it.char)) for it in items)
        return order == ["ت", "ب"] and shaped
    except Exception:  # any failure of the probe means: do not rely on native shaping
        return False


def ar_label(text: Any, native: bool | None = None) -> str:
    """Text ready for the renderer: unchanged where it shapes Arabic, else reshaped + reordered.

    ``native=None`` asks :func:`native_shaping`; ``native=False`` forces the legacy path
    (arabic-reshaper + python-bidi) for renderers without shaping. Text without Arabic letters,
    and missing values (None/NaN, given as ""), are returned as plain strings.

    >>> ar_label("RUS"), ar_label(None)
    ('RUS', '')
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    text = str(text)
    if native is None:
        # usetex hands text to LaTeX, which does not shape Arabic without special packages
        native = native_shaping() and not mpl.rcParams["text.usetex"]
    if native or not _ARABIC_RE.search(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def bilingual(arabic: Any, english: Any, native: bool | None = None) -> str:
    """"Arabic name (English name)" ready for the renderer; either part may be missing."""
    ar, en = _str(arabic).strip(), _str(english).strip()
    text = f"{ar} ({en})" if ar and en and ar != en else (ar or en)
    return ar_label(text, native=native)


# --------------------------------------------------------------------------- style, saving

def arabic_font_families() -> list[str]:
    """The font.family list: the best installed Arabic font, then DejaVu Sans as fallback.

    Only one preferred font is listed: Noto Naskh Arabic has no Latin letters, so Latin falls
    through to DejaVu Sans glyph by glyph (a second Arabic font such as Amiri, which has a
    serif Latin, would catch them first).
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in ARABIC_FONTS if name in installed][:1] + [FALLBACK_FONT]


def style_rc() -> dict[str, Any]:
    """rcParams of the kzcrisis figure style (fonts with fallback, deterministic output)."""
    return {
        "font.family": arabic_font_families(),
        "svg.hashsalt": SVG_HASHSALT,
        # glyphs as paths: the SVG renders the same without the fonts installed
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
        "savefig.dpi": FIGURE_DPI,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": "large",
        "figure.dpi": 100,
    }


@contextlib.contextmanager
def use_style() -> Iterator[None]:
    """Context manager applying :func:`style_rc` (restores the previous rcParams on exit).

    >>> with use_style():                                   # doctest: +SKIP
    ...     fig, ax = plt.subplots(); plot_mentions(results.actors, ax=ax)
    """
    with mpl.rc_context(style_rc()):
        yield


def set_style() -> None:
    """Apply :func:`style_rc` globally, e.g. at the top of a notebook."""
    mpl.rcParams.update(style_rc())


def save_figure(fig: Figure, stem: str, outdir: str | Path,
                formats: Sequence[str] = ("png", "svg", "pdf")) -> list[Path]:
    """Write ``outdir/stem.{png,svg,pdf}`` (PNG at 300 dpi) byte-identically on every rerun.

    ``stem`` is a plain file name (letters, digits, ``._-``); returns the paths written.

    >>> fig, ax = plt.subplots()                              # doctest: +SKIP
    >>> save_figure(fig, "mentions", "figures/")              # doctest: +SKIP
    [PosixPath('figures/mentions.png'), PosixPath('figures/mentions.svg'), ...]
    """
    if not isinstance(stem, str) or not _SAFE_STEM_RE.match(stem):
        raise KzError(f"figure name {stem!r}: use letters, digits, '.', '_' or '-' only")
    unknown = [f for f in formats if f not in SAVE_METADATA]
    if unknown:
        raise KzError(f"figure formats {unknown} not supported; choose from png, svg, pdf")
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KzError(f"{outdir}: cannot create figure folder ({err.strerror})") from None
    written = []
    with use_style():
        for fmt in formats:
            path = outdir / f"{stem}.{fmt}"
            tmp = path.with_name(f".{path.name}.tmp")
            fig.savefig(tmp, format=fmt, dpi=FIGURE_DPI, metadata=SAVE_METADATA[fmt],
                        bbox_inches="tight", pad_inches=0.1)
            tmp.replace(path)
            written.append(path)
    return written


# --------------------------------------------------------------------------- helpers


def _require(table: pd.DataFrame | None, columns: Sequence[str], name: str) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame(columns=list(columns))
    if not isinstance(table, pd.DataFrame):
        raise KzError(f"{name}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KzError(f"{name} table lacks columns {missing} (see kzcrisis.schemas)")
    return table


def _new_ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    # pyplot only here: importing kzcrisis.plots (e.g. for report.py's colours) picks no backend
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _no_data(ax: Axes, what: str) -> Axes:
    ax.text(0.5, 0.5, f"no data: {what}", ha="center", va="center", color="0.4",
            transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def _str(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def order_groups(groups: Sequence[str]) -> list[str]:
    """Focus groups (UN, CHN, USA, CSTO) first in that order, then the others sorted."""
    present = list(dict.fromkeys(str(g) for g in groups if _str(g)))
    focus = [g for g in FOCUS_GROUPS if g in present]
    return focus + sorted(g for g in present if g not in FOCUS_GROUPS)


def group_colors(groups: Sequence[str]) -> dict[str, str]:
    """A colour per group: fixed for the focus groups, stable per name for the others."""
    colors: dict[str, str] = {}
    used = set()
    for g in order_groups(groups):
        if g in FOCUS_GROUPS:
            colors[g] = _FOCUS_COLORS[FOCUS_GROUPS.index(g)]
            continue
        # start from a name-derived slot so a group keeps its colour when others come and go
        start = zlib.crc32(g.encode("utf-8")) % len(_OTHER_COLORS)
        for k in range(len(_OTHER_COLORS)):
            c = _OTHER_COLORS[(start + k) % len(_OTHER_COLORS)]
            if c not in used:
                break
        colors[g] = c
        used.add(c)
    return colors


def _group_label(group: str, group_labels: Mapping[str, str] | None) -> str:
    """A group's row label: the caller's, else the actor base's Arabic name with the id
    (``الأمم المتحدة (UN)``), else the id."""
    if group_labels and group in group_labels:
        return ar_label(group_labels[group])
    name = default_group_names().get(group)
    return ar_label(f"{name} ({group})" if name else group)


@functools.lru_cache(maxsize=1)
def default_group_names() -> dict[str, str]:
    """``group id -> Arabic name`` for the groups the actor base names (states, IGOs).

    >>> default_group_names()["UN"]
    'الأمم المتحدة'
    """
    from .actors import load_actors

    d = load_actors()
    out = {}
    for row in d.actors.to_dict("records"):
        if row.get("actor_id") == row.get("group") and row.get("name_ar"):
            out[str(row["group"])] = str(row["name_ar"])
    for group in ("UNRESOLVED",):
        out.setdefault(group, "غير محدد")
    return out


def _stance_color(label: Any) -> str:
    return STANCE_COLORS.get(_str(label), UNCODED_COLOR)


# --------------------------------------------------------------------------- 1. stance

def _interval(row: Any) -> tuple[float | None, float | None]:
    """A comparison row's bootstrap interval, or (None, None) when it has none."""
    lo, hi = getattr(row, "ci_low", None), getattr(row, "ci_high", None)
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        return None, None
    if np.isnan(lo) or np.isnan(hi):
        return None, None
    return lo, hi


def plot_stance_comparison(stance_comparison: pd.DataFrame, groups: Sequence[str] | None = None,
                           ax: Axes | None = None, *, doc_id: str | None = None,
                           targets: Sequence[str] = TARGETS,
                           group_labels: Mapping[str, str] | None = None) -> Axes:
    """Diverging bars: each group's mean stance score toward each target, with its bootstrap
    interval as whiskers and the number of statements; a group with one statement is drawn
    pale and marked "n=1, single statement" (one claim, no interval).

    Rows of ``doc_id`` are drawn; by default the corpus rows (``ALL``), or the one document's
    rows when there are no ``ALL`` rows. Bars are coloured by stance label and hatched by
    target; a group with no statement on a target shows "no statements" at zero.

    >>> ax = plot_stance_comparison(results.stance_comparison)  # doctest: +SKIP
    """
    table = _require(stance_comparison, schemas.STANCE_COMPARISON, "stance_comparison")
    with use_style():
        ax = _new_ax(ax, (7.5, 1.2 + 0.75 * max(1, len(groups or FOCUS_GROUPS))))
        if table.empty:
            return _no_data(ax, "no coded statements")
        doc_ids = table["doc_id"].astype(str)
        if doc_id is None:
            if (doc_ids == "ALL").any():
                doc_id = "ALL"
            elif doc_ids.nunique() == 1:
                doc_id = doc_ids.iloc[0]
            else:
                raise KzError("stance_comparison has several documents and no 'ALL' rows: "
                              "pass doc_id=...")
        rows = table[doc_ids == str(doc_id)]
        if rows.empty:
            return _no_data(ax, f"no stance rows for document {doc_id!r}")
        shown = order_groups(groups if groups is not None else rows["group"].tolist())
        if not shown:
            return _no_data(ax, "no groups to show")
        cells = {(str(r.group), str(r.target)): r for r in rows.itertuples(index=False)}
        height = 0.8 / max(1, len(targets))
        for i, group in enumerate(shown):
            y_group = len(shown) - 1 - i  # first group on top
            for j, target in enumerate(targets):
                y = y_group + 0.4 - height * (j + 0.5)
                row = cells.get((group, target))
                n = 0 if row is None or pd.isna(row.n_statements) else int(row.n_statements)
                if n == 0:
                    ax.text(0.02, y, f"{target}: no statements", va="center", ha="left",
                            fontsize=7, color="0.45")
                    continue
                score = float(row.score) if not pd.isna(row.score) else 0.0
                single = n == 1
                # one statement is one claim, not a group's position: drawn pale, and said
                ax.barh(y, score, height=height * 0.9, color=_stance_color(row.label),
                        hatch=TARGET_HATCH.get(target, ""), edgecolor="white", linewidth=0.5,
                        alpha=0.45 if single else 1.0, label="_nolegend_")
                lo, hi = _interval(row)
                if lo is not None:
                    ax.errorbar(score, y, xerr=[[max(0.0, score - lo)], [max(0.0, hi - score)]],
                                fmt="none", ecolor="0.15", elinewidth=0.9, capsize=2.5)
                # annotate beyond the bar's (or interval's) end, on the side it points to
                reach_hi = max(score, hi if hi is not None else score, 0)
                reach_lo = min(score, lo if lo is not None else score, 0)
                ha, x = ("left", reach_hi + 0.03) if score >= 0 else ("right", reach_lo - 0.03)
                what = "n=1, single statement" if single else f"n={n}"
                ax.text(x, y, f"{_str(row.label)} {score:+.2f} ({what})", va="center", ha=ha,
                        fontsize=7)
        ax.axvline(0, color="0.2", linewidth=0.8)
        ax.set_xlim(-1.6, 1.6)
        ax.set_xticks([-1, -0.5, 0, 0.5, 1])
        ax.set_ylim(-0.6, len(shown) - 0.4)
        ax.set_yticks(range(len(shown)))
        ax.set_yticklabels([_group_label(g, group_labels) for g in reversed(shown)])
        ax.set_xlabel("mean stance score (−1 oppose … +1 support); whiskers: 95% bootstrap "
                      "interval")
        title_doc = "all documents" if str(doc_id) == "ALL" else f"document {doc_id}"
        ax.set_title(f"Stance toward each target by speaker group ({title_doc})")
        handles = [Patch(facecolor=STANCE_COLORS[k], label=k) for k in STANCE_LABELS]
        handles += [Patch(facecolor="white", edgecolor="0.3", hatch=TARGET_HATCH.get(t, ""),
                          label=f"target: {t}") for t in targets]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7,
                  frameon=False)
    return ax


# --------------------------------------------------------------------------- 2. mentions

def plot_mentions(table: pd.DataFrame, ax: Axes | None = None, *,
                  actors: pd.DataFrame | None = None, top: int | None = None) -> Axes:
    """Horizontal bars of mentions per actor, coloured by group, labelled in Arabic and English.

    ``table`` is an ``actors`` table (with ``n_mentions``) or a ``mentions`` table (counted
    per actor; pass ``actors`` for the names, else the commonest surface form is shown).
    Actors are grouped by group (focus groups first), most mentioned first; ``top`` keeps only
    the most mentioned actors (ties broken by actor_id).

    >>> ax = plot_mentions(results.actors, top=20)                # doctest: +SKIP
    """
    if table is not None and "n_mentions" in getattr(table, "columns", []):
        counts = _require(table, schemas.ACTORS, "actors").copy()
    else:
        mentions = _require(table, ["actor_id", "group", "surface"], "mentions")
        mentions = mentions[mentions["actor_id"].map(_str) != ""]
        counts = (mentions.groupby("actor_id", sort=True)
                  .agg(n_mentions=("surface", "size"), group=("group", "first"),
                       surface=("surface", lambda s: s.value_counts().index[0]))
                  .reset_index())
        names = _require(actors, ["actor_id", "name_en", "name_ar"], "actors")
        names = names.drop_duplicates("actor_id").set_index("actor_id")
        counts["name_ar"] = [names["name_ar"].get(a, s) if a in names.index else s
                             for a, s in zip(counts["actor_id"], counts["surface"], strict=True)]
        counts["name_en"] = [names["name_en"].get(a, "") if a in names.index else a
                             for a in counts["actor_id"]]
    with use_style():
        counts = counts[pd.to_numeric(counts["n_mentions"], errors="coerce").fillna(0) > 0]
        n_rows = len(counts) if top is None else min(len(counts), top)
        ax = _new_ax(ax, (9, 1.0 + 0.32 * max(3, n_rows)))
        if counts.empty:
            return _no_data(ax, "no actor mentions")
        counts = counts.assign(n_mentions=counts["n_mentions"].astype(int),
                               group=counts["group"].map(_str))
        if top is not None:
            counts = counts.sort_values(["n_mentions", "actor_id"], ascending=[False, True])
            counts = counts.head(top)
        rank = {g: i for i, g in enumerate(order_groups(counts["group"].tolist()))}
        counts = counts.assign(_rank=counts["group"].map(rank).fillna(len(rank)))
        counts = counts.sort_values(["_rank", "n_mentions", "actor_id"],
                                    ascending=[True, False, True])
        colors = group_colors(counts["group"].tolist())
        y = np.arange(len(counts))[::-1]
        ax.barh(y, counts["n_mentions"], color=[colors.get(g, UNCODED_COLOR)
                                                for g in counts["group"]])
        for yi, n in zip(y, counts["n_mentions"], strict=True):
            ax.text(n, yi, f" {n}", va="center", ha="left", fontsize=7)
        ax.set_yticks(y)
        ax.set_yticklabels([bilingual(a, e) for a, e in
                            zip(counts["name_ar"], counts["name_en"], strict=True)], fontsize=8)
        ax.set_xlabel("mentions")
        ax.set_title("Actor mentions by group")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(handles=[Patch(facecolor=c, label=g) for g, c in colors.items()],
                  title="group", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7,
                  title_fontsize=7, frameon=False)
        ax.margins(x=0.08)
    return ax


# --------------------------------------------------------------------------- 3. network

def cooccurrence_graph(cooccurrence: pd.DataFrame, actors: pd.DataFrame | None = None, *,
                       min_weight: int = 1):
    """A networkx Graph of actors (nodes with group, names, n_mentions) and weighted edges."""
    import networkx as nx

    edges = _require(cooccurrence, schemas.COOCCURRENCE, "cooccurrence")
    edges = edges[pd.to_numeric(edges["weight"], errors="coerce").fillna(0) >= min_weight]
    graph = nx.Graph()
    info = {}
    if actors is not None:
        actors = _require(actors, ["actor_id", "name_en", "name_ar", "group"], "actors")
        info = actors.drop_duplicates("actor_id").set_index("actor_id").to_dict("index")
    # sorted insertion: the seeded layout depends on node order
    nodes = sorted(set(edges["actor_a"].map(str)) | set(edges["actor_b"].map(str)))
    for node in nodes:
        row = info.get(node, {})
        graph.add_node(node, group=_str(row.get("group")), name_ar=_str(row.get("name_ar")),
                       name_en=_str(row.get("name_en")) or node,
                       n_mentions=row.get("n_mentions", 1))
    for a, b, w in sorted(zip(edges["actor_a"].map(str), edges["actor_b"].map(str),
                              edges["weight"].astype(float), strict=True)):
        if a == b:
            continue
        if graph.has_edge(a, b):  # duplicate rows (several documents): add up
            graph[a][b]["weight"] += w
        else:
            graph.add_edge(a, b, weight=w)
    return graph


def network_layout(graph, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded spring layout per connected component, components packed in shelves.

    A single spring layout pushes separate components into the corners and piles their nodes
    up; laying each out on its own (radius ~ sqrt(size)) keeps every cluster readable.
    """
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(graph)),
                   key=lambda c: (-len(c), c[0]))
    radii = [0.5 * np.sqrt(len(c)) for c in comps]
    gap = 0.6
    # shelves about twice as wide as the packed area is tall (figures are landscape)
    shelf_width = max(2 * radii[0], np.sqrt(2.0 * sum((2 * r + gap) ** 2 for r in radii)))
    pos: dict[str, np.ndarray] = {}
    x = y = 0.0
    row_height = 0.0
    for comp, r in zip(comps, radii, strict=True):
        if x > 0 and x + 2 * r > shelf_width:  # next shelf, downwards
            x, y = 0.0, y - row_height - gap
            row_height = 0.0
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        else:
            # a fresh graph in sorted order: a subgraph *view* iterates a set, whose order
            # changes with PYTHONHASHSEED, and the seeded layout depends on node order
            sub = nx.Graph()
            sub.add_nodes_from(comp)
            sub.add_edges_from(sorted((min(a, b), max(a, b), d)
                                      for a, b, d in graph.edges(comp, data=True)))
            local = nx.spring_layout(sub, seed=seed, weight="weight",
                                     k=1.6 / np.sqrt(len(comp)), iterations=200, scale=r)
        for node, xy in local.items():
            pos[node] = np.asarray(xy, dtype=float) + (x + r, y - r)
        x += 2 * r + gap
        row_height = max(row_height, 2 * r)
    return pos


def plot_cooccurrence(cooccurrence: pd.DataFrame, actors: pd.DataFrame | None = None,
                      ax: Axes | None = None, *, min_weight: int = 1, seed: int = 0,
                      labels: str = "auto") -> Axes:
    """Actor co-occurrence network: node size ~ mentions, colour = group, width ~ sentences.

    The layout (:func:`network_layout`) is seeded and nodes are added in sorted order, so the
    figure is the same on every run. ``labels``: ``"both"`` (Arabic over English), ``"en"``,
    ``"ar"``, or ``"auto"`` (both up to 12 actors, else the English name without its
    parenthetical).

    >>> ax = plot_cooccurrence(results.cooccurrence, results.actors)  # doctest: +SKIP
    """
    import networkx as nx
    from matplotlib import patheffects

    if labels not in ("auto", "both", "en", "ar"):
        raise KzError(f"labels={labels!r}: choose auto, both, en or ar")
    graph = cooccurrence_graph(cooccurrence, actors, min_weight=min_weight)
    with use_style():
        n_nodes = graph.number_of_nodes()
        ax = _new_ax(ax, (8, 7) if n_nodes <= 12 else (11, 7))
        if n_nodes == 0:
            return _no_data(ax, "no actors co-occur in a sentence")
        if labels == "auto":
            labels = "both" if n_nodes <= 12 else "en"
        pos = network_layout(graph, seed=seed)
        colors = group_colors([d["group"] for _, d in graph.nodes(data=True)])
        nodes = list(graph.nodes)
        mentions = np.array([float(pd.to_numeric(graph.nodes[n]["n_mentions"], errors="coerce")
                                   or 1) for n in nodes])
        sizes = 120 + 420 * np.sqrt(mentions / mentions.max())
        max_w = max(w for *_, w in graph.edges(data="weight"))
        widths = [0.6 + 2.5 * d["weight"] / max_w for *_, d in graph.edges(data=True)]
        nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, edge_color="0.6", alpha=0.8)
        nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=nodes, node_size=sizes,
                               node_color=[colors.get(graph.nodes[n]["group"], UNCODED_COLOR)
                                           for n in nodes], edgecolors="white")
        texts = []
        for n in nodes:
            data = graph.nodes[n]
            en = data["name_en"] if labels != "en" else data["name_en"].split(" (")[0]
            parts = {"both": (ar_label(data["name_ar"]), en), "en": (en,),
                     "ar": (ar_label(data["name_ar"]) or en,)}[labels]
            texts.append(ax.text(*pos[n], "\n".join(x for x in parts if x), ha="center",
                                 va="center", fontsize=6.5, zorder=5, path_effects=[
                                     patheffects.withStroke(linewidth=2, foreground="white")]))
        ax.legend(handles=[Patch(facecolor=c, label=g or "—") for g, c in colors.items()],
                  title="group", loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
                  title_fontsize=7, frameon=False)
        ax.set_title("Actors named in the same sentence")
        ax.margins(0.12)
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        _repel_labels(ax, texts, np.array([pos[n] for n in nodes]))
    return ax


def _repel_labels(ax: Axes, texts: list, points: np.ndarray) -> None:
    """Move network labels apart and off the nodes (adjustText), each tied to its node by a
    thin line when it had to move. Deterministic: a fixed number of iterations, no clock."""
    from adjustText import adjust_text

    if not texts:
        return
    # start each label just below its node: most need no move at all
    for text, (x, y) in zip(texts, points, strict=True):
        text.set_position((x, y))
        text.set_va("top")
    ax.figure.canvas.draw()  # text extents need a renderer
    adjust_text(texts, x=points[:, 0], y=points[:, 1], ax=ax, iter_lim=400,
                expand=(1.08, 1.25), force_text=(0.3, 0.5), force_static=(0.2, 0.4),
                ensure_inside_axes=True, min_arrow_len=4,
                arrowprops={"arrowstyle": "-", "color": "0.55", "lw": 0.5})


# --------------------------------------------------------------------------- 4. sequence

def plot_statement_sequence(statements: pd.DataFrame, stance: pd.DataFrame | None = None,  # noqa: C901 (a listed exception)
                            doc_id: str | None = None, ax: Axes | None = None, *,
                            docs: pd.DataFrame | None = None, actors: pd.DataFrame | None = None,
                            targets: Sequence[str] = TARGETS) -> Axes:
    """Who speaks where in one article: one row per speaker, x = character position.

    Each statement is a bar spanning its characters in the cleaned text, one lane per stance
    target (upper lane = first target), coloured by the stance label; statements with no
    stance row are grey. ``doc_id`` may be omitted when the table holds one document.

    >>> ax = plot_statement_sequence(results.statements, results.stance, "a1",
    ...                              docs=results.docs, actors=results.actors)  # doctest: +SKIP
    """
    statements = _require(statements, schemas.STATEMENTS, "statements")
    stance = _require(stance, schemas.STANCE, "stance")
    with use_style():
        if doc_id is None:
            ids = statements["doc_id"].map(str).unique()
            if len(ids) > 1:
                raise KzError("statements hold several documents: pass doc_id=...")
            doc_id = ids[0] if len(ids) else ""
        rows = statements[statements["doc_id"].map(str) == str(doc_id)]
        rows = rows.sort_values(["start_char", "statement_id"], kind="stable")
        n_speakers = rows["speaker_actor_id"].nunique() if not rows.empty else 1
        ax = _new_ax(ax, (9, 1.4 + 0.5 * max(2, n_speakers)))
        if rows.empty:
            return _no_data(ax, f"no statements in document {doc_id!r}")
        names = {}
        if actors is not None:
            a = _require(actors, ["actor_id", "name_en"], "actors").drop_duplicates("actor_id")
            names = dict(zip(a["actor_id"].map(str), a["name_en"].map(_str), strict=True))
        speakers: dict[str, str] = {}  # key -> label, in order of first appearance
        keys = []
        for r in rows.itertuples(index=False):
            key = _str(r.speaker_actor_id) or f"?{_str(r.speaker_text)}"
            keys.append(key)
            if key not in speakers:
                who = names.get(_str(r.speaker_actor_id)) or ar_label(r.speaker_text) \
                    or "(unresolved)"
                group = _str(r.group)
                speakers[key] = f"{who} [{group}]" if group else who
        row_y = {k: len(speakers) - 1 - i for i, k in enumerate(speakers)}
        labels_of = {}
        if not stance.empty:
            for r in stance[stance["doc_id"].map(str) == str(doc_id)].itertuples(index=False):
                labels_of[(str(r.statement_id), str(r.target))] = _str(r.label)
        lane = 0.8 / max(1, len(targets))
        for key, r in zip(keys, rows.itertuples(index=False), strict=True):
            try:
                start, end = int(r.start_char), int(r.end_char)
            except (TypeError, ValueError):
                raise KzError(f"statement {r.statement_id!r}: offsets {r.start_char!r}.."
                              f"{r.end_char!r} are not integers") from None
            sid = str(r.statement_id)
            coded = [(j, labels_of[(sid, t)]) for j, t in enumerate(targets)
                     if (sid, t) in labels_of]
            if not coded:
                ax.barh(row_y[key], end - start, left=start, height=0.8, color=UNCODED_COLOR,
                        edgecolor="white", linewidth=0.4)
                continue
            for j, label in coded:
                y = row_y[key] + 0.4 - lane * (j + 0.5)
                ax.barh(y, end - start, left=start, height=lane * 0.95,
                        color=_stance_color(label), hatch=TARGET_HATCH.get(targets[j], ""),
                        edgecolor="white", linewidth=0.4)
        length = None
        if docs is not None and "text_clean" in docs.columns:
            match = docs[docs["doc_id"].map(str) == str(doc_id)]
            if not match.empty:
                length = len(_str(match["text_clean"].iloc[0]))
        ax.set_xlim(0, length or int(rows["end_char"].max()) + 1)
        ax.set_ylim(-0.6, len(speakers) - 0.4)
        ax.set_yticks(list(row_y.values()))
        ax.set_yticklabels(list(speakers.values()), fontsize=8)
        ax.set_xlabel("character position in the cleaned article (start of text at left)")
        ax.set_title(f"Statements in document {doc_id}, coloured by stance")
        handles = [Patch(facecolor=STANCE_COLORS[k], label=k) for k in STANCE_LABELS]
        handles.append(Patch(facecolor=UNCODED_COLOR, label="not coded"))
        handles += [Patch(facecolor="white", edgecolor="0.3", hatch=TARGET_HATCH.get(t, ""),
                          label=f"target: {t}") for t in targets]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7,
                  frameon=False)
    return ax


# --------------------------------------------------------------------------- 5. framing

def plot_framing(framing: pd.DataFrame, ax: Axes | None = None, *, doc_id: str | None = None,
                 term_labels: Mapping[str, str] | None = None) -> Axes:
    """Heatmap of framing-term counts: rows = terms (by target), columns = speaker groups.

    Counts are summed over documents unless ``doc_id`` is given; the narrator (text outside
    statements) is the last column. Rows are named in Arabic and English: ``term_labels``
    maps term_id to the Arabic label, by default the term's first form in the framing
    lexicon ("إرهابي (terrorists, criminalising)"). The colour bar counts uses, in whole
    numbers.

    >>> ax = plot_framing(kz.framing_terms(docs, statements, mentions))  # doctest: +SKIP
    """
    table = _require(framing, schemas.FRAMING, "framing")
    with use_style():
        if doc_id is not None:
            table = table[table["doc_id"].map(str) == str(doc_id)]
        table = table[pd.to_numeric(table["n"], errors="coerce").fillna(0) > 0]
        if table.empty:
            return _no_data(_new_ax(ax, (6, 3)), "no framing terms counted")
        table = table.assign(n=table["n"].astype(int), speaker_group=table["speaker_group"]
                             .map(_str).replace("", NARRATOR), target=table["target"].map(_str),
                             term_class=table["term_class"].map(_str),
                             term_id=table["term_id"].map(str))
        counts = table.pivot_table(index=["target", "term_class", "term_id"],
                                   columns="speaker_group", values="n", aggfunc="sum",
                                   fill_value=0)
        groups = order_groups([g for g in counts.columns if g != NARRATOR])
        if NARRATOR in counts.columns:
            groups.append(NARRATOR)
        counts = counts.loc[:, groups].sort_index()
        ax = _new_ax(ax, (2.6 + 0.6 * len(groups), 1.2 + 0.35 * len(counts)))
        values = counts.to_numpy()
        image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(1, values.max()))
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                        color="white" if v > values.max() * 0.6 else "black")
        # a rule between the targets' blocks of rows
        targets = counts.index.get_level_values("target")
        for i in range(1, len(targets)):
            if targets[i] != targets[i - 1]:
                ax.axhline(i - 0.5, color="0.3", linewidth=1)
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([ar_label(g) for g in groups], rotation=45, ha="right")
        names = term_names() if term_labels is None else dict(term_labels)
        ax.set_yticks(range(len(counts)))
        ax.set_yticklabels([bilingual(names.get(term, ""), ", ".join(
            x for x in (term.replace("_", " "), term_class) if x))
            for _, term_class, term in counts.index], fontsize=8)
        # each target's block of rows is named once, at its right
        for target in dict.fromkeys(targets):
            rows = [i for i, t in enumerate(targets) if t == target]
            ax.text(1.01, (rows[0] + rows[-1]) / 2, target, rotation=270, ha="left",
                    va="center", fontsize=8, color="0.3",
                    transform=ax.get_yaxis_transform())
        ax.set_xlabel("speaker group")
        ax.set_title("Framing terms by speaker group")
        bar = ax.figure.colorbar(image, ax=ax, label="uses", shrink=0.8, pad=0.06)
        from matplotlib.ticker import MaxNLocator

        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers
        ax.spines[:].set_visible(False)
    return ax


@functools.cache
def term_names() -> dict[str, str]:
    """term_id -> an Arabic name for it from the framing lexicon (the heatmap's row names):
    its first plain form, else its first form with the gaps (``*``) closed.

    >>> term_names()["terrorists"], term_names()["rioters"]
    ('إرهابي', 'مشاغبين')
    """
    from .framing import load_framing_terms

    names = {}
    for r in load_framing_terms().table.itertuples(index=False):
        forms = [f.strip() for f in r.forms.split("|") if f.strip()]
        plain = [f for f in forms if "*" not in f]
        names[r.term_id] = plain[0] if plain else " ".join(forms[0].replace("*", " ").split())
    return names
