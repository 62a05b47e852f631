// Definition changes: a resource whose configured parameters differ from the
// ones it runs with (the op-digest recorded in its operation history) is
// restarted, reloaded, or has its recurring monitor rescheduled, as
// Pacemaker's scheduler does before it assigns resources:
//   - the last start (or probe/promote that found it running) no longer
//     matches: a required start on no node yet ("resource definition change")
//     that follows the resource wherever it is assigned, so it restarts there;
//     when the history carries op-restart-digest and only reloadable
//     parameters changed: a reload instead;
//   - a recurring monitor no longer matches: it is run again (rescheduled);
//   - a recurring monitor no longer configured counts as a change too (its
//     cancel is scheduled elsewhere).
// Fail-counts are not touched (crm_simulate 2.1.5 clears none for a changed
// definition; only expiry clears them, see unpack-status).
import type { LrmRscOp } from "../cib/types";
import { opDigest, restartDigest, secureDigest, versionLess } from "../cib/op-digest";
import type { SNode, SRsc, WorkingSet } from "./model";
import { actionKey, customAction, opParams, opTimeoutMs } from "./actions";
import { isTrue } from "./score";
import type { OpView } from "./unpack-status";

export type DigestResult = "match" | "unknown" | "all" | "restart";

/** Compare a history entry's digests with the configuration (task and interval as recorded). */
// opDigest() of a resource without parameters depends only on the interval (none or some) and, for
// a recurring operation, its timeout; most resources of a large cluster have none (the digest of
// an empty set is otherwise serialised again for every active operation)
const emptyDigests = new Map<number, string>();

function isEmpty(params: Record<string, string>): boolean {
  for (const _ in params) return false;
  return true;
}

/** opDigest(params, intervalMs, timeoutMs), remembered for parameterless resources. */
export function configuredDigest(params: Record<string, string>, intervalMs: number, timeoutMs: number): string {
  if (!isEmpty(params)) return opDigest(params, intervalMs, timeoutMs);
  const k = intervalMs > 0 ? timeoutMs : -1;
  let d = emptyDigests.get(k);
  if (d === undefined) {
    d = opDigest(params, intervalMs, timeoutMs);
    if (emptyDigests.size >= 256) emptyDigests.clear();
    emptyDigests.set(k, d);
  }
  return d;
}

export function compareDigest(ws: WorkingSet, rsc: SRsc, op: LrmRscOp, task: string, intervalMs: number): DigestResult {
  const params = opParams(ws, rsc, task, intervalMs);
  const timeout = opTimeoutMs(ws, rsc, task, intervalMs);
  if (op.opRestartDigest !== undefined && restartDigest(params, intervalMs, timeout, op.opForceRestart) !== op.opRestartDigest) return "restart";
  if (op.opDigest === undefined) return "unknown";
  if (configuredDigest(params, intervalMs, timeout) === op.opDigest) return "match";
  // a non-recurring op with parameters of its own is restarted even when a reload could do
  const cfg = rsc.ops.find((o) => o.name === task && o.intervalMs === intervalMs);
  if (intervalMs === 0 && cfg && cfg.op.instanceAttributes.length > 0) return "restart";
  return "all";
}

/**
 * The history's secure digest (secrets left out) still matches: the CIB had its
 * secrets masked (crm_simulate and CIB exports show "****"), so nothing really
 * changed. Pacemaker's crm_simulate judges sanitized CIBs this way; Vigil always does.
 */
function onlySecretsDiffer(ws: WorkingSet, rsc: SRsc, op: LrmRscOp, task: string, intervalMs: number): boolean {
  if (op.opSecureDigest === undefined) return false;
  const params = op.crmFeatureSet !== undefined && versionLess(op.crmFeatureSet, "3.16.0") ? rsc.params : opParams(ws, rsc, task, intervalMs);
  const d = secureDigest(params, intervalMs, opTimeoutMs(ws, rsc, task, intervalMs), op.opSecureParams, {
    featureSet: op.crmFeatureSet,
    stonith: rsc.agent?.standard === "stonith",
  });
  return d === op.opSecureDigest;
}

/** Probes, promotes and migrations are compared with the start's definition. */
function digestTask(task: string, intervalMs: number): string {
  if (intervalMs === 0 && (task === "monitor" || task === "promote" || task === "migrate_from")) return "start";
  return task;
}

/**
 * The part of the history that describes the current run: from the last
 * start on (or the last probe/monitor that found it running after a stop, or
 * a promote/demote when no start is recorded); null when it was stopped since.
 */
function activeOps(ops: readonly OpView[]): OpView[] | null {
  let start = -1;
  let stop = -1;
  let impliedMonitor = -1;
  let impliedClone = -1;
  ops.forEach((o, i) => {
    if (o.task === "stop" && o.rc === 0) stop = i;
    else if (o.task === "start" || o.task === "migrate_from") start = i;
    else if (impliedMonitor <= stop && o.task === "monitor") {
      if (o.rc === 0 || o.rc === 8) impliedMonitor = i;
    } else if (o.task === "promote" || o.task === "demote") impliedClone = i;
  });
  if (start === -1) {
    if (impliedClone !== -1) start = impliedClone;
    else if (impliedMonitor !== -1) start = impliedMonitor;
  }
  if (start < stop) return null;
  return ops.slice(Math.max(0, start));
}

function isMaintenance(ws: WorkingSet, rsc: SRsc): boolean {
  return ws.maintenanceMode || isTrue(rsc.meta["maintenance"], false);
}

/**
 * Schedule what changed definitions need; call after node criteria, before assignment.
 * Returns where a definition changed (resource and node), each once.
 */
export function checkDefinitionChanges(ws: WorkingSet): { rsc: SRsc; node: SNode }[] {
  const changed: { rsc: SRsc; node: SNode }[] = [];
  for (const rsc of ws.primitives) {
    if (rsc.orphan || !rsc.history) continue;
    for (const { node, ops: inOrder } of rsc.history) {
      if (!checkedNode(node)) continue;
      if (!rsc.runningOn.includes(node)) continue;
      const ops = activeOps(inOrder);
      if (!ops) continue;
      for (const o of ops) {
        if (o.op.opStatus === "-1" || o.callId < 0) continue;
        const recurring = o.intervalMs > 0;
        if (!recurring && !["monitor", "start", "promote", "migrate_from"].includes(o.task)) continue;
        if (recurring && (isMaintenance(ws, rsc) || node.maintenance)) continue; // cancelled, not compared
        if (checkOp(ws, rsc, node, o) && !isOrphanedMonitor(rsc, o) && !changed.some((c) => c.rsc === rsc && c.node === node)) changed.push({ rsc, node });
      }
    }
  }
  return changed;
}

function isOrphanedMonitor(rsc: SRsc, o: OpView): boolean {
  return o.intervalMs > 0 && !rsc.ops.some((c) => c.name === o.task && c.intervalMs === o.intervalMs && c.enabled);
}

/** Nodes whose history is compared: usable ones, and maintenance nodes (their monitors get cancelled). */
export function checkedNode(n: SNode): boolean {
  if (n.maintenance) return true;
  return n.online && !n.unclean && !n.shutdown && !n.standby && !n.pending;
}

/** True when the entry no longer matches the configuration. */
function checkOp(ws: WorkingSet, rsc: SRsc, node: SNode, o: OpView): boolean {
  if (isOrphanedMonitor(rsc, o)) return true; // cancelled elsewhere
  const task = digestTask(o.task, o.intervalMs);
  let result = compareDigest(ws, rsc, o.op, task, o.intervalMs);
  if (result !== "match" && onlySecretsDiffer(ws, rsc, o.op, task, o.intervalMs)) result = "match";
  // a failed monitor whose failure expired is started afresh
  if (rsc.expiredMonitors?.has(`${o.op.id}\u0000${node.uname}`)) result = "restart";
  switch (result) {
    case "match":
      return false;
    case "restart":
      forceRestart(ws, rsc, task, o.intervalMs);
      return true;
    case "all":
    case "unknown":
      if (o.intervalMs > 0) {
        // the monitor simply runs again with the new parameters
        (ws.rescheduled ??= new Set()).add(`${actionKey(rsc, o.task, o.intervalMs)}\u0000${node.uname}`);
      } else if (o.op.opRestartDigest !== undefined) {
        scheduleReload(ws, rsc, node);
      } else {
        forceRestart(ws, rsc, task, o.intervalMs);
      }
      return true;
  }
}

/** A required action on no node yet: it goes where the resource is assigned, forcing a restart there. */
function forceRestart(ws: WorkingSet, rsc: SRsc, task: string, intervalMs: number): void {
  const a = customAction(ws, rsc, task, undefined, false, { intervalMs });
  a.bindable = true;
  a.reason = "resource definition change";
}

/** Reload the resource where it runs (it must be managed, healthy and not already restarting). */
function scheduleReload(ws: WorkingSet, rsc: SRsc, node: SNode): void {
  if (!rsc.managed || rsc.failed || rsc.startPending) return;
  rsc.reload = true;
  const a = customAction(ws, rsc, "reload-agent", node, false);
  a.reason = "resource definition change";
}

/**
 * A reload is pointless when the resource is stopped or demoted there anyway:
 * the required stop (or demote) cancels it. Call after propagation.
 */
export function cancelSupersededReloads(ws: WorkingSet): void {
  for (const rsc of ws.primitives) {
    if (!rsc.reload) continue;
    for (const a of rsc.actions) {
      if (a.task !== "reload-agent" || !a.node) continue;
      const superseded = rsc.actions.some((x) => (x.task === "stop" || x.task === "demote") && x.node === a.node && !x.optional && x.intervalMs === 0);
      if (superseded) {
        a.optional = true;
        rsc.reload = false;
      }
    }
  }
}
