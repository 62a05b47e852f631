// The scheduler's internal working set: a richer, mutable model than the
// ClusterState contract. One WorkingSet is built per schedule() call, filled
// by the unpack phases, changed by assignment and action creation, and thrown
// away afterwards. Nothing here is shared between calls.
import type { Cib, Primitive, Group, Clone, Operation, LrmResource } from "../cib/types";
import type { Role } from "./types";
import type { ScoreLog } from "./score-log";
import type { OpView } from "./unpack-status";

/** Role order as Pacemaker compares them: Unknown < Stopped < Started < Unpromoted < Promoted. */
export const ROLE_RANK: Record<Role, number> = { Unknown: 0, Stopped: 1, Started: 2, Unpromoted: 3, Promoted: 4 };

export interface SNode {
  id: string;
  uname: string;
  /** position in the configuration's node list */
  index: number;
  type: "member" | "remote" | "ping";
  online: boolean;
  unclean: boolean;
  pending: boolean;
  standby: boolean;
  standbyOnFail: boolean;
  maintenance: boolean;
  shutdown: boolean;
  expectedUp: boolean;
  /** node_state present in status */
  hasState: boolean;
  /** configuration instance attributes merged with transient attributes; includes #uname, #id, #kind */
  attrs: Record<string, string>;
  /** resources assigned to it during this run (tie-break: fewest first) */
  numResources: number;
  /** primitives active on it */
  running: SRsc[];
  /** the reason the node must be fenced (first one found) */
  fenceReason?: string;
  /** unclean and fencing is requested */
  wantFence: boolean;
  /** remove from placement (offline, unclean, shutting down) */
  fixed: boolean;
}

/**
 * A node-score table (a resource's allowed nodes and their scores): the part of a
 * Map<SNode, number> the scheduler uses, with the same iteration order (insertion order; setting
 * a node that is present keeps its place) and no delete. The scores live in an array indexed by
 * SNode.index and the nodes in an array in insertion order, so a lookup is one array read, a copy
 * is two array copies, and a table of 32 nodes is a fraction of a Map's size (1000 resources ×
 * 32 nodes of them per schedule, copied again during assignment).
 */
export class NodeScores {
  /** the nodes, in insertion order */
  private readonly order: SNode[];
  /** score by SNode.index; undefined: the node is not in the table */
  private readonly byIndex: (number | undefined)[];

  constructor(order: SNode[] = [], byIndex: (number | undefined)[] = []) {
    this.order = order;
    this.byIndex = byIndex;
  }

  /** A table with every node of `nodes` (distinct, all of one working set) at score s, in that order. */
  static filled(nodes: readonly SNode[], s: number): NodeScores {
    const byIndex: (number | undefined)[] = [];
    for (const n of nodes) byIndex[n.index] = s;
    return new NodeScores(nodes.slice(), byIndex);
  }

  get size(): number {
    return this.order.length;
  }

  get(n: SNode): number | undefined {
    return this.byIndex[n.index];
  }

  has(n: SNode): boolean {
    return this.byIndex[n.index] !== undefined;
  }

  set(n: SNode, s: number): this {
    if (this.byIndex[n.index] === undefined) this.order.push(n);
    this.byIndex[n.index] = s;
    return this;
  }

  /** A copy, in the same order. */
  copy(): NodeScores {
    return new NodeScores(this.order.slice(), this.byIndex.slice());
  }

  /** The nodes in order (a node set while the iteration runs is visited too, as with a Map). */
  keys(): IterableIterator<SNode> {
    return this.order.values();
  }

  *values(): IterableIterator<number> {
    for (const n of this.order) yield this.byIndex[n.index]!;
  }

  *entries(): IterableIterator<[SNode, number]> {
    for (const n of this.order) yield [n, this.byIndex[n.index]!];
  }

  [Symbol.iterator](): IterableIterator<[SNode, number]> {
    return this.entries();
  }

  forEach(f: (s: number, n: SNode) => void): void {
    for (const n of this.order) f(this.byIndex[n.index]!, n);
  }
}

/**
 * A set of nodes (of one working set) with a Set's insertion-ordered iteration: a bit per
 * SNode.index for membership beside the nodes in the order added. Every resource has one for the
 * nodes its state is known on (all 32 of them at 32x1000), where a Set<SNode> of 32 entries is
 * about three times the size, grown through four tables.
 */
export class NodeSet implements Iterable<SNode> {
  private readonly order: SNode[] = [];
  private readonly bits: number[] = [0];

  get size(): number {
    return this.order.length;
  }

  has(n: SNode): boolean {
    return ((this.bits[n.index >> 5] ?? 0) & (1 << (n.index & 31))) !== 0;
  }

  add(n: SNode): this {
    const w = n.index >> 5;
    const bit = 1 << (n.index & 31);
    while (this.bits.length <= w) this.bits.push(0);
    if ((this.bits[w] & bit) === 0) {
      this.bits[w] |= bit;
      this.order.push(n);
    }
    return this;
  }

  [Symbol.iterator](): IterableIterator<SNode> {
    return this.order.values();
  }

  /** f of every node, in order (without the iterator protocol, which a spread of this set goes through) */
  map<T>(f: (n: SNode) => T): T[] {
    return this.order.map(f);
  }

  forEach(f: (n: SNode) => void): void {
    for (const n of this.order) f(n);
  }
}

/** A node with a score in a resource's allowed-node table. */
export type Weights = NodeScores;

export type RecoveryType = "stop_start" | "stop_only" | "block" | "stop_unexpected";

export interface OpConfig {
  name: string;
  intervalMs: number;
  timeoutMs?: number;
  role?: Role;
  onFail?: string;
  enabled: boolean;
  op: Operation;
}

export interface SColocation {
  id: string;
  dependent: SRsc;
  primary: SRsc;
  score: number;
  dependentRole: Role; // Unknown = any
  primaryRole: Role;
  nodeAttribute: string;
  influence: boolean;
}

export interface SLocation {
  id: string;
  rsc: SRsc;
  role: Role; // Unknown = any
  /** node -> score for the nodes the constraint names */
  nodes: { node: SNode; score: number }[];
  discovery: string;
}

export interface SRsc {
  /** instance id: "rsc", "clone-child:0" */
  id: string;
  /** configured id (without instance suffix) */
  cfgId: string;
  variant: "primitive" | "group" | "clone";
  parent?: SRsc;
  children: SRsc[];
  xml?: Primitive | Group | Clone;
  meta: Record<string, string>;
  /** resolved instance attributes (primitives) */
  params: Record<string, string>;
  ops: OpConfig[];
  agent?: { standard: string; provider?: string; type: string };
  priority: number;
  stickiness: number;
  migrationThreshold: number;
  failureTimeoutMs: number;
  recovery: RecoveryType;
  /** target-role resolved through the ancestors (Unknown = none set = Started) */
  targetRole: Role;
  managed: boolean;
  /** configured is-managed=false or maintenance (for display: "unmanaged") */
  orphan: boolean;
  failed: boolean;
  blocked: boolean;
  /** the failure requires a stop (on-fail restart/stop/...) */
  stopOnFail: boolean;
  startPending: boolean;
  critical: boolean;
  requires: "nothing" | "quorum" | "fencing";
  // clone settings (variant clone)
  promotable: boolean;
  uniqueClone: boolean;
  cloneMax: number;
  cloneNodeMax: number;
  promotedMax: number;
  promotedNodeMax: number;
  interleave: boolean;
  ordered: boolean;
  notify: boolean;
  /** group settings */
  colocatedGroup: boolean;
  orderedGroup: boolean;

  // status
  role: Role;
  nextRole: Role;
  /** where it is active, in the order found */
  runningOn: SNode[];
  /** nodes where its state is known from history (probes not needed) */
  knownOn: NodeSet;
  // (failedOn, roleOn, pendingOn: created with their first entry; most resources never get one)
  /** nodes where it failed (for display) */
  failedOn: Set<SNode> | undefined;
  /** role per node as found in history */
  roleOn: Map<SNode, Role> | undefined;
  /** pending operation per node (record-pending) */
  pendingOn: Map<SNode, string> | undefined;
  /** recurring monitors found active in history: key -> node */
  activeMonitors: { key: string; node: SNode; intervalMs: number; name: string }[];

  // assignment
  allowed: Weights;
  provisional: boolean;
  allocating: boolean;
  merging: boolean;
  allocatedTo?: SNode;
  /** colocations where this is the dependent */
  consAsDependent: SColocation[];
  /** colocations where this is the primary */
  consAsPrimary: SColocation[];
  locations: SLocation[];
  /** promotion score (promotable instances) */
  promotionScore: number;
  /** for display only */
  pendingTask?: string;
  /** the id its operation history uses, when not its instance id (anonymous clone instances: the bare id) */
  historyName?: string;
  /** the instance number (clone children) */
  instanceNo?: number;
  /** anonymous clone instance that was found active only under the base name */
  actions: SAction[];
  /** first node the history recorded the resource on (for failure-related bookkeeping) */
  restarting: boolean;
  stopUnexpected: boolean;
  expectedNode?: SNode;
  /**
   * the status entries (lrm_resource) read for this resource, per node (the fast path leaves out
   * entries that are one probe finding it stopped: see unpackLrmResource)
   */
  history?: { node: SNode; lr: LrmResource; ops: readonly OpView[] }[];
  /** the node of the last status entry read for it (a second entry on the same node follows it directly) */
  lastHistoryNode?: SNode;
  /** history entries (op id + node) of failed recurring monitors whose failure expired */
  expiredMonitors?: Set<string>;
  /** a reload (instead of a restart) applies its changed parameters */
  reload?: boolean;
  /** nodes where an operation with on-fail=block failed: its fail-count there never expires */
  blockingFailureOn?: Set<SNode>;
  /** was stopped because its role is forced by failure handling */
  unpackedRole?: Role;
}

export interface SAction {
  seq: number;
  key: string;
  task: string;
  rsc?: SRsc;
  node?: SNode;
  intervalMs: number;
  optional: boolean;
  runnable: boolean;
  pseudo: boolean;
  /** printed in the graph even when optional (pending start) */
  printAlways: boolean;
  reason?: string;
  meta: Record<string, string>;
  params: Record<string, string>;
  timeoutMs: number;
  fenceAction?: string;
  /** needs quorum/fencing to run */
  needs: "nothing" | "quorum" | "fencing";
  before: SOrder[];
  after: SOrder[];
  /** for recurring monitors: the expected rc (7 for role=Stopped monitors) */
  targetRc?: number;
  cancel?: boolean;
  /** created before assignment on no node: the first request for a node takes it there */
  bindable?: boolean;
  /** runnable only when this many of its one-or-more inputs are (default 1) */
  requiredRunnableBefore?: number;
  /** the "enough of them can run" pseudo action of a clone-min or require-all=false ordering (clone-min.ts) */
  oneOrMoreMet?: boolean;
  /** task, when key is actionKey(rsc, task, 0) by construction (see isZeroAction) */
  zeroTask?: string;
}

/** Ordering flags, after Pacemaker Explained's ordering semantics. */
export const O = {
  none: 0,
  optional: 1 << 0,
  impliesThen: 1 << 1,
  impliesFirst: 1 << 2,
  runnableLeft: 1 << 3,
  restart: 1 << 4,
  asymmetrical: 1 << 5,
  serialize: 1 << 6,
  oneOrMore: 1 << 7,
  impliesFirstPromoted: 1 << 8,
  sameNode: 1 << 9,
  thenCancelsFirst: 1 << 10,
  probe: 1 << 11,
  impliesThenOnNode: 1 << 12,
  antiColocation: 1 << 13,
  preserve: 1 << 14,
  /** the inverse of a mandatory order: then cannot run when first cannot and holds it up (graph.ts holdsUp) */
  stopBlocksThen: 1 << 15,
} as const;

export interface SOrder {
  first: SAction;
  then: SAction;
  flags: number;
  id?: string;
}

/** An ordering between resources' actions, resolved to actions after action creation. */
export interface ROrder {
  id: string;
  firstRsc?: SRsc;
  firstTask: string; // "start" "stop" "promote" "demote" "running" ...
  firstAction?: SAction;
  thenRsc?: SRsc;
  thenTask: string;
  thenAction?: SAction;
  flags: number;
}

export interface WorkingSet {
  cib: Cib;
  now: number;
  props: Record<string, string>;
  nodes: SNode[];
  nodeById: Map<string, SNode>;
  nodeByUname: Map<string, SNode>;
  /** top-level resources in configuration order, followed by orphans */
  resources: SRsc[];
  /** every resource at any depth, by instance id */
  rscById: Map<string, SRsc>;
  /** configured id -> resource (for clone children: the clone's first instance's template) */
  primitives: SRsc[];
  colocations: SColocation[];
  locations: SLocation[];
  orders: ROrder[];
  actions: SAction[];
  /** probes, ordered before their resource's start when orderings are applied */
  probes: SAction[];
  /**
   * actions by key: the action, or (from the second action of a key on) a list of them; the
   * actions of one key are on different nodes (see findAction)
   */
  actionByKey: Map<string, SAction | SAction[]>;
  haveQuorum: boolean;
  noQuorumPolicy: "stop" | "freeze" | "ignore" | "demote" | "suicide";
  stonithEnabled: boolean;
  symmetric: boolean;
  maintenanceMode: boolean;
  stopAll: boolean;
  startFailureIsFatal: boolean;
  stonithAction: string;
  dcUuid?: string;
  hasStonithResource: boolean;
  defaultStickiness: number;
  messages: string[];
  /** allocation and promotion scores, read as AllocationScore[] only when wanted */
  scores: ScoreLog;
  seq: number;
  /** resources with a failure that on-fail=ignore ignored */
  failedIgnored: Set<SRsc>;
  /** options for rule evaluation */
  opDefaults: Record<string, string>;
  /** recurring monitors (action key + node) to run again because their definition changed */
  rescheduled?: Set<string>;
}
