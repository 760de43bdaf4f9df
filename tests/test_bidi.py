"""Mixed Arabic/Latin output reads in the right order: isolation in the article HTML and in
notebook tables, checked in a real browser (headless Chromium) where one is installed."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from kzcrisis import report

# an article written for this test, with an Arabic outlet before the date in the header
DOCS = pd.DataFrame({
    "doc_id": ["a1"], "outlet": ["وكالة سبوتنيك"], "date": ["2022-01-07"], "title": [""],
    "text_clean": ["وقال المتحدث باسم الكرملين إن القوات ستغادر كازاخستان."]})

# Reads, in the rendered page, the characters of NEEDLE inside each case's element in the
# order they appear on screen from left to right, and writes them into the DOM for
# --dump-dom. (The DOM holds logical order, whatever the layout: only geometry tells.)
HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
{cases}
<script>
function visual(root, needle) {{
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = "";
  while (walker.nextNode()) {{ nodes.push([walker.currentNode, text.length]);
                               text += walker.currentNode.data; }}
  const at = text.indexOf(needle);
  if (at < 0) return null;
  const chars = [];
  for (let i = at; i < at + needle.length; i++) {{
    const [node, base] = nodes.filter(([n, b]) => b <= i).pop();
    const r = document.createRange();
    r.setStart(node, i - base); r.setEnd(node, i - base + 1);
    chars.push([r.getBoundingClientRect().left, text[i]]);
  }}
  chars.sort((a, b) => a[0] - b[0]);
  return chars.map(c => c[1]).join("");
}}
const out = {{}};
for (const el of document.querySelectorAll("[data-case]")) {{
  out[el.dataset.case] = visual(el.querySelector("header p") || el, el.dataset.needle);
}}
const pre = document.createElement("pre");
pre.id = "result"; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script></body></html>"""


def _case(name: str, needle: str, markup: str) -> str:
    return f'<div data-case="{name}" data-needle="{html.escape(needle)}">{markup}</div>'


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    pytest.skip("no headless Chromium (apt-get install chromium) to render the page")


def _render(tmp_path, cases: str) -> dict:
    exe = _chromium()
    page = tmp_path / "harness.html"
    page.write_text(HARNESS.format(cases=cases), encoding="utf-8")
    try:
        proc = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-dev-shm-usage", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.skip("headless Chromium did not finish in 120 s")
    m = re.search(r'<pre id="result">(.*?)</pre>', proc.stdout, re.S)
    if proc.returncode != 0 or m is None:
        pytest.skip(f"headless Chromium could not render here: {proc.stderr.strip()[-300:]}")
    return json.loads(html.unescape(m.group(1)))


def test_article_header_date_reads_in_order_in_a_browser(tmp_path):
    article = report.show_article(docs=DOCS, doc_id="a1")
    # the control: the same header without isolation, as the page was before
    old = ('<div class="kz-article" dir="rtl" lang="ar"><header><p dir="ltr" lang="en">'
           "a1 · وكالة سبوتنيك · 2022-01-07 — 0 actor mentions</p></header></div>")
    seen = _render(tmp_path, _case("article", "2022-01-07", article.body)
                   + _case("unisolated", "2022-01-07", old))
    assert seen["article"] == "2022-01-07"
    assert seen["unisolated"] == "07-01-2022"  # the check can tell the difference


def test_evidence_cells_keep_their_punctuation_in_a_browser(tmp_path):
    evidence = "«ندعم»: 0.7"
    table = pd.DataFrame({"group": ["CHN"], "evidence": [evidence]})
    cell = re.search(r"<td[^>]*>«ندعم»: 0.7</td>", report.bidi_html(table)).group(0)
    seen = _render(tmp_path, _case("isolated", evidence, f"<table><tr>{cell}</tr></table>")
                   + _case("plain", evidence, f"<table><tr><td>{evidence}</td></tr></table>"))
    # right to left: the quoted word on the right, its number on the left
    assert seen["isolated"].startswith("0.7")
    assert seen["plain"] != seen["isolated"]


@pytest.mark.parametrize("field, cls, direction", [
    ("2022-01-07", "date", "ltr"),
    ("a1", "doc-id", "ltr"),
    ("وكالة سبوتنيك", "outlet", "auto"),
])
def test_header_fields_are_isolated_latin_left_to_right(field, cls, direction):
    body = report.show_article(docs=DOCS, doc_id="a1").body
    assert f'<bdi class="{cls}" dir="{direction}">{field}</bdi>' in body


@pytest.mark.parametrize("value, direction", [
    ("USA", "ltr"), ("0.70", "ltr"), ("2022-01-07", "ltr"), ("Stéphane Dujarric", "ltr"),
    ("«ندعم»: +0.7", "auto"), ("وكالة سبوتنيك (Sputnik)", "auto"),
])
def test_notebook_table_cells_get_a_direction(value, direction):
    out = report.bidi_html(pd.DataFrame({"c": [value]}))
    assert f'<td dir="{direction}">{html.escape(value, quote=False)}</td>' in out


def test_tooltips_isolate_arabic_parts():
    assert report.isolate("قال") == "\u2068قال\u2069"
    assert report.isolate("rule: dictionary") == "rule: dictionary"
