#!/usr/bin/env bash
# Runs the subscriber tests against a real PostgreSQL server: a throwaway cluster on a loopback
# port, started here and removed on exit. Installs Debian's postgresql when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pgbin)" ]; then
  echo "installing Debian package: postgresql"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
BIN="$(pgbin)"
DATA="$(mktemp -d)"
PORT="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
AS=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$DATA"
  AS=(runuser -u postgres --)
fi
cleanup() { "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap cleanup EXIT
"${AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DATA" start >/dev/null
SITE_BUILDER_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres" \
  .venv/bin/python -m pytest tests/subscribers tests/publish/test_ledger.py -q -p no:cacheprovider
