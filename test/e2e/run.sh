#!/usr/bin/env bash
# Runs the end-to-end tests against a real n8n. Builds nothing: `npm test` builds the package first.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/n8n/harness/install.sh >/dev/null
exec node --import tsx --test --test-reporter=spec --test-concurrency=1 test/e2e/*.test.ts
