#!/usr/bin/env bash
# storagectl from a checkout: installs and builds what it needs (cached by turbo), then runs it in the caller's directory.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$here/scripts/bin:$PATH" TURBO_TELEMETRY_DISABLED=1
(cd "$here" && pnpm install --frozen-lockfile >/dev/null && pnpm exec turbo run build --filter=@storagebackend/cli... --output-logs=errors-only >/dev/null)
# npm runs scripts in the package root; storagectl works in the directory it was called from.
cd "${INIT_CWD:-$PWD}"
exec node "$here/packages/cli/dist/main.js" "$@"
