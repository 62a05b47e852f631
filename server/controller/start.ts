// Wiring: a Controller over the real parts — the CIB store in the state dir,
// the scheduler, the executor over the hosts' transports. The demo gets three
// local hosts under $STATE/hosts/nodeN and the demo CIB on first start.

import path from "node:path";
import { CibStore } from "../cib/store";
import type { Cib } from "../cib/types";
import { validateCib } from "../cib/validate";
import { bumpEpoch, bumpNumUpdates } from "../cib/version";
import { emptyCib } from "../cib/empty";
import { Executor } from "../executor/executor";
import type { Transport } from "../executor/types";
import { schedule, unpack } from "../scheduler/index";
import { demoCib } from "../demo/cib";
import { createDemoHosts } from "../demo/hosts";
import { devicesFromCib, topologyFromCib } from "../fencing/devices";
import { Fencer as StonithFencer } from "../fencing/fencer";
import { Controller, type ControllerPolicy } from "./controller";
import type { Fencer } from "./ports";

/** The controller's view of server/fencing's Fencer: fence(node, action) → ok when the record ends in success. */
export function adaptFencer(f: Pick<StonithFencer, "fence">): Fencer {
  return {
    async fence(node, action) {
      const rec = await f.fence(node, action, { origin: "controller", client: "vigil-controller" });
      return { ok: rec.state === "success", message: rec.error };
    },
  };
}

/** The real policy: server/scheduler and server/cib. */
export const defaultPolicy: ControllerPolicy = {
  schedule: (cib, opts) => schedule(cib, opts),
  unpack: (cib, opts) => unpack(cib, opts),
  validate: (cib) => validateCib(cib),
  bumpEpoch: (cib) => bumpEpoch(cib),
  bumpNumUpdates: (cib) => bumpNumUpdates(cib),
};

export interface StartControllerOptions {
  stateDir: string;
  /** run the embedded demo cluster (three local hosts, demo CIB on first start) */
  demo?: boolean;
  /** demo: WebServer port of node1 (node2, node3 the next ones) [8081] */
  webPortBase?: number;
  /** hosts to manage when not the demo (e.g. SSH transports) */
  transports?: Transport[];
  fencer?: Fencer;
  /** the CIB for a new cluster [the demo CIB with demo, else an empty CIB] */
  initialCib?: () => Cib;
  /** operations at once per node [4] */
  nodeLimit?: number;
  coalesceMs?: number;
}

/** Start a controller on a state directory; resolves once it is running (resources start right after). */
export async function startController(opts: StartControllerOptions): Promise<Controller> {
  const stateDir = path.resolve(opts.stateDir);
  let transports = opts.transports ?? [];
  let fencer = opts.fencer;
  let initialCib = opts.initialCib ?? emptyCib;
  if (opts.demo) {
    const demo = createDemoHosts(stateDir);
    transports = [...demo.transports.values()];
    fencer ??= demo.fencer;
    // VIGIL_DEMO_WEB_PORT moves the demo web servers (node1 on it, node2 and node3 on the next ports)
    const envBase = process.env.VIGIL_DEMO_WEB_PORT ? Number(process.env.VIGIL_DEMO_WEB_PORT) : undefined;
    if (envBase !== undefined && !(Number.isInteger(envBase) && envBase > 0 && envBase < 65534))
      throw new Error(`VIGIL_DEMO_WEB_PORT must be a port number, got '${process.env.VIGIL_DEMO_WEB_PORT}'`);
    const webPortBase = opts.webPortBase ?? envBase;
    initialCib = opts.initialCib ?? (() => demoCib({ webPortBase }));
  }
  let controller: Controller | undefined;
  if (!fencer) {
    // stonith devices come from the live CIB; agents run on the controller or on a host other than the target
    const hosts = transports;
    fencer = adaptFencer(
      new StonithFencer({
        devices: () => (controller ? devicesFromCib(controller.currentCib()) : []),
        topology: () => (controller ? topologyFromCib(controller.currentCib()) : []),
        hosts: () => hosts,
      }),
    );
  }
  const executor = new Executor({ nodeLimit: opts.nodeLimit });
  for (const t of transports) executor.addTransport(t);
  controller = new Controller({
    stateDir,
    transports,
    executor,
    store: new CibStore(path.join(stateDir, "cib")),
    policy: defaultPolicy,
    fencer,
    initialCib,
    coalesceMs: opts.coalesceMs,
  });
  await controller.start();
  return controller;
}
