// Contracts of the scheduler (policy engine). The scheduler is pure: these
// values are computed from (Cib, now) only, never from clocks, I/O or randomness.

export type Role = "Stopped" | "Started" | "Unpromoted" | "Promoted" | "Unknown";

export interface ScheduleOptions {
  /** "now" in seconds since the epoch (crm_simulate: the CIB's execution-date, else the caller's clock). */
  now: number;
}

// ---------------------------------------------------------------------------
// Unpacked status: what is where right now. Produced by unpack(cib, now);
// rendered by the crm_mon formatter (vigil status, simulate) and sent to the
// console, so the UI never interprets the CIB itself.

export interface NodeView {
  id: string;
  uname: string;
  type: "member" | "remote" | "ping";
  online: boolean;
  /** lost without a clean shutdown and not yet fenced */
  unclean: boolean;
  pending: boolean;
  standby: boolean;
  /** standby because of on-fail=standby */
  standbyOnFail: boolean;
  maintenance: boolean;
  shutdown: boolean;
  expectedUp: boolean;
  /** node attributes (configuration) merged with transient attributes (status) */
  attributes: Record<string, string>;
  /** number of resource instances active on it */
  resourceCount: number;
}

export interface ActiveInstance {
  node: string; // uname
  role: Role;
  failed: boolean;
}

export interface ResourceView {
  id: string; // instance id as in status, e.g. "rsc1", "child:0"
  kind: "primitive" | "group" | "clone";
  /** "ocf:heartbeat:IPaddr2" (primitives only) */
  agent?: string;
  /** group members; clone instances (for a clone of a group: instance groups) */
  children: ResourceView[];
  /** primitives: where it is active and in which role (more than one entry = multiply active) */
  active: ActiveInstance[];
  /** configured target-role (undefined = default Started); the effective value: the resource's
   *  own meta attribute, else inherited from its group/clone, else rsc_defaults (crm_mon prints
   *  "(disabled)" from it) */
  targetRole?: string;
  managed: boolean;
  /** blocked from further action due to failure */
  blocked: boolean;
  failed: boolean;
  /** in status but no longer in configuration */
  orphan: boolean;
  /** clone meta */
  promotable?: boolean;
  globallyUnique?: boolean;
  /** the clone instance's or primitive's preferred node when stopped, if any (for display of pending) */
  pendingTask?: string;
  description?: string;
  /** a failed operation was ignored (on-fail=ignore): crm_mon flags it "(failure ignored)" */
  failureIgnored?: boolean;
  /** clones: the child element's id ("Clone Set: clone [child]"); default: first instance id without ":N" */
  childId?: string;
  /** clones: clone-max (default: number of non-orphan instances) */
  cloneMax?: number;
  /** clones: node unames where any instance has operation history (crm_mon's "Stopped: [ ... ]" list
   *  in asymmetric clusters, where Pacemaker lists known nodes instead of all nodes) */
  knownOn?: string[];
  /** top-level resources: the priority meta attribute; crm_mon lists resources by priority
   *  (highest first), configuration order among equals */
  priority?: number;
}

export interface FailedAction {
  rsc: string;
  node: string;
  task: string;
  intervalMs: number;
  rc: number;
  /** "not running", "error", ... as crm_mon words them */
  rcText: string;
  opStatus: number;
  /** "complete", "Timed Out", ... */
  opStatusText: string;
  exitReason?: string;
  callId: number;
  lastRcChange?: number; // epoch seconds
  execMs: number;
  queueMs: number;
  /** id of the lrm_rsc_op, e.g. rsc_monitor_10000 or rsc_last_failure_0 */
  opId: string;
}

export interface FailCount {
  rsc: string;
  node: string;
  failCount: number; // INFINITY = 1000000
  lastFailure?: number;
  migrationThreshold: number;
}

export interface ClusterState {
  nodes: NodeView[];
  resources: ResourceView[];
  failedActions: FailedAction[];
  failCounts: FailCount[];
  haveQuorum: boolean;
  /** uname of the DC, if any */
  dc?: string;
  stonithEnabled: boolean;
  symmetricCluster: boolean;
  maintenanceMode: boolean;
  noQuorumPolicy: string;
  /** counts as crm_mon's summary prints them */
  counts: { nodes: number; resourceInstances: number; disabled: number; blocked: number };
  /** configuration problems found while unpacking (printed as crm_simulate prints them) */
  messages: string[];
  /** votequorum's numbers as the DC computed them (set by the controller, not by unpack; absent offline) */
  quorum?: QuorumVotes;
}

/** What the console shows as "Quorate · 3 of 3 votes, quorum 2" (corosync-quorumtool's Votequorum section). */
export interface QuorumVotes {
  quorate: boolean;
  /** votes of the members present ("Total votes") */
  votes: number;
  /** "Expected votes" (the highest expected, never below the votes present) */
  expectedVotes: number;
  /** votes needed ("Quorum") */
  quorum: number;
  /** corosync-quorumtool's flags, e.g. ["Quorate", "WaitForAll"] */
  flags: string[];
}

// ---------------------------------------------------------------------------
// The transition graph.

export interface Action {
  /** unique within a transition, also the order crm_simulate would number it */
  id: number;
  /** Pacemaker key: rsc_start_0, rsc_monitor_10000, grp_running_0, stonith-node2-reboot */
  key: string;
  /** start stop monitor promote demote notify cancel stonith; pseudo: running stopped promoted demoted pre_notify_* ... */
  task: string;
  /** resource instance id as in status (e.g. "child:1"), absent for node actions */
  rsc?: string;
  /** configured resource id (e.g. "child" for "child:1") */
  configRsc?: string;
  /** target node uname; absent for pseudo actions */
  node?: string;
  intervalMs: number;
  pseudo: boolean;
  /** for stonith: reboot | off | on */
  fenceAction?: string;
  /** agent (primitives) */
  standard?: string;
  provider?: string;
  agentType?: string;
  /** resolved instance attributes (OCF_RESKEY_*) */
  params: Record<string, string>;
  /** resolved CRM_meta values without the prefix: timeout, interval, clone, clone_max, notify_*, on_node ... */
  meta: Record<string, string>;
  timeoutMs: number;
  /** why (for the console/history); not part of Pacemaker output */
  reason?: string;
}

export interface Edge {
  /** `then` may start only after `first` completed */
  first: number;
  then: number;
}

export interface Transition {
  actions: Action[];
  edges: Edge[];
}

export interface AllocationScore {
  /** the printed prefix, e.g. "pcmk__native_allocate", "pcmk__group_allocate", "pcmk__clone_allocate", "promotion" */
  scope: string;
  rsc: string;
  node: string;
  score: number;
}

export interface ScheduleResult {
  transition: Transition;
  /** Transition Summary lines exactly as crm_simulate prints them, e.g. "  * Start      rsc1     ( node1 )" */
  summary: string[];
  /** -s output lines in crm_simulate's form */
  scores: AllocationScore[];
  /** status as unpacked before scheduling */
  before: ClusterState;
  /** configuration errors/warnings in crm_simulate's words ("error: ...", "warning: ...") */
  messages: string[];
}

/** Thrown when a CIB uses something Vigil's scheduler does not support (bundle, ticket, remote node ...). */
export class UnsupportedFeatureError extends Error {
  constructor(
    public feature: string,
    public elementId: string,
    message?: string,
  ) {
    super(message ?? `unsupported feature: ${feature} (element id "${elementId}")`);
    this.name = "UnsupportedFeatureError";
  }
}
