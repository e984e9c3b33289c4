#!/usr/bin/env bash
# Benchmarks (not tests): builds, then measures each Store against its raw client in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/bin:$PATH" TURBO_TELEMETRY_DISABLED=1
bash scripts/ensure-services.sh
pnpm install --frozen-lockfile >/dev/null
pnpm exec turbo run build --output-logs=errors-only >/dev/null
exec node --expose-gc bench/run.mjs "$@"
