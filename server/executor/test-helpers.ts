// Helpers shared by the executor's tests (not used at run time).

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { AgentOp } from "./types";

export function tempDir(prefix = "vigil-exec-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** alive and not a zombie */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "latin1"));
  } catch {
    return false;
  }
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** a TCP port on 127.0.0.1 that was free a moment ago */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** an ocf:vigil:Dummy operation for tests; `over` replaces any field */
export function dummyOp(rsc: string, over: Partial<AgentOp>): AgentOp {
  return {
    rsc,
    standard: "ocf",
    provider: "vigil",
    type: "Dummy",
    action: "monitor",
    intervalMs: 0,
    timeoutMs: 20000,
    params: {},
    meta: {},
    ...over,
  };
}
