"""Every form of the service is gated the same way: a POST from another site, or without the page's CSRF
token, is refused with 403 before anything is stored or mailed; the same POST from the page itself works."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, text

from site_builder.subscribers import answer_url, preferences_url

from .conftest import BASE, SECRET, SITE_HEADERS, csrf_of, link_in, signup_form
from .test_service_helpers import subscribed

pytestmark = pytest.mark.anyio
OWN = {"Origin": BASE}
EVIL = {"Origin": "https://evil.example"}


def every_row(store) -> list:
    tables = MetaData()
    tables.reflect(store.engine)
    with store.engine.connect() as conn:
        return [(table.name, tuple(row)) for table in tables.sorted_tables
                for row in conn.execute(text(f'SELECT * FROM "{table.name}"'))]


async def form_page(form: str, client, inbox, store, clock) -> tuple[str, dict]:
    """The URL a form posts to and the fields its page's form sends, for a subscribed reader."""
    sid = subscribed(store, "reader@example.com", clock.now, topics=["kind:interview"])
    prefs = preferences_url(BASE, SECRET, sid, now=clock.now)
    if form == "confirm":
        await client.post("/subscribe", data=signup_form("new@example.com"), headers=SITE_HEADERS)
        url, fields = link_in(inbox.last_to("new@example.com"), "/confirm/"), {}
    elif form == "preferences":
        url, fields = prefs, {"topics": ["agenda:welfare"]}
    elif form == "export":
        url, fields = prefs + "/export", {}
    elif form == "delete":
        url, fields = prefs + "/delete", {"confirm_delete": "yes"}
    elif form == "answer":
        url, fields = answer_url(BASE, SECRET, sid, "9", "q-9", 1, now=clock.now), {}
    else:
        url, fields = f"{BASE}/manage", {"email": "reader@example.com"}
    page = await client.get(prefs if form in ("export", "delete") else url)
    assert page.status_code == 200, page.text
    return url, fields | {"csrf": csrf_of(page.text)}


@pytest.mark.parametrize("form", ["confirm", "preferences", "export", "delete", "answer", "manage"])
async def test_a_form_posted_from_another_site_or_without_its_token_changes_nothing(form, client, inbox, store,
                                                                                   clock):
    url, fields = await form_page(form, client, inbox, store, clock)
    rows, mails = every_row(store), len(inbox.envelopes)
    without_token = {k: v for k, v in fields.items() if k != "csrf"}
    for data, headers in [(fields, EVIL), (fields, {"Origin": "null"}), (without_token, OWN),
                          (fields | {"csrf": fields["csrf"][:-2] + "AA"}, OWN)]:
        refused = await client.post(url, data=data, headers=headers)
        assert refused.status_code == 403, (headers, data)
        assert "요청을 처리할 수 없습니다" in refused.text
    assert every_row(store) == rows
    assert len(inbox.envelopes) == mails
    # the very same form from the page itself goes through: it was the origin or the token that was refused
    accepted = await client.post(url, data=fields, headers=OWN)
    assert accepted.status_code == 200, accepted.text
    assert every_row(store) != rows


async def test_a_bad_link_is_answered_before_the_form_is_looked_at(client):
    for path in ["/preferences/garbage", "/preferences/garbage/export", "/preferences/garbage/delete",
                 "/a/garbage", "/u/garbage"]:
        r = await client.post(path, data={"csrf": "x"}, headers=EVIL)
        assert r.status_code == 400 and "링크를 확인할 수 없습니다" in r.text, path
