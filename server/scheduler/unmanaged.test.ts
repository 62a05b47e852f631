// An unmanaged resource keeps its role: no stop, demote or promote for it, even when
// an ordering asks it to restart. Our own CIB; expected output is crm_simulate 2.1.5's.
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule } from "./index";
import { lastOp, lrmResource, memberState, pcmkCib, summaryLines, TEST_NOW } from "./test-helpers";

// base-clone then db-clone (Mandatory); base-clone starts, db-clone is unmanaged and
// promoted on alpha. crm_simulate: starts of base:0/base:1 and probes only; db stays
// "Promoted alpha (unmanaged)".
const CIB = pcmkCib({
  nodes: ["alpha", "beta"],
  resources: `
      <clone id="base-clone"><primitive id="base" class="ocf" provider="pacemaker" type="Dummy"/></clone>
      <clone id="db-clone">
        <meta_attributes id="db-clone-meta">
          <nvpair id="db-clone-promotable" name="promotable" value="true"/>
          <nvpair id="db-clone-managed" name="is-managed" value="false"/>
        </meta_attributes>
        <primitive id="db" class="ocf" provider="pacemaker" type="Stateful"/>
      </clone>`,
  constraints: '<rsc_order id="base-then-db" first="base-clone" then="db-clone" kind="Mandatory"/>',
  status: memberState(1, "alpha", lrmResource("db", "Stateful", lastOp("db", "alpha", { task: "promote", call: 5 }))) + memberState(2, "beta"),
});

describe("unmanaged promotable clone", () => {
  it("is not demoted when an ordering would restart it", () => {
    const res = schedule(parseCibXml(CIB), { now: TEST_NOW });
    expect(summaryLines(res)).toEqual(["* Start base:0 ( alpha )", "* Start base:1 ( beta )"]);
    const dbActions = res.transition.actions.filter((a) => a.rsc?.startsWith("db")).map((a) => `${a.task} ${a.node ?? ""}`.trim());
    expect(dbActions).toEqual(["monitor beta"]);
  });
});

// legacy (unmanaged, running on beta) colocated with web (score 200). crm_simulate -s:
// legacy INFINITY on beta, web 200 on beta (0 elsewhere), "Start web ( beta )".
const COLOC_CIB = pcmkCib({
  nodes: ["alpha", "beta", "gamma"],
  resources: `
      <primitive id="legacy" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="legacy-meta"><nvpair id="legacy-m" name="is-managed" value="false"/></meta_attributes>
      </primitive>
      <primitive id="web" class="ocf" provider="pacemaker" type="Dummy"/>`,
  constraints: '<rsc_colocation id="legacy-with-web" rsc="legacy" with-rsc="web" score="200"/>',
  status:
    memberState(1, "alpha") +
    memberState(2, "beta", lrmResource("legacy", "Dummy", lastOp("legacy", "beta", { task: "start", call: 5 }))) +
    memberState(3, "gamma"),
});

describe("unmanaged resource as a colocation dependent", () => {
  it("pulls its primary to the node it stays on (INFINITY where it runs)", () => {
    const res = schedule(parseCibXml(COLOC_CIB), { now: TEST_NOW });
    expect(summaryLines(res)).toEqual(["* Start web ( beta )"]);
    const score = (rsc: string, node: string) => res.scores.find((s) => s.scope === "pcmk__primitive_assign" && s.rsc === rsc && s.node === node)?.score;
    expect([score("legacy", "beta"), score("web", "beta"), score("web", "alpha")]).toEqual([1000000, 200, 0]);
  });
});
