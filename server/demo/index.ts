// The embedded demo cluster: `createDemoCluster(stateDir)` starts a controller
// with three local hosts (node1..node3) and, on first start, the demo CIB.
import type { Controller } from "../controller/controller";
import { startController, type StartControllerOptions } from "../controller/start";

export { demoCib, demoWebPort, DEMO_NODES } from "./cib";
export { createDemoHosts } from "./hosts";

export function createDemoCluster(
  stateDir: string,
  opts: Omit<StartControllerOptions, "stateDir" | "demo"> = {},
): Promise<Controller> {
  return startController({ ...opts, stateDir, demo: true });
}
