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

# Tests on the SSH test bed (network namespaces, real sshd) time host loss and
# rejoin; they run after the rest, one file at a time, so CPU contention from
# parallel test files cannot stretch those timings.
bed_tests="server/executor/ssh-transport.test.ts server/fencing/fencer.testbed.test.ts server/hosts/hosts.e2e.test.ts"
excludes=""
for f in $bed_tests; do excludes="$excludes --exclude $f"; done

step "unit and integration tests (vitest)"
npx vitest run $excludes --reporter=default --reporter=json --outputFile="$out/vitest.json" || status=1

step "test-bed tests: real SSH hosts in network namespaces (vitest, one file at a time)"
npx vitest run $bed_tests --no-file-parallelism --reporter=default --reporter=json --outputFile="$out/vitest-testbed.json" || status=1

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
