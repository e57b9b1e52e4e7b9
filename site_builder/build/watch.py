"""`site-builder serve`: watch the project's files, keep the live preview (preview.py) up to date and
serve it (server.py) until interrupted."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .preview import Preview, Update
from .server import LiveState, serve_live
from ..config import SiteConfig, load_config


class Watcher:
    """The files that change under the project's content, newsletters, themes and mkdocs.yml (watchdog)."""

    def __init__(self, config: SiteConfig):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self._changed: set[Path] = set()
        self._cond = threading.Condition()
        settings = config.root / "mkdocs.yml"
        folders = [config.content_dir, config.newsletters_dir, *([config.theme_dir] if config.theme_dir else [])]
        folders = [f.resolve() for f in folders if f.is_dir()]
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    return
                for name in (event.src_path, getattr(event, "dest_path", "")):
                    if not name:
                        continue
                    path = Path(os.fsdecode(name))
                    if path.parent == settings.parent.resolve() and path.name != settings.name:
                        continue   # other files beside mkdocs.yml (site/, .cache/, a database)
                    with watcher._cond:
                        watcher._changed.add(path)
                        watcher._cond.notify_all()

        self._observer = Observer()
        for folder in folders:
            self._observer.schedule(Handler(), str(folder), recursive=True)
        self._observer.schedule(Handler(), str(settings.parent.resolve()), recursive=False)
        self._observer.start()

    def take(self, timeout: float | None = None, quiet: float = 0.03) -> set[Path]:
        """Wait for changes (at most timeout seconds: then return none); return them once no more came
        for `quiet` seconds (one save is often several events: a temporary file, a rename)."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._changed, timeout):
                return set()
            while True:
                seen = len(self._changed)
                self._cond.wait(quiet)
                if len(self._changed) == seen:
                    break
            changed, self._changed = self._changed, set()
        return changed

    def close(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)


def run_preview(root: Path | str, host: str = "127.0.0.1", port: int = 8000, *,
                out: Callable[[str], None] = print, err: Callable[[str], None] = print) -> None:
    """Serve the live preview until interrupted (KeyboardInterrupt): build, serve, rebuild on every save."""
    state = LiveState()
    folder = Path(tempfile.mkdtemp(prefix="site-builder-serve-"))

    def finished(error: str) -> None:   # finish()'s process failed: shown like a failed build
        if error:
            err(error)
            state.changed(error)

    preview = Preview(root, folder / "site", on_finished=finished)
    watcher = None

    def show(update: Update) -> None:
        if update.how == "none":
            return   # e.g. the second event of one save: nothing to reload
        out(update.describe())
        if preview.error:
            err(preview.error)
        state.changed(preview.error)

    try:
        with serve_live(preview.site_dir, state, host, port,
                        report_404=lambda path: err(f"찾을 수 없는 주소 (404): {path}")) as (url, _not_found):
            out(f"미리보기: {url} (초안 포함; 저장하면 바로 반영됩니다. 끝내려면 Ctrl+C)")
            watcher = Watcher(load_config(root))   # before the first build: an edit made meanwhile is seen
            show(preview.build())
            while True:
                changed = watcher.take(timeout=0.05 if preview.busy else None)
                if changed:
                    show(preview.rebuild(changed))
                preview.finish()   # starts, or reaps, the search index and feeds of body edits
    finally:
        if watcher is not None:
            watcher.close()
        preview.close()
        shutil.rmtree(folder, ignore_errors=True)
