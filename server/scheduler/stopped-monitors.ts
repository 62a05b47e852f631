// Recurring monitors configured for the Stopped role (`<op name="monitor"
// role="Stopped">`): they run on every node where the resource is not to be
// active, expecting "not running" (rc 7), so that an unexpected start there is
// noticed. Behaviour checked with crm_simulate 2.1.5 on our own CIBs
// (stopped-monitors.test.ts).
import { O, type SAction, type SNode, type SRsc, type WorkingSet } from "./model";
import { actionKey, actionsOf, customAction, findAction, sameEarlierOp } from "./actions";
import { cloneOf } from "./unpack-config";
import { EXEC } from "./unpack-status";

/**
 * Whether the history on a node shows the recurring operation `key` as
 * scheduled: an entry for it after the last start (or start-like monitor) that
 * was not followed by a stop. Such a monitor already runs there, so creating
 * it again is optional.
 */
function inHistory(r: SRsc, key: string, node: SNode): boolean {
  if (!node.online) return false;
  for (const h of r.history ?? []) {
    if (h.node !== node) continue;
    const ops = h.ops;
    let start = -1;
    let stop = -1;
    let impliedMonitor = -1;
    let impliedClone = -1;
    ops.forEach((o, i) => {
      if (o.task === "stop" && o.status === EXEC.done) stop = i;
      else if (o.task === "start" || o.task === "migrate_from") start = i;
      else if (impliedMonitor <= stop && o.task === "monitor") {
        if (o.rc === 0 || o.rc === 8) impliedMonitor = i;
      } else if (o.task === "promote" || o.task === "demote") impliedClone = i;
    });
    if (start === -1) start = impliedClone !== -1 ? impliedClone : impliedMonitor;
    const found = ops.some((o, i) => {
      if (start < stop && i <= stop) return false;
      if (i < start || o.intervalMs === 0 || o.status === EXEC.pending) return false;
      return `${r.id}_${o.task}_${o.intervalMs}` === key;
    });
    if (found) return true;
  }
  return false;
}

/** The configured recurring operations for the Stopped role (first of each name and interval, enabled). */
function stoppedRoleOps(r: SRsc): readonly { name: string; intervalMs: number }[] {
  let out: { name: string; intervalMs: number }[] | undefined;
  const ops = r.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.intervalMs === 0) continue;
    if (!op.enabled || op.role !== "Stopped") continue;
    if (["start", "stop", "promote", "demote"].includes(op.name)) continue;
    if (sameEarlierOp(ops, i, false)) continue;
    (out ??= []).push({ name: op.name, intervalMs: op.intervalMs });
  }
  // (most resources have none: no list for them)
  return out ?? NO_OPS;
}

const NO_OPS: readonly { name: string; intervalMs: number }[] = [];

/**
 * Create the Stopped-role monitors of primitive `r`, which is to run on
 * `assigned` (or nowhere): one on every other node, after the probe and the
 * stop there; on `assigned` a running one is cancelled before the start.
 * Anonymous clone instances are skipped, as Pacemaker 2.1 does.
 */
export function stoppedRoleMonitors(ws: WorkingSet, r: SRsc, assigned: SNode | undefined): void {
  const clone = cloneOf(r);
  if (clone && !clone.uniqueClone) return;
  for (const op of stoppedRoleOps(r)) {
    const key = actionKey(r, op.name, op.intervalMs);
    for (const node of ws.nodes) {
      if (node === assigned) {
        cancelIfRunning(ws, r, op, key, node);
        continue;
      }
      const mon = customAction(ws, r, op.name, node, inHistory(r, key, node), { intervalMs: op.intervalMs });
      mon.targetRc = 7;
      if (r.managed) {
        for (const probe of actionsOf(r, "monitor", node)) ws.orders.push({ id: "probe-stopped-monitor", firstAction: probe, firstTask: "monitor", thenAction: mon, thenTask: op.name, flags: O.runnableLeft });
      }
      for (const stop of actionsOf(r, "stop", node)) orderAfterStop(ws, r, stop, mon, op.name);
      if (!node.online || node.unclean) mon.runnable = false;
    }
  }
}

function orderAfterStop(ws: WorkingSet, r: SRsc, stop: SAction, mon: SAction, task: string): void {
  // an unmanaged resource's monitor does not wait for a stop that will not happen
  if (!stop.optional && !mon.optional && !r.managed) mon.optional = true;
  if (!stop.runnable) mon.runnable = false;
  if (r.managed) ws.orders.push({ id: "stop-stopped-monitor", firstAction: stop, firstTask: "stop", thenAction: mon, thenTask: task, flags: O.impliesThen | O.runnableLeft });
}

function cancelIfRunning(ws: WorkingSet, r: SRsc, op: { name: string; intervalMs: number }, key: string, node: SNode): void {
  if (!inHistory(r, key, node) || findAction(ws, `${key}_cancel`, node)) return;
  const cancel = customAction(ws, r, "cancel", node, false, { intervalMs: op.intervalMs, key: `${key}_cancel` });
  cancel.cancel = true;
  cancel.runnable = true;
  cancel.meta = { ...cancel.meta, cancel_interval: String(op.intervalMs) };
  if (r.nextRole === "Started" || r.nextRole === "Unpromoted") {
    ws.orders.push({ id: "cancel-stopped-monitor", firstAction: cancel, firstTask: "cancel", thenRsc: r, thenTask: "start", flags: O.runnableLeft });
  }
}
