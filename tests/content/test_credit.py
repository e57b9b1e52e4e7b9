"""What a reader sees of credit and reading time on the built site: an outside contributor is the
rights holder with the licence they gave; the office's own works carry 공공누리; no '0분' anywhere."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from site_builder.content.model import Video
from site_builder.textutil import josa


def page(project: Path, path: str) -> str:
    return (project / "site" / path / "index.html").read_text(encoding="utf-8")


def licence_paragraph(text: str) -> str:
    found = re.search(r'<p class="sb-license">(.*?)</p>', text, re.S)
    assert found, "no licence block"
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_outside_contributors_column_names_them_as_rights_holder_with_their_licence(built_fixture: Path) -> None:
    text = page(built_fixture, "column/generation-balance")
    block = licence_paragraph(text)
    assert "© 이바깥. 「왜 세대균형인가」는 CC BY-ND 4.0(저작자표시, 변경금지) 조건으로 이용할 수 있습니다." in block
    assert "서울특별시" not in block and "공공누리" not in block
    assert 'rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/deed.ko"' in text
    assert '"copyrightHolder": [{"@type": "Person", "name": "이바깥"}]' in text


def test_office_work_carries_kogl_with_the_office_as_author(built_fixture: Path) -> None:
    block = licence_paragraph(page(built_fixture, "interview/prep-team"))
    assert ("본 저작물은 '서울특별시 서울혁신기획관 청년정책담당관'에서 작성하여 공공누리 제1유형으로 개방한 "
            "「준비단원 인터뷰」를 이용할 수 있습니다. (출처표시)") in block
    assert "(를)" not in block


def test_footer_names_the_default_licence_and_outside_contributors_own_licences(built_fixture: Path) -> None:
    text = page(built_fixture, "interview/prep-team")
    footer = re.search(r'<p class="sb-footer__copy">(.*?)</p>', text, re.S).group(1)
    assert ('따로 밝히지 않은 글은 <a rel="license" href="https://www.kogl.or.kr/info/license.do#01-tab">'
            "공공누리 제1유형(출처표시)</a> 조건으로 이용할 수 있습니다.") in footer
    assert "외부 필자의 글은 필자가 저작권을 가지며, 글마다 밝힌 라이선스를 따릅니다." in footer
    assert "KOGL-1" not in footer


def test_reading_time_under_a_minute_and_short_videos_never_say_zero_minutes(built_fixture: Path) -> None:
    text = page(built_fixture, "interview/prep-team")
    assert '<span class="sb-readtime">읽는 데 1분 미만</span>' in text
    video = page(built_fixture, "video/intro")
    assert "(4초)" in video and "0분" not in video
    assert Video("file", "v.mp4", 20, "v.vtt").duration_text == "20초"
    assert Video("file", "v.mp4", 80, "v.vtt").duration_text == "1분 20초"
    assert Video("file", "v.mp4", 120, "v.vtt").duration_text == "2분"


def test_particles_follow_the_final_sound_of_what_they_follow() -> None:
    assert josa("2026-12-03", "가") == "2026-12-03이"  # ...삼
    assert josa("2018-11-02", "이") == "2018-11-02가"  # ...이
    assert josa("'청년유니온'", "가") == "'청년유니온'이"
    assert josa("'마포구'", "이") == "'마포구'가"
    assert josa("서울", "으로") == "서울로" and josa("종로", "으로") == "종로로" and josa("성북동", "로") == "성북동으로"
    assert josa("10", "은") == "10은" and josa("100", "를") == "100을" and josa("1000", "가") == "1000이"
    assert josa("SNS", "을") == "SNS를" and josa("URL", "이") == "URL이"
    assert josa("images/a.png", "이") == "images/a.png가" and josa("authors.yml", "가") == "authors.yml이"
    assert josa("'청년자치정부'", "와") == "'청년자치정부'와" and josa("'공론장'", "와") == "'공론장'과"
