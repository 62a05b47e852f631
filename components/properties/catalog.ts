// Cluster options the console explains and validates. Descriptions are Vigil's
// own words; defaults follow Pacemaker 2.1 (Vigil-only options are marked).

export type PropType = "boolean" | "duration" | "integer" | "enum" | "string";

export interface PropInfo {
  name: string;
  type: PropType;
  default: string;
  values?: string[];
  description: string;
}

export const CLUSTER_PROPERTIES: PropInfo[] = [
  { name: "stonith-enabled", type: "boolean", default: "true", description: "Fence (power off / reboot) a node that is lost before recovering its resources elsewhere. Turning it off risks running a service twice." },
  { name: "no-quorum-policy", type: "enum", default: "stop", values: ["stop", "freeze", "ignore", "demote", "suicide"], description: "What the nodes still in touch do when they are fewer than half: stop everything, keep what runs but start nothing, ignore quorum, or demote promoted instances." },
  { name: "symmetric-cluster", type: "boolean", default: "true", description: "Resources may run on any node unless a constraint says otherwise. When false, a resource runs only where a location constraint allows it." },
  { name: "maintenance-mode", type: "boolean", default: "false", description: "Stop managing every resource: nothing is started, stopped or monitored until it is turned off again." },
  { name: "stop-all-resources", type: "boolean", default: "false", description: "Stop every resource in the cluster (configuration is kept)." },
  { name: "start-failure-is-fatal", type: "boolean", default: "true", description: "A failed start bans the resource from that node at once (fail-count INFINITY) instead of counting towards migration-threshold." },
  { name: "cluster-recheck-interval", type: "duration", default: "15min", description: "Re-run the scheduler at least this often, so time-based rules and failure-timeout take effect without another event." },
  { name: "batch-limit", type: "integer", default: "0", description: "How many actions may run at once across the cluster (0 = choose automatically)." },
  { name: "stonith-timeout", type: "duration", default: "60s", description: "How long to wait for a fence action to finish before it counts as failed." },
  { name: "concurrent-fencing", type: "boolean", default: "false", description: "Allow several fence actions at the same time." },
  { name: "stop-orphan-resources", type: "boolean", default: "true", description: "Stop resources that are running but no longer configured." },
  { name: "placement-strategy", type: "enum", default: "default", values: ["default", "utilization", "minimal", "balanced"], description: "How nodes are chosen when scores tie: by node order, or by utilization attributes and capacity." },
  { name: "host-timeout", type: "duration", default: "1s", description: "Vigil: how long a host's SSH keepalives may go unanswered before the host is declared lost." },
  { name: "cluster-name", type: "string", default: "", description: "A name for this cluster, shown in the console and in alerts." },
];

export const RESOURCE_DEFAULTS: PropInfo[] = [
  { name: "resource-stickiness", type: "integer", default: "0", description: "How strongly a running resource prefers to stay where it is. Raise it to avoid moving services back after a failed node returns." },
  { name: "migration-threshold", type: "integer", default: "INFINITY", description: "After this many failures on a node, the resource is moved away from it." },
  { name: "failure-timeout", type: "duration", default: "0", description: "Forget failures after this long without new ones (0 = never)." },
  { name: "target-role", type: "enum", default: "Started", values: ["Started", "Stopped", "Unpromoted", "Promoted"], description: "The state resources should be in unless they say otherwise." },
  { name: "is-managed", type: "boolean", default: "true", description: "Whether the cluster starts, stops and monitors resources." },
  { name: "priority", type: "integer", default: "0", description: "When not everything can run, higher priority resources are kept running first." },
];

export const OP_DEFAULTS: PropInfo[] = [
  { name: "timeout", type: "duration", default: "20s", description: "How long an operation may take before it counts as failed." },
  { name: "record-pending", type: "boolean", default: "true", description: "Record operations while they are still running, so the console can show them." },
];
