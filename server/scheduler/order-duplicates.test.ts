// Two order constraints between the same actions: as in Pacemaker, the later one is
// dropped when it shares a flag with the earlier (every constraint ordering has the
// "optional" flag), so the first one decides. Our own CIB; expected summaries are
// crm_simulate 2.1.5's.
import { describe, expect, it } from "vitest";
import { lastOp, lrmResource, memberState, pcmkCib, summaryLines as summary } from "./test-helpers";

// db (target-role Stopped, running on alpha) before app (stopped): an Optional
// asymmetrical order first, then a Mandatory one.
const HINT = '<rsc_order id="db-then-app-hint" first="db" then="app" kind="Optional" symmetrical="false"/>';
const MANDATORY = '<rsc_order id="db-then-app" first="db" then="app" kind="Mandatory"/>';
const OPTIONAL_FIRST = pcmkCib({
  nodes: ["alpha"],
  resources: `
      <primitive id="db" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="db-meta"><nvpair id="db-tr" name="target-role" value="Stopped"/></meta_attributes>
      </primitive>
      <primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>`,
  constraints: HINT + MANDATORY,
  status: memberState(1, "alpha", lrmResource("db", "Dummy", lastOp("db", "alpha", { task: "start", call: 5 }))),
});


describe("duplicate orderings between the same actions", () => {
  it("an Optional order first: the Mandatory one after it adds nothing, app starts", () => {
    expect(OPTIONAL_FIRST.indexOf(HINT)).toBeLessThan(OPTIONAL_FIRST.indexOf(MANDATORY));
    expect(summary(OPTIONAL_FIRST)).toEqual(["* Stop db ( alpha ) due to node availability", "* Start app ( alpha )"]);
  });

  it("the Mandatory order first: app cannot start without db", () => {
    const xml = OPTIONAL_FIRST.replace(HINT, "@@").replace(MANDATORY, HINT).replace("@@", MANDATORY);
    expect(xml.indexOf(MANDATORY)).toBeLessThan(xml.indexOf(HINT));
    expect(summary(xml)).toEqual([
      "* Stop db ( alpha ) due to node availability",
      "* Start app ( alpha ) due to unrunnable db start (blocked)",
    ]);
  });
});
