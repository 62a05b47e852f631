// A controller that manages the real hosts of hosts.json over SSH.
//
//   const c = await startHostCluster({ stateDir, fenceAgentDirs: ["/usr/sbin", FENCE_TESTBED_DIR] });
//   c.controller   // the ClusterService (update, snapshot, events...)
//   c.hosts        // HostService: addHost/removeHost/listHosts, quorum, fence history
//   await c.stop();   // resources keep running on the hosts; the next start probes and adopts them
//
// Wiring (the parts are the other modules'):
//   hosts.json -> SshTransport (host-add.ts transportFor) -> Membership (host-timeout grace)
//   -> MemberTransport (what the controller and executor see) -> Executor + Controller;
//   stonith devices from the live CIB -> server/fencing Fencer (agents on the controller when
//   found in fenceAgentDirs, else through an online host that is not the target).

import path from "node:path";
import { CibStore } from "../cib/store";
import type { Cib } from "../cib/types";
import { nvGet } from "../cib/nvset";
import { tryParseDuration } from "../cib/values";
import { emptyCib } from "../cib/empty";
import { Controller } from "../controller/controller";
import { adaptFencer, defaultPolicy } from "../controller/start";
import { Executor } from "../executor/executor";
import { DEFAULT_HOST_TIMEOUT_MS } from "../executor/ssh-transport";
import { devicesFromCib, topologyFromCib } from "../fencing/devices";
import { Fencer } from "../fencing/fencer";
import { HostStore } from "../membership/hosts";
import { Membership } from "../membership/membership";
import type { QuorumOptions } from "../membership/quorum";
import { addNodes, HostManager } from "./manager";

export interface HostClusterOptions {
  stateDir: string;
  /** host-timeout when the CIB sets none [the CIB's host-timeout, else 1000 ms] */
  hostTimeoutMs?: number;
  /** fence agents found here run on the controller's machine [/usr/sbin, plus $VIGIL_FENCE_AGENT_DIRS (colon-separated)] */
  fenceAgentDirs?: string[];
  /** the CIB of a new cluster [empty] */
  initialCib?: () => Cib;
  /** identity for hosts that name none */
  defaultIdentity?: string;
  quorum?: QuorumOptions;
  nodeLimit?: number;
  coalesceMs?: number;
}

export interface HostCluster {
  controller: Controller;
  hosts: HostManager;
  membership: Membership;
  executor: Executor;
  fencer: Fencer;
  stop(opts?: { stopResources?: boolean }): Promise<void>;
}

/** real hosts instead of the embedded demo: VIGIL_HOSTS=1, or hosts.json lists at least one host */
export function wantsHostCluster(stateDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.VIGIL_HOSTS === "1") return true;
  if (env.VIGIL_HOSTS === "0") return false;
  try {
    return new HostStore(stateDir).list().length > 0;
  } catch {
    return true; // a broken hosts.json must be reported (startHostCluster does), not silently replaced by the demo
  }
}

export function fenceAgentDirsFromEnv(): string[] {
  const extra = (process.env.VIGIL_FENCE_AGENT_DIRS ?? "").split(":").filter(Boolean);
  return ["/usr/sbin", ...extra];
}

export async function startHostCluster(opts: HostClusterOptions): Promise<HostCluster> {
  const stateDir = path.resolve(opts.stateDir);
  const cibStore = new CibStore(path.join(stateDir, "cib"));
  // keepalives of the first connections already follow the CIB's host-timeout
  const stored = cibStore.load();
  const fromCib = tryParseDuration(stored ? nvGet(stored.configuration.crmConfig, "host-timeout") : undefined);
  const hostTimeoutMs = fromCib ?? opts.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;

  const fenceAgentDirs = opts.fenceAgentDirs ?? fenceAgentDirsFromEnv();
  const membership = new Membership({ hostTimeoutMs, quorum: opts.quorum });
  const executor = new Executor({ nodeLimit: opts.nodeLimit });
  let controller: Controller | undefined;
  const hosts: HostManager = new HostManager({
    store: new HostStore(stateDir),
    membership,
    executor,
    defaultIdentity: opts.defaultIdentity,
    hostTimeoutMs,
    fenceAgentDirs,
    get fencer() {
      return fencer;
    },
  });
  const fencer: Fencer = new Fencer({
    devices: () => (controller ? devicesFromCib(controller.currentCib()) : []),
    topology: () => (controller ? topologyFromCib(controller.currentCib()) : []),
    hosts: () => hosts.allTransports().filter((t) => t.state() === "up"),
    agentDirs: fenceAgentDirs,
    stonithTimeoutMs: tryParseDuration(stored ? nvGet(stored.configuration.crmConfig, "stonith-timeout") : undefined),
  });

  const transports = hosts.bootTransports();
  const names = transports.map((t) => t.node);
  for (const t of transports) executor.addTransport(t);
  controller = new Controller({
    stateDir,
    transports,
    executor,
    // every stored host is a node of the CIB before the controller starts: membership is
    // recorded under the node's id from the first moment (added later, the ids would differ)
    store: { load: () => (stored ? addNodes(stored, names) : undefined), save: (cib) => cibStore.save(cib) },
    policy: defaultPolicy,
    fencer: adaptFencer(fencer),
    initialCib: () => addNodes((opts.initialCib ?? emptyCib)(), names),
    coalesceMs: opts.coalesceMs,
  });
  await controller.start();
  const ctl = controller;
  await hosts.attach(ctl);
  return {
    controller: ctl,
    hosts,
    membership,
    executor,
    fencer,
    async stop(o = {}) {
      await ctl.stop(o);
      await hosts.close();
    },
  };
}
