"""The publishing kit as a page and files of the fixture site, built with the real MkDocs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from site_builder.build.pipeline import build_site
from site_builder.build.linkcheck import check_site
from site_builder.publish.kit import build_kits, resize_image
from site_builder.catalog import load_catalog

KITS = {"2018-09-05-prep-team": ["kakao_channel", "naver_blog", "brunch"],
        "2018-10-04-budget": ["naver_blog", "kakao_channel"],
        "no-such-article": ["naver_blog"]}
INTERVIEW = "publish/kits/2018-09-05-prep-team/"
CARDS = "publish/kits/2018-10-04-budget/"


@pytest.fixture(scope="module")
def kit_site(tmp_path_factory):
    from conftest import FIXED_NOW, FIXTURE_SITE, copy_site

    project = copy_site(FIXTURE_SITE, tmp_path_factory.mktemp("kits") / "project")
    build_site(project, now=FIXED_NOW, kits=KITS)
    return project


def test_a_kit_page_for_each_pending_post_and_none_for_unknown_ids(kit_site: Path) -> None:
    kits = sorted(p.parent.name for p in (kit_site / "site" / "publish" / "kits").glob("*/index.html"))
    assert kits == ["2018-09-05-prep-team", "2018-10-04-budget"]


def test_kit_page_is_noindex_and_outside_sitemap_search_and_navigation(kit_site: Path) -> None:
    site = kit_site / "site"
    html = (site / INTERVIEW / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "publish/kits" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    cards = [row for chunk in sorted((site / "search" / "d").glob("*.json"))
             for row in json.loads(chunk.read_text(encoding="utf-8"))]
    assert cards and [row[1] for row in cards if "publish" in row[1]] == []
    assert not any("발행 키트" in row[0] for row in cards)
    home = (site / "index.html").read_text(encoding="utf-8")
    article = (site / "interview" / "prep-team" / "index.html").read_text(encoding="utf-8")
    assert "publish/kits" not in home and "publish/kits" not in article
    assert "noindex" not in article


def test_kit_page_shows_every_section_in_order(kit_site: Path) -> None:
    html = (kit_site / "site" / INTERVIEW / "index.html").read_text(encoding="utf-8")
    headings = [h for h in ("네이버 블로그</h2>", "브런치</h2>", "카카오톡 채널</h2>", "인스타그램 (직접 올릴 때)</h2>",
                            "파일로 받기</h2>")]
    positions = [html.index(h) for h in headings]
    assert positions == sorted(positions)
    assert '<div id="kit-naver_blog-body" class="sb-kit__paste"' in html
    assert "<h2>청년 정책</h2>" in html   # the article's own heading, in the paste box
    assert "publish done 2018-09-05-prep-team naver_blog &lt;올린 글 주소&gt;" in html


def test_kit_files_beside_the_page(kit_site: Path) -> None:
    kit = kit_site / "site" / INTERVIEW
    assert sorted(p.name for p in kit.iterdir() if p.is_file()) == [
        "alt.txt", "brunch.html", "checklist.md", "index.html", "instagram-caption.txt", "kakao-channel.txt",
        "naver_blog.html"]
    assert (kit / "alt.txt").read_text(encoding="utf-8") == "[이미지 01] 준비단 회의 탁자 위에 놓인 의제 카드들\n"
    assert (kit / "kakao-channel.txt").read_text(encoding="utf-8") == (
        "제목: 준비단원 인터뷰\n\n본문:\n준비단원에게 청년자치정부를 물었다.\n\n#청년자치정부 #준비단\n\n"
        "버튼 이름: 기사 읽기\n버튼 링크: https://yours.example.org/interview/prep-team/"
        "?utm_source=kakao_channel&utm_medium=social&utm_campaign=2018-09-05-prep-team\n")
    caption = (kit / "instagram-caption.txt").read_text(encoding="utf-8")
    assert caption.startswith("준비단원 인터뷰\n\n준비단원에게 청년자치정부를 물었다.\n")
    assert caption.endswith("#청년자치정부 #준비단\n")
    checklist = (kit / "checklist.md").read_text(encoding="utf-8").splitlines()
    assert checklist[-1] == ("- [ ] 인스타그램은 발행기 설정(mkdocs.yml)에 없어 기록 명령이 없습니다: "
                             "게시물 주소를 편집팀 기록에 남깁니다.")
    assert ("- [ ] 발행한 글의 주소를 복사해 기록합니다: .venv/bin/site-builder publish done "
            "2018-09-05-prep-team brunch <올린 글 주소>") in checklist
    paste = (kit / "naver_blog.html").read_text(encoding="utf-8")
    assert paste.startswith("<p>[이미지 01]</p>\n<p><strong>준비단원에게 청년자치정부를 물었다.</strong></p>")


def test_card_news_kit_numbers_every_slide_and_sizes_them_per_channel(kit_site: Path) -> None:
    kit = kit_site / "site" / CARDS
    assert (kit / "alt.txt").read_text(encoding="utf-8").splitlines() == [
        "[이미지 01] 청년자율예산이라는 제목과 동전 그림", "[이미지 02] 청년이 숙의하는 원탁 그림",
        "[이미지 03] 서울시청에 제안서를 전달하는 그림"]
    for channel in ("naver_blog", "kakao_channel", "instagram"):
        names = sorted(p.name for p in (kit / "images" / channel).iterdir())
        assert names == ["01.jpg", "02.jpg", "03.jpg"], channel
        with Image.open(kit / "images" / channel / "01.jpg") as image:
            assert image.format == "JPEG"
    assert not (kit / "images" / "brunch").exists()   # brunch is not pending for this post
    assert (kit / "naver_blog.html").read_text(encoding="utf-8").splitlines()[:7] == [
        "<p><strong>청년자율예산을 카드 세 장으로.</strong></p>",
        "<p>[이미지 01]</p>", "<p>청년자율예산이란?</p>",            # every card, then its text
        "<p>[이미지 02]</p>", "<p>청년이 숙의해 우선순위를 정합니다.</p>",
        "<p>[이미지 03]</p>", "<p>서울시에 제안합니다.</p>"]


def test_images_are_scaled_down_to_the_channel_width_padded_for_instagram_and_deterministic(tmp_path: Path) -> None:
    wide = tmp_path / "wide.png"
    Image.new("RGBA", (3000, 1000), (10, 100, 120, 255)).save(wide)
    data, w, h = resize_image(wide, 966)
    assert (w, h) == (966, 322)
    assert resize_image(wide, 966)[0] == data            # same source, same bytes
    _, w, h = resize_image(wide, 1080, frame=(0.8, 1.91))  # 3:1 is wider than Instagram's 1.91:1
    assert w == 1080 and 1.9 <= w / h <= 1.91
    tall = tmp_path / "tall.png"
    Image.new("RGB", (500, 1000), (0, 0, 0)).save(tall)
    _, w, h = resize_image(tall, 1080, frame=(0.8, 1.91))   # 1:2 is taller than 4:5: padded, never scaled up
    assert (w, h) == (800, 1000)


def test_the_built_images_are_what_resize_gives(kit_site: Path) -> None:
    source = kit_site / "content" / "images" / "cardnews" / "budget-02.png"
    built = (kit_site / "site" / CARDS / "images" / "naver_blog" / "02.jpg").read_bytes()
    assert built == resize_image(source, 966)[0]


def test_no_internal_link_of_the_kit_pages_is_broken(kit_site: Path) -> None:
    assert check_site(kit_site / "site", "https://yours.example.org/") == []


def test_build_kits_takes_the_pending_posts_as_an_argument(kit_site: Path) -> None:
    from conftest import FIXED_NOW

    catalog = load_catalog(kit_site, now=FIXED_NOW)
    kits = build_kits(catalog, {"2018-10-04-budget": ["brunch", "facebook"]})
    assert [(k.post.id, [s.channel for s in k.sections]) for k in kits] == [("2018-10-04-budget", ["brunch"])]
    assert build_kits(catalog, {"2018-10-04-budget": ["facebook"]}) == []


def test_a_later_build_drops_kits_no_longer_pending_and_adds_new_ones(site_project: Path, fixed_now) -> None:
    build_site(site_project, now=fixed_now, kits={"2018-10-04-budget": ["naver_blog"]})
    kits = site_project / "site" / "publish" / "kits"
    assert [p.name for p in kits.iterdir()] == ["2018-10-04-budget"]
    result = build_site(site_project, now=fixed_now, kits={"2018-09-05-prep-team": ["brunch"]})
    assert result.changed == 0    # incremental: no article changed, the kit pages are made anyway
    assert [p.name for p in kits.iterdir()] == ["2018-09-05-prep-team"]
    assert "브런치</h2>" in (kits / "2018-09-05-prep-team" / "index.html").read_text(encoding="utf-8")
    build_site(site_project, now=fixed_now, kits={})
    assert not (site_project / "site" / "publish").exists()


PUBLISH_SETTINGS = """    publish:
      channels:
        naver_blog:
          accounts: {yours: {}}
        kakao_channel:
          accounts:
            yours: {button_label: 기사 보기}
"""


def test_kits_follow_the_ledgers_manual_pending_rows(site_project: Path, fixed_now) -> None:
    from site_builder.publish.ledger import open_ledger

    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + PUBLISH_SETTINGS, encoding="utf-8")
    kits = site_project / "site" / "publish" / "kits"
    build_site(site_project, now=fixed_now)
    assert not kits.exists()
    assert not (site_project / "subscribers.db").exists()     # a build does not create the ledger

    ledger = open_ledger(f"sqlite:///{site_project / 'subscribers.db'}")
    for channel in ("naver_blog", "kakao_channel", "brunch"):      # brunch is not configured: no kit section
        ledger.mark_manual_pending(ledger.ensure("2018-09-05-prep-team", channel, "yours"))
    ledger.mark_manual_pending(ledger.ensure("2018-10-04-budget", "naver_blog", "yours"))
    ledger.mark_manual_done("2018-10-04-budget", "naver_blog", "yours", "https://blog.naver.com/yours/1")
    build_site(site_project, now=fixed_now)
    assert [p.name for p in kits.iterdir()] == ["2018-09-05-prep-team"]
    html = (kits / "2018-09-05-prep-team" / "index.html").read_text(encoding="utf-8")
    assert "네이버 블로그</h2>" in html and "카카오톡 채널</h2>" in html and "브런치</h2>" not in html
    assert "발행기가 인스타그램 API로 올립니다" not in html           # instagram is not configured here
    assert "버튼 이름: 기사 보기\n" in (kits / "2018-09-05-prep-team" / "kakao-channel.txt").read_text(encoding="utf-8")

    for channel in ("naver_blog", "kakao_channel"):
        ledger.mark_manual_done("2018-09-05-prep-team", channel, "yours", f"https://example.org/{channel}")
    build_site(site_project, now=fixed_now)
    assert not (site_project / "site" / "publish").exists()


def test_when_instagram_is_configured_the_kit_says_not_to_post_it_by_hand(kit_site: Path) -> None:
    from conftest import FIXED_NOW

    from site_builder.publish.kit import build_kit

    catalog = load_catalog(kit_site, now=FIXED_NOW)
    kit = build_kit(catalog, catalog.article("2018-10-04-budget"), ["naver_blog"], instagram_automatic=True)
    checklist = kit.files[CARDS + "checklist.md"].decode("utf-8")
    assert checklist.endswith("## 인스타그램\n\n발행기가 인스타그램 API로 올립니다. 손으로 올리지 않습니다(두 번 올라갑니다).\n")


def test_kit_pages_and_paste_files_are_valid_html(kit_site: Path, tmp_path: Path) -> None:
    from site_builder.tools.validate import validate

    pages = tmp_path / "pages"
    for kit in ("2018-09-05-prep-team", "2018-10-04-budget"):
        (pages / kit).mkdir(parents=True)
        source = kit_site / "site" / "publish" / "kits" / kit
        (pages / kit / "index.html").write_text((source / "index.html").read_text(encoding="utf-8"), encoding="utf-8")
        paste = (source / "naver_blog.html").read_text(encoding="utf-8")
        (pages / kit / "paste.html").write_text('<!doctype html><html lang="ko"><head><meta charset="utf-8">'
                                                f"<title>붙여 넣기</title></head><body>{paste}</body></html>",
                                                encoding="utf-8")
    errors = validate([pages])
    assert errors == [], "\n".join(str(e) for e in errors[:40])
