import { describe, expect, it } from "vitest";
import path from "node:path";
import { compareSummary, listCases, loadCore, recordedBaseline, runCase, formatCaseLine } from "./conformance";

const shared = path.resolve(__dirname, "../../shared/pacemaker-scheduler");

describe("summary comparison", () => {
  const base = [
    "Current cluster status:",
    "  * Node List:",
    "    * Online: [ node1 ]",
    "",
    "Transition Summary:",
    "  * Start      a     ( node1 )",
    "",
    "Executing Cluster Transition:",
    "  * Resource action: a               monitor on node1",
    "  * Resource action: a               start on node1",
    "",
    "Revised Cluster Status:",
    "  * Node List:",
    "    * Online: [ node1 ]",
  ].join("\n");

  it("ignores whitespace and blank lines, and the order of executed actions", () => {
    const other = base
      .replace("Start      a     ( node1 )", "Start a ( node1 )")
      .replace(
        "  * Resource action: a               monitor on node1\n  * Resource action: a               start on node1",
        "  * Resource action: a start on node1\n\n  * Resource action: a monitor on node1",
      );
    expect(compareSummary(base, other)).toEqual({ sections: [], firstDiff: undefined });
  });

  it("names the sections that differ and the first differing lines", () => {
    const other = base.replace("Start      a     ( node1 )", "Start      a     ( node2 )").replace("start on node1", "start on node2");
    const r = compareSummary(base, other);
    expect(r.sections).toEqual(["transition-summary", "executing"]);
    expect(r.firstDiff).toEqual({ section: "transition-summary", expected: "*Starta(node1)", actual: "*Starta(node2)" });
    expect(formatCaseLine({ name: "x", pass: false, ...r })).toBe(
      'FAIL x [transition-summary,executing] transition-summary: expected "*Starta(node1)", got "*Starta(node2)"',
    );
    // an executed action that is missing counts even when the rest is the same multiset
    expect(compareSummary(base, base.replace("  * Resource action: a               monitor on node1\n", "")).sections).toEqual(["executing"]);
  });
});

describe("conformance on Pacemaker's regression cases", () => {
  it("passes at least the recorded number of cases", async () => {
    const core = await loadCore();
    expect(core).toBeDefined();
    const cases = listCases(shared);
    expect(cases.length).toBe(162);
    const passed = cases.filter((n) => runCase(shared, n, core!).pass).length;
    expect(passed).toBeGreaterThanOrEqual(recordedBaseline(shared));
  });
});
