// pcs constraint location|colocation|order|delete and resource move|ban|clear
// (which are location constraints named cli-prefer-R / cli-ban-R-on-N).
import { CibError } from "../errors";
import { findConstraint, findResourceHit } from "../find";
import { uniqueId } from "../nvset";
import { allConfigIds } from "../find";
import type { Cib, ColocationConstraint, Constraint, LocationConstraint, OrderConstraint, Rule } from "../types";
import { parseDuration } from "../values";
import type { OpsContext, OpResult } from "./context";
import { parseRuleExpression } from "./rule";
import { checkId, checkNewId, checkScore, normScore, requireNode, requireResource, withConfig } from "./util";

const ACTIONS = ["start", "stop", "promote", "demote"];
const ROLES = ["Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"];

function duplicate(kind: string, c: Constraint): never {
  throw new CibError(`duplicate constraint already exists (${c.id}), use --force to override`, {
    field: kind,
    elementId: c.id,
    code: "duplicate-constraint",
  });
}

function addConstraint(cib: Cib, c: Constraint): Cib {
  return withConfig(cib, { constraints: [...cib.configuration.constraints, c] });
}

function newId(cib: Cib, given: string | undefined, base: string, field = "id"): string {
  if (given !== undefined) {
    checkNewId(cib, given, field, "constraint id");
    return given;
  }
  return uniqueId(base.replace(/[^A-Za-z0-9_.\-]/g, "_"), allConfigIds(cib));
}

export function constraintLocation(
  cib: Cib,
  a: { rsc: string; node: string; score?: string; id?: string },
  ctx: OpsContext = {},
): OpResult {
  requireResource(cib, a.rsc, "rsc");
  const warnings: string[] = [];
  if (!cib.configuration.nodes.some((n) => n.uname === a.node)) {
    if (!ctx.force) throw new CibError(`Node '${a.node}' does not seem to be in the cluster, use --force to override`, { field: "node", elementId: a.node });
    warnings.push(`Node '${a.node}' does not seem to be in the cluster`);
  }
  const score = normScore(a.score ?? "INFINITY");
  checkScore(score);
  const dup = cib.configuration.constraints.find(
    (c) => c.kind === "location" && c.rsc === a.rsc && c.node === a.node && !c.rules.length && !c.role,
  );
  // pcs replaces an existing plain rsc+node location constraint
  if (dup) cib = withConfig(cib, { constraints: cib.configuration.constraints.filter((c) => c !== dup) });
  const id = newId(cib, a.id, `location-${a.rsc}-${a.node}-${score}`);
  const c: LocationConstraint = { kind: "location", id, rsc: a.rsc, node: a.node, score, rules: [], sets: [] };
  return { cib: addConstraint(cib, c), message: "", warnings };
}

export function constraintLocationRule(
  cib: Cib,
  a: { rsc: string; expression: string[]; score?: string; scoreAttribute?: string; role?: string; id?: string },
): OpResult {
  requireResource(cib, a.rsc, "rsc");
  if (a.score !== undefined && a.scoreAttribute !== undefined) throw new CibError("give score or score-attribute, not both", { field: "score" });
  const score = a.scoreAttribute !== undefined ? undefined : normScore(a.score ?? "INFINITY");
  if (score !== undefined) checkScore(score);
  if (a.role !== undefined && !ROLES.includes(a.role)) throw new CibError(`'${a.role}' is not a valid role, use ${ROLES.slice(0, 4).join(", ")}`, { field: "role" });
  const id = newId(cib, a.id, `location-${a.rsc}`);
  const used = allConfigIds(cib);
  const ruleId = uniqueId(`${id}-rule`, used);
  const rule = parseRuleExpression(a.expression, ruleId);
  if (score !== undefined) rule.score = score;
  if (a.scoreAttribute !== undefined) rule.scoreAttribute = a.scoreAttribute;
  if (a.role !== undefined) rule.role = a.role;
  const c: LocationConstraint = { kind: "location", id, rsc: a.rsc, rules: [rule], sets: [] };
  return { cib: addConstraint(cib, c), message: "", warnings: [] };
}

export function constraintColocation(
  cib: Cib,
  a: { rsc: string; withRsc: string; score?: string; rscRole?: string; withRscRole?: string; id?: string },
  ctx: OpsContext = {},
): OpResult {
  requireResource(cib, a.rsc, "rsc");
  requireResource(cib, a.withRsc, "withRsc");
  if (a.rsc === a.withRsc) throw new CibError(`Cannot colocate '${a.rsc}' with itself`, { field: "withRsc" });
  const score = normScore(a.score ?? "INFINITY");
  checkScore(score);
  for (const [f, r] of [["rscRole", a.rscRole], ["withRscRole", a.withRscRole]] as const) {
    if (r !== undefined && !ROLES.includes(r)) throw new CibError(`'${r}' is not a valid role, use ${ROLES.slice(0, 4).join(", ")}`, { field: f });
  }
  const dup = cib.configuration.constraints.find(
    (c) => c.kind === "colocation" && ((c.rsc === a.rsc && c.withRsc === a.withRsc) || (c.rsc === a.withRsc && c.withRsc === a.rsc)),
  );
  if (dup && !ctx.force) duplicate("colocation", dup);
  const id = newId(cib, a.id, `colocation-${a.rsc}-${a.withRsc}-${score}`);
  const c: ColocationConstraint = { kind: "colocation", id, rsc: a.rsc, withRsc: a.withRsc, score, sets: [] };
  if (a.rscRole) c.rscRole = a.rscRole;
  if (a.withRscRole) c.withRscRole = a.withRscRole;
  return { cib: addConstraint(cib, c), message: "", warnings: [] };
}

export function constraintOrder(
  cib: Cib,
  a: { first: string; then: string; firstAction?: string; thenAction?: string; kind?: string; symmetrical?: string; id?: string },
  ctx: OpsContext = {},
): OpResult {
  requireResource(cib, a.first, "first");
  requireResource(cib, a.then, "then");
  if (a.first === a.then) throw new CibError(`'${a.first}' cannot be ordered after itself`, { field: "then" });
  const firstAction = a.firstAction ?? "start";
  const thenAction = a.thenAction ?? firstAction;
  for (const [f, v] of [["firstAction", firstAction], ["thenAction", thenAction]] as const) {
    if (!ACTIONS.includes(v)) throw new CibError(`'${v}' is not a valid action, use ${ACTIONS.join(", ")}`, { field: f });
  }
  const kind = a.kind ?? "Mandatory";
  if (!["Mandatory", "Optional", "Serialize"].includes(kind)) throw new CibError(`'${kind}' is not a valid kind value, use Mandatory, Optional, Serialize`, { field: "kind" });
  if (a.symmetrical !== undefined && !/^(true|false)$/.test(a.symmetrical)) throw new CibError(`'${a.symmetrical}' is not a valid symmetrical value, use true or false`, { field: "symmetrical" });
  const dup = cib.configuration.constraints.find((c) => c.kind === "order" && c.first === a.first && c.then === a.then);
  if (dup && !ctx.force) duplicate("order", dup);
  const id = newId(cib, a.id, `order-${a.first}-${a.then}-${kind.toLowerCase()}`);
  const c: OrderConstraint = { kind: "order", id, first: a.first, then: a.then, firstAction, thenAction, sets: [] };
  if (kind !== "Mandatory") c.orderKind = kind;
  if (a.symmetrical !== undefined) c.symmetrical = a.symmetrical;
  const opts = [`first-action=${firstAction}`, `then-action=${thenAction}`];
  if (a.symmetrical !== undefined) opts.push(`symmetrical=${a.symmetrical}`);
  return {
    cib: addConstraint(cib, c),
    message: `Adding ${a.first} ${a.then} (kind: ${kind}) (Options: ${opts.join(" ")})`,
    warnings: [],
  };
}

export function constraintDelete(cib: Cib, id: string): OpResult {
  if (!findConstraint(cib, id)) throw new CibError(`Unable to find constraint - '${id}'`, { field: "id", elementId: id, code: "unknown-constraint" });
  return { cib: withConfig(cib, { constraints: cib.configuration.constraints.filter((c) => c.id !== id) }), message: "", warnings: [] };
}

/** ISO 8601 "YYYY-MM-DD HH:MM:SS +00:00" as crm_resource writes lifetimes. */
function isoEnd(epochSec: number): string {
  const d = new Date(epochSec * 1000).toISOString(); // 2026-12-02T03:00:00.000Z
  return `${d.slice(0, 10)} ${d.slice(11, 19)} +00:00`;
}

function lifetimeRule(cib: Cib, prefix: string, node: string, score: string, lifetime: string, now: number): Rule {
  let ms: number;
  try {
    ms = parseDuration(lifetime.toUpperCase().startsWith("P") ? lifetime : `PT${lifetime.toUpperCase()}`);
  } catch {
    throw new CibError(`'${lifetime}' is not a valid lifetime: use an ISO 8601 duration such as PT1H or P1D`, { field: "lifetime" });
  }
  const used = allConfigIds(cib);
  const rid = uniqueId(`${prefix}-rule`, used);
  return {
    kind: "rule",
    id: rid,
    score,
    booleanOp: "and",
    expressions: [
      { kind: "expression", id: `${rid}-expr`, attribute: "#uname", operation: "eq", value: node, type: "string" },
      { kind: "date_expression", id: `${rid}-lifetime`, operation: "lt", end: isoEnd(now + Math.floor(ms / 1000)) },
    ],
  };
}

function cliLocation(cib: Cib, id: string, rsc: string, node: string, score: string, lifetime: string | undefined, ctx: OpsContext): Cib {
  const constraints = cib.configuration.constraints.filter((c) => c.id !== id);
  const base = withConfig(cib, { constraints });
  const c: LocationConstraint = lifetime
    ? { kind: "location", id, rsc, role: "Started", rules: [lifetimeRule(base, id, node, score, lifetime, ctx.now ?? Math.floor(Date.now() / 1000))], sets: [] }
    : { kind: "location", id, rsc, role: "Started", node, score, rules: [], sets: [] };
  return addConstraint(base, c);
}

function activeNodes(ctx: OpsContext, rsc: string): string[] {
  const find = (list: NonNullable<OpsContext["state"]>["resources"]): string[] => {
    for (const r of list) {
      if (r.id === rsc) {
        const own = r.active.map((a) => a.node);
        const kids = r.children.flatMap((c) => c.active.map((a) => a.node).concat(find(c.children)));
        return [...new Set([...own, ...kids])];
      }
      const inner = find(r.children);
      if (inner.length) return inner;
    }
    return [];
  };
  return ctx.state ? find(ctx.state.resources) : [];
}

/** pcs resource move R [node] [lifetime=]: prefer the node (cli-prefer-R, INFINITY); without a node, ban the current one. */
export function resourceMove(cib: Cib, a: { id: string; node?: string; lifetime?: string }, ctx: OpsContext = {}): OpResult {
  requireResource(cib, a.id);
  if (a.node === undefined) {
    const r = resourceBan(cib, a, ctx);
    return { ...r, message: r.message.replace(/^Warning: /, "") };
  }
  requireNode(cib, a.node);
  const id = `cli-prefer-${a.id}`;
  checkId(id, "id");
  const next = cliLocation(cib, id, a.id, a.node, "INFINITY", a.lifetime, ctx);
  return {
    cib: next,
    message: "",
    warnings: [`Creating location constraint '${id}' with a score of INFINITY for resource ${a.id} on ${a.node}. This will prevent ${a.id} from running anywhere else until the constraint is removed with 'vigil resource clear ${a.id}'`],
  };
}

/** pcs resource ban R [node] [lifetime=]: cli-ban-R-on-N (-INFINITY); without a node, the node(s) it runs on now. */
export function resourceBan(cib: Cib, a: { id: string; node?: string; lifetime?: string }, ctx: OpsContext = {}): OpResult {
  requireResource(cib, a.id);
  let nodes: string[];
  if (a.node !== undefined) {
    requireNode(cib, a.node);
    nodes = [a.node];
  } else {
    nodes = activeNodes(ctx, a.id);
    if (!nodes.length) throw new CibError(`Resource '${a.id}' is not running on any node; name the node to ban it from`, { field: "node" });
    if (nodes.length > 1) throw new CibError(`Resource '${a.id}' is active on more than one node (${nodes.join(", ")}); name the node`, { field: "node" });
  }
  let next = cib;
  const warnings: string[] = [];
  for (const n of nodes) {
    const id = `cli-ban-${a.id}-on-${n}`;
    next = cliLocation(next, id, a.id, n, "-INFINITY", a.lifetime, ctx);
    warnings.push(
      `Creating location constraint '${id}' with a score of -INFINITY for resource ${a.id} on ${n}. This will prevent ${a.id} from running on ${n} until the constraint is removed with 'vigil resource clear ${a.id}'`,
    );
  }
  return { cib: next, message: "", warnings };
}

/** pcs resource clear R [node]: removes the cli-prefer / cli-ban constraints. */
export function resourceClear(cib: Cib, a: { id: string; node?: string }): OpResult {
  if (!findResourceHit(cib, a.id)) requireResource(cib, a.id);
  if (a.node !== undefined) requireNode(cib, a.node);
  const removed: string[] = [];
  const constraints = cib.configuration.constraints.filter((c) => {
    if (c.kind !== "location" || c.rsc !== a.id) return true;
    const prefer = c.id === `cli-prefer-${a.id}`;
    const ban = c.id.startsWith(`cli-ban-${a.id}-on-`);
    if (!prefer && !ban) return true;
    if (a.node !== undefined) {
      const cNode = c.node ?? (c.rules[0]?.expressions.find((e) => e.kind === "expression") as { value?: string } | undefined)?.value;
      if (cNode !== a.node) return true;
    }
    removed.push(c.id);
    return false;
  });
  const message = removed.length ? removed.map((r) => `Removing constraint: ${r}`).join("\n") : "";
  return { cib: withConfig(cib, { constraints }), message, warnings: [] };
}
