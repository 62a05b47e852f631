// The CLI's offline mode (-f FILE, like pcs -f) and its parsing, in-process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCib } from "../demo/cib";
import { exportCibXml, parseCibXml } from "../cib/xml";
import { parseCreateArgs, runCli } from "./main";

let dir: string;
let file: string;

async function vigil(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}
const epoch = () => parseCibXml(readFileSync(file, "utf8")).attrs.epoch;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vigil-cli-"));
  file = path.join(dir, "cib.xml");
  writeFileSync(file, exportCibXml(demoCib()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("argument parsing", () => {
  it("splits params, ops and meta like pcs", () => {
    expect(parseCreateArgs(["ip=10.0.0.1", "op", "monitor", "interval=30s", "timeout=20s", "op", "start", "timeout=40s", "meta", "priority=2"])).toEqual({
      params: { ip: "10.0.0.1" },
      ops: [
        { name: "monitor", attrs: { interval: "30s", timeout: "20s" } },
        { name: "start", attrs: { timeout: "40s" } },
      ],
      meta: { priority: "2" },
    });
    expect(() => parseCreateArgs(["ip"])).toThrow("missing value of 'ip' option");
    expect(() => parseCreateArgs(["op", "interval=1s"])).toThrow(/needs an action name/);
  });
});

describe("vigil -f FILE (offline)", () => {
  it("creates a resource in a new group with pcs ids and bumps the epoch", async () => {
    const e0 = Number(epoch());
    const r = await vigil("-f", file, "resource", "create", "web2", "ocf:vigil:WebServer", "port=18090", "op", "monitor", "interval=7s", "--group", "g2");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(Number(epoch())).toBe(e0 + 1);
    const cfg = await vigil("-f", file, "resource", "config", "g2");
    expect(cfg.stdout).toContain(" Group: g2");
    expect(cfg.stdout).toContain("Resource: web2 (class=ocf provider=vigil type=WebServer)");
    expect(cfg.stdout).toContain("web2-monitor-interval-7s");
    expect(cfg.stdout).toContain("port=18090");
  });

  it("resource create ... clone / promotable wraps it in the same write", async () => {
    const e0 = Number(epoch());
    expect((await vigil("-f", file, "resource", "create", "c1", "ocf:vigil:Dummy", "op", "monitor", "interval=11s", "clone", "c1-set", "clone-max=2")).code).toBe(0);
    expect((await vigil("-f", file, "resource", "create", "p1", "ocf:vigil:Stateful", "promotable", "promoted-max=1")).code).toBe(0);
    expect(Number(epoch())).toBe(e0 + 2);
    const cfg = (await vigil("-f", file, "resource", "config", "c1-set", "p1-clone")).stdout;
    expect(cfg).toContain(" Clone: c1-set\n  Meta Attributes: c1-set-meta_attributes\n    clone-max=2\n  Resource: c1");
    expect(cfg).toContain(" Clone: p1-clone\n  Meta Attributes: p1-clone-meta_attributes\n    promotable=true\n    promoted-max=1");
    expect((await vigil("-f", file, "resource", "unclone", "c1-set")).code).toBe(0);
    expect((await vigil("-f", file, "resource", "delete", "c1")).code).toBe(0);
    expect((await vigil("-f", file, "resource", "delete", "p1")).code).toBe(0);
  });

  it("constraints with negative scores and the pcs config layout", async () => {
    expect((await vigil("-f", file, "constraint", "colocation", "add", "g2", "with", "web", "-INFINITY")).code).toBe(0);
    expect((await vigil("-f", file, "constraint", "location", "g2", "avoids", "node3")).code).toBe(0);
    const o = await vigil("-f", file, "constraint", "order", "web", "then", "g2");
    expect(o.stdout.trim()).toBe("Adding web g2 (kind: Mandatory) (Options: first-action=start then-action=start)");
    const c = await vigil("-f", file, "constraint", "config", "--full");
    expect(c.stdout).toContain("Location Constraints:\n  Resource: web\n    Enabled on:\n      Node: node1 (score:100) (id:location-web-node1-100)");
    expect(c.stdout).toContain("    Disabled on:\n      Node: node3 (score:-INFINITY) (id:location-g2-node3--INFINITY)");
    expect(c.stdout).toContain("  start web then start g2 (kind:Mandatory) (id:order-web-g2-mandatory)");
    expect(c.stdout).toContain("  g2 with web (score:-INFINITY) (id:colocation-g2-web--INFINITY)");
    expect((await vigil("-f", file, "constraint", "delete", "order-web-g2-mandatory")).code).toBe(0);
    expect((await vigil("-f", file, "constraint")).stdout).not.toContain("then start g2");
  });

  it("constraint location ... rule writes a Pacemaker rule", async () => {
    const r = await vigil("-f", file, "constraint", "location", "dummy1", "rule", "score=500", "#uname", "eq", "node2", "or", "pingd", "gt", "integer", "0");
    expect(r.stderr).toBe("");
    const xml = readFileSync(file, "utf8");
    expect(xml).toMatch(/<rsc_location id="location-dummy1" rsc="dummy1">\s*<rule id="location-dummy1-rule" (score="500" boolean-op="or"|boolean-op="or" score="500")>/);
    expect(xml).toContain('<expression id="location-dummy1-rule-expr" attribute="#uname" operation="eq" value="node2"/>');
    expect(xml).toMatch(/<expression id="location-dummy1-rule-expr-1" attribute="pingd" operation="gt" (value="0" type="integer"|type="integer" value="0")\/>/);
    const bad = await vigil("-f", file, "constraint", "location", "dummy1", "rule", "#uname", "eq", "node2", "and", "x", "or", "y", "defined");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: mixing 'and' and 'or'/);
    expect((await vigil("-f", file, "constraint", "delete", "location-dummy1")).code).toBe(0);
  });

  it("properties and node standby", async () => {
    expect((await vigil("-f", file, "property", "set", "maintenance-mode=true", "batch-limit=4")).code).toBe(0);
    const p = await vigil("-f", file, "property", "config");
    expect(p.stdout).toBe("Cluster Properties:\n batch-limit: 4\n cluster-name: vigil-demo\n maintenance-mode: true\n no-quorum-policy: stop\n stonith-enabled: false\n");
    expect((await vigil("-f", file, "property", "unset", "maintenance-mode")).code).toBe(0);
    expect((await vigil("-f", file, "node", "standby", "--all")).code).toBe(0);
    expect(readFileSync(file, "utf8")).toContain('<nvpair id="nodes-3-standby" name="standby" value="on"/>');
  });

  it("Pacemaker's crm_verify accepts the file vigil -f wrote", async () => {
    expect((await vigil("-f", file, "constraint", "location", "web", "rule", "score=50", "#uname", "eq", "node2")).code).toBe(0);
    expect((await vigil("-f", file, "resource", "ban", "dummy1", "node3", "lifetime=P1D")).code).toBe(0);
    expect((await vigil("-f", file, "resource", "create", "cl", "ocf:vigil:Dummy", "clone", "clone-max=2")).code).toBe(0);
    const r = spawnSync("crm_verify", ["-x", file], { encoding: "utf8" });
    expect(r.error, "crm_verify (pacemaker-cli-utils) must be installed").toBeUndefined();
    expect(r.stderr + r.stdout).not.toMatch(/error/i);
    expect(r.status).toBe(0);
  });

  it("every error is one line, exit 1, and the file is byte-identical", async () => {
    const before = readFileSync(file, "utf8");
    for (const args of [
      ["resource", "create", "web2", "ocf:vigil:Dummy"],
      ["resource", "create", "n1", "ocf:vigil:Dummy", "bogus=1"],
      ["resource", "delete", "ghost"],
      ["node", "standby", "node9"],
      ["node", "standby"],
      ["constraint", "order", "web", "then", "ghost"],
      ["property", "set", "stonith-enabled=perhaps"],
      ["property", "set", "no-such-property=1"],
      ["resource", "create", "n2", "ocf:vigil:Dummy", "op", "monitor", "interval=soon"],
      ["resource", "frobnicate"],
      ["--bogus"],
    ]) {
      const r = await vigil("-f", file, ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(/^Error: \S/);
      expect(readFileSync(file, "utf8")).toBe(before);
    }
  });

  it("cib-push onto a file replaces its configuration", async () => {
    const other = path.join(dir, "other.xml");
    const cib = demoCib();
    cib.attrs.epoch = "99";
    writeFileSync(other, exportCibXml(cib));
    const r = await vigil("-f", file, "cluster", "cib-push", other);
    expect(r.code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toContain("web2");
    const old = path.join(dir, "old.xml");
    writeFileSync(old, exportCibXml(demoCib()));
    const o = await vigil("-f", file, "cluster", "cib-push", old);
    expect(o.code).toBe(1);
    expect(o.stderr).toMatch(/older than existing one/);
  });
});
