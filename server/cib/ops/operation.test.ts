import { describe, expect, it } from "vitest";
import { demoCib } from "../../demo/cib";
import { ChangeSchema } from "../../api/contract";
import { err } from "./test-helpers";
import { findResource } from "../find";
import { exportCibXml } from "../xml";
import type { Cib, Primitive } from "../types";
import { applyChange } from "./index";

const ops = (cib: Cib, id: string) => (findResource(cib, id) as Primitive).operations;


/** goes through the contract's schema, as the API and the CLI do */
const update = (cib: Cib, c: Record<string, unknown>) => applyChange(cib, ChangeSchema.parse({ op: "resource-op-update", ...c }));

describe("resource-op-update: one change edits one operation", () => {
  it("changes interval and timeout in place, keeping its position and renaming a pcs-generated id", () => {
    const before = demoCib();
    const { cib } = update(before, { id: "dummy1", opId: "dummy1-monitor-interval-10s", set: { interval: "20s", timeout: "30s" } });
    const list = ops(cib, "dummy1");
    expect(list.map((o) => o.id)).toEqual(["dummy1-monitor-interval-20s", "dummy1-start-interval-0s", "dummy1-stop-interval-0s"]);
    expect(list[0]).toMatchObject({ name: "monitor", interval: "20s", timeout: "30s" });
    expect(exportCibXml(cib)).toMatch(/<op id="dummy1-monitor-interval-20s" name="monitor" interval="20s" timeout="30s"/);
    // the input CIB is untouched
    expect(ops(before, "dummy1")[0].interval).toBe("10s");
  });

  it("finds the operation by name alone when there is one, and by name + interval", () => {
    const a = update(demoCib(), { id: "web-server", name: "monitor", set: { "on-fail": "block" } }).cib;
    expect(ops(a, "web-server")[0]).toMatchObject({ id: "web-server-monitor-interval-5s", onFail: "block", interval: "5s" });
    const b = update(demoCib(), { id: "web-server", name: "monitor", interval: "5000ms", set: { timeout: "40s" } }).cib;
    expect(ops(b, "web-server")[0].timeout).toBe("40s");
  });

  it("keeps a custom id, removes an option given as empty, sets OCF_CHECK_LEVEL as the op's instance attribute", () => {
    const custom = applyChange(demoCib(), { op: "resource-op-add", id: "dummy1", opSpec: { name: "monitor", attrs: { interval: "30s", id: "deep-check", "on-fail": "stop" } } }).cib;
    const { cib } = update(custom, { id: "dummy1", opId: "deep-check", set: { interval: "45s", "on-fail": "", OCF_CHECK_LEVEL: "10" } });
    const op = ops(cib, "dummy1").find((o) => o.id === "deep-check")!;
    expect(op.interval).toBe("45s");
    expect(op.onFail).toBeUndefined();
    expect(op.instanceAttributes[0].nvpairs).toEqual([expect.objectContaining({ name: "OCF_CHECK_LEVEL", value: "10" })]);
  });

  it("replace keeps only the given options (pcs resource update ID op NAME ...)", () => {
    const withFail = update(demoCib(), { id: "dummy1", name: "monitor", set: { "on-fail": "block" } }).cib;
    const { cib } = update(withFail, { id: "dummy1", name: "monitor", replace: true, set: { interval: "15s" } });
    const op = ops(cib, "dummy1")[0];
    expect(op).toMatchObject({ id: "dummy1-monitor-interval-15s", interval: "15s" });
    expect(op.onFail).toBeUndefined();
    expect(op.timeout).toBeUndefined();
  });

  it("a bad interval is refused naming the field interval, and nothing changes", () => {
    const cib = demoCib();
    const e = err(() => update(cib, { id: "dummy1", opId: "dummy1-monitor-interval-10s", set: { interval: "10x" } }));
    expect(e.message).toContain("'10x' is not a valid interval");
    expect(e.details.field).toBe("interval");
    expect(ops(cib, "dummy1")[0].interval).toBe("10s");
  });

  it("names the field of other bad values", () => {
    const cib = demoCib();
    const opId = "dummy1-monitor-interval-10s";
    expect(err(() => update(cib, { id: "dummy1", opId, set: { timeout: "soon" } })).details.field).toBe("timeout");
    expect(err(() => update(cib, { id: "dummy1", opId, set: { "on-fail": "explode" } })).details.field).toBe("on-fail");
    expect(err(() => update(cib, { id: "dummy1", opId, set: { colour: "red" } })).details.field).toBe("colour");
    expect(err(() => update(cib, { id: "dummy1", opId, set: { interval: "" } })).details.field).toBe("interval");
    expect(err(() => update(cib, { id: "dummy1", opId, set: {} })).details.field).toBe("set");
  });

  it("refuses an unknown operation, an ambiguous name, and a clash with another op of that name and interval", () => {
    const cib = demoCib();
    expect(err(() => update(cib, { id: "dummy1", opId: "nope", set: { timeout: "5s" } })).message).toContain("Unable to find operation id: nope");
    expect(err(() => update(cib, { id: "dummy1", name: "migrate_to", set: { timeout: "5s" } })).message).toContain("has no migrate_to operation");
    expect(err(() => update(cib, { id: "no-such", name: "monitor", set: { timeout: "5s" } })).details.field).toBe("id");
    const two = applyChange(cib, { op: "resource-op-add", id: "dummy1", opSpec: { name: "monitor", attrs: { interval: "30s" } } }).cib;
    const amb = err(() => update(two, { id: "dummy1", name: "monitor", set: { timeout: "5s" } }));
    expect(amb.message).toContain("has 2 monitor operations");
    const clash = err(() => update(two, { id: "dummy1", name: "monitor", interval: "30s", set: { interval: "10000ms" } }));
    expect(clash.message).toContain("already exists");
    expect(clash.details.field).toBe("interval");
  });
});

describe("resource-op-update with replace and no operation of that name", () => {
  it("adds it, as pcs resource update ID op NAME ... does", () => {
    const { cib } = update(demoCib(), { id: "dummy1", name: "reload", replace: true, set: { timeout: "15s" } });
    expect(ops(cib, "dummy1").map((o) => o.id)).toContain("dummy1-reload-interval-0s");
  });
});
