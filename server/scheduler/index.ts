// Vigil's policy engine: a pure function of (CIB, now).
//
// Phases, after Pacemaker's scheduler:
//   1. unpack: properties, nodes, resources (unpack-config), status (unpack-status)
//   2. constraints and node criteria: locations, stickiness, failure thresholds
//   3. assign: every resource gets a node (and role) in priority order (assign)
//   4. create actions: probes, role changes, recurring monitors, fencing (actions)
//   5. order: implicit and configured orderings, propagation of required/runnable (graph)
//   6. output: Transition Summary lines (summary), transition graph, scores
import type { Cib } from "../cib/types";
import type { Action, AllocationScore, ClusterState, Edge, ScheduleOptions, ScheduleResult, Transition } from "./types";
import { UnsupportedFeatureError } from "./types";
import { NodeScores, type SAction, type SNode, type SRsc, type WorkingSet } from "./model";
import { collectRules, unpackNodes, unpackProperties, unpackResources } from "./unpack-config";
import { addAllowed, allowEverywhere, applyTargetRoles, clearsFailcount, failCount, unpackHistories, unpackNodeStates, type StatusExtras } from "./unpack-status";
import { newColocation, unpackConstraints } from "./constraints";
import { assign, sortResourcesForAssignment } from "./assign";
import { createActions, fillExecution, scheduleCancels, scheduleFencing, scheduleProbes, transitionKey } from "./actions";
import { applyOrderings, internalConstraints, propagate } from "./graph";
import { showOneOrMoreMet } from "./clone-min";
import { banMultiplyActiveStopOnly } from "./multiple-active";
import { transitionSummary } from "./summary";
import { cancelSupersededReloads, checkDefinitionChanges } from "./definition-changes";
import { checkAgentChanges } from "./agent-changes";
import { addNotifications } from "./notify";
import { buildView } from "./view";
import { ScoreLog } from "./score-log";
import { INFINITY } from "./score";
import { cloneOf } from "./unpack-config";

export { UnsupportedFeatureError };
export type { ScheduleOptions, ScheduleResult, ClusterState };

function newWorkingSet(cib: Cib, opts: ScheduleOptions): WorkingSet {
  const exec = cib.attrs["execution-date"];
  const now = exec !== undefined && /^\d+$/.test(exec) ? Number(exec) : opts.now;
  return {
    cib,
    now,
    props: {},
    nodes: [],
    nodeById: new Map(),
    nodeByUname: new Map(),
    resources: [],
    rscById: new Map(),
    primitives: [],
    colocations: [],
    locations: [],
    orders: [],
    actions: [],
    probes: [],
    actionByKey: new Map(),
    haveQuorum: false,
    noQuorumPolicy: "stop",
    stonithEnabled: true,
    symmetric: true,
    maintenanceMode: false,
    stopAll: false,
    startFailureIsFatal: true,
    stonithAction: "reboot",
    hasStonithResource: false,
    defaultStickiness: 0,
    messages: [],
    scores: new ScoreLog(),
    seq: 0,
    failedIgnored: new Set(),
    opDefaults: {},
  };
}

interface Unpacked {
  ws: WorkingSet;
  extras: StatusExtras;
}

/** fast: use the fast paths (off only in tests that compare them with the general code) */
function unpackAll(cib: Cib, opts: ScheduleOptions, fast = true): Unpacked {
  const ws = newWorkingSet(cib, opts);
  const ruleById = collectRules(cib);
  unpackProperties(ws, ruleById);
  unpackNodes(ws, ruleById);
  unpackResources(ws, ruleById);
  if (ws.symmetric) {
    const everywhere = NodeScores.filled(ws.nodes, 0);
    for (const r of ws.resources) allowEverywhere(r, everywhere);
  }
  const extras: StatusExtras = { failedActions: [], clearFailcounts: [], ruleById };
  unpackNodeStates(ws);
  // (a CIB the fast path cannot take is unpacked again with the general code only)
  if (!unpackHistories(ws, extras, fast)) return unpackAll(cib, opts, false);
  applyTargetRoles(ws);
  return { ws, extras };
}

/** The current status of the cluster as crm_mon shows it. */
export function unpack(cib: Cib, opts: ScheduleOptions): ClusterState {
  const { ws, extras } = unpackAll(cib, opts);
  return buildView(ws, extras);
}

// ---------------------------------------------------------------------------

function applyLocation(ws: WorkingSet, r: SRsc, loc: import("./model").SLocation, zero = false): void {
  const role = loc.role === "Started" ? "Unknown" : loc.role;
  if (r.variant === "group") {
    applyNative(r, loc, role, zero);
    let z = zero;
    for (const c of r.children) {
      applyLocation(ws, c, loc, z);
      if (r.colocatedGroup) z = true;
    }
    return;
  }
  if (r.variant === "clone") {
    applyNative(r, loc, role, zero);
    for (const c of r.children) applyLocation(ws, c, loc, zero);
    return;
  }
  applyNative(r, loc, role, zero);
}

function applyNative(r: SRsc, loc: import("./model").SLocation, role: string, zero: boolean): void {
  if (role !== "Unknown" && role !== r.nextRole) return;
  for (const { node, score } of loc.nodes) {
    const cur = r.allowed.get(node);
    const s = zero ? 0 : score;
    if (cur === undefined) r.allowed.set(node, s);
    else r.allowed.set(node, addScoresLocal(cur, s));
  }
}

function addScoresLocal(a: number, b: number): number {
  if (a <= -INFINITY || b <= -INFINITY) return -INFINITY;
  if (a >= INFINITY || b >= INFINITY) return INFINITY;
  return Math.max(-INFINITY, Math.min(INFINITY, a + b));
}

function applyStickiness(ws: WorkingSet, r: SRsc): void {
  if (r.children.length) {
    for (const c of r.children) applyStickiness(ws, c);
    return;
  }
  if (!r.managed || r.stickiness < 1 || r.runningOn.length !== 1) return;
  const node = r.runningOn[0];
  if (!ws.symmetric && !r.allowed.has(node)) return;
  const cur = r.allowed.get(node);
  r.allowed.set(node, cur === undefined ? r.stickiness : addScoresLocal(cur, r.stickiness));
}

function checkFailureThreshold(ws: WorkingSet, extras: StatusExtras, r: SRsc, node: SNode): void {
  if (r.children.length) {
    for (const c of r.children) checkFailureThreshold(ws, extras, c, node);
    return;
  }
  if (clearsFailcount(extras, r, node)) return;
  if (r.migrationThreshold === 0) return;
  if (ws.failedIgnored.has(r) && (r.failedOn?.size ?? 0) === 0) return;
  const fc = failCount(ws, r, node, true).count;
  if (fc <= 0) return;
  if (r.migrationThreshold - fc > 0) return;
  const c = cloneOf(r);
  let target = r;
  if (c && !c.uniqueClone) {
    target = c;
    while (target.parent) target = target.parent;
  }
  ws.messages.push(`warning: ${target.id} cannot run on ${node.uname} due to reaching migration threshold (clean up resource to allow again)`);
  addAllowed(target, node, -INFINITY);
}

function groupColocations(ws: WorkingSet, r: SRsc): void {
  if (r.variant === "group" && r.colocatedGroup) {
    for (let i = 1; i < r.children.length; i++) {
      const c = r.children[i];
      newColocation(ws, "group:internal_colocation", c, r.children[i - 1], INFINITY, "Unknown", "Unknown", undefined, c.critical);
    }
  }
  r.children.forEach((c) => groupColocations(ws, c));
}

function transitionOf(ws: WorkingSet, extras: StatusExtras): Transition {
  const included = ws.actions.filter((a) => (a.runnable && (!a.optional || a.printAlways)) && (a.pseudo || a.node));
  const ids = new Map<SAction, number>();
  included.forEach((a, i) => ids.set(a, i));
  const actions: Action[] = included.map((a, i) => toAction(ws, a, i));
  const edges: Edge[] = [];
  for (const a of included) {
    for (const e of a.before) {
      const f = ids.get(e.first);
      if (f !== undefined) edges.push({ first: f, then: ids.get(a)! });
    }
  }
  let next = actions.length;
  for (const c of extras.clearFailcounts) {
    // fail-counts of an anonymous clone are per node, not per instance: crm_simulate names the bare id
    const anon = cloneOf(c.rsc) && !cloneOf(c.rsc)!.uniqueClone;
    actions.push({
      id: next++,
      key: `${c.rsc.id}_clear_failcount_0`,
      task: "clear_failcount",
      rsc: anon ? c.rsc.cfgId : c.rsc.id,
      configRsc: c.rsc.cfgId,
      node: c.node.uname,
      intervalMs: 0,
      pseudo: false,
      params: {},
      meta: { on_node: c.node.uname, on_node_uuid: c.node.id },
      timeoutMs: 20000,
      reason: c.reason,
    });
  }
  return { actions, edges };
}

const historyNamesOf = new WeakMap<WorkingSet, Set<string>>();

/**
 * The name crm_simulate prints for an action's resource. An anonymous clone
 * instance goes by its configured id when some instance was found under that
 * name in the history; otherwise by its own history name or instance id.
 */
function graphRscId(ws: WorkingSet, r: SRsc): string {
  // (orphaned instances too, checked with crm_simulate 2.1.5: orphan-instance-name.test.ts)
  const clone = r.variant === "primitive" ? cloneOf(r) : undefined;
  if (clone && !clone.uniqueClone) {
    let names = historyNamesOf.get(ws);
    if (!names) {
      names = new Set(ws.primitives.map((p) => p.historyName).filter((n): n is string => n !== undefined));
      historyNamesOf.set(ws, names);
    }
    if (names.has(r.cfgId)) return r.cfgId;
  }
  return r.historyName ?? r.id;
}

function toAction(ws: WorkingSet, a: SAction, id: number): Action {
  const r = a.rsc;
  fillExecution(ws, a);
  const out: Action = {
    id,
    key: transitionKey(a),
    task: a.cancel ? "cancel" : a.task,
    rsc: r ? graphRscId(ws, r) : undefined,
    configRsc: r?.cfgId,
    node: a.pseudo ? undefined : a.node?.uname,
    intervalMs: a.intervalMs,
    pseudo: a.pseudo,
    params: a.params,
    meta: { ...a.meta },
    timeoutMs: a.timeoutMs,
    reason: a.reason,
  };
  if (a.targetRc !== undefined) out.meta["op_target_rc"] = String(a.targetRc);
  if (a.fenceAction) out.fenceAction = a.fenceAction;
  if (r?.agent && r.variant === "primitive") {
    out.standard = r.agent.standard;
    out.provider = r.agent.provider;
    out.agentType = r.agent.type;
  }
  return out;
}

/** Compute the transition that moves the cluster from its status to the ideal placement. */
export function schedule(cib: Cib, opts: ScheduleOptions): ScheduleResult {
  return scheduleWith(cib, opts, true);
}

/** schedule() using only the general code paths: for tests that check the fast paths agree with it. */
export function scheduleWithoutFastPaths(cib: Cib, opts: ScheduleOptions): ScheduleResult {
  return scheduleWith(cib, opts, false);
}

function scheduleWith(cib: Cib, opts: ScheduleOptions, fast: boolean): ScheduleResult {
  const { ws, extras } = unpackAll(cib, opts, fast);
  const before = buildView(ws, extras);

  // node criteria: constraints, stickiness, failure thresholds
  unpackConstraints(ws, extras.ruleById);
  for (const loc of ws.locations) applyLocation(ws, loc.rsc, loc);
  for (const r of ws.resources) applyStickiness(ws, r);
  for (const n of ws.nodes) for (const r of ws.resources) checkFailureThreshold(ws, extras, r, n);
  banMultiplyActiveStopOnly(ws);
  for (const r of ws.resources) groupColocations(ws, r);
  // parameters changed since the resource was started: restart, reload or reschedule;
  // a fail-count there is cleared ("action definition changed"), as crm_simulate 2.1.5 does
  for (const { rsc, node } of checkDefinitionChanges(ws)) {
    if (failCount(ws, rsc, node, true).count > 0 && !extras.clearFailcounts.some((c) => c.rsc === rsc && c.node === node)) {
      extras.clearFailcounts.push({ rsc, node, reason: "action definition changed" });
    }
  }
  // histories recorded under another resource agent: deleted (and the resource restarted)
  checkAgentChanges(ws);

  // fail-counts of orphans are cleared (top-level orphans: an orphaned clone instance is the clone's business)
  for (const r of ws.primitives) {
    if (!r.orphan || r.parent) continue;
    for (const n of ws.nodes) {
      if (failCount(ws, r, n, false).count > 0 && !clearsFailcount(extras, r, n)) {
        extras.clearFailcounts.push({ rsc: r, node: n, reason: "orphan" });
      }
    }
  }

  if (ws.stonithEnabled && !ws.hasStonithResource) {
    ws.messages.push(
      "error: Resource start-up disabled since no STONITH resources have been defined",
      "error: Either configure some or disable STONITH with the stonith-enabled option",
      "error: NOTE: Clusters with shared data need STONITH to ensure data integrity",
    );
  }

  // assignment
  const order = sortResourcesForAssignment(ws);
  ws.resources = order;
  for (const r of order) assign(ws, r, undefined);

  // actions
  scheduleProbes(ws);
  for (const r of ws.resources) createActions(ws, r);
  scheduleCancels(ws);
  for (const r of ws.resources) internalConstraints(ws, r);
  scheduleFencing(ws);
  applyOrderings(ws);
  propagate(ws);
  showOneOrMoreMet(ws.actions);
  cancelSupersededReloads(ws);

  const summary = transitionSummary(ws);
  const transition = addNotifications(ws, transitionOf(ws, extras));
  // scores are made into objects on first read (most callers never read them)
  const log = ws.scores;
  let scores: AllocationScore[] | undefined;
  return {
    transition,
    summary,
    get scores(): AllocationScore[] {
      return (scores ??= log.toArray());
    },
    set scores(v: AllocationScore[]) {
      scores = v;
    },
    before,
    messages: ws.messages,
  };
}

