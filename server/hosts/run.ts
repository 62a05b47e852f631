// Run a controller for the hosts in $STATE/hosts.json alone (no web console),
// printing its events one per line:
//   node --import tsx server/hosts/run.ts --state DIR [--fence-agent-dir DIR]... [--host-timeout MS]
// Prints "ready" once started and "settled" each time the cluster becomes idle.
// SIGINT/SIGTERM stop the controller (resources keep running; add --stop-resources
// to stop them first); SIGKILL leaves everything running: the next start probes and adopts.

import path from "node:path";
import { startHostCluster } from "./cluster";

const argv = process.argv.slice(2);
const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]] : []));
const stateDir = path.resolve(values("--state")[0] ?? process.env.VIGIL_STATE_DIR ?? ".vigil");
const dirs = values("--fence-agent-dir");
const ht = values("--host-timeout")[0];

const c = await startHostCluster({
  stateDir,
  fenceAgentDirs: dirs.length ? ["/usr/sbin", ...dirs] : undefined,
  hostTimeoutMs: ht ? Number(ht) : undefined,
});
const ctl = c.controller;
const say = (s: string) => process.stdout.write(s + "\n");
ctl.onEvent((e) => {
  say(`${new Date(e.at).toISOString()} ${e.kind}${e.node ? ` ${e.node}` : ""}: ${e.message}`);
  if (e.kind === "transition-end") void ctl.settled(120000).then(() => say("settled"), () => undefined);
});
say("ready");
void ctl.settled(120000).then(() => say("settled"), () => undefined);

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void c.stop({ stopResources: argv.includes("--stop-resources") }).then(() => process.exit(0));
  });
}
