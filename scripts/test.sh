#!/usr/bin/env bash
# Runs every test of every package: installs what is missing, builds, type-checks, tests, and prints a summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/bin:$PATH" TURBO_TELEMETRY_DISABLED=1
bash scripts/ensure-services.sh
pnpm install --frozen-lockfile
rm -f packages/*/.vitest-results.json
pnpm exec turbo run build lint --output-logs=errors-only
status=0
# One package at a time: the machine has two cores and several suites start their own servers.
pnpm exec turbo run test --concurrency=1 --continue || status=$?
node scripts/summarize-tests.mjs || status=$?
exit $status
