"""The subscription service: a Starlette ASGI app. No cookies; every state change is a POST."""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from ..config import KST
from ..mail import Mailer, MailError
from . import mails, service
from .links import P_ANSWER, P_PREFERENCES, P_UNSUBSCRIBE, preferences_url, unsubscribe_url
from .models import Question, Subscriber
from .pages import render, signup_form_html
from .settings import SubscriptionSettings, origin_of
from .store import Store
from .tokens import BadToken, redact, sign_csrf, verify_csrf, verify_link

log = logging.getLogger("site_builder.subscribers")

Clock = Callable[[], datetime]
STATUS_LABELS = {"pending": "확인 대기", "subscribed": "구독 중", "unsubscribed": "수신거부", "suppressed": "발송 중지"}

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
     b"base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    # Tokens are in our URLs: they must never leave for another site, but our own forms must carry an
    # Origin. Under the Fetch standard `no-referrer` makes every POST send `Origin: null`, which the
    # same-origin check has to refuse; `same-origin` sends the full referrer (and the real Origin) only to
    # this origin and nothing at all to any other (docs/subscribers.md, "CSRF and the referrer policy").
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
]


def _redact_path(path: str) -> str:
    parts = path.split("/")
    if len(parts) >= 3 and parts[1] in ("u", "a", "confirm", "preferences"):
        parts[2] = redact(parts[2])
    return "/".join(parts)


class GuardMiddleware:
    """Caps request bodies (413), adds security headers, and logs requests with tokens cut short."""

    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status_holder = {"status": 0}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            if scope["method"] in ("POST", "PUT", "PATCH"):
                declared = dict(scope.get("headers") or []).get(b"content-length")
                if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
                    return await _too_large(scope, receive, send_with_headers)
                body = bytearray()
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    body.extend(message.get("body", b""))
                    more = message.get("more_body", False)
                    if len(body) > self.max_body:
                        return await _too_large(scope, receive, send_with_headers)
                sent = False

                async def replay():
                    nonlocal sent
                    if not sent:
                        sent = True
                        return {"type": "http.request", "body": bytes(body), "more_body": False}
                    return await receive()

                return await self.app(scope, replay, send_with_headers)
            return await self.app(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %s %.1fms", scope["method"], _redact_path(scope["path"]), status_holder["status"],
                     (time.perf_counter() - started) * 1000)


async def _too_large(scope, receive, send):
    response = PlainTextResponse("요청이 너무 큽니다.", status_code=413, headers={"connection": "close"})
    await response(scope, receive, send)


def create_app(
    settings: SubscriptionSettings,
    store: Store,
    mailer: Mailer,
    secret: str | bytes,
    *,
    clock: Clock | None = None,
) -> Starlette:
    """Return the ASGI app. secret is required (HMAC key); clock is injectable for tests."""
    if not secret or len(secret) < 16:
        raise ValueError("create_app: a secret of at least 16 bytes is required")
    key = secret.encode() if isinstance(secret, str) else secret
    now_fn: Clock = clock or (lambda: datetime.now(timezone.utc))
    own_origin = origin_of(settings.base_url)
    trusted = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    def page(template: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(render(template, s=settings, **ctx), status_code=status)

    def message(title: str, paragraphs: list[str], status: int = 200, link=None) -> HTMLResponse:
        return page("message.html", status, title=title, paragraphs=paragraphs, link=link)

    def bad_link(expired: bool = False) -> HTMLResponse:
        text = ("링크의 유효 기간이 지났습니다." if expired else "링크를 확인할 수 없습니다. 메일에 있는 링크 전체를 그대로 열어 주세요.")
        return message("링크를 쓸 수 없습니다", [
            text, "구독 정보를 관리하려면 아래에서 새 링크를 받으세요."], 400,
            link=("내 정보 관리 링크 받기", f"{settings.base_url}/manage"))

    async def within_ip_limit(ip: str, action):
        """Run action(session) in a transaction if the IP is under its limit; None when it is not."""
        def work(session):
            if not service.ip_allowed(session, settings, key, ip, now_fn()):
                return None
            return action(session)

        return await in_tx(work)

    def too_many() -> HTMLResponse:
        return message("잠시 후 다시 시도해 주세요", ["짧은 시간에 요청이 너무 많았습니다."], 429)

    def send_later(mails: list[EmailMessage]) -> BackgroundTask | None:
        if not mails:
            return None

        def deliver() -> None:
            for msg in mails:
                try:
                    mailer.send(msg)
                except MailError as exc:
                    log.error("sending %s: %s", msg.get("Subject", ""), exc)
                except Exception:  # a failing mail must not take the worker down
                    log.exception("sending %s failed", msg.get("Subject", ""))

        return BackgroundTask(deliver)

    def client_ip(request: Request) -> str:
        peer = request.client.host if request.client else ""
        try:
            addr = ipaddress.ip_address(peer)
        except ValueError:
            return peer
        if not any(addr in net for net in trusted):
            return peer
        # behind our reverse proxy: the rightmost address that is not one of our proxies
        forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
        for hop in reversed(forwarded):
            try:
                hop_addr = ipaddress.ip_address(hop)
            except ValueError:
                return peer
            if not any(hop_addr in net for net in trusted):
                return hop
        return peer

    def same_origin_ok(request: Request, allowed: frozenset[str]) -> bool:
        origin = request.headers.get("origin")
        if origin is not None:
            return origin != "null" and origin_of(origin) in allowed
        referer = request.headers.get("referer")
        return bool(referer) and origin_of(referer) in allowed

    async def read_form(request: Request) -> dict:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return {}
        try:
            form = await request.form(max_files=0, max_fields=80, max_part_size=settings.max_body_bytes)
        except Exception:  # malformed multipart bodies and file uploads
            return {}
        out: dict = {}
        for k, v in form.multi_items():
            if not isinstance(v, str):
                continue
            if k == "topics":
                out.setdefault("topics", []).append(v)
            else:
                out[k] = v
        return out

    def csrf_for(subject: str) -> str:
        return sign_csrf(key, subject, now_fn() + timedelta(minutes=settings.csrf_minutes))

    def csrf_ok(request: Request, form: dict, subject: str) -> bool:
        if not same_origin_ok(request, frozenset({own_origin})) and request.headers.get("origin") is not None:
            return False
        return verify_csrf(key, subject, str(form.get("csrf", "")), now_fn())

    forbidden = lambda: message("요청을 처리할 수 없습니다", [  # noqa: E731
        "페이지가 오래되었거나 다른 사이트에서 보낸 요청입니다. 페이지를 새로 열어 다시 시도해 주세요."], 403)

    def in_tx(fn):
        def run():
            if store.write_lock is None:
                with store.session() as session, session.begin():
                    return fn(session)
            with store.write_lock, store.session() as session, session.begin():
                return fn(session)
        return run_in_threadpool(run)

    # --- signup --------------------------------------------------------------------------------

    SIGNUP_REPLY = render("message.html", s=settings, title="메일함을 확인해 주세요", paragraphs=[
        "입력하신 주소로 안내 메일을 보냈습니다. 메일의 링크를 열어 구독을 확인해 주세요.",
        f"확인 링크는 {settings.confirm_hours}시간 동안 쓸 수 있습니다. 메일이 오지 않으면 스팸함을 확인해 주세요.",
    ], link=None)

    async def signup_page(request: Request) -> Response:
        return HTMLResponse(signup_form_html(settings))

    async def subscribe(request: Request) -> Response:
        if not same_origin_ok(request, settings.origins):
            return forbidden()
        form = await read_form(request)
        ip = client_ip(request)
        if form.get("website"):
            # honeypot filled: a bot. Same reply as a real signup, nothing stored or sent.
            return HTMLResponse(SIGNUP_REPLY)
        try:
            signup = service.parse_signup(settings, form, source=request.headers.get("referer", "")
                                          or request.headers.get("origin", ""))
        except service.InputError as exc:
            return message("다시 확인해 주세요", [str(exc)], 400, link=("뒤로 가서 고치기", settings.site_url))

        outcome = await within_ip_limit(
            ip, lambda session: service.request_signup(session, settings, key, signup, now_fn()))
        if outcome is None:
            return too_many()
        # the page is the same bytes whatever the address's state; the mail differs
        return HTMLResponse(SIGNUP_REPLY, background=send_later(outcome.mails))

    # --- confirmation --------------------------------------------------------------------------

    async def confirm_page(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            await in_tx(lambda s: service.check_confirmation(s, key, token, now_fn()))
        except BadToken as exc:
            return bad_link(exc.expired)
        return page("button.html", title="구독 확인", paragraphs=["아래 버튼을 누르면 구독이 확정됩니다."],
                    action=f"{settings.base_url}/confirm/{token}", hidden={"csrf": csrf_for("confirm:" + token)},
                    button="구독 확인", danger=False)

    async def confirm_post(request: Request) -> Response:
        token = request.path_params["token"]
        form = await read_form(request)
        if not csrf_ok(request, form, "confirm:" + token):
            return forbidden()
        try:
            outcome = await in_tx(lambda s: service.confirm(s, settings, key, token, now_fn()))
        except BadToken as exc:
            return bad_link(exc.expired)
        sub = outcome.subscriber
        purl = None
        if sub is not None:
            purl = preferences_url(settings, key, sub.id, now=now_fn(), days=settings.preferences_link_days)
        return HTMLResponse(render("message.html", s=settings, title="구독이 확정되었습니다", paragraphs=[
            f"{settings.brand} 뉴스레터를 보내 드리겠습니다. 언제든 메일 아래 링크로 해지할 수 있습니다."],
            link=("구독 설정 바꾸기", purl) if purl else None), background=send_later(outcome.mails))

    # --- unsubscribe (RFC 8058) ----------------------------------------------------------------

    async def unsubscribe_page(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            verify_link(key, token, P_UNSUBSCRIBE, now_fn())
        except BadToken as exc:
            return bad_link(exc.expired)
        # a GET changes nothing: link scanners open every link in a mail
        return page("button.html", title="뉴스레터 수신거부",
                    paragraphs=["아래 버튼을 누르면 더 이상 뉴스레터를 보내지 않습니다."],
                    action=f"{settings.base_url}/u/{token}", hidden={"List-Unsubscribe": "One-Click"},
                    button="수신거부", danger=True)

    UNSUBSCRIBED_REPLY = render("message.html", s=settings, title="수신거부를 처리했습니다", paragraphs=[
        "더 이상 뉴스레터를 보내지 않습니다. 이미 발송 중인 메일이 있어도 받지 않게 됩니다.",
        "다시 받고 싶으시면 누리집에서 언제든 새로 구독하실 수 있습니다."], link=None)

    async def unsubscribe_post(request: Request) -> Response:
        # No CSRF, cookie or login check: RFC 8058 clients POST with no context. The signed token is the proof.
        token = request.path_params["token"]
        try:
            claims = verify_link(key, token, P_UNSUBSCRIBE, now_fn())
        except BadToken as exc:
            return bad_link(exc.expired)
        await read_form(request)  # drain either encoding; the body's content does not matter
        issue = claims.fields[0] if claims.fields else ""
        outcome = await in_tx(lambda s: service.unsubscribe(
            s, settings, claims.subscriber_id, f"one-click:{issue}" if issue else "one-click", now_fn()))
        # suppressed and committed before this reply; 200, never a redirect
        return HTMLResponse(UNSUBSCRIBED_REPLY, background=send_later(outcome.mails))

    # --- preferences, export, delete -----------------------------------------------------------

    def preferences_claims(token: str):
        return verify_link(key, token, P_PREFERENCES, now_fn())

    def render_preferences(token: str, sub: Subscriber, saved: bool = False) -> HTMLResponse:
        unsub = unsubscribe_url(settings, key, sub.id, "preferences", now=now_fn(),
                                days=1) if sub.status in ("pending", "subscribed") else None
        return page("preferences.html", title="구독 설정", sub=sub, chosen=set(sub.topic_ids), saved=saved,
                    status_label=STATUS_LABELS.get(sub.status, sub.status), csrf=csrf_for("prefs:" + token),
                    action=f"{settings.base_url}/preferences/{token}", unsubscribe_action=unsub,
                    ad_consent_date=sub.ad_consent_at.astimezone(KST).date().isoformat() if sub.ad_consent_at else "")

    async def preferences_page(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = preferences_claims(token)
        except BadToken as exc:
            return bad_link(exc.expired)
        sub = await in_tx(lambda s: s.get(Subscriber, claims.subscriber_id))
        if sub is None:
            return message("구독 정보가 없습니다", ["이 주소의 구독 정보는 이미 삭제되었습니다."], 404)
        return render_preferences(token, sub)

    async def preferences_post(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = preferences_claims(token)
        except BadToken as exc:
            return bad_link(exc.expired)
        form = await read_form(request)
        if not csrf_ok(request, form, "prefs:" + token):
            return forbidden()
        try:
            outcome = await in_tx(lambda s: service.update_preferences(
                s, settings, claims.subscriber_id, list(form.get("topics") or []), form.get("name"), now_fn(),
                ad_consent=form.get("ad_consent") == "yes"))
        except service.InputError as exc:
            return message("다시 확인해 주세요", [str(exc)], 400)
        if outcome.subscriber is None:
            return message("구독 정보가 없습니다", ["이 주소의 구독 정보는 이미 삭제되었습니다."], 404)
        response = render_preferences(token, outcome.subscriber, saved=True)
        response.background = send_later(outcome.mails)
        return response

    async def export_post(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = preferences_claims(token)
        except BadToken as exc:
            return bad_link(exc.expired)
        form = await read_form(request)
        if not csrf_ok(request, form, "prefs:" + token):
            return forbidden()

        def work(session):
            sub = session.get(Subscriber, claims.subscriber_id)
            if sub is None:
                return None
            service.log_export(session, sub, "web", now_fn())
            session.flush()
            return service.export_subscriber(session, sub)

        data = await in_tx(work)
        if data is None:
            return message("구독 정보가 없습니다", ["이 주소의 구독 정보는 이미 삭제되었습니다."], 404)
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return Response(body, media_type="application/json; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="my-subscription.json"'})

    async def delete_post(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = preferences_claims(token)
        except BadToken as exc:
            return bad_link(exc.expired)
        form = await read_form(request)
        if not csrf_ok(request, form, "prefs:" + token):
            return forbidden()
        if form.get("confirm_delete") != "yes":
            return message("삭제하지 않았습니다", ["'삭제하는 데 동의합니다' 상자를 체크한 뒤 다시 눌러 주세요."], 400)

        def work(session):
            sub = session.get(Subscriber, claims.subscriber_id)
            if sub is None:
                return []
            notice = mails.deleted_mail(settings, sub.address, sub.name, now_fn())
            service.forget(session, sub, method="web", now=now_fn())
            return [notice]

        notices = await in_tx(work)
        await run_in_threadpool(store.scrub)
        return HTMLResponse(render("message.html", s=settings, title="내 정보를 삭제했습니다", paragraphs=[
            "이메일 주소, 이름, 관심 주제, 동의 기록을 삭제했고 더 이상 메일을 보내지 않습니다.",
            "다시 보내지 않기 위해 주소를 되돌릴 수 없게 변환한 값만 남깁니다."], link=None),
            background=send_later(notices))

    # --- feedback answers ----------------------------------------------------------------------

    async def answer_page(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = verify_link(key, token, P_ANSWER, now_fn())
        except BadToken as exc:
            return bad_link(exc.expired)
        _issue, question_id, index = claims.fields
        question = await in_tx(lambda s: s.get(Question, question_id))
        paragraphs = []
        choice = f"{int(index) + 1}번"
        if question is not None:
            paragraphs.append(f"질문: {question.text}")
            choices = json.loads(question.choices or "[]")
            if 0 <= int(index) < len(choices):
                choice = choices[int(index)]
        paragraphs.append(f"고른 답: {choice}")
        paragraphs.append("아래 버튼을 누르면 답이 기록됩니다. 질문마다 한 번만 답할 수 있습니다.")
        return page("button.html", title="의견 보내기", paragraphs=paragraphs,
                    action=f"{settings.base_url}/a/{token}", hidden={"csrf": csrf_for("answer:" + token)},
                    button="이 답 보내기", danger=False)

    async def answer_post(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            claims = verify_link(key, token, P_ANSWER, now_fn())
        except BadToken as exc:
            return bad_link(exc.expired)
        form = await read_form(request)
        if not csrf_ok(request, form, "answer:" + token):
            return forbidden()
        issue, question_id, index = claims.fields
        recorded = await in_tx(lambda s: service.record_answer(
            s, claims.subscriber_id, issue, question_id, int(index), now_fn()))
        if recorded:
            return message("의견을 받았습니다", ["답해 주셔서 고맙습니다."])
        return message("이미 답하셨습니다", ["이 질문에는 처음 보내 주신 답만 기록합니다."])

    # --- data access by mail -------------------------------------------------------------------

    MANAGE_REPLY = render("message.html", s=settings, title="메일함을 확인해 주세요", paragraphs=[
        "구독 중인 주소라면 내 정보 관리 링크를 메일로 보냈습니다.",
        f"링크는 {settings.manage_link_hours}시간 동안 쓸 수 있습니다."], link=None)

    async def manage_page(request: Request) -> Response:
        return page("manage.html", title="내 구독 정보 관리", csrf=csrf_for("manage"),
                    action=f"{settings.base_url}/manage")

    async def manage_post(request: Request) -> Response:
        form = await read_form(request)
        if not csrf_ok(request, form, "manage"):
            return forbidden()
        address = str(form.get("email") or "")[:254]
        ip = client_ip(request)

        outcome = await within_ip_limit(
            ip, lambda session: service.request_manage_link(session, settings, key, address, now_fn()))
        if outcome is None:
            return too_many()
        return HTMLResponse(MANAGE_REPLY, background=send_later(outcome.mails))

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/", signup_page, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/subscribe", subscribe, methods=["POST"]),
        Route("/confirm/{token}", confirm_page, methods=["GET"]),
        Route("/confirm/{token}", confirm_post, methods=["POST"]),
        Route("/u/{token}", unsubscribe_page, methods=["GET"]),
        Route("/u/{token}", unsubscribe_post, methods=["POST"]),
        Route("/preferences/{token}", preferences_page, methods=["GET"]),
        Route("/preferences/{token}", preferences_post, methods=["POST"]),
        Route("/preferences/{token}/export", export_post, methods=["POST"]),
        Route("/preferences/{token}/delete", delete_post, methods=["POST"]),
        Route("/a/{token}", answer_page, methods=["GET"]),
        Route("/a/{token}", answer_post, methods=["POST"]),
        Route("/manage", manage_page, methods=["GET"]),
        Route("/manage", manage_post, methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    return GuardMiddleware(app, settings.max_body_bytes)
