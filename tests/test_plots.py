"""Figures: Arabic shaping, fonts, deterministic saving and the five plot_* functions.

Inputs are small real tables following kzcrisis.schemas (invented Arabic sentences about the
crisis, not the seed article); everything is drawn by real matplotlib (Agg).
"""
from __future__ import annotations

import unicodedata
import warnings

import matplotlib

matplotlib.use("Agg")

import arabic_reshaper  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kzcrisis import plots, schemas  # noqa: E402
from kzcrisis.errors import KzError  # noqa: E402

MPL_SHAPES = tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 11)
needs_native = pytest.mark.skipif(not MPL_SHAPES, reason="matplotlib < 3.11 does not shape")

# one row per spelling case: hamza forms, ta marbuta, alef maqsura, lam-alef, tatweel,
# mixed Arabic + Latin/digits, Arabic comma, guillemets
ARABIC_LABELS = [
    "الأمم المتحدة",
    "منظمة معاهدة الأمن الجماعي",
    "قاسم جومارت توكاييف",
    "توكايف",
    "ألما آتا",
    "الما أتا",
    "وزارة الخارجية الصينية CHN",
    "لا للتدخل",
    "قـال المتحدث",
    "أكثر من 70 طائرة",
    "بدورها، دعت الأمم المتحدة",
    "«قوات حفظ السلام»",
    "مستشفى",
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def render(text: str, fontsize: int = 16, family: str | None = None) -> np.ndarray:
    """Pixels of ``text`` drawn alone on a small Agg figure in the kzcrisis style."""
    with plots.use_style():
        fig = Figure(figsize=(5, 1), dpi=100)
        FigureCanvasAgg(fig)
        fig.text(0.02, 0.4, text, fontsize=fontsize, family=family)
        fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()


# --------------------------------------------------------------------------- ar_label

def test_probe_agrees_with_matplotlib_version():
    assert plots.native_shaping() is MPL_SHAPES


@needs_native
@pytest.mark.parametrize("text", ARABIC_LABELS)
def test_ar_label_draws_the_same_pixels_as_plain_arabic(text):
    assert np.array_equal(render(plots.ar_label(text)), render(text))


@needs_native
@pytest.mark.parametrize("text", ARABIC_LABELS)
def test_matplotlib_shapes_and_orders_arabic_itself(text):
    # Explicit contextual forms in logical order draw like plain text (matplotlib joins the
    # letters and runs them right to left; only a hamza form may sit a pixel apart), while
    # reshaping + bidi on top of that draws the text reversed. DejaVu Sans (always there)
    # draws presentation forms with the same outlines as its shaped letters; Noto Naskh
    # Arabic has no presentation-form ligatures, so the comparison needs one font.
    def draw(t):
        return render(t, family="DejaVu Sans")

    plain = draw(text)
    ink = (plain[..., :3] < 200).any(-1).sum()
    shaped_diff = (plain != draw(arabic_reshaper.reshape(text))).any(-1).sum()
    legacy_diff = (plain != draw(plots.ar_label(text, native=False))).any(-1).sum()
    assert shaped_diff <= 0.1 * ink
    assert legacy_diff >= 0.5 * ink


ARABIC_ONLY = ["الأمم المتحدة", "منظمة معاهدة الأمن الجماعي", "توكاييف", "ألما آتا",
               "لا للتدخل", "مستشفى", "قالت وزارة الدفاع الروسية"]


@pytest.mark.parametrize("text", ARABIC_ONLY)
def test_legacy_path_reshapes_and_reverses(text):
    out = plots.ar_label(text, native=False)
    assert any("\uFE70" <= ch <= "\uFEFF" for ch in out)
    assert out != text
    # presentation forms fold back to the letters, in reversed (visual) order
    assert unicodedata.normalize("NFKC", out[::-1]) == text


@pytest.mark.parametrize(("text", "latin"), [("وزارة الخارجية الصينية CHN", "CHN"),
                                             ("قال بلينكن (Blinken)", "Blinken"),
                                             ("أكثر من 70 طائرة", "70")])
def test_legacy_path_keeps_latin_and_digits_left_to_right(text, latin):
    out = plots.ar_label(text, native=False)
    assert latin in out
    assert any("\uFE70" <= ch <= "\uFEFF" for ch in out)


@pytest.mark.parametrize(("value", "expected"), [("CSTO", "CSTO"), ("n=3", "n=3"), (None, ""),
                                                 (float("nan"), ""), (12, "12")])
def test_ar_label_without_arabic_is_plain_text(value, expected):
    assert plots.ar_label(value, native=False) == expected
    assert plots.ar_label(value, native=True) == expected


@pytest.mark.parametrize("text", ARABIC_LABELS)
def test_native_path_returns_text_unchanged(text):
    assert plots.ar_label(text, native=True) == text


def test_bilingual_label_keeps_both_names():
    assert plots.bilingual("الأمم المتحدة", "United Nations", native=True) == \
        "الأمم المتحدة (United Nations)"
    assert plots.bilingual("", "United Nations", native=True) == "United Nations"
    assert plots.bilingual("الأمم المتحدة", None, native=True) == "الأمم المتحدة"
    legacy = plots.bilingual("الأمم المتحدة", "United Nations", native=False)
    assert "United Nations" in legacy and any("\uFE70" <= ch <= "\uFEFF" for ch in legacy)


# --------------------------------------------------------------------------- fonts

def test_font_list_ends_with_dejavu_and_names_only_installed_fonts():
    from matplotlib import font_manager

    families = plots.arabic_font_families()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    assert families[-1] == "DejaVu Sans"
    assert all(name in installed for name in families)


def test_arabic_and_latin_labels_draw_without_missing_glyph_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with plots.use_style():
            fig, ax = plt.subplots()
            ax.set_title("موقف الأمم المتحدة (UN) من قوات «حفظ السلام» — 2022")
            ax.set_xticks(range(len(ARABIC_LABELS)))
            ax.set_xticklabels([plots.ar_label(t) for t in ARABIC_LABELS], rotation=90)
            ax.set_ylabel("عدد الإشارات ٣ / mentions, n=3")
            ax.text(0, 0, "مُؤَكِّداً ومشيرةً، اعتبرت")
            fig.canvas.draw()
    glyph = [str(w.message) for w in caught if "glyph" in str(w.message).lower()
             or "findfont" in str(w.message).lower()]
    assert glyph == []


# --------------------------------------------------------------------------- saving

def _figure_for_saving():
    ax = plots.plot_stance_comparison(stance_comparison())
    return ax.figure


def test_save_figure_writes_three_formats_byte_identically(tmp_path):
    first = plots.save_figure(_figure_for_saving(), "stance", tmp_path / "a")
    second = plots.save_figure(_figure_for_saving(), "stance", tmp_path / "b")
    assert [p.name for p in first] == ["stance.png", "stance.svg", "stance.pdf"]
    for a, b in zip(first, second, strict=True):
        assert a.stat().st_size > 1000
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[1].read_text(encoding="utf-8")
    pdf = first[2].read_bytes()
    assert "<dc:date>" not in svg
    assert b"CreationDate" not in pdf and b"ModDate" not in pdf


def test_save_figure_png_is_300_dpi(tmp_path):
    png = plots.save_figure(_figure_for_saving(), "dpi", tmp_path, formats=("png",))[0]
    data = png.read_bytes()
    phys = data.index(b"pHYs") + 4
    x_ppm = int.from_bytes(data[phys:phys + 4], "big")
    assert round(x_ppm * 0.0254) == 300


@pytest.mark.parametrize("stem", ["../escape", "a/b", "", ".hidden", "x y"])
def test_save_figure_rejects_unsafe_names(tmp_path, stem):
    with pytest.raises(KzError):
        plots.save_figure(_figure_for_saving(), stem, tmp_path)
    assert not (tmp_path.parent / "escape.png").exists()


# --------------------------------------------------------------------------- tables

def stance_comparison() -> pd.DataFrame:
    nan = float("nan")
    rows = [
        ("ALL", "CSTO", "intervention", "support", 0.8, 0.7, 0.9, 2, 0, "firm",
         "أكد جاهزية الدول الأعضاء"),
        ("ALL", "CHN", "intervention", "support", 0.3, nan, nan, 1, 0, "single",
         "رفض التدخل الخارجي"),
        ("ALL", "CHN", "protesters", "oppose", -0.6, nan, nan, 1, 0, "single",
         "التحريض على العنف"),
        ("ALL", "UN", "intervention", "caution", -0.2, nan, nan, 1, 0, "single", "ضبط النفس"),
        ("ALL", "USA", "intervention", "oppose", -0.7, -0.9, -0.4, 2, 1, "wide",
         "تساؤلات حول شرعية"),
        ("ALL", "TUR", "intervention", "neutral", 0.0, nan, nan, 1, 0, "single", ""),
        ("doc1", "USA", "intervention", "oppose", -0.7, -0.9, -0.4, 2, 1, "wide",
         "تساؤلات حول شرعية"),
    ]
    return pd.DataFrame(rows, columns=schemas.STANCE_COMPARISON)


def actors() -> pd.DataFrame:
    rows = [
        ("UN_sg", "António Guterres", "أنطونيو غوتيريش", "UN", "Q311440", 3, 0),
        ("CHN_mfa", "Ministry of Foreign Affairs of China", "وزارة الخارجية الصينية", "CHN",
         "", 2, 1),
        ("USA_dos", "United States Department of State", "وزارة الخارجية الأمريكية", "USA",
         "", 1, 2),
        ("CSTO", "Collective Security Treaty Organization", "منظمة معاهدة الأمن الجماعي",
         "CSTO", "Q167115", 4, 0),
        ("KAZ_knb", "National Security Committee", "لجنة الأمن القومي", "KAZ", "", 2, 3),
        ("ARM", "Armenia", "أرمينيا", "ARM", "Q399", 0, 4),
    ]
    return pd.DataFrame(rows, columns=schemas.ACTORS)


TEXT = ("حذرت وزارة الخارجية الصينية من التدخل الخارجي. "
        "ودعا أنطونيو غوتيريش إلى ضبط النفس. "
        "وقالت منظمة معاهدة الأمن الجماعي إن قواتها ستغادر قريباً.")


def mentions() -> pd.DataFrame:
    rows = []
    for sent, actor, group, surface in [(0, "CHN_mfa", "CHN", "وزارة الخارجية الصينية"),
                                        (1, "UN_sg", "UN", "أنطونيو غوتيريش"),
                                        (2, "CSTO", "CSTO", "منظمة معاهدة الأمن الجماعي")]:
        start = TEXT.index(surface)
        end = start + len(surface)
        rows.append(("d1", sent, actor, group, surface, start, end, start, end, "dictionary"))
    rows.append(("d1", 2, "", "", "قواتها", TEXT.index("قواتها"), TEXT.index("قواتها") + 6,
                 0, 0, "ner"))  # unlinked: not counted
    return pd.DataFrame(rows, columns=schemas.MENTIONS)


def statements() -> pd.DataFrame:
    rows = []
    for sid, actor, group, speaker, cue, content in [
        ("d1-1", "CHN_mfa", "CHN", "وزارة الخارجية الصينية", "حذرت", "من التدخل الخارجي"),
        ("d1-2", "UN_sg", "UN", "أنطونيو غوتيريش", "ودعا", "إلى ضبط النفس"),
        ("d1-3", "CSTO", "CSTO", "منظمة معاهدة الأمن الجماعي", "وقالت",
         "إن قواتها ستغادر قريباً"),
        ("d1-4", "", "", "مصدر مطلع", "وقال", "النفس"),
    ]:
        start = TEXT.index(content)
        rows.append((sid, "d1", 0, actor, group, speaker, cue, cue, "indirect", content, start,
                     start + len(content), start, start + len(content), "", "", None, None, "", "subject", "inside", 0))
    return pd.DataFrame(rows, columns=schemas.STATEMENTS)


def stance() -> pd.DataFrame:
    rows = [("d1-1", "d1", "CHN", "intervention", "support", 0.4, "التدخل الخارجي"),
            ("d1-1", "d1", "CHN", "protesters", "oppose", -0.5, "التدخل الخارجي"),
            ("d1-2", "d1", "UN", "intervention", "caution", -0.2, "ضبط النفس"),
            ("d1-3", "d1", "CSTO", "intervention", "support", 0.6, "قواتها")]
    return pd.DataFrame(rows, columns=schemas.STANCE)


def framing() -> pd.DataFrame:
    rows = [("d1", "KAZ", "terrorists", "terrorist", "protesters", 3),
            ("d1", "NARRATOR", "protesters", "protester", "protesters", 2),
            ("d1", "USA", "russian_led_forces", "russian_led", "intervention", 1),
            ("d2", "KAZ", "terrorists", "terrorist", "protesters", 1),
            ("d2", "CHN", "peacekeepers", "peacekeeping", "intervention", 0)]
    return pd.DataFrame(rows, columns=schemas.FRAMING)


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- figures

def test_stance_comparison_draws_one_bar_per_coded_cell_with_n():
    ax = plots.plot_stance_comparison(stance_comparison())
    assert len(ax.patches) == 6  # the ALL rows; TUR's neutral 0.0 is a zero-width bar
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    # focus groups first, top down; each row named in Arabic with its id
    assert [t.rsplit("(", 1)[-1].rstrip(")") for t in ticks] == ["TUR", "CSTO", "USA", "CHN", "UN"]
    assert ticks[-1] == "الأمم المتحدة (UN)"
    assert "oppose -0.70 (n=2)" in texts(ax)
    assert "support +0.30 (n=1, single statement)" in texts(ax)  # one claim, marked
    # the two groups with an interval get whiskers spanning it
    whiskers = sorted(tuple(round(v, 2) for v in seg[:, 0])
                      for c in ax.collections for seg in c.get_segments())
    assert whiskers == [(-0.9, -0.4), (0.7, 0.9)]
    alphas = sorted({p.get_alpha() for p in ax.patches})
    assert alphas == [0.45, 1.0]  # single statements drawn pale
    assert sum("no statements" in t for t in texts(ax)) == 4  # UN, USA, CSTO, TUR protesters
    widths = sorted(round(p.get_width(), 2) for p in ax.patches)
    assert widths == [-0.7, -0.6, -0.2, 0.0, 0.3, 0.8]


def test_stance_comparison_selected_groups_and_document():
    ax = plots.plot_stance_comparison(stance_comparison(), groups=["USA", "UN"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["الولايات المتحدة (USA)",
                                                          "الأمم المتحدة (UN)"]
    assert len(ax.patches) == 2
    ax = plots.plot_stance_comparison(stance_comparison(), doc_id="doc1",
                                      group_labels={"USA": "الولايات المتحدة"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["الولايات المتحدة"]
    assert len(ax.patches) == 1


def test_stance_comparison_needs_doc_id_when_ambiguous():
    table = stance_comparison()
    table = pd.concat([table[table.doc_id == "doc1"], table[table.doc_id == "doc1"]
                       .assign(doc_id="doc2")])
    with pytest.raises(KzError, match="doc_id"):
        plots.plot_stance_comparison(table)


def test_mentions_from_actors_table_bilingual_labels():
    ax = plots.plot_mentions(actors())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(ax.patches) == 5  # Armenia has no mentions
    assert labels[0] == plots.ar_label("أنطونيو غوتيريش (António Guterres)")
    assert any("لجنة الأمن القومي" in lab and "National Security Committee" in lab
               for lab in labels)
    assert sorted(p.get_width() for p in ax.patches) == [1, 2, 2, 3, 4]


def test_mentions_from_mentions_table_counts_linked_mentions():
    ax = plots.plot_mentions(mentions(), actors=actors())
    assert len(ax.patches) == 3  # the unlinked NER mention is not an actor
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[1] == "وزارة الخارجية الصينية (Ministry of Foreign Affairs of China)"


def test_mentions_top_keeps_most_mentioned():
    ax = plots.plot_mentions(actors(), top=2)
    assert sorted(p.get_width() for p in ax.patches) == [3, 4]


def test_cooccurrence_network_nodes_edges_and_seeded_layout():
    cooc = pd.DataFrame([("CHN_mfa", "UN_sg", 2), ("CSTO", "UN_sg", 1), ("CSTO", "KAZ_knb", 3)],
                        columns=schemas.COOCCURRENCE)
    ax1 = plots.plot_cooccurrence(cooc, actors())
    ax2 = plots.plot_cooccurrence(cooc.iloc[::-1], actors())
    nodes1 = ax1.collections[-1].get_offsets()
    assert len(nodes1) == 4
    assert np.allclose(nodes1, ax2.collections[-1].get_offsets())
    assert "منظمة معاهدة الأمن الجماعي\nCollective Security Treaty Organization" in texts(ax1)
    graph = plots.cooccurrence_graph(cooc, actors(), min_weight=2)
    assert sorted(graph.edges) == [("CHN_mfa", "UN_sg"), ("CSTO", "KAZ_knb")]


def test_statement_sequence_bars_by_stance_label():
    ax = plots.plot_statement_sequence(statements(), stance(), "d1", actors=actors())
    # d1-1 has two targets, d1-2 and d1-3 one each, d1-4 uncoded: 5 bars
    assert len(ax.patches) == 5
    colors = sorted(matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches)
    expected = sorted([plots.STANCE_COLORS[k] for k in ("support", "oppose", "caution",
                                                        "support")] + [plots.UNCODED_COLOR])
    assert colors == expected
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # one row per speaker in order of first appearance; the unresolved one keeps its text
    assert labels == ["Ministry of Foreign Affairs of China [CHN]", "António Guterres [UN]",
                      "مصدر مطلع", "Collective Security Treaty Organization [CSTO]"]
    lefts = {round(p.get_x()) for p in ax.patches}
    assert TEXT.index("من التدخل الخارجي") in lefts


def test_framing_heatmap_sums_documents():
    ax = plots.plot_framing(framing())
    image = ax.images[0].get_array()
    assert image.shape == (3, 3)  # CHN only had zero uses
    assert [t.get_text() for t in ax.get_xticklabels()] == ["USA", "KAZ", "NARRATOR"]
    assert "4" in texts(ax)  # terrorists: 3 + 1 over two documents


def test_framing_one_document_and_arabic_term_labels():
    ax = plots.plot_framing(framing(), doc_id="d2", term_labels={"terrorists": "إرهابيون"})
    assert ax.images[0].get_array().shape == (1, 1)
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        plots.ar_label("إرهابيون (terrorists, terrorist)")]


def test_framing_rows_are_bilingual_and_the_colour_bar_counts_in_whole_numbers():
    rows = [("d1", "KAZ", "terrorists", "criminalising", "protesters", 3),
            ("d1", "RUS", "peacekeeping_forces", "legitimising", "intervention", 2),
            ("d1", "NARRATOR", "peacekeeping_forces", "legitimising", "intervention", 1)]
    ax = plots.plot_framing(pd.DataFrame(rows, columns=schemas.FRAMING))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # Arabic from the lexicon, English from the id, no snake_case left
    assert labels == [plots.ar_label("قوات حفظ سلام (peacekeeping forces, legitimising)"),
                      plots.ar_label("إرهابي (terrorists, criminalising)")]
    assert not any("_" in lab for lab in labels)
    assert {"intervention", "protesters"} <= set(texts(ax))  # each block named once
    bar = ax.figure.axes[-1]
    ax.figure.canvas.draw()
    ticks = [t for t in bar.get_yticks() if 0 <= t <= 3]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_network_labels_do_not_overlap_and_rerun_identically(tmp_path):
    # a dense network: ten actors each named with every other one
    ids = ["CSTO", "RUS_mod", "KAZ_knb", "KAZ_police", "protesters", "UN_sg", "CHN_mfa",
           "ARM_gov", "BLR", "USA_state"]
    cooc = pd.DataFrame([(a, b, 1 + (i * j) % 3) for i, a in enumerate(ids)
                         for j, b in enumerate(ids) if a < b], columns=schemas.COOCCURRENCE)
    digests = []
    for k in range(2):
        fig, ax = plt.subplots(figsize=(8, 6))
        plots.plot_cooccurrence(cooc, actors(), ax=ax)
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        assert len(boxes) == len(ids)
        overlaps = [(ax.texts[i].get_text(), ax.texts[j].get_text())
                    for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                    if boxes[i].overlaps(boxes[j])]
        assert overlaps == []
        [png] = plots.save_figure(fig, f"net{k}", tmp_path, formats=("png",))
        digests.append(png.read_bytes())
        plt.close(fig)
    assert digests[0] == digests[1]


@pytest.mark.parametrize(("func", "columns"), [
    (plots.plot_stance_comparison, schemas.STANCE_COMPARISON),
    (plots.plot_mentions, schemas.ACTORS),
    (plots.plot_mentions, schemas.MENTIONS),
    (plots.plot_cooccurrence, schemas.COOCCURRENCE),
    (plots.plot_statement_sequence, schemas.STATEMENTS),
    (plots.plot_framing, schemas.FRAMING),
])
def test_empty_tables_give_a_no_data_axis(func, columns):
    ax = func(schemas.empty(columns))
    assert any(t.startswith("no data") for t in texts(ax))
    assert len(ax.patches) == 0


def test_missing_columns_give_a_one_line_error():
    with pytest.raises(KzError, match="lacks columns"):
        plots.plot_framing(pd.DataFrame({"term_id": ["terrorists"]}))
    with pytest.raises(KzError, match="DataFrame"):
        plots.plot_stance_comparison([1, 2, 3])
    with pytest.raises(KzError, match="not integers"):
        plots.plot_statement_sequence(statements().assign(start_char=None), stance(), "d1")


def test_plots_draw_into_a_given_axis():
    fig, axes = plt.subplots(1, 2)
    out = plots.plot_framing(framing(), axes[1])  # the documented plot_X(table, ax) form
    assert out is axes[1]
    assert len(fig.axes) == 3  # two axes plus the colorbar
    assert plots.plot_mentions(actors(), axes[0]) is axes[0]


def test_network_components_are_laid_out_apart():
    # two clusters (the CSTO states; the Kazakh authorities and the protesters) never overlap
    cooc = pd.DataFrame([("CSTO", "RUS_mod", 3), ("ARM_gov", "CSTO", 1), ("BLR", "CSTO", 1),
                         ("KAZ_knb", "protesters", 2), ("KAZ_police", "protesters", 1),
                         ("KAZ_knb", "KAZ_police", 1)], columns=schemas.COOCCURRENCE)
    graph = plots.cooccurrence_graph(cooc)
    pos = plots.network_layout(graph, seed=0)
    assert pos.keys() == set(graph.nodes)
    first = np.array([pos[n] for n in ("ARM_gov", "BLR", "CSTO", "RUS_mod")])
    second = np.array([pos[n] for n in ("KAZ_knb", "KAZ_police", "protesters")])
    apart_x = first[:, 0].max() < second[:, 0].min() or second[:, 0].max() < first[:, 0].min()
    apart_y = first[:, 1].max() < second[:, 1].min() or second[:, 1].max() < first[:, 1].min()
    assert apart_x or apart_y
    again = plots.network_layout(plots.cooccurrence_graph(cooc.sample(frac=1, random_state=3)))
    assert all(np.allclose(pos[n], again[n]) for n in pos)


@pytest.mark.parametrize(("labels", "expected"), [
    ("both", "منظمة معاهدة الأمن الجماعي\nCollective Security Treaty Organization"),
    ("en", "Collective Security Treaty Organization"),
    ("ar", "منظمة معاهدة الأمن الجماعي"),
])
def test_network_label_choice(labels, expected):
    cooc = pd.DataFrame([("CSTO", "UN_sg", 1)], columns=schemas.COOCCURRENCE)
    assert expected in texts(plots.plot_cooccurrence(cooc, actors(), labels=labels))


def test_network_auto_labels_shorten_for_large_graphs():
    names = [f"A{i:02d}" for i in range(14)]
    cooc = pd.DataFrame([(names[i], names[i + 1], 1) for i in range(13)],
                        columns=schemas.COOCCURRENCE)
    acts = pd.DataFrame([(n, f"Actor {n} (long note)", f"فاعل {n}", "KAZ", "", 1, 0)
                         for n in names], columns=schemas.ACTORS)
    labels = texts(plots.plot_cooccurrence(cooc, acts))
    assert sorted(labels) == [f"Actor {n}" for n in names]
    with pytest.raises(KzError, match="labels"):
        plots.plot_cooccurrence(cooc, acts, labels="fr")


def test_network_layout_is_independent_of_hash_seed():
    """String hashing changes between processes; the figure must not."""
    import subprocess
    import sys

    code = ("import pandas as pd\n"
            "from kzcrisis.plots import cooccurrence_graph, network_layout\n"
            "c = pd.DataFrame({'actor_a': ['A1', 'A2', 'A3', 'B1', 'C1', 'A1'],\n"
            "                  'actor_b': ['A2', 'A3', 'A4', 'B2', 'C2', 'A4'],\n"
            "                  'weight': [1, 2, 1, 3, 1, 1]})\n"
            "pos = network_layout(cooccurrence_graph(c))\n"
            "print([(n, [round(float(v), 9) for v in pos[n]]) for n in sorted(pos)])\n")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": ""}, check=True).stdout
               for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1
