#!/usr/bin/env bash
# The main job: installs, builds storagectl and runs its demo on the embedded default backend (memory).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/bin:$PATH" TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile >/dev/null
pnpm exec turbo run build --filter=@storagebackend/cli... --output-logs=errors-only >/dev/null
exec node packages/cli/dist/main.js demo "$@"
