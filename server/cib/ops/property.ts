// pcs property set|unset and resource [op] defaults: crm_config
// cib-bootstrap-options, rsc_defaults / op_defaults meta_attributes.
import { CibError } from "../errors";
import { allConfigIds } from "../find";
import { nvSet, nvUnset } from "../nvset";
import type { Cib, NvSet } from "../types";
import { isValidBoolean, isValidDuration, isValidScore } from "../values";
import type { OpsContext, OpResult } from "./context";
import { withConfig } from "./util";

type PropType = "boolean" | "duration" | "integer" | "score" | "string" | { enum: string[] };

/** Cluster options (Pacemaker Explained 2.1 + Vigil's host-timeout), with their types and defaults. */
export const CLUSTER_PROPERTIES: Record<string, { type: PropType; default?: string; readOnly?: boolean; description: string }> = {
  "batch-limit": { type: "integer", default: "0", description: "maximum actions executed in parallel (0: automatic)" },
  "cluster-delay": { type: "duration", default: "60s", description: "round-trip delay allowance over the network" },
  "cluster-infrastructure": { type: "string", readOnly: true, description: "the messaging layer the cluster runs on" },
  "cluster-ipc-limit": { type: "integer", default: "500", description: "IPC backlog before a client is evicted" },
  "cluster-name": { type: "string", description: "a name for the cluster" },
  "cluster-recheck-interval": { type: "duration", default: "15min", description: "polling interval for time-based changes" },
  "concurrent-fencing": { type: "boolean", default: "false", description: "allow several fencing actions at once" },
  "dc-deadtime": { type: "duration", default: "20s", description: "how long to wait for a DC at start-up" },
  "dc-version": { type: "string", readOnly: true, description: "version of the DC" },
  "election-timeout": { type: "duration", default: "2min", description: "DC election timeout" },
  "enable-acl": { type: "boolean", default: "false", description: "enable CIB access control lists" },
  "enable-startup-probes": { type: "boolean", default: "true", description: "probe every resource when a node joins" },
  "fence-reaction": { type: { enum: ["stop", "panic"] }, default: "stop", description: "what a node does when told it was fenced" },
  "have-watchdog": { type: "boolean", readOnly: true, description: "whether watchdog-based self-fencing is available" },
  "host-timeout": { type: "duration", default: "1000ms", description: "how long a host may be unreachable before it is lost (Vigil)" },
  "load-threshold": { type: "string", default: "80%", description: "CPU load at which the cluster slows down" },
  "maintenance-mode": { type: "boolean", default: "false", description: "stop managing and monitoring everything" },
  "migration-limit": { type: "integer", default: "-1", description: "live migrations per node at once (-1: unlimited)" },
  "no-quorum-policy": { type: { enum: ["stop", "freeze", "ignore", "demote", "suicide"] }, default: "stop", description: "what to do without quorum" },
  "node-action-limit": { type: "integer", default: "0", description: "actions per node at once (0: automatic)" },
  "node-health-base": { type: "integer", default: "0", description: "base health score (progressive strategy)" },
  "node-health-green": { type: "score", default: "0", description: "score of a green node attribute" },
  "node-health-red": { type: "score", default: "-INFINITY", description: "score of a red node attribute" },
  "node-health-strategy": { type: { enum: ["none", "migrate-on-red", "only-green", "progressive", "custom"] }, default: "none", description: "how node health attributes affect placement" },
  "node-health-yellow": { type: "score", default: "0", description: "score of a yellow node attribute" },
  "pe-error-series-max": { type: "integer", default: "-1", description: "scheduler inputs with errors to keep" },
  "pe-input-series-max": { type: "integer", default: "4000", description: "scheduler inputs to keep" },
  "pe-warn-series-max": { type: "integer", default: "5000", description: "scheduler inputs with warnings to keep" },
  "placement-strategy": { type: { enum: ["default", "utilization", "minimal", "balanced"] }, default: "default", description: "how utilization affects placement" },
  "priority-fencing-delay": { type: "duration", default: "0", description: "delay fencing of the node with more priority" },
  "shutdown-escalation": { type: "duration", default: "20min", description: "time to wait for a clean shutdown" },
  "shutdown-lock": { type: "boolean", default: "false", description: "keep resources of a cleanly stopped node locked to it" },
  "shutdown-lock-limit": { type: "duration", default: "0", description: "how long shutdown-lock holds" },
  "start-failure-is-fatal": { type: "boolean", default: "true", description: "a failed start bans the resource from the node" },
  "startup-fencing": { type: "boolean", default: "true", description: "fence nodes not seen at start-up" },
  "stonith-action": { type: { enum: ["reboot", "off", "poweroff"] }, default: "reboot", description: "fencing action" },
  "stonith-enabled": { type: "boolean", default: "true", description: "fence failed nodes before recovering their resources" },
  "stonith-max-attempts": { type: "integer", default: "10", description: "fencing attempts before giving up" },
  "stonith-timeout": { type: "duration", default: "60s", description: "how long to wait for a fencing action" },
  "stonith-watchdog-timeout": { type: "duration", default: "0", description: "watchdog self-fencing timeout" },
  "stop-all-resources": { type: "boolean", default: "false", description: "stop every resource" },
  "stop-orphan-actions": { type: "boolean", default: "true", description: "cancel recurring actions no longer configured" },
  "stop-orphan-resources": { type: "boolean", default: "true", description: "stop resources no longer configured" },
  "symmetric-cluster": { type: "boolean", default: "true", description: "resources may run anywhere unless constrained" },
  "transition-delay": { type: "duration", default: "0s", description: "wait before starting a transition" },
};

function checkValue(name: string, value: string, type: PropType, field: string): void {
  const bad = (what: string) => {
    throw new CibError(`'${value}' is not a valid ${name} value, use ${what}`, { field, code: "bad-value" });
  };
  if (type === "boolean" && !isValidBoolean(value)) bad("true or false");
  if (type === "duration" && !isValidDuration(value)) bad("a duration such as 30s, 5min, 1h");
  if (type === "integer" && !/^[+-]?\d+$/.test(value)) bad("an integer");
  if (type === "score" && !isValidScore(value)) bad("a score (integer, INFINITY, -INFINITY)");
  if (typeof type === "object" && !type.enum.includes(value)) bad(`one of ${type.enum.map((e) => `'${e}'`).join(", ")}`);
}

function bootstrapSet(cib: Cib): { sets: NvSet[]; index: number } {
  const sets = cib.configuration.crmConfig;
  const i = sets.findIndex((s) => s.id === "cib-bootstrap-options");
  if (i >= 0) return { sets, index: i };
  return { sets: [...sets, { id: "cib-bootstrap-options", nvpairs: [] }], index: sets.length };
}

export function propertySet(cib: Cib, name: string, value: string, ctx: OpsContext = {}): OpResult {
  const def = CLUSTER_PROPERTIES[name];
  if (!def && !ctx.force) throw new CibError(`unknown cluster property: '${name}', (use --force to override)`, { field: name, code: "unknown-property" });
  if (def?.readOnly && !ctx.force) throw new CibError(`cluster property '${name}' is read-only (set by the controller)`, { field: name });
  if (value === "") return propertyUnset(cib, name, ctx);
  if (def) checkValue(name, value, def.type, name);
  const { sets, index } = bootstrapSet(cib);
  const used = allConfigIds(cib);
  // change it where it already is (first set holding it), else in cib-bootstrap-options
  const holder = sets.findIndex((s) => s.nvpairs.some((p) => p.name === name) && !s.rule);
  const i = holder >= 0 ? holder : index;
  const updated = nvSet([sets[i]], sets[i].id, "cluster_property_set", name, value, used)[0];
  const crmConfig = sets.map((s, j) => (j === i ? updated : s));
  return { cib: withConfig(cib, { crmConfig }), message: "", warnings: [] };
}

export function propertyUnset(cib: Cib, name: string, ctx: OpsContext = {}): OpResult {
  const present = cib.configuration.crmConfig.some((s) => s.nvpairs.some((p) => p.name === name));
  if (!present) {
    if (ctx.force) return { cib, message: "", warnings: [] };
    throw new CibError(`can't remove property: '${name}' that doesn't exist`, { field: name, code: "unknown-property" });
  }
  const crmConfig = cib.configuration.crmConfig.map((s) => ({ ...s, nvpairs: s.nvpairs.filter((p) => p.name !== name) }));
  return { cib: withConfig(cib, { crmConfig }), message: "", warnings: [] };
}

const RSC_DEFAULT_TYPES: Record<string, PropType> = {
  "resource-stickiness": "score",
  "migration-threshold": "score",
  "failure-timeout": "duration",
  "is-managed": "boolean",
  "target-role": { enum: ["Stopped", "Started", "Promoted", "Unpromoted", "Master", "Slave"] },
  priority: "integer",
  "multiple-active": { enum: ["block", "stop_only", "stop_start", "stop_unexpected"] },
  "allow-migrate": "boolean",
  "critical": "boolean",
  "maintenance": "boolean",
};
const OP_DEFAULT_TYPES: Record<string, PropType> = {
  timeout: "duration",
  interval: "duration",
  "on-fail": { enum: ["ignore", "block", "stop", "restart", "standby", "fence", "restart-container", "demote"] },
  "record-pending": "boolean",
  enabled: "boolean",
  "start-delay": "duration",
};

function defaultsUpdate(sets: NvSet[], owner: string, meta: Record<string, string>, types: Record<string, PropType>, cib: Cib): NvSet[] {
  const used = allConfigIds(cib);
  let out = sets;
  for (const [k, v] of Object.entries(meta)) {
    if (v === "") {
      out = nvUnset(out, k);
      continue;
    }
    const t = types[k];
    if (t) checkValue(k, v, t, k);
    out = nvSet(out, owner, "meta_attributes", k, v, used);
  }
  return out;
}

/** pcs resource defaults update k=v (rsc_defaults, set id rsc_defaults-meta_attributes). */
export function rscDefaults(cib: Cib, meta: Record<string, string>): OpResult {
  const rscDefaults = defaultsUpdate(cib.configuration.rscDefaults, "rsc_defaults", meta, RSC_DEFAULT_TYPES, cib);
  return { cib: withConfig(cib, { rscDefaults }), message: "", warnings: [] };
}

/** pcs resource op defaults update k=v (op_defaults, set id op_defaults-meta_attributes). */
export function opDefaults(cib: Cib, meta: Record<string, string>): OpResult {
  const opDefaults = defaultsUpdate(cib.configuration.opDefaults, "op_defaults", meta, OP_DEFAULT_TYPES, cib);
  return { cib: withConfig(cib, { opDefaults }), message: "", warnings: [] };
}
