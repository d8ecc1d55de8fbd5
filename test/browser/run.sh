#!/usr/bin/env bash
# Runs the browser tests: the n8n editor of `npm start` in headless Chromium (Debian's `chromium`, or
# CHROMIUM_PATH). Builds nothing: `npm test` builds the package first. Screenshots go to .artifacts/browser/.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/n8n/harness/install.sh >/dev/null
# Screenshots of this run only; each test file's session adds its own (a file's session must not clear another's).
rm -rf .artifacts/browser
exec node --import tsx --test --test-reporter=spec --test-concurrency=1 --test-timeout=600000 test/browser/*.test.ts
