// How the e2e suite and the console benchmark start Debian's Chromium.
//
// Debian's Chromium (156 here) runs Playwright's `headless: true` as the full
// browser in headless mode, not as the small headless shell Playwright ships.
// That browser builds the omnibox's WebUI popup for every new tab: a
// "WebUI Top Renderer" process that loads ~400 chrome:// scripts. Measured on
// the 2-core VM (docs/performance-console.md, round of 2026-12-03 afternoon):
// ~1.1 s of CPU per opened page, which ran while the console's page loaded and
// made a 100x2000 dashboard load take 1.3-1.8 s instead of 0.75-0.95 s. It is
// the browser's own UI, not the page, so the suite turns it off.
//
// Chromium honours only the last --disable-features switch, so ours must also
// carry the features Playwright disables by default (PaintHolding, HTTPS
// upgrades, ...); they are read from the installed playwright-core, and a
// version whose list cannot be found fails loudly instead of dropping them.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const CHROMIUM = "/usr/bin/chromium";

/** The browser-UI features the suite turns off (both are needed: either one alone keeps the popup's renderer). */
export const EXTRA_DISABLED_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];

let playwrightFeatures: string[] | undefined;

/** Playwright's default `--disable-features` list, from the installed playwright-core (read once: a 3.6 MB file). */
export function playwrightDisabledFeatures(): string[] {
  if (playwrightFeatures) return playwrightFeatures;
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve("playwright-core/package.json")), "lib/coreBundle.js");
  const m = /disabledFeatures = \[([\s\S]*?)\]\.filter\(Boolean\)/.exec(readFileSync(file, "utf8"));
  const names = (m?.[1] ?? "")
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .flatMap((line) => [...line.matchAll(/"([A-Za-z0-9]+)"/g)].map((x) => x[1]));
  if (!names.length) {
    throw new Error(`e2e/chromium.ts: Playwright's default --disable-features list was not found in ${file}; update playwrightDisabledFeatures() for this playwright-core version`);
  }
  return (playwrightFeatures = names);
}

/**
 * Launch arguments for Debian's Chromium in the suite and the benchmark;
 * `browserUi: true` keeps the omnibox popup (the benchmark's before/after comparison).
 */
export function chromiumArgs({ extra = [], browserUi = false }: { extra?: string[]; browserUi?: boolean } = {}): string[] {
  const disabled = [...new Set([...playwrightDisabledFeatures(), ...(browserUi ? [] : EXTRA_DISABLED_FEATURES)])];
  return ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", ...extra, `--disable-features=${disabled.join(",")}`];
}
