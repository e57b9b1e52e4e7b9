"""A reader's whole journey in Debian's chromium, deployed as in production (site and service on two
loopback origins): subscribe from the site's form, confirm from the mail, change preferences and give the
separate advertising consent, export, answer a newsletter's question, unsubscribe from a newsletter's link,
delete. Every page is Korean, nothing answers 4xx/5xx, no English error text; every answer link of a
composed newsletter records the answer whose label was clicked; a page on a third origin that auto-submits
a form to the service is refused."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from site_builder.subscribers import Answer, Subscriber, preferences_url, register_question
from site_builder.signup import MAX_ADDRESS, MAX_NAME
from site_builder.subscribers.tokens import address_hash
from site_builder.tools import browser

from .journey_parts import ENGLISH_ERRORS, HANGUL, NOW, SECRET, compose_issue, deploy, text_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    dep = deploy(tmp_path_factory.mktemp("journey"))
    yield dep
    dep.close()


class Journey:
    """One browser context; records every response, and checks each page a reader lands on."""

    def __init__(self, chromium) -> None:
        self.outside = browser.Outside()
        self.context = browser.new_context(chromium, 1280, "light", self.outside)
        self.responses: list[tuple[int, str]] = []
        self.context.on("response", lambda r: self.responses.append((r.status, r.url)))
        self.page = self.context.new_page()
        self.steps: list[str] = []

    def check(self, step: str, expect: str) -> str:
        """The page now shown must be Korean, free of English error text, and say `expect`."""
        self.steps.append(step)
        text = self.page.inner_text("body")
        assert self.page.evaluate("document.documentElement.lang") == "ko", f"{step}: page is not lang=ko"
        assert len(HANGUL.findall(text)) > 20, f"{step}: page is not Korean:\n{text[:500]}"
        english = ENGLISH_ERRORS.findall(text)
        assert not english, f"{step}: English error text {english} on the page:\n{text[:500]}"
        assert expect in text, f"{step}: expected '{expect}' on the page; it says:\n{text[:800]}"
        return text

    def failures(self) -> list[str]:
        return [f"{status} {url}" for status, url in self.responses if status >= 400]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(chromium):
    made = Journey(chromium)
    yield made
    made.close()


def _seed(dep, address: str) -> int:
    with dep.store.session() as s, s.begin():
        row = Subscriber(address=address, address_hash=address_hash(SECRET, address), status="subscribed",
                         created_at=NOW, updated_at=NOW, consent_at=NOW, confirmed_at=NOW, consent_method="form",
                         consent_version=dep.settings.consent_version)
        s.add(row)
        s.flush()
        return row.id


def _answer_links(msg) -> list[tuple[str, str]]:
    """(label, href) of the answer buttons of a composed newsletter's HTML part."""
    html = msg.get_body(("html",)).get_content()
    return [(re.sub(r"<[^>]+>", "", label).strip(), href) for href, label in
            re.findall(r'<a class="answer" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)]


def test_a_reader_subscribes_confirms_manages_answers_unsubscribes_and_deletes(deployed, journey) -> None:
    dep, page = deployed, journey.page
    address = "minji@example.com"

    # 1-2. the site's signup form, posted across origins to the service
    page.goto(dep.site_base + "subscribe/")
    journey.check("구독 페이지", "개인정보 수집·이용")
    ad_box = page.locator("input[name=ad_consent]")
    assert ad_box.count() == 1 and not ad_box.is_checked(), "the advertising consent is a separate, unchecked box"
    assert "광고성 정보" in page.inner_text("form.sb-form")
    # the site's form has the service's own limits (one constant)
    assert page.get_attribute("#sb-name", "maxlength") == str(MAX_NAME)
    assert page.get_attribute("#sb-email", "maxlength") == str(MAX_ADDRESS)
    page.fill("#sb-email", address)
    page.fill("#sb-name", "김민지")
    page.check("#sb-consent")
    page.get_by_role("button", name="구독 신청").click()
    journey.check("신청 결과", "메일함을 확인해 주세요")

    # 3-4. the confirmation mail's link, then the button
    confirm = re.search(re.escape(dep.service_base) + r"/confirm/\S+", text_of(dep.inbox.wait(address, 1))).group(0)
    page.goto(confirm)
    journey.check("구독 확인 페이지", "아래 버튼을 누르면 구독이 확정됩니다")
    page.get_by_role("button", name="구독 확인").click()
    journey.check("구독 확정", "구독이 확정되었습니다")
    dep.inbox.wait(address, 2)   # the consent-result mail

    # 5-6. preferences: a topic and the advertising consent
    page.get_by_role("link", name="구독 설정 바꾸기").click()
    journey.check("구독 설정", "받는 주소")
    prefs = page.url
    page.get_by_label("인터뷰").check()
    page.get_by_label(re.compile("광고성 정보 수신에 동의합니다")).check()
    page.get_by_role("button", name="저장하기").click()
    journey.check("설정 저장", "저장했습니다")
    with dep.store.session() as s:
        row = s.scalar(select(Subscriber).where(Subscriber.address == address))
        assert row.topic_ids == ["kind:interview"]
        assert row.ad_consent_version == dep.settings.ad_consent_version and row.ad_consent_at == NOW
        sid = row.id

    # 7. export
    with page.expect_download() as download:
        page.get_by_role("button", name="내 정보 내려받기").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["address"] == address and data["ad_consent_version"] == dep.settings.ad_consent_version
    journey.steps.append("내보내기")

    # 8-9. a composed newsletter: every answer button records its own label
    others = [(_seed(dep, f"reader{i}@example.com"), f"reader{i}@example.com", None) for i in range(5)]
    issue, mails = compose_issue(dep, 1, [(sid, address, "김민지"), *others])
    labels = list(issue.feedback.answers)
    with dep.store.session() as s, s.begin():
        register_question(s, str(issue.number), issue.feedback.id, issue.feedback.text, labels)
    mine = _answer_links(mails[address])
    assert [label for label, _ in mine] == labels
    clicks = [(address, 1)] + [(a, i) for i, (_sid, a, _n) in enumerate(others) if i != 1]
    for who, index in clicks:
        page.set_content(mails[who].get_body(("html",)).get_content())
        page.get_by_role("link", name=labels[index], exact=True).click()
        journey.check(f"답 '{labels[index]}'", f"고른 답: {labels[index]}")
        page.get_by_role("button", name="이 답 보내기").click()
        journey.check(f"답 '{labels[index]}' 기록", "의견을 받았습니다")
    with dep.store.session() as s:
        stored = {a.subscriber_id: a.answer_index for a in s.scalars(
            select(Answer).where(Answer.question_id == issue.feedback.id))}
    ids = {a: i for i, a, _ in others} | {address: sid}
    assert stored == {ids[who]: index for who, index in clicks}, "the stored answer is the label that was clicked"

    # 10-11. unsubscribe from the newsletter's link
    page.set_content(mails[address].get_body(("html",)).get_content())
    page.locator("a.unsubscribe").last.click()
    journey.check("수신거부 페이지", "더 이상 뉴스레터를 보내지 않습니다")
    page.get_by_role("button", name="수신거부").click()
    journey.check("수신거부 처리", "수신거부를 처리했습니다")

    # 12. delete
    page.goto(prefs)
    journey.check("구독 설정 (해지 뒤)", "수신거부")
    page.check("input[name=confirm_delete]")
    page.get_by_role("button", name="내 정보 삭제하기").click()
    journey.check("삭제", "내 정보를 삭제했습니다")
    with dep.store.session() as s:
        assert s.scalar(select(Subscriber).where(Subscriber.address == address)) is None

    assert journey.failures() == [], f"responses of 400 or more during the journey: {journey.failures()}"
    assert journey.outside.urls == [], f"requests left 127.0.0.1: {journey.outside.urls}"


ATTACK = """<!doctype html><html lang="ko"><meta charset="utf-8"><title>경품 이벤트</title>
<form method="post" action="{action}">{fields}</form>
<script>document.forms[0].submit()</script></html>"""


@pytest.mark.parametrize("target", ["subscribe", "preferences", "manage"])
def test_a_form_auto_submitted_from_another_site_is_refused(deployed, journey, tmp_path, target) -> None:
    from site_builder.build.server import serve_site

    dep, page = deployed, journey.page
    victim = f"victim-{target}@example.com"
    fields = {"email": victim, "consent": "yes", "consent_version": dep.settings.consent_version}
    action = f"{dep.service_base}/{target}"
    if target == "preferences":
        sid = _seed(dep, victim)
        action = preferences_url(dep.settings, SECRET, sid, now=NOW)
        # even with a valid CSRF token (which a real attacker cannot read), the foreign origin is refused
        journey.page.goto(action)
        token = page.locator("input[name=csrf]").first.get_attribute("value")
        fields = {"csrf": token, "name": "해커", "ad_consent": "yes"}
    hidden = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    (tmp_path / "index.html").write_text(ATTACK.format(action=action, fields=hidden), encoding="utf-8")
    with serve_site(tmp_path) as evil:
        assert evil.rstrip("/") not in (dep.site_base.rstrip("/"), dep.service_base)
        with page.expect_response(lambda r: r.url == action and r.request.method == "POST") as posted:
            page.goto(evil)
        assert posted.value.status == 403
        page.wait_for_load_state()
        journey.check("다른 사이트의 요청", "요청을 처리할 수 없습니다")
    with dep.store.session() as s:
        row = s.scalar(select(Subscriber).where(Subscriber.address == victim))
        if target == "preferences":
            assert row.name is None and row.ad_consent_at is None
        else:
            assert row is None
