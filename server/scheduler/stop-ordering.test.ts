// Inverse (stop) orderings of a mandatory order: which unrunnable stops hold up the
// stops ordered after them. Our own CIBs; the expected summaries are crm_simulate
// 2.1.5's on the same CIBs.
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule } from "./index";

// db then app (Mandatory); db has target-role Stopped, so its stop waits for app's stop.
// app's history: its stop failed (without fencing, so app is blocked).
const FAILED_STOP = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="1700000000" have-quorum="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="alpha"/></nodes>
    <resources>
      <primitive id="db" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="db-meta"><nvpair id="db-tr" name="target-role" value="Stopped"/></meta_attributes>
      </primitive>
      <primitive id="app" class="ocf" provider="pacemaker" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_order id="db-then-app" first="db" then="app" kind="Mandatory"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="db" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="db_last_0" operation_key="db_start_0" operation="start" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
        </lrm_resource>
        <lrm_resource id="app" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="app_last_0" operation_key="app_stop_0" operation="stop" call-id="7" rc-code="1" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="2:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:1;2:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
  </status>
</cib>`;

const APP_OPS = /<lrm_resource id="app"[\s\S]*?<\/lrm_resource>/;

function summary(xml: string): string[] {
  return schedule(parseCibXml(xml), { now: 1700000000 }).summary.map((l) => l.replace(/\s+/g, " ").trim());
}

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
});
