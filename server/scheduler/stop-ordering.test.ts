// Inverse (stop) orderings of a mandatory order: which unrunnable stops hold up the
// stops ordered after them. Our own CIBs; the expected summaries are crm_simulate
// 2.1.5's on the same CIBs.
import { describe, expect, it } from "vitest";
import { lastOp, lrmResource, memberState, pcmkCib, summaryLines as summary } from "./test-helpers";

// db then app (Mandatory); db has target-role Stopped, so its stop waits for app's stop.
// app's history: its stop failed (without fencing, so app is blocked).
const FAILED_STOP = pcmkCib({
  nodes: ["alpha"],
  resources: `
      <primitive id="db" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="db-meta"><nvpair id="db-tr" name="target-role" value="Stopped"/></meta_attributes>
      </primitive>
      <primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>`,
  constraints: '<rsc_order id="db-then-app" first="db" then="app" kind="Mandatory"/>',
  status: memberState(
    1,
    "alpha",
    lrmResource("db", "Dummy", lastOp("db", "alpha", { task: "start", call: 5 })) +
      lrmResource("app", "Dummy", lastOp("app", "alpha", { task: "stop", call: 7, rc: 1, key: 2 })),
  ),
});

const APP_OPS = /<lrm_resource id="app"[\s\S]*?<\/lrm_resource>/;

describe("stops ordered after an unrunnable stop", () => {
  it("a failed (blocked) stop blocks the stop ordered after it", () => {
    expect(summary(FAILED_STOP)).toEqual(["* Stop db ( alpha ) due to node availability (blocked)"]);
  });

  it("an unmanaged resource, left where it is, holds nothing up", () => {
    const xml = FAILED_STOP.replace(
      '<primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>',
      '<primitive id="app" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="app-meta"><nvpair id="app-m" name="is-managed" value="false"/></meta_attributes></primitive>',
    ).replace('operation_key="app_stop_0" operation="stop" call-id="7" rc-code="1"', 'operation_key="app_start_0" operation="start" call-id="7" rc-code="0"');
    expect(summary(xml)).toEqual(["* Stop db ( alpha ) due to node availability"]);
  });

  it("a clone with nothing to stop holds nothing up", () => {
    const xml = FAILED_STOP.replace(
      '<primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>',
      '<clone id="app-clone"><primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/><meta_attributes id="app-clone-meta"><nvpair id="app-clone-tr" name="target-role" value="Stopped"/></meta_attributes></clone>',
    ).replace('then="app"', 'then="app-clone"').replace(APP_OPS, "");
    expect(summary(xml)).toEqual(["* Stop db ( alpha ) due to node availability"]);
  });

  it("without target-role, db's failed start cannot be recovered: its stop is blocked, with no reason given", () => {
    const xml = FAILED_STOP.replace(/<meta_attributes id="db-meta">.*?<\/meta_attributes>/s, "").replace(
      'operation_key="db_start_0" operation="start" call-id="5" rc-code="0" op-status="0"',
      'operation_key="db_start_0" operation="start" call-id="5" rc-code="1" op-status="0"',
    );
    expect(summary(xml)).toEqual(["* Stop db ( alpha ) blocked"]);
  });

  it("a group whose member's stop failed holds nothing up", () => {
    const xml = FAILED_STOP.replace(
      '<primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>',
      '<group id="app"><primitive id="app1" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="app2" class="ocf" provider="pacemaker" type="Dummy"/></group>',
    ).replace(APP_OPS, (ops) => ops.replace(/"app_/g, '"app2_').replace('id="app"', 'id="app2"'));
    expect(summary(xml)).toEqual(["* Stop db ( alpha ) due to node availability", "* Start app1 ( alpha ) due to unrunnable db start (blocked)"]);
  });

  it("nor does a failed stop hold up a clone's stop ordered after it", () => {
    const xml = FAILED_STOP.replace(/<primitive id="db"[\s\S]*?<\/primitive>/, (db) => `<clone id="db-clone">${db}</clone>`).replace('first="db"', 'first="db-clone"');
    expect(summary(xml)).toEqual(["* Stop db:0 ( alpha ) due to node availability"]);
  });
});
