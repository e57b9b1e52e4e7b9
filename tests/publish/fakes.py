"""A fake network for the publisher core's tests: a channel that talks HTTP like a real API client
(through the injected httpx client), and handlers/servers that behave like a network.

The channel maps the network's answers the way real channels do: 429 -> RateLimited(Retry-After),
5xx and transport errors -> Transient, 401 -> AuthExpired, 400 -> Permanent."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from site_builder.publish.channel import (AuthExpired, Draft, DraftProblem, Permanent, Post, PublishContext,
                                          RateLimited, Receipt, Transient)

FAKE_API = "https://fake.example/api"


class FakeChannel:
    """An API channel: POST {endpoint}/posts with a bearer token and an Idempotency-Key."""

    name = "fake"
    kind = "api"
    limit = 120

    def render(self, post: Post, account: str, options: dict) -> Draft:
        utm = options.get("utm", {})
        link = post.url + ("?" + "&".join(f"{k}={v}" for k, v in sorted(utm.items())) if utm else "")
        text = post.overrides.get(self.name) or f"{post.title}\n{link}"
        return Draft(self.name, account, post.id, text, link, post.media[:4],
                     tuple("#" + t.replace(" ", "") for t in post.tags), {"cost": "$0.01"})

    def validate(self, draft: Draft) -> list[DraftProblem]:
        if len(draft.text) > self.limit:
            return [DraftProblem("text", f"{len(draft.text)}자로 {self.limit}자를 넘습니다", "social: 로 줄이세요")]
        return []

    def _endpoint(self, ctx: PublishContext) -> str:
        return ctx.options.get("endpoint", FAKE_API)

    def _call(self, ctx: PublishContext, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {ctx.credentials.get('token', '')}",
                   "Idempotency-Key": ctx.idempotency_key}
        try:
            response = ctx.http.request(method, self._endpoint(ctx) + path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise Transient(f"네트워크 오류({type(exc).__name__})") from None
        if response.status_code == 429:
            raise RateLimited("요청 한도 초과(429)", float(response.headers.get("Retry-After", "30")))
        if response.status_code >= 500:
            raise Transient(f"서버 오류({response.status_code})")
        if response.status_code == 401:
            raise AuthExpired("토큰이 거부되었습니다(401)")
        if response.status_code == 400:
            raise Permanent(f"게시를 거부했습니다: {response.text}")
        return response

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        response = self._call(ctx, "POST", "/posts", json={"text": draft.text, "post": draft.post_id,
                                                           "key": ctx.idempotency_key})
        data = response.json()
        return Receipt(data["id"], data["url"])

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        response = self._call(ctx, "GET", "/posts/by-key/" + ctx.idempotency_key)
        if response.status_code == 404:
            return None
        data = response.json()
        return Receipt(data["id"], data["url"])

    def check_credentials(self, ctx: PublishContext) -> str:
        self._call(ctx, "GET", "/me")
        return "토큰 유효"


class ManualChannel(FakeChannel):
    name = "manualfake"
    kind = "manual"


REGISTRY = {"fake": FakeChannel, "manualfake": ManualChannel}


class FakeNetwork:
    """The network's state, shared by a MockTransport handler and by the local server below.

    Also serves the public site: GET of a site page answers 200 with the article's JSON-LD id
    for every id in `live` (and 404 otherwise)."""

    def __init__(self, token: str = "tok-SECRET-abc123"):
        self.lock = threading.Lock()
        self.posts: dict[str, dict] = {}          # idempotency key -> post
        self.requests: list[tuple[str, str]] = []
        self.script: list = []                    # answers to the next POSTs: status or (status, headers)
        self.pages: dict[str, str] = {}           # site path (/interview/x/) -> article id shown there
        self.not_live: set[str] = set()           # ids whose page is not deployed yet (404)
        self.token = token
        self.block_posts: threading.Event | None = None   # when set: POSTs wait for it
        self.post_arrived = threading.Event()
        self.deliveries = 0                       # POSTs that created or replayed a post

    def site_page(self, path: str) -> tuple[int, str]:
        article_id = self.pages.get(path)
        if article_id is None or article_id in self.not_live:
            return 404, "not found"
        return 200, f'<html><script type="application/ld+json">{{"identifier": "{article_id}"}}</script></html>'

    def answer(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict, str]:
        with self.lock:
            self.requests.append((method, path))
        if not path.startswith("/api/"):
            status, text = self.site_page(path)
            return status, {"content-type": "text/html"}, text
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {}, json.dumps({"error": "The access token is invalid"})
        if method == "GET" and path == "/api/me":
            return 200, {}, json.dumps({"name": "yours"})
        if method == "GET" and path.startswith("/api/posts/by-key/"):
            post = self.posts.get(path.rsplit("/", 1)[-1])
            return (200, {}, json.dumps(post)) if post else (404, {}, "{}")
        if method == "POST" and path == "/api/posts":
            self.post_arrived.set()
            if self.block_posts is not None:
                self.block_posts.wait(30)
            with self.lock:
                if self.script:
                    step = self.script.pop(0)
                    status, extra = step if isinstance(step, tuple) else (step, {})
                    if status != 200:
                        return status, extra, json.dumps({"error": "scripted"})
                data = json.loads(body)
                key = data["key"]
                if key not in self.posts:      # an Idempotency-Key replay returns the first post
                    number = len(self.posts) + 1
                    self.posts[key] = {"id": str(number), "url": f"https://fake.example/@yours/{number}",
                                       "post": data["post"], "text": data["text"]}
                self.deliveries += 1
                return 200, {}, json.dumps(self.posts[key])
        return 404, {}, "{}"

    def handler(self, request: httpx.Request) -> httpx.Response:
        """A MockTransport handler: the fake network for in-process tests."""
        status, headers, text = self.answer(request.method, request.url.path,
                                            {k.lower(): v for k, v in request.headers.items()}, request.content)
        return httpx.Response(status, headers=headers, text=text)

    def posted_ids(self) -> list[str]:
        return sorted(p["post"] for p in self.posts.values())


class LocalServer:
    """A real HTTP server on loopback (port chosen by the OS) answering as a FakeNetwork."""

    def __init__(self, network: FakeNetwork):
        net = network

        class Handler(BaseHTTPRequestHandler):
            def _do(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, text = net.answer(self.command, self.path,
                                                   {k.lower(): v for k, v in self.headers.items()}, body)
                data = text.encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _do

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def failing_transport() -> httpx.MockTransport:
    """A transport that fails the test on any request (dry-run must make none)."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"dry-run made a request: {request.method} {request.url}")

    return httpx.MockTransport(handler)
