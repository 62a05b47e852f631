// Node membership edge cases: pending nodes, clusters without fencing, and
// no-quorum-policy=suicide. Expected lines were checked with crm_simulate 2.1.5
// on the same CIBs.
import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import { schedule, unpack } from "./index";

const NOW = { now: 1_700_000_000 };

function probe(id: string, call: number, type = "Dummy", cls = `class="ocf" provider="heartbeat"`): string {
  return `<lrm_resource id="${id}" type="${type}" ${cls}><lrm_rsc_op id="${id}_last_0" operation_key="${id}_monitor_0" operation="monitor" crm-debug-origin="test" crm_feature_set="3.16.1" transition-key="${call}:0:7:00000000-0000-0000-0000-000000000000" transition-magic="0:7;${call}:0:7:00000000-0000-0000-0000-000000000000" call-id="${call}" rc-code="7" op-status="0" interval="0" last-rc-change="1600000000" exec-time="1" queue-time="0"/></lrm_resource>`;
}

/** n1 is a healthy member that has probed F and D; n2's node_state carries `n2State`. */
function twoNodes(n2State: string, opts: { fencing?: boolean; quorum?: boolean; policy?: string; panic?: boolean } = {}): string {
  const props = [`<nvpair id="o-se" name="stonith-enabled" value="${opts.fencing === false ? "false" : "true"}"/>`];
  if (opts.policy) props.push(`<nvpair id="o-nqp" name="no-quorum-policy" value="${opts.policy}"/>`);
  return `<cib admin_epoch="0" epoch="1" num_updates="1" validate-with="pacemaker-3.7" have-quorum="${opts.quorum === false ? "0" : "1"}"${opts.panic ? ` no-quorum-panic="1"` : ""} dc-uuid="1">
<configuration><crm_config><cluster_property_set id="o">${props.join("")}</cluster_property_set></crm_config>
<nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
<resources><primitive id="F" class="stonith" type="fence_xvm"/><primitive id="D" class="ocf" provider="heartbeat" type="Dummy"/></resources><constraints/></configuration>
<status><node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>${probe("F", 1, "fence_xvm", `class="stonith"`)}${probe("D", 2)}</lrm_resources></lrm></node_state>
<node_state id="2" uname="n2" ${n2State}/></status></cib>`;
}

function run(xml: string) {
  const cib = parseCibXml(xml);
  const state = unpack(cib, NOW);
  const result = schedule(cib, NOW);
  const n2 = state.nodes.find((n) => n.uname === "n2")!;
  const ran = result.transition.actions.filter((a) => !a.pseudo).map((a) => [a.task, a.rsc, a.node].filter(Boolean).join(" "));
  return { n2, summary: result.summary.map((l) => l.replace(/\s+/g, " ").trim()), ran };
}

describe("pending nodes", () => {
  it("a pending node still in the membership blocks starts elsewhere until it can be probed", () => {
    for (const st of [`in_ccm="true" crmd="online" join="down"`, `in_ccm="true" crmd="offline" join="down"`, `in_ccm="true" crmd="online" join="pending" expected="member"`]) {
      const r = run(twoNodes(st));
      expect([r.n2.pending, r.n2.online], st).toEqual([true, false]);
      expect(r.summary, st).toEqual(["* Start F ( n1 ) blocked", "* Start D ( n1 ) blocked"]);
      expect(r.ran, st).toEqual([]);
    }
  });

  it("a pending node outside the membership does not hold anything up", () => {
    const r = run(twoNodes(`in_ccm="false" crmd="online" join="down"`));
    expect(r.n2.pending).toBe(true);
    expect(r.summary).toEqual(["* Start F ( n1 )", "* Start D ( n1 )"]);
  });

  it("a resource already active is not stopped because a pending node cannot be probed", () => {
    const started = `<lrm_resource id="D" type="Dummy" class="ocf" provider="heartbeat"><lrm_rsc_op id="D_last_0" operation_key="D_start_0" operation="start" crm-debug-origin="test" crm_feature_set="3.16.1" transition-key="3:0:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;3:0:0:00000000-0000-0000-0000-000000000000" call-id="3" rc-code="0" op-status="0" interval="0" last-rc-change="1600000000" exec-time="1" queue-time="0"/></lrm_resource>`;
    const xml = twoNodes(`in_ccm="true" crmd="online" join="down"`).replace(`${probe("D", 2)}`, started);
    const r = run(xml);
    // (the history has no parameter digest, so D is restarted in place; its start is not held up)
    expect(r.summary).toEqual(["* Start F ( n1 ) blocked", "* Restart D ( n1 ) due to resource definition change"]);
    expect([...r.ran].sort()).toEqual(["start D n1", "stop D n1"]);
  });
});

describe("membership without fencing", () => {
  it("a node that has not joined is offline, not pending", () => {
    const r = run(twoNodes(`in_ccm="true" crmd="online" join="down"`, { fencing: false }));
    expect([r.n2.online, r.n2.pending, r.n2.unclean]).toEqual([false, false, false]);
    expect(r.summary).toEqual(["* Start F ( n1 )", "* Start D ( n1 )"]);
  });

  it("a node expected up whose controller is gone is unclean, whatever its join state", () => {
    for (const join of ["down", "pending", "member"]) {
      const r = run(twoNodes(`in_ccm="true" crmd="offline" join="${join}" expected="member"`, { fencing: false }));
      expect(r.n2.unclean, join).toBe(true);
    }
  });
});

describe("no-quorum-policy=suicide", () => {
  const member = `in_ccm="true" crmd="online" join="member" expected="member"`;

  it("every online node of a partition that lost quorum is fenced", () => {
    const r = run(twoNodes(member, { quorum: false, policy: "suicide", panic: true }));
    expect(r.summary).toEqual(["* Fence (reboot) n2 'cluster does not have quorum'", "* Fence (reboot) n1 'cluster does not have quorum'"]);
    expect(r.ran.sort()).toEqual(["stonith n1", "stonith n2"]);
  });

  it("does nothing while the cluster has quorum; falls back to stop without fencing or when quorum was never had", () => {
    expect(run(twoNodes(member, { quorum: true, policy: "suicide" })).summary).toEqual(["* Start F ( n1 )", "* Start D ( n2 )"]);
    const blocked = ["* Start F ( n1 ) due to no quorum (blocked)", "* Start D ( n2 ) due to no quorum (blocked)"];
    expect(run(twoNodes(member, { quorum: false, policy: "suicide", panic: true, fencing: false })).summary).toEqual(blocked);
    expect(run(twoNodes(member, { quorum: false, policy: "suicide" })).summary).toEqual(blocked);
  });
});
