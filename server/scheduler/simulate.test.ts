import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import type { Action, Transition } from "./types";
import { applyTransition } from "./simulate";
import { schedule, unpack } from "./index";
import { placements } from "./fuzz/pacemaker-xml";

const CIB = `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0">
  <configuration>
    <crm_config/>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2"/>
      <clone id="dlm-clone"><primitive id="dlm" class="ocf" provider="pacemaker" type="controld"/></clone>
      <clone id="st-clone">
        <meta_attributes id="st-meta"><nvpair id="st-p" name="promotable" value="true"/><nvpair id="st-u" name="globally-unique" value="true"/></meta_attributes>
        <primitive id="st" class="ocf" provider="pacemaker" type="Stateful"/>
      </clone>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <lrm_rsc_op id="vip_last_0" operation_key="vip_start_0" operation="start" interval="0" call-id="41" rc-code="0" op-status="0"/>
        </lrm_resource>
        <lrm_resource id="dlm:1" class="ocf" provider="pacemaker" type="controld">
          <lrm_rsc_op id="dlm:1_last_0" operation_key="dlm:1_start_0" operation="start" interval="0" call-id="7" rc-code="0" op-status="0"/>
        </lrm_resource>
      </lrm_resources></lrm>
      <transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="status-1-x" name="x" value="1"/></instance_attributes></transient_attributes>
    </node_state>
    <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>`;

let nextId = 0;
function act(o: Partial<Action> & { task: string }): Action {
  const id = nextId++;
  return { id, key: `${o.rsc ?? "x"}_${o.task}_${o.intervalMs ?? 0}`, intervalMs: 0, pseudo: false, params: {}, meta: {}, timeoutMs: 20000, ...o };
}

function ops(cib: ReturnType<typeof parseCibXml>, uname: string, rsc: string) {
  const ns = cib.status.find((s) => s.uname === uname)!;
  return ns.lrmResources.find((r) => r.id === rsc)?.ops ?? [];
}

describe("applyTransition", () => {
  it("records stop, start, probes and monitors as crm_simulate -S does, without touching the input", () => {
    const cib = parseCibXml(CIB);
    const before = JSON.stringify(cib);
    const stop = act({ task: "stop", rsc: "vip", configRsc: "vip", node: "node1" });
    const probe = act({ task: "monitor", rsc: "vip", configRsc: "vip", node: "node2" });
    const start = act({ task: "start", rsc: "vip", configRsc: "vip", node: "node2" });
    const mon = act({ task: "monitor", rsc: "vip", configRsc: "vip", node: "node2", intervalMs: 10000 });
    const t: Transition = {
      actions: [mon, start, probe, stop],
      edges: [{ first: probe.id, then: start.id }, { first: stop.id, then: start.id }, { first: start.id, then: mon.id }],
    };
    const out = applyTransition(cib, t, { now: 1700000000 });
    expect(JSON.stringify(cib)).toBe(before);

    const n1 = ops(out, "node1", "vip");
    expect(n1).toHaveLength(1);
    expect(n1[0]).toMatchObject({ id: "vip_last_0", operation: "stop", rcCode: "0" });

    const n2 = ops(out, "node2", "vip");
    const last = n2.find((o) => o.id === "vip_last_0")!;
    const rec = n2.find((o) => o.id === "vip_monitor_10000")!;
    expect(last).toMatchObject({ operation: "start", rcCode: "0", interval: "0" });
    expect(rec).toMatchObject({ operation: "monitor", rcCode: "0", interval: "10000", lastRcChange: "1700000000" });
    // call-ids continue after the highest in the CIB (41), in execution order
    expect(Number(n1[0].callId)).toBeGreaterThan(41);
    expect(Number(rec.callId)).toBeGreaterThan(Number(last.callId));
    // the probe ran first and found it not running; the start replaced it as the last op
    expect(n2).toHaveLength(2);
  });

  it("records promotion (rc 8 for promoted monitors) and uses the bare id for new anonymous clone instances", () => {
    const cib = parseCibXml(CIB);
    const start = act({ task: "start", rsc: "st:0", configRsc: "st", node: "node2" });
    const promote = act({ task: "promote", rsc: "st:0", configRsc: "st", node: "node2" });
    const mon = act({ task: "monitor", rsc: "st:0", configRsc: "st", node: "node2", intervalMs: 9000 });
    const dlmStart = act({ task: "start", rsc: "dlm:0", configRsc: "dlm", node: "node2" });
    const dlmStop = act({ task: "stop", rsc: "dlm:1", configRsc: "dlm", node: "node1" });
    const out = applyTransition(
      cib,
      { actions: [start, promote, mon, dlmStart, dlmStop], edges: [{ first: start.id, then: promote.id }, { first: promote.id, then: mon.id }] },
      { now: 1 },
    );
    expect(ops(out, "node2", "st:0").find((o) => o.id === "st:0_last_0")).toMatchObject({ operation: "promote", rcCode: "0" });
    expect(ops(out, "node2", "st:0").find((o) => o.id === "st:0_monitor_9000")).toMatchObject({ rcCode: "8" });
    // anonymous clone: a new history goes under "dlm"; an existing "dlm:1" entry is reused
    expect(ops(out, "node2", "dlm")[0]).toMatchObject({ operation: "start", id: "dlm_last_0" });
    expect(ops(out, "node1", "dlm:1").find((o) => o.id === "dlm:1_last_0")).toMatchObject({ operation: "stop" });
  });

  it("fencing takes the node down and forgets its history; pseudo and cluster actions change nothing", () => {
    const cib = parseCibXml(CIB);
    const fence = act({ task: "stonith", node: "node1", fenceAction: "reboot", key: "stonith-node1-reboot" });
    const pseudo = act({ task: "running", rsc: "dlm-clone", pseudo: true });
    const shut = act({ task: "do_shutdown", node: "node2" });
    const notify = act({ task: "notify", rsc: "vip", node: "node2" });
    const out = applyTransition(cib, { actions: [fence, pseudo, shut, notify], edges: [] }, { now: 1 });
    const n1 = out.status.find((s) => s.uname === "node1")!;
    expect(n1).toMatchObject({ inCcm: "false", crmd: "offline", join: "down", expected: "down" });
    expect(n1.lrmResources).toEqual([]);
    expect(n1.transientAttributes).toEqual([]);
    const n2 = out.status.find((s) => s.uname === "node2")!;
    expect(n2).toMatchObject({ inCcm: "true", crmd: "online" });
    expect(n2.lrmResources).toEqual([]);
  });
});

describe("applyTransition and definition changes", () => {
  it("records op-digests, so that the simulated cluster needs nothing more", async () => {
    const { schedule } = await import("./index");
    const { cib, dummy } = await import("./test-helpers");
    const start = cib({ nodes: [{ name: "node1" }, { name: "node2" }], resources: dummy("A", `<instance_attributes id="A-ia"><nvpair id="A-ia-fake" name="fake" value="1"/></instance_attributes>`) });
    const first = schedule(start, { now: 1700000000 });
    expect(first.summary.map((l) => l.replace(/\s+/g, " ").trim())).toEqual(["* Start A ( node1 )"]);
    const after = applyTransition(start, first.transition, { now: 1700000000 });
    const ran = ops(after, "node1", "A");
    expect(ran.every((o) => typeof o.opDigest === "string" && o.opDigest.length === 32)).toBe(true);
    const second = schedule(after, { now: 1700000001 });
    expect(second.summary).toEqual([]);
    expect(second.transition.actions).toEqual([]);
  });

  // Our own CIB; crm_simulate 2.1.5 -S: "Stop web (alpha) due to no quorum", actions
  // "stop on alpha", "monitor on beta", "cancel=15000 on alpha", revised "Started alpha"
  // (with the history's monitor at 30 s, no cancel, the revised status says Stopped).
  it("records a cancel as a history entry, so a monitor cancelled after the stop leaves the resource Started, as crm_simulate shows", () => {
    const cib = parseCibXml(CANCEL_CIB);
    const res = schedule(cib, { now: 1700000000 });
    expect(res.summary.join("\n")).toMatch(/Stop\s+web\s+\( alpha \)\s+due to no quorum/);
    const out = applyTransition(cib, res.transition, { now: 1700000000 });
    const hist = ops(out, "alpha", "web");
    const cancel = hist.find((o) => o.id === "web_cancel_15000")!;
    const stop = hist.find((o) => o.id === "web_last_0")!;
    expect(cancel).toMatchObject({ operation: "cancel", interval: "15000", rcCode: "0" });
    expect(stop).toMatchObject({ operation: "stop" });
    expect(Number(cancel.callId)).toBeGreaterThan(Number(stop.callId));
    expect(placements(unpack(out, { now: 1700000000 }))).toEqual(["web alpha Started"]);

    const noCancel = parseCibXml(CANCEL_CIB.replaceAll("web_monitor_15000", "web_monitor_30000").replace('interval="15000"', 'interval="30000"'));
    const res2 = schedule(noCancel, { now: 1700000000 });
    const out2 = applyTransition(noCancel, res2.transition, { now: 1700000000 });
    expect(placements(unpack(out2, { now: 1700000000 }))).toEqual([]);
  });

  // Our own CIB with quorum; crm_simulate 2.1.5: with target-role Stopped only "stop on
  // alpha" and the probe (no cancel); when web stays, "monitor=30000" and "cancel=15000".
  it("cancels a monitor no longer configured only when the resource stays assigned, not on a standby node", () => {
    const tasks = (xml: string) =>
      schedule(parseCibXml(xml), { now: 1700000000 })
        .transition.actions.filter((a) => a.node === "alpha")
        .map((a) => `${a.task}:${a.intervalMs}`)
        .sort();
    const quorate = CANCEL_CIB.replace('have-quorum="0"', 'have-quorum="1"');
    expect(tasks(quorate)).toEqual(["cancel:15000", "monitor:30000"]);
    const stopped = quorate.replace(
      'type="Dummy">',
      'type="Dummy"><meta_attributes id="web-meta"><nvpair id="web-tr" name="target-role" value="Stopped"/></meta_attributes>',
    );
    expect(tasks(stopped)).toEqual(["stop:0"]);
    // alpha in standby: web moves to beta; crm_simulate cancels nothing on alpha
    const standby = quorate.replace(
      '<node id="1" uname="alpha"/>',
      '<node id="1" uname="alpha"><instance_attributes id="alpha-a"><nvpair id="alpha-sb" name="standby" value="on"/></instance_attributes></node>',
    );
    expect(tasks(standby)).toEqual(["stop:0"]);
  });
});

const CANCEL_CIB = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="1700000000" have-quorum="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
        <nvpair id="opts-nq" name="no-quorum-policy" value="stop"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="alpha"/><node id="2" uname="beta"/></nodes>
    <resources>
      <primitive id="web" class="ocf" provider="pacemaker" type="Dummy">
        <operations><op id="web-mon" name="monitor" interval="30s"/></operations>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status>
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1"><lrm_resources>
        <lrm_resource id="web" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="web_last_0" operation_key="web_start_0" operation="start" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
          <lrm_rsc_op id="web_monitor_15000" operation_key="web_monitor_15000" operation="monitor" call-id="6" rc-code="0" op-status="0" interval="15000" last-rc-change="1699999000" transition-key="2:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;2:1:0:00000000-0000-0000-0000-000000000000" on_node="alpha"/>
        </lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    <node_state id="2" uname="beta" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>`;
