import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { formatActionLine } from "./format";
import { cib, dummy, meta, running } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
// One instance allowed (clone-max=1); node2's history names a second instance "A:1", which is an orphan.
const run = (node2: [string, number, number, number][], node1Name = "A") => {
  const c = cib({ nodes: [{ name: "node1", history: { [node1Name]: running() } }, { name: "node2", history: { "A:1": node2 } }], resources: `<clone id="C">${meta("C", { "clone-max": "1" })}${dummy("A")}</clone>` });
  const r = schedule(c, { now: 1_700_000_000 });
  return { summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()), lines: r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim()) };
};

describe("an orphaned instance of an anonymous clone", () => {
  it("is stopped under the clone's configured id when some history of the clone uses that id", () => {
    for (const history of [running(), [["start", 0, 1, 5]] as [string, number, number, number][]]) {
      const r = run(history);
      expect(r.summary).toEqual(["* Stop A:1 ( node2 ) due to node availability"]);
      expect(r.lines).toContain("* Resource action: A stop on node2");
    }
  });

  it("keeps its numbered name when every history of the clone is numbered", () => {
    const r = run(running(), "A:0");
    expect(r.summary).toEqual(["* Stop A:1 ( node2 ) due to node availability"]);
    expect(r.lines).toContain("* Resource action: A:1 stop on node2");
  });
});
