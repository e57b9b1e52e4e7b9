"""Korean HTML pages of the service: accessible, self-contained (no third-party resources, no scripts)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape

from ..signup import MAX_ADDRESS, MAX_NAME

_BASE = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }} — {{ s.brand }}</title>
<style>
body{font-family:'Apple SD Gothic Neo','Malgun Gothic','맑은 고딕','Noto Sans KR',sans-serif;line-height:1.6;
color:#111;background:#fff;margin:0;padding:1.5rem;}
main{max-width:36rem;margin:0 auto;}
h1{font-size:1.4rem;}
label{display:block;margin:.5rem 0 .2rem;font-weight:600;}
input[type=email],input[type=text]{width:100%;max-width:30rem;padding:.5rem;font-size:1rem;border:1px solid #555;border-radius:4px;}
fieldset{border:1px solid #bbb;border-radius:4px;margin:1rem 0;padding:.5rem 1rem;}
fieldset label{display:inline-block;font-weight:normal;margin-right:1rem;}
button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#1a4fa0;color:#fff;cursor:pointer;}
button.danger{background:#a01a1a;}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px;}
.notice{background:#f3f5f8;padding:.5rem 1rem;border-radius:4px;font-size:.95rem;}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden;}
footer{margin-top:2rem;font-size:.85rem;color:#444;}
@media (prefers-color-scheme: dark){body{background:#121212;color:#eee}.notice{background:#222}footer{color:#bbb}
input[type=email],input[type=text]{background:#1d1d1d;color:#eee;border-color:#888}}
</style>
</head>
<body>
<main id="main">
{% block main %}{% endblock %}
</main>
<footer>
<p>{{ s.office.name or s.brand }}{% if s.office.email %} · 문의 {{ s.office.email }}{% endif %}{% if s.office.phone %} · {{ s.office.phone }}{% endif %}</p>
<p><a href="{{ s.site_url }}">{{ s.brand }} 누리집으로 돌아가기</a></p>
</footer>
</body>
</html>
"""

_MESSAGE = """{% extends "base.html" %}{% block main %}
<h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}{% if link %}<p><a href="{{ link[1] }}">{{ link[0] }}</a></p>{% endif %}
{% endblock %}"""

_BUTTON = """{% extends "base.html" %}{% block main %}
<h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}
<form method="post" action="{{ action }}">
{% for k, v in hidden.items() %}<input type="hidden" name="{{ k }}" value="{{ v }}">
{% endfor %}<button type="submit"{% if danger %} class="danger"{% endif %}>{{ button }}</button>
</form>
{% endblock %}"""

_TOPICS = """{% macro topic_fields(s, chosen) %}
{% for group, prefix in [("기사 종류", "kind:"), ("코너", "series:"), ("의제", "agenda:")] %}
<fieldset><legend>{{ group }}</legend>
{% for tid, label in s.topics.items() if tid.startswith(prefix) %}
<label><input type="checkbox" name="topics" value="{{ tid }}"{% if tid in chosen %} checked{% endif %}> {{ label }}</label>
{% endfor %}</fieldset>
{% endfor %}
{% endmacro %}
{% macro ad_fields(s, checked) %}
<fieldset class="notice"><legend>광고성 정보 수신 동의 (선택)</legend>
<ul>
<li>목적: {{ s.ad_notice.purpose }}</li>
<li>항목: {{ s.ad_notice["items"] }}</li>
<li>보유 기간: {{ s.ad_notice.retention }}</li>
<li>동의 거부 권리: {{ s.ad_notice.refusal }}</li>
</ul>
<label><input type="checkbox" name="ad_consent" value="yes"{% if checked %} checked{% endif %}> 광고성 정보 수신에 동의합니다 (선택)</label>
<input type="hidden" name="ad_consent_version" value="{{ s.ad_consent_version }}">
</fieldset>
{% endmacro %}"""

_PREFERENCES = """{% extends "base.html" %}{% from "topics.html" import topic_fields, ad_fields %}{% block main %}
<h1>구독 설정</h1>
{% if saved %}<p role="status" class="notice">저장했습니다.</p>{% endif %}
<p>받는 주소: <strong>{{ sub.address }}</strong> · 상태: {{ status_label }} · 수신동의일: {{ sub.consent_date or "—" }}</p>
<form method="post" action="{{ action }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="name">이름 또는 별명 (선택)</label>
<input type="text" id="name" name="name" maxlength="{{ max_name }}" value="{{ sub.name or '' }}" autocomplete="name">
<p>받고 싶은 주제를 고르세요. 하나도 고르지 않으면 모든 소식을 받습니다.</p>
{{ topic_fields(s, chosen) }}
{% if s.ad_consent_version and sub.status == "subscribed" %}
{{ ad_fields(s, sub.ad_consent_at is not none) }}
{% if sub.ad_consent_at %}<p>광고성 정보 수신 동의일: {{ ad_consent_date }}</p>{% endif %}
{% endif %}
<button type="submit">저장하기</button>
</form>
<h2>내 정보</h2>
<form method="post" action="{{ action }}/export">
<input type="hidden" name="csrf" value="{{ csrf }}">
<p>저장된 내 정보를 모두 JSON 파일로 내려받습니다.</p>
<button type="submit">내 정보 내려받기</button>
</form>
<form method="post" action="{{ action }}/delete">
<input type="hidden" name="csrf" value="{{ csrf }}">
<p>구독을 끝내고 이메일 주소, 이름, 관심 주제, 동의 기록을 지웁니다. 되돌릴 수 없습니다.</p>
<label><input type="checkbox" name="confirm_delete" value="yes" required> 내 정보를 삭제하는 데 동의합니다</label>
<button type="submit" class="danger">내 정보 삭제하기</button>
</form>
{% if unsubscribe_action %}<h2>수신거부</h2>
<form method="post" action="{{ unsubscribe_action }}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" class="danger">뉴스레터 수신거부</button>
</form>{% endif %}
{% endblock %}"""

_SIGNUP = """{% extends "base.html" %}{% from "topics.html" import topic_fields, ad_fields %}{% block main %}
<h1>{{ s.brand }} 뉴스레터 구독</h1>
{% if error %}<p role="alert" class="notice">{{ error }}</p>{% endif %}
<form method="post" action="{{ action }}">
<label for="email">이메일 주소 (필수)</label>
<input type="email" id="email" name="email" required maxlength="{{ max_address }}" autocomplete="email">
<label for="name">이름 또는 별명 (선택)</label>
<input type="text" id="name" name="name" maxlength="{{ max_name }}" autocomplete="name">
<p>관심 주제 (선택, 고르지 않으면 모든 소식을 받습니다)</p>
{{ topic_fields(s, []) }}
<div class="hp" aria-hidden="true"><label for="website">이 칸은 비워 두세요</label>
<input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
<div class="notice">
<p><strong>개인정보 수집·이용 안내</strong></p>
<ul>
<li>수집 목적: {{ s.notice.purpose }}</li>
<li>수집 항목: {{ s.notice["items"] }}</li>
<li>보유 기간: {{ s.notice.retention }}</li>
<li>동의 거부 권리: {{ s.notice.refusal }}</li>
</ul>
{% if s.privacy_url %}<p><a href="{{ s.privacy_url }}">개인정보 처리방침</a></p>{% endif %}
</div>
<label><input type="checkbox" name="consent" value="yes" required> 위 내용을 읽었으며 개인정보 수집·이용에 동의합니다 (필수)</label>
<input type="hidden" name="consent_version" value="{{ s.consent_version }}">
{% if s.ad_consent_version %}{{ ad_fields(s, false) }}{% endif %}
<p><button type="submit">구독 신청</button></p>
</form>
<p><a href="{{ manage }}">이미 구독 중이신가요? 내 정보 관리 링크 받기</a></p>
{% endblock %}"""

_MANAGE = """{% extends "base.html" %}{% block main %}
<h1>내 구독 정보 관리</h1>
<p>구독한 이메일 주소를 적으면, 정보를 보고 내려받거나 삭제할 수 있는 링크를 그 주소로 보내 드립니다.</p>
<form method="post" action="{{ action }}">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label for="email">이메일 주소</label>
<input type="email" id="email" name="email" required maxlength="{{ max_address }}" autocomplete="email">
<p><button type="submit">링크 받기</button></p>
</form>
{% endblock %}"""

ENV = Environment(
    loader=DictLoader({
        "base.html": _BASE, "message.html": _MESSAGE, "button.html": _BUTTON, "topics.html": _TOPICS,
        "preferences.html": _PREFERENCES, "signup.html": _SIGNUP, "manage.html": _MANAGE,
    }),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True, lstrip_blocks=True,
)


def render(template: str, **context) -> str:
    """Return a rendered page."""
    return ENV.get_template(template).render(max_name=MAX_NAME, max_address=MAX_ADDRESS, **context)


def signup_form_html(settings, action: str | None = None, error: str | None = None) -> str:
    """Return the complete signup page (the same fields and notice the static site's form must carry)."""
    return render("signup.html", s=settings, title="뉴스레터 구독", action=action or f"{settings.base_url}/subscribe",
                  manage=f"{settings.base_url}/manage", error=error)
