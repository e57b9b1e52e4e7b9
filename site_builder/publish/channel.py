"""The channel interface of the social publisher, and the values that cross it.

Every network is one module under `publish/channels/` exposing a class that satisfies `Channel`.
The publisher core (planning, the ledger, retries, kits, the CLI) only talks to channels through
this module, so adding a network is adding one module and one registry entry.

Contract (what must happen before what):
- `render` and `validate` are pure: no I/O, no clock, no network. Dry-run calls only these.
- `publish` performs the network requests for one draft through the injected `httpx.Client`
  (`PublishContext.http`) and returns a `Receipt` once the network has confirmed the post.
  The core commits the ledger row as `pending` (with `idempotency_key` and, for networks that take
  one, `record_key`) **before** calling `publish`, and as `sent` after it returns.
- `reconcile` is called for a row left `pending` by an interrupted run: it asks the network whether
  that attempt landed (Mastodon: resend with the same Idempotency-Key; Bluesky: `getRecord` on the
  pre-chosen record key; Meta: look for the link in recent posts). It returns the `Receipt` if it
  did, `None` if it certainly did not (safe to post again), and raises `Unknowable` where the
  network offers no way to tell (Telegram): the row becomes `unknown` for a person to decide.
- Failures are raised as the errors below, never as httpx exceptions: the core decides what to
  retry (`RateLimited`, `Transient`), what stops the channel (`AuthExpired`) and what is final
  (`Permanent`). Error messages never contain a token or other secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Literal, Protocol

import httpx


@dataclass(frozen=True)
class MediaItem:
    """One image (or video link) of a post: local file for upload, public URL for networks that fetch."""

    path: str            # absolute path of the file on disk (in the built site or content/)
    public_url: str      # absolute https URL of the same file on the public site
    alt: str             # alternative text (required by Instagram, sent everywhere that takes it)
    mime: str = "image/jpeg"
    width: int = 0
    height: int = 0
    size: int = 0        # bytes


@dataclass(frozen=True)
class Post:
    """What the publisher knows about one article (or newsletter web version) to syndicate; no MkDocs."""

    id: str              # the article's stable id (never changes, keys the ledger)
    kind: str            # interview | column | meeting | feature | cardnews | video | infographic | newsletter
    kind_label: str      # Korean label, e.g. 인터뷰, 카드뉴스
    title: str
    summary: str
    url: str             # canonical absolute URL of the page on the public site
    tags: tuple[str, ...] = ()
    media: tuple[MediaItem, ...] = ()   # card news: every slide in order; otherwise the lead/share image
    overrides: dict[str, str] = field(default_factory=dict)  # front matter `social: {<channel>: text}`
    date: datetime | None = None
    content_hash: str = ""
    body_html: str = ""  # the body as sanitized HTML with absolute URLs (site_builder.render.html.body_html); manual kits paste it


@dataclass(frozen=True)
class Draft:
    """One post as it will be sent to one channel account. Pure data: render's output, validate's input."""

    channel: str         # channel name, e.g. "mastodon"
    account: str         # account key from mkdocs.yml
    post_id: str
    text: str            # the full text as posted (link included where the network puts it in the text)
    link: str            # the article URL with this channel's UTM parameters
    media: tuple[MediaItem, ...] = ()
    hashtags: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)  # network-specific (Bluesky facets/embed, Graph carousel, ...)


@dataclass(frozen=True)
class DraftProblem:
    """Why a draft cannot be posted as it is (Korean, with the fix)."""

    field: str           # "text", "media[2]", "alt", ...
    message: str
    hint: str = ""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" + (f" — {self.hint}" if self.hint else "")


@dataclass(frozen=True)
class Receipt:
    """The network's confirmation of a post."""

    remote_id: str
    remote_url: str


@dataclass
class PublishContext:
    """What a channel needs at run time; built by the command layer."""

    http: httpx.Client                       # injected: tests pass httpx.MockTransport or a real local server
    credentials: dict[str, str]              # this account's secrets, from the environment / a file outside the repo
    options: dict                            # this account's options from mkdocs.yml
    idempotency_key: str = ""                # stable per (post, channel, account), committed before publish
    record_key: str = ""                     # pre-chosen remote key where the network accepts one (Bluesky rkey)
    sleep: Callable[[float], None] = lambda seconds: None  # for polling (media processing, Graph containers); injected
    now: Callable[[], datetime] | None = None               # injected clock


class PublishError(Exception):
    """Base of the errors a channel raises. `str()` is a Korean message with no secret in it."""


class RateLimited(PublishError):
    """The network said to wait: `retry_after` seconds (already normalised from its own signal)."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class Transient(PublishError):
    """A network error or 5xx: try again later (the core applies backoff with jitter)."""


class AuthExpired(PublishError):
    """The token is expired or revoked: stop this channel, touch nothing else, tell the operator."""


class Permanent(PublishError):
    """The network refused the post for good (validation, policy): do not retry."""


class Unknowable(PublishError):
    """`reconcile` cannot tell whether an interrupted attempt landed; a person must check."""


class Channel(Protocol):
    """One social network (API) or one hand-published platform (manual kit)."""

    name: str                                # "mastodon", "bluesky", "facebook", "instagram", "threads", "telegram", "x", ...
    kind: Literal["api", "manual"]

    def render(self, post: Post, account: str, options: dict) -> Draft:
        """Return the draft for this post on this account (pure)."""
        ...

    def validate(self, draft: Draft) -> list[DraftProblem]:
        """Return every reason the network would refuse the draft, counted the network's way (pure)."""
        ...

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        """Post the draft; raise a PublishError subclass on failure."""
        ...

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Did an interrupted attempt land? Receipt if yes, None if certainly not; raises Unknowable."""
        ...

    def check_credentials(self, ctx: PublishContext) -> str:
        """A harmless authenticated call (doctor); return a Korean one-line status, raise AuthExpired."""
        ...
