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
    async stop() {
      await srv.close();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
