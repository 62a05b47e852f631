// The demo web server script itself (agents/lib/vigil/webserver.mjs): start
// detaches and returns once it answers; check is the monitor's fallback when a
// host has no curl.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "lib", "vigil", "webserver.mjs");
const tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-webserver-"));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: stdout + stderr });
    });
  });
}

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

describe("webserver.mjs", () => {
  it("start returns once the detached server answers; check passes; after SIGTERM check fails and the pid file is gone", async () => {
    const port = await freePort();
    const pidfile = path.join(tmp, "a.pid");
    const logfile = path.join(tmp, "a.log");
    const s = await run(["start", "--port", String(port), "--host", "nodeA", "--resource", "webA", "--pidfile", pidfile, "--logfile", logfile, "--message", "<hi>"]);
    expect(s.code, s.out).toBe(0);
    const pid = Number(readFileSync(pidfile, "utf8"));
    started.push(pid);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.headers.get("x-vigil-host")).toBe("nodeA");
    const page = await res.text();
    expect(page).toContain("Served by nodeA");
    expect(page).toContain("&lt;hi&gt;"); // escaped
    expect((await run(["check", "--port", String(port)])).code).toBe(0);
    process.kill(pid, "SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    const c = await run(["check", "--port", String(port), "--wait-ms", "500"]);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/no HTTP answer on port \d+/);
    expect(() => readFileSync(pidfile)).toThrow();
    expect(readFileSync(logfile, "utf8")).toMatch(/webA: serving host nodeA[\s\S]*SIGTERM, stopping/);
  });

  it("start fails with the reason when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const s = await run(["start", "--port", String(port), "--pidfile", path.join(tmp, "b.pid"), "--logfile", path.join(tmp, "b.log")]);
      expect(s.code).toBe(1);
      expect(s.out).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it("rejects bad arguments clearly", async () => {
    expect((await run(["check", "--port", "99999"])).out).toMatch(/invalid port "99999"/);
    expect((await run(["frobnicate"])).out).toMatch(/unknown command "frobnicate"/);
    expect((await run(["start", "--port"])).out).toMatch(/--port needs a value/);
  });
});
