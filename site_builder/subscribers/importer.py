"""CSV import: every row checked first, problems reported with line numbers, then all rows or none."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import KST
from ..errors import Problem
from ..mail.message import AddressError, check_address
from .models import SUBSCRIBED, Subscriber, SubscriberTopic, Suppression
from .service import InputError, clean_name
from .settings import SubscriptionSettings
from .tokens import address_hash

REQUIRED_COLUMNS = ("email", "consent_basis")
KNOWN_COLUMNS = REQUIRED_COLUMNS + ("name", "topics", "consented_at", "consent_version")
MAX_ROWS = 200_000


@dataclass
class ImportReport:
    """What an import did or would do."""

    imported: int = 0
    skipped: list[tuple[int, str, str]] = field(default_factory=list)   # (line, address, why)
    problems: list[Problem] = field(default_factory=list)


def _parse_when(text: str) -> datetime:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.combine(date.fromisoformat(text), time(0, 0), KST).astimezone(timezone.utc)
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=KST)   # editors write Seoul time
    return value.astimezone(timezone.utc)


def import_csv(session: Session, settings: SubscriptionSettings, secret: bytes, path: Path | str,
               now: datetime) -> ImportReport:
    """Check every row of a CSV and, only if none has a problem, add the new subscribers to session.

    Columns: email, consent_basis (required: how consent was obtained, e.g. "2025 행사 현장 서면 동의"),
    and optionally name, topics (separated by spaces, commas or semicolons), consented_at (YYYY-MM-DD
    or ISO time, KST if no zone; default: now), consent_version. Addresses already on the list or
    suppressed are skipped and reported. The caller commits; on problems it must roll back.
    """
    path = Path(path)
    report = ImportReport()
    shown = str(path)

    def problem(line: int, fld: str, message: str, hint: str = "") -> None:
        report.problems.append(Problem(shown, line, fld, message, hint))

    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        problem(0, "file", f"cannot read: {exc.strerror}")
        return report
    with handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            problem(1, "header", f"missing column {', '.join(missing)}",
                    "the first line must name the columns, e.g. email,name,topics,consent_basis,consented_at")
            return report
        unknown = [c for c in columns if c not in KNOWN_COLUMNS]
        if unknown:
            problem(1, "header", f"unknown column {', '.join(unknown)}", f"use only {', '.join(KNOWN_COLUMNS)}")
            return report
        seen: dict[str, int] = {}
        rows = []
        for raw in reader:
            line = reader.line_num
            if line > MAX_ROWS:
                problem(line, "file", f"more than {MAX_ROWS} rows", "split the file")
                break
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
            if None in raw:
                problem(line, "row", "more fields than columns", "quote values that contain commas")
                continue
            if not any(row.values()):
                continue
            try:
                address = check_address(row.get("email", ""))
            except AddressError as exc:
                problem(line, "email", f"{row.get('email', '')!r}: {exc.reason}")
                continue
            if address in seen:
                problem(line, "email", f"{address} appears twice", f"first on line {seen[address]}")
                continue
            seen[address] = line
            basis = row.get("consent_basis", "")
            if not basis:
                problem(line, "consent_basis", "empty",
                        "write how this person consented, e.g. '2025-11 행사 현장 서면 동의서'; without it the row cannot be imported")
                continue
            try:
                consented = _parse_when(row["consented_at"]) if row.get("consented_at") else now
            except ValueError:
                problem(line, "consented_at", f"{row['consented_at']!r} is not a date", "write 2025-11-20")
                continue
            if consented > now:
                problem(line, "consented_at", f"{row['consented_at']} is in the future", "check the date")
                continue
            try:
                name = clean_name(row.get("name"))
            except InputError as exc:
                problem(line, "name", str(exc))
                continue
            topics = sorted({t for t in re.split(r"[\s,;]+", row.get("topics", "")) if t})
            bad = [t for t in topics if t not in settings.topics]
            if bad:
                problem(line, "topics", f"unknown topic {bad[0]!r}",
                        "use ids such as kind:interview, series:prep-diary, agenda:welfare")
                continue
            rows.append((line, address, name, topics, basis, consented, row.get("consent_version") or None))
    if report.problems:
        return report
    for line, address, name, topics, basis, consented, version in rows:
        digest = address_hash(secret, address)
        if session.get(Suppression, digest) is not None:
            report.skipped.append((line, address, "수신거부·삭제 목록에 있음"))
            continue
        if session.scalar(select(Subscriber.id).where(Subscriber.address == address)) is not None:
            report.skipped.append((line, address, "이미 목록에 있음"))
            continue
        row = Subscriber(address=address, address_hash=digest, name=name, status=SUBSCRIBED, created_at=now,
                         updated_at=now, consent_at=consented, consent_method=f"import:{basis}"[:100],
                         consent_version=version, consent_source=f"{Path(path).name}:{line}"[:300],
                         confirmed_at=consented)
        row.topics = [SubscriberTopic(topic=t) for t in topics]
        session.add(row)
        report.imported += 1
    session.flush()
    return report
