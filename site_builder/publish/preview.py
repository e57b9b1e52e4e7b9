"""The preview page: every draft as it will be posted, one self-contained HTML file (no network)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, select_autoescape

from .runner import ACTION_LABELS, RunReport

TEMPLATE = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>게시 미리보기 — {{ brand }}</title>
<style>
:root { color-scheme: light dark; --fg:#1b1b1b; --bg:#fff; --muted:#555; --line:#ccc; --bad:#a00000; --ok:#0a5d1a; }
@media (prefers-color-scheme: dark) { :root { --fg:#eee; --bg:#121212; --muted:#bbb; --line:#444; --bad:#ff8a80; --ok:#8fd694; } }
body { font-family: system-ui, "Noto Sans KR", "Noto Sans CJK KR", sans-serif; margin: 0 auto; max-width: 72rem;
       padding: 1rem; color: var(--fg); background: var(--bg); line-height: 1.6; word-break: keep-all; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-top: 1px solid var(--line); padding-top: 1rem; }
.sb-drafts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); padding: 0; list-style: none; }
.sb-draft { border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
.sb-draft h3 { font-size: 1rem; margin: 0 0 .5rem; }
.sb-draft__text { white-space: pre-wrap; margin: .5rem 0; }
.sb-draft__meta { color: var(--muted); font-size: .875rem; }
.sb-draft__problems { color: var(--bad); font-weight: 600; padding-left: 1.25rem; } .sb-draft__ok { color: var(--ok); }
.sb-media { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.sb-media li { width: 6rem; font-size: .75rem; } .sb-media img { width: 6rem; height: 6rem; object-fit: cover; }
</style>
</head>
<body>
<main>
<h1>게시 미리보기</h1>
<p>{{ summary }}</p>
{%- for article in articles %}
<section aria-labelledby="a-{{ loop.index }}">
<h2 id="a-{{ loop.index }}">{{ article.title }} <small>({{ article.kind_label }} · {{ article.id }})</small></h2>
<ul class="sb-drafts">
{%- for item in article.drafts %}
<li class="sb-draft" data-channel="{{ item.channel }}" data-account="{{ item.account }}">
<h3>{{ item.channel_name }} · {{ item.account }} — {{ item.action }}</h3>
{%- if item.problems %}
<ul class="sb-draft__problems" aria-label="고칠 점">{% for p in item.problems %}<li>{{ p }}</li>{% endfor %}</ul>
{%- elif item.draft %}
<p class="sb-draft__ok">네트워크 규칙을 통과했습니다.</p>
{%- endif %}
{%- if item.draft %}
<p class="sb-draft__text">{{ item.draft.text }}</p>
<p class="sb-draft__meta">{{ item.draft.text | length }}자{% if item.draft.hashtags %} · {{ item.draft.hashtags | join(" ") }}{% endif %}
{%- if item.cost %} · 예상 비용 {{ item.cost }}{% endif %}</p>
<p class="sb-draft__meta">링크: <a href="{{ item.draft.link }}">{{ item.draft.link }}</a></p>
{%- if item.draft.media %}
<ol class="sb-media">
{%- for m in item.draft.media %}<li><img src="{{ m.uri }}" alt="{{ m.alt }}"><br>{{ loop.index }}. {{ m.alt or "대체 텍스트 없음" }}</li>{% endfor %}
</ol>
{%- endif %}
{%- endif %}
{%- if item.message %}<p class="sb-draft__meta">{{ item.message }}</p>{% endif %}
</li>
{%- endfor %}
</ul>
</section>
{%- endfor %}
{%- if not articles %}<p>게시할 글이 없습니다(설정된 채널이 없거나 게시할 종류의 글이 없습니다).</p>{% endif %}
</main>
</body>
</html>
"""


def render_preview(report: RunReport, *, brand: str = "유어스", base_dir: Path | None = None) -> str:
    """Return the preview page's HTML for a dry-run report; images are linked relative to base_dir
    (the folder the page is written to), so the page works opened as a file or served."""
    from ..content.syndication import CHANNEL_NAMES

    outcomes = {(o.article, o.channel, o.account): o for o in report.outcomes}
    articles: dict[str, dict] = {}
    for view in report.drafts:
        post = view.task.planned.post
        entry = articles.setdefault(post.id, {"id": post.id, "title": post.title, "kind_label": post.kind_label,
                                              "drafts": []})
        outcome = outcomes.get(view.task.key)
        draft = None
        if view.draft is not None:
            draft = {"text": view.draft.text, "link": view.draft.link, "hashtags": view.draft.hashtags,
                     "media": [{"uri": _image_uri(m.path, base_dir) if m.path else m.public_url, "alt": m.alt}
                               for m in view.draft.media]}
        entry["drafts"].append({
            "channel": view.task.account.channel, "account": view.task.account.account,
            "channel_name": CHANNEL_NAMES.get(view.task.account.channel, view.task.account.channel),
            "action": ACTION_LABELS.get(outcome.action, outcome.action) if outcome else "",
            "message": outcome.message if outcome and outcome.action != "invalid" else "",
            "draft": draft, "problems": [str(p) for p in view.problems],
            "cost": (view.draft.extra.get("cost") if view.draft else "") or "",
        })
    would = report.count("would_post")
    summary = (f"게시할 초안 {would}개, 키트 {report.count('kit')}개, 이미 게시됨 {report.count('already')}개, "
               f"고칠 것 {report.count('invalid')}개. 실제로 게시하려면 site-builder publish --live")
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(TEMPLATE).render(articles=list(articles.values()), summary=summary, brand=brand)


def _image_uri(path: str, base_dir: Path | None) -> str:
    if base_dir is None:
        return Path(path).as_uri()
    return quote(os.path.relpath(path, base_dir).replace(os.sep, "/"))


def write_preview(report: RunReport, path: Path, *, brand: str = "유어스") -> Path:
    """Write the preview page to path atomically (temporary file + os.replace); return path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".preview-", suffix=".html", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(render_preview(report, brand=brand, base_dir=path.parent.resolve()))
    os.replace(tmp, path)
    return path
