"""Delivery benchmark: N personalised, DKIM-signed messages into Postfix's smtp-sink on loopback.

    apt-get install -y postfix        # gives /usr/sbin/smtp-sink (a C program; the sink must not be the bottleneck)
    .venv/bin/python benchmarks/delivery_bench.py --recipients 100000 --connections 4 --dkim rsa

Runs the real path: a SQLite subscribers database with N subscribers, the ledger snapshot, the repo's
first newsletter issue rendered once, per-recipient links, RSA-2048 (or Ed25519, or both) DKIM, one
ledger row `sending` before and `sent` after each message. smtp-sink dumps every transaction (-D);
afterwards the dump is scanned for X-Rcpt-Args lines to count messages per recipient.
Reports messages/s, peak RSS, RSS at each 10% of the run (flat memory), and the per-recipient counts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa  # noqa: E402

from site_builder.catalog import load_catalog  # noqa: E402
from site_builder.config import load_config  # noqa: E402
from site_builder.delivery import Composer, RetryPolicy, Signer, key_from_pem, open_ledger, send_issue  # noqa: E402
from site_builder.delivery.prepare import issue_mail  # noqa: E402
from site_builder.delivery.settings import DeliverySettings  # noqa: E402
from site_builder.mail import SmtpSettings, SmtpTransport  # noqa: E402
from site_builder.newsletter import load_issues, render_issue  # noqa: E402
from site_builder.subscribers import open_store  # noqa: E402
from site_builder.subscribers.models import Subscriber  # noqa: E402
from site_builder.subscribers.tokens import address_hash  # noqa: E402

SECRET = b"benchmark-secret-0123456789abcdef0123456789"


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of this process (all threads), or of another one by pid."""
    if pid is None:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keys(kind: str):
    out = []
    if kind in ("rsa", "both"):
        k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        out.append(key_from_pem(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()), "yours.example.org", "rsa2026"))
    if kind in ("ed25519", "both"):
        k = ed25519.Ed25519PrivateKey.generate()
        out.append(key_from_pem(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption()), "yours.example.org", "ed2026"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recipients", type=int, default=100_000)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--batch", type=int, default=None, help="rows per connection per claim (default: the engine's)")
    ap.add_argument("--dkim", choices=["rsa", "ed25519", "both", "none"], default="rsa")
    ap.add_argument("--sink", default=shutil.which("smtp-sink") or "/usr/sbin/smtp-sink")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (database, dump)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="delivery-bench-"))
    port = free_port()
    sink_cmd = [args.sink] + (["-u", "root"] if os.geteuid() == 0 else []) + \
        ["-D", str(work / "dump"), f"127.0.0.1:{port}", "256"]
    sink = subprocess.Popen(sink_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        config = load_config(REPO)
        catalog = load_catalog(config)
        issues, _ = load_issues(config, catalog)
        issue = next(i for i in issues if not i.draft)
        rendered = render_issue(issue, catalog)
        mail = issue_mail(config, issue, rendered, DeliverySettings())
        composer = Composer(mail, SECRET, Signer(keys(args.dkim) if args.dkim != "none" else ()))

        store = open_ledger(open_store(f"sqlite:///{work / 'subscribers.db'}"))
        now = datetime(2025, 1, 1, tzinfo=timezone.utc)
        t0 = time.perf_counter()
        batch = []
        with store.session() as s, s.begin():
            for i in range(1, args.recipients + 1):
                a = f"user{i}@example.com"
                batch.append({"address": a, "address_hash": address_hash(SECRET, a), "name": f"구독자{i}",
                              "status": "subscribed", "created_at": now, "updated_at": now, "consent_at": now,
                              "confirmed_at": now})
                if len(batch) == 5000:
                    s.execute(Subscriber.__table__.insert(), batch)
                    batch = []
            if batch:
                s.execute(Subscriber.__table__.insert(), batch)
        setup = time.perf_counter() - t0
        sample = composer.build(__import__("site_builder.delivery.compose", fromlist=["Recipient"]).Recipient(
            1, "user1@example.com", "구독자1", now.date()))

        marks: list[tuple[int, float]] = []
        step = max(1, args.recipients // 10)
        done = {"n": 0}

        def progress(state: str, n: int) -> None:
            done["n"] += n
            if done["n"] % step == 0:
                marks.append((done["n"], round(rss_mb(), 1)))

        rss_before = rss_mb()
        extra = {} if args.batch is None else {"batch": args.batch}
        load_before = os.getloadavg()[0]
        cpu_before, sink_before = cpu_seconds(), cpu_seconds(sink.pid)
        report = send_issue(store, composer, SmtpTransport(SmtpSettings("127.0.0.1", port, timeout=60)),
                            issue_id=str(issue.number), slug=issue.slug, subject=issue.subject, topics=None,
                            secret=SECRET, connections=args.connections, policy=RetryPolicy(),
                            progress=progress, **extra)
        cpu_send, sink_send = cpu_seconds() - cpu_before, cpu_seconds(sink.pid) - sink_before
        load_after = os.getloadavg()[0]
        store.close()
    finally:
        sink.terminate()
        sink.wait(timeout=10)

    per = Counter()
    with open(work / "dump", "rb") as fh:
        for line in fh:
            if line.startswith(b"X-Rcpt-Args: <"):
                per[line[14:].split(b">", 1)[0].decode()] += 1
    histogram = Counter(per.values())
    missing = args.recipients - len(per)
    result = {
        "recipients": args.recipients,
        "connections": args.connections,
        "batch": args.batch,
        "dkim": args.dkim,
        "message_bytes": len(sample.data),
        "issue": f"{issue.number} {issue.slug}",
        "snapshot_and_send_seconds": round(report.elapsed, 2),
        "messages_per_second": round(report.sent_now / report.elapsed, 1),
        "cpu_seconds_sender_during_send": round(cpu_send, 2),
        "cpu_seconds_sink_during_send": round(sink_send, 2),
        "messages_per_sender_cpu_second": round(report.sent_now / cpu_send, 1) if cpu_send else None,
        "load_average_1min_before_after": [round(load_before, 2), round(load_after, 2)],
        "ledger_counts": {k: v for k, v in report.counts.items() if v},
        "subscriber_insert_seconds": round(setup, 2),
        "rss_mb_before_send": round(rss_before, 1),
        "rss_mb_during_send": marks,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "sink_messages": sum(per.values()),
        "sink_recipients": len(per),
        "sink_copies_per_recipient": {str(k): v for k, v in sorted(histogram.items())},
        "recipients_missing_at_sink": missing,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.keep:
        print(f"work folder: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    ok = missing == 0 and set(histogram) == {1}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
