// Writing the controller's knowledge into CIB status, in exactly the form
// Pacemaker's controller writes it (lrm_rsc_op, node_state, transient
// attributes), so that Pacemaker's own tools (crm_simulate -x, crm_mon with
// CIB_file) read a live Vigil CIB and come to the same conclusions.
//
// Every function here is pure: it takes a Cib and returns a new one, leaving
// the input untouched (the controller keeps old snapshots for subscribers).

import type { Cib, LrmResource, LrmRscOp, NodeState, NvPair, NvSet, Resource, Primitive } from "../cib/types";
import { OcfRc, OpStatus } from "../executor/types";
import { opDigest } from "../cib/op-digest";

// op-digest lives in ../cib/op-digest (the scheduler compares it too); re-exported for callers of this module
export { opDigest };

/**
 * The feature set the controller writes (crm_feature_set on ops and on <cib>, as
 * Pacemaker's DC does). Debian 12's Pacemaker 2.1.5 is 3.16.1 and refuses to
 * modify a CIB that claims a newer one (crm_simulate -S aborts), so that is ours.
 */
export const CRM_FEATURE_SET = "3.16.1";

const INFINITY = 1_000_000;

// ---------------------------------------------------------------------------
// Keys and digests

/** Pacemaker operation key: rsc_task_intervalms (e.g. "web_monitor_10000"). */
export function opKey(rsc: string, task: string, intervalMs: number): string {
  return `${rsc}_${task}_${intervalMs}`;
}

/** Pacemaker's XML-id sanitising for generated ids: characters outside [A-Za-z0-9_.-] become ".". */
export function sanitizeId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, ".");
}

/**
 * The rc an action is expected to return (the target-rc in the transition key):
 * probes expect "not running", monitors of the Promoted role expect 8,
 * everything else 0. An explicit CRM_meta op_target_rc wins.
 */
export function targetRcFor(task: string, intervalMs: number, meta: Record<string, string> = {}): number {
  const explicit = meta["op_target_rc"];
  if (explicit !== undefined && /^\d+$/.test(explicit)) return Number(explicit);
  if (task === "monitor" && intervalMs === 0) return OcfRc.NOT_RUNNING;
  if (task === "monitor" && (meta["role"] === "Promoted" || meta["role"] === "Master")) return OcfRc.RUNNING_PROMOTED;
  return OcfRc.SUCCESS;
}

/** Degraded results count as their healthy equivalents when compared with the target (as Pacemaker does). */
export function effectiveRc(rc: number): number {
  if (rc === OcfRc.DEGRADED) return OcfRc.SUCCESS;
  if (rc === OcfRc.DEGRADED_PROMOTED) return OcfRc.RUNNING_PROMOTED;
  return rc;
}

/** Did the operation fail, in the sense of Pacemaker's controller (its history goes to *_last_failure_0)? */
export function opFailed(rc: number, opStatus: number, targetRc: number): boolean {
  if (opStatus === OpStatus.CANCELLED || opStatus === OpStatus.PENDING) return false;
  if (opStatus !== OpStatus.DONE) return true;
  return effectiveRc(rc) !== targetRc;
}

// ---------------------------------------------------------------------------
// node_state

function cloneStatus(cib: Cib): Cib {
  return { ...cib, status: cib.status.slice() };
}

function findNodeIndex(cib: Cib, nodeId: string): number {
  return cib.status.findIndex((n) => n.id === nodeId);
}

function emptyNodeState(nodeId: string, uname: string): NodeState {
  return { id: nodeId, uname, transientAttributes: [], lrmResources: [] };
}

/** Returns a copy of cib whose node_state for nodeId (created if needed) went through fn. */
function withNodeState(cib: Cib, nodeId: string, uname: string, fn: (ns: NodeState) => NodeState): Cib {
  const out = cloneStatus(cib);
  const i = findNodeIndex(out, nodeId);
  const current = i >= 0 ? out.status[i] : emptyNodeState(nodeId, uname);
  const next = fn({ ...current, uname: current.uname ?? uname });
  if (i >= 0) out.status[i] = next;
  else out.status.push(next);
  return out;
}

/** The node id for a uname, from configuration/nodes (falls back to the uname itself). */
export function nodeIdOf(cib: Cib, uname: string): string {
  return cib.configuration.nodes.find((n) => n.uname === uname)?.id ?? cib.status.find((s) => s.uname === uname)?.id ?? uname;
}

export type Membership = "online" | "lost" | "down" | "fenced";

/**
 * Write node_state membership fields as Pacemaker 2.1 does:
 *  online: in_ccm=true crmd=online join=member expected=member
 *  lost (unexpectedly gone): in_ccm=false crmd=offline join=down, expected stays member
 *  down (cleanly gone) / fenced: in_ccm=false crmd=offline join=down expected=down
 */
export function setNodeMembership(cib: Cib, nodeId: string, uname: string, m: Membership, origin: string): Cib {
  return withNodeState(cib, nodeId, uname, (ns) => {
    const next: NodeState = { ...ns, crmDebugOrigin: origin };
    if (m === "online") {
      next.inCcm = "true";
      next.crmd = "online";
      next.join = "member";
      next.expected = "member";
    } else {
      next.inCcm = "false";
      next.crmd = "offline";
      next.join = "down";
      next.expected = m === "lost" ? (ns.expected ?? "member") : "down";
    }
    if (next.lrmId === undefined) next.lrmId = nodeId;
    return next;
  });
}

/** Drop a node's operation history (on rejoin, after fencing, at controller start): it will be probed again. */
export function eraseNodeHistory(cib: Cib, nodeId: string): Cib {
  const i = findNodeIndex(cib, nodeId);
  if (i < 0 || cib.status[i].lrmResources.length === 0) return cib;
  const out = cloneStatus(cib);
  out.status[i] = { ...out.status[i], lrmResources: [] };
  return out;
}

/** Drop a node's transient attributes (fail-counts ...), as attrd forgets a node that leaves. */
export function eraseNodeAttributes(cib: Cib, nodeId: string): Cib {
  const i = findNodeIndex(cib, nodeId);
  if (i < 0 || cib.status[i].transientAttributes.length === 0) return cib;
  const out = cloneStatus(cib);
  out.status[i] = { ...out.status[i], transientAttributes: [] };
  return out;
}

// ---------------------------------------------------------------------------
// Transient attributes

/** The value of a transient attribute of a node, if set. */
export function getTransientAttr(cib: Cib, nodeId: string, name: string): string | undefined {
  const ns = cib.status.find((n) => n.id === nodeId);
  if (!ns) return undefined;
  for (const set of ns.transientAttributes) {
    const p = set.nvpairs.find((x) => x.name === name);
    if (p) return p.value;
  }
  return undefined;
}

/** Set (value string) or delete (undefined) a transient attribute, in status-<nodeid>. */
export function setTransientAttr(cib: Cib, nodeId: string, uname: string, name: string, value: string | undefined): Cib {
  return withNodeState(cib, nodeId, uname, (ns) => {
    const sets: NvSet[] = ns.transientAttributes.map((s) => ({ ...s, nvpairs: s.nvpairs.slice() }));
    // remove from every set first (a name lives in one place)
    for (const s of sets) s.nvpairs = s.nvpairs.filter((p) => p.name !== name);
    if (value !== undefined) {
      let target = sets.find((s) => s.id === `status-${nodeId}`) ?? sets[0];
      if (!target) {
        target = { id: `status-${nodeId}`, nvpairs: [] };
        sets.push(target);
      }
      const p: NvPair = { id: sanitizeId(`status-${nodeId}-${name}`), name, value };
      target.nvpairs.push(p);
    }
    return { ...ns, transientAttributes: sets.filter((s) => s.nvpairs.length > 0 || s.id === `status-${nodeId}`) };
  });
}

export function failCountName(rsc: string, task: string, intervalMs: number): string {
  return `fail-count-${rsc}#${task}_${intervalMs}`;
}
export function lastFailureName(rsc: string, task: string, intervalMs: number): string {
  return `last-failure-${rsc}#${task}_${intervalMs}`;
}

/**
 * How a failed operation changes the fail-count (Pacemaker 2.1's controller):
 * recurring monitors, promote and demote add one; a failed start sets
 * INFINITY when start-failure-is-fatal (the default) else adds one; a failed
 * stop sets INFINITY. Failed probes do not count: their history alone tells the
 * scheduler the resource failed there.
 */
export function failCountChange(
  task: string,
  intervalMs: number,
  startFailureIsFatal: boolean,
): "increment" | "infinity" | null {
  if (intervalMs > 0 || task === "promote" || task === "demote") return "increment";
  if (task === "start") return startFailureIsFatal ? "infinity" : "increment";
  if (task === "stop") return "infinity";
  return null;
}

/** Apply a failure to the fail-count and last-failure attributes (Pacemaker's "value++" semantics, INFINITY sticks). */
export function recordFailCount(
  cib: Cib,
  nodeId: string,
  uname: string,
  rsc: string,
  task: string,
  intervalMs: number,
  change: "increment" | "infinity",
  nowSec: number,
): Cib {
  const name = failCountName(rsc, task, intervalMs);
  const old = getTransientAttr(cib, nodeId, name);
  let n = 0;
  if (old !== undefined) n = /^\+?INFINITY$/i.test(old) ? INFINITY : Number.parseInt(old, 10) || 0;
  const next = change === "infinity" ? INFINITY : Math.min(INFINITY, n + 1);
  let out = setTransientAttr(cib, nodeId, uname, name, next >= INFINITY ? "INFINITY" : String(next));
  out = setTransientAttr(out, nodeId, uname, lastFailureName(rsc, task, intervalMs), String(nowSec));
  return out;
}

// ---------------------------------------------------------------------------
// Operation history

export interface OpRecord {
  nodeId: string;
  uname: string;
  /** the resource id as it appears in status (anonymous clone instances without ":N") */
  rsc: string;
  standard?: string;
  provider?: string;
  agentType?: string;
  task: string;
  intervalMs: number;
  /** instance attributes the action ran with (for op-digest) */
  params: Record<string, string>;
  timeoutMs: number;
  targetRc: number;
  actionId: number;
  transitionId: number;
  /** the DC's uuid, the last part of the transition key */
  dcUuid: string;
  callId: number;
  rc: number;
  opStatus: number;
  exitReason?: string;
  /** epoch ms the operation's result became known */
  at: number;
  execMs: number;
  queueMs: number;
  origin?: string;
  /** agents that can reload: the parameters that force a restart and their digest */
  restart?: { opForceRestart: string; opRestartDigest: string };
}

/** transition-key and transition-magic as Pacemaker writes them. */
export function transitionKey(actionId: number, transitionId: number, targetRc: number, uuid: string): string {
  return `${actionId}:${transitionId}:${targetRc}:${uuid}`;
}

function buildOp(id: string, r: OpRecord, lastRcChange: string): LrmRscOp {
  const key = transitionKey(r.actionId, r.transitionId, r.targetRc, r.dcUuid);
  const op: LrmRscOp = {
    id,
    operationKey: opKey(r.rsc, r.task, r.intervalMs),
    operation: r.task,
    crmDebugOrigin: r.origin ?? "do_update_resource",
    crmFeatureSet: CRM_FEATURE_SET,
    transitionKey: key,
    transitionMagic: `${r.opStatus}:${r.rc};${key}`,
    exitReason: r.exitReason ?? "",
    onNode: r.uname,
    callId: String(r.callId),
    rcCode: String(r.rc),
    opStatus: String(r.opStatus),
    interval: String(r.intervalMs),
    lastRcChange,
    execTime: String(Math.max(0, Math.round(r.execMs))),
    queueTime: String(Math.max(0, Math.round(r.queueMs))),
  };
  op.opDigest = opDigest(r.params, r.intervalMs, r.timeoutMs);
  if (r.restart && r.intervalMs === 0) {
    op.opForceRestart = r.restart.opForceRestart;
    op.opRestartDigest = r.restart.opRestartDigest;
  }
  return op;
}

/**
 * Record one operation result in the node's lrm history (Pacemaker's rules):
 *  - a failed operation goes to RSC_last_failure_0, and for non-recurring ones also RSC_last_0;
 *  - a successful recurring operation goes to RSC_task_INTERVAL;
 *  - a successful non-recurring operation goes to RSC_last_0;
 *  - a successful stop also drops the resource's recurring-operation entries
 *    (they are cancelled with it).
 * last-rc-change keeps its old value when the same entry records the same rc again.
 */
export function recordOp(cib: Cib, r: OpRecord): Cib {
  const failed = opFailed(r.rc, r.opStatus, r.targetRc);
  const ids: string[] = [];
  if (failed) {
    ids.push(`${r.rsc}_last_failure_0`);
    if (r.intervalMs === 0) ids.push(`${r.rsc}_last_0`);
  } else if (r.intervalMs > 0) {
    ids.push(opKey(r.rsc, r.task, r.intervalMs));
  } else {
    ids.push(`${r.rsc}_last_0`);
  }
  const nowSec = String(Math.floor(r.at / 1000));
  return withNodeState(cib, r.nodeId, r.uname, (ns) => {
    const resources = ns.lrmResources.slice();
    let ri = resources.findIndex((x) => x.id === r.rsc);
    let res: LrmResource;
    if (ri < 0) {
      res = { id: r.rsc, type: r.agentType, class: r.standard, provider: r.provider, ops: [] };
      resources.push(res);
      ri = resources.length - 1;
    } else {
      res = { ...resources[ri], ops: resources[ri].ops.slice() };
    }
    for (const id of ids) {
      const i = res.ops.findIndex((o) => o.id === id);
      const prev = i >= 0 ? res.ops[i] : undefined;
      const sameRc = prev && prev.rcCode === String(r.rc) && prev.operationKey === opKey(r.rsc, r.task, r.intervalMs);
      const op = buildOp(id, r, sameRc && prev.lastRcChange ? prev.lastRcChange : nowSec);
      if (i >= 0) res.ops[i] = op;
      else res.ops.push(op);
    }
    if (r.task === "stop" && !failed) {
      res.ops = res.ops.filter((o) => Number(o.interval || "0") === 0 || o.id.endsWith("_last_failure_0"));
    }
    resources[ri] = res;
    return { ...ns, lrmId: ns.lrmId ?? r.nodeId, lrmResources: resources };
  });
}

/** Remove a recurring operation's entry (after it was cancelled). */
export function deleteRecurringOp(cib: Cib, nodeId: string, rsc: string, task: string, intervalMs: number): Cib {
  const i = findNodeIndex(cib, nodeId);
  if (i < 0) return cib;
  const id = opKey(rsc, task, intervalMs);
  const ns = cib.status[i];
  const ri = ns.lrmResources.findIndex((x) => x.id === rsc);
  if (ri < 0 || !ns.lrmResources[ri].ops.some((o) => o.id === id)) return cib;
  const out = cloneStatus(cib);
  const resources = ns.lrmResources.slice();
  resources[ri] = { ...resources[ri], ops: resources[ri].ops.filter((o) => o.id !== id) };
  out.status[i] = { ...ns, lrmResources: resources };
  return out;
}

/** Highest call-id recorded for a node (the controller continues counting from there). */
export function maxCallId(cib: Cib, nodeId: string): number {
  const ns = cib.status.find((n) => n.id === nodeId);
  let max = 0;
  for (const r of ns?.lrmResources ?? []) for (const o of r.ops) max = Math.max(max, Number(o.callId) || 0);
  return max;
}

// ---------------------------------------------------------------------------
// Cleanup

function primitivesOf(r: Resource): Primitive[] {
  if (r.kind === "primitive") return [r];
  if (r.kind === "group") return r.children;
  if (r.kind === "clone") return r.child.kind === "group" ? r.child.children : [r.child];
  return [];
}

/** Primitive ids a configured id (primitive, group, clone, or clone-instance "x:1") stands for. */
export function primitiveIdsFor(cib: Cib, id: string): Set<string> {
  const out = new Set<string>();
  const base = id.replace(/:\d+$/, "");
  const visit = (r: Resource): boolean => {
    if (r.id === base) {
      for (const p of primitivesOf(r)) out.add(p.id);
      return true;
    }
    if (r.kind === "group") return r.children.some(visit);
    if (r.kind === "clone") return visit(r.child);
    return false;
  };
  for (const r of cib.configuration.resources) if (visit(r)) break;
  if (out.size === 0) out.add(base); // orphans: only in status
  return out;
}

function lrmMatches(lrmId: string, prims: Set<string>): boolean {
  return prims.has(lrmId) || prims.has(lrmId.replace(/:\d+$/, ""));
}

function attrResource(name: string): string | undefined {
  const m = /^(?:fail-count|last-failure)-(.+)#[^#]+$/.exec(name);
  return m ? m[1] : undefined;
}

function hasFailure(ns: NodeState, lrmId: string): boolean {
  const res = ns.lrmResources.find((r) => r.id === lrmId);
  if (res?.ops.some((o) => o.id.endsWith("_last_failure_0") && opFailed(Number(o.rcCode), Number(o.opStatus), targetRcOfOp(o)))) return true;
  for (const s of ns.transientAttributes)
    for (const p of s.nvpairs) if (p.name.startsWith("fail-count-") && attrResource(p.name) === lrmId) return true;
  return false;
}

function targetRcOfOp(o: LrmRscOp): number {
  const parts = (o.transitionKey ?? "").split(":");
  const t = Number(parts[2]);
  return Number.isFinite(t) && parts.length >= 4 ? t : 0;
}

/**
 * `vigil resource cleanup [RSC] [node=N]` (pcs resource cleanup / crm_resource --cleanup):
 * a status-only change that deletes the operation history and the fail-count /
 * last-failure attributes of a resource on one node or all nodes, so that the
 * scheduler probes it again. Without rsc, every resource that has a failure
 * recorded (a failed operation or a fail-count) is cleaned.
 * Groups and clones stand for their primitives. Returns a new Cib.
 */
export function cleanupResource(cib: Cib, rsc?: string, node?: string): Cib {
  const prims = rsc !== undefined ? primitiveIdsFor(cib, rsc) : undefined;
  const out = cloneStatus(cib);
  out.status = out.status.map((ns) => {
    if (node !== undefined && ns.uname !== node && ns.id !== node) return ns;
    const targets = new Set<string>();
    for (const r of ns.lrmResources) {
      if (prims ? lrmMatches(r.id, prims) : hasFailure(ns, r.id)) targets.add(r.id);
    }
    for (const s of ns.transientAttributes)
      for (const p of s.nvpairs) {
        const ar = attrResource(p.name);
        if (ar === undefined) continue;
        if (prims ? lrmMatches(ar, prims) : p.name.startsWith("fail-count-")) targets.add(ar);
      }
    if (targets.size === 0) return ns;
    return {
      ...ns,
      lrmResources: ns.lrmResources.filter((r) => !targets.has(r.id)),
      transientAttributes: ns.transientAttributes.map((s) => ({
        ...s,
        nvpairs: s.nvpairs.filter((p) => {
          const ar = attrResource(p.name);
          return ar === undefined || !targets.has(ar);
        }),
      })),
    };
  });
  return out;
}
