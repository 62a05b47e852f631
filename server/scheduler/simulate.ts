// What `crm_simulate -S` does after scheduling: pretend every action of the
// transition succeeded and record the results into the CIB status, so that
// unpack() of the returned CIB gives the "Revised Cluster Status".
// Pure: the input CIB is not modified (the result shares its unchanged parts: treat both as
// immutable); the output depends only on the arguments.
import { opDigest } from "../cib/op-digest";
import type { Cib, Clone, LrmResource, LrmRscOp, NodeState, Primitive, Resource } from "../cib/types";
import type { Action, Transition } from "./types";
import { executionOrder } from "./format";
import { parseBoolean } from "../cib/values";

export interface ApplyOptions {
  /** epoch seconds written as last-run / last-rc-change of the recorded operations */
  now: number;
}

/** Tasks whose results the controller records in the operation history. */
const RECORDED = new Set(["start", "stop", "monitor", "promote", "demote", "migrate_to", "migrate_from", "reload", "reload-agent", "cancel"]);

/** OCF "not running" and "running promoted" return codes. */
const RC_NOT_RUNNING = 7;
const RC_PROMOTED = 8;

interface RscInfo {
  primitive: Primitive;
  /** inside a clone that is not globally-unique: history goes under the bare id */
  anonymous: boolean;
}

function indexPrimitives(resources: Resource[]): Map<string, RscInfo> {
  const out = new Map<string, RscInfo>();
  const addPrim = (p: Primitive, anonymous: boolean) => out.set(p.id, { primitive: p, anonymous });
  for (const r of resources) {
    if (r.kind === "primitive") addPrim(r, false);
    else if (r.kind === "group") for (const c of r.children) addPrim(c, false);
    else if (r.kind === "clone") {
      const anon = !cloneIsUnique(r);
      const child = r.child;
      if (child.kind === "primitive") addPrim(child, anon);
      else for (const c of child.children) addPrim(c, anon);
    }
  }
  return out;
}

function cloneIsUnique(c: Clone): boolean {
  for (const set of c.metaAttributes)
    for (const p of set.nvpairs)
      if (p.name === "globally-unique" || p.name === "globally_unique") return parseBoolean(p.value, false);
  return false;
}

function stripInstance(id: string): string {
  return id.replace(/:\d+$/, "");
}

function maxCallId(cib: Cib): number {
  let max = 0;
  for (const ns of cib.status)
    for (const r of ns.lrmResources)
      for (const op of r.ops) {
        const n = Number(op.callId);
        if (Number.isFinite(n) && n > max) max = n;
      }
  return max;
}


/**
 * Returns a new CIB whose status records every action of `transition` as
 * successful, in a dependency-respecting order, the way crm_simulate -S does:
 * - start/stop/promote/demote/migrate: `<rsc>_last_0` is replaced, rc 0;
 * - probes (monitor, interval 0): rc 7 (not running), or 0/8 when the
 *   resource is active on that node in the history so far;
 * - recurring monitors: `<rsc>_monitor_<ms>`, rc 8 when the instance is
 *   promoted there at that point, else rc 0;
 * - fencing: the node's node_state becomes offline/down and its operation
 *   history and transient attributes are dropped;
 * - cancels of recurring monitors: `<rsc>_cancel_<ms>`, operation "cancel",
 *   rc 0, as crm_simulate records them; read back, such an entry is a success
 *   after the last stop, so a resource whose monitor was cancelled after its
 *   stop shows as Started in the revised status, as crm_simulate shows it;
 * - pseudo actions, notifications, deletes and cluster actions
 *   (do_shutdown, clear_failcount) leave the status as it is.
 * An action's history goes to the node's lrm_resource named like the action's
 * resource (Action.rsc is the id as in status) when there is one; otherwise a new
 * one, under the primitive's bare id for anonymous clone instances (as
 * Pacemaker does). Call-ids continue after the highest present in the CIB.
 * A transition that records nothing returns `cib` itself, so that callers can tell that the
 * status (and so its unpacked view) is unchanged without comparing them.
 */
export function applyTransition(cib: Cib, transition: Transition, opts: ApplyOptions): Cib {
  // Copy on write: a node_state (and an lrm_resource in it) is copied when an action
  // records something there; untouched ones (and all operation records, which are
  // replaced, never changed) are shared with the input. Copying a large status section
  // whole cost more than the rest of the simulation.
  const status = cib.status.slice();
  const ownStates = new Set<NodeState>();
  const own = (ns: NodeState): NodeState => {
    if (ownStates.has(ns)) return ns;
    const copy: NodeState = { ...ns, lrmResources: ns.lrmResources.slice() };
    ownStates.add(copy);
    status[status.indexOf(ns)] = copy;
    return copy;
  };
  const ownHistories = new Set<LrmResource>();
  const ownHistory = (ns: NodeState, r: LrmResource): LrmResource => {
    if (ownHistories.has(r)) return r;
    const copy: LrmResource = { ...r, ops: r.ops.slice() };
    ownHistories.add(copy);
    ns.lrmResources[ns.lrmResources.indexOf(r)] = copy;
    return copy;
  };
  const prims = indexPrimitives(cib.configuration.resources);
  const nodeIdOf = new Map<string, string>();
  for (const n of cib.configuration.nodes) nodeIdOf.set(n.uname, n.id);
  let callId: number | undefined; // the highest in the CIB, looked up at the first record
  let recorded = false;

  const stateFor = (uname: string): NodeState => {
    let ns = status.find((s) => (s.uname ?? s.id) === uname);
    if (!ns) {
      const id = nodeIdOf.get(uname) ?? uname;
      ns = status.find((s) => s.id === id);
    }
    if (ns) ns = own(ns);
    else {
      ns = {
        id: nodeIdOf.get(uname) ?? uname,
        uname,
        inCcm: "true",
        crmd: "online",
        join: "member",
        expected: "member",
        crmDebugOrigin: "vigil-simulate",
        transientAttributes: [],
        lrmResources: [],
      };
      ownStates.add(ns);
      status.push(ns);
    }
    if (ns.lrmId === undefined) ns.lrmId = ns.id;
    return ns;
  };

  const historyFor = (ns: NodeState, a: Action): LrmResource => {
    const configId = a.configRsc ?? stripInstance(a.rsc!);
    const info = prims.get(configId);
    // Like crm_simulate: an existing history entry under the action's name is
    // reused; a new one for an anonymous clone instance gets the bare id.
    // (then, for anonymous clone instances, an entry under the bare id)
    let r = ns.lrmResources.find((x) => x.id === a.rsc);
    const lrmId = r ? a.rsc! : info?.anonymous ? configId : a.rsc!;
    r ??= ns.lrmResources.find((x) => x.id === lrmId);
    if (r) r = ownHistory(ns, r);
    else {
      const p = info?.primitive;
      r = {
        id: lrmId,
        class: a.standard ?? p?.class,
        provider: a.provider ?? p?.provider,
        type: a.agentType ?? p?.type,
        ops: [],
      };
      ownHistories.add(r);
      ns.lrmResources.push(r);
    }
    return r;
  };

  /** The role the history so far gives the resource on that node (last non-recurring op wins). */
  const currentRole = (r: LrmResource): "stopped" | "started" | "promoted" => {
    const ops = [...r.ops].sort((x, y) => Number(x.callId) - Number(y.callId));
    let role: "stopped" | "started" | "promoted" = "stopped";
    for (const op of ops) {
      const rc = Number(op.rcCode);
      const interval = Number(op.interval);
      if (op.operation === "stop" && rc === 0) role = "stopped";
      else if ((op.operation === "start" || op.operation === "demote") && rc === 0) role = "started";
      else if (op.operation === "promote" && rc === 0) role = "promoted";
      else if (op.operation === "monitor" && interval === 0) {
        if (rc === RC_NOT_RUNNING) role = "stopped";
        else if (rc === RC_PROMOTED) role = "promoted";
        else if (rc === 0) role = "started";
      }
    }
    return role;
  };

  for (const a of executionOrder(transition)) {
    if (a.pseudo || !a.node) continue;
    if (a.task === "stonith") {
      if (a.fenceAction === "on") continue;
      const ns = stateFor(a.node);
      recorded = true;
      ns.inCcm = "false";
      ns.crmd = "offline";
      ns.join = "down";
      ns.expected = "down";
      ns.crmDebugOrigin = "vigil-simulate-fencing";
      ns.lrmResources = [];
      ns.transientAttributes = [];
      continue;
    }
    if (!a.rsc || !RECORDED.has(a.task)) continue;
    const ns = stateFor(a.node);
    recorded = true;
    const hist = historyFor(ns, a);
    const recurring = a.intervalMs > 0;
    let rc = 0;
    const explicit = a.meta["op_target_rc"];
    if (explicit !== undefined && /^\d+$/.test(explicit)) rc = Number(explicit);
    else if (a.task === "monitor") {
      const role = currentRole(hist);
      if (recurring) rc = role === "promoted" ? RC_PROMOTED : 0;
      else rc = role === "stopped" ? RC_NOT_RUNNING : role === "promoted" ? RC_PROMOTED : 0;
    }
    callId = (callId ?? maxCallId(cib)) + 1;
    const opId = recurring ? `${hist.id}_${a.task}_${a.intervalMs}` : `${hist.id}_last_0`;
    const op: LrmRscOp = {
      id: opId,
      operationKey: `${hist.id}_${a.task}_${a.intervalMs}`,
      operation: a.task,
      interval: String(a.intervalMs),
      callId: String(callId),
      rcCode: String(rc),
      opStatus: "0",
      transitionKey: `${a.id}:-1:${rc}:00000000-0000-0000-0000-000000000000`,
      transitionMagic: `0:${rc};${a.id}:-1:${rc}:00000000-0000-0000-0000-000000000000`,
      crmDebugOrigin: "vigil-simulate",
      lastRun: String(opts.now),
      lastRcChange: String(opts.now),
      execTime: "0",
      queueTime: "0",
      onNode: a.node,
      // the digest of what the action ran with, as crm_simulate (and the controller) record it
      opDigest: opDigest(a.params, a.intervalMs, a.timeoutMs),
    };
    const existing = hist.ops.findIndex((o) => o.id === opId);
    if (existing >= 0) hist.ops[existing] = op;
    else hist.ops.push(op);
  }

  return recorded ? { ...cib, status } : cib;
}
