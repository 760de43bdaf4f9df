"""Annotated article HTML: parsed back with html.parser, and screenshotted where chromium exists.

Inputs are small real tables following kzcrisis.schemas built on invented Arabic sentences
about the crisis (not the seed article).
"""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcrisis import report, schemas
from kzcrisis.errors import KzError
from kzcrisis.plots import STANCE_COLORS

TEXT = ("أعرب المتحدث باسم الأمم المتحدة ستيفان دوجاريك عن قلقه، داعياً جميع الأطراف "
        "إلى ضبط النفس.\n\n"
        "من جهته، أكد وزير الخارجية الروسي سيرغي لافروف أن قوات حفظ السلام ستنسحب "
        "بعد استقرار الوضع.\n\n"
        "وقالت وزارة الخارجية الأمريكية إن لديها تساؤلات حول شرعية طلب هذه القوات.")
DOC = "kz-2022-01-07_rt"


def at(surface: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(surface)
    return start, start + len(surface)


def docs(text: str = TEXT, doc_id: str = DOC) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [doc_id], "title": ["ردود الفعل الدولية"], "outlet": ["RT"],
                         "date": ["2022-01-07"], "text_raw": [text], "text_clean": [text]})


def actors() -> pd.DataFrame:
    rows = [("UN", "United Nations", "الأمم المتحدة", "UN", "Q1065", 1, 0),
            ("UN_spokesperson", "Stéphane Dujarric", "ستيفان دوجاريك", "UN", "", 1, 0),
            ("RUS_lavrov", "Sergey Lavrov", "سيرغي لافروف", "RUS", "Q80137", 2, 1),
            ("USA_dos", "United States Department of State", "وزارة الخارجية الأمريكية",
             "USA", "", 1, 2)]
    return pd.DataFrame(rows, columns=schemas.ACTORS)


MENTION_ROWS = [  # (sent_id, actor_id, group, surface, method)
    (0, "UN", "UN", "الأمم المتحدة", "dictionary"),
    (0, "UN_spokesperson", "UN", "ستيفان دوجاريك", "apposition"),
    (1, "RUS_lavrov", "RUS", "وزير الخارجية الروسي", "role"),
    (1, "RUS_lavrov", "RUS", "سيرغي لافروف", "dictionary"),
    (2, "USA_dos", "USA", "وزارة الخارجية الأمريكية", "dictionary"),
]


def mentions() -> pd.DataFrame:
    rows = []
    for sent, actor, group, surface, method in MENTION_ROWS:
        start, end = at(surface)
        rows.append((DOC, sent, actor, group, surface, start, end, start, end, method))
    return pd.DataFrame(rows, columns=schemas.MENTIONS)


def statements() -> pd.DataFrame:
    rows = []
    for sid, sent, actor, group, speaker, cue, lemma, kind, content in [
        ("s1", 0, "UN_spokesperson", "UN", "ستيفان دوجاريك", "داعياً", "دعا", "indirect",
         "جميع الأطراف إلى ضبط النفس"),
        ("s2", 1, "RUS_lavrov", "RUS", "سيرغي لافروف", "أكد", "أكد", "indirect",
         "قوات حفظ السلام ستنسحب بعد استقرار الوضع"),
        ("s3", 2, "USA_dos", "USA", "وزارة الخارجية الأمريكية", "وقالت", "قال", "indirect",
         "لديها تساؤلات حول شرعية طلب هذه القوات"),
    ]:
        start, end = at(content)
        rows.append((sid, DOC, sent, actor, group, speaker, cue, lemma, kind, content, start,
                     end, start, end, "", "", None, None, "", "subject", "inside", 0))
    return pd.DataFrame(rows, columns=schemas.STATEMENTS)


def stance() -> pd.DataFrame:
    rows = [("s1", DOC, "UN", "intervention", "caution", -0.3, "ضبط النفس"),
            ("s2", DOC, "RUS", "intervention", "support", 0.6, "قوات حفظ السلام"),
            ("s2", DOC, "RUS", "protesters", "neutral", 0.0, ""),
            ("s3", DOC, "USA", "intervention", "oppose", -0.7, "تساؤلات حول شرعية")]
    return pd.DataFrame(rows, columns=schemas.STANCE)


def tables(**overrides) -> dict[str, pd.DataFrame]:
    base = {"docs": docs(), "mentions": mentions(), "actors": actors(),
            "statements": statements(), "stance": stance()}
    base.update(overrides)
    return base


class Tree(HTMLParser):
    """Elements with their attributes, text content and ancestors, as a parser sees them."""

    VOID = {"meta", "br", "img", "link", "input", "hr"}

    def __init__(self, page: str):
        super().__init__()
        self.elements: list[dict] = []
        self.stack: list[dict] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": [], "parents": list(self.stack)}
        self.elements.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1]["tag"] == tag, f"misnested </{tag}>"
        self.stack.pop()

    def handle_data(self, data):
        for el in self.stack:
            el["text"].append(data)

    def find(self, tag=None, cls=None, **attrs):
        out = []
        for el in self.elements:
            classes = el["attrs"].get("class", "").split()
            if tag and el["tag"] != tag or cls and cls not in classes:
                continue
            if all(el["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(el)
        return out


def text_of(el) -> str:
    return "".join(el["text"])


# --------------------------------------------------------------------------- structure

def test_page_is_rtl_arabic_and_self_contained():
    page = report.show_article(tables(), DOC).html
    tree = Tree(page)
    root = tree.find("html")[0]
    assert root["attrs"]["dir"] == "rtl" and root["attrs"]["lang"] == "ar"
    assert tree.find(tag="script") == [] and tree.find(tag="link") == []
    assert not any(k in ("src", "href") for el in tree.elements for k in el["attrs"])
    assert "http://" not in page and "https://" not in page and "@import" not in page
    csp = [el for el in tree.find("meta") if el["attrs"].get("http-equiv")]
    assert "default-src 'none'" in csp[0]["attrs"]["content"]


def test_article_text_is_kept_character_for_character():
    tree = Tree(report.show_article(tables(), DOC).html)
    assert text_of(tree.find(cls="kz-text")[0]) == TEXT


def test_one_element_per_mention_with_its_offsets():
    tree = Tree(report.show_article(tables(), DOC).html)
    found = tree.find(tag="span", cls="m")
    assert len(found) == len(MENTION_ROWS)
    got = sorted((int(el["attrs"]["data-start"]), int(el["attrs"]["data-end"]),
                  el["attrs"]["data-actor"], text_of(el)) for el in found)
    expected = sorted((*at(surface), actor, surface) for _, actor, _, surface, _ in MENTION_ROWS)
    assert got == expected
    lavrov = tree.find(cls="m", data_actor="RUS_lavrov", data_method="role")[0]
    assert "g-RUS" in lavrov["attrs"]["class"].split()


def test_statements_underlined_by_stance_label():
    tree = Tree(report.show_article(tables(), DOC).html)
    labels = {el["attrs"]["data-statement-id"]: el["attrs"]["class"].split()[1]
              for el in tree.find(tag="span", cls="s")}
    assert labels == {"s1": "st-caution", "s2": "st-support", "s3": "st-oppose"}
    s2 = tree.find(cls="s", data_statement_id="s2")[0]
    assert s2["attrs"]["data-stance"] == "intervention:support; protesters:neutral"
    assert text_of(s2) == "قوات حفظ السلام ستنسحب بعد استقرار الوضع"


def test_tooltips_name_actor_cue_and_rule():
    tree = Tree(report.show_article(tables(), DOC).html)
    mention = tree.find(cls="m", data_actor="UN_spokesperson")[0]["attrs"]["title"]
    assert "Stéphane Dujarric" in mention and "UN" in mention and "rule: apposition" in mention
    statement = tree.find(cls="s", data_statement_id="s3")[0]["attrs"]["title"]
    assert "United States Department of State (USA)" in statement
    # Arabic parts isolated (FSI ... PDI), so the parentheses and colons keep their side
    assert "cue: \u2068وقالت\u2069 (\u2068قال\u2069)" in statement
    assert "rule: indirect" in statement
    assert "intervention: oppose -0.70" in statement and "تساؤلات حول شرعية" in statement


def test_mention_inside_statement_is_nested():
    text = "وقال الرئيس إن الأمم المتحدة لم تتدخل في الأزمة."
    ment = pd.DataFrame([("d", 0, "UN", "UN", "الأمم المتحدة", *at("الأمم المتحدة", text),
                          0, 0, "dictionary")], columns=schemas.MENTIONS)
    stm = statements().iloc[:1].assign(doc_id="d", statement_id="x",
                                       start_char=at("الأمم المتحدة لم تتدخل", text)[0],
                                       end_char=len(text) - 1)
    tree = Tree(report.show_article(docs=docs(text, "d"), mentions=ment, statements=stm).html)
    (m,) = tree.find(cls="m")
    assert [p["attrs"].get("data-statement-id") for p in m["parents"]][-1] == "x"
    (s,) = tree.find(cls="s")
    assert text_of(s) == text[at("الأمم المتحدة لم تتدخل", text)[0]:len(text) - 1]


def test_statement_ending_inside_a_mention_is_split_not_the_mention():
    text = "أكد المتحدث أن منظمة معاهدة الأمن الجماعي باقية."
    m0, m1 = at("منظمة معاهدة الأمن الجماعي", text)
    ment = pd.DataFrame([("d", 0, "CSTO", "CSTO", text[m0:m1], m0, m1, m0, m1, "dictionary")],
                        columns=schemas.MENTIONS)
    s0, s1 = at("أن منظمة معاهدة", text)
    stm = statements().iloc[:1].assign(doc_id="d", statement_id="x", start_char=s0,
                                       end_char=s1)
    tree = Tree(report.show_article(docs=docs(text, "d"), mentions=ment, statements=stm).html)
    (m,) = tree.find(cls="m")
    assert text_of(m) == text[m0:m1]
    parts = tree.find(cls="s")
    assert len(parts) == 2 and parts[1]["attrs"]["data-continued"] == "true"
    assert "".join(text_of(p) for p in parts) == text[s0:s1]


@pytest.mark.parametrize("evil", ['<script>alert("x")</script>', "a & b < c > d",
                                  '"quoted" \'single\'', "</span></div><b>", "&amp; &#x41;"])
def test_markup_in_the_article_stays_text(evil):
    text = f"قال المسؤول {evil} في بيان."
    ment = pd.DataFrame([("d", 0, "X", "UN", evil, *at(evil, text), 0, 0, "ner")],
                        columns=schemas.MENTIONS)
    act = pd.DataFrame([("X", f"{evil} name", "", "UN", "", 1, 0)], columns=schemas.ACTORS)
    tree = Tree(report.show_article(docs=docs(text, "d"), mentions=ment, actors=act).html)
    assert tree.find(tag="script") == [] and tree.find(tag="b") == []
    assert text_of(tree.find(cls="kz-text")[0]) == text
    (m,) = tree.find(cls="m")
    assert text_of(m) == evil and evil in m["attrs"]["title"]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_character_carries_exactly_its_spans(data):
    # arbitrary overlapping mentions and statements: the markup must cover each character
    # with exactly the spans whose offsets contain it, and keep the text unchanged
    text = data.draw(st.text(alphabet="ابتثجح دوز<&>\n", min_size=1, max_size=40))
    n = len(text)
    offsets = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda t: t[0] < t[1])
    m_offs = data.draw(st.lists(offsets, max_size=5))
    s_offs = data.draw(st.lists(offsets, max_size=3))
    ment = pd.DataFrame([("d", 0, f"a{i}", "UN", text[a:b], a, b, a, b, "dictionary")
                         for i, (a, b) in enumerate(m_offs)], columns=schemas.MENTIONS)
    stm = pd.DataFrame([(f"s{i}", "d", 0, "", "", "", "قال", "قال", "indirect", text[a:b], a,
                         b, a, b, "", "", None, None, "", "subject", "inside", 0) for i, (a, b) in enumerate(s_offs)],
                       columns=schemas.STATEMENTS)
    tree = Tree(report.show_article(docs=docs(text, "d"), mentions=ment, statements=stm).html)
    article = tree.find(cls="kz-text")[0]
    assert text_of(article) == text

    class Cover(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.pos, self.cover, self.inside = [], 0, [], False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("class") == "kz-text":
                self.inside = True
            elif self.inside:
                key = attrs.get("data-actor") or attrs.get("data-statement-id")
                self.stack.append((key, attrs["data-start"], attrs["data-end"]))

        def handle_endtag(self, tag):
            if self.inside and self.stack:
                self.stack.pop()
            elif self.inside:
                self.inside = False

        def handle_data(self, chunk):
            if self.inside:
                self.cover += [sorted(self.stack)] * len(chunk)

    cover = Cover()
    cover.feed(report.show_article(docs=docs(text, "d"), mentions=ment, statements=stm).body)
    expected = [sorted([(f"a{i}", str(a), str(b)) for i, (a, b) in enumerate(m_offs) if a <= p < b]
                       + [(f"s{i}", str(a), str(b)) for i, (a, b) in enumerate(s_offs)
                          if a <= p < b]) for p in range(n)]
    assert cover.cover == expected


# --------------------------------------------------------------------------- inputs

def test_accepts_results_object_mapping_and_keywords():
    by_object = report.show_article(SimpleNamespace(**tables()), DOC)
    by_mapping = report.show_article(tables(), DOC)
    by_keywords = report.show_article(None, DOC, **tables())
    assert by_object.html == by_mapping.html == by_keywords.html
    # pipeline.Results keeps later stages in .extra
    results = SimpleNamespace(docs=docs(), extra={"mentions": mentions()})
    assert report.show_article(results).n_mentions == len(MENTION_ROWS)


def test_keyword_table_overrides_results():
    article = report.show_article(tables(), DOC, mentions=mentions().iloc[:2])
    assert article.n_mentions == 2 and article.n_statements == 3


def test_docs_alone_render_plain_text():
    article = report.show_article(docs=docs())
    assert (article.n_mentions, article.n_statements) == (0, 0)
    assert text_of(Tree(article.html).find(cls="kz-text")[0]) == TEXT


def test_jupyter_repr_is_scoped_fragment():
    article = report.show_article(tables(), DOC)
    fragment = article._repr_html_()
    assert fragment.startswith('<div class="kz-article" dir="rtl" lang="ar"')
    assert "<html" not in fragment
    css = fragment.split("<style>\n")[1].split("\n</style>")[0]
    assert all(rule.startswith(".kz-article") for rule in css.splitlines())
    assert repr(article) == f"ArticleHTML(doc_id={DOC!r}, n_mentions=5, n_statements=3)"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"doc_id": "missing"}, "not found"),
    ({"mentions": mentions().assign(end_char=10_000)}, "outside the cleaned text"),
    ({"mentions": mentions().drop(columns="surface")}, "lacks columns"),
    ({"statements": statements().assign(start_char="x")}, "not integers"),
    ({"docs": docs().drop(columns="text_clean")}, "lacks columns"),
])
def test_bad_input_gives_one_line_error(kwargs, message):
    doc_id = kwargs.pop("doc_id", DOC)
    with pytest.raises(KzError, match=message) as err:
        report.show_article(tables(**kwargs), doc_id)
    assert "\n" not in str(err.value)


def test_no_docs_is_an_error():
    with pytest.raises(KzError, match="docs"):
        report.show_article({"mentions": mentions()}, DOC)


# --------------------------------------------------------------------------- files

@pytest.mark.parametrize(("doc_id", "name"), [(DOC, DOC), ("000_e4eda7b29b88d456",
                                                           "000_e4eda7b29b88d456"),
                                              ("مقال_1", "مقال_1")])
def test_plain_ids_keep_their_name(doc_id, name):
    assert report.safe_filename(doc_id) == name


@pytest.mark.parametrize("doc_id", ["../x", "../../etc/passwd", "/abs/path", "..", ".", "a/b",
                                    "a\\b", "", " ", "x\x00y"])
def test_write_never_leaves_outdir(tmp_path, doc_id):
    outdir = tmp_path / "articles"
    path = report.write_article_html(docs=docs(TEXT, doc_id), results=None, doc_id=doc_id,
                                     outdir=outdir)
    assert path.parent == outdir and path.suffix == ".html" and path.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["articles", path.name])


def test_sanitised_ids_do_not_collide():
    assert report.safe_filename("a/b") != report.safe_filename("a_b")
    assert report.safe_filename("../x") != report.safe_filename("x")


def test_write_is_byte_identical_and_matches_the_page(tmp_path):
    first = report.write_article_html(tables(), DOC, tmp_path / "a")
    second = report.write_article_html(tables(), DOC, tmp_path / "b")
    assert first.name == f"{DOC}.html"
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == report.show_article(tables(), DOC).html


def test_write_articles_writes_every_document(tmp_path):
    both = pd.concat([docs(), docs("نص ثان عن الأزمة.", "second")])
    paths = report.write_articles(tables(docs=both), tmp_path)
    assert sorted(p.name for p in paths) == sorted([f"{DOC}.html", "second.html"])


# --------------------------------------------------------------------------- browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium", path="/usr/bin")


def _blend(hex_color: str, alpha: float) -> np.ndarray:
    rgb = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return rgb * alpha + 255 * (1 - alpha)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed (apt-get install chromium)")
def test_chromium_renders_highlights_and_underlines(tmp_path):
    import matplotlib.image as mpimg

    page = report.write_article_html(tables(), DOC, tmp_path)
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1000,1000", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert shot.exists(), proc.stderr[-2000:]
    pixels = (mpimg.imread(shot)[..., :3] * 255).round()

    def count(rgb, tol=4.0):
        return int((np.abs(pixels - rgb).max(axis=-1) <= tol).sum())

    # mention backgrounds: group colour at alpha 0x38 over white (UN blue, USA green)
    assert count(_blend("#1f77b4", 0x38 / 255)) > 200
    assert count(_blend("#2ca02c", 0x38 / 255)) > 200
    # statement underlines in the stance colours (oppose red, caution orange, support green)
    for label in ("oppose", "caution", "support"):
        assert count(_blend(STANCE_COLORS[label], 1.0), tol=2) > 100, label
