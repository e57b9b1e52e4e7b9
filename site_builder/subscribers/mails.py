"""The service's own mails (Korean): confirm, already subscribed, welcome, re-consent, manage link, deleted."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from html import escape

from ..config import KST
from ..mail import build_message, format_address
from .settings import SubscriptionSettings


def _footer(settings: SubscriptionSettings) -> str:
    o = settings.office
    lines = [f"보낸 곳: {o.name or settings.brand}"]
    if o.address:
        lines.append(f"주소: {o.address}")
    contact = " / ".join(x for x in (o.phone, o.email) if x)
    if contact:
        lines.append(f"문의: {contact}")
    return "\n".join(lines)


def _compose(
    settings: SubscriptionSettings, to: str, name: str | None, subject: str, paragraphs: list[str],
    link: tuple[str, str] | None, now: datetime,
) -> EmailMessage:
    text_parts = list(paragraphs)
    html_parts = [f"<p>{escape(p)}</p>" for p in paragraphs]
    if link:
        label, url = link
        text_parts.append(f"{label}: {url}")
        html_parts.append(f'<p><a href="{escape(url)}">{escape(label)}</a></p>'
                          f'<p style="font-size:13px;color:#555">링크가 열리지 않으면 주소를 복사해 브라우저에 붙여 넣으세요: '
                          f'{escape(url)}</p>')
    footer = _footer(settings)
    text = "\n\n".join(text_parts) + "\n\n--\n" + footer + "\n"
    html = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">'
        f"<title>{escape(subject)}</title></head>"
        '<body style="font-family:\'Apple SD Gothic Neo\',\'Malgun Gothic\',\'맑은 고딕\',\'Noto Sans KR\',sans-serif;'
        'line-height:1.6;color:#111">'
        + "".join(html_parts)
        + f'<hr><p style="font-size:12px;color:#555">{"<br>".join(escape(x) for x in footer.splitlines())}</p>'
        "</body></html>"
    )
    sender = Address(display_name=settings.sender_name, addr_spec=settings.sender_address)
    return build_message(
        sender=sender, to=format_address(to, name), subject=subject, text=text, html=html, date=now,
        reply_to=settings.reply_to or None,
        headers={"Auto-Submitted": "auto-generated"},
    )


def confirm_mail(settings: SubscriptionSettings, to: str, name: str | None, url: str, now: datetime) -> EmailMessage:
    """Return the double opt-in mail with the confirmation link."""
    hours = settings.confirm_hours
    return _compose(settings, to, name, f"[{settings.brand}] 뉴스레터 구독을 확인해 주세요", [
        f"{settings.brand} 뉴스레터 구독 신청을 받았습니다.",
        f"아래 링크를 열고 '구독 확인' 버튼을 누르면 구독이 시작됩니다. 링크는 {hours}시간 동안 한 번만 쓸 수 있습니다.",
        "직접 신청하지 않으셨다면 이 메일을 무시하세요. 확인하지 않으면 구독되지 않고, 입력된 정보는 며칠 안에 지워집니다.",
    ], ("구독 확인하기", url), now)


def already_subscribed_mail(
    settings: SubscriptionSettings, to: str, name: str | None, preferences: str, now: datetime
) -> EmailMessage:
    """Return the mail sent when a subscribed address signs up again (the page says nothing)."""
    return _compose(settings, to, name, f"[{settings.brand}] 이미 구독 중입니다", [
        f"이 주소로 {settings.brand} 뉴스레터 구독 신청이 다시 들어왔습니다. 이미 구독 중이어서 따로 하실 일은 없습니다.",
        "관심 주제를 바꾸거나 구독을 해지하려면 아래 링크를 여세요. 직접 신청하지 않으셨다면 이 메일을 무시하셔도 됩니다.",
    ], ("구독 설정 바꾸기", preferences), now)


def welcome_mail(
    settings: SubscriptionSettings, to: str, name: str | None, consent_at: datetime, preferences: str, now: datetime,
    *, ad_consent_at: datetime | None = None,
) -> EmailMessage:
    """Return the notice of the consent's result (정보통신망법 50조⑦), with the preferences link."""
    day = consent_at.astimezone(KST).date().isoformat()
    lines = [
        f"{settings.brand} 뉴스레터 수신에 동의하셨습니다.",
        f"보낸 곳: {settings.office.name or settings.brand} / 수신동의일: {day} / 처리 내용: 수신 동의",
    ]
    if settings.ad_consent_version:
        if ad_consent_at is not None:
            lines.append(f"광고성 정보 수신: 동의 ({ad_consent_at.astimezone(KST).date().isoformat()}). "
                         "구독 설정에서 언제든 철회할 수 있습니다.")
        else:
            lines.append("광고성 정보 수신: 동의하지 않음. 광고성 정보가 담긴 호는 보내지 않습니다.")
    lines.append("언제든 모든 메일 아래의 '수신거부' 링크나 아래 구독 설정 페이지에서 무료로 해지할 수 있습니다.")
    return _compose(settings, to, name, f"[{settings.brand}] 구독이 시작되었습니다 (수신동의 처리 결과 안내)",
                    lines, ("구독 설정 바꾸기", preferences), now)


def ad_consent_mail(settings: SubscriptionSettings, to: str, name: str | None, given: bool,
                    now: datetime) -> EmailMessage:
    """Return the notice of an advertising consent given or withdrawn in the preferences (정보통신망법 50조⑦)."""
    day = now.astimezone(KST).date().isoformat()
    what = "수신 동의" if given else "수신동의 철회"
    return _compose(settings, to, name, f"[{settings.brand}] 광고성 정보 {what} 처리 결과 안내", [
        f"보낸 곳: {settings.office.name or settings.brand} / 처리일: {day} / 처리 내용: 광고성 정보 {what}",
        ("광고성 정보가 담긴 뉴스레터도 보내 드립니다. 구독 설정에서 언제든 철회할 수 있습니다." if given else
         "광고성 정보가 담긴 호는 더 이상 보내지 않습니다. 뉴스레터 구독은 그대로입니다."),
    ], None, now)


def reconsent_mail(
    settings: SubscriptionSettings, to: str, name: str | None, consent_at: datetime, deadline: datetime,
    url: str, now: datetime,
) -> EmailMessage:
    """Return the two-yearly re-consent mail: sender, consent date, and how to keep or withdraw."""
    day = consent_at.astimezone(KST).date().isoformat()
    until = deadline.astimezone(KST).date().isoformat()
    return _compose(settings, to, name, f"[{settings.brand}] 뉴스레터를 계속 받으시겠어요? (수신동의 재확인)", [
        f"{settings.office.name or settings.brand}입니다. {day}에 {settings.brand} 뉴스레터 수신에 동의하셨습니다.",
        f"개인정보는 2년마다 다시 동의를 받아야 보관할 수 있습니다. 계속 받으시려면 {until}까지 아래 링크에서 "
        "'계속 받기' 버튼을 눌러 주세요.",
        f"답이 없으면 {until} 이후 메일 발송을 멈추고 이메일 주소와 이름 등 개인정보를 파기합니다.",
    ], ("계속 받기", url), now)


def manage_mail(settings: SubscriptionSettings, to: str, name: str | None, url: str, now: datetime) -> EmailMessage:
    """Return the mail carrying a short-lived link to view, export or delete one's data."""
    return _compose(settings, to, name, f"[{settings.brand}] 내 구독 정보 관리 링크", [
        "내 구독 정보를 보거나 내려받거나 삭제할 수 있는 링크를 보내 드립니다.",
        f"링크는 {settings.manage_link_hours}시간 동안 쓸 수 있습니다. 직접 요청하지 않으셨다면 무시하세요.",
    ], ("내 정보 관리하기", url), now)


def deleted_mail(settings: SubscriptionSettings, to: str, name: str | None, now: datetime) -> EmailMessage:
    """Return the notice that the subscriber's personal data has been deleted (PIPA 36조)."""
    return _compose(settings, to, name, f"[{settings.brand}] 개인정보를 삭제했습니다", [
        f"요청하신 대로 {settings.brand} 뉴스레터 구독 정보(이메일 주소, 이름, 관심 주제, 동의 기록)를 삭제했습니다.",
        "다시 메일을 보내지 않도록, 주소를 되돌릴 수 없게 변환한 값만 수신거부 목록에 남깁니다.",
    ], None, now)


def withdrawal_mail(settings: SubscriptionSettings, to: str, name: str | None, now: datetime) -> EmailMessage:
    """Return the notice of a withdrawal's result (sent only when notify_withdrawal is on)."""
    day = now.astimezone(KST).date().isoformat()
    return _compose(settings, to, name, f"[{settings.brand}] 수신거부 처리 결과 안내", [
        f"보낸 곳: {settings.office.name or settings.brand} / 수신거부일: {day} / 처리 내용: 수신 거부",
        "더 이상 뉴스레터를 보내지 않습니다.",
    ], None, now)
