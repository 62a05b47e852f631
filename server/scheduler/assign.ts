// Assignment: choose a node (and, for promotable clones, a role) for every
// resource, following Pacemaker's allocation: resources in priority order,
// primaries before their dependents, colocation scores applied to the
// dependent, dependents' preferences merged into the primary, ties broken by
// fewest assigned resources, then the current node, then node name.
import { INFINITY, addScores } from "./score";
import { NodeScores, ROLE_RANK, type SColocation, type SNode, type SRsc, type Weights, type WorkingSet } from "./model";
import type { Role } from "./types";
import { cloneOf, primitivesOf } from "./unpack-config";

/** The node can run resources at all (online, clean, not standby, not maintenance, not shutting down). */
export function canRun(n: SNode | undefined): boolean {
  return !!n && n.online && !n.shutdown && !n.unclean && !n.standby && !n.maintenance;
}

function available(n: SNode, w: number): boolean {
  return w >= 0 && canRun(n);
}

function anyAvailable(w: Weights): boolean {
  for (const n of w.keys()) {
    const s = w.get(n)!;
    if (available(n, s)) return true;
  }
  return false;
}

/** A copy of a node-score table, in the same order. */
function copyWeights(w: Weights | undefined): Weights {
  return w ? w.copy() : new NodeScores();
}

const NEG_HACK = -INFINITY - 1; // marks a node unusable during positive-only merges

export function currentNode(r: SRsc): SNode | undefined {
  if (r.variant === "primitive") return r.runningOn[0];
  for (const c of r.children) {
    const n = currentNode(c);
    if (n) return n;
  }
  return undefined;
}

export function runningNodes(r: SRsc): SNode[] {
  if (r.variant === "primitive") return r.runningOn;
  const out = new Set<SNode>();
  for (const c of r.children) for (const n of runningNodes(c)) out.add(n);
  return [...out];
}

/** The order sortNodes sorts by: score, then fewest assigned resources, then the active node, then name. */
function compareNodes(a: SNode, wa: number, b: SNode, wb: number, active: SNode | undefined): number {
  if (wa !== wb) return wa > wb ? -1 : 1;
  if (a.numResources !== b.numResources) return a.numResources - b.numResources;
  if (active === a) return -1;
  if (active === b) return 1;
  return a.uname < b.uname ? -1 : a.uname > b.uname ? 1 : 0;
}

/** Sort nodes best first: score, then fewest assigned resources, then the active node, then name. */
export function sortNodes(ws: WorkingSet, w: Weights, active: SNode | undefined): SNode[] {
  // each node's effective score is read once, not in every comparison
  const nodes: SNode[] = [];
  const eff: number[] = [];
  for (const n of w.keys()) {
    const s = w.get(n)!;
    nodes.push(n);
    eff.push(canRun(n) ? s : -INFINITY);
  }
  const idx = nodes.map((_, i) => i);
  idx.sort((x, y) => compareNodes(nodes[x], eff[x], nodes[y], eff[y], active));
  return idx.map((i) => nodes[i]);
}

/** sortNodes(ws, w, active)[0] without sorting: the first of the best nodes in w's order (the sort is stable). */
export function bestNode(w: Weights, active: SNode | undefined): SNode | undefined {
  let best: SNode | undefined;
  let bestW = 0;
  for (const n of w.keys()) {
    const s = w.get(n)!;
    const e = canRun(n) ? s : -INFINITY;
    if (best === undefined || compareNodes(n, e, best, bestW, active) < 0) {
      best = n;
      bestW = e;
    }
  }
  return best;
}

const byName = new WeakMap<WorkingSet, SNode[]>();

function recordScores(ws: WorkingSet, scope: string, r: SRsc, recurse: boolean): void {
  let nodes = byName.get(ws);
  if (!nodes) byName.set(ws, (nodes = [...ws.nodes].sort((a, b) => (a.uname < b.uname ? -1 : a.uname > b.uname ? 1 : 0))));
  ws.scores.snapshot(scope, r.id, nodes, r.allowed);
  if (recurse) for (const c of r.children) recordScores(ws, scope, c, true);
}

// ---------------------------------------------------------------------------
// Colocation application

/** Does colocation c affect the dependent's placement now? */
function colocationAffects(dep: SRsc, pri: SRsc, c: SColocation, preview: boolean): "nothing" | "location" | "priority" {
  if (!preview && pri.provisional) return "nothing";
  if (ROLE_RANK[c.dependentRole] >= ROLE_RANK.Unpromoted && dep.parent && dep.parent.promotable && !dep.provisional) return "priority";
  if (!preview && !dep.provisional) return "nothing";
  if (c.dependentRole !== "Unknown" && c.dependentRole !== dep.nextRole) return "nothing";
  if (c.primaryRole !== "Unknown" && c.primaryRole !== pri.nextRole) return "nothing";
  return "location";
}

function attrOf(n: SNode, attr: string): string | undefined {
  return n.attrs[attr];
}

function colocationMatch(dep: SRsc, pri: SRsc, c: SColocation): void {
  const attr = c.nodeAttribute;
  let value: string | undefined;
  if (pri.allocatedTo) value = attrOf(pri.allocatedTo, attr);
  else if (c.score < 0) return;
  const work: Weights = copyWeights(dep.allowed);
  for (const n of work.keys()) {
    const w = work.get(n)!;
    if (!pri.allocatedTo) work.set(n, addScores(-c.score, w));
    else if (attrOf(n, attr) !== undefined && attrOf(n, attr) === value) {
      if (c.score < INFINITY) work.set(n, addScores(c.score, w));
    } else if (c.score >= INFINITY) work.set(n, addScores(-c.score, w));
  }
  if (c.score <= -INFINITY || c.score >= INFINITY || anyAvailable(work)) dep.allowed = work;
}

function colocationPriority(dep: SRsc, pri: SRsc, c: SColocation): void {
  if (!pri.allocatedTo || !dep.allocatedTo) return;
  const a = attrOf(dep.allocatedTo, c.nodeAttribute);
  const b = attrOf(pri.allocatedTo, c.nodeAttribute);
  if (a !== b) {
    if (c.score >= INFINITY && c.dependentRole === "Promoted") dep.priority = -INFINITY;
    return;
  }
  if (c.primaryRole !== "Unknown" && c.primaryRole !== pri.nextRole) return;
  const mult = c.primaryRole === "Unpromoted" ? -1 : 1;
  dep.priority = addScores(mult * c.score, dep.priority);
}

/** Apply colocation c to dependent `dep` (a primitive, or a group/clone dispatching to members). */
export function applyColocation(ws: WorkingSet, dep: SRsc, pri: SRsc, c: SColocation): void {
  if (dep.variant === "group") {
    if (dep.colocatedGroup && dep.children[0]) return applyColocation(ws, dep.children[0], pri, c);
    if (c.score >= INFINITY) return;
    for (const ch of dep.children) applyColocation(ws, ch, pri, c);
    return;
  }
  if (dep.variant === "clone") {
    for (const ch of dep.children) applyColocation(ws, ch, pri, c);
    return;
  }
  // dependent is a primitive: dispatch on the primary's kind
  if (pri.variant === "group") {
    if (pri.provisional) return;
    const first = pri.children[0];
    const last = pri.children[pri.children.length - 1];
    if (pri.colocatedGroup && first) {
      return applyColocation(ws, dep, c.score >= INFINITY ? last : first, c);
    }
    if (c.score >= INFINITY) return;
    for (const ch of pri.children) applyColocation(ws, dep, ch, c);
    return;
  }
  if (pri.variant === "clone") {
    return applyColocationWithClone(ws, dep, pri, c);
  }
  const how = colocationAffects(dep, pri, c, false);
  if (how === "location") colocationMatch(dep, pri, c);
  else if (how === "priority") colocationPriority(dep, pri, c);
}

function copiesPerNode(r: SRsc): number {
  return r.variant === "clone" ? r.cloneNodeMax : 1;
}

function applyColocationWithClone(ws: WorkingSet, dep: SRsc, pri: SRsc, c: SColocation): void {
  if (pri.promotable) {
    if (pri.provisional) return;
    if (c.primaryRole !== "Unknown") {
      if (dep.provisional) {
        // placing the dependent: only nodes where the primary has an instance in the role count
        const nodes = new Map<SNode, number>();
        for (const inst of pri.children) {
          const n = inst.allocatedTo;
          if (!n) continue;
          if (instanceNextRole(inst) !== c.primaryRole) continue;
          nodes.set(n, addScores(nodes.get(n) ?? 0, c.score));
        }
        if (c.score >= INFINITY) {
          for (const n of dep.allowed.keys()) if (!nodes.has(n)) dep.allowed.set(n, -INFINITY);
        } else {
          for (const n of nodes.keys()) {
            const s = nodes.get(n)!;
            if (dep.allowed.has(n)) dep.allowed.set(n, addScores(dep.allowed.get(n)!, s));
          }
        }
        return;
      }
      if (c.dependentRole === "Promoted") {
        // choosing roles for the dependent
        const n = dep.allocatedTo;
        if (!n) return;
        const inst = pri.children.find((i) => i.allocatedTo === n && instanceNextRole(i) === c.primaryRole);
        if (inst) dep.priority = addScores(c.score, dep.priority);
        else if (c.score >= INFINITY) dep.priority = -INFINITY;
        return;
      }
    }
  }
  const depTop = c.dependent;
  let interleave = false;
  if (depTop.variant === "clone" && depTop.interleave) {
    if (copiesPerNode(depTop) === copiesPerNode(c.primary)) interleave = true;
  }
  if (pri.provisional) return;
  if (interleave) {
    const match = findCompatibleInstance(dep, pri, "Unknown", false, ws);
    if (match) {
      applyColocation(ws, dep, match, c);
    } else if (c.score >= INFINITY) {
      for (const n of dep.allowed.keys()) dep.allowed.set(n, -INFINITY);
    }
    return;
  }
  if (c.score >= INFINITY) {
    const nodes = new Set<SNode>();
    for (const inst of pri.children) {
      const n = inst.allocatedTo;
      if (n && !blockedRecursive(inst)) nodes.add(n);
    }
    for (const n of dep.allowed.keys()) if (!nodes.has(n)) dep.allowed.set(n, -INFINITY);
    return;
  }
  for (const inst of pri.children) {
    // an instance of a promotable clone left without a node counts for nothing (crm_simulate
    // 2.1.5; one of a plain clone lowers every node by the score, as an inactive primary does)
    if (pri.promotable && !inst.provisional && !inst.allocatedTo && inst.variant === "primitive") continue;
    if (inst.variant === "group") applyColocation(ws, dep, inst, c);
    else {
      const how = colocationAffects(dep, inst, c, false);
      if (how === "location") colocationMatch(dep, inst, c);
      else if (how === "priority") colocationPriority(dep, inst, c);
    }
  }
}

function blockedRecursive(r: SRsc): boolean {
  return r.blocked || r.children.some(blockedRecursive);
}

export function instanceNextRole(r: SRsc): Role {
  if (r.variant === "primitive") return r.nextRole;
  let best: Role = "Unknown";
  for (const c of r.children) {
    const x = instanceNextRole(c);
    if (ROLE_RANK[x] > ROLE_RANK[best]) best = x;
  }
  return best;
}

/** An instance of `clone` on the node `inst` is (to be) placed on, for interleaving. */
export function findCompatibleInstance(inst: SRsc, clone: SRsc, role: Role, current = false, ws?: WorkingSet): SRsc | undefined {
  const byNode = (node: SNode): SRsc | undefined => {
    for (const other of clone.children) {
      const on = current ? currentNode(other) : instanceNode(other);
      if (on !== node) continue;
      if (role !== "Unknown" && instanceNextRole(other) !== role) continue;
      return other;
    }
    return undefined;
  };
  const node = current ? currentNode(inst) : instanceNode(inst);
  if (node) return byNode(node);
  if (!ws) return undefined;
  for (const n of sortNodes(ws, inst.allowed, undefined)) {
    const m = byNode(n);
    if (m) return m;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Merging dependents' (or primaries') preferences

function bestScoreMatchingAttr(r: SRsc, attr: string, value: string | undefined, node: SNode): number {
  if (attr === "#uname") {
    // node names are unique: only the node itself matches
    const w = r.allowed.get(node);
    return w !== undefined && canRun(node) ? Math.max(w, -INFINITY) : -INFINITY;
  }
  let best = -INFINITY;
  for (const n of r.allowed.keys()) {
    const w = r.allowed.get(n)!;
    if (w > best && canRun(n) && attrOf(n, attr) === value) best = w;
  }
  return best;
}

function addNodeScoresMatchingAttr(nodes: Weights, r: SRsc, attr: string, factor: number, onlyPositive: boolean): void {
  for (const n of nodes.keys()) {
    const w = nodes.get(n)!;
    const s = bestScoreMatchingAttr(r, attr, attrOf(n, attr), n);
    if (factor < 0 && s < 0) continue;
    if (w === NEG_HACK) continue;
    const f = factor * s;
    let weight = Math.trunc(f < 0 ? f - 0.5 : f + 0.5);
    if (weight === 0 && s !== 0) weight = factor > 0 ? 1 : factor < 0 ? -1 : 0;
    const ns = addScores(weight, w);
    if (onlyPositive && ns < 0 && w > 0) {
      nodes.set(n, NEG_HACK);
      continue;
    }
    if (onlyPositive && ns < 0 && w === 0) continue;
    nodes.set(n, ns);
  }
}

export interface MergeFlags {
  init?: boolean;
  forward?: boolean;
  rollback?: boolean;
  positive?: boolean;
}

/** Merge r's node preferences (and, transitively, its colocated resources') into `nodes`, scaled by factor. */
export function mergeWeights(ws: WorkingSet, r: SRsc, nodes: Weights | undefined, attr: string, factor: number, flags: MergeFlags): Weights {
  if (r.variant === "group" && !flags.init && !flags.forward) {
    if (r.merging) return nodes!;
    r.merging = true;
    let out = r.children[0] ? mergeWeights(ws, r.children[0], nodes, attr, factor, flags) : nodes!;
    for (const c of r.consAsPrimary) {
      out = mergeWeights(ws, c.dependent, out, c.nodeAttribute, c.score / INFINITY, flags);
    }
    r.merging = false;
    return out;
  }
  if (r.merging) return nodes ?? copyWeights(r.allowed);
  r.merging = true;
  let work: Weights;
  if (flags.init) {
    if (r.variant === "group" && r.children.length > 0) {
      work = mergeWeights(ws, r.children[r.children.length - 1], undefined, attr, factor, flags);
    } else work = copyWeights(r.allowed);
    flags = { ...flags, init: false };
  } else {
    work = copyWeights(nodes);
    addNodeScoresMatchingAttr(work, r, attr, factor, !!flags.positive);
  }
  if (anyAvailable(work)) {
    const mult = factor < 0 ? -1 : 1;
    const list: SColocation[] = flags.forward ? r.consAsDependent : r.consAsPrimary;
    for (const c of list) {
      let other: SRsc;
      if (flags.forward) other = c.primary;
      else {
        if (!hasInfluence(c)) continue;
        other = c.dependent;
      }
      work = mergeWeights(ws, other, work, c.nodeAttribute, (mult * c.score) / INFINITY, { ...flags, rollback: true });
    }
  } else if (flags.rollback) {
    r.merging = false;
    return nodes ?? copyWeights(r.allowed);
  }
  if (flags.positive) for (const n of work.keys()) {
    const w = work.get(n)!;
    if (w === NEG_HACK) work.set(n, 1);
  }
  r.merging = false;
  return work;
}

export function hasInfluence(c: SColocation, rsc?: SRsc): boolean {
  const p = rsc ?? c.primary;
  return c.influence || runningNodes(p).length === 0;
}

// ---------------------------------------------------------------------------
// Assigning a node

function assignNode(ws: WorkingSet, r: SRsc, chosen: SNode | undefined, force: boolean): void {
  if (!force && chosen) {
    const w = r.allowed.get(chosen) ?? 0;
    if (w < 0 || !canRun(chosen)) {
      r.nextRole = "Stopped";
      chosen = undefined;
    }
  }
  if (r.allocatedTo) r.allocatedTo.numResources--;
  r.allocatedTo = undefined;
  r.provisional = false;
  if (!chosen) {
    if (r.nextRole === "Unknown" || ROLE_RANK[r.nextRole] > ROLE_RANK.Stopped) r.nextRole = "Stopped";
    return;
  }
  r.allocatedTo = chosen;
  chosen.numResources++;
}

function chooseNode(ws: WorkingSet, r: SRsc, prefer: SNode | undefined): void {
  if (!r.provisional) return;
  const current = currentNode(r);
  const best = bestNode(r.allowed, current);
  let chosen: SNode | undefined;
  if (prefer && best) {
    const pw = r.allowed.get(prefer);
    if (pw === undefined) chosen = undefined;
    else if (pw < 0 || pw < r.allowed.get(best)!) chosen = undefined;
    else if (!canRun(prefer)) chosen = undefined;
    else chosen = prefer;
  }
  if (!chosen && best) {
    chosen = best;
    const inUniqueClone = r.parent?.variant === "clone" && r.parent.uniqueClone;
    const bw = r.allowed.get(chosen)!;
    if (!inUniqueClone && bw > 0 && canRun(chosen)) {
      // stay on the current node when it ties with the best one. The nodes that sort right
      // after the best with the same score are exactly the usable ones with that score, so
      // no sort is needed to find whether the current node is among them.
      const running = currentNode(r);
      if (running && canRun(running) && r.allowed.get(running) === bw) chosen = running;
    }
  }
  assignNode(ws, r, chosen, false);
}

/** Assign a primitive (Pacemaker's native allocate). */
function assignPrimitive(ws: WorkingSet, r: SRsc, prefer: SNode | undefined): SNode | undefined {
  if (r.parent && !r.parent.allocating) return assign(ws, r.parent, prefer);
  if (!r.provisional) return r.allocatedTo;
  if (r.allocating) {
    ws.messages.push(`info: Dependency loop detected involving ${r.id}`);
    return undefined;
  }
  r.allocating = true;
  for (const c of [...r.consAsDependent]) {
    let archive: Weights | undefined;
    if (ROLE_RANK[c.dependentRole] >= ROLE_RANK.Promoted || (c.score < 0 && c.score > -INFINITY)) archive = copyWeights(r.allowed);
    assign(ws, c.primary, undefined);
    applyColocation(ws, r, c.primary, c);
    if (archive && !anyAvailable(r.allowed)) r.allowed = archive;
  }
  for (const c of r.consAsPrimary) {
    if (!hasInfluence(c)) continue;
    r.allowed = mergeWeights(ws, c.dependent, r.allowed, c.nodeAttribute, c.score / INFINITY, { rollback: true });
  }
  if (r.nextRole === "Stopped") {
    for (const n of ws.nodes) r.allowed.set(n, -INFINITY);
  } else if (ROLE_RANK[r.nextRole] > ROLE_RANK[r.role] && !ws.haveQuorum && ws.noQuorumPolicy === "freeze") {
    r.nextRole = r.role;
  }
  recordScores(ws, "pcmk__primitive_assign", r, false);
  if (ws.stonithEnabled && !ws.hasStonithResource) r.managed = false;
  if (!r.managed) {
    r.nextRole = r.role;
    assignNode(ws, r, currentNode(r), true);
  } else if (ws.stopAll) {
    assignNode(ws, r, undefined, true);
  } else if (r.provisional) {
    chooseNode(ws, r, prefer);
  }
  r.allocating = false;
  return r.allocatedTo;
}

function assignGroup(ws: WorkingSet, g: SRsc, prefer: SNode | undefined): SNode | undefined {
  if (g.parent && g.parent.variant === "clone" && !g.parent.allocating) return assign(ws, g.parent, prefer);
  if (!g.provisional) return g.allocatedTo;
  if (g.allocating) return undefined;
  const first = g.children[0];
  if (!first) {
    g.provisional = false;
    return undefined;
  }
  g.allocating = true;
  g.role = first.role;
  // the group's own colocations act through its first (as dependent) and last (as primary) members
  for (const c of g.consAsDependent) if (!first.consAsDependent.includes(c)) first.consAsDependent.push(c);
  g.consAsDependent = [];
  const last = g.children[g.children.length - 1];
  for (const c of g.consAsPrimary) if (!last.consAsPrimary.includes(c)) last.consAsPrimary.push(c);
  g.consAsPrimary = [];
  recordScores(ws, "pcmk__group_assign", g, true);
  let node: SNode | undefined;
  let firstNode: SNode | undefined;
  let firstDone = false;
  for (const ch of g.children) {
    node = assign(ws, ch, prefer);
    if (!firstDone) {
      firstNode = node;
      firstDone = true;
    }
  }
  g.nextRole = first.nextRole;
  g.allocatedTo = g.colocatedGroup ? firstNode : undefined;
  g.allocating = false;
  g.provisional = false;
  return g.allocatedTo;
}

export function assign(ws: WorkingSet, r: SRsc, prefer: SNode | undefined): SNode | undefined {
  if (r.variant === "primitive") return assignPrimitive(ws, r, prefer);
  if (r.variant === "group") return assignGroup(ws, r, prefer);
  return assignClone(ws, r, prefer);
}

// ---------------------------------------------------------------------------
// Clones

function parentWeight(inst: SRsc, n: SNode): number | undefined {
  return inst.parent?.allowed.get(n);
}

const cloneCount = new WeakMap<SRsc, Map<SNode, number>>();

function countOn(clone: SRsc, n: SNode): number {
  return cloneCount.get(clone)?.get(n) ?? 0;
}

function setScoreRecursive(r: SRsc, n: SNode, s: number): void {
  const cur = r.allowed.get(n);
  if (cur !== undefined) r.allowed.set(n, addScores(cur, s));
  for (const c of r.children) setScoreRecursive(c, n, s);
}

function canRunInstance(inst: SRsc, limit: number): void {
  const clone = inst.parent!;
  for (const n of inst.allowed.keys()) {
    let ok = false;
    if (canRun(n) && !inst.orphan) {
      const pw = parentWeight(inst, n);
      if (pw === undefined) ok = false;
      // a node the clone itself scores below zero takes no instance (the parent's score is added first, as Pacemaker does)
      else if (pw < 0) setScoreRecursive(inst, n, pw);
      else if (countOn(clone, n) < limit) ok = true;
    }
    if (!ok) setScoreRecursive(inst, n, -INFINITY);
  }
}

function appendParentColocations(clone: SRsc, inst: SRsc, all: boolean): void {
  const targets = inst.variant === "group" ? [inst] : [inst];
  for (const t of targets) {
    // in the clone's order (crm_simulate 2.1.5 applies them so: it decides which of two
    // negative ones is rolled back for leaving no node)
    for (const c of clone.consAsDependent) {
      if ((all || c.score < 0 || c.score === INFINITY) && !t.consAsDependent.includes(c)) t.consAsDependent.push(c);
    }
    for (const c of clone.consAsPrimary) {
      if (!hasInfluence(c, inst)) continue;
      if ((all || c.score < 0) && !t.consAsPrimary.includes(c)) t.consAsPrimary.unshift(c);
    }
  }
}

function assignInstance(ws: WorkingSet, inst: SRsc, prefer: SNode | undefined, all: boolean, limit: number): SNode | undefined {
  if (!inst.provisional) return inst.allocatedTo;
  if (inst.allocating) return undefined;
  appendParentColocations(inst.parent!, inst, all);
  if (prefer) {
    const w = inst.allowed.get(prefer);
    if (w === undefined || w < 0) return undefined;
  }
  canRunInstance(inst, limit);
  const backup = copyWeights(inst.allowed);
  const backupChildren = inst.children.map((c) => copyWeights(c.allowed));
  let chosen = assign(ws, inst, prefer);
  if (inst.variant === "group") chosen = inst.allocatedTo;
  if (chosen && prefer && chosen !== prefer) {
    inst.allowed = backup;
    inst.children.forEach((c, i) => (c.allowed = backupChildren[i]));
    unassign(inst);
    chosen = undefined;
  }
  if (chosen) {
    const m = cloneCount.get(inst.parent!)!;
    m.set(chosen, (m.get(chosen) ?? 0) + 1);
  }
  return chosen;
}

function unassign(r: SRsc): void {
  for (const c of r.children) unassign(c);
  if (r.allocatedTo) r.allocatedTo.numResources--;
  r.allocatedTo = undefined;
  r.provisional = true;
  r.nextRole = r.unpackedRole ?? "Unknown";
}

function instanceFailed(r: SRsc): boolean {
  return r.failed || r.children.some(instanceFailed);
}

/**
 * An instance's allowed nodes best first, as cmpInstances compares them: the same for every
 * comparison of one sort (scores, node states and loads do not change while it runs), so each
 * instance's list is sorted once per sort instead of twice per comparison.
 */
type SortedNodes = Map<SRsc, SNode[]>;

function sortedFor(ws: WorkingSet, cache: SortedNodes, r: SRsc, current: SNode | undefined): SNode[] {
  let l = cache.get(r);
  if (l === undefined) cache.set(r, (l = sortNodes(ws, r.allowed, current)));
  return l;
}

function cmpInstances(ws: WorkingSet, a: SRsc, b: SRsc, cache: SortedNodes): number {
  const na = runningNodes(a);
  const nb = runningNodes(b);
  if (na.length > 0 && nb.length > 0 && na.length !== nb.length) return na.length - nb.length;
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  const ca = na[0];
  const cb = nb[0];
  // an active instance banned from where it runs (a failed stop there) goes
  // after the inactive ones, so a fresh instance takes the free node, and after
  // active ones that may stay (also when those are failed: crm_simulate 2.1.5)
  const usable = (r: SRsc, c: SNode | undefined) => !c || (r.allowed.get(c) ?? -1) >= 0;
  const ua = usable(a, ca);
  const ub = usable(b, cb);
  if (ua !== ub) return ua ? -1 : 1;
  // both banned from where they run: neither counts as active, and crm_simulate 2.1.5
  // keeps them in instance order (no failed or score comparison)
  if (ca && cb && !ua && !ub) return (a.instanceNo ?? 0) - (b.instanceNo ?? 0);
  if ((na.length > 0) !== (nb.length > 0)) return na.length > 0 ? -1 : 1;
  if (ca && cb) {
    const ra = canRun(ca) && (a.allowed.get(ca) ?? -1) >= 0;
    const rb = canRun(cb) && (b.allowed.get(cb) ?? -1) >= 0;
    if (ra !== rb) return ra ? -1 : 1;
  }
  const fa = instanceFailed(a);
  const fb = instanceFailed(b);
  if (fa !== fb) return fa ? 1 : -1;
  if (ca && cb) {
    const wa = a.allowed.get(ca) ?? -INFINITY;
    const wb = b.allowed.get(cb) ?? -INFINITY;
    if (wa !== wb) return wa > wb ? -1 : 1;
  }
  // the instance with the better allocation scores goes first (best node against best node, ...)
  const la = sortedFor(ws, cache, a, ca);
  const lb = sortedFor(ws, cache, b, cb);
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const wa = canRun(la[i]) ? a.allowed.get(la[i])! : -INFINITY;
    const wb = canRun(lb[i]) ? b.allowed.get(lb[i])! : -INFINITY;
    if (wa !== wb) return wa > wb ? -1 : 1;
  }
  return (a.instanceNo ?? 0) - (b.instanceNo ?? 0);
}

function assignClone(ws: WorkingSet, clone: SRsc, prefer: SNode | undefined): SNode | undefined {
  if (!clone.provisional) return undefined;
  if (clone.allocating) return undefined;
  if (clone.promotable) addPromotionScores(ws, clone);
  clone.allocating = true;
  for (const c of clone.consAsDependent) assign(ws, c.primary, prefer);
  for (const c of clone.consAsPrimary) {
    if (!hasInfluence(c)) continue;
    clone.allowed = mergeWeights(ws, c.dependent, clone.allowed, c.nodeAttribute, c.score / INFINITY, { rollback: true, positive: true });
  }
  recordScores(ws, "pcmk__clone_allocate", clone, true);
  const nodes = sortNodes(ws, clone.allowed, undefined);
  const cache: SortedNodes = new Map();
  clone.children.sort((a, b) => cmpInstances(ws, a, b, cache));
  distribute(ws, clone, nodes);
  if (clone.promotable) setInstanceRoles(ws, clone);
  clone.provisional = false;
  clone.allocating = false;
  return undefined;
}

function distribute(ws: WorkingSet, clone: SRsc, nodes: SNode[]): void {
  const max = clone.cloneMax;
  const perHost = clone.cloneNodeMax;
  cloneCount.set(clone, new Map());
  let availableNodes = 0;
  for (const n of nodes) if (canRun(n)) availableNodes++;
  const all = max < availableNodes;
  let loopMax = availableNodes ? Math.floor(max / availableNodes) : 0;
  if (loopMax < 1) loopMax = 1;
  let allocated = 0;
  for (const inst of clone.children) {
    if (allocated >= max) break;
    const running = runningNodes(inst);
    if (running.length === 0 || !inst.provisional || instanceFailed(inst)) continue;
    const cur = running[0];
    if (!canRun(cur)) continue;
    if (clone.allowed.has(cur) && countOn(clone, cur) >= loopMax) continue;
    if (assignInstance(ws, inst, cur, all, perHost)) allocated++;
  }
  for (const inst of clone.children) {
    if (!inst.provisional) continue;
    if (allocated >= max || inst.orphan) {
      for (const n of ws.nodes) setScoreRecursive(inst, n, -INFINITY);
      for (const n of ws.nodes) if (!inst.allowed.has(n)) inst.allowed.set(n, -INFINITY);
      continue;
    }
    if (assignInstance(ws, inst, undefined, all, perHost)) allocated++;
  }
}

// ---------------------------------------------------------------------------
// Promotion

function promotionAttr(n: SNode, r: SRsc): string | undefined {
  // the name the resource's history uses is the one its agent set the score under
  const v = n.attrs[`master-${r.historyName ?? r.id}`];
  if (v !== undefined) return v;
  const c = cloneOf(r);
  if (c && !c.uniqueClone) return n.attrs[`master-${r.cfgId}`];
  return undefined;
}

function memberNamed(r: SRsc, cfgId: string): SRsc | undefined {
  if (r.variant === "primitive") return r.cfgId === cfgId ? r : undefined;
  for (const c of r.children) {
    const m = memberNamed(c, cfgId);
    if (m) return m;
  }
  return undefined;
}

/**
 * Whether an anonymous clone's instance takes a node's promotion score without
 * further checks: it is the instance active there, or no instance is active
 * there and some instance has been probed there.
 */
function anonymousInstanceCounts(clone: SRsc, r: SRsc, node: SNode): boolean {
  for (const child of clone.children) {
    const m = memberNamed(child, r.cfgId);
    if (m && m.runningOn.includes(node)) return m === r;
  }
  return clone.children.some((child) => memberNamed(child, r.cfgId)?.knownOn.has(node));
}

export function promotionScore(r: SRsc, node: SNode | undefined, notSet: number): number {
  if (!node) return notSet;
  if (r.children.length) {
    let s = notSet;
    for (const c of r.children) {
      const cs = promotionScore(c, node, notSet);
      s = s === notSet ? cs : s + cs;
    }
    return s;
  }
  const c = cloneOf(r);
  const anon = c && !c.uniqueClone;
  if (anon && anonymousInstanceCounts(c, r, node)) {
    /* this instance takes the node's score */
  } else if (r.runningOn.length > 0 || r.knownOn.size > 0) {
    // only from nodes where its state is known
    if (!r.knownOn.has(node) && !r.runningOn.includes(node)) return notSet;
  }
  const w = r.allowed.get(node);
  if (w === undefined || w < 0) return notSet;
  const v = promotionAttr(node, r);
  if (v === undefined) return notSet;
  const n = Number.parseInt(v, 10);
  if (/^\s*[+-]?INFINITY\s*$/i.test(v)) return v.trim().startsWith("-") ? -INFINITY : INFINITY;
  return Number.isNaN(n) ? 0 : Math.max(-INFINITY, Math.min(INFINITY, n));
}

function addPromotionScores(ws: WorkingSet, clone: SRsc): void {
  for (const inst of clone.children) {
    for (const n of inst.allowed.keys()) {
      const w = inst.allowed.get(n)!;
      if (!canRun(n)) continue;
      const s = promotionScore(inst, n, 0);
      if (s > 0) {
        const ns = addScores(w, s);
        inst.allowed.set(n, ns);
      }
    }
  }
}

function setRoleUnpromoted(r: SRsc, current: boolean): void {
  if (current) {
    if (r.role === "Started") r.role = "Unpromoted";
  } else {
    const placed = r.variant === "primitive" ? !!r.allocatedTo : primitivesOf(r).some((p) => p.allocatedTo);
    if (r.nextRole === "Unknown" || ROLE_RANK[r.nextRole] > ROLE_RANK.Unpromoted || !placed) r.nextRole = placed ? "Unpromoted" : "Stopped";
  }
  for (const c of r.children) setRoleUnpromoted(c, current);
}

function setRolePromoted(r: SRsc): void {
  if (r.nextRole === "Unknown") r.nextRole = "Promoted";
  for (const c of r.children) setRolePromoted(c);
}

function instanceRole(r: SRsc): Role {
  if (r.variant === "primitive") return r.role;
  let best: Role = "Stopped";
  for (const c of r.children) {
    const x = instanceRole(c);
    if (ROLE_RANK[x] > ROLE_RANK[best]) best = x;
  }
  return best;
}

function instanceNode(r: SRsc): SNode | undefined {
  if (r.variant === "primitive") return r.allocatedTo;
  for (const c of r.children) if (c.allocatedTo) return c.allocatedTo;
  return r.allocatedTo;
}

function canBePromoted(ws: WorkingSet, clone: SRsc, r: SRsc, count: Map<SNode, number>): SNode | undefined {
  for (const c of r.children) if (!canBePromotedInner(c)) return undefined;
  const node = instanceNode(r);
  if (!node) return undefined;
  if (!r.managed) {
    if (instanceRole(r) !== "Promoted") return undefined;
  } else if (r.priority < 0) return undefined;
  else if (!canRun(node)) return undefined;
  if (!clone.allowed.has(node)) return undefined;
  if ((count.get(node) ?? 0) < clone.promotedNodeMax || !r.managed) return node;
  return undefined;
}

function canBePromotedInner(r: SRsc): boolean {
  if (!r.allocatedTo) return false;
  if (!r.managed && r.role !== "Promoted") return false;
  return true;
}

function applyPromotedLocations(inst: SRsc, locs: import("./model").SLocation[], chosen: SNode | undefined): void {
  if (!chosen) return;
  for (const l of locs) {
    if (l.role !== "Promoted") continue;
    const e = l.nodes.find((x) => x.node === chosen);
    if (e) inst.priority = addScores(inst.priority, e.score);
  }
}

export interface PromotionScore {
  rsc: string;
  node?: string;
  score: number;
}

function setInstanceRoles(ws: WorkingSet, clone: SRsc): void {
  const count = new Map<SNode, number>();
  const sortIndex = new Map<SRsc, number>();
  for (const inst of clone.children) {
    if (instanceRole(inst) === "Started") setRoleUnpromoted(inst, true);
    const chosen = instanceNode(inst);
    const next = instanceNextRole(inst);
    switch (next) {
      case "Started":
      case "Unknown":
        inst.priority = promotionScore(inst, chosen, -1);
        break;
      case "Unpromoted":
      case "Stopped":
        inst.priority = -INFINITY;
        break;
      default:
        break;
    }
    applyPromotedLocations(inst, inst.locations, chosen);
    applyPromotedLocations(inst, clone.locations, chosen);
    for (const c of inst.consAsDependent) applyColocation(ws, inst, c.primary, c);
    sortIndex.set(inst, next === "Promoted" ? INFINITY : inst.priority);
  }
  // promotion order: merge instance preferences into the clone's node scores
  const weights: Weights = copyWeights(clone.allowed);
  for (const inst of clone.children) {
    const chosen = instanceNode(inst);
    const si = sortIndex.get(inst)!;
    if (!chosen || si < 0) continue;
    weights.set(chosen, addScores(si, weights.get(chosen) ?? 0));
  }
  let merged = weights;
  const saved = clone.allowed;
  clone.allowed = merged;
  for (const c of clone.consAsDependent) {
    if (c.dependentRole === "Promoted") {
      merged = mergeWeights(ws, c.primary, merged, c.nodeAttribute, c.score / INFINITY, { rollback: c.score !== INFINITY });
    }
  }
  for (const c of clone.consAsPrimary) {
    if (!hasInfluence(c)) continue;
    if (c.primaryRole === "Promoted") {
      merged = mergeWeights(ws, c.dependent, merged, c.nodeAttribute, c.score / INFINITY, { rollback: true, positive: true });
    }
  }
  clone.allowed = saved;
  for (const inst of clone.children) {
    const chosen = instanceNode(inst);
    if (!inst.managed && instanceNextRole(inst) === "Promoted") sortIndex.set(inst, INFINITY);
    else if (!chosen || sortIndex.get(inst)! < 0) {
      /* keep */
    } else sortIndex.set(inst, merged.get(chosen) ?? 0);
  }
  const cache: SortedNodes = new Map();
  clone.children.sort((a, b) => {
    const x = sortIndex.get(a)!;
    const y = sortIndex.get(b)!;
    if (x !== y) return x > y ? -1 : 1;
    const ra = ROLE_RANK[instanceRole(a)];
    const rb = ROLE_RANK[instanceRole(b)];
    if (ra !== rb) return ra > rb ? -1 : 1;
    return cmpInstances(ws, a, b, cache);
  });
  let promoted = 0;
  for (const inst of clone.children) {
    const chosenNode = instanceNode(inst);
    const si = sortIndex.get(inst)!;
    ws.scores.push({ scope: "promotion", rsc: inst.id, node: chosenNode?.uname ?? "none", score: si });
    let chosen: SNode | undefined;
    if (si >= 0 && (promoted < clone.promotedMax || !clone.managed)) chosen = canBePromoted(ws, clone, inst, count);
    if (!chosen) {
      setRoleUnpromoted(inst, false);
      continue;
    }
    if (ROLE_RANK[instanceRole(inst)] < ROLE_RANK.Promoted && !ws.haveQuorum && ws.noQuorumPolicy === "freeze") {
      setRoleUnpromoted(inst, false);
      continue;
    }
    count.set(chosen, (count.get(chosen) ?? 0) + 1);
    setRolePromoted(inst);
    promoted++;
  }
}

// ---------------------------------------------------------------------------
// The resource order for assignment

export function sortResourcesForAssignment(ws: WorkingSet): SRsc[] {
  // highest priority first; otherwise configuration order (a stable sort)
  return ws.resources
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (x.r.priority !== y.r.priority ? (x.r.priority > y.r.priority ? -1 : 1) : x.i - y.i))
    .map((x) => x.r);
}
