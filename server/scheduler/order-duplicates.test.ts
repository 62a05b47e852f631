// Two order constraints between the same actions: as in Pacemaker, the later one is
// dropped when it shares a flag with the earlier (every constraint ordering has the
// "optional" flag), so the first one decides. Our own CIB; expected summaries are
// crm_simulate 2.1.5's.
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule } from "./index";

// db (target-role Stopped, running on alpha) before app (stopped): an Optional
// asymmetrical order first, then a Mandatory one.
const OPTIONAL_FIRST = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="1700000000" have-quorum="1">
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
      <rsc_order id="db-then-app-hint" first="db" then="app" kind="Optional" symmetrical="false"/>
      <rsc_order id="db-then-app" first="db" then="app" kind="Mandatory"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="db" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="db_last_0" operation_key="db_start_0" operation="start" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
        </lrm_resource>
        
      </lrm_resources></lrm>
    </node_state>
  </status>
</cib>`;

const HINT = '<rsc_order id="db-then-app-hint" first="db" then="app" kind="Optional" symmetrical="false"/>';
const MANDATORY = '<rsc_order id="db-then-app" first="db" then="app" kind="Mandatory"/>';

function summary(xml: string): string[] {
  return schedule(parseCibXml(xml), { now: 1700000000 }).summary.map((l) => l.replace(/\s+/g, " ").trim());
}

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
