// `vigil resource update ID op ...`, `resource op update|add|delete`, offline (-f FILE) as pcs -f.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { demoCib } from "../demo/cib";
import { exportCibXml, parseCibXml } from "../cib/xml";
import { findResource } from "../cib/find";
import type { Primitive } from "../cib/types";
import { runCli } from "./main";

const dir = mkdtempSync(path.join(tmpdir(), "vigil-cli-ops-"));
const file = path.join(dir, "cib.xml");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => writeFileSync(file, exportCibXml(demoCib())));

async function vigil(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(["-f", file, ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}
const cib = () => parseCibXml(readFileSync(file, "utf8"));
const ops = (id: string) => (findResource(cib(), id) as Primitive).operations.map((o) => `${o.id} ${o.name} ${o.interval}${o.timeout ? ` timeout=${o.timeout}` : ""}${o.onFail ? ` on-fail=${o.onFail}` : ""}`);

describe("operations from the command line", () => {
  it("resource update ID op monitor ... replaces that operation in one CIB write", async () => {
    const e0 = Number(cib().attrs.epoch);
    const r = await vigil("resource", "update", "dummy1", "op", "monitor", "interval=20s", "timeout=30s");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Number(cib().attrs.epoch)).toBe(e0 + 1);
    expect(ops("dummy1")).toEqual(["dummy1-monitor-interval-20s monitor 20s timeout=30s", "dummy1-start-interval-0s start 0s timeout=20s", "dummy1-stop-interval-0s stop 0s timeout=20s"]);
  });

  it("a bad interval is refused with the field named and the file unchanged", async () => {
    const before = readFileSync(file, "utf8");
    const r = await vigil("resource", "update", "dummy1", "op", "monitor", "interval=10x");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Error: '10x' is not a valid interval value for op monitor: use e.g. 10s, 1min, 500ms\n");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("resource update ID k=v op ... meta ... is one CIB write", async () => {
    const e0 = Number(cib().attrs.epoch);
    const r = await vigil("resource", "update", "dummy1", "fake=7", "op", "monitor", "interval=15s", "meta", "resource-stickiness=50");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Number(cib().attrs.epoch)).toBe(e0 + 1);
    const prim = findResource(cib(), "dummy1") as Primitive;
    expect(prim.instanceAttributes.flatMap((s) => s.nvpairs).find((p) => p.name === "fake")?.value).toBe("7");
    expect(prim.metaAttributes.flatMap((s) => s.nvpairs).find((p) => p.name === "resource-stickiness")?.value).toBe("50");
    expect(ops("dummy1")[0]).toBe("dummy1-monitor-interval-15s monitor 15s");
  });

  it("a bad operation in resource update saves neither the attributes nor the meta", async () => {
    const before = readFileSync(file, "utf8");
    const r = await vigil("resource", "update", "dummy1", "fake=7", "op", "monitor", "interval=10x", "meta", "resource-stickiness=50");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'10x' is not a valid interval value for op monitor");
    expect(readFileSync(file, "utf8")).toBe(before);
    const twice = await vigil("resource", "update", "dummy1", "fake=7", "op", "monitor", "interval=5s", "op", "monitor", "interval=6s");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("op monitor is given twice");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("resource op update changes one option and keeps the others", async () => {
    expect((await vigil("resource", "op", "update", "dummy1", "monitor", "on-fail=block")).code).toBe(0);
    expect((await vigil("resource", "op", "update", "dummy1", "dummy1-monitor-interval-10s", "timeout=45s")).code).toBe(0);
    expect(ops("dummy1")[0]).toBe("dummy1-monitor-interval-10s monitor 10s timeout=45s on-fail=block");
  });

  it("resource op add, then op delete RESOURCE ACTION interval=..., and op remove OPID", async () => {
    expect((await vigil("resource", "op", "add", "dummy1", "monitor", "interval=30s", "timeout=10s")).code).toBe(0);
    expect(ops("dummy1")).toContain("dummy1-monitor-interval-30s monitor 30s timeout=10s");
    const amb = await vigil("resource", "op", "update", "dummy1", "monitor", "timeout=5s");
    expect(amb.code).toBe(1);
    expect(amb.stderr).toContain("has 2 monitor operations");
    expect((await vigil("resource", "op", "delete", "dummy1", "monitor", "interval=30000ms")).code).toBe(0);
    expect(ops("dummy1").filter((o) => o.includes(" monitor "))).toEqual(["dummy1-monitor-interval-10s monitor 10s timeout=20s"]);
    expect((await vigil("resource", "op", "remove", "dummy1-stop-interval-0s")).code).toBe(0);
    expect(ops("dummy1").some((o) => o.includes(" stop "))).toBe(false);
    const none = await vigil("resource", "op", "delete", "dummy1", "promote");
    expect(none.stderr).toBe("Error: Unable to find operation matching: promote\n");
  });
});
