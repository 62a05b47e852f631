// A clone's own colocations are applied to each instance in the clone's order
// (by primary: priority, variant, then id). A finite negative one that would leave
// the instance no node is rolled back, so which one comes last decides whether
// the instance runs. Expected lines were checked with crm_simulate 2.1.5 on the same CIBs.
import { describe, expect, it } from "vitest";
import { memberState, pcmkCib, summaryLines } from "./test-helpers";

/** C is kept off P's node (-INFINITY) and would rather avoid Q's node (-10). */
function cloneAvoidingTwo(p: string, q: string): string {
  const prim = (id: string) => `<primitive id="${id}" class="ocf" provider="pacemaker" type="Dummy"/>`;
  return pcmkCib({
    nodes: ["n1", "n2"],
    resources: `${prim(p)}${prim(q)}<clone id="C-clone">${prim("C")}</clone>`,
    constraints:
      `<rsc_location id="${p}-n1" rsc="${p}" node="n1" score="100"/><rsc_location id="${q}-n2" rsc="${q}" node="n2" score="100"/>` +
      `<rsc_colocation id="C-not-${p}" rsc="C-clone" with-rsc="${p}" score="-INFINITY"/><rsc_colocation id="C-avoid-${q}" rsc="C-clone" with-rsc="${q}" score="-10"/>`,
    status: memberState(1, "n1", "") + memberState(2, "n2", ""),
  });
}

describe("order of a clone's colocations for its instances", () => {
  it("the -10 applied last leaves no node and is rolled back: one instance starts beside Q", () => {
    expect(summaryLines(cloneAvoidingTwo("P", "Q"))).toEqual(["* Start P ( n1 )", "* Start Q ( n2 )", "* Start C:0 ( n2 )"]);
  });

  it("the -10 applied first still leaves a node, so it stays and no instance can run", () => {
    expect(summaryLines(cloneAvoidingTwo("Q", "P"))).toEqual(["* Start Q ( n1 )", "* Start P ( n2 )"]);
  });
});
