// Run the demo cluster's controller alone (no web console), printing its
// events: `node --import tsx server/demo/run.ts [--state DIR] [--web-port-base N]`.
// Prints "settled" each time the cluster becomes idle. SIGINT/SIGTERM stop
// the resources and exit; SIGKILL leaves them running (the next start adopts them).

import path from "node:path";
import { createDemoCluster } from "./index";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const stateDir = path.resolve(arg("--state") ?? process.env.VIGIL_STATE_DIR ?? ".vigil");
const webPortBase = arg("--web-port-base") ? Number(arg("--web-port-base")) : undefined;

const ctl = await createDemoCluster(stateDir, { webPortBase });
ctl.onEvent((e) => {
  process.stdout.write(`${new Date(e.at).toISOString()} ${e.kind}${e.node ? ` ${e.node}` : ""}: ${e.message}\n`);
  if (e.kind === "transition-end") {
    void ctl.settled(60000).then(
      () => process.stdout.write("settled\n"),
      () => undefined,
    );
  }
});
void ctl.settled(60000).then(() => process.stdout.write("settled\n"));

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    void ctl.stop({ stopResources: true }).then(() => process.exit(0));
  });
}
