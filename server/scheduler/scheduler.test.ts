import { describe, expect, it } from "vitest";
import { schedule, unpack, UnsupportedFeatureError } from "./index";
import { cib, dummy, meta, probedStopped, running, type NodeSpec } from "./test-helpers";

const NOW = { now: 1_700_000_000 };
const two = [{ name: "node1" }, { name: "node2" }];

function placement(result: ReturnType<typeof schedule>, rsc: string): string | undefined {
  const starts = result.transition.actions.filter((a) => a.rsc === rsc && a.task === "start");
  return starts[0]?.node;
}

describe("scheduler v1: placement", () => {
  it("starts stopped primitives, spreading them over the nodes", () => {
    const r = schedule(cib({ nodes: two, resources: dummy("A") + dummy("B") }), NOW);
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node2 )"]);
    // probes on every node before the start, recurring monitor after it
    const probes = r.transition.actions.filter((a) => a.task === "monitor" && a.intervalMs === 0);
    expect(probes.map((p) => `${p.rsc}@${p.node}`).sort()).toEqual(["A@node1", "A@node2", "B@node1", "B@node2"]);
    const startA = r.transition.actions.find((a) => a.rsc === "A" && a.task === "start")!;
    const monA = r.transition.actions.find((a) => a.rsc === "A" && a.task === "monitor" && a.intervalMs === 10000)!;
    expect(r.transition.edges).toContainEqual({ first: startA.id, then: monA.id });
    for (const p of probes.filter((p) => p.rsc === "A")) expect(r.transition.edges).toContainEqual({ first: p.id, then: startA.id });
  });

  it("follows location scores and symmetric-cluster=false", () => {
    const loc = `<rsc_location id="l1" rsc="A" node="node2" score="100"/>`;
    expect(placement(schedule(cib({ nodes: two, resources: dummy("A"), constraints: loc }), NOW), "A")).toBe("node2");
    const asym = schedule(cib({ nodes: two, props: { "symmetric-cluster": "false" }, resources: dummy("A") + dummy("B"), constraints: `<rsc_location id="l1" rsc="B" node="node2" score="0"/>` }), NOW);
    expect(asym.summary).toEqual(["  * Start      B       ( node2 )"]);
  });

  it("INFINITY arithmetic: -INFINITY wins over +INFINITY", () => {
    const c = `<rsc_location id="l1" rsc="A" node="node1" score="INFINITY"/><rsc_location id="l2" rsc="A" node="node1" score="-INFINITY"/>`;
    const r = schedule(cib({ nodes: two, resources: dummy("A"), constraints: c }), NOW);
    expect(placement(r, "A")).toBe("node2");
    expect(r.scores).toContainEqual({ scope: "pcmk__primitive_assign", rsc: "A", node: "node1", score: -1000000 });
  });

  it("colocation: mandatory with, and mandatory apart", () => {
    const withA = `<rsc_location id="l1" rsc="A" node="node2" score="10"/><rsc_colocation id="c1" rsc="B" with-rsc="A" score="INFINITY"/>`;
    const r = schedule(cib({ nodes: two, resources: dummy("A") + dummy("B"), constraints: withA }), NOW);
    expect([placement(r, "A"), placement(r, "B")]).toEqual(["node2", "node2"]);
    const apart = `<rsc_location id="l1" rsc="A" node="node1" score="10"/><rsc_location id="l2" rsc="B" node="node1" score="10"/><rsc_colocation id="c1" rsc="B" with-rsc="A" score="-INFINITY"/>`;
    const r2 = schedule(cib({ nodes: two, resources: dummy("A") + dummy("B"), constraints: apart }), NOW);
    expect([placement(r2, "A"), placement(r2, "B")]).toEqual(["node1", "node2"]);
  });

  it("the dependent's preferences feed back into the primary's placement", () => {
    const c = `<rsc_location id="l1" rsc="B" node="node2" score="500"/><rsc_colocation id="c1" rsc="B" with-rsc="A" score="INFINITY"/>`;
    const r = schedule(cib({ nodes: two, resources: dummy("A") + dummy("B"), constraints: c }), NOW);
    expect([placement(r, "A"), placement(r, "B")]).toEqual(["node2", "node2"]);
  });

  it("stickiness keeps a running resource where it is, rsc_defaults included", () => {
    const nodes: NodeSpec[] = [{ name: "node1", history: { A: running() } }, { name: "node2", history: { A: probedStopped() } }];
    const c = `<rsc_location id="l1" rsc="A" node="node2" score="50"/>`;
    const sticky = schedule(cib({ nodes, resources: dummy("A"), constraints: c, rscDefaults: { "resource-stickiness": "100" } }), NOW);
    expect(sticky.summary).toEqual([]);
    const loose = schedule(cib({ nodes, resources: dummy("A"), constraints: c }), NOW);
    expect(loose.summary).toEqual(["  * Move       A       ( node1 -> node2 )"]);
  });

  it("standby moves resources off the node; target-role=Stopped stops them", () => {
    const nodes: NodeSpec[] = [{ name: "node1", standby: true, history: { A: running() } }, { name: "node2", history: { A: probedStopped() } }];
    expect(schedule(cib({ nodes, resources: dummy("A") }), NOW).summary).toEqual(["  * Move       A       ( node1 -> node2 )"]);
    const nodes2: NodeSpec[] = [{ name: "node1", history: { A: running() } }, { name: "node2", history: { A: probedStopped() } }];
    const stopped = schedule(cib({ nodes: nodes2, resources: dummy("A", meta("A", { "target-role": "Stopped" })) }), NOW);
    expect(stopped.summary).toEqual(["  * Stop       A       ( node1 )  due to node availability"]);
    expect(unpack(cib({ nodes: nodes2, resources: dummy("A", meta("A", { "target-role": "Stopped" })) }), NOW).counts.disabled).toBe(1);
  });
});

describe("scheduler v1: ordering and groups", () => {
  it("order: then cannot start while first cannot", () => {
    const c = `<rsc_location id="ban1" rsc="A" node="node1" score="-INFINITY"/><rsc_location id="ban2" rsc="A" node="node2" score="-INFINITY"/><rsc_order id="o1" first="A" then="B" kind="Mandatory"/>`;
    const r = schedule(cib({ nodes: two, resources: dummy("A") + dummy("B"), constraints: c }), NOW);
    // crm_simulate words it this way: the start of B is blocked by A
    expect(r.summary).toEqual(["  * Start      B       ( node1 )  due to unrunnable A start (blocked)"]);
    expect(r.transition.actions.some((a) => a.task === "start")).toBe(false);
  });

  it("order: a restart of first restarts then", () => {
    const nodes: NodeSpec[] = [
      { name: "node1", history: { A: [["start", 0, 0, 10], ["monitor", 10000, 7, 11, 0]] as [string, number, number, number, number][], B: running(20) } },
      { name: "node2", history: { A: probedStopped(), B: probedStopped(2) } },
    ];
    const c = `<rsc_order id="o1" first="A" then="B"/><rsc_colocation id="c1" rsc="B" with-rsc="A" score="INFINITY"/>`;
    const r = schedule(cib({ nodes, resources: dummy("A") + dummy("B"), constraints: c }), NOW);
    expect(r.summary).toEqual(["  * Recover    A       ( node1 )", "  * Restart    B       ( node1 )  due to required A start"]);
  });

  it("group: members are placed together and started in order", () => {
    const grp = `<group id="G">${dummy("G1")}${dummy("G2")}</group>`;
    const r = schedule(cib({ nodes: two, resources: grp, constraints: `<rsc_location id="l" rsc="G" node="node2" score="10"/>` }), NOW);
    expect(r.summary).toEqual(["  * Start      G1      ( node2 )", "  * Start      G2      ( node2 )"]);
    const id = (rsc: string, task: string) => r.transition.actions.find((a) => a.rsc === rsc && a.task === task)!.id;
    expect(r.transition.edges).toContainEqual({ first: id("G1", "start"), then: id("G2", "start") });
    expect(r.transition.actions.map((a) => a.key)).toContain("G_start_0");
    expect(r.transition.actions.map((a) => a.key)).toContain("G_running_0");
  });
});

describe("scheduler v1: failures and quorum", () => {
  it("a failed monitor recovers the resource in place", () => {
    const nodes: NodeSpec[] = [
      { name: "node1", history: { A: [["start", 0, 0, 10], ["monitor", 10000, 7, 11, 0]] as [string, number, number, number, number][] } },
      { name: "node2", history: { A: probedStopped() } },
    ];
    const r = schedule(cib({ nodes, resources: dummy("A") }), NOW);
    expect(r.summary).toEqual(["  * Recover    A       ( node1 )"]);
    expect(r.before.failedActions[0]).toMatchObject({ rsc: "A", node: "node1", task: "monitor", intervalMs: 10000, rcText: "not running" });
  });

  it("fail-count reaching migration-threshold moves the resource away", () => {
    const nodes: NodeSpec[] = [
      { name: "node1", history: { A: running() }, transient: { "fail-count-A#monitor_10000": "3", "last-failure-A#monitor_10000": "1600000000" } },
      { name: "node2", history: { A: probedStopped() } },
    ];
    // per-operation fail-counts count in CIBs of crm_feature_set 3.0.13 and later (fail-count-forms.test.ts)
    const extraAttrs = 'crm_feature_set="3.16.1"';
    const r = schedule(cib({ nodes, extraAttrs, resources: dummy("A", meta("A", { "migration-threshold": "3" })) }), NOW);
    expect(r.summary).toEqual(["  * Move       A       ( node1 -> node2 )"]);
    expect(r.before.failCounts).toContainEqual(expect.objectContaining({ rsc: "A", node: "node1", failCount: 3, migrationThreshold: 3 }));
    const below = schedule(cib({ nodes, extraAttrs, resources: dummy("A", meta("A", { "migration-threshold": "4" })) }), NOW);
    expect(below.summary).toEqual([]);
  });

  it("no-quorum-policy: stop stops everything, ignore keeps running", () => {
    const nodes: NodeSpec[] = [{ name: "node1", history: { A: running() } }, { name: "node2", online: false }];
    const stop = schedule(cib({ nodes, quorum: false, props: { "no-quorum-policy": "stop" }, resources: dummy("A") + dummy("B") }), NOW);
    // crm_simulate 2.1.5 prints exactly these two lines for this CIB
    expect(stop.summary).toEqual(["  * Stop       A       ( node1 )  due to no quorum", "  * Start      B       ( node1 )  due to no quorum (blocked)"]);
    const ignore = schedule(cib({ nodes, quorum: false, props: { "no-quorum-policy": "ignore" }, resources: dummy("A") + dummy("B") }), NOW);
    expect(ignore.summary).toEqual(["  * Start      B       ( node1 )"]);
  });

  it("unclean node with fencing: fence first, then recover elsewhere", () => {
    const nodes: NodeSpec[] = [{ name: "node1", lost: true, history: { A: running() } }, { name: "node2", history: { A: probedStopped(), F: running(30) } }];
    const res = `<primitive id="F" class="stonith" type="fence_dummy"/>` + dummy("A");
    const r = schedule(cib({ nodes, props: { "stonith-enabled": "true" }, resources: res }), NOW);
    // (the test history records F as ocf:heartbeat:Dummy, another agent than configured: F is restarted, as Pacemaker does)
    expect(r.summary).toEqual([
      "  * Fence (reboot) node1 'peer is no longer part of the cluster'",
      "  * Restart    F       (          node2 )",
      "  * Move       A       ( node1 -> node2 )",
    ]);
    const fence = r.transition.actions.find((a) => a.task === "stonith")!;
    const start = r.transition.actions.find((a) => a.rsc === "A" && a.task === "start")!;
    expect(fence.fenceAction).toBe("reboot");
    expect(r.transition.edges).toContainEqual({ first: fence.id, then: start.id });
  });
});

describe("scheduler v1: what the controller needs", () => {
  it("actions carry agent, resolved params, meta and timeouts", () => {
    const res = `<primitive id="A" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="A-ia"><nvpair id="A-ip" name="ip" value="192.0.2.10"/></instance_attributes><operations><op id="A-start" name="start" interval="0" timeout="40s"/><op id="A-mon" name="monitor" interval="10s"/></operations></primitive>`;
    const xml = cib({ nodes: [{ name: "node1" }], resources: res });
    xml.configuration.opDefaults = [{ id: "op-options", nvpairs: [{ id: "op-options-timeout", name: "timeout", value: "30s" }] }];
    const r = schedule(xml, NOW);
    const start = r.transition.actions.find((a) => a.task === "start")!;
    expect(start).toMatchObject({ standard: "ocf", provider: "heartbeat", agentType: "IPaddr2", params: { ip: "192.0.2.10" }, timeoutMs: 40000, node: "node1" });
    expect(start.meta.timeout).toBe("40000");
    const mon = r.transition.actions.find((a) => a.task === "monitor" && a.intervalMs === 10000)!;
    expect(mon.timeoutMs).toBe(30000);
    expect(mon.meta.interval).toBe("10000");
  });

  it("refuses unsupported features naming the element", () => {
    const bad = cib({ nodes: two, resources: dummy("A"), constraints: `<rsc_ticket id="t1" rsc="A" ticket="T"/>` });
    expect(() => schedule(bad, NOW)).toThrow(UnsupportedFeatureError);
    expect(() => schedule(bad, NOW)).toThrow(/t1/);
    const tmpl = cib({ nodes: two, resources: `<primitive id="P" template="T1"/>` });
    expect(() => schedule(tmpl, NOW)).toThrow(/P/);
  });
});

// Expected lines below were checked against Debian's crm_simulate 2.1.5 on the same CIBs.
describe("scheduler: clones, promotion, rules, sets", () => {
  const three: NodeSpec[] = [{ name: "node1" }, { name: "node2" }, { name: "node3" }];

  it("clone instances follow a dependent's ban through the colocation", () => {
    const r = schedule(
      cib({
        nodes: three,
        resources: `<clone id="C">${dummy("c")}${meta("C", { "clone-max": "2" })}</clone>` + dummy("X"),
        constraints: `<rsc_colocation id="x-with-c" rsc="X" with-rsc="C" score="INFINITY"/><rsc_location id="l" rsc="X" node="node1" score="-INFINITY"/>`,
      }),
      NOW,
    );
    expect(r.summary).toEqual(["  * Start      c:0     ( node2 )", "  * Start      c:1     ( node3 )", "  * Start      X       ( node2 )"]);
    expect(r.transition.actions.map((a) => a.key)).toEqual(expect.arrayContaining(["C_start_0", "C_running_0"]));
    const inst = r.transition.actions.find((a) => a.rsc === "c:0" && a.task === "start")!;
    expect(inst.meta).toMatchObject({ clone: "0", clone_max: "2", clone_node_max: "1" });
  });

  it("promotable clone promotes where the promotion score is highest, with role-specific monitors", () => {
    const res = `<clone id="S"><primitive id="s" class="ocf" provider="pacemaker" type="Stateful"><operations><op id="s-m1" name="monitor" interval="10s" role="Promoted"/><op id="s-m2" name="monitor" interval="11s" role="Unpromoted"/></operations></primitive>${meta("S", { promotable: "true" })}</clone>`;
    const nodes: NodeSpec[] = [{ name: "node1", transient: { "master-s": "5" } }, { name: "node2", transient: { "master-s": "50" } }];
    const r = schedule(cib({ nodes, resources: res }), NOW);
    expect(r.summary).toEqual(["  * Promote    s:0     ( Stopped -> Promoted node2 )", "  * Start      s:1     (                     node1 )"]);
    const mons = r.transition.actions.filter((a) => a.task === "monitor" && a.intervalMs > 0).map((a) => `${a.rsc}@${a.node}/${a.intervalMs}`);
    expect(mons.sort()).toEqual(["s:0@node2/10000", "s:1@node1/11000"]);
    const promote = r.transition.actions.find((a) => a.task === "promote")!;
    const start = r.transition.actions.find((a) => a.task === "start" && a.rsc === "s:0")!;
    expect(r.transition.edges).toContainEqual({ first: start.id, then: promote.id });
    expect(r.scores).toContainEqual({ scope: "promotion", rsc: "s:0", node: "node2", score: 50 });
  });

  it("rules: or of attribute expressions, typed comparison, score-attribute", () => {
    const nodes: NodeSpec[] = [{ name: "node1", attrs: { rack: "a", cpus: "8" } }, { name: "node2", attrs: { rack: "b", cpus: "16" } }];
    const c = `<rsc_location id="la" rsc="A"><rule id="ra" score="-INFINITY" boolean-op="or"><expression id="ra1" attribute="rack" operation="eq" value="b"/><expression id="ra2" attribute="cpus" operation="gt" value="32"/></rule></rsc_location><rsc_location id="lb" rsc="B"><rule id="rb" score-attribute="cpus"><expression id="rb1" attribute="cpus" operation="defined"/></rule></rsc_location>`;
    const r = schedule(cib({ nodes, resources: dummy("A") + dummy("B"), constraints: c }), NOW);
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node2 )"]);
    expect(r.scores).toContainEqual({ scope: "pcmk__primitive_assign", rsc: "B", node: "node2", score: 16 });
  });

  it("a sequential colocation set keeps all members together", () => {
    const c = `<rsc_colocation id="cs" score="INFINITY"><resource_set id="cs1"><resource_ref id="A"/><resource_ref id="B"/><resource_ref id="C"/></resource_set></rsc_colocation><rsc_location id="lc" rsc="C" node="node2" score="-INFINITY"/>`;
    const r = schedule(cib({ nodes: [{ name: "node1" }, { name: "node2" }], resources: dummy("A") + dummy("B") + dummy("C"), constraints: c }), NOW);
    expect(r.summary).toEqual(["  * Start      A       ( node1 )", "  * Start      B       ( node1 )", "  * Start      C       ( node1 )"]);
  });

  it("date rules use the CIB's execution-date as now", () => {
    const c = `<rsc_location id="ld" rsc="A"><rule id="rd" score="-INFINITY"><date_expression id="de" operation="lt" end="2020-01-01"/><expression id="dn" attribute="#uname" operation="eq" value="node1"/></rule></rsc_location><rsc_location id="pref" rsc="A" node="node1" score="10"/>`;
    const before2020 = schedule(cib({ nodes: two, resources: dummy("A"), constraints: c, extraAttrs: `execution-date="1500000000"` }), NOW);
    expect(placement(before2020, "A")).toBe("node2");
    const after2020 = schedule(cib({ nodes: two, resources: dummy("A"), constraints: c, extraAttrs: `execution-date="1700000000"` }), NOW);
    expect(placement(after2020, "A")).toBe("node1");
  });
});
