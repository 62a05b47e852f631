// One entry point: apply a contract Change to a CIB with pcs semantics. The API
// (update and preview), and `vigil -f FILE` all go through here.
import { CibError } from "../errors";
import type { Cib } from "../types";
import type { Change } from "../../api/contract";
import type { OpsContext, OpResult } from "./context";
import { constraintColocation, constraintDelete, constraintLocation, constraintLocationRule, constraintOrder, resourceBan, resourceClear, resourceMove } from "./constraint";
import { groupAdd, groupRemove, resourceClone, resourceRefresh, resourceUnclone } from "./group";
import { nodeAttribute, nodeMaintenance, nodeStandby } from "./node";
import { opDefaults, propertySet, propertyUnset, rscDefaults } from "./property";
import {
  resourceCleanup,
  resourceCreate,
  resourceDelete,
  resourceDisable,
  resourceEnable,
  resourceManage,
  resourceMeta,
  resourceOpAdd,
  resourceOpDelete,
  resourceUpdate,
} from "./resource";
import { resourceOpUpdate } from "./operation";

function versionOf(attrs: Record<string, string>): [number, number, number] {
  return [Number(attrs.admin_epoch ?? 0), Number(attrs.epoch ?? 0), Number(attrs.num_updates ?? 0)];
}

/** cluster cib-push: the pushed configuration replaces ours; status stays (it is the cluster's truth). */
export function cibReplace(cib: Cib, xml: string, ctx: OpsContext): OpResult {
  if (!ctx.parseXml) throw new CibError("no CIB XML parser available", { code: "internal" });
  const pushed = ctx.parseXml(xml);
  const [pa, pe] = versionOf(pushed.attrs);
  const [ca, ce] = versionOf(cib.attrs);
  if (!ctx.force && (pa < ca || (pa === ca && pe < ce))) {
    throw new CibError(
      `Unable to push to the CIB because pushed configuration is older than existing one (admin_epoch ${pa} epoch ${pe} < admin_epoch ${ca} epoch ${ce}); get the current one with 'vigil cluster cib' or use --force`,
      { field: "epoch", code: "old-cib" },
    );
  }
  const attrs = { ...cib.attrs };
  if (pushed.attrs["validate-with"]) attrs["validate-with"] = pushed.attrs["validate-with"];
  attrs.admin_epoch = String(pa);
  return { cib: { ...cib, attrs, configuration: pushed.configuration }, message: "CIB updated", warnings: [] };
}

/** `resource update`: attributes, operations and meta in one result, so a bad part saves nothing. */
function resourceUpdateAll(cib: Cib, change: Extract<Change, { op: "resource-update" }>, ctx: OpsContext): OpResult {
  const names = (change.ops ?? []).map((o) => o.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice)
    throw new CibError(`op ${twice} is given twice: update replaces one operation per action; add more with 'vigil resource op add'`, { field: "ops" });
  const warnings: string[] = [];
  let next = cib;
  const step = (r: OpResult) => {
    next = r.cib;
    warnings.push(...r.warnings);
  };
  if (Object.keys(change.params).length || (!change.ops?.length && !Object.keys(change.meta ?? {}).length))
    step(resourceUpdate(next, change.id, change.params, ctx));
  for (const o of change.ops ?? []) step(resourceOpUpdate(next, { id: change.id, name: o.name, set: o.set, replace: true }));
  if (change.meta && Object.keys(change.meta).length) step(resourceMeta(next, change.id, change.meta));
  return { cib: next, message: "", warnings };
}

export function applyChange(cib: Cib, change: Change, ctx: OpsContext = {}): OpResult {
  switch (change.op) {
    case "node-standby":
      return nodeStandby(cib, change.nodes, change.on, change.all);
    case "node-maintenance":
      return nodeMaintenance(cib, change.nodes, change.on, change.all);
    case "node-attribute":
      return nodeAttribute(cib, [change.node], change.name, change.value === "" ? undefined : change.value);
    case "resource-create":
      return resourceCreate(cib, change, { ...ctx, force: ctx.force || change.force });
    case "resource-delete":
      return resourceDelete(cib, change.id);
    case "resource-enable":
      return resourceEnable(cib, change.ids);
    case "resource-disable":
      return resourceDisable(cib, change.ids);
    case "resource-manage":
      return resourceManage(cib, change.ids, change.on);
    case "resource-update":
      return resourceUpdateAll(cib, change, ctx);
    case "resource-meta":
      return resourceMeta(cib, change.id, change.meta);
    case "resource-op-add":
      return resourceOpAdd(cib, change.id, change.opSpec);
    case "resource-op-delete":
      return resourceOpDelete(cib, change.id, change.opId);
    case "resource-op-update":
      return resourceOpUpdate(cib, change);
    case "resource-move":
      return resourceMove(cib, change, ctx);
    case "resource-ban":
      return resourceBan(cib, change, ctx);
    case "resource-clear":
      return resourceClear(cib, change);
    case "resource-cleanup":
      return resourceCleanup(cib, change.id, change.node);
    case "group-add":
      return groupAdd(cib, change);
    case "group-remove":
      return groupRemove(cib, change);
    case "resource-clone":
      return resourceClone(cib, change);
    case "resource-unclone":
      return resourceUnclone(cib, change.id);
    case "resource-refresh":
      return resourceRefresh(cib, change.id, change.node);
    case "property-set":
      return propertySet(cib, change.name, change.value, ctx);
    case "property-unset":
      return propertyUnset(cib, change.name, ctx);
    case "rsc-defaults":
      return rscDefaults(cib, change.meta);
    case "op-defaults":
      return opDefaults(cib, change.meta);
    case "constraint-location":
      return constraintLocation(cib, change, ctx);
    case "constraint-location-rule":
      return constraintLocationRule(cib, change);
    case "constraint-colocation":
      return constraintColocation(cib, change, ctx);
    case "constraint-order":
      return constraintOrder(cib, change, ctx);
    case "constraint-delete":
      return constraintDelete(cib, change.id);
    case "cib-replace":
      return cibReplace(cib, change.xml, ctx);
  }
}

/** One line naming the change, for the audit log and events. */
export function describeChange(c: Change): string {
  switch (c.op) {
    case "node-standby":
      return `node ${c.on ? "standby" : "unstandby"} ${c.all ? "--all" : c.nodes.join(" ")}`;
    case "node-maintenance":
      return `node ${c.on ? "maintenance" : "unmaintenance"} ${c.all ? "--all" : c.nodes.join(" ")}`;
    case "node-attribute":
      return `node attribute ${c.node} ${c.name}=${c.value ?? ""}`;
    case "resource-create":
      return `resource create ${c.id} ${c.agent}${c.group ? ` --group ${c.group}` : ""}${c.disabled ? " --disabled" : ""}`;
    case "resource-delete":
      return `resource delete ${c.id}`;
    case "resource-enable":
      return `resource enable ${c.ids.join(" ")}`;
    case "resource-disable":
      return `resource disable ${c.ids.join(" ")}`;
    case "resource-manage":
      return `resource ${c.on ? "manage" : "unmanage"} ${c.ids.join(" ")}`;
    case "resource-update":
      return [
        `resource update ${c.id}`,
        ...Object.entries(c.params).map(([k, v]) => `${k}=${v}`),
        ...(c.ops ?? []).map((o) => `op ${o.name} ${Object.entries(o.set).map(([k, v]) => `${k}=${v}`).join(" ")}`.trimEnd()),
        ...(c.meta && Object.keys(c.meta).length ? [`meta ${Object.entries(c.meta).map(([k, v]) => `${k}=${v}`).join(" ")}`] : []),
      ].join(" ");
    case "resource-meta":
      return `resource meta ${c.id} ${Object.entries(c.meta).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    case "resource-op-add":
      return `resource op add ${c.id} ${c.opSpec.name} ${Object.entries(c.opSpec.attrs).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    case "resource-op-delete":
      return `resource op delete ${c.opId}`;
    case "resource-op-update": {
      const which = c.opId ?? `${c.name ?? ""}${c.interval ? ` interval=${c.interval}` : ""}`;
      return `resource op update ${c.id} ${which}${c.replace ? " (replace)" : ""} ${Object.entries(c.set).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    }
    case "resource-move":
      return `resource move ${c.id}${c.node ? ` ${c.node}` : ""}${c.lifetime ? ` lifetime=${c.lifetime}` : ""}`;
    case "resource-ban":
      return `resource ban ${c.id}${c.node ? ` ${c.node}` : ""}${c.lifetime ? ` lifetime=${c.lifetime}` : ""}`;
    case "resource-clear":
      return `resource clear ${c.id}${c.node ? ` ${c.node}` : ""}`;
    case "resource-cleanup":
      return `resource cleanup${c.id ? ` ${c.id}` : ""}${c.node ? ` node=${c.node}` : ""}`;
    case "group-add":
      return `resource group add ${c.group} ${c.ids.join(" ")}`;
    case "group-remove":
      return `resource group remove ${c.group}${c.ids?.length ? ` ${c.ids.join(" ")}` : ""}`;
    case "resource-clone":
      return `resource ${c.promotable ? "promotable" : "clone"} ${c.id}${c.cloneId ? ` ${c.cloneId}` : ""}`;
    case "resource-unclone":
      return `resource unclone ${c.id}`;
    case "resource-refresh":
      return `resource refresh${c.id ? ` ${c.id}` : ""}${c.node ? ` node=${c.node}` : ""}`;
    case "property-set":
      return `property set ${c.name}=${c.value}`;
    case "property-unset":
      return `property unset ${c.name}`;
    case "rsc-defaults":
      return `resource defaults update ${Object.entries(c.meta).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    case "op-defaults":
      return `resource op defaults update ${Object.entries(c.meta).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    case "constraint-location":
      return `constraint location ${c.rsc} prefers ${c.node}=${c.score ?? "INFINITY"}`;
    case "constraint-location-rule":
      return `constraint location ${c.rsc} rule ${c.score ? `score=${c.score} ` : ""}${c.expression.join(" ")}`;
    case "constraint-colocation":
      return `constraint colocation add ${c.rsc} with ${c.withRsc} ${c.score ?? "INFINITY"}`;
    case "constraint-order":
      return `constraint order ${c.firstAction ?? "start"} ${c.first} then ${c.thenAction ?? c.firstAction ?? "start"} ${c.then}`;
    case "constraint-delete":
      return `constraint delete ${c.id}`;
    case "cib-replace":
      return "cluster cib-push";
  }
}
