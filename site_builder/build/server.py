"""Serve a built site from a thread on 127.0.0.1, the way a static host would (tests, tools); and the live
preview's server (site-builder serve: watch.py), which adds the reload script and the error overlay."""

from __future__ import annotations

import contextlib
import functools
import html
import re
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class _Handler(SimpleHTTPRequestHandler):
    """Static files; unknown paths get the site's 404.html with status 404, as on a real host."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".json": "application/json", ".vtt": "text/vtt",
                      ".xml": "application/xml", ".webmanifest": "application/manifest+json"}

    def send_error(self, code, message=None, explain=None):  # noqa: D401 (http.server's signature)
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet: tests read requests from the browser instead
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser closing a connection mid-file (page left early) is normal, not an error."""

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_site(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve site_dir on a loopback port (0: a free one); yields the base URL ('http://127.0.0.1:PORT/')."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the live preview's server (site-builder serve) -------------------------------------------------

LIVE_PATH = "/.sb-live/"   # GET /.sb-live/<version>: answers when the site is past that version


class LiveState:
    """What the preview server shows beside the files: a version that changes with every rebuild (the
    pages' script reloads when it does) and the last build's failure, shown on every page until fixed."""

    def __init__(self) -> None:
        self.version = 1
        self.error = ""
        self._changed = threading.Condition()

    def changed(self, error: str = "") -> None:
        """A rebuild finished (error: its failure, as the terminal shows it; empty when it succeeded)."""
        with self._changed:
            self.version += 1
            self.error = error
            self._changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout)
            return self.version


_RELOAD = """<script>
/* site-builder serve: reload when the site is rebuilt */
(function () {
  var version = %d;
  function poll() {
    fetch("%s" + version, {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (text) {
      if (text.trim() !== String(version)) { location.reload(); } else { poll(); }
    }, function () { setTimeout(poll, 1000); });  /* the server is restarting: try again */
  }
  poll();
})();
</script>"""

_OVERLAY = """<div id="sb-preview-error" role="alert" style="position:fixed;z-index:10000;inset:0 0 auto 0;max-height:70vh;overflow:auto;margin:0;padding:.75rem 1.25rem;background:#fff4f4;color:#5c0000;border-bottom:4px solid #b00020;font:15px/1.6 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)">
<details open><summary style="cursor:pointer;font-weight:700">미리보기를 새로 만들지 못했습니다 — 아래 문제를 고쳐 저장하면 이 안내가 사라집니다</summary>
<pre style="margin:.5rem 0 0;white-space:pre-wrap;word-break:keep-all;font:14px/1.6 ui-monospace,monospace">%s</pre>
</details></div>"""

_NO_SITE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>미리보기 오류</title></head>
<body><main><h1>미리보기를 만드는 중입니다</h1><p>다 만들면 이 페이지가 저절로 바뀝니다.</p></main></body></html>"""

_BODY = re.compile(rb"<body[^>]*>", re.I)


def live_html(page: bytes, state: LiveState) -> bytes:
    """A page as the preview serves it: the error overlay first in <body> (when the last build failed)
    and the reload script last."""
    version, error = state.version, state.error
    tail = (_RELOAD % (version, LIVE_PATH)).encode()
    at = page.rfind(b"</body>")
    page = page[:at] + tail + page[at:] if at >= 0 else page + tail
    if error:
        overlay = (_OVERLAY % html.escape(error)).encode()
        match = _BODY.search(page)
        at = match.end() if match else 0
        page = page[:at] + overlay + page[at:]
    return page


class _LiveHandler(_Handler):
    """The site's files, revalidated on every use (no-cache: unchanged files get 304); HTML pages with
    live_html(); the long poll at LIVE_PATH."""

    state: LiveState
    not_found: list[str]
    report_404 = None

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(LIVE_PATH):
            try:
                seen = int(path[len(LIVE_PATH):])
            except ValueError:
                seen = 0
            return self._send(200, "text/plain; charset=utf-8", str(self.state.wait_past(seen, 20)).encode())
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return super().do_GET()   # redirect to the folder's URL with a slash
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(200, "text/html; charset=utf-8", live_html(file.read_bytes(), self.state))
        if not Path(self.directory).is_dir():
            return self._send(503, "text/html; charset=utf-8", live_html(_NO_SITE.encode(), self.state))
        return super().do_GET()

    def _send(self, code: int, mime: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        if code == 404:
            self.not_found.append(self.path)
            if self.report_404:
                self.report_404(self.path)
            page = Path(self.directory) / "404.html"
            if page.is_file():
                return self._send(404, "text/html; charset=utf-8", live_html(page.read_bytes(), self.state))
        return super(_Handler, self).send_error(code, message, explain)


@contextlib.contextmanager
def serve_live(site_dir: Path, state: LiveState, host: str = "127.0.0.1", port: int = 0, *,
               report_404=None) -> Iterator[tuple[str, list[str]]]:
    """Serve the live preview of site_dir; yields (its base URL, the list of paths answered 404).
    report_404(path) is called for each (the terminal shows them: a broken link)."""
    not_found: list[str] = []
    handler = type("LiveHandler", (_LiveHandler,), {"state": state, "not_found": not_found,
                                                    "report_404": staticmethod(report_404) if report_404 else None})
    server = _Server((host, port), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    try:
        shown = host if ":" not in host else f"[{host}]"
        yield f"http://{shown}:{server.server_address[1]}/", not_found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
