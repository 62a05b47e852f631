// Unpack phase 2: the status section. Node membership (online, unclean,
// pending, standby, maintenance, shutdown) from node_state and attributes,
// then each resource's operation history: last result by call-id, rc-code
// and op-status remapping, failures with their on-fail handling, clone
// instance mapping, orphans, fail-counts and failed actions.
import type { LrmResource, LrmRscOp, NodeState, Rule } from "../cib/types";
import { durationMs } from "./durations";
import { versionLess } from "../cib/op-digest";
import type { FailedAction, Role } from "./types";
import { NodeScores, NodeSet, ROLE_RANK, type SNode, type SRsc, type WorkingSet } from "./model";
import { builderFor, buildInstance, cloneOf, emptyRsc, mergeNvSets, opDefaultsFor, parseRole, topOf } from "./unpack-config";
import { INFINITY, addScores, isTrue, score } from "./score";
import { canFence } from "./actions";

// Pacemaker's executor status codes (op-status)
export const EXEC = { pending: -1, done: 0, cancelled: 1, timeout: 2, notSupported: 3, error: 4, errorHard: 5, errorFatal: 6, notInstalled: 7 } as const;

/** on-fail responses, in escalation order */
const FAIL_RANK = ["ignore", "demote", "restart", "migrate", "block", "stop", "standby", "fence"] as const;
type OnFail = (typeof FAIL_RANK)[number];

export interface StatusExtras {
  failedActions: FailedAction[];
  /** clear_failcount actions to schedule: rsc + node + reason */
  clearFailcounts: { rsc: SRsc; node: SNode; reason: string }[];
  /** fail-count attributes found, per (primitive cfg id or instance id, node) */
  ruleById: Map<string, Rule>;
  /** per-node transient attributes */
}

/** A clear_failcount for rsc on node is already scheduled. */
export function clearsFailcount(extras: StatusExtras, rsc: SRsc, node: SNode): boolean {
  for (const c of extras.clearFailcounts) if (c.rsc === rsc && c.node === node) return true;
  return false;
}

export function unpackNodeStates(ws: WorkingSet): void {
  const startupFencing = isTrue(ws.props["startup-fencing"], true);
  const seen = new Set<SNode>();
  for (const st of ws.cib.status) {
    const node = nodeOf(ws, st);
    if (!node) continue;
    if (seen.has(node)) continue;
    seen.add(node);
    node.hasState = true;
    // transient attributes override the configured ones
    const transient = mergeNvSets({}, st.transientAttributes, { now: ws.now });
    for (const [k, v] of Object.entries(transient)) node.attrs[k] = v;
    node.standby = isTrue(node.attrs["standby"], false);
    node.maintenance = isTrue(node.attrs["maintenance"], false);
    const shutdown = node.attrs["shutdown"];
    node.shutdown = shutdown !== undefined && shutdown !== "0" && shutdown !== "";
    node.expectedUp = (st.expected ?? "") === "member";
    node.online = ws.stonithEnabled ? onlineWithFencing(ws, node, st) : onlineWithoutFencing(ws, node, st);
    // no-quorum-policy=suicide: every member of an inquorate partition fences itself
    if (node.online && !ws.haveQuorum && ws.noQuorumPolicy === "suicide") fenceNode(ws, node, "cluster does not have quorum");
    if (!node.online || node.shutdown) node.fixed = true;
  }
  for (const node of ws.nodes) {
    if (node.hasState) continue;
    // never seen: unclean until fenced when start-up fencing applies
    node.online = false;
    node.fixed = true;
    if (startupFencing && ws.stonithEnabled) node.unclean = true;
  }
}

function inCluster(v: string | undefined): boolean {
  if (v === undefined) return false;
  if (isTrue(v, false)) return true;
  return /^\d+$/.test(v) && Number(v) > 0;
}

function peerOnline(v: string | undefined): boolean {
  if (v === undefined) return false;
  if (v.toLowerCase() === "online") return true;
  return /^\d+$/.test(v) && Number(v) > 0;
}

export function fenceNode(ws: WorkingSet, node: SNode, reason: string): void {
  if (node.unclean) return;
  node.unclean = true;
  node.fenceReason ??= reason;
}

function onlineWithFencing(ws: WorkingSet, node: SNode, st: NodeState): boolean {
  const join = (st.join ?? "").toLowerCase();
  const expected = (st.expected ?? "down").toLowerCase();
  const ccm = inCluster(st.inCcm);
  const crmd = peerOnline(st.crmd);
  const terminate = isTrue(node.attrs["terminate"], false);
  if (node.shutdown) return ccm;
  if (st.inCcm === undefined) {
    fenceNode(ws, node, "peer has not been seen by the cluster");
    return false;
  }
  if (join === "nack" || join === "banned") {
    fenceNode(ws, node, "peer failed Pacemaker membership criteria");
    return ccm;
  }
  // A pending node still in the membership counts as online: probes are
  // scheduled there (unrunnable while it is pending), so nothing starts
  // elsewhere before its state is known.
  if (!terminate && expected === "down") {
    if (ccm || crmd) {
      node.standby = true;
      node.pending = true;
    }
    return ccm;
  }
  if (terminate && join === "down" && !ccm && !crmd) return false;
  if (!ccm) {
    fenceNode(ws, node, "peer is no longer part of the cluster");
    return false;
  }
  if (!crmd) {
    fenceNode(ws, node, "peer process is no longer available");
    return ccm;
  }
  if (terminate) {
    fenceNode(ws, node, "termination was requested");
    return ccm;
  }
  if (join === "member") return true;
  if (join === "pending" || join === "down") {
    node.standby = true;
    node.pending = true;
    return ccm;
  }
  fenceNode(ws, node, "peer was in an unknown state");
  return ccm;
}

// Without fencing a node that has not joined yet is simply offline (not
// pending), and one expected up whose controller is gone is unclean.
function onlineWithoutFencing(ws: WorkingSet, node: SNode, st: NodeState): boolean {
  const join = (st.join ?? "").toLowerCase();
  if (!inCluster(st.inCcm)) return false;
  if (peerOnline(st.crmd)) return join === "member";
  if (node.expectedUp) fenceNode(ws, node, "peer is unexpectedly down");
  return false;
}

// ---------------------------------------------------------------------------
// Operation history

export interface OpView {
  op: LrmRscOp;
  task: string;
  intervalMs: number;
  callId: number;
  rc: number;
  status: number;
  targetRc: number;
  lastRcChange: number;
  /** position in the history as written (ties in call-id keep it) */
  idx: number;
}

/** The expected rc in a transition key "action:transition:target-rc:uuid" (-1 when it has none),
 *  taken from transition-key, else from transition-magic ("status:rc;KEY"). Hot: runs per op,
 *  so indexOf instead of split (same result as splitting on ";" and ":"). */
export function targetRcOf(op: Pick<LrmRscOp, "transitionKey" | "transitionMagic">): number {
  let key = op.transitionKey;
  let from = 0;
  let to: number;
  if (key === undefined) {
    const magic = op.transitionMagic;
    if (!magic) return -1;
    const semi = magic.indexOf(";");
    if (semi < 0) return -1;
    key = magic;
    from = semi + 1;
    const next = magic.indexOf(";", from);
    to = next < 0 ? magic.length : next;
  } else to = key.length;
  if (from >= to) return -1; // empty key
  // the common form, digits:digits:digits:..., read without building substrings (one
  // history entry after another goes through here); anything else takes the general code
  let i = from;
  let colons = 0;
  let t = 0;
  let digits = 0;
  for (; i < to; i++) {
    const ch = key.charCodeAt(i);
    if (ch === 58 /* : */) {
      if (++colons === 3) break;
      if (colons === 2) t = 0;
      digits = 0;
    } else if (ch >= 48 && ch <= 57 && digits < 9) {
      digits++;
      if (colons === 2) t = t * 10 + (ch - 48);
    } else break;
  }
  if (colons === 3 && digits > 0) return t;
  return targetRcGeneral(key, from, to);
}

function targetRcGeneral(key: string, from: number, to: number): number {
  const c1 = key.indexOf(":", from);
  if (c1 < 0 || c1 >= to) return -1;
  const c2 = key.indexOf(":", c1 + 1);
  if (c2 < 0 || c2 >= to) return -1;
  const c3 = key.indexOf(":", c2 + 1);
  if (c3 < 0 || c3 >= to) return -1; // fewer than four parts
  const t = Number.parseInt(key.slice(c2 + 1, c3), 10);
  return Number.isNaN(t) ? -1 : t;
}

function opView(op: LrmRscOp, idx: number): OpView {
  const callId = Number.parseInt(op.callId, 10);
  return {
    op,
    task: op.operation,
    intervalMs: Number.parseInt(op.interval ?? "0", 10) || 0,
    callId: Number.isNaN(callId) ? -1 : callId,
    rc: Number.parseInt(op.rcCode, 10),
    status: Number.parseInt(op.opStatus, 10),
    targetRc: targetRcOf(op),
    lastRcChange: Number(op.lastRcChange ?? op.lastRun ?? 0) || 0,
    idx,
  };
}

/** By call-id, pending ops (call-id -1) last, ties in document order; sorts in place. */
function sortOps(ops: OpView[]): OpView[] {
  if (ops.length < 2) return ops;
  if (ops.length <= 8 && ops.every((o) => o.callId >= -1)) {
    // a short history (the usual two or three entries): insertion sort, which is stable like
    // Array.prototype.sort and so gives the same order, without the sort's working storage
    // (call-ids below -1 would make the comparison inconsistent, and the orders could differ)
    for (let i = 1; i < ops.length; i++) {
      const o = ops[i];
      let j = i - 1;
      while (j >= 0 && compareOps(ops[j], o) > 0) {
        ops[j + 1] = ops[j];
        j--;
      }
      ops[j + 1] = o;
    }
    return ops;
  }
  return ops.sort(compareOps);
}

function compareOps(a: OpView, b: OpView): number {
  const x = a.callId;
  const y = b.callId;
  if (x === y) return a.idx - b.idx;
  if (x < 0) return 1; // pending ops (call-id -1) last
  if (y < 0) return -1;
  return x - y;
}

/** One resource's history on one node as views, in the order it happened. */
export function historyInOrder(lr: LrmResource): OpView[] {
  return sortOps(lr.ops.map(opView));
}

/** fast: take the short path for plain not-running probes (false only in tests comparing both paths). */
/**
 * Read every node's operation history into the resources. Returns false when the fast path
 * cannot be trusted for this CIB (a resource has two status entries on one node: see
 * unpackLrmResource); the caller then unpacks again with fast = false.
 */
export function unpackHistories(ws: WorkingSet, extras: StatusExtras, fast = true): boolean {
  const read = new NodeSet();
  let exact = true;
  const states = ws.cib.status.filter((s) => {
    const node = nodeOf(ws, s);
    return node !== undefined;
  });
  // in status order, offline nodes too when fencing is enabled (the order decides anonymous
  // instance numbers: crm_simulate gives an unclean node listed first the lower number)
  for (const st of states) {
    const node = nodeOf(ws, st)!;
    // without fencing, what an offline node last reported is not trusted: its resources count as stopped
    if (!ws.stonithEnabled && !node.online) continue;
    // a node's entries are read one after another, so a resource's second entry on it is seen
    // through rsc.lastHistoryNode; unless two node_states name the same node (then no fast path)
    if (read.has(node)) exact = false;
    read.add(node);
    for (const lr of st.lrmResources) if (!unpackLrmResource(ws, extras, node, lr, fast)) exact = false;
  }
  return exact || !fast;
}

/** The node a node_state is about: by id, else by uname; none for a node_state without an id (crm_simulate ignores it). */
export function nodeOf(ws: WorkingSet, st: NodeState): SNode | undefined {
  if (st.id === "") return undefined;
  return ws.nodeById.get(st.id) ?? (st.uname ? ws.nodeByUname.get(st.uname) : undefined);
}

function stripInstance(id: string): string {
  const i = id.lastIndexOf(":");
  return i > 0 && /^\d+$/.test(id.slice(i + 1)) ? id.slice(0, i) : id;
}

function isAnonClone(c: SRsc | undefined): boolean {
  return c !== undefined && c.variant === "clone" && !c.uniqueClone;
}

/** Which resource (instance) a history entry belongs to, creating orphans as needed. */
function findHistoryResource(ws: WorkingSet, extras: StatusExtras, node: SNode, lr: LrmResource): SRsc | undefined {
  let rsc = ws.rscById.get(lr.id);
  if (rsc && rsc.variant !== "primitive") return undefined; // no longer primitive: orphaned history
  if (!rsc) {
    const base = stripInstance(lr.id);
    const zero = ws.rscById.get(`${base}:0`);
    if (zero && zero.variant === "primitive" && isAnonClone(cloneOf(zero))) rsc = zero;
  }
  if (rsc) {
    const clone = cloneOf(rsc);
    if (isAnonClone(clone)) rsc = findAnonymousInstance(ws, extras, node, clone!, rsc.cfgId);
    return rsc;
  }
  // orphan primitive (history of a resource no longer configured)
  const orphan = emptyRsc(lr.id, lr.id, "primitive");
  orphan.orphan = true;
  orphan.agent = { standard: lr.class ?? "ocf", provider: lr.provider, type: lr.type ?? "" };
  orphan.meta = mergeNvSets({}, ws.cib.configuration.rscDefaults, { now: ws.now });
  orphan.managed = isTrue(ws.props["stop-orphan-resources"], true) && !ws.maintenanceMode;
  orphan.stickiness = 0;
  orphan.requires = "quorum";
  ws.rscById.set(orphan.id, orphan);
  ws.primitives.push(orphan);
  ws.resources.push(orphan);
  return orphan;
}

function memberOf(instance: SRsc, cfgId: string): SRsc | undefined {
  if (instance.variant === "primitive") return instance.cfgId === cfgId ? instance : undefined;
  return instance.children.find((c) => c.cfgId === cfgId);
}

/** The first node an instance is active or pending on (its running nodes, then pending ones,
 *  then its members', in that order), without building the whole list: runs per instance
 *  for every history entry of an anonymous clone. */
function instanceLocation(inst: SRsc): SNode | undefined {
  if (inst.runningOn.length) return inst.runningOn[0];
  if (inst.pendingOn) for (const n of inst.pendingOn.keys()) return n;
  for (const c of inst.children) {
    const n = instanceLocation(c);
    if (n) return n;
  }
  return undefined;
}

function findAnonymousInstance(
  ws: WorkingSet,
  extras: StatusExtras,
  node: SNode,
  clone: SRsc,
  cfgId: string,
): SRsc {
  let found: SRsc | undefined;
  let inactive: SRsc | undefined;
  let skipInactive = false;
  for (const inst of clone.children) {
    if (found) break;
    const loc = instanceLocation(inst);
    if (loc) {
      if (loc === node) {
        const m = memberOf(inst, cfgId);
        if (m) {
          if (m.runningOn.length > 0) {
            skipInactive = true;
          } else found = m;
        }
      }
    } else if (!skipInactive && !inactive && !inst.blocked) {
      const m = memberOf(inst, cfgId);
      if (m && !(m.pendingOn !== undefined && m.pendingOn.size > 0 && !m.pendingOn.has(node))) inactive = m;
    }
  }
  if (!found && !skipInactive && inactive) found = inactive;
  // without fencing, an instance on a lost node is not worth an instance number (unless the clone runs everywhere)
  if (found && found.requires !== "fencing" && (!node.online || node.unclean) && clone.cloneMax < ws.nodes.length) found = undefined;
  if (!found) {
    // anonymous orphan instance: a new instance number beyond the configured ones
    const n = clone.children.length;
    const child = (clone.xml as import("../cib/types").Clone).child;
    const inst = buildInstance(builderFor(ws, extras.ruleById), child, clone, n);
    for (const d of [inst, ...inst.children]) d.orphan = true;
    clone.children.push(inst);
    found = memberOf(inst, cfgId)!;
  }
  return found;
}

function failRank(f: OnFail): number {
  return FAIL_RANK.indexOf(f);
}

/** The configured (or default) on-fail for an operation. */
function onFailFor(ws: WorkingSet, rsc: SRsc, task: string, intervalMs: number): OnFail {
  const op = rsc.ops.find((o) => o.name === task && o.intervalMs === intervalMs) ?? (intervalMs === 0 ? undefined : undefined);
  let v = op?.onFail;
  if (v === undefined) {
    const d = opDefaultsFor(ws, rsc, task, intervalMs)["on-fail"];
    if (d) v = d.toLowerCase();
  }
  if (v === undefined && (task === "demote" || (task === "monitor" && intervalMs === 0))) v = undefined;
  switch (v) {
    case "ignore":
    case "block":
    case "stop":
    case "standby":
    case "demote":
      return v;
    case "fence":
      return ws.stonithEnabled ? "fence" : "stop";
    case "restart":
      return "restart";
    case undefined:
    default:
      if (task === "stop") return ws.stonithEnabled ? "fence" : "block";
      return "restart";
  }
}

function setActive(rsc: SRsc): Role {
  const c = cloneOf(rsc);
  return c?.promotable ? "Unpromoted" : "Started";
}

/**
 * A history that is one completed probe which found the resource not running (rc 7): the
 * common entry for every node a resource does not run on. What the general path makes of it
 * is only "known there, stopped"; with a failure-timeout it still takes the general path (the
 * expiry check may clear a fail-count).
 *
 * What the probe expected (the transition key) and whether it is a last_failure entry are not
 * read: for a completed rc-7 probe the general path's status is "done" and its role "Stopped"
 * either way, and a probe that counts as failed changes only blockingFailureOn (with on-fail
 * block), which only a failure-timeout reads. They are the entry's long values, each a read
 * from another place of the parsed document, for 31 000 entries at 32x1000.
 */
export function isPlainNotRunningProbe(op: LrmRscOp): boolean {
  // (the short values compared as text first: the parser reuses the previous element's equal value)
  if (op.operation !== "monitor" || (op.interval !== "0" && (Number.parseInt(op.interval ?? "0", 10) || 0) !== 0)) return false;
  if (op.rcCode !== "7" && Number.parseInt(op.rcCode, 10) !== 7) return false;
  if (op.opStatus !== "0" && Number.parseInt(op.opStatus, 10) !== EXEC.done) return false;
  // no call-id or -1: pending (one that starts with a digit is >= 0)
  const c = op.callId?.charCodeAt(0);
  return (c >= 48 && c <= 57) || Number.parseInt(op.callId, 10) >= 0;
}

/**
 * One status entry (lrm_resource) of a node. Returns false when the resource already had an
 * entry on this node (which matters with fast): the fast path leaves probe-only entries out of rsc.history, which is
 * exact only when no other entry of the resource on that node can make it active there.
 */
function unpackLrmResource(ws: WorkingSet, extras: StatusExtras, node: SNode, lr: LrmResource, fast: boolean): boolean {
  if (lr.ops.length === 0) return true;
  const rsc = findHistoryResource(ws, extras, node, lr);
  if (!rsc) return true;
  const single = rsc.lastHistoryNode !== node;
  rsc.lastHistoryNode = node;
  const previousName = rsc.historyName;
  if (lr.id !== rsc.id) rsc.historyName = lr.id;
  if (fast && lr.ops.length === 1 && !(rsc.failureTimeoutMs > 0) && isPlainNotRunningProbe(lr.ops[0])) {
    // the general path's result for it (role Stopped: nothing active, nothing failed). It is not
    // added to rsc.history: its readers skip it (definition changes look only at entries on nodes
    // where the resource is active, which it never is through this entry alone; stopped-role
    // monitors look for recurring operations), so leaving it out changes nothing while it is the
    // resource's only entry on this node (`single`, else the caller unpacks again without fast paths)
    rsc.knownOn.add(node);
    if (lr.id !== rsc.id && lr.id.includes(":")) rsc.historyName = previousName;
    return single;
  }
  const ops = historyInOrder(lr);
  (rsc.history ??= []).push({ node, lr, ops });

  let role = "Unknown" as Role;
  let onFail = "ignore" as OnFail;
  let nextRoleOverride: Role | undefined;
  let pending: string | undefined;
  let known = false;
  let failedHere = false;
  let lastStartIdx = -1;
  let lastStopIdx = -1;

  // a failure of an operation configured with on-fail=block keeps the fail-count from expiring
  for (const o of ops) {
    if (o.status === EXEC.pending || o.callId < 0 || o.status === EXEC.cancelled) continue;
    const failed = o.op.id.endsWith("_last_failure_0") || o.status !== EXEC.done || (o.targetRc >= 0 && o.rc !== o.targetRc);
    if (failed && onFailFor(ws, rsc, o.task, o.intervalMs) === "block") (rsc.blockingFailureOn ??= new Set()).add(node);
  }

  // a plain loop (no closure): the state below stays in locals, not in a context object per call
  for (let idx = 0; idx < ops.length; idx++) {
    const o = ops[idx];
    const isProbe = o.task === "monitor" && o.intervalMs === 0;
    if (o.task === "notify" || o.task === "meta-data") continue;
    if (o.status === EXEC.pending || o.callId < 0) {
      // a pending action: the resource is (becoming) active
      if (o.task === "start" || o.task === "migrate_from") {
        role = setActive(rsc);
        rsc.startPending = true;
      } else if (o.task === "promote") role = "Promoted";
      else if (o.task === "monitor" && o.intervalMs === 0) {
        /* probe in flight: state unknown */
      } else if (role === "Unknown" || role === "Stopped") {
        if (o.task !== "stop") role = setActive(rsc);
      }
      pending = o.task;
      continue;
    }
    if (o.status === EXEC.cancelled) continue;
    known = true;
    if (o.task === "start" || o.task === "migrate_from") lastStartIdx = idx;
    if (o.task === "stop") lastStopIdx = idx;
    let status = o.status;
    let rc = o.rc;
    // failure-timeout expiry
    let expired = false;
    // every history entry is checked for expiry (a successful one too: its fail-count may have expired)
    if (rsc.failureTimeoutMs > 0 && o.lastRcChange > 0) {
      if (ws.now >= o.lastRcChange + rsc.failureTimeoutMs / 1000) {
        // a failed entry is matched with all the resource's fail-counts, a successful one only with legacy ones
        const failedEntry = !(rc === o.targetRc || (status === EXEC.done && rc === 0 && o.targetRc < 0));
        const fc = failCount(ws, rsc, node, false, !failedEntry);
        const fcEff = failCount(ws, rsc, node, true, !failedEntry);
        if (fc.count > 0) {
          if (fcEff.count === 0) {
            expired = true;
            if (!clearsFailcount(extras, rsc, node))
              extras.clearFailcounts.push({ rsc, node, reason: "it expired" });
          }
        } else expired = true;
      }
      if (expired && isProbe && [0, 7, 8, 190, 191].includes(rc)) expired = false;
    }
    // remap rc + status into a result
    if (status === EXEC.done || status === EXEC.error) {
      if (o.targetRc >= 0 && rc === o.targetRc) status = EXEC.done;
      else {
        switch (rc) {
          case 0:
            // "running" where something else was expected is a failure, except for a probe
            status = isProbe || o.targetRc < 0 ? EXEC.done : EXEC.error;
            break;
          case 190:
            status = EXEC.done;
            break;
          case 7:
            if (isProbe || o.targetRc === 7 || !rsc.managed) {
              status = EXEC.done;
            } else status = EXEC.error;
            break;
          case 8:
          case 191:
            status = isProbe || o.targetRc === 8 || o.targetRc < 0 ? EXEC.done : EXEC.error;
            if (isProbe || o.task === "monitor") role = "Promoted";
            break;
          case 9:
            role = "Promoted";
            status = EXEC.error;
            break;
          case 3:
            status = o.intervalMs > 0 ? EXEC.notSupported : EXEC.errorHard;
            break;
          case 5:
            status = isProbe ? EXEC.notInstalled : EXEC.errorHard;
            break;
          case 2:
          case 4:
            status = EXEC.errorHard;
            break;
          case 6:
            status = EXEC.errorFatal;
            break;
          default:
            status = EXEC.error;
        }
      }
    }
    if (expired && status !== EXEC.done && status !== EXEC.notInstalled) {
      // an expired failure is ignored; an expired failed monitor is run again (as if its definition changed)
      if (o.intervalMs > 0) (rsc.expiredMonitors ??= new Set()).add(`${o.op.id}\u0000${node.uname}`);
      continue;
    }
    if (status === EXEC.done) {
      let clearPast = false;
      if (rc === 7 && o.task !== "stop") {
        role = "Stopped";
        onFail = "ignore";
        nextRoleOverride = undefined;
      } else if (o.task === "start" || o.task === "migrate_from") {
        role = setActive(rsc);
        clearPast = true;
      } else if (o.task === "stop") {
        role = "Stopped";
        clearPast = true;
      } else if (o.task === "promote") {
        role = "Promoted";
        clearPast = true;
      } else if (o.task === "demote") {
        if (onFail === "demote") clearPast = true;
        role = "Unpromoted";
      } else if (o.task === "migrate_to") {
        role = setActive(rsc);
      } else if (rc === 8 || rc === 191) {
        role = "Promoted";
      } else if (ROLE_RANK[role] < ROLE_RANK.Started) {
        role = setActive(rsc);
      }
      if (clearPast && ["block", "ignore", "demote", "restart"].includes(onFail)) {
        onFail = "ignore";
        nextRoleOverride = undefined;
      }
      continue;
    }
    // failures
    const configured = onFailFor(ws, rsc, o.task, o.intervalMs);
    recordFailure(ws, extras, rsc, node, o, status, configured === "ignore");
    if (configured === "ignore" && status !== EXEC.notInstalled) {
      // on-fail=ignore: carry on as if the operation had succeeded
      if (o.task === "stop") role = "Stopped";
      else if (o.task === "start" || o.task === "migrate_from") role = setActive(rsc);
      else if (o.task === "promote") role = "Promoted";
      else if (o.task === "demote") role = "Unpromoted";
      else if (ROLE_RANK[role] < ROLE_RANK.Started) role = setActive(rsc);
      continue;
    }
    failedHere = configured !== "ignore";
    const banTarget = banTargetOf(rsc);
    if (status === EXEC.errorHard || status === EXEC.notInstalled) {
      addAllowed(banTarget, node, -INFINITY);
    } else if (status === EXEC.errorFatal) {
      for (const n of ws.nodes) addAllowed(banTarget, n, -INFINITY);
    }
    if (failRank(configured) > failRank(onFail)) onFail = configured;
    if (o.task === "stop") {
      addAllowed(rsc, node, -INFINITY);
      // a stop that failed for good (bad parameters, not installed, ...) on a
      // node that cannot be fenced leaves nothing to recover with: block it
      if ((o.status === EXEC.done || o.status === EXEC.error) && [2, 3, 4, 5].includes(rc) && !canFence(ws, node)) {
        rsc.managed = false;
        rsc.blocked = true;
      }
    } else if (o.task === "promote") {
      role = "Promoted";
    } else if (o.task === "demote") {
      if (configured === "block") {
        role = "Promoted";
        nextRoleOverride = "Stopped";
      } else if (rc === 7) role = "Stopped";
      else role = "Unpromoted";
    }
    if (isProbe && rc === 5) {
      role = "Stopped";
    } else if (ROLE_RANK[role] < ROLE_RANK.Started) {
      role = setActive(rsc);
    }
  }

  if (known) rsc.knownOn.add(node);
  // a numbered history name is kept only while that history shows the instance active
  if (lr.id !== rsc.id && !(ROLE_RANK[role] > ROLE_RANK.Stopped) && lr.id.includes(":")) rsc.historyName = previousName;
  if (pending) {
    (rsc.pendingOn ??= new Map()).set(node, pending);
    rsc.pendingTask ??= pending;
  }
  if (role === "Unknown") return single;

  // recurring monitors that are active (after the last start, not stopped since)
  if (ROLE_RANK[role] > ROLE_RANK.Stopped && lastStopIdx <= lastStartIdx || (lastStartIdx < 0 && lastStopIdx < 0)) {
    let seenKeys: Set<string> | undefined;
    for (let idx = 0; idx < ops.length; idx++) {
      const o = ops[idx];
      if (o.intervalMs <= 0 || o.task !== "monitor") continue;
      seenKeys ??= new Set<string>();
      if (idx < lastStartIdx) continue;
      if (o.status === EXEC.cancelled) continue;
      const key = `${rsc.id}_${o.task}_${o.intervalMs}`;
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      rsc.activeMonitors.push({ key, node, intervalMs: o.intervalMs, name: o.task });
    }
  }

  // process the resulting state (Pacemaker's process_rsc_state)
  if (ROLE_RANK[role] > ROLE_RANK.Stopped && !node.online && !node.maintenance && rsc.managed) {
    if (ws.stonithEnabled) fenceNode(ws, node, `${rsc.id} is thought to be active there`);
  }
  let effOnFail = onFail;
  if (node.unclean) effOnFail = "ignore";
  switch (effOnFail) {
    case "ignore":
      break;
    case "demote":
      rsc.failed = true;
      break;
    case "fence":
      fenceNode(ws, node, `${rsc.id} failed there`);
      break;
    case "standby":
      node.standby = true;
      node.standbyOnFail = true;
      break;
    case "block":
      rsc.managed = false;
      rsc.blocked = true;
      break;
    case "migrate":
      addAllowed(rsc, node, -INFINITY);
      break;
    case "stop":
      rsc.nextRole = "Stopped";
      break;
    case "restart":
      if (ROLE_RANK[role] > ROLE_RANK.Stopped) {
        rsc.failed = true;
        rsc.stopOnFail = true;
      }
      break;
  }
  if (nextRoleOverride) rsc.nextRole = nextRoleOverride;
  if (failedHere && effOnFail !== "ignore") (rsc.failedOn ??= new Set()).add(node);
  if (ROLE_RANK[role] > ROLE_RANK.Stopped) {
    addRunning(ws, rsc, node, role);
    switch (effOnFail) {
      case "ignore":
        break;
      case "demote":
      case "block":
        rsc.failed = true;
        break;
      default:
        rsc.failed = true;
        rsc.stopOnFail = true;
    }
  }
  return single;
}

function addRunning(ws: WorkingSet, rsc: SRsc, node: SNode, role: Role): void {
  if (!rsc.runningOn.includes(node)) {
    rsc.runningOn.push(node);
    node.running.push(rsc);
  }
  (rsc.roleOn ??= new Map()).set(node, role);
  if (ROLE_RANK[role] > ROLE_RANK[rsc.role]) rsc.role = role;
  if (node.maintenance) rsc.managed = false;
  // an unmanaged resource stays where it is, with INFINITY there, which resources
  // colocated with it see (Pacemaker's "not_managed_default")
  if (!rsc.managed && node.online) addAllowed(rsc, node, INFINITY);
}

function banTargetOf(rsc: SRsc): SRsc {
  const c = cloneOf(rsc);
  if (c && !c.uniqueClone) return topOf(rsc);
  return rsc;
}

/**
 * A symmetric cluster: score 0 on every node for a resource and all its descendants, as
 * addAllowed(rsc, n, 0) for each node of `everywhere` (every node at 0) in turn; a table still
 * empty becomes a copy of `everywhere`.
 */
export function allowEverywhere(rsc: SRsc, everywhere: NodeScores): void {
  for (const c of rsc.children) allowEverywhere(c, everywhere);
  if (rsc.allowed.size === 0) rsc.allowed = everywhere.copy();
  else for (const n of everywhere.keys()) {
    const cur = rsc.allowed.get(n);
    rsc.allowed.set(n, cur === undefined ? 0 : addScores(cur, 0));
  }
}

/** resource_location: add a score for a node to a resource and all its descendants. */
export function addAllowed(rsc: SRsc, node: SNode, s: number): void {
  for (const c of rsc.children) addAllowed(c, node, s);
  const cur = rsc.allowed.get(node);
  rsc.allowed.set(node, cur === undefined ? s : addScores(cur, s));
}

// ---------------------------------------------------------------------------
// Fail-counts

const failIndex = new WeakMap<SNode, Map<string, { count: number; last: number }>>();

/** fail-count-* and last-failure-* attributes of a node, summed per resource id. */
function nodeFailures(node: SNode): Map<string, { count: number; last: number }> {
  let m = failIndex.get(node);
  if (m) return m;
  m = new Map();
  for (const [k, v] of Object.entries(node.attrs)) {
    const isCount = k.startsWith("fail-count-");
    if (!isCount && !k.startsWith("last-failure-")) continue;
    const rest = k.slice(isCount ? "fail-count-".length : "last-failure-".length);
    const hash = rest.lastIndexOf("#");
    const rid = hash >= 0 ? rest.slice(0, hash) : rest;
    // per resource: all attributes, (under LEGACY + id) the legacy ones without "#op_interval", (under PER_OP + id) the others
    for (const k2 of hash >= 0 ? [rid, PER_OP + rid] : [rid, LEGACY + rid]) {
      let e = m.get(k2);
      if (!e) m.set(k2, (e = { count: 0, last: 0 }));
      if (isCount) e.count = addScores(e.count, score(v, 0));
      else e.last = Math.max(e.last, Number(v) || 0);
    }
  }
  failIndex.set(node, m);
  return m;
}

const LEGACY = "\u0000legacy:";
const PER_OP = "\u0000per-op:";

/**
 * Which fail-count attributes count, as in Pacemaker 2.1: a CIB written by
 * Pacemaker 1.1.17 or later (crm_feature_set 3.0.13 and up) counts only the
 * per-operation ones (fail-count-RSC#OP_INTERVAL), an older one (or one without
 * crm_feature_set) only the per-resource ones (fail-count-RSC).
 */
const perOpCounts = new WeakMap<WorkingSet, boolean>();
function countsPerOp(ws: WorkingSet): boolean {
  let v = perOpCounts.get(ws);
  if (v === undefined) {
    const fs = ws.cib.attrs["crm_feature_set"];
    v = fs !== undefined && !versionLess(fs, "3.0.13");
    perOpCounts.set(ws, v);
  }
  return v;
}
const NO_FAILURES: { readonly count: number; readonly lastFailure: number } = Object.freeze({ count: 0, lastFailure: 0 });

/**
 * Sum of fail-count-RSC#OP_INTERVAL (and legacy fail-count-RSC) attributes for a primitive on a node.
 * legacyOnly: only the legacy per-resource attributes (what a history entry other than the failed
 * operation itself is matched with when its expiry is checked).
 */
export function failCount(ws: WorkingSet, rsc: SRsc, node: SNode, effective: boolean, legacyOnly = false): { readonly count: number; readonly lastFailure: number } {
  const idx0 = nodeFailures(node);
  if (idx0.size === 0) return NO_FAILURES; // the common case, asked for every resource on every node
  const idx = legacyOnly || !countsPerOp(ws) ? legacyView(idx0) : prefixView(idx0, PER_OP);
  const c = cloneOf(rsc);
  let count = 0;
  let last = 0;
  const own = idx.get(rsc.id);
  if (own) {
    count = addScores(count, own.count);
    last = Math.max(last, own.last);
  }
  if (c && !c.uniqueClone && rsc.cfgId !== rsc.id) {
    // an anonymous instance's fail-count may be recorded under the bare id or any instance number
    for (const [rid, e] of idx) {
      if (rid === rsc.id || rid.startsWith(LEGACY)) continue;
      if (rid !== rsc.cfgId && !(rid.startsWith(rsc.cfgId + ":") && /^\d+$/.test(rid.slice(rsc.cfgId.length + 1)))) continue;
      count = addScores(count, e.count);
      last = Math.max(last, e.last);
    }
  }
  if (effective && count > 0 && last > 0 && rsc.failureTimeoutMs > 0 && !rsc.blockingFailureOn?.has(node)) {
    if (ws.now > last + rsc.failureTimeoutMs / 1000) count = 0;
  }
  return { count, lastFailure: last };
}

const legacyViews = new WeakMap<Map<string, { count: number; last: number }>, Map<string, { count: number; last: number }>>();
function legacyView(idx: Map<string, { count: number; last: number }>): Map<string, { count: number; last: number }> {
  let v = legacyViews.get(idx);
  if (v) return v;
  v = prefixView(idx, LEGACY);
  legacyViews.set(idx, v);
  return v;
}

const perOpViews = new WeakMap<Map<string, { count: number; last: number }>, Map<string, { count: number; last: number }>>();
function prefixView(idx: Map<string, { count: number; last: number }>, prefix: string): Map<string, { count: number; last: number }> {
  const cached = prefix === PER_OP ? perOpViews.get(idx) : undefined;
  if (cached) return cached;
  const v = new Map<string, { count: number; last: number }>();
  for (const [k, e] of idx) if (k.startsWith(prefix)) v.set(k.slice(prefix.length), e);
  if (prefix === PER_OP) perOpViews.set(idx, v);
  return v;
}

// ---------------------------------------------------------------------------
// Failed actions (crm_mon's "Failed Resource Actions")

const RC_TEXT: Record<number, string> = {
  0: "ok",
  1: "error",
  2: "invalid parameter",
  3: "unimplemented feature",
  4: "insufficient privileges",
  5: "not installed",
  6: "not configured",
  7: "not running",
  8: "promoted",
  9: "promoted (failed)",
  190: "OK (degraded)",
  191: "promoted (degraded)",
};

const STATUS_TEXT: Record<number, string> = {
  [-1]: "pending",
  0: "complete",
  1: "Cancelled",
  2: "Timed Out",
  3: "NOT SUPPORTED",
  4: "Error",
  5: "Hard error",
  6: "Fatal error",
  7: "Not installed",
  8: "No executor connection",
  9: "Cannot execute now",
};

export function rcText(rc: number): string {
  return RC_TEXT[rc] ?? "unknown";
}

function recordFailure(ws: WorkingSet, extras: StatusExtras, rsc: SRsc, node: SNode, o: OpView, status: number, ignored: boolean): void {
  const key = o.op.operationKey ?? `${rsc.id}_${o.task}_${o.intervalMs}`;
  const opId = o.op.id;
  if (extras.failedActions.some((f) => f.node === node.uname && (f.opId === opId || opKeyOf(f) === key))) return;
  const reported = o.status === EXEC.error ? (o.rc === 0 ? EXEC.error : EXEC.error) : o.status;
  extras.failedActions.push({
    rsc: rsc.id,
    node: node.uname,
    task: o.task,
    intervalMs: o.intervalMs,
    rc: o.rc,
    rcText: rcText(o.rc),
    opStatus: reported,
    opStatusText: STATUS_TEXT[reported] ?? "unknown",
    exitReason: o.op.exitReason || undefined,
    callId: o.callId,
    lastRcChange: o.lastRcChange || undefined,
    execMs: Number(o.op.execTime ?? 0) || 0,
    queueMs: Number(o.op.queueTime ?? 0) || 0,
    opId,
  });
  failedKeys.set(extras.failedActions[extras.failedActions.length - 1], key);
  if (ignored) ws.failedIgnored.add(rsc);
  void status;
}

const failedKeys = new WeakMap<FailedAction, string>();
function opKeyOf(f: FailedAction): string | undefined {
  return failedKeys.get(f);
}

/** Apply target-role limits on the next role after status is known (Pacemaker's get_target_role). */
export function applyTargetRoles(ws: WorkingSet): void {
  for (const r of ws.rscById.values()) {
    const raw = r.meta["target-role"];
    let t = r.targetRole;
    if (raw !== undefined && t === "Unknown" && raw.toLowerCase() !== "unknown") {
      ws.messages.push(`error: Ignoring invalid target-role '${raw}' for ${r.id}`);
    }
    if (t === "Started") t = "Unknown";
    if (ROLE_RANK[t] > ROLE_RANK.Started) {
      const promotable = !!cloneOf(r)?.promotable;
      if (!promotable) {
        if (r.variant === "primitive" && !cloneOf(r))
          ws.messages.push(`error: Ignoring 'target-role' for ${r.id} because ${raw} only makes sense for promotable clones`);
        t = "Unknown";
      } else if (t === "Promoted") t = "Unknown";
    }
    if (t !== "Unknown" && (r.nextRole === "Unknown" || ROLE_RANK[t] < ROLE_RANK[r.nextRole])) r.nextRole = t;
    r.unpackedRole = r.nextRole;
  }
}

export function parseIntervalMs(s: string | undefined): number {
  return durationMs(s) ?? 0;
}

export { parseRole };
