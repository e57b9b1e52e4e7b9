"""Pages lose their indentation and nothing a reader sees: white space runs that start with a line break
become that line break, except where white space shows (pre, textarea, code) or counts (script, style,
attribute values)."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.site.squeeze import squeeze


def _shown(html: str) -> str:
    """What a browser makes of the white space in normal flow: every run one space."""
    return re.sub(r"[ \t\r\n\f]+", " ", html)


def test_indentation_between_and_inside_elements_becomes_one_line_break() -> None:
    html = ('<nav class="md-nav">\n      <ul>\n        <li>\n          <a href="../">\n  <span>\n    홈\n'
            '  </span>\n          </a>\n        </li>\n      </ul>\n    </nav>\n')
    out = squeeze(html)
    assert out == '<nav class="md-nav">\n<ul>\n<li>\n<a href="../">\n<span>\n홈\n</span>\n</a>\n</li>\n</ul>\n</nav>\n'
    assert _shown(out) == _shown(html)


def test_white_space_that_shows_or_counts_is_kept_byte_for_byte() -> None:
    kept = ['<pre><code>def f():\n    return 1\n\n\n    # end\n</code></pre>',
            '<textarea name="q">\n  첫 줄\n    둘째 줄\n</textarea>',
            '<p>글 <code>a\n    b</code> 끝</p>',
            '<script>\n  var s = `\n    line`;\n</script>',
            '<style>\n  .a { color: red }\n</style>',
            '<img alt="첫 줄\n    둘째 줄" src="a.png">']
    for part in kept:
        html = f"<div>\n    {part}\n    </div>"
        assert squeeze(html) == f"<div>\n{part}\n</div>", part


def test_only_ascii_white_space_is_cut_not_no_break_or_ideographic_spaces() -> None:
    html = "<p>\n\u00a0\u00a0들여쓴 글\n\u3000전각 공백</p>"
    assert squeeze(html) == html  # each run starts at a line break and holds no ASCII blank to cut


def test_built_pages_have_no_indented_lines_and_keep_their_text(built_fixture: Path) -> None:
    site = built_fixture / "site"
    page = (site / "interview" / "prep-team" / "index.html").read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|textarea|code|script|style)\b.*?</\1>", "", page, flags=re.S)
    indented = [line for line in outside.splitlines() if line[:1] in (" ", "\t")]
    assert indented == []
    assert squeeze(page) == page  # once is enough: nothing left to cut
    assert "<title>준비단원 인터뷰 | 유어스</title>" in page
    assert '<a href="#sb-main" class="md-skip">본문 바로가기</a>' in page  # the skip link still first
