// Ordering: the implicit orderings of primitives, groups and clones, user
// order constraints resolved to actions, and the propagation of "required"
// and "runnable" along ordering edges until nothing changes (Pacemaker's
// ordering flags: implies-then, implies-first, runnable-left, restart, ...).
import { O, type ROrder, type SAction, type SOrder, type SRsc, type WorkingSet } from "./model";
import { actionsOf, customAction, isZeroAction } from "./actions";
import { cloneOf, topOf } from "./unpack-config";
import { findCompatibleInstance, runningNodes } from "./assign";
import { INFINITY } from "./score";

/** The action `task` of the instance of `clone` placed beside `inst`; null when there is no such instance. */
function findCompatibleInstanceAction(inst: SRsc, clone: SRsc, task: string, current: boolean): SAction | null | undefined {
  const other = findCompatibleInstance(inst, clone, "Unknown", current);
  if (!other) return null;
  return actionWithKey(other, task);
}

/** The first action of r with the key actionKey(r, task, 0). */
function actionWithKey(r: SRsc, task: string): SAction | undefined {
  for (const a of r.actions) if (isZeroAction(a, r, task)) return a;
  return undefined;
}

function order(ws: WorkingSet, first: SRsc, ft: string, then: SRsc, tt: string, flags: number, id = "internal"): void {
  ws.orders.push({ id, firstRsc: first, firstTask: ft, thenRsc: then, thenTask: tt, flags });
}

export function internalConstraints(ws: WorkingSet, r: SRsc): void {
  if (r.variant === "primitive") {
    order(ws, r, "stop", r, "start", O.optional | O.impliesThen | O.restart);
    const top = topOf(r);
    if ((top.variant === "clone" && top.promotable) || r.role === "Promoted") {
      order(ws, r, "demote", r, "stop", O.impliesFirstPromoted);
      order(ws, r, "start", r, "promote", O.runnableLeft);
    }
    return;
  }
  if (r.variant === "group") return groupInternal(ws, r);
  return cloneInternal(ws, r);
}

function groupInternal(ws: WorkingSet, g: SRsc): void {
  const promotable = !!cloneOf(g)?.promotable;
  order(ws, g, "stopped", g, "start", O.optional);
  order(ws, g, "start", g, "running", O.runnableLeft);
  order(ws, g, "stop", g, "stopped", O.runnableLeft);
  let last: SRsc | undefined;
  let lastActive: SRsc | undefined;
  for (const c of g.children) {
    internalConstraints(ws, c);
    let stop: number = O.none;
    let stopped: number = O.none;
    const start = O.impliesThen | O.runnableLeft;
    const started = O.runnableLeft | O.impliesThen;
    if (!last) {
      if (g.orderedGroup) {
        stop |= O.optional;
        stopped = O.impliesThen;
      }
    }
    if (promotable) {
      order(ws, g, "demote", c, "demote", stop);
      order(ws, c, "demote", g, "demoted", stopped);
      order(ws, c, "promote", g, "promoted", started);
      order(ws, g, "promote", c, "promote", O.none);
    }
    order(ws, g, "start", c, "start", O.none);
    order(ws, g, "stop", c, "stop", stop);
    order(ws, c, "stop", g, "stopped", stopped);
    order(ws, c, "start", g, "running", started);
    if (!g.orderedGroup) {
      order(ws, g, "start", c, "start", start);
      if (promotable) order(ws, g, "promote", c, "promote", start);
    } else if (last) {
      order(ws, last, "start", c, "start", start);
      order(ws, c, "stop", last, "stop", O.optional | O.restart);
      if (promotable) {
        order(ws, last, "promote", c, "promote", start);
        order(ws, c, "demote", last, "demote", O.optional);
      }
    }
    if (runningNodes(c).length > 0) {
      if (g.orderedGroup && last && runningNodes(last).length === 0 && lastActive) order(ws, c, "stop", lastActive, "stop", O.optional);
      lastActive = c;
    }
    last = c;
  }
  if (g.orderedGroup && last) {
    order(ws, g, "stop", last, "stop", O.none);
    order(ws, last, "stop", g, "stopped", O.optional);
    if (promotable) {
      order(ws, g, "demote", last, "demote", O.impliesThen);
      order(ws, last, "demote", g, "demoted", O.optional);
    }
  }
}

function cloneInternal(ws: WorkingSet, c: SRsc): void {
  order(ws, c, "stopped", c, "start", O.optional);
  order(ws, c, "start", c, "running", O.runnableLeft);
  order(ws, c, "stop", c, "stopped", O.runnableLeft);
  if (c.promotable) {
    order(ws, c, "demoted", c, "stop", O.optional);
    order(ws, c, "running", c, "promote", O.runnableLeft);
  }
  const children = c.ordered ? [...c.children].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : c.children;
  let last: SRsc | undefined;
  for (const ch of children) {
    internalConstraints(ws, ch);
    order(ws, c, "start", ch, "start", O.runnableLeft);
    order(ws, ch, "start", c, "running", O.none);
    if (c.ordered && last) order(ws, last, "start", ch, "start", O.optional);
    order(ws, c, "stop", ch, "stop", O.none);
    order(ws, ch, "stop", c, "stopped", O.none);
    if (c.ordered && last) order(ws, ch, "stop", last, "stop", O.optional);
    last = ch;
  }
  if (c.promotable) {
    order(ws, c, "stopped", c, "start", O.optional);
    order(ws, c, "stopped", c, "promote", O.optional);
    order(ws, c, "demoted", c, "start", O.optional);
    order(ws, c, "running", c, "promote", O.optional);
    order(ws, c, "demoted", c, "stop", O.optional);
    order(ws, c, "demote", c, "demoted", O.optional);
    order(ws, c, "demoted", c, "promote", O.optional);
    let lastP: SRsc | undefined;
    for (const ch of c.children) {
      order(ws, ch, "demote", ch, "promote", O.optional);
      order(ws, c, "promote", ch, "promote", O.none);
      order(ws, ch, "promote", c, "promoted", O.none);
      order(ws, c, "demote", ch, "demote", O.none);
      order(ws, ch, "demote", c, "demoted", O.none);
      if (c.ordered && lastP) {
        order(ws, lastP, "promote", ch, "promote", O.optional);
        order(ws, ch, "demote", lastP, "demote", O.optional);
      }
      lastP = ch;
    }
  }
}

// ---------------------------------------------------------------------------
// Resolving resource orderings to action edges

function addEdge(first: SAction, then: SAction, flags: number, id?: string): void {
  if (first === then) return;
  for (const e of first.after) {
    if (e.then === then) {
      // as Pacemaker filters duplicates: an ordering that shares a flag with one
      // already there is dropped (a Mandatory order after an Optional one between
      // the same actions adds nothing); otherwise both apply
      if (!(e.flags & flags)) e.flags |= flags;
      return;
    }
  }
  const o: SOrder = { first, then, flags, id };
  first.after.push(o);
  then.before.push(o);
}

function stateOf(r: SRsc): string {
  if (r.variant === "primitive") return r.role;
  let best = "Stopped";
  const rank: Record<string, number> = { Unknown: 0, Stopped: 1, Started: 2, Unpromoted: 3, Promoted: 4 };
  for (const c of r.children) {
    const s = stateOf(c);
    if (rank[s] > rank[best]) best = s;
  }
  return best;
}

export function applyOrderings(ws: WorkingSet): void {
  for (const o of ws.orders) resolveOrder(ws, o);
  // probes complete before the resource (and its top-level parent) starts
  // An unrunnable probe (pending node) blocks the start, unless the resource
  // is already active somewhere (it must not be stopped for that).
  for (const p of ws.probes) {
    const r = p.rsc!;
    const top = topOf(r);
    const flags = !p.runnable && !isActiveAnywhere(top) ? O.optional | O.runnableLeft : O.optional;
    for (const s of actionsOf(top, "start")) addEdge(p, s, flags, "probe");
    if (top !== r) for (const s of actionsOf(r, "start")) addEdge(p, s, flags, "probe");
  }
}

function isActiveAnywhere(r: SRsc): boolean {
  if (r.variant === "primitive") return r.runningOn.length > 0;
  return r.children.some(isActiveAnywhere);
}

function isAncestor(a: SRsc, r: SRsc): boolean {
  for (let p = r.parent; p; p = p.parent) if (p === a) return true;
  return false;
}

/** Ordering after a group or clone action means after it completed: start -> running, stop -> stopped ... */
function expandTask(task: string): string {
  switch (task) {
    case "start":
      return "running";
    case "stop":
      return "stopped";
    case "promote":
      return "promoted";
    case "demote":
      return "demoted";
    default:
      return task;
  }
}

function resolveOrder(ws: WorkingSet, o: ROrder): void {
  // one of these per ordering (tens of thousands): no arrays of matching actions, the
  // resources' action lists are walked directly (edges never add actions)
  if (o.firstAction) {
    orderAfter(o.firstAction, o);
    return;
  }
  const fr = o.firstRsc;
  if (!fr) return;
  let task = o.firstTask;
  const thenRsc = o.thenRsc ?? o.thenAction?.rsc;
  if (fr.variant !== "primitive" && thenRsc && thenRsc !== fr && !isAncestor(fr, thenRsc)) {
    const t = expandTask(task);
    if (actionWithKey(fr, t)) task = t;
  }
  let any = false;
  for (const f of fr.actions) {
    if (!isZeroAction(f, fr, task)) continue;
    any = true;
    orderAfter(f, o);
  }
  if (any) return;
  if (fr === o.thenRsc) return;
  const st = stateOf(fr);
  if (st === "Stopped" && o.firstTask === "stop") return;
  if (st === "Unpromoted" && o.firstTask === "demote") return;
  // an action that will not happen: represented by an unrunnable placeholder
  orderAfter(customAction(ws, fr, o.firstTask, undefined, true), o);
}

/** Edges from f to what ordering o puts after it. */
function orderAfter(f: SAction, o: ROrder): void {
  if (o.thenAction) {
    addEdge(f, o.thenAction, o.flags, o.id);
    return;
  }
  const tr = o.thenRsc;
  if (!tr) return;
  for (const t of tr.actions) if (isZeroAction(t, tr, o.thenTask)) addEdge(f, t, o.flags, o.id);
}

// ---------------------------------------------------------------------------
// Propagation

/** An action's optional/runnable as orderings see them, as bits (a number: no object per query). */
type Flags = number;
export const F_OPTIONAL = 1;
export const F_RUNNABLE = 2;

function flags(optional: boolean, runnable: boolean): Flags {
  return (optional ? F_OPTIONAL : 0) | (runnable ? F_RUNNABLE : 0);
}

function childTask(task: string): string {
  switch (task) {
    case "running":
      return "start";
    case "stopped":
      return "stop";
    case "promoted":
      return "promote";
    case "demoted":
      return "demote";
    default:
      return task;
  }
}

/** Flags of an action as seen by orderings; group/clone pseudo actions summarise their members. */
export function flagsOf(a: SAction): Flags {
  const r = a.rsc;
  if (!r || r.variant === "primitive" || !a.pseudo || a.node) return flags(a.optional, a.runnable);
  if (r.variant === "group") {
    let optional = true;
    let runnable = true;
    const task = childTask(a.task);
    for (const c of r.children) {
      const ca = actionWithKey(c, task);
      if (ca) {
        const cf = flagsOf(ca);
        if (optional && !(cf & F_OPTIONAL)) {
          optional = false;
          a.optional = false;
        }
        if (task !== a.task && runnable && !(cf & F_RUNNABLE)) {
          runnable = false;
          a.runnable = false;
        }
      } else if (task !== "stop" && task !== "demote") runnable = false;
    }
    return flags(optional && a.optional, runnable && a.runnable);
  }
  // clone
  let optional = true;
  let any = false;
  const task = childTask(a.task);
  for (const c of r.children) {
    const ca = actionWithKey(c, task);
    if (!ca) continue;
    const cf = flagsOf(ca);
    if (optional && !(cf & F_OPTIONAL)) {
      optional = false;
      a.optional = false;
    }
    if (cf & F_RUNNABLE) any = true;
  }
  if (!any) a.runnable = false;
  // runnable as its members are, even when an ordering made the clone's own action
  // unrunnable: an asymmetrical order does so while an instance already runs, and
  // crm_simulate 2.1.5 still lets that instance stay (orders from the clone to its
  // instances see the members)
  return flags(optional && a.optional, any);
}

/** The actions a propagation step changed, in the order changed (each once): an array, as
 *  there are few and one is made per ordering visited. */
function noteChange(changed: SAction[], a: SAction): void {
  if (!changed.includes(a)) changed.push(a);
}

const NONE: readonly SOrder[] = [];

/** Starts that became unrunnable while orderings were applied (their colocation dependents follow). */
let blockedStarts: SAction[] | undefined;

function implies(target: SAction, reason: SAction, flag: "optional" | "runnable", changed: SAction[], recordReason = true): void {
  if (!target[flag]) return;
  target[flag] = false;
  noteChange(changed, target);
  if (flag === "runnable" && target.task === "start") blockedStarts?.push(target);
  if (recordReason && target.rsc !== reason.rsc) {
    const change = flag === "runnable" ? "unrunnable" : "required";
    target.reason ??= reason.rsc ? `${change} ${reason.rsc.id} ${reason.task}` : `${change} ${reason.task}`;
  }
}

/**
 * Whether an unrunnable stop of a primitive holds up the primitive stop ordered
 * after it: one that has to happen and cannot (a failed stop, a stop blocked in
 * turn) does; the stop of an unmanaged resource, which is left where it is, does
 * not (checked with crm_simulate 2.1.5). A group's or clone's stop holds nothing up.
 */
function holdsUp(a: SAction): boolean {
  const r = a.rsc;
  return r !== undefined && r.variant === "primitive" && (r.managed || !!r.blocked);
}

function nativeUpdate(first: SAction, then: SAction, ff: Flags, type: number, changed: SAction[]): void {
  if (type & O.asymmetrical) {
    const tr = then.rsc;
    if (tr) {
      const role = stateOf(tr);
      if (role === "Stopped" && then.task === "stop") {
        /* nothing to do */
      } else if (
        role !== "Stopped" &&
        then.task === "start" &&
        then.optional &&
        then.node &&
        runningNodes(tr).length === 1 &&
        runningNodes(tr)[0] === then.node
      ) {
        /* already started where it should be */
      } else if (!(ff & F_RUNNABLE)) {
        implies(then, first, "optional", changed);
        implies(then, first, "runnable", changed);
      }
    }
  }
  if (type & O.impliesFirst) {
    if (!then.optional) implies(first, then, "optional", changed);
  }
  if (type & O.impliesFirstPromoted) {
    if (!then.optional && then.rsc && then.rsc.role === "Promoted") implies(first, then, "optional", changed);
  }
  if (type & O.runnableLeft && then.runnable && !(ff & F_RUNNABLE)) {
    implies(then, first, "runnable", changed);
  }
  if (type & O.stopBlocksThen && then.runnable && !(ff & F_RUNNABLE) && then.rsc?.variant === "primitive" && holdsUp(first)) {
    // crm_simulate names no reason for this one ("Stop X ( node )  blocked")
    implies(then, first, "runnable", changed, false);
  }
  if (type & O.impliesThen && then.optional && !(ff & F_OPTIONAL)) {
    implies(then, first, "optional", changed);
  }
  if (type & O.restart) {
    let why = false;
    if (!then.optional) why = true;
    if (!then.runnable && then.rsc && then.rsc.managed && first.rsc === then.rsc) why = true;
    if (why) {
      if (first.runnable) implies(first, then, "optional", changed);
      if (!then.optional) implies(first, then, "optional", changed);
      if (!first.optional && !first.runnable) implies(then, first, "runnable", changed);
    }
  }
}

function canInterleave(first: SAction, then: SAction): SRsc | undefined {
  const fr = first.rsc;
  const tr = then.rsc;
  if (!fr || !tr || fr === tr) return undefined;
  if (fr.variant !== "clone" || tr.variant !== "clone") return undefined;
  const r = then.task === "stop" || then.task === "demote" ? fr : tr;
  return r.interleave ? r : undefined;
}

function updatePair(ws: WorkingSet, first: SAction, then: SAction, type: number, changed: SAction[]): void {
  const tr = then.rsc;
  if (tr && tr.variant !== "primitive" && then.pseudo && !then.node) {
    if (tr.variant === "clone" && canInterleave(first, then)) {
      interleave(ws, first, then, type, changed);
      return;
    }
    nativeUpdate(first, then, flagsOf(first), type, changed);
    for (const c of tr.children) {
      const ca = actionWithKey(c, then.task);
      if (!ca) continue;
      if (tr.variant === "clone" && !(flagsOf(ca) & F_RUNNABLE)) continue;
      // an unrunnable stop holds up only a primitive ordered directly after a primitive
      // (crm_simulate 2.1.5 stops a group's or clone's members regardless)
      updatePair(ws, first, ca, type & ~O.stopBlocksThen, changed);
    }
    return;
  }
  nativeUpdate(first, then, flagsOf(first), type, changed);
}

function interleave(ws: WorkingSet, first: SAction, then: SAction, type: number, changed: SAction[]): void {
  const current = first.task === "stopped" || first.task === "demoted";
  const task = childTask(first.task);
  for (const tc of then.rsc!.children) {
    const fa = findCompatibleInstanceAction(tc, first.rsc!, task, current);
    if (fa === null) {
      // nothing compatible will be active beside it: the instance is not placed at all
      if (!current && type & (O.runnableLeft | O.impliesThen)) unassign(tc, changed);
      continue;
    }
    if (!fa) continue;
    const ta = actionWithKey(tc, then.task);
    if (!ta) continue;
    addEdge(fa, ta, type & ~O.stopBlocksThen);
    updatePair(ws, fa, ta, type & ~O.stopBlocksThen, changed);
  }
}

/**
 * Take back an assignment during ordering (an interleaved instance without a
 * partner): it stops where it runs, does not start, and its monitors do not run.
 */
function unassign(r: SRsc, changed: SAction[]): void {
  if (r.variant !== "primitive") {
    for (const c of r.children) unassign(c, changed);
    return;
  }
  if (!r.allocatedTo) return;
  r.allocatedTo.numResources--;
  r.allocatedTo = undefined;
  r.nextRole = "Stopped";
  for (const a of r.actions) {
    if (a.task === "stop") {
      if (a.optional) {
        a.optional = false;
        noteChange(changed, a);
      }
    } else if (a.task === "start") {
      if (a.runnable) {
        a.runnable = false;
        noteChange(changed, a);
      }
    } else if (a.intervalMs > 0 && a.targetRc !== 7 && a.runnable) {
      a.runnable = false;
      noteChange(changed, a);
    }
  }
}

function blockColocatedStarts(start: SAction, blocked: SAction[]): SAction[] {
  const out: SAction[] = [];
  if (start.runnable || !start.rsc) return out;
  const top = topOf(start.rsc);
  if (top.consAsPrimary.length === 0) return out;
  // a collective blocks its dependents only once none of its members can start
  for (const child of top.children) {
    const s = child.actions.find((a) => a.task === "start");
    if (!s || s.runnable) return out;
  }
  for (const c of top.consAsPrimary) if (c.score >= INFINITY) blockStarts(c.dependent, start.rsc.id, false, out);
  for (const a of out) blocked.push(a);
  return out;
}

/** The runnable starts of `r` (with `members`, of each member too) become unrunnable: `r` is colocated INFINITY with `primary`, which cannot run. */
function blockStarts(r: SRsc, primary: string, members: boolean, out: SAction[]): void {
  for (const a of r.actions) {
    if (a.task !== "start" || !a.runnable) continue;
    a.runnable = false;
    a.reason ??= `colocation with ${primary}`;
    out.push(a);
  }
  if (members) for (const c of r.children) blockStarts(c, primary, true, out);
}

/**
 * A clone none of whose instances runs or can start (none got a node) cannot hold its
 * INFINITY dependents, but its instances' starts were never runnable, so blockColocatedStarts
 * (which follows starts that became unrunnable while orderings were applied) never sees them.
 * Only a colocation cycle gets such a dependent placed (it was assigned before the clone);
 * crm_simulate blocks its starts, naming the clone's last instance.
 */
function blockForUnplacedClone(c: SRsc): SAction[] {
  if (c.variant !== "clone" || c.consAsPrimary.length === 0 || c.children.length === 0) return NONE_ACTIONS;
  for (const ch of c.children) {
    if (ch.runningOn.length || ch.children.length) return NONE_ACTIONS;
    if (ch.actions.some((a) => a.task === "start" && a.runnable)) return NONE_ACTIONS;
  }
  const last = c.children[c.children.length - 1];
  const out: SAction[] = [];
  // a group's members are blocked each (the group's own start does not hold them up)
  for (const col of c.consAsPrimary) if (col.score >= INFINITY) blockStarts(col.dependent, last.id, true, out);
  return out;
}
const NONE_ACTIONS: SAction[] = [];

/**
 * Propagate required/runnable along all edges until stable. Actions are visited
 * newest first and a change is followed depth-first, as Pacemaker does, so the
 * first reason recorded for a change is the one crm_simulate reports.
 */
export function propagate(ws: WorkingSet): void {
  const deferred: SAction[] = [];
  const MAX_DEPTH = 400;
  const visit = (a: SAction, depth: number): void => {
    if (depth > MAX_DEPTH) {
      deferred.push(a);
      return;
    }
    let thenChanged = false;
    // Pacemaker keeps the orderings before an action newest first
    for (let i = a.before.length - 1; i >= 0; i--) {
      const e = a.before[i];
      if (e.flags & O.oneOrMore) continue;
      const changed: SAction[] = [];
      updatePair(ws, e.first, a, e.flags, changed);
      for (const c of changed) {
        if (c === a) thenChanged = true;
        else {
          for (let k = c.after.length - 1; k >= 0; k--) visit(c.after[k].then, depth + 1);
          visit(c, depth + 1);
        }
      }
    }
    let hasOnes = false;
    for (const e of a.before) if (e.flags & O.oneOrMore) hasOnes = true;
    const ones = hasOnes ? a.before.filter((e) => e.flags & O.oneOrMore) : NONE;
    let runnableOnes = 0;
    for (const e of ones) if (flagsOf(e.first) & F_RUNNABLE) runnableOnes++;
    if (ones.length && a.runnable && runnableOnes < (a.requiredRunnableBefore ?? 1)) {
      const changed: SAction[] = [];
      implies(a, ones[0].first, "runnable", changed);
      if (changed.length) thenChanged = true;
    }
    if (thenChanged) {
      visit(a, depth + 1);
      for (let k = a.after.length - 1; k >= 0; k--) visit(a.after[k].then, depth + 1);
    }
  };
  const blocked: SAction[] = (blockedStarts = []);
  try {
    for (let i = ws.actions.length - 1; i >= 0; i--) visit(ws.actions[i], 0);
    let guard = 0;
    while (deferred.length && guard++ < 1_000_000) visit(deferred.pop()!, 0);
    // a primary that can no longer start anywhere blocks the starts of its
    // mandatory (INFINITY) colocation dependents, and so on down the chain
    for (const r of ws.resources)
      for (const c of blockForUnplacedClone(r)) {
        blocked.push(c);
        visit(c, 0);
        for (let k = c.after.length - 1; k >= 0; k--) visit(c.after[k].then, 0);
      }
    for (let i = 0; i < blocked.length; i++) {
      for (const c of blockColocatedStarts(blocked[i], blocked)) {
        visit(c, 0);
        for (let k = c.after.length - 1; k >= 0; k--) visit(c.after[k].then, 0);
      }
      while (deferred.length && guard++ < 1_000_000) visit(deferred.pop()!, 0);
    }
  } finally {
    blockedStarts = undefined;
  }
  // final summary of pseudo actions
  for (const a of ws.actions) if (a.rsc && a.rsc.variant !== "primitive" && a.pseudo && !a.node) flagsOf(a);
}
