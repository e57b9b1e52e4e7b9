"""Incremental rebuilds: when only article bodies changed since the last build, render only their pages.

A build records, beside the site (in .cache/site-builder/), a fingerprint of everything that can show
on more than one page — every visible article except its body (title, dates, summary, tags, reading
time, images...), authors, static pages, the timeline, newsletters, mkdocs.yml, the theme, the code
and the versions of what renders it, and the day — and a hash of every article body. The next build
compares: with the same fingerprint, an article whose body alone changed appears differently on its
own page, in the search index and in the feeds that carry it, and nowhere else. Those are rebuilt;
every other page is taken from the previous site. Anything else (a new or deleted article, a changed
title or tag, a template, a new day) makes a full build. Tests compare incremental rebuilds with clean
builds byte for byte.

No MkDocs here: the site adapter and the feeds take the plan this module makes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:   # the check of a build where nothing changed imports no content code
    from ..catalog import Catalog

STATE_VERSION = 3
PACKAGE_DIR = Path(__file__).resolve().parents[1]   # site_builder/: its code and templates
_VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "nh3", "feedgen",
              "jinja2", "korean-romanizer", "pyyaml")


@dataclass(frozen=True)
class BuildState:
    """What a finished build was made from."""

    target: str                  # the site folder, resolved
    fingerprint: str             # everything but article bodies
    bodies: dict[str, str]       # article source -> hash of its body
    search_index: str            # hash of the site's search index when it was written (detects outside edits)
    folder: str = ""             # device, inode and mtime of the site folder after the swap: another build
                                 # (an older version, another tool) that replaced site/ is noticed
    inputs: str = ""             # input_digest() taken before the build read anything ("" : none)
    valid_until: str = ""        # ISO time the first scheduled article appears ("": none scheduled)
    memo: dict = dataclasses.field(default_factory=dict)   # fingerprint()'s per-article digests, for the next
    kits: str = ""               # which kit pages the build made (pipeline._kits_digest)
    outputs: tuple = ()          # the outputs' files (feeds, search index): what an in-place rebuild may remove
    theme_dirs: tuple = ()       # the template folders the build read (decided by mkdocs.yml and the code)
    db_files: tuple = ()         # the database's SQLite files, when the pages show the publisher's ledger
    warnings: tuple = ()         # the build's warnings (Problem fields), reported again by a no-change build
    pages: int = 0
    files: int = 0

    def to_json(self) -> str:
        return json.dumps({"version": STATE_VERSION, **dataclasses.asdict(self)}, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Plan:
    """An incremental build: the previous site and the articles whose pages must be rendered again."""

    previous: Path                    # the previous site folder
    changed: frozenset[str]           # article sources (relative to content/) whose body changed
    changed_ids: frozenset[str]       # their stable ids (feeds)


def _canon(value: Any) -> Any:
    """A JSON-able, order-stable form of catalog values (sets sorted, dates as ISO text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, {f.name: _canon(getattr(value, f.name)) for f in dataclasses.fields(value)
                                       if not f.name.startswith("_")}]
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_canon(v), sort_keys=True, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def same_but_body(old, new) -> bool:
    """True when two versions of an article differ at most in their body (the fingerprint does not see them)."""
    a, b = _canon(old)[1], _canon(new)[1]
    for fields in (a, b):
        fields.pop("body"), fields.pop("content_hash")
    return a == b


def _files_digest(h, folder: Path, patterns: tuple[str, ...] = ("*",)) -> None:
    if not folder.is_dir():
        h.update(b"-missing-")
        return
    for pattern in patterns:
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def fingerprint(catalog: Catalog, theme_dirs: list[Path], memo: Mapping[str, Any] | None = None
                ) -> tuple[str, dict[str, Any]]:
    """Return the hash of everything a build's pages show except article bodies, and the memo of this
    build's per-article digests for the next (memo: the last build's; see _article_digests)."""
    config = catalog.config
    h = hashlib.sha256()
    h.update(f"state {STATE_VERSION} python {sys.version}\n".encode())
    h.update(_versions().encode())
    _files_digest(h, PACKAGE_DIR, ("*.py", "*.html", "*.xml", "*.txt", "*.css", "*.js", "*.json"))
    for folder in theme_dirs:
        _files_digest(h, folder)
    h.update((config.root / "mkdocs.yml").read_bytes())
    _files_digest(h, config.newsletters_dir)
    data = {"authors": _canon(dict(catalog.authors)), "pages": _canon(catalog.pages),
            "timeline": _canon(catalog.timeline), "syndication": _canon(dict(catalog.syndication))}
    h.update(json.dumps(data, ensure_ascii=False, sort_keys=True).encode())
    basis = h.hexdigest()
    # Which files exist under content/ decides how links in bodies are written (a link to a file that
    # exists is rewritten relative to each page; to a missing one it is left as is). The other files
    # (images, videos) are copied into the site: one changed in place changes the site too.
    content = config.content_dir
    for folder, dirs, names in os.walk(content):
        dirs.sort()
        rel = os.path.relpath(folder, content)
        h.update("\0".join([rel, *sorted(names)]).encode() + b"\n")
        for name in sorted(names):
            if not name.endswith(".md"):
                st = os.stat(os.path.join(folder, name))
                h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    h.update(catalog.now.date().isoformat().encode())
    digests = _article_digests(catalog.articles, basis, memo or {})
    for article in catalog.articles:
        h.update(f"{article.source}\0{digests[article.source][1]}\n".encode())
    return h.hexdigest(), {"basis": basis, "articles": digests}


def _article_digests(articles, basis: str, memo: Mapping[str, Any]) -> dict[str, list[str]]:
    """source -> [hash of the file, digest of the article's fields but its body].

    An article is made from its file alone given the rest of the fingerprint (the code, mkdocs.yml,
    the authors...: `basis`), so a file whose hash the last build saw under the same basis has the
    digest it had then; only the others are canonicalised again (about 150 µs each)."""
    known = memo.get("articles", {}) if memo.get("basis") == basis else {}
    found = {}
    for article in articles:
        old = known.get(article.source)
        if old and old[0] == article.content_hash:
            found[article.source] = old
            continue
        fields = _canon(article)[1]
        fields.pop("body"), fields.pop("content_hash")
        digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        found[article.source] = [article.content_hash, digest]
    return found


def state_path(root: Path, target: Path) -> Path:
    """Where the state of the site at target is kept: .cache/site-builder/ under the project."""
    key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    return root / ".cache" / "site-builder" / f"build-{key}.json"


def _file_hash(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def last_state(root: Path, target: Path) -> dict[str, Any]:
    """The last build's state of the site at target as saved ({} when there is none to read)."""
    try:
        old = json.loads(state_path(root, target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return old if isinstance(old, dict) and old.get("version") == STATE_VERSION else {}


def current_state(catalog: Catalog, target: Path, theme_dirs: list[Path], last: Mapping[str, Any] | None = None
                  ) -> BuildState:
    """Return the state the coming build is made from (search_index is filled in after the build);
    last: the last build's (last_state), whose per-article digests are reused."""
    last = last or {}
    print_, memo = fingerprint(catalog, theme_dirs, last.get("memo"))
    old_bodies, old_memo = last.get("bodies", {}), (last.get("memo") or {}).get("articles", {})
    bodies = {}
    for article in catalog.articles:   # the body's hash, again only for the files that changed
        old = old_memo.get(article.source)
        same_file = old and old[0] == article.content_hash and article.source in old_bodies
        bodies[article.source] = old_bodies[article.source] if same_file else body_hash(article.body)
    return BuildState(target=str(target.resolve()), fingerprint=print_, bodies=bodies, search_index="", memo=memo)


def plan(catalog: Catalog, state: BuildState, target: Path, old: Mapping[str, Any], *, max_share: float = 0.5
         ) -> Plan | None:
    """Return the incremental plan from the last build's state (last_state), or None when a full build
    is needed."""
    if (not old or old.get("target") != state.target
            or old.get("fingerprint") != state.fingerprint or not target.is_dir()):
        return None
    if old.get("search_index") != _file_hash(target / "search" / "manifest.json"):
        return None  # the site was changed since
    if old.get("folder") != _folder_id(target):
        return None  # the site was replaced since (a build by another version, a copy, a restore)
    # the same fingerprint means the same articles (their sources are in it): only bodies can differ
    changed = frozenset(s for s, h in state.bodies.items() if old.get("bodies", {}).get(s) != h)
    if len(changed) > max_share * max(1, len(state.bodies)):
        return None  # most pages change anyway: a full build is as quick and simpler
    ids = frozenset(a.id for a in catalog.articles if a.source in changed)
    return Plan(previous=target, changed=changed, changed_ids=ids)


def _folder_id(folder: Path) -> str:
    try:
        st = folder.stat()
    except OSError:
        return ""
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def save_state(root: Path, state: BuildState, target: Path, **done: Any) -> None:
    """Record the finished build (written atomically; a failure to write only costs a full build next).
    done: the fields only the finished build knows (inputs, valid_until, theme_dirs,
    db_files, warnings, pages, files)."""
    path = state_path(root, target)
    done = dataclasses.replace(state, search_index=_file_hash(target / "search" / "manifest.json"),
                               folder=_folder_id(target), **done)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(done.to_json(), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def forget_state(root: Path, target: Path) -> None:
    try:
        state_path(root, target).unlink()
    except OSError:
        pass


# --- a build where nothing changed ----------------------------------------------------------------
#
# Before reading any content, a build takes input_digest(): the size, modification and change times of
# every file the site is made from (content/, newsletters/, the theme folders, mkdocs.yml, this
# package's code), the versions of what renders it, the settings from the environment, and the day.
# No file is read except mkdocs.yml, so it costs milliseconds at 10,000 articles. When it equals the
# last build's, the site folder is the one that build left, the ledger (if kit pages show it) is
# untouched and no scheduled article has come due, the build only confirms that nothing changed.

# Environment variables a build reads (the rest are secrets or the delivery's and publisher's settings,
# which the site does not show: they stay out of the digest)
_BUILD_ENV = ("SITE_BUILDER_DATABASE_URL", "SB_SHARE_FONT")


def _tree_stats(h, folder: Path) -> int:
    """Feed h the relative path, size, mtime and ctime of every file under folder (sorted walk); return the
    newest of those times (ns; 0: no file)."""
    newest = 0
    if not folder.is_dir():
        h.update(b"-missing-\n")
        return newest
    for current, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(current, folder)
        for name in sorted(names):
            try:
                st = os.stat(os.path.join(current, name))
            except OSError:
                continue
            h.update(f"{rel}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return newest


def db_files(root: Path, env: Mapping[str, str] | None = None) -> list[Path] | None:
    """The SQLite files of the project's database (None: a database server, whose changes no file shows)."""
    from ..db.engine import database_url

    url = database_url(root, env=dict(os.environ if env is None else env))
    if not url.startswith("sqlite:///"):
        return None
    path = Path(url[len("sqlite:///"):])
    return [path, path.with_name(path.name + "-wal")]


def input_digest(config, theme_dirs: Iterable[Path | str], now: datetime, db: Iterable[Path | str] = (),
                 env: Mapping[str, str] | None = None) -> str:
    """Return the digest of what a build is made from, from file metadata only (db: the database files
    the pages show, when they show the publisher's ledger). Reads mkdocs.yml and stats the rest."""
    return _digest_and_newest(config, theme_dirs, now, db, env)[0]


def trusted_input_digest(config, theme_dirs: Iterable[Path | str], now: datetime, db: Iterable[Path | str],
                         target: Path) -> str:
    """input_digest() for the build to record, or "" when it cannot be trusted: a file whose times are
    not older than the moment it was taken could change again within the file system's clock step
    without new times (git's "racily clean" entries). That moment is read from the file system's own
    clock (a stamp file touched first), not from the machine's."""
    stamp = state_path(config.root, target).with_suffix(".stamp")
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_bytes(b"")
        taken = stamp.stat().st_mtime_ns
    except OSError:
        return ""
    digest, newest = _digest_and_newest(config, theme_dirs, now, db, None)
    return "" if newest >= taken else digest


def _digest_and_newest(config, theme_dirs, now: datetime, db, env) -> tuple[str, int]:
    env = os.environ if env is None else env
    h = hashlib.sha256()
    h.update(f"inputs {STATE_VERSION} python {sys.version} {sys.executable}\n".encode())
    h.update(_versions().encode())
    newest = _tree_stats(h, PACKAGE_DIR)
    for folder in (config.content_dir, config.newsletters_dir, *map(Path, theme_dirs)):
        h.update(f"\n[{folder}]\n".encode())
        newest = max(newest, _tree_stats(h, folder))
    h.update((config.root / "mkdocs.yml").read_bytes())
    h.update(json.dumps({name: env.get(name) for name in _BUILD_ENV}, sort_keys=True).encode())
    h.update(now.date().isoformat().encode())
    for path in map(Path, db):
        try:
            st = path.stat()
            h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
            newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            h.update(f"{path}\0-\n".encode())
    return h.hexdigest(), newest


def _versions() -> str:
    lines = []
    for name in _VERSIONED:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} -")
    return "\n".join(lines)


def nothing_changed(config, target: Path, now: datetime, old: Mapping[str, Any]) -> BuildState | None:
    """Return the last build's state (old: last_state) when it was made from exactly what a build would be
    made from now (input_digest, over the theme folders and database files that build recorded) and its
    site is still in place as it left it; else None (build)."""
    if (not old or not old.get("inputs")
            or old.get("target") != str(target.resolve()) or old.get("folder") != _folder_id(target)):
        return None
    if old["inputs"] != input_digest(config, old.get("theme_dirs", ()), now, old.get("db_files", ())):
        return None
    if old.get("valid_until") and now >= datetime.fromisoformat(old["valid_until"]):
        return None   # a scheduled article is due
    if old.get("search_index") != _file_hash(target / "search" / "manifest.json"):
        return None
    fields = {f.name for f in dataclasses.fields(BuildState)}
    found = {k: v for k, v in old.items() if k in fields}
    found["warnings"] = tuple(tuple(w) for w in old.get("warnings", ()))
    return BuildState(**found)
