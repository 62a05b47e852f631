import { describe, expect, it } from "vitest";
import type { Cib, Primitive } from "./types";
import { emptyCib } from "./empty";
import {
  allConfigIds,
  allPrimitives,
  allResourceIds,
  constraintsForResource,
  findNodeByUname,
  findNodeState,
  findResource,
  findResourceHit,
  isPromotableClone,
} from "./find";

const prim = (id: string): Primitive => ({
  kind: "primitive", id, class: "ocf", provider: "heartbeat", type: "Dummy",
  metaAttributes: [], instanceAttributes: [], utilization: [],
  operations: [{ id: `${id}-monitor-10s`, name: "monitor", interval: "10s", instanceAttributes: [], metaAttributes: [] }],
});

function sample(): Cib {
  const cib = emptyCib();
  cib.configuration.nodes.push({ id: "1", uname: "node1", instanceAttributes: [], utilization: [] });
  cib.configuration.resources.push(
    prim("solo"),
    { kind: "group", id: "web", children: [prim("vip"), prim("apache")], metaAttributes: [], instanceAttributes: [] },
    { kind: "clone", id: "db-clone", legacyMaster: true, child: prim("db"), metaAttributes: [], instanceAttributes: [] },
    {
      kind: "clone", id: "g-clone", metaAttributes: [{ id: "m", nvpairs: [{ id: "m-p", name: "promotable", value: "false" }] }], instanceAttributes: [],
      child: { kind: "group", id: "g", children: [prim("g1")], metaAttributes: [], instanceAttributes: [] },
    },
  );
  cib.configuration.constraints.push(
    { kind: "colocation", id: "c1", rsc: "vip", withRsc: "db-clone", score: "INFINITY", sets: [] },
    { kind: "order", id: "o1", sets: [{ id: "s1", resources: ["g1", "apache"] }] },
  );
  cib.status.push({ id: "1", uname: "node1", transientAttributes: [], lrmResources: [] });
  return cib;
}

describe("find", () => {
  it("finds resources at every depth with their parents", () => {
    const cib = sample();
    expect(findResource(cib, "apache")?.kind).toBe("primitive");
    expect(findResourceHit(cib, "apache")?.parent?.id).toBe("web");
    expect(findResourceHit(cib, "g1")?.top.id).toBe("g-clone");
    expect(findResourceHit(cib, "g1")?.parent?.id).toBe("g");
    expect(findResource(cib, "missing")).toBeUndefined();
    expect(allResourceIds(cib)).toEqual(["solo", "web", "vip", "apache", "db-clone", "db", "g-clone", "g", "g1"]);
    expect(allPrimitives(cib).map((p) => p.id)).toEqual(["solo", "vip", "apache", "db", "g1"]);
  });
  it("finds nodes, node states and constraints by resource", () => {
    const cib = sample();
    expect(findNodeByUname(cib, "node1")?.id).toBe("1");
    expect(findNodeByUname(cib, "node2")).toBeUndefined();
    expect(findNodeState(cib, "node1")?.id).toBe("1");
    expect(constraintsForResource(cib, "apache").map((c) => c.id)).toEqual(["o1"]);
    expect(constraintsForResource(cib, "db-clone").map((c) => c.id)).toEqual(["c1"]);
  });
  it("collects every configuration id", () => {
    const ids = allConfigIds(sample());
    for (const id of ["1", "solo", "solo-monitor-10s", "web", "g1", "m", "m-p", "c1", "o1", "s1"]) expect(ids.has(id)).toBe(true);
  });
  it("knows promotable clones", () => {
    const cib = sample();
    expect(isPromotableClone(findResource(cib, "db-clone")!)).toBe(true);
    expect(isPromotableClone(findResource(cib, "g-clone")!)).toBe(false);
  });
});

describe("id-ref resolution", () => {
  it("resolves nvset, rule and resource_set references of the rules fixture", async () => {
    const { readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const { parseCibXml } = await import("./xml");
    const { findRuleById, findNvSetById, resolveNvSets, resolveRule, resolveResourceSet, allRules } = await import("./find");
    const cib = parseCibXml(readFileSync(path.resolve(import.meta.dirname, "fixtures/rules.xml"), "utf8"));
    const helper = findResource(cib, "helper") as Primitive;
    expect(resolveNvSets(cib, helper.metaAttributes)).toEqual([findNvSetById(cib, "worker-meta-2")]);
    expect(resolveNvSets(cib, helper.metaAttributes)[0].nvpairs.map((p) => p.name)).toEqual(["migration-threshold", "failure-timeout"]);
    const loc = cib.configuration.constraints.find((c) => c.id === "helper-rules");
    const ref = loc?.kind === "location" ? loc.rules[0] : undefined;
    expect(resolveRule(cib, ref!)).toBe(findRuleById(cib, "worker-prefer-rack"));
    expect(allRules(cib).map((r) => r.id)).toContain("worker-window-inner");
    expect(resolveNvSets(cib, [{ id: "", idRef: "ghost", nvpairs: [] }])).toEqual([{ id: "", idRef: "ghost", nvpairs: [] }]);
    const set = { id: "", idRef: "set-x", resources: [] };
    expect(resolveResourceSet(cib, set)).toBe(set);
  });

  it("does not loop on cyclic rule references", async () => {
    const { resolveRule } = await import("./find");
    const cib = sample();
    const a = { kind: "rule" as const, id: "a", expressions: [{ kind: "rule" as const, id: "", idRef: "a", expressions: [] }] };
    cib.configuration.constraints.push({ kind: "location", id: "l", rsc: "solo", rules: [a], sets: [] });
    expect(resolveRule(cib, a)).toBe(a);
  });
});
