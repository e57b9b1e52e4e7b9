"""The site search in Debian's chromium against the built sample archive: Korean queries of every kind
checked against what each article page visibly shows (read by the browser, not by our index code).

Ground truth: an article matches a query word when the page's visible text (innerText of the article,
without the related-articles and neighbour links, with each image's alternative text), on one line with its spaces removed, contains the
word's form without particle. Recall must be complete and every result must contain every word."""

from __future__ import annotations

import re
from datetime import datetime
import unicodedata
from urllib.parse import quote

import pytest

from site_builder.search.analysis import strip_suffixes

pytestmark = pytest.mark.browser

ARTICLE_TEXT = """() => {
  const root = document.querySelector('.md-content__inner').cloneNode(true);
  root.querySelectorAll('.sb-related, .sb-neighbours, .sb-license, .sb-readtime, time, .sb-video__links, '
                        + '.sb-cards__nav, .headerlink, script, .sb-badge').forEach(e => e.remove());
  // alternative text is part of what a page shows (to screen readers, and when images are off)
  root.querySelectorAll('img[alt]').forEach(img => { const p = document.createElement('p');
    p.textContent = img.getAttribute('alt'); img.replaceWith(p); });
  document.body.appendChild(root);
  // every card of a card news slider counts, not only the one on screen
  root.querySelectorAll('[hidden]').forEach(e => e.removeAttribute('hidden'));
  root.querySelectorAll('*').forEach(e => { if (getComputedStyle(e).display === 'none') e.style.display = 'block'; });
  const text = root.innerText; root.remove(); return text;
}"""

# (query, the word forms every result must contain: None = the query's own words without particles)
QUERIES = {
    "compound": ["먼지", "자치", "정부", "의회", "예산", "균형"],
    "particle": [f"청년{p}" for p in ("은", "이", "을", "의", "에", "에서", "으로", "과", "도", "만")]
                + ["서울시는", "서울시가", "서울시를", "서울시와", "세대균형을", "일자리를"],
    "name": ["윤가람", "한다영", "정예린", "오지원"],
    "tag": ["탈서울", "인재", "부채", "화장실", "컨퍼런스"],
    "two_words": ["청년 주거", "서울시 예산", "청년 의회", "세대균형 칼럼"],
    "spacing": ["청년 자율예산", "세대 균형", "청년주거", "주민 참여예산", "N개의 컨퍼런스"],
    "mixed": ["서울미래인재 DB", "인재 DB", "15퍼센트위원회", "SNS 청년"],
}
TYPOS = {"청년으회": "청년의회", "세대균헝": "세대균형", "추진위원외": "추진위원회", "청년자울예산": "청년자율예산"}
MISSES = ["양자컴퓨터", "블록체인", "xyzzy", "화성탐사선"]


def normalize(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text).lower())


def words_of(query: str) -> list[str]:
    out = []
    for token in re.findall(r"[\uac00-\ud7a3]+|[a-z0-9]+", normalize(query)):
        out.append(strip_suffixes(token) if re.match(r"[\uac00-\ud7a3]", token) else token)
    return out


def contains(lines: list[str], word: str) -> bool:
    if re.fullmatch(r"[a-z0-9]+", word):
        return any(re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", line) for line in lines)
    return any(word in line for line in lines)


@pytest.fixture(scope="module")
def pages_text(served, chromium):
    """Visible text of every article page, read in chromium: {site path: [lines without spaces]}."""
    return read_pages(served.base, chromium)


def read_pages(base: str, chromium) -> dict[str, list[str]]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(base + "search/")
    urls = page.evaluate("""async () => { await window.sbSearch.ready();
        const m = await (await fetch('../search/manifest.json')).json(); const out = [];
        for (let c = 0; c * m.doc_chunk < m.docs; c++) {
          for (const row of await (await fetch('../search/d/' + c + '.json')).json()) out.push(row[1]); }
        return out; }""")
    texts = {}
    for url in urls:
        page.goto(base + url)
        raw = normalize(page.evaluate(ARTICLE_TEXT))
        texts[url] = [re.sub(r"\s+", "", line) for line in raw.splitlines() if line.strip()]
        YEARS[url] = int(page.locator(".md-content__inner time[datetime]").first.get_attribute("datetime")[:4])
    context.close()
    assert len(texts) >= 20
    return texts


YEARS: dict[str, int] = {}


@pytest.fixture(scope="module")
def search_page(served, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(served.base + "search/")
    yield page
    context.close()


def results(page, query: str) -> tuple[list[str], list]:
    found = page.evaluate("""async (q) => { await window.sbSearch.ready();
        const r = await window.sbSearch.search(q, null);
        const m = await window.sbSearch.ready(); const urls = [];
        for (const doc of r.hits) {
          const rows = await (await fetch('../search/d/' + Math.floor(doc / m.doc_chunk) + '.json')).json();
          urls.push(rows[doc % m.doc_chunk][1]); }
        return [urls, r.corrected]; }""", query)
    return found[0], found[1]


@pytest.mark.parametrize("kind", sorted(QUERIES))
def test_every_query_finds_every_article_showing_its_words_and_nothing_else(search_page, pages_text, kind) -> None:
    for query in QUERIES[kind]:
        words = words_of(query)
        expected = {url for url, lines in pages_text.items() if all(contains(lines, w) for w in words)}
        found, corrected = results(search_page, query)
        assert expected, f"{query!r}: the sample shows it nowhere; pick another query"
        assert not corrected, f"{query!r} was corrected to {corrected}"
        missing = expected - set(found)
        assert not missing, f"{kind} {query!r}: not found although the page shows it: {sorted(missing)}"
        wrong = set(found) - expected
        assert not wrong, f"{kind} {query!r}: results without every word {words}: {sorted(wrong)}"


def test_a_one_syllable_typo_in_a_long_word_finds_the_corrected_word(search_page, pages_text) -> None:
    for typo, right in TYPOS.items():
        expected = {url for url, lines in pages_text.items() if contains(lines, right)}
        found, corrected = results(search_page, typo)
        assert expected and set(found) == expected, f"{typo!r} -> {right!r}: {sorted(found)} vs {sorted(expected)}"
        assert [typo, right] in corrected


def test_the_browser_analyses_a_query_exactly_as_the_build_does(search_page) -> None:
    from site_builder.search.analysis import shard_hash

    words = ["청년정책을", "청년들이", "정의", "최주원의", "토론회에서", "공동체와", "서울시는", "미세먼지로", "db",
             "청년자치정부준비단에서는", "2018", "에서"]
    browser_side = search_page.evaluate("""async (ws) => { await window.sbSearch.ready();
        return ws.map(w => [window.sbSearch.stripSuffixes(w), window.sbSearch.shardHash(w)]); }""", words)
    assert browser_side == [[strip_suffixes(w), shard_hash(w)] for w in words]


def test_words_that_occur_nowhere_find_nothing(search_page, pages_text) -> None:
    for query in MISSES:
        assert not any(contains(lines, w) for lines in pages_text.values() for w in words_of(query))
        found, _ = results(search_page, query)
        assert found == [], f"{query!r} found {found}"


def test_an_adjacent_phrase_ranks_before_the_words_apart(search_page, pages_text) -> None:
    found, _ = results(search_page, "청년 주거")
    phrase = {url for url, lines in pages_text.items() if contains(lines, "청년주거")}
    apart = set(found) - phrase
    assert phrase and apart, "the sample must have both kinds of pages for this test"
    assert set(found[:len(phrase)]) == phrase


def test_only_articles_and_newsletter_issues_are_results(search_page, pages_text) -> None:
    found, _ = results(search_page, "정책")
    assert found and all(url in pages_text for url in found)
    kinds = {url.split("/")[0] for url in found}
    assert kinds <= {"interview", "column", "meeting", "feature", "cardnews", "video", "infographic", "newsletter"}
    assert "newsletter" in {url.split("/")[0] for url in pages_text}


def test_nothing_of_the_index_loads_before_the_first_keystroke(served, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served.base, wait_until="networkidle")
    assert not [u for u in requested if "/search/" in u], requested
    script = [u for u in requested if u.endswith("sb-search.js")]
    assert script and (served.site / "assets" / "sb-search.js").stat().st_size < 25_000
    page.locator("#sb-search-box-q").press_sequentially("청년")
    page.wait_for_selector("#sb-search-box-popup:not([hidden]) .sb-search__hit")
    assert any(u.endswith("/search/manifest.json") for u in requested)
    context.close()


def _paused_clock_page(context, url: str):
    """A page whose timers move only when the test says (page.clock.run_for): the debounce of the search
    box is tested on the page's own clock, the same on a quiet or a loaded machine."""
    page = context.new_page()
    page.clock.install(time=datetime(2026, 6, 1, 9, 0))
    page.goto(url, wait_until="networkidle")
    page.clock.pause_at(datetime(2026, 6, 1, 10, 0))   # every timer of the page's start has run
    return page


def test_no_search_runs_while_a_syllable_is_being_composed(served, chromium) -> None:
    """A Korean IME composes 청 as ㅊ, 처, 청: nothing is looked up until the composition ends."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = _paused_clock_page(context, served.base + "search/")
    shards: list[str] = []
    page.on("request", lambda r: shards.append(r.url) if "/search/k/" in r.url else None)
    box = page.locator("#sb-search-q")
    box.dispatch_event("compositionstart")
    for partial in ("ㅊ", "처", "청", "청ㄴ", "청녀", "청년"):
        page.evaluate("""(v) => { const el = document.getElementById('sb-search-q'); el.value = v;
            el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: v})); }""", partial)
    page.clock.run_for(400)  # the page's timers, 400 ms on: longer than the debounce, a search would have started
    assert shards == [] and page.inner_text("#sb-search-status") == ""   # (a search says 찾는 중… at once)
    box.dispatch_event("compositionend")
    page.clock.run_for(400)
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('건')")
    assert shards, "the search runs once the composition ends"
    context.close()


def test_a_syllable_committed_as_the_next_one_starts_is_not_searched(served, chromium) -> None:
    """Typing 청년 with a Korean IME, 청's composition ends as ㄴ's starts (one keystroke): the search that
    runs soon after a composition ends waits for 청년 to be committed."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = _paused_clock_page(context, served.base + "search/")
    shards: list[str] = []
    page.on("request", lambda r: shards.append(r.url) if "/search/k/" in r.url else None)
    page.evaluate("""() => { const el = document.getElementById('sb-search-q');
        const compose = (v) => { el.value = v;
            el.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: v})); };
        el.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true})); compose('청');
        el.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '청'}));
        el.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
        compose('청ㄴ'); compose('청녀'); compose('청년'); }""")
    page.clock.run_for(400)  # the page's timers, 400 ms on: longer than any debounce, a search for 청 would have started
    assert shards == [] and page.inner_text("#sb-search-status") == ""
    page.locator("#sb-search-q").dispatch_event("compositionend")
    page.clock.run_for(400)
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('건')")
    assert page.inner_text("#sb-search-status").startswith("‘청년’ 검색 결과")
    context.close()


def test_the_search_page_shows_highlighted_results_and_a_shareable_url(served, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(served.base + "search/?q=" + quote("미세먼지를"))
    page.wait_for_selector("#sb-search-results[aria-busy=false] .sb-search__hit")   # the snippets are in
    status = page.inner_text("#sb-search-status")
    assert re.fullmatch(r"‘미세먼지를’ 검색 결과 \d+건", status), status
    first = page.locator("#sb-search-results .sb-search__hit").first
    assert first.locator("mark").count() >= 1 and "미세먼지" in first.locator("mark").first.inner_text()
    assert first.locator(".sb-badge").inner_text() and first.locator("time").get_attribute("datetime")
    page.select_option("#sb-search-order", "newest")
    page.wait_for_function("location.search.includes('order=newest')")
    dates = page.eval_on_selector_all("#sb-search-results time", "els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    context.close()


def test_filters_narrow_the_results_to_the_chosen_kind_and_years(served, chromium, search_page, pages_text) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(served.base + "search/?q=" + quote("청년") + "&kind=column&from=2019&to=2019")
    page.wait_for_function("document.getElementById('sb-search-status').textContent.includes('건')")
    page.wait_for_selector("#sb-search-results .sb-search__hit")
    shown = page.eval_on_selector_all("#sb-search-results .sb-search__title",
                                      "els => els.map(e => new URL(e.href).pathname)")
    expected = {url for url, lines in pages_text.items()
                if url.startswith("column/") and YEARS[url] == 2019 and contains(lines, "청년")}
    assert expected and {u.lstrip("/") for u in shown} == expected
    assert page.locator("#sb-search-kind").input_value() == "column"
    context.close()


def test_the_header_box_previews_results_and_escape_closes_it(served, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(served.base)
    box = page.locator("#sb-search-box-q")
    box.focus()
    page.keyboard.type("세대균형")
    page.wait_for_selector("#sb-search-box-popup:not([hidden]) .sb-search__hit")
    assert "검색 결과" in page.locator("#sb-search-box-status").inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#sb-search-box-popup') !== null")
    page.keyboard.press("Escape")
    assert page.locator("#sb-search-box-popup").is_hidden()
    assert page.evaluate("document.activeElement.id") == "sb-search-box-q"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector("#sb-search-results .sb-search__hit")
    context.close()


GENERATED_QUERIES = ["먼지", "청년을", "시민의", "공론장에서", "필자3", "청년 정책", "미세 먼지", "기후변화", "위원회와"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory, chromium):
    """A generated 60-article archive (benchmarks/generate.py), built and served: (base URL, page texts)."""
    import importlib.util

    from site_builder.build.pipeline import build_site
    from site_builder.build.server import serve_site
    from tests.conftest import FIXED_NOW, REPO

    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    project = tmp_path_factory.mktemp("generated") / "project"
    module.generate(project, 60)
    build_site(project, now=FIXED_NOW)
    with serve_site(project / "site") as base:
        yield base, read_pages(base, chromium)


def test_a_generated_archive_finds_what_its_pages_show(generated, chromium) -> None:
    base, texts = generated
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    page.goto(base + "search/")
    for query in GENERATED_QUERIES:
        words = words_of(query)
        expected = {url for url, lines in texts.items() if all(contains(lines, w) for w in words)}
        found, corrected = results(page, query)
        assert expected and not corrected, query
        assert set(found) == expected, f"{query!r}: missing {sorted(expected - set(found))[:5]}, " \
                                       f"wrong {sorted(set(found) - expected)[:5]}"
    found, corrected = results(page, "미세먼즈")
    assert ["미세먼즈", "미세먼지"] in corrected
    assert set(found) == {url for url, lines in texts.items() if contains(lines, "미세먼지")}
    assert results(page, "양자역학")[0] == []
    context.close()
