// Semantic checks of a CIB model beyond what the XML parser enforces: ids, references,
// enumerated values, scores and durations. Checks what Pacemaker would refuse or ignore
// with a configuration error, so a change that passes here is one Pacemaker accepts.
import { CibError } from "./errors";
import { allNvSets, allRules, configurationIdSites, findNvSetById, findResourceSetById, findRuleById } from "./find";
import type {
  Cib,
  Constraint,
  NvSet,
  Operation,
  Primitive,
  RawXml,
  Resource,
  ResourceSet,
  Rule,
} from "./types";
import { isValidDuration, isValidScore } from "./values";

export interface CibProblem {
  message: string;
  elementId?: string;
  field?: string;
  code: string;
}

/** Resource classes Pacemaker 2.1 knows. */
export const RESOURCE_CLASSES = ["ocf", "lsb", "systemd", "service", "stonith", "upstart", "nagios"] as const;
const ORDER_KINDS = new Set(["Mandatory", "Optional", "Serialize"]);
const ROLES = new Set(["Stopped", "Started", "Promoted", "Unpromoted", "Master", "Slave"]);
const ACTIONS = new Set(["start", "stop", "promote", "demote"]);
const BOOLEAN_OPS = new Set(["and", "or"]);
const EXPR_OPS = new Set(["lt", "gt", "lte", "gte", "eq", "ne", "defined", "not_defined"]);
const EXPR_TYPES = new Set(["string", "integer", "number", "version"]);
const VALUE_SOURCES = new Set(["literal", "param", "meta"]);
const DATE_OPS = new Set(["in_range", "gt", "lt", "date_spec"]);
const ON_FAIL = new Set(["ignore", "block", "stop", "restart", "standby", "fence", "demote", "restart-container", "reset"]);
const DISCOVERY = new Set(["always", "never", "exclusive"]);
const BOOLEAN_WORDS = /^(true|false|on|off|yes|no|y|n|1|0)$/i;

/** Every problem found, in document order (empty when the CIB is fine). */
export function listCibProblems(cib: Cib): CibProblem[] {
  const problems: CibProblem[] = [];
  const add = (code: string, message: string, elementId?: string, field?: string) =>
    problems.push({ code, message, elementId, field });

  checkDuplicateIds(cib, add);

  const resourceIds = new Set<string>();
  const collect = (r: Resource) => {
    resourceIds.add(r.id);
    if (r.kind === "group") r.children.forEach(collect);
    else if (r.kind === "clone" && r.child) collect(r.child);
    else if (r.kind === "unsupported") rawPrimitiveIds(r.raw, resourceIds);
  };
  cib.configuration.resources.forEach(collect);
  // Pacemaker lets constraints name a tag (expanded to its members).
  const tagIds = new Set<string>();
  for (const u of cib.configuration.unknown)
    if (u.tag === "tags") for (const t of u.children) if (t.tag === "tag" && t.attrs.id) tagIds.add(t.attrs.id);

  for (const s of cib.configuration.crmConfig) checkNvSet(s, "cluster_property_set", add);
  for (const n of cib.configuration.nodes) {
    if (n.score !== undefined) checkScore(n.score, `node "${n.uname}"`, n.id, add);
    if (n.type !== undefined && !["member", "normal", "remote", "ping"].includes(n.type))
      add("bad-value", `node "${n.uname}": unknown type "${n.type}" (expected member, remote or ping)`, n.id, "type");
    n.instanceAttributes.forEach((s) => checkNvSet(s, "instance_attributes", add));
    n.utilization.forEach((s) => checkNvSet(s, "utilization", add));
  }
  for (const r of cib.configuration.resources) checkResource(r, undefined, add);
  for (const c of cib.configuration.constraints) checkConstraint(c, resourceIds, tagIds, add);
  cib.configuration.rscDefaults.forEach((s) => checkNvSet(s, "rsc_defaults meta_attributes", add));
  cib.configuration.opDefaults.forEach((s) => checkNvSet(s, "op_defaults meta_attributes", add));
  checkIdRefs(cib, add);
  return problems;
}

/**
 * Throw a CibError if the CIB has any problem. The message names every problem (one per
 * line when there are several); details point at the first one.
 */
export function validateCib(cib: Cib): void {
  const problems = listCibProblems(cib);
  if (!problems.length) return;
  const first = problems[0];
  const message =
    problems.length === 1
      ? first.message
      : `${problems.length} problems in the CIB:\n${problems.map((p) => `- ${p.message}`).join("\n")}`;
  throw new CibError(message, { elementId: first.elementId, field: first.field, code: first.code });
}

type Add = (code: string, message: string, elementId?: string, field?: string) => void;

function checkDuplicateIds(cib: Cib, add: Add): void {
  const seen = new Map<string, string>();
  for (const site of configurationIdSites(cib)) {
    const where = `<${site.tag}>${site.parentId !== undefined ? ` in "${site.parentId}"` : ""}`;
    if (site.id === "") {
      add("missing-id", `${where} has an empty id`, undefined, "id");
      continue;
    }
    const prev = seen.get(site.id);
    if (prev !== undefined) add("duplicate-id", `duplicate id "${site.id}": used by ${prev} and by ${where}`, site.id, "id");
    else seen.set(site.id, where);
  }
}

// An id-ref must name an element of the same kind that is defined somewhere in the configuration.
function checkIdRefs(cib: Cib, add: Add): void {
  const sets = allNvSets(cib);
  const nvpairIds = new Set(sets.flatMap((s) => s.nvpairs.filter((p) => p.idRef === undefined).map((p) => p.id)));
  for (const s of sets) {
    if (s.idRef !== undefined && !findNvSetById(cib, s.idRef))
      add("unknown-id-ref", `id-ref "${s.idRef}" names no attribute set`, s.idRef, "id-ref");
    for (const p of s.nvpairs)
      if (p.idRef !== undefined && !nvpairIds.has(p.idRef))
        add("unknown-id-ref", `nvpair id-ref "${p.idRef}" in "${s.id}" names no nvpair`, p.idRef, "id-ref");
  }
  for (const r of allRules(cib))
    if (r.idRef !== undefined && !findRuleById(cib, r.idRef))
      add("unknown-id-ref", `rule id-ref "${r.idRef}" names no rule`, r.idRef, "id-ref");
  for (const k of cib.configuration.constraints) {
    if (k.kind === "unsupported") continue;
    for (const s of k.sets)
      if (s.idRef !== undefined && !findResourceSetById(cib, s.idRef))
        add("unknown-id-ref", `resource_set id-ref "${s.idRef}" in "${k.id}" names no resource_set`, k.id, "id-ref");
  }
}

function rawPrimitiveIds(x: RawXml, out: Set<string>): void {
  for (const c of x.children) {
    if (c.tag === "primitive" && c.attrs.id) out.add(c.attrs.id);
    rawPrimitiveIds(c, out);
  }
}

function checkScore(score: string, what: string, id: string | undefined, add: Add): void {
  if (!isValidScore(score))
    add("bad-score", `${what}: invalid score "${score}" (expected an integer, INFINITY, +INFINITY or -INFINITY)`, id, "score");
}

function checkEnum(value: string | undefined, allowed: Set<string>, what: string, field: string, id: string | undefined, add: Add) {
  if (value !== undefined && !allowed.has(value))
    add("bad-value", `${what}: invalid ${field} "${value}" (expected ${[...allowed].join(", ")})`, id, field);
}

function checkBool(value: string | undefined, what: string, field: string, id: string | undefined, add: Add) {
  if (value !== undefined && !BOOLEAN_WORDS.test(value.trim()))
    add("bad-value", `${what}: invalid ${field} "${value}" (expected true or false)`, id, field);
}

function checkNvSet(s: NvSet, what: string, add: Add): void {
  const label = `${what} "${s.id || s.idRef}"`;
  if (s.score !== undefined) checkScore(s.score, label, s.id, add);
  if (s.rule) checkRule(s.rule, add);
  for (const p of s.nvpairs) if (p.idRef === undefined && p.name === "") add("bad-value", `nvpair "${p.id}" has no name`, p.id, "name");
}

function checkRule(r: Rule, add: Add): void {
  if (r.idRef !== undefined) return;
  const what = `rule "${r.id}"`;
  if (r.score !== undefined) checkScore(r.score, what, r.id, add);
  if (r.score !== undefined && r.scoreAttribute !== undefined)
    add("bad-value", `${what}: has both score and score-attribute`, r.id, "score-attribute");
  checkEnum(r.booleanOp, BOOLEAN_OPS, what, "boolean-op", r.id, add);
  checkEnum(r.role, ROLES, what, "role", r.id, add);
  if (!r.expressions.length) add("bad-value", `${what}: has no expressions`, r.id, "expressions");
  for (const e of r.expressions) {
    if (e.kind === "rule") checkRule(e, add);
    else if (e.kind === "expression") {
      const w = `expression "${e.id}"`;
      checkEnum(e.operation, EXPR_OPS, w, "operation", e.id, add);
      checkEnum(e.type, EXPR_TYPES, w, "type", e.id, add);
      checkEnum(e.valueSource, VALUE_SOURCES, w, "value-source", e.id, add);
      if (e.operation !== "defined" && e.operation !== "not_defined" && e.value === undefined)
        add("bad-value", `${w}: operation "${e.operation}" needs a value`, e.id, "value");
    } else if (e.kind === "date_expression") {
      const w = `date_expression "${e.id}"`;
      checkEnum(e.operation, DATE_OPS, w, "operation", e.id, add);
      if (e.operation === "gt" && e.start === undefined) add("bad-value", `${w}: operation "gt" needs start`, e.id, "start");
      if (e.operation === "lt" && e.end === undefined) add("bad-value", `${w}: operation "lt" needs end`, e.id, "end");
      if (e.operation === "in_range" && e.start === undefined && e.end === undefined)
        add("bad-value", `${w}: operation "in_range" needs start or end`, e.id, "start");
      if (e.operation === "date_spec" && !e.dateSpec)
        add("bad-value", `${w}: operation "date_spec" needs a <date_spec>`, e.id, "date_spec");
    }
  }
}

function checkOp(o: Operation, owner: string, add: Add): void {
  const what = `operation "${o.id}" of "${owner}"`;
  if (!isValidDuration(o.interval))
    add("bad-duration", `${what}: invalid interval "${o.interval}" (e.g. "10", "10s", "500ms", "1min", "PT10S")`, o.id, "interval");
  if (o.timeout !== undefined && !isValidDuration(o.timeout))
    add("bad-duration", `${what}: invalid timeout "${o.timeout}" (e.g. "20", "20s", "1min")`, o.id, "timeout");
  if (o.startDelay !== undefined && !isValidDuration(o.startDelay))
    add("bad-duration", `${what}: invalid start-delay "${o.startDelay}"`, o.id, "start-delay");
  checkEnum(o.role, ROLES, what, "role", o.id, add);
  checkEnum(o.onFail, ON_FAIL, what, "on-fail", o.id, add);
  checkBool(o.enabled, what, "enabled", o.id, add);
  checkBool(o.recordPending, what, "record-pending", o.id, add);
  o.instanceAttributes.forEach((s) => checkNvSet(s, "instance_attributes", add));
  o.metaAttributes.forEach((s) => checkNvSet(s, "meta_attributes", add));
  for (const s of o.metaAttributes)
    for (const p of s.nvpairs)
      if ((p.name === "timeout" || p.name === "interval") && p.value !== undefined && !isValidDuration(p.value))
        add("bad-duration", `${what}: invalid ${p.name} "${p.value}" in meta_attributes`, p.id, p.name);
}

function checkPrimitive(p: Primitive, add: Add): void {
  const what = `primitive "${p.id}"`;
  if (p.template === undefined) {
    if (!(RESOURCE_CLASSES as readonly string[]).includes(p.class))
      add("bad-class", `${what}: unknown resource class "${p.class}" (expected ${RESOURCE_CLASSES.join(", ")})`, p.id, "class");
    if (p.class === "ocf" && !p.provider) add("bad-value", `${what}: class "ocf" needs a provider`, p.id, "provider");
    if (!p.type) add("bad-value", `${what}: has no type`, p.id, "type");
  }
  p.instanceAttributes.forEach((s) => checkNvSet(s, "instance_attributes", add));
  p.metaAttributes.forEach((s) => checkNvSet(s, "meta_attributes", add));
  p.utilization.forEach((s) => checkNvSet(s, "utilization", add));
  for (const o of p.operations) checkOp(o, p.id, add);
}

function checkResource(r: Resource, parent: Resource | undefined, add: Add): void {
  if (r.kind === "primitive") return checkPrimitive(r, add);
  if (r.kind === "unsupported") return;
  r.metaAttributes.forEach((s) => checkNvSet(s, "meta_attributes", add));
  r.instanceAttributes.forEach((s) => checkNvSet(s, "instance_attributes", add));
  if (r.kind === "group") {
    if (parent?.kind === "group") add("bad-group-member", `group "${r.id}" cannot be inside group "${parent.id}"`, r.id);
    if (!r.children.length) add("bad-group-member", `group "${r.id}" has no members`, r.id, "children");
    for (const c of r.children) {
      if (c?.kind !== "primitive")
        add("bad-group-member", `group "${r.id}": member "${(c as Resource | undefined)?.id}" is a ${(c as Resource | undefined)?.kind ?? "missing resource"}, but group members must be primitives`, r.id, "children");
      else checkPrimitive(c, add);
    }
  } else if (r.kind === "clone") {
    const children = Array.isArray(r.child) ? (r.child as Resource[]) : r.child ? [r.child] : [];
    if (children.length !== 1)
      add("bad-clone-child", `clone "${r.id}" must have exactly one child (has ${children.length})`, r.id, "child");
    for (const c of children) {
      if (c.kind !== "primitive" && c.kind !== "group")
        add("bad-clone-child", `clone "${r.id}": child "${c.id}" is a ${c.kind}; a clone holds a primitive or a group`, r.id, "child");
      else checkResource(c, r, add);
    }
  }
}

function checkSet(s: ResourceSet, owner: string, resources: Set<string>, tags: Set<string>, add: Add, kind: string): void {
  const what = `resource_set "${s.id || s.idRef}" of ${owner}`;
  if (s.score !== undefined) checkScore(s.score, what, s.id, add);
  checkBool(s.sequential, what, "sequential", s.id, add);
  checkBool(s.requireAll, what, "require-all", s.id, add);
  checkEnum(s.role, ROLES, what, "role", s.id, add);
  checkEnum(s.action, ACTIONS, what, "action", s.id, add);
  checkEnum(s.kind, ORDER_KINDS, what, "kind", s.id, add);
  checkEnum(s.ordering, new Set(["group", "listed"]), what, "ordering", s.id, add);
  if (s.idRef === undefined && !s.resources.length && kind !== "unsupported")
    add("bad-value", `${what}: has no resource_ref`, s.id, "resources");
  for (const ref of s.resources)
    if (!resources.has(ref) && !tags.has(ref))
      add("unknown-resource", `${what}: resource "${ref}" does not exist`, s.id, "resource_ref");
}

function checkConstraint(c: Constraint, resources: Set<string>, tags: Set<string>, add: Add): void {
  const ref = (id: string | undefined, field: string, what: string) => {
    if (id !== undefined && !resources.has(id) && !tags.has(id))
      add("unknown-resource", `${what}: resource "${id}" does not exist`, c.id, field);
  };
  if (c.kind === "unsupported") {
    ref(c.raw.attrs.rsc, "rsc", `${c.tag} "${c.id}"`);
    return;
  }
  if (c.kind === "location") {
    const what = `rsc_location "${c.id}"`;
    ref(c.rsc, "rsc", what);
    if (c.rscPattern !== undefined) {
      try {
        new RegExp(c.rscPattern);
      } catch {
        add("bad-value", `${what}: rsc-pattern "${c.rscPattern}" is not a valid regular expression`, c.id, "rsc-pattern");
      }
    }
    if (c.rsc === undefined && c.rscPattern === undefined && !c.sets.length)
      add("bad-value", `${what}: names no resource (rsc, rsc-pattern or resource_set)`, c.id, "rsc");
    if (c.score !== undefined) checkScore(c.score, what, c.id, add);
    if (c.node !== undefined && c.score === undefined && !c.rules.length)
      add("bad-value", `${what}: node "${c.node}" needs a score`, c.id, "score");
    if (c.node === undefined && !c.rules.length)
      add("bad-value", `${what}: needs a node and score, or a rule`, c.id, "node");
    checkEnum(c.role, ROLES, what, "role", c.id, add);
    checkEnum(c.resourceDiscovery, DISCOVERY, what, "resource-discovery", c.id, add);
    for (const r of c.rules) checkRule(r, add);
    for (const s of c.sets) checkSet(s, what, resources, tags, add, c.kind);
  } else if (c.kind === "colocation") {
    const what = `rsc_colocation "${c.id}"`;
    ref(c.rsc, "rsc", what);
    ref(c.withRsc, "with-rsc", what);
    if (!c.sets.length && (c.rsc === undefined || c.withRsc === undefined))
      add("bad-value", `${what}: needs rsc and with-rsc, or resource sets`, c.id, c.rsc === undefined ? "rsc" : "with-rsc");
    if (c.score !== undefined) checkScore(c.score, what, c.id, add);
    checkEnum(c.rscRole, ROLES, what, "rsc-role", c.id, add);
    checkEnum(c.withRscRole, ROLES, what, "with-rsc-role", c.id, add);
    checkBool(c.influence, what, "influence", c.id, add);
    for (const s of c.sets) checkSet(s, what, resources, tags, add, c.kind);
  } else {
    const what = `rsc_order "${c.id}"`;
    ref(c.first, "first", what);
    ref(c.then, "then", what);
    if (!c.sets.length && (c.first === undefined || c.then === undefined))
      add("bad-value", `${what}: needs first and then, or resource sets`, c.id, c.first === undefined ? "first" : "then");
    checkEnum(c.orderKind, ORDER_KINDS, what, "kind", c.id, add);
    if (c.score !== undefined) checkScore(c.score, what, c.id, add);
    checkEnum(c.firstAction, ACTIONS, what, "first-action", c.id, add);
    checkEnum(c.thenAction, ACTIONS, what, "then-action", c.id, add);
    checkBool(c.symmetrical, what, "symmetrical", c.id, add);
    for (const s of c.sets) checkSet(s, what, resources, tags, add, c.kind);
  }
}
