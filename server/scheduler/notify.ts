// Clone notifications (clone meta notify=true).
//
// For every clone with notify=true, each of its phases that happens in the
// transition (stop, start and, for promotable clones, demote and promote) is
// wrapped in notification pseudo actions:
//
//   <clone>_pre_notify_<op>_0 -> instance notifies -> <clone>_confirmed-pre_notify_<op>_0 -> <clone>_<op>_0
//   <clone>_<op>ed_0 -> <clone>_post_notify_<op>ed_0 -> instance notifies -> <clone>_confirmed-post_notify_<op>ed_0
//
// Each instance notify action ("rsc:0 notify on node1") carries the
// notification variables (OCF_RESKEY_CRM_meta_notify_*) in its meta, the
// clone's real start/stop/promote/demote actions carry the lists as well, and
// anything outside the clone that was ordered after the clone finished a phase
// is ordered after that phase's confirmed post-notification instead.
//
// This runs on the finished transition (after required/runnable propagation),
// because who is notified depends on which actions really happen. Behaviour
// follows Pacemaker Explained 2.1 ("Clone Notifications") and was checked
// against crm_simulate 2.1.5 as a black box (see docs/scheduler-notify.md).
import type { Action, Transition } from "./types";
import type { SAction, SNode, SRsc, WorkingSet } from "./model";
import { fillExecution, transitionKey } from "./actions";
import { primitivesOf } from "./unpack-config";

type Op = "stop" | "start" | "demote" | "promote";

/** The clone pseudo action that marks a phase as done. */
const DONE: Record<Op, string> = { stop: "stopped", start: "running", demote: "demoted", promote: "promoted" };

interface Entry {
  rsc: string;
  node?: string;
}

/** What the agents are told: who is where now and what this transition does. */
interface NotifyData {
  active: Entry[];
  inactive: Entry[];
  promoted: Entry[];
  unpromoted: Entry[];
  start: Entry[];
  stop: Entry[];
  promote: Entry[];
  demote: Entry[];
  all: string[];
  available: string[];
}

interface Phase {
  op: Op;
  pre?: Action;
  preDone?: Action;
  post?: Action;
  postDone?: Action;
}

class Builder {
  private byKey = new Map<string, Action>();
  private edgeSet = new Set<string>();
  private nextId: number;

  constructor(public t: Transition) {
    let max = -1;
    for (const a of t.actions) {
      this.byKey.set(Builder.k(a.key, a.pseudo ? undefined : a.node), a);
      if (a.id > max) max = a.id;
    }
    this.nextId = max + 1;
    for (const e of t.edges) this.edgeSet.add(`${e.first}>${e.then}`);
  }

  static k(key: string, node: string | undefined): string {
    return `${key}\u0000${node ?? ""}`;
  }

  get(key: string, node?: string): Action | undefined {
    return this.byKey.get(Builder.k(key, node));
  }

  /** The transition's action for a scheduler action, if it made it into the transition. */
  of(sa: SAction | undefined): Action | undefined {
    if (!sa) return undefined;
    return this.get(transitionKey(sa), sa.pseudo ? undefined : sa.node?.uname);
  }

  add(a: Omit<Action, "id">): Action {
    const full: Action = { id: this.nextId++, ...a };
    this.t.actions.push(full);
    this.byKey.set(Builder.k(full.key, full.pseudo ? undefined : full.node), full);
    return full;
  }

  /** Drop edges that became duplicates when they were moved to another first action. */
  dedupeEdges(): void {
    this.edgeSet.clear();
    this.t.edges = this.t.edges.filter((e) => {
      const k = `${e.first}>${e.then}`;
      if (this.edgeSet.has(k)) return false;
      this.edgeSet.add(k);
      return true;
    });
  }

  edge(first: Action | undefined, then: Action | undefined): void {
    if (!first || !then || first === then) return;
    const k = `${first.id}>${then.id}`;
    if (this.edgeSet.has(k)) return;
    this.edgeSet.add(k);
    this.t.edges.push({ first: first.id, then: then.id });
  }
}

function byRscThenNode(a: Entry, b: Entry): number {
  if (a.rsc !== b.rsc) return a.rsc < b.rsc ? -1 : 1;
  const an = a.node ?? "";
  const bn = b.node ?? "";
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** The instance's name as the cluster knows it (the history name when it was found under another number). */
function nameOf(p: SRsc): string {
  return p.historyName ?? p.id;
}

function firstOf(p: SRsc, task: string): SAction | undefined {
  const key = `${p.id}_${task}_0`;
  return p.actions.find((a) => a.key === key);
}

function collect(ws: WorkingSet, clone: SRsc, b: Builder): NotifyData {
  const d: NotifyData = {
    active: [],
    inactive: [],
    promoted: [],
    unpromoted: [],
    start: [],
    stop: [],
    promote: [],
    demote: [],
    all: [],
    available: [],
  };
  for (const p of primitivesOf(clone)) {
    if (p.role !== "Stopped" && p.role !== "Unknown" && p.runningOn.length) {
      for (const n of p.runningOn) {
        const e = { rsc: nameOf(p), node: n.uname };
        d.active.push(e);
        if (p.role === "Promoted") d.promoted.push(e);
        else if (p.role === "Unpromoted") d.unpromoted.push(e);
      }
    } else d.inactive.push({ rsc: nameOf(p) });
    for (const sa of p.actions) {
      if (sa.intervalMs !== 0 || sa.cancel || !sa.node) continue;
      if (sa.task !== "start" && sa.task !== "stop" && sa.task !== "promote" && sa.task !== "demote") continue;
      if (!b.of(sa)) continue;
      d[sa.task as Op].push({ rsc: nameOf(p), node: sa.node.uname });
    }
  }
  for (const l of [d.active, d.inactive, d.promoted, d.unpromoted, d.start, d.stop, d.promote, d.demote]) l.sort(byRscThenNode);
  d.all = ws.nodes.map((n) => n.uname).sort();
  // crm_simulate 2.1.5 lists every node here too (offline, standby and banned ones included)
  d.available = [...d.all];
  return d;
}

/** A whitespace-separated list as agents receive it; an empty list is a single space. */
function list(xs: string[]): string {
  return xs.length ? xs.join(" ") : " ";
}

/** The notify_* meta every notification (and every real action of the clone) carries. */
function notifyKeys(d: NotifyData): Record<string, string> {
  const m: Record<string, string> = {};
  const pair = (name: string, es: Entry[]): void => {
    m[`notify_${name}_resource`] = list(es.map((e) => e.rsc));
    m[`notify_${name}_uname`] = list(es.map((e) => e.node ?? ""));
  };
  pair("start", d.start);
  pair("stop", d.stop);
  pair("promote", d.promote);
  pair("demote", d.demote);
  pair("active", d.active);
  pair("promoted", d.promoted);
  pair("unpromoted", d.unpromoted);
  // the pre-2.0 names, still read by many agents (drbd, pgsql ...)
  pair("master", d.promoted);
  pair("slave", d.unpromoted);
  m["notify_inactive_resource"] = list(d.inactive.map((e) => e.rsc));
  m["notify_all_uname"] = list(d.all);
  m["notify_available_uname"] = list(d.available);
  return m;
}

function phaseMeta(type: string, op: Op, keyType: string, keyOp: string): Record<string, string> {
  return { notify_type: type, notify_operation: op, notify_key_type: keyType, notify_key_operation: keyOp };
}

function pseudo(b: Builder, clone: SRsc, key: string, task: string, meta: Record<string, string>): Action {
  return (
    b.get(key) ??
    b.add({ key, task, rsc: clone.id, configRsc: clone.cfgId, intervalMs: 0, pseudo: true, params: {}, meta, timeoutMs: 0 })
  );
}

/** The notification pseudo actions of one phase, for the halves of it that happen. */
function phase(b: Builder, clone: SRsc, op: Op): Phase {
  const ph: Phase = { op };
  const act = b.get(`${clone.id}_${op}_0`);
  const done = b.get(`${clone.id}_${DONE[op]}_0`);
  if (act) {
    ph.pre = pseudo(b, clone, `${clone.id}_pre_notify_${op}_0`, "notify", phaseMeta("pre", op, "pre", op));
    ph.preDone = pseudo(b, clone, `${clone.id}_confirmed-pre_notify_${op}_0`, "notified", phaseMeta("pre", op, "confirmed-pre", op));
    b.edge(ph.pre, ph.preDone);
    b.edge(ph.preDone, act);
  }
  if (done) {
    ph.post = pseudo(b, clone, `${clone.id}_post_notify_${DONE[op]}_0`, "notify", phaseMeta("post", op, "post", DONE[op]));
    ph.postDone = pseudo(b, clone, `${clone.id}_confirmed-post_notify_${DONE[op]}_0`, "notified", phaseMeta("post", op, "confirmed-post", DONE[op]));
    b.edge(done, ph.post);
    b.edge(ph.post, ph.postDone);
  }
  b.edge(ph.preDone, ph.post);
  return ph;
}

function notifyAction(
  ws: WorkingSet,
  b: Builder,
  p: SRsc,
  node: SNode,
  ph: Phase,
  type: "pre" | "post",
  keys: Record<string, string>,
): Action | undefined {
  const trigger = type === "pre" ? ph.pre : ph.post;
  const confirm = type === "pre" ? ph.preDone : ph.postDone;
  if (!trigger || !confirm) return undefined;
  if (!node.online || node.unclean) return undefined;
  const key = `${p.id}_${type}_notify_${ph.op}_0`;
  let a = b.get(key, node.uname);
  if (!a) {
    // parameters, timeout and the clone's meta as for any other operation of the instance
    const tmp: SAction = {
      seq: -1,
      key,
      task: "notify",
      rsc: p,
      node,
      intervalMs: 0,
      optional: false,
      runnable: true,
      pseudo: false,
      printAlways: false,
      meta: {},
      params: {},
      timeoutMs: 20000,
      needs: "nothing",
      before: [],
      after: [],
    };
    fillExecution(ws, tmp);
    const m = { ...tmp.meta };
    delete m["op_target_rc"];
    a = b.add({
      key,
      task: "notify",
      rsc: nameOf(p),
      configRsc: p.cfgId,
      node: node.uname,
      intervalMs: 0,
      pseudo: false,
      standard: p.agent?.standard,
      provider: p.agent?.provider,
      agentType: p.agent?.type,
      params: tmp.params,
      meta: { ...m, ...keys, ...trigger.meta },
      timeoutMs: tmp.timeoutMs,
      reason: `${type}-notification of ${ph.op} for ${p.id}`,
    });
    if (a.provider === undefined) delete a.provider;
  }
  b.edge(trigger, a);
  b.edge(a, confirm);
  return a;
}

function postNotify(ws: WorkingSet, b: Builder, p: SRsc, node: SNode, ph: Phase, keys: Record<string, string>): Action | undefined {
  if (!ph.post) return undefined;
  const a = notifyAction(ws, b, p, node, ph, "post", keys);
  // the instance's recurring monitors start only once everybody was told
  for (const sa of p.actions) {
    if (sa.intervalMs === 0 || sa.cancel) continue;
    b.edge(ph.postDone, b.of(sa));
  }
  return a;
}

/**
 * An instance whose stop is implied by fencing its node: the survivors are told
 * right after the fencing (<instance>_post_notify_stonith_0 ->
 * notifications -> <instance>_confirmed-post_notify_stonith_0), without waiting
 * for the rest of the clone's stop phase.
 */
function notifyAfterFencing(b: Builder, prims: SRsc[], ph: Phase, told: { rsc: SRsc; action: Action }[]): void {
  if (!ph.post) return;
  for (const p of prims) {
    const stop = firstOf(p, "stop");
    if (!stop || !stop.pseudo || !stop.node?.unclean || !b.of(stop)) continue;
    const fencing = b.t.actions.find((a) => a.task === "stonith" && a.node === stop.node!.uname);
    if (!fencing) continue;
    const mk = (key: string, task: string, keyType: string): Action =>
      b.get(key) ??
      b.add({ key, task, rsc: nameOf(p), configRsc: p.cfgId, intervalMs: 0, pseudo: true, params: {}, meta: phaseMeta("post", "stop", keyType, "stonith"), timeoutMs: 0 });
    // crm_simulate 2.1.5 keys these by the history name, in another form, when the
    // instance was found under a different number than it was given
    const renamed = p.historyName !== undefined && p.historyName !== p.id;
    const post = renamed ? mk(`${p.historyName}_post_notify_stop_0`, "notify", "post") : mk(`${p.id}_post_notify_stonith_0`, "notify", "post");
    const done = renamed ? mk(`${p.historyName}_notified_0`, "notified", "confirmed-post") : mk(`${p.id}_confirmed-post_notify_stonith_0`, "notified", "confirmed-post");
    b.edge(fencing, post);
    b.edge(post, done);
    for (const t of told) {
      t.action.meta["notify_key_operation"] = "stonith";
      b.edge(post, t.action);
      b.edge(t.action, done);
      for (const sa of t.rsc.actions) if (sa.intervalMs !== 0 && !sa.cancel) b.edge(done, b.of(sa));
    }
  }
}

function isInside(ws: WorkingSet, rscId: string | undefined, clone: SRsc): boolean {
  if (!rscId) return false;
  for (let r: SRsc | undefined = ws.rscById.get(rscId); r; r = r.parent) if (r === clone) return true;
  return false;
}

function notifyClone(ws: WorkingSet, b: Builder, clone: SRsc): void {
  const ops: Op[] = clone.promotable ? ["demote", "stop", "start", "promote"] : ["stop", "start"];
  const phases = new Map<Op, Phase>();
  for (const op of ops) phases.set(op, phase(b, clone, op));
  if (![...phases.values()].some((p) => p.pre || p.post)) return;

  // phases follow one another (demote, stop, start, promote): a phase's
  // pre-notifications wait for the post-notifications of every earlier phase
  for (let i = 0; i < ops.length; i++) {
    for (let j = i + 1; j < ops.length; j++) b.edge(phases.get(ops[i])!.postDone, phases.get(ops[j])!.pre);
  }

  const d = collect(ws, clone, b);
  const keys = notifyKeys(d);
  const prims = primitivesOf(clone);

  // the real actions of the instances carry the same variables
  for (const p of prims) {
    for (const sa of p.actions) {
      if (sa.intervalMs !== 0 || !["start", "stop", "promote", "demote"].includes(sa.task)) continue;
      const a = b.of(sa);
      if (a && !a.pseudo) Object.assign(a.meta, keys);
    }
  }

  const toldOfStop: { rsc: SRsc; action: Action }[] = [];
  for (const op of ops) {
    const ph = phases.get(op)!;
    if (!ph.pre && !ph.post) continue;
    if ((op === "start" || op === "promote") && d[op].length === 0) continue;
    for (const p of prims) {
      if (op === "stop" || op === "demote") {
        if (p.role === "Stopped" || p.role === "Unknown") continue;
        const stop = firstOf(p, "stop");
        for (const n of p.runningOn) {
          // a stop implied by fencing the node: nobody is left there to tell
          if (stop && stop.pseudo && n.unclean) continue;
          notifyAction(ws, b, p, n, ph, "pre", keys);
          if (op === "demote" || !stop || stop.optional) {
            const a = postNotify(ws, b, p, n, ph, keys);
            if (a && op === "stop") toldOfStop.push({ rsc: p, action: a });
          }
        }
      } else {
        if (p.nextRole === "Stopped" || !p.allocatedTo) continue;
        const start = firstOf(p, "start");
        if (op === "promote" || !start || start.optional) notifyAction(ws, b, p, p.allocatedTo, ph, "pre", keys);
        postNotify(ws, b, p, p.allocatedTo, ph, keys);
      }
    }
  }

  notifyAfterFencing(b, prims, phases.get("stop")!, toldOfStop);

  // whatever waits for a phase of this clone waits for its post-notifications too
  for (const op of ops) {
    const ph = phases.get(op)!;
    if (!ph.postDone) continue;
    const done = b.get(`${clone.id}_${DONE[op]}_0`);
    if (!done) continue;
    for (const e of b.t.edges) {
      if (e.first !== done.id) continue;
      const then = b.t.actions.find((a) => a.id === e.then);
      if (!then || then === ph.post || isInside(ws, then.rsc, clone)) continue;
      e.first = ph.postDone.id;
    }
  }
  b.dedupeEdges();
}

/**
 * Add the notifications of every notify=true clone to a finished transition
 * (in place; returns it for chaining).
 */
export function addNotifications(ws: WorkingSet, t: Transition): Transition {
  const clones: SRsc[] = [];
  const walk = (r: SRsc): void => {
    if (r.variant === "clone" && r.notify) clones.push(r);
    r.children.forEach(walk);
  };
  ws.resources.forEach(walk);
  if (!clones.length) return t;
  const b = new Builder(t);
  for (const c of clones) notifyClone(ws, b, c);
  return t;
}
