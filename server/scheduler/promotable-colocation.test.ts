// A resource colocated (finite score, any role) with a promotable clone, one of whose
// instances gets no node: that instance counts for nothing (R scores 1000 on n1 and n2,
// so it stays on n1 in a tie), while an unplaced instance of a plain clone lowers every
// node by the score (0 on n1 and n2: no preference for staying, and R moves to the node
// with fewer resources; X, placed first, keeps n1 busier). Expected lines and scores were
// checked with crm_simulate 2.1.5 on the same CIBs.
import { describe, expect, it } from "vitest";
import { lastOp, lrmResource, memberState, pcmkCib, summaryLines } from "./test-helpers";

function withClone(promotable: boolean): string {
  return pcmkCib({
    nodes: ["n1", "n2", "n3"],
    resources:
      `<clone id="P-clone"><meta_attributes id="P-clone-meta"><nvpair id="P-clone-promotable" name="promotable" value="${promotable}"/></meta_attributes>` +
      `<primitive id="P" class="ocf" provider="pacemaker" type="Stateful"/></clone><primitive id="R" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="X" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="X-meta"><nvpair id="X-priority" name="priority" value="10"/></meta_attributes></primitive>`,
    constraints: `<rsc_location id="P-not-n3" rsc="P-clone" node="n3" score="-INFINITY"/><rsc_colocation id="R-with-P" rsc="R" with-rsc="P-clone" score="1000"/><rsc_location id="X-n1" rsc="X" node="n1" score="100"/>`,
    status: memberState(1, "n1", lrmResource("R", "Dummy", lastOp("R", "n1", { task: "start", call: 10 })) + lrmResource("X", "Dummy", lastOp("X", "n1", { task: "start", call: 11 }))) + memberState(2, "n2", "") + memberState(3, "n3", ""),
  });
}

describe("colocation with a clone that has an instance without a node", () => {
  it("promotable: R keeps its node (1000 where an instance runs, 0 elsewhere)", () => {
    expect(summaryLines(withClone(true))).toEqual(["* Start P:0 ( n2 )", "* Start P:1 ( n1 )"]);
  });

  it("plain clone: the unplaced instance takes 1000 off every node", () => {
    expect(summaryLines(withClone(false))).toEqual(["* Start P:0 ( n2 )", "* Start P:1 ( n1 )", "* Move R ( n1 -> n2 )"]);
  });
});
