// Constraint unpacking: rsc_location (node scores and rules), rsc_colocation
// and rsc_order (simple and with resource sets) into the working set's
// location, colocation and ordering lists.
import type { ColocationConstraint, LocationConstraint, OrderConstraint, ResourceSet, Rule } from "../cib/types";
import { evaluateRule } from "./rules";
import { INFINITY, isTrue, score } from "./score";
import { O, type SColocation, type SLocation, type SNode, type SRsc, type WorkingSet } from "./model";
import { parseRole } from "./unpack-config";
import { cloneMinOrdering, minimumFirstInstances } from "./clone-min";
import { oneOrMoreSetOrdering, relaxesOrdering } from "./set-one-or-more";
import type { Role } from "./types";

export function unpackConstraints(ws: WorkingSet, ruleById: Map<string, Rule>): void {
  for (const c of ws.cib.configuration.constraints) {
    if (c.kind === "location") unpackLocation(ws, c, ruleById);
  }
  for (const c of ws.cib.configuration.constraints) {
    if (c.kind === "colocation") unpackColocation(ws, c);
    else if (c.kind === "order") unpackOrder(ws, c);
  }
}

function findRsc(ws: WorkingSet, id: string | undefined): SRsc | undefined {
  if (!id) return undefined;
  const r = ws.rscById.get(id);
  if (r && r.orphan) return undefined;
  return r;
}

function warn(ws: WorkingSet, msg: string): void {
  ws.messages.push(`warning: ${msg}`);
}

// ---------------------------------------------------------------------------
// Location

function unpackLocation(ws: WorkingSet, c: LocationConstraint, ruleById: Map<string, Rule>): void {
  const targets: SRsc[] = [];
  const patternMatches: (RegExpExecArray | undefined)[] = [];
  if (c.rsc) {
    const r = findRsc(ws, c.rsc);
    if (!r) {
      warn(ws, `Ignoring constraint '${c.id}' because resource '${c.rsc}' does not exist`);
      return;
    }
    targets.push(r);
    patternMatches.push(undefined);
  } else if (c.rscPattern) {
    let re: RegExp;
    try {
      re = new RegExp(c.rscPattern);
    } catch {
      warn(ws, `Ignoring constraint '${c.id}' because rsc-pattern '${c.rscPattern}' is invalid`);
      return;
    }
    for (const r of ws.resources) {
      if (r.orphan) continue;
      const m = re.exec(r.id);
      if (m) {
        targets.push(r);
        patternMatches.push(m);
      }
    }
  }
  for (const set of c.sets) {
    for (const id of set.resources) {
      const r = findRsc(ws, id);
      if (r) {
        targets.push(r);
        patternMatches.push(undefined);
      }
    }
  }
  const role = parseRole(c.role);
  const discovery = (c.resourceDiscovery ?? "always").toLowerCase();
  targets.forEach((rsc) => {
    if (c.node !== undefined) {
      const node = ws.nodeByUname.get(c.node);
      if (!node) return;
      addLocation(ws, { id: c.id, rsc, role, nodes: [{ node, score: score(c.score, 0) }], discovery });
      return;
    }
    for (const rule of c.rules) {
      const r = rule.idRef ? ruleById.get(rule.idRef) ?? rule : rule;
      const rRole = r.role ? parseRole(r.role) : role;
      const nodes: { node: SNode; score: number }[] = [];
      for (const node of ws.nodes) {
        const ok = evaluateRule(r, {
          now: ws.now,
          nodeAttrs: node.attrs,
          ruleById,
          rsc: rsc.agent ? { class: rsc.agent.standard, provider: rsc.agent.provider, type: rsc.agent.type } : undefined,
          params: rsc.params,
          meta: rsc.meta,
        });
        if (!ok) continue;
        let s: number;
        if (r.scoreAttribute !== undefined) {
          const v = node.attrs[r.scoreAttribute];
          s = v === undefined ? -INFINITY : score(v, 0);
        } else s = score(r.score, 0);
        nodes.push({ node, score: s });
      }
      addLocation(ws, { id: c.id, rsc, role: rRole, nodes, discovery });
    }
  });
}

function addLocation(ws: WorkingSet, loc: SLocation): void {
  ws.locations.push(loc);
  loc.rsc.locations.push(loc);
}

// ---------------------------------------------------------------------------
// Colocation

const VARIANT_RANK = { primitive: 0, group: 1, clone: 2 } as const;

function cmpBy(a: SRsc, b: SRsc): number {
  if (a.priority !== b.priority) return a.priority > b.priority ? -1 : 1;
  if (a.variant !== b.variant) return VARIANT_RANK[a.variant] > VARIANT_RANK[b.variant] ? -1 : 1;
  if (a.variant === "clone" && a.promotable !== b.promotable) return a.promotable ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function insertSorted(list: SColocation[], c: SColocation, key: (x: SColocation) => SRsc): void {
  let i = 0;
  while (i < list.length && cmpBy(key(c), key(list[i])) > 0) i++;
  list.splice(i, 0, c);
}

export function newColocation(
  ws: WorkingSet,
  id: string,
  dependent: SRsc,
  primary: SRsc,
  s: number,
  dependentRole: Role,
  primaryRole: Role,
  nodeAttribute: string | undefined,
  influence: boolean,
): void {
  if (s === 0) return;
  if (dependentRole === "Started") dependentRole = "Unknown";
  if (primaryRole === "Started") primaryRole = "Unknown";
  const c: SColocation = {
    id,
    dependent,
    primary,
    score: s,
    dependentRole,
    primaryRole,
    nodeAttribute: nodeAttribute ?? "#uname",
    influence,
  };
  ws.colocations.push(c);
  insertSorted(dependent.consAsDependent, c, (x) => x.primary);
  insertSorted(primary.consAsPrimary, c, (x) => x.dependent);
}

function unpackColocation(ws: WorkingSet, c: ColocationConstraint): void {
  const s = score(c.score, 0);
  // a dependent's influence on its primary: the constraint's own, else the dependent's `critical`
  const influenceOf = (r: SRsc) => (c.influence !== undefined ? isTrue(c.influence, true) : r.critical);
  if (c.sets.length === 0) {
    const dep = findRsc(ws, c.rsc);
    const pri = findRsc(ws, c.withRsc);
    if (!dep || !pri) {
      warn(ws, `Ignoring constraint '${c.id}' because resource '${!dep ? c.rsc : c.withRsc}' does not exist`);
      return;
    }
    newColocation(ws, c.id, dep, pri, s, parseRole(c.rscRole), parseRole(c.withRscRole), c.nodeAttribute, influenceOf(dep));
    return;
  }
  // resource sets: within a sequential set, each member with the previous (see below); between sets, each set with the previous
  let lastSet: { rscs: SRsc[]; set: ResourceSet } | undefined;
  for (const set of c.sets) {
    const rscs = set.resources.map((id) => findRsc(ws, id)).filter((r): r is SRsc => !!r);
    const setScore = set.score !== undefined ? score(set.score, 0) : s;
    const role = parseRole(set.role);
    const sequential = isTrue(set.sequential, true);
    if (sequential && setScore > 0 && (set.ordering ?? "group").toLowerCase() !== "group") {
      // ordering="listed": each member with the next one instead (crm_simulate 2.1.5)
      for (let j = 1; j < rscs.length; j++) newColocation(ws, set.id, rscs[j - 1], rscs[j], setScore, role, role, c.nodeAttribute, influenceOf(rscs[j - 1]));
    } else if (sequential) {
      // each member with the previous one; at -INFINITY with every earlier one
      // (a chain of -INFINITY would let every other member share a node)
      for (let j = 1; j < rscs.length; j++)
        for (let i = setScore < 0 ? 0 : j - 1; i < j; i++) newColocation(ws, set.id, rscs[j], rscs[i], setScore, role, role, c.nodeAttribute, influenceOf(rscs[j]));
    }
    // non-sequential set: its members are not colocated with each other (crm_simulate 2.1.5, also at -INFINITY)
    if (lastSet) {
      const prev = lastSet;
      const prevRole = parseRole(prev.set.role);
      const prevSeq = isTrue(prev.set.sequential, true);
      // this set's members depend on the previous set
      const primaries = prevSeq ? prev.rscs.slice(-1) : prev.rscs;
      const dependents = sequential ? rscs.slice(0, 1) : rscs;
      for (const d of dependents)
        for (const p of primaries) newColocation(ws, c.id, d, p, s, role, prevRole, c.nodeAttribute, influenceOf(d));
    }
    lastSet = { rscs, set };
  }
}

// ---------------------------------------------------------------------------
// Order

function invert(task: string): string | undefined {
  switch (task) {
    case "start":
      return "stop";
    case "stop":
      return "start";
    case "promote":
      return "demote";
    case "demote":
      return "promote";
    case "promoted":
      return "demoted";
    case "demoted":
      return "promoted";
    case "running":
      return "stopped";
    case "stopped":
      return "running";
    default:
      return undefined;
  }
}

type Kind = "Mandatory" | "Optional" | "Serialize";

function kindOf(c: { orderKind?: string; score?: string }): Kind {
  if (c.orderKind) {
    const k = c.orderKind.toLowerCase();
    if (k === "optional") return "Optional";
    if (k === "serialize") return "Serialize";
    return "Mandatory";
  }
  if (c.score !== undefined) return score(c.score, 0) === 0 ? "Optional" : "Mandatory";
  return "Mandatory";
}

function flagsFor(kind: Kind, firstTask: string, symmetry: "asym" | "sym" | "inverse"): number {
  let f: number = O.optional;
  if (kind === "Serialize") f |= O.serialize;
  else if (kind === "Mandatory") {
    if (symmetry === "asym") f |= O.asymmetrical;
    else if (symmetry === "sym") {
      f |= O.impliesThen;
      if (firstTask === "start" || firstTask === "promote") f |= O.runnableLeft;
    } else {
      f |= O.impliesFirst;
      // a stop that cannot run blocks the stops ordered after it, unless it
      // holds nothing up (graph.ts holdsUp)
      f |= O.stopBlocksThen;
    }
  }
  return f;
}

export function newRscOrder(ws: WorkingSet, id: string, first: SRsc, firstTask: string, then: SRsc, thenTask: string, flags: number): void {
  ws.orders.push({ id, firstRsc: first, firstTask, thenRsc: then, thenTask, flags });
}

function unpackOrder(ws: WorkingSet, c: OrderConstraint): void {
  const kind = kindOf(c);
  const symmetrical = c.symmetrical !== undefined ? isTrue(c.symmetrical, true) : kind !== "Serialize";
  if (c.sets.length === 0) {
    const first = findRsc(ws, c.first);
    const then = findRsc(ws, c.then);
    if (!first || !then) {
      warn(ws, `Ignoring constraint '${c.id}' because resource '${!first ? c.first : c.then}' does not exist`);
      return;
    }
    const fa = (c.firstAction ?? "start").toLowerCase();
    const ta = (c.thenAction ?? fa).toLowerCase();
    orderPair(ws, c.id, first, fa, then, ta, kind, symmetrical, minimumFirstInstances(first, c.extraAttrs?.["require-all"]));
    return;
  }
  // resource sets
  let prev: { rscs: SRsc[]; set: ResourceSet } | undefined;
  for (const set of c.sets) {
    const rscs = set.resources.map((id) => findRsc(ws, id)).filter((r): r is SRsc => !!r);
    const action = (set.action ?? "start").toLowerCase();
    const sequential = isTrue(set.sequential, true);
    const setKind = set.kind ? kindOf({ orderKind: set.kind }) : kind;
    if (sequential) {
      for (let i = 1; i < rscs.length; i++) orderPair(ws, set.id, rscs[i - 1], action, rscs[i], action, setKind, symmetrical);
    }
    if (prev) {
      const pAction = (prev.set.action ?? "start").toLowerCase();
      const pSeq = isTrue(prev.set.sequential, true);
      const requireAll = isTrue(prev.set.requireAll, true);
      const firsts = pSeq ? prev.rscs.slice(-1) : prev.rscs;
      const thens = sequential ? rscs.slice(0, 1) : rscs;
      if (relaxesOrdering(requireAll, pAction)) {
        const flags = flagsFor(kind, pAction, symmetrical ? "sym" : "asym");
        oneOrMoreSetOrdering(ws, c.id, prev.set.id, prev.rscs, pAction, rscs, action, flags);
        // stops keep the reverse order, but one member stopping does not force the next set to stop
        if (symmetrical) for (const f of firsts) for (const t of thens) inverseOrder(ws, c.id, f, pAction, t, action, "Optional");
      } else {
        for (const f of firsts) for (const t of thens) orderPair(ws, c.id, f, pAction, t, action, kind, symmetrical);
      }
    }
    prev = { rscs, set };
  }
}

function orderPair(
  ws: WorkingSet,
  id: string,
  first: SRsc,
  fa: string,
  then: SRsc,
  ta: string,
  kind: Kind,
  symmetrical: boolean,
  cloneMin = 0,
): void {
  let flags = flagsFor(kind, fa, symmetrical ? "sym" : "asym");
  // legacy restart-type=restart upgrades an optional ordering to a recovery dependency
  if (kind === "Optional" && (then.meta["restart-type"] ?? "").toLowerCase() === "restart") flags |= O.impliesThen;
  if (cloneMin > 0) cloneMinOrdering(ws, id, first, fa, then, ta, flags, cloneMin);
  else newRscOrder(ws, id, first, fa, then, ta, flags);
  if (symmetrical) inverseOrder(ws, id, first, fa, then, ta, kind);
}

/** The reverse ordering a symmetrical "first fa, then ta" implies (then's inverse before first's). */
function inverseOrder(ws: WorkingSet, id: string, first: SRsc, fa: string, then: SRsc, ta: string, kind: Kind): void {
  const ifa = invert(fa);
  const ita = invert(ta);
  if (!ifa || !ita) return;
  let inv = flagsFor(kind, ita, "inverse");
  if (kind === "Optional" && (first.meta["restart-type"] ?? "").toLowerCase() === "restart") inv |= O.impliesFirst;
  newRscOrder(ws, id, then, ita, first, ifa, inv);
}
