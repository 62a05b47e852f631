// For tests: a real controller in host mode (server/hosts startHostCluster, no SSH hosts
// until a test adds them) behind the real API server (no Next), in a temp state dir.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Cib } from "../cib/types";
import { startHostCluster, type HostCluster } from "../hosts/cluster";
import { freePort } from "../executor/test-helpers";
import { startServer, type RunningServer } from "./server";

export interface HostModeServer {
  dir: string;
  cluster: HostCluster;
  srv: RunningServer;
  /** the state dir's CLI token (admin) */
  token: string;
  /** a REST call with the CLI token */
  call(method: string, p: string, body?: unknown): Promise<{ status: number; text: string; json?: Record<string, unknown> & { error?: string; field?: string } }>;
  /** the real CLI, in-process, pointed at this controller */
  vigil(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startHostModeServer(opts: { initialCib?: (dir: string) => Cib; fenceAgentDirs?: string[] } = {}): Promise<HostModeServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-hostmode-"));
  const cluster = await startHostCluster({ stateDir: dir, fenceAgentDirs: opts.fenceAgentDirs ?? [], ...(opts.initialCib ? { initialCib: () => opts.initialCib!(dir) } : {}) });
  const srv = await startServer({ stateDir: dir, port: await freePort(), next: false, service: cluster.controller, hosts: cluster.hosts });
  const token = readFileSync(path.join(dir, "cli-token"), "utf8").trim();
  return {
    dir,
    cluster,
    srv,
    token,
    async call(method, p, body) {
      const r = await fetch(`${srv.url}${p}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON (GET /api/cib is XML) */
      }
      return { status: r.status, text, json };
    },
    async vigil(...args) {
      const { runCli } = await import("../cli/main");
      let stdout = "";
      let stderr = "";
      const env = { ...process.env, VIGIL_STATE_DIR: dir, VIGIL_PORT: String(srv.port), VIGIL_HOST: "127.0.0.1" };
      const code = await runCli(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
      return { code, stdout, stderr };
    },
    async stop() {
      await srv.close();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
