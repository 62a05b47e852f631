import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { formatActionLine } from "./format";
import { cib, dummy, meta, type NodeSpec } from "./test-helpers";

// Our own CIBs; every expectation was checked with crm_simulate 2.1.5 on the same CIB.
const NOW = { now: 1_700_000_000 };
const off = (id: string) => dummy(id, meta(id, { "target-role": "Stopped" }), false);
const plain = (id: string) => dummy(id, "", false);
// X or Y (either will do), then Z
const anyThenZ = (attrs = "") =>
  `<rsc_order id="any-order"${attrs}><resource_set id="any-of" sequential="false" require-all="false"><resource_ref id="X"/><resource_ref id="Y"/></resource_set>` +
  `<resource_set id="after"><resource_ref id="Z"/></resource_set></rsc_order>`;
const allRunningOn = (name: string): NodeSpec => ({ name, history: { X: [["start", 0, 0, 5]], Y: [["start", 0, 0, 6]], Z: [["start", 0, 0, 7]] } });

function run(nodes: NodeSpec[], resources: string, constraints: string, rscDefaults?: Record<string, string>) {
  const r = schedule(cib({ nodes, resources, constraints, rscDefaults }), NOW);
  return {
    summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()),
    lines: r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim()),
    /** whether the transition orders action `then` after action `first` (by key) */
    ordered: (first: string, then: string) => {
      const id = (key: string) => r.transition.actions.find((a) => a.key === key)?.id;
      return r.transition.edges.some((e) => e.first === id(first) && e.then === id(then));
    },
  };
}

describe("ordered sets with require-all=false", () => {
  it("start the next set once one member can start, shown by a one-or-more pseudo action", () => {
    const { summary, lines, ordered } = run([{ name: "n1" }, { name: "n2" }], off("X") + plain("Y") + plain("Z"), anyThenZ());
    expect(summary).toEqual(["* Start Y ( n1 )", "* Start Z ( n2 )"]);
    expect(lines).toContain("* Pseudo action: one-or-more:any-of");
    expect(ordered("Y_start_0", "one-or-more:any-of")).toBe(true);
    expect(ordered("one-or-more:any-of", "Z_start_0")).toBe(true);
  });

  it("block the next set when no member can start, naming the pseudo action", () => {
    const { summary, lines } = run([{ name: "n1" }, { name: "n2" }], off("X") + off("Y") + plain("Z"), anyThenZ());
    expect(summary).toEqual(["* Start Z ( n1 ) due to unrunnable one-or-more:any-of (blocked)"]);
    expect(lines.some((l) => l.includes("one-or-more"))).toBe(false);
  });

  it("one member stopping leaves the next set running, and no pseudo action is shown", () => {
    for (const attrs of ["", ` symmetrical="false"`]) {
      const { summary, lines } = run([allRunningOn("n1"), { name: "n2" }], off("X") + plain("Y") + plain("Z"), anyThenZ(attrs), { "resource-stickiness": "100" });
      expect(summary).toEqual(["* Stop X ( n1 ) due to node availability"]);
      expect(lines.some((l) => l.includes("one-or-more"))).toBe(false);
    }
  });

  it("every member stopping stops the next set too", () => {
    const { summary } = run([allRunningOn("n1"), { name: "n2" }], off("X") + off("Y") + plain("Z"), anyThenZ(), { "resource-stickiness": "100" });
    expect(summary).toEqual([
      "* Stop X ( n1 ) due to node availability",
      "* Stop Y ( n1 ) due to node availability",
      "* Stop Z ( n1 ) due to unrunnable one-or-more:any-of",
    ]);
  });
});
