// An asymmetrical Mandatory order between two clones whose first cannot start
// anywhere: the then-clone's instances that are not running yet cannot start, but
// one already running stays (a symmetrical order stops it). Expected lines were
// checked with crm_simulate 2.1.5 on the same CIBs.
import { describe, expect, it } from "vitest";
import { lastOp, lrmResource, memberState, pcmkCib, summaryLines } from "./test-helpers";

function asymmetricCloneOrderCib(symmetrical: boolean): string {
  const banned = ["n1", "n2", "n3"].map((n) => `<rsc_location id="ban-A-${n}" rsc="A-clone" node="${n}" score="-INFINITY"/>`).join("");
  return pcmkCib({
    nodes: ["n1", "n2", "n3"],
    resources: `<clone id="A-clone"><primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/></clone><clone id="B-clone"><primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/></clone>`,
    constraints: `${banned}<rsc_order id="A-then-B" first="A-clone" then="B-clone" kind="Mandatory"${symmetrical ? "" : ` symmetrical="false"`}/>`,
    status: memberState(1, "n1", "") + memberState(2, "n2", lrmResource("B", "Dummy", lastOp("B", "n2", { task: "start", call: 10 }))) + memberState(3, "n3", ""),
  });
}

describe("asymmetrical Mandatory order after a clone that cannot start", () => {
  it("blocks the new instances and leaves the running one alone", () => {
    expect(summaryLines(asymmetricCloneOrderCib(false))).toEqual([
      "* Start B:1 ( n1 ) due to unrunnable A-clone running (blocked)",
      "* Start B:2 ( n3 ) due to unrunnable A-clone running (blocked)",
    ]);
  });

  it("symmetrical, the running instance is stopped as well", () => {
    expect(summaryLines(asymmetricCloneOrderCib(true))).toEqual([
      "* Stop B:0 ( n2 ) due to unrunnable A-clone running",
      "* Start B:1 ( n1 ) due to unrunnable A-clone running (blocked)",
      "* Start B:2 ( n3 ) due to unrunnable A-clone running (blocked)",
    ]);
  });
});
