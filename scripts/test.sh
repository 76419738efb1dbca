#!/usr/bin/env bash
# `npm test`: typecheck, unit tests (vitest), production build, browser tests (Playwright).
# Every step runs even when an earlier one failed (except Playwright, which needs the build);
# the last line printed is the summary `N passed, N failed[, N skipped]` over both runners.
set -uo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."

failed_steps=()
step() { echo; echo "==> $*"; }

mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

if [ ! -d node_modules ] || [ ! -x node_modules/.bin/next ]; then
  step "npm ci (node_modules missing)"
  npm ci || failed_steps+=("npm ci")
fi

step "browser"
bash scripts/ensure-browser.sh || failed_steps+=("ensure-browser")

step "typecheck: tsc --noEmit"
npx tsc --noEmit -p . || failed_steps+=("typecheck")

step "unit tests: vitest"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
# Failures are counted from test-results/vitest.json by the summary.

step "build: next build"
build_ok=1
AUTH_SECRET="build-only-$(date +%s)-$$" npx next build || { build_ok=0; failed_steps+=("next build"); }

if [ "$build_ok" = 1 ]; then
  step "browser tests: playwright"
  npx playwright test
  # Failures are counted from test-results/playwright.json by the summary.
else
  echo "Skipping Playwright: the build failed."
fi

step "summary"
summary_args=()
for s in "${failed_steps[@]+"${failed_steps[@]}"}"; do summary_args+=(--failed-step "$s"); done
node scripts/summarise-tests.mjs "${summary_args[@]+"${summary_args[@]}"}"
exit $?
