// A group colocated INFINITY with a clone that is itself kept -INFINITY away from the group
// (a colocation cycle, fuzz seed 12830): the group is placed first (on n2, n1 is in standby),
// which leaves no node for any clone instance. The group cannot run without the clone, so its
// members' starts are blocked, named after the clone's last instance. Expected lines checked
// with crm_simulate 2.1.5 on the same CIB.
import { describe, expect, it } from "vitest";
import { memberState, pcmkCib, summaryLines } from "./test-helpers";

const d = (id: string) => `<primitive id="${id}" class="ocf" provider="pacemaker" type="Dummy"/>`;

function cycle(standbyN1: boolean): string {
  const cib = pcmkCib({
    nodes: ["n1", "n2"],
    resources: `<clone id="C-clone">${d("C")}</clone><group id="G">${d("G1")}${d("G2")}</group>`,
    constraints:
      `<rsc_colocation id="G-with-C" rsc="G" with-rsc="C-clone" score="INFINITY"/>` +
      `<rsc_colocation id="C-not-with-G" rsc="C-clone" with-rsc="G" score="-INFINITY"/>`,
    status: memberState(1, "n1", "") + memberState(2, "n2", ""),
  });
  return standbyN1
    ? cib.replace(`<node id="1" uname="n1"/>`, `<node id="1" uname="n1"><instance_attributes id="n1-attrs"><nvpair id="n1-standby" name="standby" value="on"/></instance_attributes></node>`)
    : cib;
}

describe("a colocation cycle that leaves the clone no node", () => {
  it("blocks the starts of the group that needs the clone", () => {
    expect(summaryLines(cycle(true))).toEqual([
      "* Start G1 ( n2 ) due to colocation with C:1 (blocked)",
      "* Start G2 ( n2 ) due to colocation with C:1 (blocked)",
    ]);
  });

  it("with a node left for the clone, nothing is blocked", () => {
    expect(summaryLines(cycle(false))).toEqual(["* Start C:0 ( n2 )", "* Start G1 ( n1 )", "* Start G2 ( n1 )"]);
  });
});
