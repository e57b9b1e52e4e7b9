"""The HTTP plumbing of the subscription app: the guard middleware, the request preamble every handler
shares (origin -> signed link -> form -> CSRF), the per-IP limit, and the replies with mail sent after them.

The handlers themselves and their routes are in app.py; this module knows nothing of what a handler does.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Any

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from ..db import Store
from ..mail import Mailer, MailError
from . import service
from .pages import render
from .settings import SubscriptionSettings, origin_of
from .tokens import BadToken, LinkClaims, redact, sign_csrf, verify_csrf, verify_link

log = logging.getLogger("site_builder.subscribers")

Clock = Callable[[], datetime]

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


@dataclass(frozen=True)
class Gate:
    """What a request must pass before its handler runs, checked in this order.

    origins: the Origin (or Referer) is one of the sites allowed to embed the signup form;
    link: the path's {token} is a signed link of this purpose, unexpired;
    form: the body is read as a form (implied by csrf);
    csrf: the form's csrf token was signed for this subject ("{token}" is replaced by the path's token)
    and the request, if it names an Origin, comes from this service.
    """

    origins: bool = False
    link: str | None = None
    form: bool = False
    csrf: str | None = None


@dataclass(frozen=True)
class Admitted:
    """A request that passed its gate: the path's token, the link's claims (when checked) and the form."""

    request: Request
    token: str
    claims: LinkClaims | None = None
    form: dict = field(default_factory=dict)


Handler = Callable[["Context", Admitted], Awaitable[Response]]


class Context:
    """What every handler shares: the settings, store, mailer, HMAC key and clock, and the replies built from them."""

    def __init__(self, settings: SubscriptionSettings, store: Store, mailer: Mailer, key: bytes,
                 clock: Clock | None = None):
        self.settings = settings
        self.store = store
        self.mailer = mailer
        self.key = key
        self.now: Clock = clock or (lambda: datetime.now(timezone.utc))
        self.own_origin = origin_of(settings.base_url)
        self.trusted = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    # --- the preamble ---------------------------------------------------------------------------

    def endpoint(self, handler: Handler, gate: Gate) -> Callable[[Request], Awaitable[Response]]:
        """Return the Starlette endpoint that runs gate's checks, then handler (or the refusal)."""

        async def run(request: Request) -> Response:
            admitted = await self.admit(request, gate)
            if isinstance(admitted, Response):
                return admitted
            return await handler(self, admitted)

        run.__name__ = run.__qualname__ = handler.__name__
        return run

    async def admit(self, request: Request, gate: Gate) -> Admitted | Response:
        """Check request against gate: the admitted request, or the reply that refuses it."""
        if gate.origins and not self.same_origin_ok(request, self.settings.origins):
            return self.forbidden()
        token = request.path_params.get("token", "")
        claims = None
        if gate.link is not None:
            try:
                claims = verify_link(self.key, token, gate.link, self.now())
            except BadToken as exc:
                return self.bad_link(exc.expired)
        form = await self.read_form(request) if gate.form or gate.csrf is not None else {}
        if gate.csrf is not None and not self.csrf_ok(request, form, gate.csrf, token):
            return self.forbidden()
        return Admitted(request, token, claims, form)

    def same_origin_ok(self, request: Request, allowed: frozenset[str]) -> bool:
        origin = request.headers.get("origin")
        if origin is not None:
            return origin != "null" and origin_of(origin) in allowed
        referer = request.headers.get("referer")
        return bool(referer) and origin_of(referer) in allowed

    async def read_form(self, request: Request) -> dict:
        """The form's fields (topics as a list); {} for other content types and malformed bodies."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return {}
        try:
            form = await request.form(max_files=0, max_fields=80, max_part_size=self.settings.max_body_bytes)
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

    def csrf_for(self, subject: str, token: str = "") -> str:
        """The CSRF token a form's page carries; subject as in Gate.csrf, token the path's {token}."""
        return sign_csrf(self.key, subject.format(token=token),
                         self.now() + timedelta(minutes=self.settings.csrf_minutes))

    def csrf_ok(self, request: Request, form: dict, subject: str, token: str = "") -> bool:
        if (not self.same_origin_ok(request, frozenset({self.own_origin}))
                and request.headers.get("origin") is not None):
            return False
        return verify_csrf(self.key, subject.format(token=token), str(form.get("csrf", "")), self.now())

    def client_ip(self, request: Request) -> str:
        peer = request.client.host if request.client else ""
        try:
            addr = ipaddress.ip_address(peer)
        except ValueError:
            return peer
        if not any(addr in net for net in self.trusted):
            return peer
        # behind our reverse proxy: the rightmost address that is not one of our proxies
        forwarded = [p.strip() for p in request.headers.get("x-forwarded-for", "").split(",") if p.strip()]
        for hop in reversed(forwarded):
            try:
                hop_addr = ipaddress.ip_address(hop)
            except ValueError:
                return peer
            if not any(hop_addr in net for net in self.trusted):
                return hop
        return peer

    # --- transactions ---------------------------------------------------------------------------

    def in_tx(self, fn: Callable[[Any], Any]) -> Awaitable[Any]:
        """Run fn(session) in one transaction on a worker thread, under the store's write lock if it has one."""
        store = self.store

        def run():
            with store.writing(), store.session() as session, session.begin():
                return fn(session)
        return run_in_threadpool(run)

    async def within_ip_limit(self, request: Request, action: Callable[[Any], Any]):
        """Run action(session) in a transaction if the client's IP is under its limit; None when it is not."""
        ip = self.client_ip(request)

        def work(session):
            if not service.ip_allowed(session, self.settings, self.key, ip, self.now()):
                return None
            return action(session)

        return await self.in_tx(work)

    # --- replies --------------------------------------------------------------------------------

    def send_later(self, mails: Iterable[EmailMessage]) -> BackgroundTask | None:
        """A task that sends mails after the reply has gone out; None when there are none."""
        mails = list(mails)
        if not mails:
            return None
        mailer = self.mailer

        def deliver() -> None:
            for msg in mails:
                try:
                    mailer.send(msg)
                except MailError as exc:
                    log.error("sending %s: %s", msg.get("Subject", ""), exc)
                except Exception:  # a failing mail must not take the worker down
                    log.exception("sending %s failed", msg.get("Subject", ""))

        return BackgroundTask(deliver)

    def html(self, body: str, status: int = 200, mails: Iterable[EmailMessage] = ()) -> HTMLResponse:
        return HTMLResponse(body, status_code=status, background=self.send_later(mails))

    def page(self, template: str, status: int = 200, *, mails: Iterable[EmailMessage] = (),
             **values) -> HTMLResponse:
        return self.html(render(template, s=self.settings, **values), status, mails)

    def message_html(self, title: str, paragraphs: list[str], link: tuple[str, str] | None = None) -> str:
        return render("message.html", s=self.settings, title=title, paragraphs=paragraphs, link=link)

    def message(self, title: str, paragraphs: list[str], status: int = 200, link: tuple[str, str] | None = None,
                mails: Iterable[EmailMessage] = ()) -> HTMLResponse:
        return self.html(self.message_html(title, paragraphs, link), status, mails)

    def bad_link(self, expired: bool = False) -> HTMLResponse:
        text = ("링크의 유효 기간이 지났습니다." if expired else "링크를 확인할 수 없습니다. 메일에 있는 링크 전체를 그대로 열어 주세요.")
        return self.message("링크를 쓸 수 없습니다", [
            text, "구독 정보를 관리하려면 아래에서 새 링크를 받으세요."], 400,
            link=("내 정보 관리 링크 받기", f"{self.settings.base_url}/manage"))

    def forbidden(self) -> HTMLResponse:
        return self.message("요청을 처리할 수 없습니다", [
            "페이지가 오래되었거나 다른 사이트에서 보낸 요청입니다. 페이지를 새로 열어 다시 시도해 주세요."], 403)

    def too_many(self) -> HTMLResponse:
        return self.message("잠시 후 다시 시도해 주세요", ["짧은 시간에 요청이 너무 많았습니다."], 429)

    def gone(self) -> HTMLResponse:
        return self.message("구독 정보가 없습니다", ["이 주소의 구독 정보는 이미 삭제되었습니다."], 404)
