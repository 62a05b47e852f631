// The WebServer agent's monitor: a server that is alive but does not answer is an error
// (restart it), a killed one is "not running", also when the monitor runs right after the kill.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, pidAlive, tempDir, waitFor } from "../server/executor/test-helpers";

const AGENT = path.join(path.dirname(fileURLToPath(import.meta.url)), "resource.d", "vigil", "WebServer");
const tmp = tempDir("vigil-webserver-agent-");
afterAll(() => tmp.cleanup());

function agent(action: string, port: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      OCF_ROOT: "/usr/lib/ocf",
      OCF_RESOURCE_INSTANCE: "web1",
      OCF_RESKEY_port: String(port),
      HA_RSCTMP: tmp.dir,
      VIGIL_NODE_BIN: process.execPath,
      VIGIL_NODE: "tester",
    };
    execFile(AGENT, [action], { env, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, out: stdout + stderr });
    });
  });
}

describe("ocf:vigil:WebServer monitor", () => {
  it("hung server: error with the reason; killed server: not running", async () => {
    const port = await freePort();
    expect((await agent("start", port)).code).toBe(0);
    const pid = Number(readFileSync(path.join(tmp.dir, "WebServer-web1.pid"), "utf8").trim().split("\n")[0]);
    try {
      process.kill(pid, "SIGSTOP"); // alive, but answers nothing
      const hung = await agent("monitor", port);
      expect(hung.code).toBe(1);
      expect(hung.out).toMatch(/runs but does not answer on port \d+/);
      process.kill(pid, "SIGCONT");
      expect((await agent("monitor", port)).code).toBe(0);
      process.kill(pid, "SIGKILL");
      expect((await agent("monitor", port)).code).toBe(7);
    } finally {
      if (pidAlive(pid)) process.kill(pid, "SIGKILL");
      await waitFor(() => !pidAlive(pid), 3000, "the server to exit");
    }
  }, 30000);
});
