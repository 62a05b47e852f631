// Change one operation of a primitive in place: one CIB write instead of the
// remove + add pair the console and pcs users used to need. Errors name the
// pcs option (field "interval", "timeout", "on-fail" ...), and a rejected
// change returns nothing, so the CIB stays as it was.
import { CibError } from "../errors";
import { allConfigIds } from "../find";
import { uniqueId } from "../nvset";
import type { NvSet, Operation, Primitive } from "../types";
import { tryParseDuration } from "../values";
import type { Cib } from "../types";
import type { OpResult } from "./context";
import { checkOpOption } from "./op-options";
import { pcsOpId, resourceOpAdd } from "./resource";
import { mapResource, requireResource, withConfig } from "./util";

export interface OpUpdateArgs {
  /** resource id */
  id: string;
  opId?: string;
  name?: string;
  interval?: string;
  role?: string;
  /** pcs option name -> value; "" removes the option */
  set: Record<string, string>;
  /** the options in `set` are all the operation keeps (pcs `resource update ID op NAME ...`) */
  replace?: boolean;
}

/** Operation fields by pcs option name (OCF_CHECK_LEVEL is an instance attribute, handled apart). */
const FIELD: Record<string, keyof Operation> = {
  interval: "interval",
  timeout: "timeout",
  role: "role",
  "on-fail": "onFail",
  enabled: "enabled",
  "record-pending": "recordPending",
  "start-delay": "startDelay",
  "interval-origin": "intervalOrigin",
  description: "description",
};

const sameInterval = (a: string, b: string) => (tryParseDuration(a) ?? a) === (tryParseDuration(b) ?? b);

function pickOperation(prim: Primitive, a: OpUpdateArgs): Operation {
  if (a.opId !== undefined) {
    const op = prim.operations.find((o) => o.id === a.opId);
    if (!op) throw new CibError(`Unable to find operation id: ${a.opId} in '${prim.id}'`, { field: "opId", elementId: a.opId, code: "unknown-op" });
    return op;
  }
  if (!a.name) throw new CibError("name the operation to change: opId, or name (with interval when there are several)", { field: "name" });
  const matches = prim.operations.filter(
    (o) => o.name === a.name && (a.interval === undefined || sameInterval(o.interval, a.interval)) && (a.role === undefined || (o.role ?? "") === a.role),
  );
  const what = `${a.name}${a.interval !== undefined ? ` interval=${a.interval}` : ""}${a.role !== undefined ? ` role=${a.role}` : ""}`;
  if (matches.length === 0) throw new CibError(`'${prim.id}' has no ${what} operation`, { field: a.interval !== undefined ? "interval" : "name", elementId: prim.id, code: "unknown-op" });
  if (matches.length > 1)
    throw new CibError(`'${prim.id}' has ${matches.length} ${what} operations (${matches.map((o) => o.id).join(", ")}): say which with its interval, role or id`, {
      field: "interval",
      elementId: prim.id,
      code: "ambiguous-op",
    });
  return matches[0];
}


function setCheckLevel(op: Operation, v: string | undefined, used: Set<string>): NvSet[] {
  const others = op.instanceAttributes.map((s) => ({ ...s, nvpairs: s.nvpairs.filter((p) => p.name !== "OCF_CHECK_LEVEL") }));
  if (v === undefined) return others.filter((s, i) => s.nvpairs.length > 0 || op.instanceAttributes[i].nvpairs.length === 0);
  if (others.length) {
    const [first, ...rest] = others;
    const pid = uniqueId(`${first.id}-OCF_CHECK_LEVEL`, used);
    used.add(pid);
    return [{ ...first, nvpairs: [...first.nvpairs, { id: pid, name: "OCF_CHECK_LEVEL", value: v }] }, ...rest];
  }
  const sid = uniqueId(`${op.id}-instance_attributes`, used);
  used.add(sid);
  const pid = uniqueId(`${sid}-OCF_CHECK_LEVEL`, used);
  used.add(pid);
  return [{ id: sid, nvpairs: [{ id: pid, name: "OCF_CHECK_LEVEL", value: v }] }];
}

export function resourceOpUpdate(cib: Cib, a: OpUpdateArgs): OpResult {
  const hit = requireResource(cib, a.id);
  if (hit.resource.kind !== "primitive") throw new CibError(`'${a.id}' is a ${hit.resource.kind}; operations belong to primitives`, { field: "id", elementId: a.id });
  const prim = hit.resource;
  if (a.replace && a.opId === undefined && a.name && !prim.operations.some((o) => o.name === a.name)) {
    // pcs `resource update ID op NAME ...` adds the operation when there is none of that name
    return resourceOpAdd(cib, prim.id, { name: a.name, attrs: a.set });
  }
  const old = pickOperation(prim, a);
  const entries = Object.entries(a.set);
  if (!entries.length && !a.replace) throw new CibError(`nothing to change in operation ${old.id}: give at least one option (interval=, timeout=, on-fail= ...)`, { field: "set" });
  for (const [k, v] of entries) {
    if (k === "id") throw new CibError(`the id of operation ${old.id} cannot be changed; delete it and add a new one`, { field: "id", code: "bad-op-option" });
    checkOpOption(k, old.name, v);
  }

  let next: Operation = { ...old };
  if (a.replace) {
    // pcs replaces the whole definition: only the name (and id rules below) survive
    next = { id: old.id, name: old.name, interval: a.set.interval || (old.name === "monitor" ? "60s" : "0s"), instanceAttributes: [], metaAttributes: old.metaAttributes };
  }
  const used = allConfigIds(cib);
  for (const [k, v] of entries) {
    if (k === "OCF_CHECK_LEVEL") {
      next.instanceAttributes = setCheckLevel(next, v === "" ? undefined : v, used);
      continue;
    }
    const f = FIELD[k];
    if (v === "") delete (next as unknown as Record<string, unknown>)[f];
    else (next as unknown as Record<string, unknown>)[f] = v;
  }

  // the same action twice at one interval (and role) is one Pacemaker op key: refuse it
  const clash = prim.operations.find(
    (o) => o.id !== old.id && o.name === next.name && sameInterval(o.interval, next.interval) && (o.role ?? "") === (next.role ?? ""),
  );
  if (clash)
    throw new CibError(`operation ${next.name} with interval ${next.interval} already exists for '${prim.id}' (${clash.id})`, {
      field: "interval",
      elementId: clash.id,
      code: "duplicate-op",
    });

  // An id pcs generated names the interval; keep it truthful when the interval changes.
  if (!sameInterval(old.interval, next.interval) && old.id === pcsOpId(prim.id, old.name, old.interval)) {
    used.delete(old.id);
    next.id = uniqueId(pcsOpId(prim.id, next.name, next.interval), used);
  }

  const resources = mapResource(cib.configuration.resources, prim.id, (r) => ({
    ...(r as Primitive),
    operations: (r as Primitive).operations.map((o) => (o.id === old.id ? next : o)),
  }));
  return { cib: withConfig(cib, { resources }), message: "", warnings: [] };
}
