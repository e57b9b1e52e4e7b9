"""X (Twitter), opt-in only: every post is billed, and a post with a link costs about 13 times more.

Options: `accept_cost: true` (required: without it validate refuses every draft and says what a
post would cost), `api` (default https://api.x.com). Credentials: `token` (an OAuth 2.0 user
access token with tweet.write, tweet.read, users.read).

Weighted length from twitter-text v3 (Hangul 2, URLs 23, 280 max). Pay-per-use prices
(docs.x.com pricing, 2026): "Content: Create" $0.015, "Content: Create (with URL)" $0.200;
`render` puts the price of the draft in `extra["cost_usd"]` so dry-run can show it.
"""

from __future__ import annotations

from site_builder.publish.channel import Draft, DraftProblem, Post, PublishContext, Receipt
from site_builder.publish.channels.base import TextChannel, with_extra
from site_builder.publish.text import Limit, find_links, x_length
from site_builder.publish.signals import request

PRICE_PLAIN = 0.015
PRICE_WITH_URL = 0.200
RECENT_POSTS = 20


def post_cost(text: str) -> float:
    """Return what X bills for creating a post with this text, in US dollars."""
    return PRICE_WITH_URL if find_links(text) else PRICE_PLAIN


class XChannel(TextChannel):
    """An X account (opt-in, paid per post)."""

    name = "x"
    max_images = 0          # text and link only: media upload is a separate paid call
    hashtags_max = 2

    def limits(self, extra: dict) -> tuple[Limit, ...]:
        return (Limit(280, x_length, "(가중치)"),)

    def render(self, post: Post, account: str, options: dict) -> Draft:
        draft = super().render(post, account, options)
        cost = post_cost(draft.text)
        return with_extra(draft, cost_usd=cost, cost=f"${cost:.3f}" + (" (링크 포함 요금)" if cost == PRICE_WITH_URL else ""),
                          accept_cost=bool(options.get("accept_cost", False)),
                          cost_note=f"X 요금: 이 글 1건에 ${cost:.3f}" + (" (링크 포함 요금)" if cost == PRICE_WITH_URL else ""))

    def validate(self, draft: Draft) -> list[DraftProblem]:
        problems = super().validate(draft)
        if not draft.extra.get("accept_cost"):
            problems.append(DraftProblem("x", f"X는 글마다 요금이 듭니다 (이 글 ${draft.extra.get('cost_usd', PRICE_WITH_URL):.3f})",
                                         "올리려면 mkdocs.yml의 x 계정 설정에 accept_cost: true를 쓰세요"))
        return problems

    def _api(self, ctx: PublishContext) -> str:
        return str(ctx.options.get("api", "https://api.x.com")).rstrip("/")

    def _auth(self, ctx: PublishContext) -> dict[str, str]:
        return {"Authorization": f"Bearer {ctx.credentials.get('token', '')}"}

    def publish(self, draft: Draft, ctx: PublishContext) -> Receipt:
        reply = request(ctx.http, "POST", f"{self._api(ctx)}/2/tweets", network="x", action="글 올리기", now=ctx.now,
                        headers=self._auth(ctx), json={"text": draft.text}).json()
        tweet_id = reply["data"]["id"]
        return Receipt(remote_id=tweet_id, remote_url=f"https://x.com/i/web/status/{tweet_id}")

    def reconcile(self, draft: Draft, ctx: PublishContext) -> Receipt | None:
        """Return the account's recent post whose expanded link is the article's, None if none."""
        me = request(ctx.http, "GET", f"{self._api(ctx)}/2/users/me", network="x", action="계정 확인", now=ctx.now,
                     headers=self._auth(ctx)).json()["data"]
        recent = request(ctx.http, "GET", f"{self._api(ctx)}/2/users/{me['id']}/tweets", network="x",
                         action="최근 글 확인", now=ctx.now, headers=self._auth(ctx),
                         params={"max_results": RECENT_POSTS, "tweet.fields": "entities"}).json()
        for tweet in recent.get("data", []):
            urls = [u.get("expanded_url") for u in (tweet.get("entities") or {}).get("urls", [])]
            if draft.link in urls:
                return Receipt(remote_id=tweet["id"], remote_url=f"https://x.com/i/web/status/{tweet['id']}")
        return None

    def check_credentials(self, ctx: PublishContext) -> str:
        me = request(ctx.http, "GET", f"{self._api(ctx)}/2/users/me", network="x", action="토큰 확인", now=ctx.now,
                     headers=self._auth(ctx)).json()["data"]
        return f"x: @{me.get('username')} 계정 (글마다 요금: ${PRICE_PLAIN}, 링크 포함 ${PRICE_WITH_URL})"
