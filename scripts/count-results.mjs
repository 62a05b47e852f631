// Adds up the per-test results that vitest and Playwright wrote as JSON and
// prints one closing line "N passed, N failed" for log readers.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0;
for (const name of ["vitest.json", "vitest-testbed.json"]) {
  const vt = join(dir, name);
  if (!existsSync(vt)) continue;
  const r = JSON.parse(readFileSync(vt, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites && !r.numFailedTests ? r.numFailedTestSuites : 0);
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
const pw = join(dir, "playwright.json");
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
const conf = join(dir, "conformance.txt");
if (existsSync(conf)) {
  const m = readFileSync(conf, "utf8").match(/^(\d+) passed, (\d+) failed/m);
  if (m) console.log(`conformance: ${m[1]} of ${Number(m[1]) + Number(m[2])} Pacemaker cases match`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
