// pcs-semantics resource operations: create, delete, enable/disable, manage,
// update, meta, op add/delete, cleanup. Pure: (cib, args, ctx) -> new cib.
import { CibError } from "../errors";
import { checkOpName, checkOpOption } from "./op-options";
export { OP_ATTRS, OP_NAMES, ON_FAIL, ROLES } from "./op-options";
import { allConfigIds, constraintResourceRefs, findResourceHit, walkResources } from "../find";
import { nvSet, nvUnset, uniqueId } from "../nvset";
import type { Cib, Constraint, Group, NvSet, Operation, Primitive, Resource } from "../types";
import type { OpSpec } from "../../api/contract";
import { cleanupResource } from "../../controller/record";
import { resourceClone } from "./group";
import type { AgentCatalog, OpsContext, OpResult } from "./context";
import { checkNewId, mapResource, requireNode, requireResource, withConfig } from "./util";

export interface ResourceCreateArgs {
  id: string;
  agent: string;
  params?: Record<string, string>;
  ops?: OpSpec[];
  meta?: Record<string, string>;
  group?: string;
  before?: string;
  after?: string;
  disabled?: boolean;
  noDefaultOps?: boolean;
  clone?: { id?: string; meta?: Record<string, string>; promotable?: boolean };
}

const STANDARDS = ["ocf", "lsb", "service", "systemd", "stonith"];
/** meta-data actions pcs copies into a new resource */
const COPIED_ACTIONS = new Set(["start", "stop", "monitor", "promote", "demote", "migrate_to", "migrate_from", "reload", "reload-agent"]);

export interface AgentName {
  standard: string;
  provider?: string;
  type: string;
  full: string;
}

/** Parses "ocf:heartbeat:IPaddr2", "systemd:haproxy" or a short name (resolved through the catalog). */
export function resolveAgent(agent: string, catalog: AgentCatalog | undefined, force: boolean, warnings: string[]): AgentName {
  const parts = agent.split(":");
  if (parts.length === 1) {
    if (!catalog) throw new CibError(`Unable to find agent '${agent}', try specifying its full name`, { field: "agent" });
    const matches = catalog.list().filter((n) => n.split(":").pop()?.toLowerCase() === agent.toLowerCase());
    if (matches.length === 0) throw new CibError(`Unable to find agent '${agent}', try specifying its full name`, { field: "agent" });
    if (matches.length > 1) {
      throw new CibError(`Multiple agents match '${agent}', please specify full name: '${matches.join("', '")}'`, {
        field: "agent",
      });
    }
    warnings.push(`Assumed agent name '${matches[0]}' (deduced from '${agent}')`);
    return resolveAgent(matches[0], catalog, force, []);
  }
  const standard = parts[0];
  if (!STANDARDS.includes(standard)) {
    throw new CibError(`Invalid resource agent name '${agent}': unknown standard '${standard}' (use ${STANDARDS.join(", ")})`, {
      field: "agent",
    });
  }
  let provider: string | undefined;
  let type: string;
  if (standard === "ocf") {
    if (parts.length !== 3 || !parts[1] || !parts[2]) {
      throw new CibError(`Invalid resource agent name '${agent}': use ocf:PROVIDER:TYPE`, { field: "agent" });
    }
    provider = parts[1];
    type = parts[2];
  } else {
    if (parts.length !== 2 || !parts[1]) throw new CibError(`Invalid resource agent name '${agent}': use ${standard}:TYPE`, { field: "agent" });
    type = parts[1];
  }
  const full = provider ? `${standard}:${provider}:${type}` : `${standard}:${type}`;
  if (catalog && !force && !catalog.list().includes(full)) {
    throw new CibError(
      `Agent '${full}' is not installed or does not provide valid metadata, use --force to override`,
      { field: "agent", code: "unknown-agent" },
    );
  }
  return { standard, provider, type, full };
}

function nvsetFrom(id: string, pairs: Record<string, string>, used: Set<string>): NvSet[] {
  const entries = Object.entries(pairs);
  if (!entries.length) return [];
  const setId = uniqueId(id, used);
  used.add(setId);
  return [
    {
      id: setId,
      nvpairs: entries.map(([name, value]) => {
        const pid = uniqueId(`${setId}-${name}`, used);
        used.add(pid);
        return { id: pid, name, value };
      }),
    },
  ];
}

/** The id pcs gives an operation: RSC-ACTION-interval-INTERVAL (before making it unique). */
export const pcsOpId = (rscId: string, name: string, interval: string) => `${rscId}-${name}-interval-${interval}`.replace(/[^A-Za-z0-9_.\-]/g, "_");

/** Builds an <op> the way pcs does: id NAME-ACTION-interval-INTERVAL. */
export function buildOperation(rscId: string, spec: OpSpec, used: Set<string>): Operation {
  checkOpName(spec.name);
  const a = { ...spec.attrs };
  const interval = a.interval ?? (spec.name === "monitor" ? "60s" : "0s");
  for (const [k, v] of Object.entries({ ...a, interval })) {
    if (k === "id") continue;
    if (v === "") throw new CibError(`op ${spec.name} ${k} needs a value`, { field: `op ${spec.name} ${k}` });
    checkOpOption(k, spec.name, v, `op ${spec.name} ${k}`);
  }
  let id = a.id;
  if (id !== undefined) {
    if (used.has(id)) throw new CibError(`'${id}' already exists`, { field: `op ${spec.name} id`, elementId: id, code: "duplicate-id" });
  } else {
    id = uniqueId(pcsOpId(rscId, spec.name, interval), used);
  }
  used.add(id);
  const instanceAttributes: NvSet[] = [];
  if (a.OCF_CHECK_LEVEL !== undefined) {
    const sid = uniqueId(`${id}-instance_attributes`, used);
    used.add(sid);
    instanceAttributes.push({ id: sid, nvpairs: [{ id: `${sid}-OCF_CHECK_LEVEL`, name: "OCF_CHECK_LEVEL", value: a.OCF_CHECK_LEVEL }] });
    used.add(`${sid}-OCF_CHECK_LEVEL`);
  }
  const op: Operation = { id, name: spec.name, interval, instanceAttributes, metaAttributes: [] };
  if (a.timeout !== undefined) op.timeout = a.timeout;
  if (a.role !== undefined) op.role = a.role;
  if (a["on-fail"] !== undefined) op.onFail = a["on-fail"];
  if (a.enabled !== undefined) op.enabled = a.enabled;
  if (a["record-pending"] !== undefined) op.recordPending = a["record-pending"];
  if (a["start-delay"] !== undefined) op.startDelay = a["start-delay"];
  if (a["interval-origin"] !== undefined) op.intervalOrigin = a["interval-origin"];
  if (a.description !== undefined) op.description = a.description;
  return op;
}

export function resourceCreate(cib: Cib, args: ResourceCreateArgs, ctx: OpsContext = {}): OpResult {
  const warnings: string[] = [];
  const force = !!ctx.force;
  checkNewId(cib, args.id, "id", "resource id");
  const agent = resolveAgent(args.agent, ctx.agents, force, warnings);
  const info = ctx.agents?.describe(agent.full);
  const params = args.params ?? {};
  if (info?.params && !force) {
    const allowed = new Set(info.params.map((p) => p.name));
    for (const k of Object.keys(params)) {
      if (!allowed.has(k)) {
        throw new CibError(
          `invalid resource option '${k}', allowed options are: ${[...allowed].map((x) => `'${x}'`).join(", ")}, use --force to override`,
          { field: k, code: "bad-option" },
        );
      }
    }
    for (const p of info.params) {
      if (p.required && params[p.name] === undefined) {
        throw new CibError(`required resource option '${p.name}' is missing, use --force to override`, { field: p.name });
      }
    }
  }
  const used = allConfigIds(cib);
  used.add(args.id);
  const operations: Operation[] = [];
  for (const spec of args.ops ?? []) operations.push(buildOperation(args.id, spec, used));
  const has = (name: string, role?: string) =>
    operations.some((o) => o.name === name && (role === undefined || (o.role ?? "") === role));
  if (!args.noDefaultOps && info?.actions) {
    for (const act of info.actions) {
      if (!COPIED_ACTIONS.has(act.name) || has(act.name, act.name === "monitor" ? act.role ?? "" : undefined)) continue;
      if (act.name === "monitor" && act.depth && act.depth !== "0") continue;
      const attrs: Record<string, string> = { interval: act.interval ?? "0s" };
      if (act.timeout) attrs.timeout = act.timeout;
      if (act.role) attrs.role = act.role;
      operations.push(buildOperation(args.id, { name: act.name, attrs }, used));
    }
  }
  if (!has("monitor")) operations.push(buildOperation(args.id, { name: "monitor", attrs: { interval: "10s" } }, used));

  const meta = { ...(args.meta ?? {}) };
  if (args.disabled) meta["target-role"] = "Stopped";
  const prim: Primitive = {
    kind: "primitive",
    id: args.id,
    class: agent.standard,
    ...(agent.provider ? { provider: agent.provider } : {}),
    type: agent.type,
    instanceAttributes: nvsetFrom(`${args.id}-instance_attributes`, params, used),
    metaAttributes: nvsetFrom(`${args.id}-meta_attributes`, meta, used),
    utilization: [],
    operations,
  };

  let resources = cib.configuration.resources;
  if (args.group !== undefined) {
    resources = addToGroup(cib, prim, args.group, args.before, args.after);
  } else {
    if (args.before || args.after) throw new CibError("--before and --after need --group", { field: "group" });
    resources = [...resources, prim];
  }
  let out = withConfig(cib, { resources });
  if (args.clone) {
    if (args.group !== undefined) throw new CibError("a resource in a group cannot be cloned on its own: clone the group", { field: "clone" });
    out = resourceClone(out, { id: args.id, cloneId: args.clone.id, meta: args.clone.meta, promotable: args.clone.promotable }).cib;
  }
  return { cib: out, message: "", warnings };
}

function addToGroup(cib: Cib, prim: Primitive, groupId: string, before?: string, after?: string): Resource[] {
  const hit = findResourceHit(cib, groupId);
  const resources = cib.configuration.resources;
  if (!hit) {
    checkNewId(cib, groupId, "group", "group name");
    if (before || after) throw new CibError(`there is no group '${groupId}' to place the resource before/after in`, { field: "group" });
    const g: Group = { kind: "group", id: groupId, children: [prim], metaAttributes: [], instanceAttributes: [] };
    return [...resources, g];
  }
  if (hit.resource.kind !== "group") {
    throw new CibError(`'${groupId}' is not a group`, { field: "group", elementId: groupId });
  }
  const g = hit.resource;
  let children = [...g.children];
  const anchor = before ?? after;
  if (anchor !== undefined) {
    const i = children.findIndex((c) => c.id === anchor);
    if (i < 0) throw new CibError(`there is no resource '${anchor}' in the group '${groupId}'`, { field: before ? "before" : "after" });
    children.splice(before ? i : i + 1, 0, prim);
  } else children = [...children, prim];
  return mapResource(resources, groupId, (r) => ({ ...(r as Group), children }));
}

/** Ids a resource stands for: itself and everything inside it. */
function idsWithin(r: Resource): string[] {
  if (r.kind === "group") return [r.id, ...r.children.flatMap(idsWithin)];
  if (r.kind === "clone") return [r.id, ...idsWithin(r.child)];
  return [r.id];
}

/** Removes constraints (and set members) naming any of the ids, as pcs does on delete. */
export function dropConstraintRefs(constraints: Constraint[], ids: Set<string>): { constraints: Constraint[]; removed: string[] } {
  const removed: string[] = [];
  const out: Constraint[] = [];
  for (const c of constraints) {
    if (!constraintResourceRefs(c).some((r) => ids.has(r))) {
      out.push(c);
      continue;
    }
    if (c.kind === "unsupported") {
      removed.push(c.id);
      continue;
    }
    const direct =
      c.kind === "location" ? [c.rsc] : c.kind === "colocation" ? [c.rsc, c.withRsc] : [c.first, c.then];
    if (direct.some((r) => r !== undefined && ids.has(r))) {
      removed.push(c.id);
      continue;
    }
    const sets = c.sets
      .map((s) => ({ ...s, resources: s.resources.filter((r) => !ids.has(r)) }))
      .filter((s) => s.resources.length > 0);
    if (sets.length === 0 || (c.kind !== "location" && sets.reduce((n, s) => n + s.resources.length, 0) < 2)) {
      removed.push(c.id);
      continue;
    }
    out.push({ ...c, sets } as Constraint);
  }
  return { constraints: out, removed };
}

export function resourceDelete(cib: Cib, id: string): OpResult {
  const hit = requireResource(cib, id);
  const ids = new Set(idsWithin(hit.resource));
  let resources = mapResource(cib.configuration.resources, id, () => null);
  const lines: string[] = [];
  // a group left empty goes too (pcs: "Removing group: G (and group constraints)")
  if (hit.parent?.kind === "group" && hit.parent.children.length === 1) {
    ids.add(hit.parent.id);
    resources = mapResource(resources, hit.parent.id, () => null);
    lines.push(`Removing group: ${hit.parent.id} (and group constraints)`);
  }
  if (hit.parent?.kind === "clone") ids.add(hit.parent.id);
  const { constraints, removed } = dropConstraintRefs(cib.configuration.constraints, ids);
  for (const r of removed) lines.unshift(`Removing Constraint - ${r}`);
  lines.push(`Deleting Resource - ${id}`);
  return { cib: withConfig(cib, { resources, constraints }), message: lines.join("\n"), warnings: [] };
}

/** Sets emptied by an unset go (a plain set that held only that attribute), so enable after disable restores the CIB. */
function dropEmptied(before: NvSet[], after: NvSet[]): NvSet[] {
  return after.filter((s, i) => s.nvpairs.length > 0 || before[i].nvpairs.length === 0 || s.rule || s.idRef || (s.unknown?.length ?? 0) > 0);
}

function setMeta(cib: Cib, id: string, name: string, value: string | undefined): Cib {
  const used = allConfigIds(cib);
  const resources = mapResource(cib.configuration.resources, id, (r) => ({
    ...r,
    metaAttributes: value === undefined ? dropEmptied(r.metaAttributes, nvUnset(r.metaAttributes, name)) : nvSet(r.metaAttributes, r.id, "meta_attributes", name, value, used),
  }));
  return withConfig(cib, { resources });
}

/** pcs resource enable: deletes target-role. */
export function resourceEnable(cib: Cib, ids: string[]): OpResult {
  let next = cib;
  for (const id of ids) {
    requireResource(next, id);
    next = setMeta(next, id, "target-role", undefined);
  }
  return { cib: next, message: "", warnings: [] };
}

/** pcs resource disable: target-role=Stopped. */
export function resourceDisable(cib: Cib, ids: string[]): OpResult {
  let next = cib;
  for (const id of ids) {
    requireResource(next, id);
    next = setMeta(next, id, "target-role", "Stopped");
  }
  return { cib: next, message: "", warnings: [] };
}

/** pcs resource manage (deletes is-managed) / unmanage (is-managed=false). */
export function resourceManage(cib: Cib, ids: string[], on: boolean): OpResult {
  let next = cib;
  for (const id of ids) {
    requireResource(next, id);
    next = setMeta(next, id, "is-managed", on ? undefined : "false");
  }
  return { cib: next, message: "", warnings: [] };
}

/** pcs resource meta ID k=v (empty value deletes). */
export function resourceMeta(cib: Cib, id: string, meta: Record<string, string>): OpResult {
  requireResource(cib, id);
  let next = cib;
  for (const [k, v] of Object.entries(meta)) next = setMeta(next, id, k, v === "" ? undefined : v);
  return { cib: next, message: "", warnings: [] };
}

/** pcs resource update ID k=v (instance attributes; empty value deletes). */
export function resourceUpdate(cib: Cib, id: string, params: Record<string, string>, ctx: OpsContext = {}): OpResult {
  const hit = requireResource(cib, id);
  if (hit.resource.kind !== "primitive") throw new CibError(`'${id}' is a ${hit.resource.kind}; instance attributes belong to primitives`, { field: "id" });
  const prim = hit.resource;
  const info = ctx.agents?.describe(`${prim.class}${prim.provider ? `:${prim.provider}` : ""}:${prim.type}`);
  if (info?.params && !ctx.force) {
    const allowed = new Set(info.params.map((p) => p.name));
    for (const k of Object.keys(params))
      if (!allowed.has(k))
        throw new CibError(`invalid resource option '${k}', allowed options are: ${[...allowed].map((x) => `'${x}'`).join(", ")}, use --force to override`, { field: k });
  }
  const used = allConfigIds(cib);
  const resources = mapResource(cib.configuration.resources, id, (r) => {
    let ia = r.instanceAttributes;
    for (const [k, v] of Object.entries(params)) ia = v === "" ? nvUnset(ia, k) : nvSet(ia, r.id, "instance_attributes", k, v, used);
    return { ...r, instanceAttributes: ia };
  });
  return { cib: withConfig(cib, { resources }), message: "", warnings: [] };
}

export function resourceOpAdd(cib: Cib, id: string, spec: OpSpec): OpResult {
  const hit = requireResource(cib, id);
  if (hit.resource.kind !== "primitive") throw new CibError(`'${id}' is a ${hit.resource.kind}; operations belong to primitives`, { field: "id" });
  const used = allConfigIds(cib);
  const op = buildOperation(id, spec, used);
  const dup = hit.resource.operations.find((o) => o.name === op.name && o.interval === op.interval && (o.role ?? "") === (op.role ?? ""));
  if (dup) throw new CibError(`operation ${op.name} with interval ${op.interval} already exists for '${id}' (${dup.id})`, { field: "op", elementId: dup.id });
  const resources = mapResource(cib.configuration.resources, id, (r) => ({ ...(r as Primitive), operations: [...(r as Primitive).operations, op] }));
  return { cib: withConfig(cib, { resources }), message: "", warnings: [] };
}

export function resourceOpDelete(cib: Cib, id: string, opId: string): OpResult {
  const hit = requireResource(cib, id);
  if (hit.resource.kind !== "primitive" || !hit.resource.operations.some((o) => o.id === opId)) {
    throw new CibError(`Unable to find operation id: ${opId}`, { field: "opId", elementId: opId });
  }
  const resources = mapResource(cib.configuration.resources, id, (r) => ({
    ...(r as Primitive),
    operations: (r as Primitive).operations.filter((o) => o.id !== opId),
  }));
  return { cib: withConfig(cib, { resources }), message: "", warnings: [] };
}

function primitiveIds(r: Resource): string[] {
  if (r.kind === "primitive") return [r.id];
  if (r.kind === "group") return r.children.map((c) => c.id);
  if (r.kind === "clone") return primitiveIds(r.child);
  return [];
}

/**
 * pcs resource cleanup [ID] [node=N]: forget the operation history and
 * fail-counts so the resource is probed again and may run there again.
 * Without an id, only resources with a recorded failure are touched (as
 * crm_resource --cleanup does). The status rewrite is the controller's
 * cleanupResource (it knows how it records operations); this adds the checks
 * and pcs's message.
 */
export function resourceCleanup(cib: Cib, id?: string, node?: string): OpResult {
  if (id !== undefined) requireResource(cib, id);
  if (node !== undefined) requireNode(cib, node);
  const next = cleanupResource(cib, id, node);
  const cleaned: string[] = [];
  for (const ns of cib.status) {
    const after = next.status.find((n) => n.id === ns.id);
    const kept = new Set(after?.lrmResources.map((r) => r.id) ?? []);
    const attrsAfter = new Set(after?.transientAttributes.flatMap((s) => s.nvpairs.map((p) => p.name)) ?? []);
    const gone = new Set(ns.lrmResources.filter((r) => !kept.has(r.id)).map((r) => r.id));
    for (const s of ns.transientAttributes)
      for (const p of s.nvpairs) {
        const m = /^fail-count-(.+)#[^#]+$/.exec(p.name);
        if (m && !attrsAfter.has(p.name)) gone.add(m[1]);
      }
    for (const r of gone) cleaned.push(`${r} on ${ns.uname ?? ns.id}`);
  }
  const message = cleaned.length
    ? `Cleaned up ${cleaned.join(", ")}`
    : `Cleaned up ${id !== undefined ? id : "all resources"}${node ? ` on ${node}` : " on all nodes"} (nothing to clean)`;
  return { cib: next, message, warnings: [] };
}

export { primitiveIds, walkResources };
