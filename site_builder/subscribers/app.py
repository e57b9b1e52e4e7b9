"""The subscription service: a Starlette ASGI app. No cookies; every state change is a POST.

Each handler is `async def handler(ctx, call)`: ctx is the shared Context (web.py), call the request as
admitted by its route's Gate (signed link verified, form read, CSRF checked). ROUTES pairs them; the
factory only builds the Context and mounts ROUTES behind the GuardMiddleware.
"""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..config import KST
from ..db import Store
from ..mail import Mailer
from . import mails, service
from .links import P_ANSWER, P_PREFERENCES, P_UNSUBSCRIBE, preferences_url, unsubscribe_url
from .models import Question, Subscriber
from .pages import signup_form_html
from .settings import SubscriptionSettings
from .tokens import BadToken
from .web import Admitted, Clock, Context, Gate, GuardMiddleware, Handler

# what each form's CSRF token is signed for: the page signs it, the route's Gate checks it
CONFIRM_FORM = "confirm:{token}"
PREFERENCES_FORM = "prefs:{token}"
ANSWER_FORM = "answer:{token}"
MANAGE_FORM = "manage"
STATUS_LABELS = {"pending": "확인 대기", "subscribed": "구독 중", "unsubscribed": "수신거부", "suppressed": "발송 중지"}


# --- signup --------------------------------------------------------------------------------------

def signup_reply(ctx: Context) -> str:
    """The one page every signup gets, whatever the address's state (and a bot filling the honeypot too)."""
    return ctx.message_html("메일함을 확인해 주세요", [
        "입력하신 주소로 안내 메일을 보냈습니다. 메일의 링크를 열어 구독을 확인해 주세요.",
        f"확인 링크는 {ctx.settings.confirm_hours}시간 동안 쓸 수 있습니다. 메일이 오지 않으면 스팸함을 확인해 주세요.",
    ])


async def signup_page(ctx: Context, call: Admitted) -> Response:
    return HTMLResponse(signup_form_html(ctx.settings))


async def subscribe(ctx: Context, call: Admitted) -> Response:
    settings, headers = ctx.settings, call.request.headers
    if call.form.get("website"):
        # honeypot filled: a bot. Same reply as a real signup, nothing stored or sent.
        return ctx.html(signup_reply(ctx))
    try:
        signup = service.parse_signup(settings, call.form, source=headers.get("referer", "") or headers.get("origin", ""))
    except service.InputError as exc:
        return ctx.message("다시 확인해 주세요", [str(exc)], 400, link=("뒤로 가서 고치기", settings.site_url))
    outcome = await ctx.within_ip_limit(
        call.request, lambda s: service.request_signup(s, settings, ctx.key, signup, ctx.now()))
    if outcome is None:
        return ctx.too_many()
    # the page is the same bytes whatever the address's state; the mail differs
    return ctx.html(signup_reply(ctx), mails=outcome.mails)


# --- confirmation --------------------------------------------------------------------------------

async def confirm_page(ctx: Context, call: Admitted) -> Response:
    token = call.token
    try:
        await ctx.in_tx(lambda s: service.check_confirmation(s, ctx.key, token, ctx.now()))
    except BadToken as exc:
        return ctx.bad_link(exc.expired)
    return ctx.page("button.html", title="구독 확인", paragraphs=["아래 버튼을 누르면 구독이 확정됩니다."],
                    action=f"{ctx.settings.base_url}/confirm/{token}",
                    hidden={"csrf": ctx.csrf_for(CONFIRM_FORM, token)}, button="구독 확인", danger=False)


async def confirm_post(ctx: Context, call: Admitted) -> Response:
    settings = ctx.settings
    try:
        outcome = await ctx.in_tx(lambda s: service.confirm(s, settings, ctx.key, call.token, ctx.now()))
    except BadToken as exc:
        return ctx.bad_link(exc.expired)
    sub = outcome.subscriber
    purl = None
    if sub is not None:
        purl = preferences_url(settings, ctx.key, sub.id, now=ctx.now(), days=settings.preferences_link_days)
    return ctx.message("구독이 확정되었습니다", [
        f"{settings.brand} 뉴스레터를 보내 드리겠습니다. 언제든 메일 아래 링크로 해지할 수 있습니다."],
        link=("구독 설정 바꾸기", purl) if purl else None, mails=outcome.mails)


# --- unsubscribe (RFC 8058) ----------------------------------------------------------------------

async def unsubscribe_page(ctx: Context, call: Admitted) -> Response:
    # a GET changes nothing: link scanners open every link in a mail
    return ctx.page("button.html", title="뉴스레터 수신거부",
                    paragraphs=["아래 버튼을 누르면 더 이상 뉴스레터를 보내지 않습니다."],
                    action=f"{ctx.settings.base_url}/u/{call.token}", hidden={"List-Unsubscribe": "One-Click"},
                    button="수신거부", danger=True)


async def unsubscribe_post(ctx: Context, call: Admitted) -> Response:
    # No CSRF, cookie or login check: RFC 8058 clients POST with no context. The signed token is the proof;
    # the form is read only to drain either encoding, its content does not matter.
    claims = call.claims
    issue = claims.fields[0] if claims.fields else ""
    outcome = await ctx.in_tx(lambda s: service.unsubscribe(
        s, ctx.settings, claims.subscriber_id, f"one-click:{issue}" if issue else "one-click", ctx.now()))
    # suppressed and committed before this reply; 200, never a redirect
    return ctx.message("수신거부를 처리했습니다", [
        "더 이상 뉴스레터를 보내지 않습니다. 이미 발송 중인 메일이 있어도 받지 않게 됩니다.",
        "다시 받고 싶으시면 누리집에서 언제든 새로 구독하실 수 있습니다."], mails=outcome.mails)


# --- preferences, export, delete -----------------------------------------------------------------

def preferences_reply(ctx: Context, token: str, sub: Subscriber, saved: bool = False, mails=()) -> HTMLResponse:
    unsub = unsubscribe_url(ctx.settings, ctx.key, sub.id, "preferences", now=ctx.now(),
                            days=1) if sub.status in ("pending", "subscribed") else None
    return ctx.page("preferences.html", mails=mails, title="구독 설정", sub=sub, chosen=set(sub.topic_ids),
                    saved=saved, status_label=STATUS_LABELS.get(sub.status, sub.status),
                    csrf=ctx.csrf_for(PREFERENCES_FORM, token), action=f"{ctx.settings.base_url}/preferences/{token}",
                    unsubscribe_action=unsub,
                    ad_consent_date=sub.ad_consent_at.astimezone(KST).date().isoformat() if sub.ad_consent_at else "")


async def preferences_page(ctx: Context, call: Admitted) -> Response:
    sub = await ctx.in_tx(lambda s: s.get(Subscriber, call.claims.subscriber_id))
    if sub is None:
        return ctx.gone()
    return preferences_reply(ctx, call.token, sub)


async def preferences_post(ctx: Context, call: Admitted) -> Response:
    form = call.form
    try:
        outcome = await ctx.in_tx(lambda s: service.update_preferences(
            s, ctx.settings, call.claims.subscriber_id, list(form.get("topics") or []), form.get("name"),
            ctx.now(), ad_consent=form.get("ad_consent") == "yes"))
    except service.InputError as exc:
        return ctx.message("다시 확인해 주세요", [str(exc)], 400)
    if outcome.subscriber is None:
        return ctx.gone()
    return preferences_reply(ctx, call.token, outcome.subscriber, saved=True, mails=outcome.mails)


async def export_post(ctx: Context, call: Admitted) -> Response:
    def work(session):
        sub = session.get(Subscriber, call.claims.subscriber_id)
        if sub is None:
            return None
        service.log_export(session, sub, "web", ctx.now())
        session.flush()
        return service.export_subscriber(session, sub)

    data = await ctx.in_tx(work)
    if data is None:
        return ctx.gone()
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="my-subscription.json"'})


async def delete_post(ctx: Context, call: Admitted) -> Response:
    if call.form.get("confirm_delete") != "yes":
        return ctx.message("삭제하지 않았습니다", ["'삭제하는 데 동의합니다' 상자를 체크한 뒤 다시 눌러 주세요."], 400)

    def work(session):
        sub = session.get(Subscriber, call.claims.subscriber_id)
        if sub is None:
            return []
        notice = mails.deleted_mail(ctx.settings, sub.address, sub.name, ctx.now())
        service.forget(session, sub, method="web", now=ctx.now())
        return [notice]

    notices = await ctx.in_tx(work)
    await run_in_threadpool(ctx.store.scrub)
    return ctx.message("내 정보를 삭제했습니다", [
        "이메일 주소, 이름, 관심 주제, 동의 기록을 삭제했고 더 이상 메일을 보내지 않습니다.",
        "다시 보내지 않기 위해 주소를 되돌릴 수 없게 변환한 값만 남깁니다."], mails=notices)


# --- feedback answers ----------------------------------------------------------------------------

async def answer_page(ctx: Context, call: Admitted) -> Response:
    _issue, question_id, index = call.claims.fields
    question = await ctx.in_tx(lambda s: s.get(Question, question_id))
    paragraphs = []
    choice = f"{int(index) + 1}번"
    if question is not None:
        paragraphs.append(f"질문: {question.text}")
        choices = json.loads(question.choices or "[]")
        if 0 <= int(index) < len(choices):
            choice = choices[int(index)]
    paragraphs.append(f"고른 답: {choice}")
    paragraphs.append("아래 버튼을 누르면 답이 기록됩니다. 질문마다 한 번만 답할 수 있습니다.")
    return ctx.page("button.html", title="의견 보내기", paragraphs=paragraphs,
                    action=f"{ctx.settings.base_url}/a/{call.token}",
                    hidden={"csrf": ctx.csrf_for(ANSWER_FORM, call.token)}, button="이 답 보내기", danger=False)


async def answer_post(ctx: Context, call: Admitted) -> Response:
    claims = call.claims
    issue, question_id, index = claims.fields
    recorded = await ctx.in_tx(lambda s: service.record_answer(
        s, claims.subscriber_id, issue, question_id, int(index), ctx.now()))
    if recorded:
        return ctx.message("의견을 받았습니다", ["답해 주셔서 고맙습니다."])
    return ctx.message("이미 답하셨습니다", ["이 질문에는 처음 보내 주신 답만 기록합니다."])


# --- data access by mail -------------------------------------------------------------------------

async def manage_page(ctx: Context, call: Admitted) -> Response:
    return ctx.page("manage.html", title="내 구독 정보 관리", csrf=ctx.csrf_for(MANAGE_FORM),
                    action=f"{ctx.settings.base_url}/manage")


async def manage_post(ctx: Context, call: Admitted) -> Response:
    address = str(call.form.get("email") or "")[:254]
    outcome = await ctx.within_ip_limit(
        call.request, lambda s: service.request_manage_link(s, ctx.settings, ctx.key, address, ctx.now()))
    if outcome is None:
        return ctx.too_many()
    return ctx.message("메일함을 확인해 주세요", [
        "구독 중인 주소라면 내 정보 관리 링크를 메일로 보냈습니다.",
        f"링크는 {ctx.settings.manage_link_hours}시간 동안 쓸 수 있습니다."], mails=outcome.mails)


async def healthz(ctx: Context, call: Admitted) -> Response:
    return PlainTextResponse("ok")


OPEN = Gate()
PREFS = Gate(link=P_PREFERENCES, csrf=PREFERENCES_FORM)

# (method, path, handler, gate); a GET route answers HEAD too
ROUTES: list[tuple[str, str, Handler, Gate]] = [
    ("GET", "/", signup_page, OPEN),
    ("GET", "/healthz", healthz, OPEN),
    ("POST", "/subscribe", subscribe, Gate(origins=True, form=True)),
    ("GET", "/confirm/{token}", confirm_page, OPEN),
    ("POST", "/confirm/{token}", confirm_post, Gate(csrf=CONFIRM_FORM)),
    ("GET", "/u/{token}", unsubscribe_page, Gate(link=P_UNSUBSCRIBE)),
    ("POST", "/u/{token}", unsubscribe_post, Gate(link=P_UNSUBSCRIBE, form=True)),
    ("GET", "/preferences/{token}", preferences_page, Gate(link=P_PREFERENCES)),
    ("POST", "/preferences/{token}", preferences_post, PREFS),
    ("POST", "/preferences/{token}/export", export_post, PREFS),
    ("POST", "/preferences/{token}/delete", delete_post, PREFS),
    ("GET", "/a/{token}", answer_page, Gate(link=P_ANSWER)),
    ("POST", "/a/{token}", answer_post, Gate(link=P_ANSWER, csrf=ANSWER_FORM)),
    ("GET", "/manage", manage_page, OPEN),
    ("POST", "/manage", manage_post, Gate(csrf=MANAGE_FORM)),
]


def create_app(
    settings: SubscriptionSettings,
    store: Store,
    mailer: Mailer,
    secret: str | bytes,
    *,
    clock: Clock | None = None,
) -> GuardMiddleware:
    """Return the ASGI app. secret is required (HMAC key); clock is injectable for tests."""
    if not secret or len(secret) < 16:
        raise ValueError("create_app: a secret of at least 16 bytes is required")
    ctx = Context(settings, store, mailer, secret.encode() if isinstance(secret, str) else secret, clock)
    routes = [Route(path, ctx.endpoint(handler, gate), methods=[method]) for method, path, handler, gate in ROUTES]
    return GuardMiddleware(Starlette(routes=routes), settings.max_body_bytes)
