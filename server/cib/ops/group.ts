// pcs resource group add|remove, clone|promotable|unclone, refresh.
import { CibError } from "../errors";
import { allConfigIds, findResourceHit } from "../find";
import { uniqueId } from "../nvset";
import type { Cib, Clone, Constraint, Group, Primitive, Resource } from "../types";
import { cleanupResource } from "../../controller/record";
import type { OpResult } from "./context";
import { dropConstraintRefs } from "./resource";
import { checkNewId, mapResource, requireNode, requireResource, withConfig } from "./util";

function removeEverywhere(resources: Resource[], id: string): Resource[] {
  return mapResource(resources, id, () => null);
}

/** Drops groups left without members (pcs removes them), with constraints naming them. */
function pruneEmptyGroups(cib: Cib, candidates: string[]): { cib: Cib; removed: string[] } {
  const gone: string[] = [];
  let resources = cib.configuration.resources;
  for (const g of candidates) {
    const hit = findResourceHit({ ...cib, configuration: { ...cib.configuration, resources } }, g);
    if (hit?.resource.kind === "group" && hit.resource.children.length === 0) {
      resources = removeEverywhere(resources, g);
      gone.push(g);
    }
  }
  const { constraints } = dropConstraintRefs(cib.configuration.constraints, new Set(gone));
  return { cib: withConfig(cib, { resources, constraints }), removed: gone };
}

/** pcs resource group add G R... [--before R | --after R] */
export function groupAdd(cib: Cib, a: { group: string; ids: string[]; before?: string; after?: string }): OpResult {
  if (!a.ids.length) throw new CibError("name at least one resource to put in the group", { field: "ids" });
  if (a.before && a.after) throw new CibError("use either --before or --after", { field: "before" });
  const prims: Primitive[] = [];
  const sourceGroups: string[] = [];
  for (const id of a.ids) {
    if (id === a.group) throw new CibError(`cannot put '${id}' into itself`, { field: "ids" });
    const hit = requireResource(cib, id, "ids");
    if (hit.resource.kind !== "primitive") throw new CibError(`'${id}' is a ${hit.resource.kind}; only primitives can be grouped`, { field: "ids", elementId: id });
    if (hit.parent?.kind === "clone") throw new CibError(`'${id}' is cloned (${hit.parent.id}); a cloned resource cannot be grouped`, { field: "ids", elementId: id });
    if (hit.parent?.kind === "group" && hit.parent.id !== a.group) sourceGroups.push(hit.parent.id);
    prims.push(hit.resource);
  }
  const existing = findResourceHit(cib, a.group);
  if (existing && existing.resource.kind !== "group") throw new CibError(`'${a.group}' exists and is not a group`, { field: "group", elementId: a.group });
  if (!existing) checkNewId(cib, a.group, "group", "group name");
  let resources = cib.configuration.resources;
  for (const p of prims) resources = removeEverywhere(resources, p.id);
  const anchor = a.before ?? a.after;
  const place = (children: Primitive[]): Primitive[] => {
    const out = [...children];
    if (anchor === undefined) return [...out, ...prims];
    const i = out.findIndex((c) => c.id === anchor);
    if (i < 0) throw new CibError(`there is no resource '${anchor}' in the group '${a.group}'`, { field: a.before ? "before" : "after" });
    out.splice(a.before ? i : i + 1, 0, ...prims);
    return out;
  };
  if (existing) {
    resources = mapResource(resources, a.group, (g) => ({ ...(g as Group), children: place((g as Group).children) }));
  } else {
    if (anchor !== undefined) throw new CibError(`there is no group '${a.group}' to place the resources before/after in`, { field: "group" });
    // a new group takes the place of its first member, as pcs does
    const firstTop = cib.configuration.resources.findIndex((r) => r.id === prims[0].id);
    const g: Group = { kind: "group", id: a.group, children: prims, metaAttributes: [], instanceAttributes: [] };
    if (firstTop >= 0) {
      const kept = cib.configuration.resources.slice(0, firstTop).filter((r) => resources.includes(r));
      const rest = resources.filter((r) => !kept.includes(r));
      resources = [...kept, g, ...rest];
    } else resources = [...resources, g];
  }
  const pruned = pruneEmptyGroups(withConfig(cib, { resources }), sourceGroups);
  return { cib: pruned.cib, message: pruned.removed.map((g) => `Removing group: ${g} (and group constraints)`).join("\n"), warnings: [] };
}

/** pcs resource group remove G [R...]: members back to the top level; without R the group goes (ungroup). */
export function groupRemove(cib: Cib, a: { group: string; ids?: string[] }): OpResult {
  const hit = requireResource(cib, a.group, "group");
  if (hit.resource.kind !== "group") throw new CibError(`'${a.group}' is not a group`, { field: "group", elementId: a.group });
  const g = hit.resource;
  const ids = a.ids?.length ? a.ids : g.children.map((c) => c.id);
  for (const id of ids)
    if (!g.children.some((c) => c.id === id)) throw new CibError(`Resource '${id}' is not in the group '${a.group}'`, { field: "ids", elementId: id });
  if (hit.parent?.kind === "clone" && ids.length < g.children.length) {
    throw new CibError(`'${a.group}' is cloned; remove the clone first (unclone) to take members out`, { field: "group" });
  }
  const moved = g.children.filter((c) => ids.includes(c.id));
  let resources = mapResource(cib.configuration.resources, a.group, (r) => ({ ...(r as Group), children: (r as Group).children.filter((c) => !ids.includes(c.id)) }));
  const at = resources.findIndex((r) => r.id === (hit.top.id));
  resources = [...resources.slice(0, at + 1), ...moved, ...resources.slice(at + 1)];
  const pruned = pruneEmptyGroups(withConfig(cib, { resources }), [a.group]);
  // an emptied cloned group takes its clone with it
  let out = pruned.cib;
  if (pruned.removed.length && hit.parent?.kind === "clone") out = withConfig(out, { resources: removeEverywhere(out.configuration.resources, hit.parent.id) });
  return { cib: out, message: pruned.removed.map((x) => `Removing group: ${x} (and group constraints)`).join("\n"), warnings: [] };
}

function repoint(constraints: Constraint[], from: string, to: string): Constraint[] {
  const m = (x: string | undefined) => (x === from ? to : x);
  return constraints.map((c) => {
    if (c.kind === "unsupported") return c;
    const sets = c.sets.map((s) => ({ ...s, resources: s.resources.map((r) => (r === from ? to : r)) }));
    if (c.kind === "location") return { ...c, rsc: m(c.rsc), sets };
    if (c.kind === "colocation") return { ...c, rsc: m(c.rsc), withRsc: m(c.withRsc), sets };
    return { ...c, first: m(c.first), then: m(c.then), sets };
  });
}

/** pcs resource clone|promotable R [CLONE-ID] [meta k=v...]: constraints naming R then name the clone. */
export function resourceClone(cib: Cib, a: { id: string; cloneId?: string; meta?: Record<string, string>; promotable?: boolean }): OpResult {
  const hit = requireResource(cib, a.id);
  const r = hit.resource;
  if (r.kind !== "primitive" && r.kind !== "group") throw new CibError(`'${a.id}' is a ${r.kind}; only primitives and groups can be cloned`, { field: "id" });
  if (hit.parent?.kind === "clone") throw new CibError(`'${a.id}' is already cloned (${hit.parent.id})`, { field: "id" });
  if (hit.parent?.kind === "group") throw new CibError(`'${a.id}' is in the group '${hit.parent.id}'; clone the group instead`, { field: "id" });
  const cloneId = a.cloneId ?? `${a.id}-clone`;
  checkNewId(cib, cloneId, "cloneId", "clone id");
  const used = allConfigIds(cib);
  const meta: Record<string, string> = { ...(a.promotable ? { promotable: "true" } : {}), ...(a.meta ?? {}) };
  const setId = uniqueId(`${cloneId}-meta_attributes`, used);
  const metaAttributes = Object.keys(meta).length
    ? [{ id: setId, nvpairs: Object.entries(meta).map(([name, value]) => ({ id: uniqueId(`${setId}-${name}`, used), name, value })) }]
    : [];
  const clone: Clone = { kind: "clone", id: cloneId, child: r, metaAttributes, instanceAttributes: [] };
  const resources = cib.configuration.resources.map((x) => (x.id === a.id ? clone : x));
  return { cib: withConfig(cib, { resources, constraints: repoint(cib.configuration.constraints, a.id, cloneId) }), message: "", warnings: [] };
}

/** pcs resource unclone R|CLONE: the child goes back to the top level; constraints naming the clone name the child. */
export function resourceUnclone(cib: Cib, id: string): OpResult {
  const hit = requireResource(cib, id);
  const clone = hit.resource.kind === "clone" ? hit.resource : hit.parent?.kind === "clone" ? hit.parent : undefined;
  if (!clone) throw new CibError(`'${id}' is not a clone`, { field: "id", elementId: id });
  const resources = cib.configuration.resources.map((x) => (x.id === clone.id ? (clone.child as Resource) : x));
  return { cib: withConfig(cib, { resources, constraints: repoint(cib.configuration.constraints, clone.id, clone.child.id) }), message: "", warnings: [] };
}

/** pcs resource refresh [R] [node=N]: forget the whole history (failed or not) so everything is probed again. */
export function resourceRefresh(cib: Cib, id?: string, node?: string): OpResult {
  if (id !== undefined) requireResource(cib, id);
  if (node !== undefined) requireNode(cib, node);
  let next = cib;
  const ids = id !== undefined ? [id] : [...new Set(cib.status.flatMap((ns) => ns.lrmResources.map((r) => r.id.replace(/:\d+$/, ""))))];
  for (const r of ids) next = cleanupResource(next, r, node);
  return { cib: next, message: `Waiting for ${ids.length} resource${ids.length === 1 ? "" : "s"} to refresh${node ? ` on ${node}` : ""}`, warnings: [] };
}
