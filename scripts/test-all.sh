#!/usr/bin/env bash
# `npm test`: every test of the project, in order of cost. Prints a closing
# "N passed, N failed" line that counts individual tests across all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1 NEXT_TELEMETRY_DISABLED=1 FORCE_COLOR=0
out=$(mktemp -d)
status=0
step() { echo; echo "=== $* ==="; }

step "typecheck"
if npx next typegen >/dev/null && npx tsc --noEmit; then echo "typecheck ok"; else echo "typecheck FAILED"; status=1; fi

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile="$out/vitest.json" || status=1

shared="$(cd .. && pwd)/shared/pacemaker-scheduler"
if [ -d "$shared" ] && [ -f scripts/conformance.ts ]; then
  step "scheduler conformance against Pacemaker's regression cases"
  node --import tsx scripts/conformance.ts "$shared" >"$out/conformance.txt" 2>&1
  rc=$?
  grep -v '^pass ' "$out/conformance.txt"
  [ "$rc" -eq 0 ] || status=1
fi

step "console build"
npx next build >"$out/next-build.log" 2>&1 || { cat "$out/next-build.log"; status=1; }

step "end-to-end tests (Playwright, Debian Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$out/playwright.json" npx playwright test --reporter=list,json || status=1

node scripts/count-results.mjs "$out" || true
exit $status
