// multiple-active=stop_only: a primitive found active on more than one node is
// stopped everywhere and not started again (every node is banned from it
// before assignment, as Pacemaker does when it reads the status). The other
// policies are applied when actions are created (actions.ts).
import { INFINITY } from "./score";
import type { WorkingSet } from "./model";
import { addAllowed } from "./unpack-status";

export function banMultiplyActiveStopOnly(ws: WorkingSet): void {
  for (const r of ws.primitives) {
    if (r.recovery !== "stop_only" || r.runningOn.length < 2) continue;
    for (const n of ws.nodes) addAllowed(r, n, -INFINITY);
  }
}
