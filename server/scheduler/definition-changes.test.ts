// Definition changes (op-digest comparison) and the related failure, quorum and
// interleave semantics. Our own small CIBs; every expected summary and action
// list was checked with crm_simulate 2.1.5 on the same CIB (exported as XML).
import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { cib, dummy, meta, probedStopped, running, type NodeSpec } from "./test-helpers";
import { opDigest, restartDigest, secureDigest } from "../cib/op-digest";
import { configuredDigest } from "./definition-changes";
import { executionOrder, formatActionLine } from "./format";
import type { Cib, LrmRscOp, Primitive, Resource } from "../cib/types";

const NOW = { now: 1_800_000_000 };

function ia(id: string, rec: Record<string, string>): string {
  return `<instance_attributes id="${id}-ia">${Object.entries(rec)
    .map(([k, v]) => `<nvpair id="${id}-ia-${k}" name="${k}" value="${v}"/>`)
    .join("")}</instance_attributes>`;
}

function prim(c: Cib, id: string): Primitive {
  const find = (rs: Resource[]): Primitive | undefined => {
    for (const r of rs) {
      if (r.kind === "primitive" && r.id === id) return r;
      if (r.kind === "group") {
        const f = find(r.children);
        if (f) return f;
      }
      if (r.kind === "clone") {
        const f = find([r.child]);
        if (f) return f;
      }
    }
    return undefined;
  };
  return find(c.configuration.resources)!;
}

/** The configuration changes after the history was recorded (the history keeps the old digests). */
function setParam(c: Cib, id: string, name: string, value: string): void {
  for (const nv of prim(c, id).instanceAttributes[0].nvpairs) if (nv.name === name) nv.value = value;
}

function startOf(c: Cib, node: string, rsc: string): LrmRscOp {
  return c.status.find((s) => s.uname === node)!.lrmResources.find((l) => l.id === rsc)!.ops[0];
}

function run(c: Cib): { summary: string[]; actions: string[] } {
  const r = schedule(c, NOW);
  return { summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()), actions: executionOrder(r.transition).map((a) => formatActionLine(a).replace(/\s+/g, " ").trim()) };
}

const runningOnNode1 = (): NodeSpec[] => [{ name: "node1", history: { A: running() } }, { name: "node2", history: { A: probedStopped() } }];
const RESTART = ["* Resource action: A stop on node1", "* Resource action: A start on node1", "* Resource action: A monitor=10000 on node1"];

describe("definition changes (op-digest)", () => {
  it("a history that matches the configuration needs nothing", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A", ia("A", { fake: "1" })) });
    expect(run(c)).toEqual({ summary: [], actions: [] });
  });

  it("a changed parameter restarts the resource where it runs", () => {
    const c = cib({ props: { "no-quorum-policy": "stop" }, nodes: runningOnNode1(), resources: dummy("A", ia("A", { fake: "1" })) });
    setParam(c, "A", "fake", "2");
    const r = run(c);
    expect(r.summary).toEqual(["* Restart A ( node1 ) due to resource definition change"]);
    expect(r.actions).toEqual(RESTART);
  });

  it("without fencing and with quorum ignored the restart carries no reason (its start needs nothing)", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A", ia("A", { fake: "1" })) });
    setParam(c, "A", "fake", "2");
    expect(run(c)).toEqual({ summary: ["* Restart A ( node1 )"], actions: RESTART });
  });

  it("a history without op-digest counts as changed", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A") });
    startOf(c, "node1", "A").opDigest = undefined;
    expect(run(c).actions).toEqual(RESTART);
  });

  it("a changed monitor definition only runs that monitor again", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A") });
    prim(c, "A").operations[0].timeout = "30s";
    expect(run(c)).toEqual({ summary: [], actions: ["* Resource action: A monitor=10000 on node1"] });
  });

  it("a reloadable parameter change reloads when the history has a restart digest", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A", ia("A", { fake: "1", state: "/tmp/s" }), false) });
    const start = startOf(c, "node1", "A");
    start.opForceRestart = " state ";
    start.opRestartDigest = restartDigest({ fake: "1", state: "/tmp/s" }, 0, 20000, " state ");
    setParam(c, "A", "fake", "2");
    const r = run(c);
    expect(r.summary).toEqual(["* Reload A ( node1 )"]);
    expect(r.actions).toContain("* Resource action: A reload-agent on node1");
    expect(r.actions.some((l) => / (stop|start) on /.test(l))).toBe(false);
    // a non-reloadable one restarts
    setParam(c, "A", "state", "/tmp/t");
    expect(run(c).summary).toEqual(["* Restart A ( node1 )"]);
  });

  it("a secret masked in the CIB is not a change (the secure digest still matches)", () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A", ia("A", { login: "root", passwd: "secret" }), false) });
    const start = startOf(c, "node1", "A");
    start.crmFeatureSet = "3.16.1";
    start.opSecureParams = " passwd ";
    start.opSecureDigest = secureDigest({ login: "root", passwd: "secret" }, 0, 20000, " passwd ", { featureSet: "3.16.1", stonith: false });
    setParam(c, "A", "passwd", "****");
    expect(run(c).summary).toEqual([]);
    setParam(c, "A", "login", "admin");
    expect(run(c).summary).toEqual(["* Restart A ( node1 )"]);
  });

  it('"#default" means the parameter is not set', () => {
    const c = cib({ nodes: runningOnNode1(), resources: dummy("A", ia("A", { fake: "#default" }), false) });
    startOf(c, "node1", "A").opDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8"; // Pacemaker's digest of no parameters
    expect(run(c).summary).toEqual([]);
  });

  it("a changed definition clears no per-operation fail-count in a CIB without crm_feature_set (such fail-counts do not count there)", () => {
    const nodes: NodeSpec[] = [
      { name: "node1", history: { A: running() }, transient: { "fail-count-A#monitor_10000": "1", "last-failure-A#monitor_10000": "1600000000" } },
      { name: "node2", history: { A: probedStopped() } },
    ];
    const c = cib({ nodes, resources: dummy("A", ia("A", { fake: "1" })) });
    setParam(c, "A", "fake", "2");
    const r = run(c);
    expect(r.actions).toEqual(RESTART);
  });
});

describe("fail-count expiry", () => {
  const withFailCount = (name: string): NodeSpec[] => [
    { name: "node1", history: { A: running() }, transient: { [`fail-count-${name}`]: "1", [`last-failure-${name}`]: "1600000000" } },
    { name: "node2", history: { A: probedStopped() } },
  ];
  it("an expired legacy fail-count is cleared even when the history shows no failure", () => {
    const c = cib({ nodes: withFailCount("A"), resources: dummy("A", meta("A", { "failure-timeout": "60s" })) });
    expect(run(c).actions).toEqual(["* Cluster action: clear_failcount for A on node1"]);
  });
  it("a per-operation fail-count is not matched with a successful history entry", () => {
    const c = cib({ nodes: withFailCount("A#monitor_10000"), resources: dummy("A", meta("A", { "failure-timeout": "60s" })) });
    expect(run(c).actions).toEqual([]);
  });
});

describe("starts that cannot run", () => {
  it("stay optional: blocked in the summary, and the group's start is not in the transition", () => {
    const c = cib({ quorum: false, props: { "no-quorum-policy": "stop" }, nodes: [{ name: "node1" }, { name: "node2" }], resources: `<group id="G">${dummy("A")}${dummy("B")}</group>` });
    const r = run(c);
    expect(r.summary).toEqual(["* Start A ( node1 ) due to no quorum (blocked)", "* Start B ( node1 ) due to no quorum (blocked)"]);
    expect(r.actions.filter((l) => l.startsWith("* Pseudo action"))).toEqual([]);
    expect(r.actions.every((l) => / monitor on node[12]$/.test(l))).toBe(true);
  });

  it("an interleaved instance with no partner beside it is not placed at all", () => {
    const res = `<clone id="CA">${dummy("A", "", false)}${meta("CA", { interleave: "true" })}</clone><clone id="CB">${dummy("B", "", false)}${meta("CB", { interleave: "true" })}</clone>`;
    const cons = `<rsc_order id="o1" first="CA" then="CB"/><rsc_location id="l1" rsc="CA" node="node1" score="-INFINITY"/>`;
    const r = run(cib({ nodes: [{ name: "node1" }, { name: "node2" }], resources: res, constraints: cons }));
    expect(r.summary).toEqual(["* Start A:0 ( node2 )", "* Start B:1 ( node2 )"]);
    // probes go to the instance assigned to each node
    expect(r.actions).toContain("* Resource action: B:0 monitor on node1");
    expect(r.actions).toContain("* Resource action: B:1 monitor on node2");
    expect(r.actions.some((l) => l.includes("start on node1"))).toBe(false);
  });
});

describe("configuredDigest", () => {
  it("is opDigest, with and without parameters, for any interval and timeout, also when asked again", () => {
    const sets: Record<string, string>[] = [{}, { a: "1" }, { CRM_meta_x: "2" }, { b: "x", a: "y" }];
    for (let round = 0; round < 2; round++)
      for (const params of sets)
        for (const intervalMs of [0, 10000, 30000])
          for (const timeoutMs of [20000, 40000, 60000]) {
            expect(configuredDigest(params, intervalMs, timeoutMs), JSON.stringify({ params, intervalMs, timeoutMs })).toBe(opDigest(params, intervalMs, timeoutMs));
          }
  });
});
