// Look-ups over the CIB model: resources through groups and clones, nodes,
// constraints, node states, and every id in the configuration.
import type {
  Cib,
  CibNode,
  Clone,
  Constraint,
  Group,
  NodeState,
  NvSet,
  Operation,
  Primitive,
  RawXml,
  Resource,
  ResourceSet,
  Rule,
} from "./types";

export interface ResourceHit {
  resource: Resource;
  /** the group or clone directly holding it, if any */
  parent?: Group | Clone;
  /** the top-level resource (itself when top-level) */
  top: Resource;
}

/** Depth-first, document order: every resource with its parent and top-level ancestor. */
export function* walkResources(cib: Cib): Generator<ResourceHit> {
  for (const top of cib.configuration.resources) yield* walkFrom(top, undefined, top);
}

function* walkFrom(r: Resource, parent: Group | Clone | undefined, top: Resource): Generator<ResourceHit> {
  yield { resource: r, parent, top };
  if (r.kind === "group") for (const c of r.children) yield* walkFrom(c, r, top);
  else if (r.kind === "clone" && r.child) yield* walkFrom(r.child, r, top);
}

/** A resource by id at any depth (top-level, group member, clone child). */
export function findResource(cib: Cib, id: string): Resource | undefined {
  return findResourceHit(cib, id)?.resource;
}

export function findResourceHit(cib: Cib, id: string): ResourceHit | undefined {
  for (const hit of walkResources(cib)) if (hit.resource.id === id) return hit;
  return undefined;
}

/** A primitive by id at any depth. */
export function findPrimitive(cib: Cib, id: string): Primitive | undefined {
  const r = findResource(cib, id);
  return r?.kind === "primitive" ? r : undefined;
}

/** Ids of all resources at any depth, document order. */
export function allResourceIds(cib: Cib): string[] {
  return [...walkResources(cib)].map((h) => h.resource.id);
}

/** All primitives at any depth, document order. */
export function allPrimitives(cib: Cib): Primitive[] {
  const out: Primitive[] = [];
  for (const h of walkResources(cib)) if (h.resource.kind === "primitive") out.push(h.resource);
  return out;
}

export function findNodeByUname(cib: Cib, uname: string): CibNode | undefined {
  return cib.configuration.nodes.find((n) => n.uname === uname);
}

export function findNodeById(cib: Cib, id: string): CibNode | undefined {
  return cib.configuration.nodes.find((n) => n.id === id);
}

/** A node_state by node id or uname. */
export function findNodeState(cib: Cib, idOrUname: string): NodeState | undefined {
  return cib.status.find((s) => s.id === idOrUname) ?? cib.status.find((s) => s.uname === idOrUname);
}

export function findConstraint(cib: Cib, id: string): Constraint | undefined {
  return cib.configuration.constraints.find((c) => c.id === id);
}

/** Constraints that name a resource (directly, in a set, or as a with-rsc/then). */
export function constraintsForResource(cib: Cib, rscId: string): Constraint[] {
  return cib.configuration.constraints.filter((c) => constraintResourceRefs(c).includes(rscId));
}

/** Resource ids a constraint refers to (not rsc-pattern). Unsupported constraints: rsc attrs of the raw XML. */
export function constraintResourceRefs(c: Constraint): string[] {
  const out: string[] = [];
  const sets = c.kind === "unsupported" ? [] : c.sets;
  if (c.kind === "location") {
    if (c.rsc) out.push(c.rsc);
  } else if (c.kind === "colocation") {
    if (c.rsc) out.push(c.rsc);
    if (c.withRsc) out.push(c.withRsc);
  } else if (c.kind === "order") {
    if (c.first) out.push(c.first);
    if (c.then) out.push(c.then);
  } else {
    if (c.raw.attrs.rsc) out.push(c.raw.attrs.rsc);
    for (const ref of rawDescendants(c.raw)) if (ref.tag === "resource_ref" && ref.attrs.id) out.push(ref.attrs.id);
  }
  for (const s of sets) out.push(...s.resources);
  return out;
}

function* rawDescendants(x: RawXml): Generator<RawXml> {
  for (const c of x.children) {
    yield c;
    yield* rawDescendants(c);
  }
}

/** Elements whose id attribute refers to another element instead of defining one. */
const REFERENCE_TAGS = new Set(["resource_ref", "role", "role_ref", "obj_ref"]);

export interface IdSite {
  id: string;
  /** element tag where the id is defined, e.g. "primitive", "nvpair" */
  tag: string;
  /** the nearest enclosing element with an id (for messages) */
  parentId?: string;
}

/**
 * Every id defined in the configuration section (not id-ref uses), document order,
 * including ids inside raw (unknown) elements. Used for duplicate checks and unique new ids.
 */
export function configurationIdSites(cib: Cib): IdSite[] {
  const out: IdSite[] = [];
  const add = (id: string | undefined, tag: string, parentId?: string) => {
    if (id !== undefined) out.push({ id, tag, parentId });
  };
  const sets = (ss: NvSet[], tag: string, parentId?: string) => {
    for (const s of ss) {
      if (s.idRef !== undefined && !s.nvpairs.length) continue; // pure reference
      add(s.id, tag, parentId);
      if (s.rule) rule(s.rule, s.id);
      for (const p of s.nvpairs) if (!(p.idRef !== undefined && p.id === "")) add(p.id, "nvpair", s.id);
      for (const u of s.unknown ?? []) raw(u, s.id);
    }
  };
  const rule = (r: Rule, parentId?: string) => {
    if (r.idRef !== undefined) return;
    add(r.id, "rule", parentId);
    for (const e of r.expressions) {
      if (e.kind === "rule") rule(e, r.id);
      else {
        add(e.id, e.kind, r.id);
        if (e.kind === "date_expression") {
          if (e.dateSpec) add(e.dateSpec.id, "date_spec", e.id);
          if (e.duration) add(e.duration.id, "duration", e.id);
        }
      }
    }
  };
  const raw = (x: RawXml, parentId?: string) => {
    const isRef = x.attrs["id-ref"] !== undefined;
    if (x.attrs.id !== undefined && !isRef && !REFERENCE_TAGS.has(x.tag))
      add(x.attrs.id, x.tag, parentId);
    for (const c of x.children) raw(c, x.attrs.id ?? parentId);
  };
  const op = (o: Operation, parentId: string) => {
    add(o.id, "op", parentId);
    sets(o.instanceAttributes, "instance_attributes", o.id);
    sets(o.metaAttributes, "meta_attributes", o.id);
    for (const u of o.unknown ?? []) raw(u, o.id);
  };
  const resource = (r: Resource, parentId?: string) => {
    if (r.kind === "unsupported") {
      raw(r.raw, parentId);
      return;
    }
    add(r.id, r.kind === "clone" && r.legacyMaster ? "master" : r.kind, parentId);
    sets(r.metaAttributes, "meta_attributes", r.id);
    sets(r.instanceAttributes, "instance_attributes", r.id);
    if (r.kind === "primitive") {
      sets(r.utilization, "utilization", r.id);
      for (const o of r.operations) op(o, r.id);
    } else if (r.kind === "group") {
      for (const c of r.children) resource(c, r.id);
    } else if (r.kind === "clone") {
      if (r.child) resource(r.child, r.id); // tolerate a malformed model; validateCib reports it
    }
    for (const u of r.unknown ?? []) raw(u, r.id);
  };
  const c = cib.configuration;
  sets(c.crmConfig, "cluster_property_set");
  for (const n of c.nodes) {
    add(n.id, "node");
    sets(n.instanceAttributes, "instance_attributes", n.id);
    sets(n.utilization, "utilization", n.id);
    for (const u of n.unknown ?? []) raw(u, n.id);
  }
  for (const r of c.resources) resource(r);
  for (const k of c.constraints) {
    if (k.kind === "unsupported") {
      raw(k.raw);
      continue;
    }
    add(k.id, k.kind === "location" ? "rsc_location" : k.kind === "colocation" ? "rsc_colocation" : "rsc_order");
    for (const s of k.sets) if (s.idRef === undefined) add(s.id, "resource_set", k.id);
    if (k.kind === "location") for (const r of k.rules) rule(r, k.id);
  }
  sets(c.rscDefaults, "meta_attributes", "rsc_defaults");
  sets(c.opDefaults, "meta_attributes", "op_defaults");
  for (const u of c.unknown) raw(u);
  return out;
}

/** Set of all ids defined in the configuration (see configurationIdSites). */
export function allConfigIds(cib: Cib): Set<string> {
  return new Set(configurationIdSites(cib).map((s) => s.id));
}

/** Resource meta attribute helper: whether a clone is promotable (meta promotable=true or legacy <master>). */
export function isPromotableClone(r: Resource): boolean {
  if (r.kind !== "clone") return false;
  if (r.legacyMaster) return true;
  for (const s of r.metaAttributes) {
    const p = s.nvpairs.find((x) => x.name === "promotable");
    if (p) return /^(true|on|yes|y|1)$/i.test(p.value ?? "");
  }
  return false;
}

// ---------------------------------------------------------------------------
// id-ref resolution. Pacemaker lets a set, a rule or a resource_set be written once and
// referenced elsewhere with id-ref; the referenced element takes the reference's place.

/** Every nvset of the configuration (document order; id-ref forms included). */
export function allNvSets(cib: Cib): NvSet[] {
  const out: NvSet[] = [];
  const c = cib.configuration;
  out.push(...c.crmConfig);
  for (const n of c.nodes) out.push(...n.instanceAttributes, ...n.utilization);
  for (const { resource: r } of walkResources(cib)) {
    if (r.kind === "unsupported") continue;
    out.push(...r.metaAttributes, ...r.instanceAttributes);
    if (r.kind === "primitive") {
      out.push(...r.utilization);
      for (const o of r.operations) out.push(...o.instanceAttributes, ...o.metaAttributes);
    }
  }
  out.push(...c.rscDefaults, ...c.opDefaults);
  return out;
}

/** Every rule of the configuration, nested ones included (document order). */
export function allRules(cib: Cib): Rule[] {
  const out: Rule[] = [];
  const visit = (r: Rule) => {
    out.push(r);
    for (const e of r.expressions) if (e.kind === "rule") visit(e);
  };
  for (const s of allNvSets(cib)) if (s.rule) visit(s.rule);
  for (const k of cib.configuration.constraints) if (k.kind === "location") k.rules.forEach(visit);
  return out;
}

/** The nvset defined (not referenced) with this id. */
export function findNvSetById(cib: Cib, id: string): NvSet | undefined {
  return allNvSets(cib).find((s) => s.id === id && s.idRef === undefined);
}

/** The rule defined (not referenced) with this id. */
export function findRuleById(cib: Cib, id: string): Rule | undefined {
  return allRules(cib).find((r) => r.id === id && r.idRef === undefined);
}

/** The resource_set defined (not referenced) with this id. */
export function findResourceSetById(cib: Cib, id: string): ResourceSet | undefined {
  for (const k of cib.configuration.constraints)
    if (k.kind !== "unsupported") for (const s of k.sets) if (s.id === id && s.idRef === undefined) return s;
  return undefined;
}

/** Sets with every id-ref replaced by the set it names (unresolvable references stay as they are). */
export function resolveNvSets(cib: Cib, sets: readonly NvSet[]): NvSet[] {
  return sets.map((s) => (s.idRef !== undefined ? (findNvSetById(cib, s.idRef) ?? s) : s));
}

/** The rule itself, or the rule its id-ref names (nested references resolved too; cycles left unresolved). */
export function resolveRule(cib: Cib, rule: Rule, seen: ReadonlySet<string> = new Set()): Rule {
  const target = rule.idRef !== undefined ? findRuleById(cib, rule.idRef) : rule;
  if (!target || seen.has(target.id)) return rule;
  if (!target.expressions.some((e) => e.kind === "rule")) return target;
  const inner = new Set(seen).add(target.id);
  const expressions = target.expressions.map((e) => (e.kind === "rule" ? resolveRule(cib, e, inner) : e));
  return expressions.every((e, i) => e === target.expressions[i]) ? target : { ...target, expressions };
}

/** The set itself, or the resource_set its id-ref names. */
export function resolveResourceSet(cib: Cib, set: ResourceSet): ResourceSet {
  return set.idRef !== undefined ? (findResourceSetById(cib, set.idRef) ?? set) : set;
}
