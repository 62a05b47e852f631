// Every agent Vigil ships passes ocf-tester from Debian's resource-agents
// package (meta-data against ra-api-1.dtd, idempotent start/stop, monitor
// codes, promote/demote where offered).

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const AGENTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "resource.d", "vigil");
const OCF_TESTER = "/usr/sbin/ocf-tester";
const tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-ocf-tester-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function ocfTester(agent: string, name: string, opts: Record<string, string>): Promise<{ code: number; out: string }> {
  const args = ["-n", name];
  for (const [k, v] of Object.entries(opts)) args.push("-o", `${k}=${v}`);
  args.push(path.join(AGENTS, agent));
  return new Promise((resolve) => {
    execFile(
      OCF_TESTER,
      args,
      {
        cwd: tmp,
        timeout: 80000,
        env: { ...process.env, HA_RSCTMP: path.join(tmp, "run"), VIGIL_NODE_BIN: process.execPath, VIGIL_NODE: "tester" },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}

// ocf-tester runs each agent some 30 times; give a loaded CI machine room
const SLOW = 90000;

describe("ocf-tester", () => {
  it("passes ocf:vigil:Dummy", async () => {
    const r = await ocfTester("Dummy", "dummy1", { state: path.join(tmp, "dummy1.state") });
    expect(r.out).toContain("passed all tests");
    expect(r.code).toBe(0);
  }, SLOW);

  it("passes ocf:vigil:Stateful, promote and demote included", async () => {
    const r = await ocfTester("Stateful", "stateful1", { state: path.join(tmp, "stateful1.state") });
    expect(r.out).toContain("passed all tests");
    expect(r.out).not.toContain("does not support promotable clones");
    expect(r.code).toBe(0);
  }, SLOW);

  it("passes ocf:vigil:WebServer with a per-host port map", async () => {
    const port = await freePort();
    const r = await ocfTester("WebServer", "web1", {
      ports: `other:1,tester:${port}`,
      pidfile: path.join(tmp, "web1.pid"),
      logfile: path.join(tmp, "web1.log"),
    });
    expect(r.out).toContain("passed all tests");
    expect(r.code).toBe(0);
  }, SLOW);

  it("reports a failure for an agent that breaks the rules (the test can fail)", async () => {
    // WebServer without any port cannot validate: ocf-tester must say so
    const r = await ocfTester("WebServer", "web2", { pidfile: path.join(tmp, "web2.pid") });
    expect(r.out).not.toContain("passed all tests");
    expect(r.code).not.toBe(0);
  }, SLOW);
});
