// Action creation: for every resource the actions that take it from its
// current role to its next role (stop, start, promote, demote), recurring
// monitors after start/promote, probes where its state is unknown, the
// pseudo actions of groups and clones, and fencing for unclean nodes.
import { ROLE_RANK, type OpConfig, type SAction, type SNode, type SRsc, type WorkingSet } from "./model";
import type { Role } from "./types";
import { canRun, currentNode, runningNodes } from "./assign";
import { cloneOf, mergeNvSets, opDefaultsFor, primitivesOf, topOf } from "./unpack-config";
import { fenceNode } from "./unpack-status";
import { checkedNode } from "./definition-changes";
import { durationMs } from "./durations";
import { stoppedRoleMonitors } from "./stopped-monitors";
import { isTrue } from "./score";

export function actionKey(rsc: SRsc | undefined, task: string, intervalMs: number): string {
  return `${rsc ? rsc.id : ""}_${task}_${intervalMs}`;
}

/** The key an action has in the transition (cancels under the monitor's key; see below for pseudo stops). */
export function transitionKey(a: SAction): string {
  const key = a.cancel ? a.key.replace(/_cancel$/, "") : a.key;
  const r = a.rsc;
  // a primitive's pseudo action (implied by fencing) is keyed by the name its history uses, as Pacemaker does
  if (a.pseudo && r?.variant === "primitive" && r.historyName && key.startsWith(`${r.id}_`)) return r.historyName + key.slice(r.id.length);
  return key;
}

/**
 * The action with this key on this node (by node name, none: ""). ws.actionByKey holds the
 * actions of each key (a few: one per node at most; most keys have one, held without a list), so
 * a lookup builds no "key+node" string.
 */
export function findAction(ws: WorkingSet, key: string, node: SNode | undefined): SAction | undefined {
  const entry = ws.actionByKey.get(key);
  return entry === undefined ? undefined : actionOn(entry, node);
}

/** The action of one ws.actionByKey entry on this node (by node name, none: ""). */
function actionOn(entry: SAction | SAction[], node: SNode | undefined): SAction | undefined {
  const name = node ? node.uname : "";
  if (!Array.isArray(entry)) return (entry.node ? entry.node.uname : "") === name ? entry : undefined;
  for (const a of entry) if ((a.node ? a.node.uname : "") === name) return a;
  return undefined;
}

/**
 * key === actionKey(rsc, task, 0), i.e. `${id}_${task}_0`, compared piece by piece: orderings
 * and propagation ask this for every action they look at, and building the string each time
 * made most of their garbage.
 */
export function isZeroKey(key: string, id: string, task: string): boolean {
  const n = id.length;
  return key.length === n + task.length + 3 && key.startsWith(id) && key.charCodeAt(n) === 95 /* _ */ && key.startsWith(task, n + 1) && key.endsWith("_0");
}

/**
 * isZeroKey(a.key, r.id, task) for an action of r: an action customAction keyed itself as
 * actionKey(r, t, 0) has that key exactly when t === task, so only the task is compared
 * (orderings, propagation and the summary ask this for every action of a resource they look at).
 */
export function isZeroAction(a: SAction, r: SRsc, task: string): boolean {
  if (a.zeroTask !== undefined && a.rsc === r) return a.zeroTask === task;
  return isZeroKey(a.key, r.id, task);
}

/** All actions of rsc for a task (interval 0) on any node. */
export function actionsOf(rsc: SRsc, task: string, node?: SNode): SAction[] {
  const out: SAction[] = [];
  for (const a of rsc.actions) if (isZeroAction(a, rsc, task) && (node === undefined || a.node === node)) out.push(a);
  return out;
}

export function firstAction(rsc: SRsc, task: string, node?: SNode): SAction | undefined {
  for (const a of rsc.actions) if (isZeroAction(a, rsc, task) && (node === undefined || a.node === node)) return a;
  return undefined;
}

function isActive(r: SRsc): boolean {
  return runningNodes(r).length > 0;
}

/** The meta and params of an action that has none of its own (frozen: it is shared; set a new object instead). */
export const NO_META: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Create (or find) an action, re-evaluating whether it can run as Pacemaker does on every request. */
export function customAction(
  ws: WorkingSet,
  rsc: SRsc | undefined,
  task: string,
  node: SNode | undefined,
  optional: boolean,
  opts: { intervalMs?: number; key?: string; pseudo?: boolean } = {},
): SAction {
  const intervalMs = opts.intervalMs ?? 0;
  const key = opts.key ?? actionKey(rsc, task, intervalMs);
  // (one lookup of the key for the three uses below: nothing in between adds actions)
  const entry = ws.actionByKey.get(key);
  let a = entry === undefined ? undefined : actionOn(entry, node);
  if (!a && node && entry !== undefined) {
    // an action required before assignment (a definition change) goes where the resource goes
    // (its entry in ws.actionByKey moves with a.node)
    const unbound = actionOn(entry, undefined);
    if (unbound?.bindable) {
      a = unbound;
      a.bindable = false;
      a.node = node;
      a.runnable = true;
    }
  }
  if (!a) {
    a = {
      seq: ws.seq++,
      key,
      task,
      rsc,
      node,
      intervalMs,
      optional,
      runnable: true,
      pseudo: opts.pseudo ?? false,
      printAlways: false,
      // shared and frozen until something sets its own (fillExecution, cancels, fencing): most
      // of the actions of a schedule never get any
      meta: NO_META,
      params: NO_META,
      timeoutMs: 20000,
      needs: "nothing",
      before: [],
      after: [],
      // optional fields, present from the start: one hidden class for every action (V8)
      reason: undefined,
      fenceAction: undefined,
      targetRc: undefined,
      cancel: undefined,
      bindable: undefined,
      requiredRunnableBefore: undefined,
      oneOrMoreMet: undefined,
      zeroTask: opts.key === undefined && intervalMs === 0 ? task : undefined,
    };
    if (rsc && rsc.variant === "primitive") {
      a.needs = task === "start" || task === "promote" ? rsc.requires : "nothing";
    } else if (rsc) {
      a.pseudo = true;
    }
    ws.actions.push(a);
    if (entry === undefined) ws.actionByKey.set(key, a);
    else if (Array.isArray(entry)) entry.push(a);
    else ws.actionByKey.set(key, [entry, a]);
    if (rsc) rsc.actions.push(a);
  }
  if (!optional) a.optional = false;
  if (rsc) {
    if (a.pseudo) {
      /* untouched */
    } else if (!a.node) {
      a.runnable = false;
    } else if (!rsc.managed && intervalMs === 0) {
      a.optional = true;
    } else if (!a.node.online) {
      a.runnable = false;
      if (rsc.managed && task === "stop" && !a.node.unclean) {
        fenceNode(ws, a.node, "resource actions are unrunnable");
      }
    } else if (a.node.pending) {
      a.runnable = false;
    } else if (a.needs === "nothing") {
      // Pacemaker forgets an earlier reason when an action that needs nothing is requested again
      a.reason = undefined;
      a.runnable = true;
    } else if (!ws.haveQuorum && ws.noQuorumPolicy === "stop") {
      a.reason ??= "no quorum";
      a.runnable = false;
    } else if (!ws.haveQuorum && ws.noQuorumPolicy === "freeze") {
      if (!isActive(rsc) || ROLE_RANK[rsc.nextRole] > ROLE_RANK[rsc.role]) {
        a.reason ??= "quorum freeze";
        a.runnable = false;
      }
    } else {
      a.runnable = true;
    }
  }
  return a;
}

const baseMeta = new WeakMap<SRsc, Record<string, string>>();
const opDefaultsCache = new WeakMap<WorkingSet, Map<string, Record<string, string>>>();
const NO_OP_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({});

/** what op_defaults give an operation: none configured (most CIBs), none given, without a key string per call */
function cachedOpDefaults(ws: WorkingSet, rsc: SRsc, name: string, intervalMs: number): Readonly<Record<string, string>> {
  const sets = ws.cib.configuration.opDefaults;
  if (!sets || sets.length === 0) return NO_OP_DEFAULTS;
  let m = opDefaultsCache.get(ws);
  if (!m) opDefaultsCache.set(ws, (m = new Map()));
  const ag = rsc.agent;
  const k = `${ag?.standard}:${ag?.provider}:${ag?.type}|${name}|${intervalMs}`;
  let v = m.get(k);
  if (!v) m.set(k, (v = opDefaultsFor(ws, rsc, name, intervalMs)));
  return v;
}

function resourceMeta(rsc: SRsc): Record<string, string> {
  let m = baseMeta.get(rsc);
  if (m) return m;
  m = {};
  const clone = cloneOf(rsc);
  if (clone) {
    m["clone_max"] = String(clone.cloneMax);
    m["clone_node_max"] = String(clone.cloneNodeMax);
    if (rsc.instanceNo !== undefined) m["clone"] = String(rsc.instanceNo);
    m["globally_unique"] = clone.uniqueClone ? "true" : "false";
    m["notify"] = clone.notify ? "true" : "false";
    if (clone.promotable) {
      m["promoted_max"] = String(clone.promotedMax);
      m["promoted_node_max"] = String(clone.promotedNodeMax);
      m["master_max"] = String(clone.promotedMax);
      m["master_node_max"] = String(clone.promotedNodeMax);
      m["promotable"] = "true";
    }
  }
  baseMeta.set(rsc, m);
  return m;
}

/** The configured operation an action of `name`/`intervalMs` runs as (a probe: the shortest monitor's settings). */
function opConfigFor(rsc: SRsc, name: string, intervalMs: number): OpConfig | undefined {
  return (
    rsc.ops.find((o) => o.name === name && o.intervalMs === intervalMs) ??
    (name === "monitor" && intervalMs === 0 ? rsc.ops.filter((o) => o.name === "monitor").sort((x, y) => x.intervalMs - y.intervalMs)[0] : undefined)
  );
}

/** Timeout of an operation: the op's own, else op_defaults, else 20 s. */
export function opTimeoutMs(ws: WorkingSet, rsc: SRsc, name: string, intervalMs: number): number {
  let timeoutMs = opConfigFor(rsc, name, intervalMs)?.timeoutMs;
  if (timeoutMs === undefined) {
    const d = cachedOpDefaults(ws, rsc, name, intervalMs)["timeout"];
    if (d !== undefined) timeoutMs = durationMs(d);
  }
  return timeoutMs ?? 20000;
}

/** Parameters an operation runs with: the resource's, plus the op's own instance attributes. */
export function opParams(ws: WorkingSet, rsc: SRsc, name: string, intervalMs: number): Record<string, string> {
  const op = rsc.ops.find((o) => o.name === name && o.intervalMs === intervalMs);
  if (!op || op.op.instanceAttributes.length === 0) return rsc.params;
  return { ...rsc.params, ...mergeNvSets({}, op.op.instanceAttributes, { now: ws.now }) };
}

/** Parameters, meta and timeout an executor needs to run the action (filled for actions in the transition). */
export function fillExecution(ws: WorkingSet, a: SAction): void {
  const rsc = a.rsc;
  if (!rsc || rsc.variant !== "primitive") return;
  const name = a.cancel ? "monitor" : a.task;
  a.params = opParams(ws, rsc, name, a.intervalMs);
  a.timeoutMs = opTimeoutMs(ws, rsc, name, a.intervalMs);
  a.meta = { ...resourceMeta(rsc), timeout: String(a.timeoutMs), interval: String(a.intervalMs) };
  if (a.intervalMs === 0 && name === "monitor") a.meta["op_target_rc"] = "7";
  if (a.node) {
    a.meta["on_node"] = a.node.uname;
    a.meta["on_node_uuid"] = a.node.id;
  }
}

// ---------------------------------------------------------------------------
// Primitive actions

function stopResource(ws: WorkingSet, r: SRsc, optional: boolean): void {
  for (const n of r.runningOn) {
    if (r.stopUnexpected && r.expectedNode === n) continue;
    const stop = customAction(ws, r, "stop", n, optional);
    if (!r.allocatedTo) {
      stop.reason = "node availability";
    } else if (r.restarting && r.stopUnexpected) {
      stop.reason = "being multiply active";
    }
    if (!r.managed) stop.runnable = false;
  }
}

function startResource(ws: WorkingSet, r: SRsc, node: SNode | undefined, optional: boolean): void {
  if (!node) return;
  // a start is made required only when it can run: a start that cannot run stays optional (and blocked)
  const start = customAction(ws, r, "start", node, true);
  if (start.runnable && !optional) start.optional = false;
  if (r.stopUnexpected && r.expectedNode === node) start.pseudo = true;
}

function promoteResource(ws: WorkingSet, r: SRsc, node: SNode | undefined, optional: boolean): void {
  if (!node) return;
  let runnable = true;
  for (const s of actionsOf(r, "start", node)) if (!s.runnable) runnable = false;
  if (runnable) {
    customAction(ws, r, "promote", node, optional);
    return;
  }
  const existing = actionsOf(r, "promote", node);
  // the promote that cannot happen is still recorded (crm_simulate reports it as blocked)
  if (existing.length === 0) existing.push(customAction(ws, r, "promote", undefined, optional));
  for (const p of existing) p.runnable = false;
}

function demoteResource(ws: WorkingSet, r: SRsc, optional: boolean): void {
  for (const n of r.runningOn) {
    const demote = customAction(ws, r, "demote", n, optional);
    // an unmanaged resource keeps its role, like it is never stopped
    if (!r.managed) demote.runnable = false;
  }
}

/** The next step from role `from` towards `to` (Pacemaker's role state matrix). */
function nextStep(from: Role, to: Role): Role {
  const f = from === "Unknown" ? "Stopped" : from;
  if (to === "Unknown") return "Stopped";
  switch (f) {
    case "Stopped":
      return to === "Stopped" ? "Stopped" : to === "Started" ? "Started" : "Unpromoted";
    case "Started":
      return to === "Stopped" ? "Stopped" : to;
    case "Unpromoted":
      return to === "Stopped" || to === "Started" ? "Stopped" : to;
    case "Promoted":
      return to === "Promoted" ? "Promoted" : "Unpromoted";
  }
  return "Stopped";
}

/** Run the action for one role step; false when the step is invalid. */
function roleStep(ws: WorkingSet, r: SRsc, from: Role, to: Role, node: SNode | undefined, optional: boolean): boolean {
  const f = from === "Unknown" ? "Unknown" : from;
  if (f === to) return true;
  if (to === "Stopped") {
    if (f === "Promoted") {
      demoteResource(ws, r, optional);
      return true;
    }
    stopResource(ws, r, optional);
    return true;
  }
  if (f === "Unknown") return false;
  if (f === "Stopped") {
    if (to === "Started" || to === "Unpromoted") {
      startResource(ws, r, node, optional);
      return true;
    }
    return false;
  }
  if (f === "Started") {
    if (to === "Unpromoted") return true;
    if (to === "Promoted") {
      promoteResource(ws, r, node, optional);
      return true;
    }
    return false;
  }
  if (f === "Unpromoted") {
    if (to === "Started") {
      stopResource(ws, r, optional);
      return true;
    }
    if (to === "Promoted") {
      promoteResource(ws, r, node, optional);
      return true;
    }
    return false;
  }
  // Promoted
  demoteResource(ws, r, optional);
  return true;
}

function primitiveCreateActions(ws: WorkingSet, r: SRsc): void {
  const chosen = r.allocatedTo;
  if (r.nextRole === "Unknown") r.nextRole = chosen ? (cloneOf(r)?.promotable ? "Unpromoted" : "Started") : "Stopped";
  const current = currentNode(r);
  const all = r.runningOn.length;
  const clean = r.runningOn.filter((n) => !n.unclean && n.online).length;
  const multiple = r.requires !== "fencing" ? clean > 1 : all > 1;
  let needStop = false;
  let needPromote = false;
  let isMoving = false;
  if (multiple) {
    const cls = r.agent?.standard ?? "Untyped";
    ws.messages.push(
      `error: ${cls} resource ${r.id} might be active on ${all} nodes (${recoveryText(r.recovery)})`,
      "notice: See https://wiki.clusterlabs.org/wiki/FAQ#Resource_is_Too_Active for more information",
    );
    if (r.recovery === "stop_start") needStop = true;
    else if (r.recovery === "stop_unexpected") {
      needStop = true;
      r.stopUnexpected = true;
      r.expectedNode = chosen;
    } else if (r.recovery === "block") {
      r.blocked = true;
      r.managed = false;
    }
  } else r.stopUnexpected = false;
  if (r.startPending && chosen) {
    const s = customAction(ws, r, "start", chosen, true);
    s.printAlways = true;
  }
  if (current && chosen && current !== chosen) {
    isMoving = true;
    needStop = true;
  } else if (r.failed) {
    if (r.stopOnFail) needStop = true;
    else if (r.nextRole === "Promoted") needPromote = true;
  } else if (r.blocked) {
    needStop = true;
  } else if (ROLE_RANK[r.role] > ROLE_RANK.Started && current && chosen) {
    const s = customAction(ws, r, "start", chosen, true);
    if (!s.optional) needStop = true;
  }
  void isMoving;
  r.restarting = true;
  // down to stopped (optional unless a stop is needed)
  let role: Role = r.role;
  while (role !== "Stopped") {
    const next = nextStep(role, "Stopped");
    if (!roleStep(ws, r, role, next, current, !needStop)) break;
    role = next;
  }
  // back up to the current role
  while (ROLE_RANK[r.role] <= ROLE_RANK[r.nextRole] && role !== r.role && !r.blocked) {
    const next = nextStep(role, r.role);
    let required = needStop;
    if (next === "Promoted" && needPromote) required = true;
    if (!roleStep(ws, r, role, next, chosen, !required)) break;
    role = next;
  }
  r.restarting = false;
  role = r.role;
  while (role !== r.nextRole) {
    const next = nextStep(role, r.nextRole);
    if (!roleStep(ws, r, role, next, chosen, false)) break;
    role = next;
  }
  if (r.blocked) {
    /* no recurring monitors for a blocked resource */
  } else if (r.nextRole !== "Stopped" || !r.managed) {
    const start = chosen ? customAction(ws, r, "start", chosen, true) : undefined;
    recurring(ws, r, start, chosen);
  }
  const maintenance = ws.maintenanceMode || isTrue(r.meta["maintenance"], false);
  if (!r.blocked && !maintenance) stoppedRoleMonitors(ws, r, chosen);
}

function recoveryText(t: string): string {
  switch (t) {
    case "stop_only":
      return "stop_only";
    case "block":
      return "block";
    case "stop_unexpected":
      return "stop_unexpected";
    default:
      return "stop_start";
  }
}

/**
 * Is there an op before ops[i] with its name and interval that is recurring (and, with
 * skipStopped, not for the Stopped role)? The same as remembering every such op's
 * "name_interval" in a Set while going through the ops in order.
 */
export function sameEarlierOp(ops: readonly OpConfig[], i: number, skipStopped: boolean): boolean {
  const op = ops[i];
  for (let j = 0; j < i; j++) {
    const p = ops[j];
    if (p.intervalMs === 0 || (skipStopped && p.role === "Stopped")) continue;
    if (p.name === op.name && p.intervalMs === op.intervalMs) return true;
  }
  return false;
}

/**
 * r.activeMonitors has key on node (a loop: no closure per call; the node and the interval
 * compared before the key, which are two strings built apart and compared by their text)
 */
function isActiveMonitor(r: SRsc, key: string, intervalMs: number, node: SNode | undefined): boolean {
  for (const m of r.activeMonitors) if (m.node === node && m.intervalMs === intervalMs && m.key === key) return true;
  return false;
}

function recurring(ws: WorkingSet, r: SRsc, start: SAction | undefined, node: SNode | undefined): void {
  if (node?.maintenance || !r.managed && !node) return;
  if (node?.maintenance) return;
  const ops = r.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.intervalMs === 0) continue;
    if (op.role === "Stopped") continue;
    // the first of each name and interval only (a loop over the few earlier ops: no Set and no key string per call)
    if (sameEarlierOp(ops, i, true)) continue;
    if (["start", "stop", "promote", "demote"].includes(op.name)) continue;
    if (!op.enabled) continue;
    const key = actionKey(r, op.name, op.intervalMs);
    let optional = start ? start.optional : true;
    const active = isActiveMonitor(r, key, op.intervalMs, node);
    if (!active) optional = false;
    else if (node && ws.rescheduled?.has(`${key}\u0000${node.uname}`)) optional = false;
    const role = op.role;
    if ((r.nextRole === "Promoted" && role === undefined) || (role !== undefined && role !== r.nextRole)) {
      if (optional && node && active) {
        const cancel = customAction(ws, r, "cancel", node, false, { intervalMs: op.intervalMs, key: actionKey(r, `${op.name}`, op.intervalMs) + "_cancel" });
        cancel.cancel = true;
        cancel.meta = { ...cancel.meta, cancel_interval: String(op.intervalMs) };
        const after = r.role === "Promoted" ? "demote" : r.nextRole === "Promoted" ? "promote" : r.nextRole === "Stopped" ? "stop" : undefined;
        if (after) ws.orders.push({ id: "cancel", firstAction: cancel, firstTask: "cancel", thenRsc: r, thenTask: after, flags: 8 });
      }
      continue;
    }
    const mon = customAction(ws, r, op.name, node, optional, { intervalMs: op.intervalMs, key });
    if (!start || !start.runnable) mon.runnable = false;
    else if (!node || !node.online || node.unclean) mon.runnable = false;
    if (r.nextRole === "Promoted") mon.targetRc = 8;
    if (!node || r.managed) {
      ws.orders.push({ id: "start-monitor", firstRsc: r, firstTask: "start", thenAction: mon, thenTask: op.name, flags: 2 | 8 });
      if (r.nextRole === "Promoted") ws.orders.push({ id: "promote-monitor", firstRsc: r, firstTask: "promote", thenAction: mon, thenTask: op.name, flags: 1 | 8 });
      else if (r.role === "Promoted") ws.orders.push({ id: "demote-monitor", firstRsc: r, firstTask: "demote", thenAction: mon, thenTask: op.name, flags: 1 | 8 });
    }
  }
}

// ---------------------------------------------------------------------------
// Groups and clones

function groupCreateActions(ws: WorkingSet, g: SRsc): void {
  for (const c of g.children) createActions(ws, c);
  const start = customAction(ws, g, "start", undefined, true, { pseudo: true });
  start.runnable = true;
  const running = customAction(ws, g, "running", undefined, true, { pseudo: true });
  running.runnable = true;
  const stop = customAction(ws, g, "stop", undefined, true, { pseudo: true });
  stop.runnable = true;
  const stopped = customAction(ws, g, "stopped", undefined, true, { pseudo: true });
  stopped.runnable = true;
  if (cloneOf(g)?.promotable) {
    for (const t of ["demote", "demoted", "promote", "promoted"]) customAction(ws, g, t, undefined, true, { pseudo: true }).runnable = true;
  }
}

function childStatus(r: SRsc, st: { stopping: boolean; starting: boolean; active: boolean; promoting: boolean; demoting: boolean }): void {
  if (r.children.length) {
    r.children.forEach((c) => childStatus(c, st));
    return;
  }
  if (r.runningOn.length) st.active = true;
  for (const a of r.actions) {
    if (a.optional) continue;
    if (!a.runnable && !a.pseudo) continue;
    if (a.task === "stop") st.stopping = true;
    else if (a.task === "start" && a.runnable) st.starting = true;
    else if (a.task === "promote" && a.runnable) st.promoting = true;
    else if (a.task === "demote") st.demoting = true;
  }
}

function cloneCreateActions(ws: WorkingSet, c: SRsc): void {
  const st = { stopping: false, starting: false, active: false, promoting: false, demoting: false };
  for (const ch of c.children) {
    createActions(ws, ch);
    childStatus(ch, st);
  }
  const start = customAction(ws, c, "start", undefined, !st.starting, { pseudo: true });
  start.runnable = true;
  const running = customAction(ws, c, "running", undefined, !st.starting, { pseudo: true });
  running.runnable = st.starting || st.active || true;
  const stop = customAction(ws, c, "stop", undefined, !st.stopping, { pseudo: true });
  stop.runnable = true;
  const stopped = customAction(ws, c, "stopped", undefined, !st.stopping, { pseudo: true });
  stopped.runnable = true;
  if (c.promotable) {
    customAction(ws, c, "promote", undefined, !st.promoting, { pseudo: true }).runnable = true;
    customAction(ws, c, "promoted", undefined, !st.promoting, { pseudo: true }).runnable = true;
    customAction(ws, c, "demote", undefined, !st.demoting, { pseudo: true }).runnable = true;
    customAction(ws, c, "demoted", undefined, !st.demoting, { pseudo: true }).runnable = true;
  }
}

export function createActions(ws: WorkingSet, r: SRsc): void {
  if (r.variant === "primitive") primitiveCreateActions(ws, r);
  else if (r.variant === "group") groupCreateActions(ws, r);
  else cloneCreateActions(ws, r);
}

// ---------------------------------------------------------------------------
// Probes

function knownOn(r: SRsc, n: SNode): boolean {
  if (r.knownOn.has(n)) return true;
  const c = cloneOf(r);
  if (c && !c.uniqueClone) {
    // an anonymous clone's state on a node is known when any instance has history there
    return primitivesOf(c).some((p) => p.cfgId === r.cfgId && p.knownOn.has(n));
  }
  return false;
}

/** Where an instance (a primitive, or a group's first member) was assigned. */
function assignedTo(inst: SRsc): SNode | undefined {
  if (inst.variant === "primitive") return inst.allocatedTo;
  return inst.children.length ? assignedTo(inst.children[0]) : undefined;
}

function byInstanceNo(list: SRsc[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i - 1].instanceNo ?? 0) > (list[i].instanceNo ?? 0)) return false;
  return true;
}

/**
 * The instance of an anonymous clone that probes it on n. (A function of its own: the closures
 * here capture n, and V8 allocates the context holding n at the start of any call of the function
 * that has them, which was every probeResource call: one per resource and node.)
 */
function instanceToProbe(r: SRsc, n: SNode): SRsc | undefined {
  // in instance-number order (usually already so: scheduleProbes sorted them; a stable
  // sort of a sorted list changes nothing, so no copy is needed then)
  const sorted = byInstanceNo(r.children) ? r.children : [...r.children].sort((a, b) => (a.instanceNo ?? 0) - (b.instanceNo ?? 0));
  // the instance active there, else the one assigned there, else the first
  let inst = sorted.find((c) => currentNode(c) === n);
  if (!inst) inst = sorted.find((c) => !c.orphan && assignedTo(c) === n);
  if (!inst) inst = sorted.find((c) => !c.orphan) ?? sorted[0];
  return inst;
}

function probeResource(ws: WorkingSet, r: SRsc, n: SNode): boolean {
  if (r.variant === "group") {
    let any = false;
    for (const c of r.children) any = probeResource(ws, c, n) || any;
    return any;
  }
  if (r.variant === "clone") {
    if (r.uniqueClone) {
      let any = false;
      for (const c of r.children) any = probeResource(ws, c, n) || any;
      return any;
    }
    const inst = instanceToProbe(r, n);
    return inst ? probeResource(ws, inst, n) : false;
  }
  if (r.orphan) return false;
  if (knownOn(r, n)) return false;
  const allowed = r.allowed.get(n);
  void allowed;
  const probe = customAction(ws, r, "monitor", n, false, { intervalMs: 0 });
  probe.optional = false;
  probe.targetRc = 7;
  ws.probes.push(probe);
  return true;
}

/**
 * Cancel recurring monitors found running in the history that must not run:
 * the resource or node is in maintenance, or the monitor is no longer configured
 * (then only when the resource is assigned a node).
 */
export function scheduleCancels(ws: WorkingSet): void {
  for (const r of ws.primitives) {
    const maint = ws.maintenanceMode || /^(true|yes|on|1)$/i.test(r.meta["maintenance"] ?? "");
    if (r.orphan) {
      // a stopped orphan's history is removed once it is stopped
      if (r.managed && !cloneOf(r)) {
        for (const n of r.runningOn) {
          if (!n.online || n.unclean) continue;
          const del = customAction(ws, r, "delete", n, false);
          del.runnable = true;
          for (const s of actionsOf(r, "stop", n)) ws.orders.push({ id: "orphan-delete", firstAction: s, firstTask: "stop", thenAction: del, thenTask: "delete", flags: 1 | 2 });
        }
      }
      continue;
    }
    for (const m of r.activeMonitors) {
      if (!m.node.online || m.node.unclean || !r.runningOn.includes(m.node)) continue;
      const configured = r.ops.some((o) => o.name === m.name && o.intervalMs === m.intervalMs && o.enabled);
      if (!(maint || m.node.maintenance || !configured)) continue;
      // a monitor no longer configured is cancelled only when the resource stays
      // assigned somewhere, and only on a node whose history is checked (not a
      // standby one), as crm_simulate 2.1.5 does
      if (!maint && !m.node.maintenance && (!r.allocatedTo || !checkedNode(m.node))) continue;
      const c = customAction(ws, r, "cancel", m.node, false, { intervalMs: m.intervalMs, key: `${m.key}_cancel` });
      c.cancel = true;
      c.runnable = true;
      c.optional = false;
      c.meta = { ...c.meta, cancel_interval: String(m.intervalMs) };
    }
  }
}

export function scheduleProbes(ws: WorkingSet): void {
  // probing walks clone instances in instance-number order and leaves them so
  if (ws.nodes.some((n) => n.online && !n.unclean && !n.pending)) {
    for (const r of ws.rscById.values()) if (r.variant === "clone") r.children.sort((a, b) => (a.instanceNo ?? 0) - (b.instanceNo ?? 0));
  }
  for (const n of ws.nodes) {
    // pending nodes get probes too; they stay unrunnable until the node joins
    if (!n.online || n.unclean) continue;
    if (n.attrs["probe_complete"] !== undefined && n.attrs["probe_complete"] !== "true") continue;
    for (const r of ws.resources) probeResource(ws, r, n);
  }
}

// ---------------------------------------------------------------------------
// Fencing

export function canFence(ws: WorkingSet, n: SNode): boolean {
  if (!ws.stonithEnabled || !ws.hasStonithResource) return false;
  if (ws.haveQuorum || ws.noQuorumPolicy === "ignore") return true;
  return n.online;
}

export function fenceOp(ws: WorkingSet, n: SNode, optional: boolean, reason: string): SAction {
  const key = `stonith-${n.uname}-${ws.stonithAction}`;
  let a = findAction(ws, key, n);
  if (!a) {
    a = customAction(ws, undefined, "stonith", n, true, { key });
    a.fenceAction = ws.stonithAction;
    a.meta = { stonith_action: ws.stonithAction, on_node: n.uname, on_node_uuid: n.id };
    a.timeoutMs = 60000;
  }
  if (!optional && canFence(ws, n)) {
    a.optional = false;
    a.reason ??= reason;
  } else a.reason ??= reason;
  return a;
}

function anyManaged(ws: WorkingSet): boolean {
  return ws.primitives.some((p) => p.managed);
}

export function scheduleFencing(ws: WorkingSet): void {
  const haveManaged = anyManaged(ws);
  const fencings: SAction[] = [];
  for (const n of ws.nodes) {
    if (haveManaged && n.unclean && canFence(ws, n)) {
      const op = fenceOp(ws, n, false, n.fenceReason ?? "node is unclean");
      orderVsFence(ws, op, n);
      fencings.push(op);
    } else if (n.online && n.shutdown) {
      const down = customAction(ws, undefined, "do_shutdown", n, false, { key: `do_shutdown-${n.uname}` });
      down.meta = { on_node: n.uname, on_node_uuid: n.id };
      // stops first; a blocked stop blocks the shutdown, an unmanaged resource is left alone
      for (const r of n.running) {
        if (!r.managed && !r.blocked) continue;
        if (n.maintenance) continue;
        for (const s of actionsOf(r, "stop", n)) ws.orders.push({ id: "shutdown", firstAction: s, firstTask: "stop", thenAction: down, thenTask: "do_shutdown", flags: 1 | 8 });
      }
    }
  }
  // Without concurrent fencing, fencing actions run one after another (DC last)
  if (!/^(true|yes|on|1)$/i.test(ws.props["concurrent-fencing"] ?? "false")) {
    for (let i = 1; i < fencings.length; i++) {
      ws.orders.push({ id: "fence-chain", firstAction: fencings[i - 1], firstTask: "stonith", thenAction: fencings[i], thenTask: "stonith", flags: 1 });
    }
  }
}

function orderVsFence(ws: WorkingSet, op: SAction, target: SNode): void {
  for (const r of ws.primitives) {
    if (!r.managed) continue;
    for (const a of r.actions) {
      if (a.needs === "fencing") ws.orders.push({ id: "fence-start", firstAction: op, firstTask: "stonith", thenAction: a, thenTask: a.task, flags: 1 });
      else if (a.needs === "quorum" && a.task === "start" && r.allowed.has(target) && !knownOn(r, target)) {
        ws.orders.push({ id: "fence-start", firstAction: op, firstTask: "stonith", thenAction: a, thenTask: a.task, flags: 1 | 8 });
      }
    }
    const implicit = r.requires === "fencing";
    for (const stop of actionsOf(r, "stop", target)) {
      stop.pseudo = true;
      stop.runnable = true;
      if (implicit) {
        ws.orders.push({ id: "fence-stop", firstAction: op, firstTask: "stonith", thenAction: stop, thenTask: "stop", flags: 1 << 14 });
        const top = topOf(r);
        if (top !== r) {
          const ps = firstAction(top, "stop");
          if (ps) ws.orders.push({ id: "fence-stop", firstAction: op, firstTask: "stonith", thenAction: ps, thenTask: "stop", flags: 1 << 14 });
        }
      }
    }
    for (const d of actionsOf(r, "demote", target)) {
      if (!d.node!.online || d.node!.unclean) {
        d.pseudo = true;
        d.runnable = true;
        if (implicit) ws.orders.push({ id: "fence-demote", firstAction: op, firstTask: "stonith", thenAction: d, thenTask: "demote", flags: 1 | (1 << 14) });
      }
    }
  }
}

export { canRun };
