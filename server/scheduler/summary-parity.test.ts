// Runs schedule() on every shared Pacemaker regression case and compares the
// Transition Summary lines with the stored crm_simulate output (whitespace
// normalised). The recorded number only goes up.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule } from "./index";

/** Cases whose Transition Summary currently matches crm_simulate's exactly. */
export const RECORDED_PASSING = 161;

const repoRoot = path.resolve(__dirname, "../..");
const dir = path.resolve(repoRoot, "../shared/pacemaker-scheduler");

function expectedSummary(text: string): string[] {
  const lines = text.split("\n");
  const i = lines.indexOf("Transition Summary:");
  const j = lines.indexOf("Executing Cluster Transition:");
  return lines.slice(i + 1, j < 0 ? undefined : j).filter((l) => l.trim() !== "");
}

const norm = (l: string) => l.replace(/\s+/g, " ").trim();

describe.runIf(existsSync(dir))("Transition Summary parity with crm_simulate on the shared cases", () => {
  it(`at least ${RECORDED_PASSING} cases match`, () => {
    const names = readdirSync(path.join(dir, "xml")).filter((f) => f.endsWith(".xml")).map((f) => f.slice(0, -4));
    const failing: string[] = [];
    for (const name of names) {
      const expected = expectedSummary(readFileSync(path.join(dir, "summary", `${name}.summary`), "utf8"));
      let got: string[];
      try {
        got = schedule(parseCibXml(readFileSync(path.join(dir, "xml", `${name}.xml`), "utf8")), { now: 1_700_000_000 }).summary;
      } catch (e) {
        got = [`error: ${(e as Error).message}`];
      }
      const same = got.length === expected.length && got.every((l, k) => norm(l) === norm(expected[k]));
      if (!same) failing.push(name);
    }
    const passing = names.length - failing.length;
    if (process.env.SHOW_FAILING || passing < RECORDED_PASSING) console.log(`failing: ${failing.join(" ")}`);
    expect(passing).toBeGreaterThanOrEqual(RECORDED_PASSING);
  }, 120_000);
});
