import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { cib, dummy } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs.
const NOW = { now: 1_700_000_000 };
const two = [{ name: "node1" }, { name: "node2" }];
const abc = dummy("A") + dummy("B") + dummy("C");
const set = (score: string, sequential?: string) =>
  `<rsc_colocation id="cs" score="${score}"><resource_set id="cs1"${sequential ? ` sequential="${sequential}"` : ""}><resource_ref id="A"/><resource_ref id="B"/><resource_ref id="C"/></resource_set></rsc_colocation>`;

describe("colocation sets with -INFINITY", () => {
  it("a sequential set keeps every member apart from every other, not only from its neighbour", () => {
    const r = schedule(cib({ nodes: two, resources: abc, constraints: set("-INFINITY") }), NOW);
    // a chain (B apart from A, C apart from B) would start C next to A
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node2 )"]);
    expect(r.scores).toContainEqual({ scope: "pcmk__primitive_assign", rsc: "C", node: "node2", score: -1000000 });
    expect(r.scores).toContainEqual({ scope: "pcmk__primitive_assign", rsc: "C", node: "node1", score: -1000000 });
  });

  it("a non-sequential set does not colocate its members with each other", () => {
    const r = schedule(cib({ nodes: two, resources: abc, constraints: set("-INFINITY", "false") }), NOW);
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node2 )", "  * Start      C       ( node1 )"]);
  });
});

describe("colocation sets with a finite negative score", () => {
  // C prefers node1 by 50; A, B, C in a sequential set at -100
  const run = (nodes: { name: string }[]) => {
    const constraints = set("-100") + `<rsc_location id="l" rsc="C" node="node1" score="50"/>`;
    return schedule(cib({ nodes, resources: abc, constraints }), NOW);
  };
  const cScores = (r: ReturnType<typeof schedule>) => r.scores.filter((s) => s.rsc === "C").map((s) => `${s.node} ${s.score}`);

  it("keep every member away from every earlier member", () => {
    const r = run([{ name: "node1" }, { name: "node2" }, { name: "node3" }]);
    expect(cScores(r)).toEqual(["node1 -50", "node2 -100", "node3 0"]);
    expect(r.summary).toContain("  * Start      C       ( node3 )");
  });

  it("drop one that would leave no node with a non-negative score", () => {
    // apart from A (node1) and from B (node2) would leave C nowhere: the second is rolled back
    const r = run(two);
    expect(cScores(r)).toEqual(["node1 -50", "node2 0"]);
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node2 )", "  * Start      C       ( node2 )"]);
  });
});
