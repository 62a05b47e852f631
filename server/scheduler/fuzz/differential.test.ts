// Yardstick 2 in CI: a fixed seeded batch of random CIBs, each run through Debian's
// crm_simulate and Vigil's scheduler; the number of agreeing revised placements must
// not fall below the recorded baseline (which only goes up). `npm run fuzz:scheduler`
// runs larger batches and saves minimized reproducers of every disagreement.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadCore } from "../../../scripts/conformance";
import { cleanupScratch, haveCrmSimulate, runFuzz } from "./differential";

const baseline = JSON.parse(readFileSync(path.join(__dirname, "baseline.json"), "utf8")) as { seed: number; count: number; minAgreed: number; maxSkipped: number };

describe("differential testing against crm_simulate", () => {
  it(`agrees on at least ${baseline.minAgreed} of ${baseline.count} seeded random CIBs`, { timeout: 300_000 }, async () => {
    expect(haveCrmSimulate()).toBe(true);
    const core = await loadCore();
    expect(core).toBeDefined();
    const rep = runFuzz({ count: baseline.count, seed: baseline.seed, core: core! });
    cleanupScratch();
    // The generator makes valid CIBs: a case may be skipped only because crm_simulate itself
    // crashed on it (2.1.5 has fatal assertions some valid CIBs reach), never because it
    // rejected the CIB.
    for (const why of rep.skippedWhy) expect(why).toMatch(/Triggered fatal assertion/);
    expect(rep.skipped).toBeLessThanOrEqual(baseline.maxSkipped);
    expect(rep.agreed).toBeGreaterThanOrEqual(baseline.minAgreed);
  });
});
