// An unmanaged resource keeps its role: no stop, demote or promote for it, even when
// an ordering asks it to restart. Our own CIB; expected output is crm_simulate 2.1.5's.
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule } from "./index";

// base-clone then db-clone (Mandatory); base-clone starts, db-clone is unmanaged and
// promoted on alpha. crm_simulate: starts of base:0/base:1 and probes only; db stays
// "Promoted alpha (unmanaged)".
const CIB = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="1700000000" have-quorum="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="alpha"/><node id="2" uname="beta"/></nodes>
    <resources>
      <clone id="base-clone"><primitive id="base" class="ocf" provider="pacemaker" type="Dummy"/></clone>
      <clone id="db-clone">
        <meta_attributes id="db-clone-meta">
          <nvpair id="db-clone-promotable" name="promotable" value="true"/>
          <nvpair id="db-clone-managed" name="is-managed" value="false"/>
        </meta_attributes>
        <primitive id="db" class="ocf" provider="pacemaker" type="Stateful"/>
      </clone>
    </resources>
    <constraints>
      <rsc_order id="base-then-db" first="base-clone" then="db-clone" kind="Mandatory"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="db" class="ocf" provider="pacemaker" type="Stateful">
          <lrm_rsc_op id="db_last_0" operation_key="db_promote_0" operation="promote" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="beta" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>`;

describe("unmanaged promotable clone", () => {
  it("is not demoted when an ordering would restart it", () => {
    const res = schedule(parseCibXml(CIB), { now: 1700000000 });
    expect(res.summary.map((l) => l.replace(/\s+/g, " ").trim())).toEqual(["* Start base:0 ( alpha )", "* Start base:1 ( beta )"]);
    const dbActions = res.transition.actions.filter((a) => a.rsc?.startsWith("db")).map((a) => `${a.task} ${a.node ?? ""}`.trim());
    expect(dbActions).toEqual(["monitor beta"]);
  });
});

// legacy (unmanaged, running on beta) colocated with web (score 200). crm_simulate -s:
// legacy INFINITY on beta, web 200 on beta (0 elsewhere), "Start web ( beta )".
const COLOC_CIB = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="1700000000" have-quorum="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="alpha"/><node id="2" uname="beta"/><node id="3" uname="gamma"/></nodes>
    <resources>
      <primitive id="legacy" class="ocf" provider="pacemaker" type="Dummy">
        <meta_attributes id="legacy-meta"><nvpair id="legacy-m" name="is-managed" value="false"/></meta_attributes>
      </primitive>
      <primitive id="web" class="ocf" provider="pacemaker" type="Dummy"/>
    </resources>
    <constraints>
      <rsc_colocation id="legacy-with-web" rsc="legacy" with-rsc="web" score="200"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member"/>
    <node_state id="2" uname="beta" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="2"><lrm_resources>
        <lrm_resource id="legacy" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="legacy_last_0" operation_key="legacy_start_0" operation="start" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" on_node="beta"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="3" uname="gamma" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>`;

describe("unmanaged resource as a colocation dependent", () => {
  it("pulls its primary to the node it stays on (INFINITY where it runs)", () => {
    const res = schedule(parseCibXml(COLOC_CIB), { now: 1700000000 });
    expect(res.summary.map((l) => l.replace(/\s+/g, " ").trim())).toEqual(["* Start web ( beta )"]);
    const score = (rsc: string, node: string) => res.scores.find((s) => s.scope === "pcmk__primitive_assign" && s.rsc === rsc && s.node === node)?.score;
    expect([score("legacy", "beta"), score("web", "beta"), score("web", "alpha")]).toEqual([1000000, 200, 0]);
  });
});
