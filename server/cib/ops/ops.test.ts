import { describe, expect, it } from "vitest";
import { demoCib } from "../../demo/cib";
import { err } from "./test-helpers";
import { findResource, findConstraint } from "../find";
import { nvGet } from "../nvset";
import type { Cib, Group, Primitive } from "../types";
import { applyChange, type AgentCatalog } from "./index";

const agents: AgentCatalog = {
  list: () => ["ocf:vigil:Dummy", "ocf:vigil:WebServer", "ocf:heartbeat:IPaddr2", "ocf:pacemaker:Dummy"],
  describe: (n) =>
    n === "ocf:heartbeat:IPaddr2"
      ? { name: n, params: [{ name: "ip", required: true }, { name: "cidr_netmask", required: false }], actions: [{ name: "start", interval: "0s", timeout: "20s" }, { name: "monitor", interval: "10s", timeout: "20s" }] }
      : { name: n },
};


describe("resource create (pcs semantics)", () => {
  it("writes pcs ids, the given ops and a default monitor", () => {
    const { cib } = applyChange(demoCib(), {
      op: "resource-create", id: "d3", agent: "ocf:vigil:Dummy", params: { state: "/tmp/x" }, ops: [{ name: "start", attrs: { timeout: "30s" } }], meta: { priority: "5" },
    }, { agents });
    const p = findResource(cib, "d3") as Primitive;
    expect(p.instanceAttributes[0].id).toBe("d3-instance_attributes");
    expect(p.instanceAttributes[0].nvpairs[0]).toEqual({ id: "d3-instance_attributes-state", name: "state", value: "/tmp/x" });
    expect(p.metaAttributes[0].id).toBe("d3-meta_attributes");
    expect(p.operations.map((o) => o.id)).toEqual(["d3-start-interval-0s", "d3-monitor-interval-10s"]);
  });
  it("copies meta-data ops, deduces short names, checks required params", () => {
    const r = applyChange(demoCib(), { op: "resource-create", id: "vip", agent: "IPaddr2", params: { ip: "127.0.0.9" }, ops: [], meta: {} }, { agents });
    expect(r.warnings[0]).toContain("Assumed agent name 'ocf:heartbeat:IPaddr2'");
    expect((findResource(r.cib, "vip") as Primitive).operations.map((o) => o.id)).toEqual(["vip-start-interval-0s", "vip-monitor-interval-10s"]);
    expect(err(() => applyChange(demoCib(), { op: "resource-create", id: "vip", agent: "ocf:heartbeat:IPaddr2", params: {}, ops: [], meta: {} }, { agents })).message).toContain("'ip' is missing");
    expect(err(() => applyChange(demoCib(), { op: "resource-create", id: "x", agent: "Dummy", params: {}, ops: [], meta: {} }, { agents })).message).toContain("Multiple agents match");
  });
  it("refuses duplicate ids, unknown agents (unless forced) and bad op values, naming the field", () => {
    const e = err(() => applyChange(demoCib(), { op: "resource-create", id: "dummy1", agent: "ocf:vigil:Dummy", params: {}, ops: [], meta: {} }, { agents }));
    expect(e.message).toBe("'dummy1' already exists");
    expect(e.details.field).toBe("id");
    expect(err(() => applyChange(demoCib(), { op: "resource-create", id: "n", agent: "ocf:vigil:Nope", params: {}, ops: [], meta: {} }, { agents })).details.code).toBe("unknown-agent");
    expect(() => applyChange(demoCib(), { op: "resource-create", id: "n", agent: "ocf:vigil:Nope", params: {}, ops: [], meta: {}, force: true }, { agents })).not.toThrow();
    expect(err(() => applyChange(demoCib(), { op: "resource-create", id: "n", agent: "ocf:vigil:Dummy", params: {}, ops: [{ name: "monitor", attrs: { interval: "often" } }], meta: {} }, { agents })).details.field).toBe("op monitor interval");
  });
  it("checks op options at create as the operation editor does (same rule, same message)", () => {
    const create = (attrs: Record<string, string>) =>
      err(() => applyChange(demoCib(), { op: "resource-create", id: "n", agent: "ocf:vigil:Dummy", params: {}, ops: [{ name: "monitor", attrs }], meta: {} }, { agents }));
    const edit = (set: Record<string, string>) => err(() => applyChange(demoCib(), { op: "resource-op-update", id: "dummy1", name: "monitor", set }, { agents }));
    const bads: Record<string, string>[] = [{ enabled: "maybe" }, { "on-fail": "panic" }, { OCF_CHECK_LEVEL: "deep" }, { role: "Leader" }, { timeout: "soon" }];
    for (const bad of bads) {
      const [k] = Object.keys(bad);
      const c = create(bad);
      expect(c.details.field).toBe(`op monitor ${k}`);
      expect(c.message).toBe(edit(bad).message);
      expect(edit(bad).details.field).toBe(k);
    }
    expect(create({ timeout: "" }).message).toBe("op monitor timeout needs a value");
    expect(edit({ id: "x" }).details.field).toBe("id");
  });
  it("--group creates or appends, --before places", () => {
    let { cib } = applyChange(demoCib(), { op: "resource-create", id: "a", agent: "ocf:vigil:Dummy", params: {}, ops: [], meta: {}, group: "g" }, { agents });
    ({ cib } = applyChange(cib, { op: "resource-create", id: "b", agent: "ocf:vigil:Dummy", params: {}, ops: [], meta: {}, group: "g", before: "a" }, { agents }));
    expect((findResource(cib, "g") as Group).children.map((c) => c.id)).toEqual(["b", "a"]);
  });
  it("does not modify its input", () => {
    const before = demoCib();
    const copy = JSON.stringify(before);
    applyChange(before, { op: "resource-create", id: "z", agent: "ocf:vigil:Dummy", params: {}, ops: [], meta: {} }, { agents });
    applyChange(before, { op: "resource-delete", id: "web" });
    expect(JSON.stringify(before)).toBe(copy);
  });
});

describe("resource delete", () => {
  it("removes constraints naming it and empty groups", () => {
    let cib: Cib = applyChange(demoCib(), { op: "resource-delete", id: "demo-vip" }).cib;
    expect(findResource(cib, "web")).toBeDefined();
    const r = applyChange(cib, { op: "resource-delete", id: "web-server" });
    cib = r.cib;
    expect(findResource(cib, "web")).toBeUndefined();
    expect(cib.configuration.constraints).toEqual([]);
    expect(r.message).toContain("Removing Constraint - location-web-node1-100");
  });
  it("unknown resource is an error", () => {
    expect(err(() => applyChange(demoCib(), { op: "resource-delete", id: "nope" })).message).toBe("Resource 'nope' does not exist");
  });
});

describe("nodes, properties, constraints", () => {
  it("standby sets nodes/node/instance_attributes standby=on; unstandby removes it", () => {
    let { cib } = applyChange(demoCib(), { op: "node-standby", nodes: ["node1"], on: true });
    const n = cib.configuration.nodes[0];
    expect(n.instanceAttributes[0]).toEqual({ id: "nodes-1", nvpairs: [{ id: "nodes-1-standby", name: "standby", value: "on" }] });
    ({ cib } = applyChange(cib, { op: "node-standby", nodes: ["node1"], on: false }));
    expect(nvGet(cib.configuration.nodes[0].instanceAttributes, "standby")).toBeUndefined();
    expect(err(() => applyChange(demoCib(), { op: "node-standby", nodes: ["node9"], on: true })).message).toBe("Node 'node9' does not appear to exist in configuration");
  });
  it("property set/unset validates names and values", () => {
    const { cib } = applyChange(demoCib(), { op: "property-set", name: "maintenance-mode", value: "true" });
    expect(nvGet(cib.configuration.crmConfig, "maintenance-mode")).toBe("true");
    expect(cib.configuration.crmConfig[0].nvpairs.at(-1)?.id).toBe("cib-bootstrap-options-maintenance-mode");
    expect(err(() => applyChange(demoCib(), { op: "property-set", name: "no-quorum-policy", value: "dance" })).details.field).toBe("no-quorum-policy");
    expect(err(() => applyChange(demoCib(), { op: "property-set", name: "bogus", value: "1" })).message).toContain("unknown cluster property");
    expect(err(() => applyChange(demoCib(), { op: "property-unset", name: "maintenance-mode" })).message).toContain("doesn't exist");
  });
  it("constraints get pcs ids and refuse unknown resources", () => {
    let r = applyChange(demoCib(), { op: "constraint-location", rsc: "dummy1", node: "node2", score: "-INFINITY" });
    expect(findConstraint(r.cib, "location-dummy1-node2--INFINITY")).toBeDefined();
    r = applyChange(r.cib, { op: "constraint-order", first: "web", then: "dummy1" });
    expect(r.message).toBe("Adding web dummy1 (kind: Mandatory) (Options: first-action=start then-action=start)");
    expect(findConstraint(r.cib, "order-web-dummy1-mandatory")).toBeDefined();
    expect(err(() => applyChange(demoCib(), { op: "constraint-colocation", rsc: "ghost", withRsc: "web" })).message).toBe("Resource 'ghost' does not exist");
    expect(err(() => applyChange(demoCib(), { op: "constraint-colocation", rsc: "dummy2", withRsc: "web" })).details.code).toBe("duplicate-constraint");
    expect(err(() => applyChange(demoCib(), { op: "constraint-delete", id: "nope" })).message).toBe("Unable to find constraint - 'nope'");
  });
  it("move / ban / clear use cli-prefer and cli-ban", () => {
    let { cib } = applyChange(demoCib(), { op: "resource-move", id: "dummy1", node: "node3" });
    ({ cib } = applyChange(cib, { op: "resource-ban", id: "dummy1", node: "node2" }));
    expect(cib.configuration.constraints.map((c) => c.id)).toContain("cli-prefer-dummy1");
    expect(cib.configuration.constraints.map((c) => c.id)).toContain("cli-ban-dummy1-on-node2");
    ({ cib } = applyChange(cib, { op: "resource-clear", id: "dummy1" }));
    expect(cib.configuration.constraints.map((c) => c.id)).toEqual(["location-web-node1-100", "colocation-dummy2-web-INFINITY"]);
  });
  it("enable / disable toggle target-role", () => {
    let { cib } = applyChange(demoCib(), { op: "resource-disable", ids: ["web"] });
    expect(nvGet(findResource(cib, "web")!.metaAttributes, "target-role")).toBe("Stopped");
    ({ cib } = applyChange(cib, { op: "resource-enable", ids: ["web"] }));
    expect(nvGet(findResource(cib, "web")!.metaAttributes, "target-role")).toBeUndefined();
  });
});

describe("cleanup", () => {
  it("forgets the history and fail-counts of the named resource only; unknown names are errors", () => {
    const cib = demoCib();
    const op = (id: string, operation: string, interval: string, rc: string) => ({ id, operation, interval, callId: "1", rcCode: rc, opStatus: "0" });
    cib.status = [
      {
        id: "1", uname: "node1",
        transientAttributes: [{ id: "status-1", nvpairs: [{ id: "a", name: "fail-count-web-server#monitor_5000", value: "1" }, { id: "b", name: "last-failure-web-server#monitor_5000", value: "1700000000" }, { id: "c", name: "fail-count-dummy1#start_0", value: "1" }] }],
        lrmResources: [
          { id: "web-server", ops: [op("web-server_last_0", "start", "0", "0"), op("web-server_monitor_5000", "monitor", "5000", "7")] },
          { id: "dummy1", ops: [op("dummy1_last_0", "start", "0", "0")] },
        ],
      },
    ];
    const r = applyChange(cib, { op: "resource-cleanup", id: "web-server" });
    expect(r.cib.status[0].lrmResources.map((x) => x.id)).toEqual(["dummy1"]);
    expect(r.cib.status[0].transientAttributes[0].nvpairs.map((p) => p.name)).toEqual(["fail-count-dummy1#start_0"]);
    expect(r.message).toBe("Cleaned up web-server on node1");
    expect(r.cib.configuration).toBe(cib.configuration);
    expect(err(() => applyChange(cib, { op: "resource-cleanup", id: "ghost" })).message).toBe("Resource 'ghost' does not exist");
    expect(err(() => applyChange(cib, { op: "resource-cleanup", node: "node9" })).details.field).toBe("node");
  });
});

describe("groups and clones", () => {
  it("group add moves primitives into a new group at the first member's place; emptied groups go", () => {
    let { cib } = applyChange(demoCib(), { op: "group-add", group: "pair", ids: ["dummy1", "dummy2"] });
    expect(cib.configuration.resources.map((r) => r.id)).toEqual(["pair", "web"]);
    expect((findResource(cib, "pair") as Group).children.map((c) => c.id)).toEqual(["dummy1", "dummy2"]);
    const r = applyChange(cib, { op: "group-add", group: "pair", ids: ["demo-vip", "web-server"], before: "dummy2" });
    cib = r.cib;
    expect((findResource(cib, "pair") as Group).children.map((c) => c.id)).toEqual(["dummy1", "demo-vip", "web-server", "dummy2"]);
    expect(findResource(cib, "web")).toBeUndefined();
    expect(r.message).toContain("Removing group: web");
    expect(cib.configuration.constraints.map((c) => c.id)).toEqual([]);
  });
  it("group remove takes members out; without members the group is dissolved", () => {
    let { cib } = applyChange(demoCib(), { op: "group-remove", group: "web", ids: ["web-server"] });
    expect(cib.configuration.resources.map((r) => r.id)).toEqual(["dummy1", "dummy2", "web", "web-server"]);
    ({ cib } = applyChange(cib, { op: "group-remove", group: "web" }));
    expect(findResource(cib, "web")).toBeUndefined();
    expect(findResource(cib, "demo-vip")).toBeDefined();
    expect(err(() => applyChange(demoCib(), { op: "group-add", group: "web", ids: ["web"] })).message).toContain("into itself");
  });
  it("clone / promotable / unclone re-point constraints", () => {
    let { cib } = applyChange(demoCib(), { op: "resource-clone", id: "web", meta: { "clone-max": "2" } });
    const c = findResource(cib, "web-clone");
    expect(c?.kind).toBe("clone");
    expect(nvGet(c!.metaAttributes, "clone-max")).toBe("2");
    expect(findConstraint(cib, "location-web-node1-100")).toMatchObject({ rsc: "web-clone" });
    expect(err(() => applyChange(cib, { op: "resource-clone", id: "web", meta: {} })).message).toContain("already cloned");
    ({ cib } = applyChange(cib, { op: "resource-unclone", id: "web-clone" }));
    expect(findResource(cib, "web")?.kind).toBe("group");
    expect(findConstraint(cib, "location-web-node1-100")).toMatchObject({ rsc: "web" });
    const p = applyChange(demoCib(), { op: "resource-clone", id: "dummy1", meta: {}, promotable: true }).cib;
    expect(nvGet(findResource(p, "dummy1-clone")!.metaAttributes, "promotable")).toBe("true");
  });
});
