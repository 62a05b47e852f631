// resource-op-update through the real API (POST /api/preview and /api/changes) and the
// real CLI against it: one change, one CIB write; a bad value is refused naming the
// field and leaves the CIB as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyCib } from "../cib/empty";
import { applyChange } from "../cib/ops";
import { startHostModeServer, type HostModeServer } from "./test-host-server";

let h: HostModeServer;
beforeAll(async () => {
  // a configured primitive and no hosts: nothing runs, the configuration is what is tested
  const initialCib = () =>
    applyChange(emptyCib(), { op: "resource-create", id: "d1", agent: "ocf:vigil:Dummy", params: {}, ops: [{ name: "monitor", attrs: { interval: "10s", timeout: "20s" } }], meta: {}, noDefaultOps: true, force: true }, { force: true }).cib;
  h = await startHostModeServer({ initialCib });
}, 60_000);
afterAll(async () => h?.stop());

const epoch = () => Number(h.cluster.controller.snapshot().cib.attrs.epoch);


describe("resource-op-update over the API", () => {
  it("a bad interval is a 400 naming the field, in the preview and on apply, and the CIB stays", async () => {
    const e0 = epoch();
    const bad = { op: "resource-op-update", id: "d1", opId: "d1-monitor-interval-10s", set: { interval: "10x" } };
    const pv = await h.call("POST", "/api/preview", bad);
    expect(pv.status).toBe(400);
    expect(pv.json).toMatchObject({ field: "interval" });
    const ap = await h.call("POST", "/api/changes", bad);
    expect(ap.status).toBe(400);
    expect(ap.json).toMatchObject({ error: "'10x' is not a valid interval value for op monitor: use e.g. 10s, 1min, 500ms", field: "interval" });
    expect(epoch()).toBe(e0);
    const missing = await h.call("POST", "/api/changes", { op: "resource-op-update", id: "d1", opId: "nope", set: { timeout: "5s" } });
    expect(missing.status).toBe(404);
  });

  it("one change is one CIB write with the new op in the XML", async () => {
    const e0 = epoch();
    const r = await h.call("POST", "/api/changes", { op: "resource-op-update", id: "d1", opId: "d1-monitor-interval-10s", set: { interval: "20s", "on-fail": "block" } });
    expect(r.status).toBe(200);
    expect(epoch()).toBe(e0 + 1);
    const xml = (await h.call("GET", "/api/cib")).text;
    expect(xml).toContain('<op id="d1-monitor-interval-20s" name="monitor" interval="20s" timeout="20s" on-fail="block"');
    expect(xml).not.toContain("d1-monitor-interval-10s");
  });

  it("vigil resource update ID op monitor ... replaces it on the running cluster", async () => {
    const e0 = epoch();
    const r = await h.vigil("resource", "update", "d1", "op", "monitor", "interval=30s", "timeout=40s");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(epoch()).toBe(e0 + 1);
    const cfg = await h.vigil("resource", "config", "d1");
    expect(cfg.stdout).toMatch(/ monitor: d1-monitor-interval-30s\n +interval=30s timeout=40s\n/);
  });
});
