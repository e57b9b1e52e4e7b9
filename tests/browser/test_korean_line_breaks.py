"""Korean line breaking as a reader sees it: at 320, 360 and 1280 px no word of a linked title (cards,
archive, timeline, tags, related articles, navigation), a table cell or a paragraph is broken inside,
measured on the rendered line boxes (Range.getClientRects per word), not on the CSS. A word is a
maximal run of non-space characters, so a Hangul word split mid-word, a number split at its comma and
a '#' left alone at a line's end before its tag all fail. A word may wrap only when it is wider than
the box it is in (a long URL: that is what overflow-wrap is for)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 1280)
# Every template with linked titles, tag links, tables or long paragraphs.
PAGES = ("home", "listing-kind-interview", "listing-tag", "index-tag", "index-agenda", "archive", "archive-month",
         "timeline", "article-interview", "article-column", "article-feature", "article-meeting",
         "article-cardnews", "article-infographic", "newsletter", "newsletter-archive", "page-about")
CHECKED = ", ".join((
    ".md-content a", ".md-nav__link", ".md-tabs__link",          # linked titles, tag links, navigation
    ".md-typeset td", ".md-typeset th", ".md-typeset caption",   # table cells
    ".md-content p", ".md-content li", ".md-content dd", ".md-content h1", ".md-content h2", ".md-content h3",
))

# For each checked element, the words (runs of non-space characters, across inline elements but not
# across block boxes or <br>) whose line boxes lie on more than one line, unless the word is wider
# than its block's content box; of those, the ones broken inside Hangul, a number, a Latin word or
# after '#'. Returns [the word with | where it breaks, the element] for each.
BROKEN_WORDS = """(selector) => {
  const isBlock = el => !['inline', 'contents'].includes(getComputedStyle(el).display);
  const blockOf = node => { let e = node.parentElement; while (e && !isBlock(e)) e = e.parentElement; return e; };
  const found = new Map();
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length || el.closest('[hidden], script, style, .md-search')) continue;
    const nodes = []; let text = ''; let last = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) {
      const n = walker.currentNode;
      if (n.nodeType === 1) { if (n.tagName === 'BR' || isBlock(n)) text += ' '; continue; }
      if (n.parentElement.closest('[hidden], script, style')) continue;
      const block = blockOf(n);
      if (last && block !== last) text += ' ';
      last = block;
      nodes.push({ node: n, start: text.length, block });
      text += n.data;
    }
    const at = (index, isEnd) => {
      for (const item of nodes) {
        const end = item.start + item.node.data.length;
        if (isEnd ? (index > item.start && index <= end) : (index >= item.start && index < end))
          return [item.node, index - item.start, item.block];
      }
      return null;
    };
    for (const m of text.matchAll(/\\S+/g)) {
      const start = at(m.index, false), end = at(m.index + m[0].length, true);
      if (!start || !end) continue;
      const range = document.createRange();
      range.setStart(start[0], start[1]);
      range.setEnd(end[0], end[1]);
      const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0);
      if (rects.length < 2) continue;
      const first = rects[0];
      if (!rects.some(r => r.top >= first.bottom - 2)) continue;  // all on one line
      const box = start[2], style = getComputedStyle(box);
      const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const wide = rects.reduce((sum, r) => sum + r.width, 0);
      if (wide > room + 1) continue;  // cannot fit on any line: wrapping it is right
      // where the line changes inside the word, character by character
      const breaks = [];
      let previous = null;
      for (let k = 0; k < m[0].length; k++) {
        const a = at(m.index + k, false), b = at(m.index + k + 1, true);
        if (!a || !b) continue;
        const r = document.createRange(); r.setStart(a[0], a[1]); r.setEnd(b[0], b[1]);
        const box = [...r.getClientRects()].find(x => x.width > 0.5);
        if (!box) continue;
        if (previous && box.top >= previous.bottom - 2) breaks.push(m[0].slice(0, k) + '|' + m[0].slice(k));
        previous = box;
      }
      // Failures: a break between two Hangul letters, after a '#' (a tag's mark left alone), inside a
      // number (26,|500), or between two Latin letters or digits. Breaks at punctuation and between a
      // figure and Hangul (파랑|(추진위원회), 시민소통·|아카이빙) are where Korean text may break.
      const HANGUL = '\\uac00-\\ud7a3\\u3131-\\u318e';
      const bad = breaks.filter(w => new RegExp('[' + HANGUL + '#][|][' + HANGUL + ']').test(w)
        || /#[|]/.test(w) || /\\d[,.]?[|][,.]?\\d/.test(w) || /[A-Za-z0-9][|][A-Za-z0-9]/.test(w));
      if (!bad.length) continue;
      const where = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
      found.set(m[0] + ' @ ' + where, [bad.join(' '), where]);
    }
  }
  return [...found.values()];
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("template", PAGES)
def test_no_word_is_broken_inside_at_this_width(served, visit, template, width) -> None:
    page = visit(width).open(served, template)
    broken = page.evaluate(BROKEN_WORDS, CHECKED)
    assert broken == [], f"{template} at {width} px: words broken across lines [word|rest, element]: {broken[:12]}"


def test_the_measure_sees_a_broken_word(served, visit) -> None:
    """The check itself: a Hangul word in a box too narrow for it under word-break: normal is found."""
    page = visit(320).open(served, "home")
    page.evaluate("""() => { const p = document.createElement('p');
        p.style.cssText = 'width: 7em; font-size: 20px; word-break: normal; overflow-wrap: normal';
        p.textContent = '서울시 청년자치정부 추진위원회는 무엇을 결정하는가 26,500';
        document.querySelector('.md-content').append(p); }""")
    broken = page.evaluate(BROKEN_WORDS, ".md-content p")
    assert any(word[0].replace("|", "") in ("청년자치정부", "추진위원회는", "결정하는가") for word in broken), broken


@pytest.mark.parametrize("width", (320, 360))
def test_tables_keep_numbers_whole_and_a_wide_table_scrolls_in_a_labelled_focusable_region(served, visit,
                                                                                           width) -> None:
    page = visit(width).open(served, "article-infographic")
    cells = page.evaluate("""() => [...document.querySelectorAll('.md-typeset td, .md-typeset th')]
        .filter(c => /\\d/.test(c.textContent)).map(c => {
          const r = document.createRange(); r.selectNodeContents(c);
          const lines = new Set([...r.getClientRects()].filter(x => x.width > 0.5).map(x => Math.round(x.top)));
          return [c.textContent.trim(), lines.size]; })""")
    assert cells, "the infographic has a table with figures"
    numbers = [c for c in cells if c[1] > 1 and any(ch.isdigit() for ch in c[0]) and " " not in c[0]]
    assert numbers == [], f"cells whose figure spans lines: {numbers}"
    page.wait_for_function("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
        .every(w => w.scrollWidth <= w.clientWidth + 1 || w.getAttribute('role') === 'region')""")
    regions = page.evaluate("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1)
        .map(w => [w.getAttribute('tabindex'), w.getAttribute('role'), w.getAttribute('aria-label')])""")
    for tabindex, role, label in regions:
        assert (tabindex, role) == ("0", "region") and label and "표" in label, regions
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], "the page itself must not scroll sideways"
