"""Load benchmark for the subscription service.

Starts `site-builder serve-subscriptions` (uvicorn, a subprocess, 127.0.0.1) on a throw-away project
with a SQLite file and the Maildir outbox, then from this process drives signups and one-click
unsubscribes over HTTP (httpx, bounded in count and time), reports requests/s and p50/p99 latency,
and checks that every accepted request is in the database.

    .venv/bin/python benchmarks/subscribers_load.py --signups 2000 --unsubscribes 2000 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.subscribers.links import unsubscribe_url  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_project(folder: Path, port: int) -> None:
    (folder / "mkdocs.yml").write_text(
        "site_name: 유어스\nsite_url: https://yours.example.org/\nextra:\n  site_builder:\n"
        "    office: {name: 부하 시험, address: 서울, email: bench@example.org}\n"
        "    subscriptions:\n"
        f"      url: http://127.0.0.1:{port}\n"
        "      consent_version: '1'\n"
        "      rate_limits: {per_address_mails_per_day: 3, per_ip_requests_per_hour: 10000000}\n",
        encoding="utf-8")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def drive(name: str, requests: list[tuple[str, dict]], concurrency: int, deadline: float,
                origin: str) -> dict:
    latencies: list[float] = []
    accepted: list[str] = []
    statuses: dict = {}
    queue = list(reversed(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(limits=limits, timeout=30, headers={"Origin": origin}) as client:
        async def worker():
            while queue and time.monotonic() < deadline:
                key, req = queue.pop()
                t0 = time.perf_counter()
                try:
                    r = await client.post(**req)
                except httpx.TransportError as exc:   # counted, not fatal: the check below still runs
                    statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code == 200:
                    accepted.append(key)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "phase": name, "requests": len(latencies), "accepted": len(accepted), "statuses": statuses,
        "seconds": round(elapsed, 2), "rps": round(len(latencies) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(latencies, 50), 1), "p99_ms": round(percentile(latencies, 99), 1),
        "accepted_keys": accepted,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signups", type=int, default=2000)
    ap.add_argument("--unsubscribes", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--time-limit", type=float, default=60, help="seconds per phase at most")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="subs-bench-"))
    port = free_port()
    write_project(folder, port)
    secret = secrets.token_urlsafe(48)
    env = dict(os.environ, SITE_BUILDER_SECRET=secret)
    env.pop("SITE_BUILDER_DATABASE_URL", None)
    env.pop("SITE_BUILDER_SMTP_URL", None)   # mail goes to the Maildir outbox
    log = open(folder / "server.log", "wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(folder), "serve-subscriptions",
         "--port", str(port), "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > until or server.poll() is not None:
                print("the service did not start:", (folder / "server.log").read_text()[-2000:], file=sys.stderr)
                return 1
            time.sleep(0.1)

        addresses = [f"bench{i}@example.com" for i in range(args.signups)]
        signup_reqs = [(a, {"url": f"{base}/subscribe", "data": {
            "email": a, "consent": "yes", "consent_version": "1", "website": "", "topics": ["kind:interview"]}})
            for a in addresses]
        signups = asyncio.run(drive("signup", signup_reqs, args.concurrency,
                                    time.monotonic() + args.time_limit, "https://yours.example.org"))

        db = sqlite3.connect(folder / "subscribers.db")
        ids = dict(db.execute("SELECT address, id FROM subscribers"))
        targets = [a for a in signups["accepted_keys"] if a in ids][: args.unsubscribes]
        unsub_reqs = [(a, {"url": unsubscribe_url(base, secret, ids[a], "bench"),
                           "files": {"List-Unsubscribe": (None, "One-Click")}}) for a in targets]
        unsubs = asyncio.run(drive("one-click unsubscribe", unsub_reqs, args.concurrency,
                                   time.monotonic() + args.time_limit, base))

        rows = dict(db.execute("SELECT address, status FROM subscribers"))
        hashes = {h for (h,) in db.execute("SELECT address_hash FROM suppressions")}
        by_addr_hash = dict(db.execute("SELECT address, address_hash FROM subscribers"))
        missing_signups = [a for a in signups["accepted_keys"] if a not in rows]
        missing_unsubs = [a for a in unsubs["accepted_keys"]
                          if rows.get(a) != "unsubscribed" or by_addr_hash.get(a) not in hashes]
        db.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    outbox = folder / "outbox" / "new"
    mails = len(list(outbox.iterdir())) if outbox.exists() else 0

    result = {
        "signups": {k: v for k, v in signups.items() if k != "accepted_keys"},
        "unsubscribes": {k: v for k, v in unsubs.items() if k != "accepted_keys"},
        "accepted_signups_missing_in_db": len(missing_signups),
        "accepted_unsubscribes_not_suppressed": len(missing_unsubs),
        "confirmation_mails_in_outbox": mails,
        "concurrency": args.concurrency,
        "server_log": str(folder / "server.log"),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        for phase in (signups, unsubs):
            print(f"{phase['phase']:>22}: {phase['requests']} requests in {phase['seconds']} s = {phase['rps']} req/s, "
                  f"p50 {phase['p50_ms']} ms, p99 {phase['p99_ms']} ms, statuses {phase['statuses']}")
        print(f"accepted signups missing in the database: {len(missing_signups)}")
        print(f"accepted unsubscribes not suppressed: {len(missing_unsubs)}")
        print(f"confirmation mails in the outbox: {mails}")
        print(f"server log: {folder / 'server.log'}")
    ok = not missing_signups and not missing_unsubs and signups["accepted"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
