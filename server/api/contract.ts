// The one typed contract between the controller's API and its clients (the
// console, the CLI, scripts). Every REST payload and WebSocket message has a
// zod schema here; server and clients validate at runtime with the same code.
// No node-only imports: the console bundles this file.
//
// Stability: fields are only ever added (optional) — see docs/api.md.

import { z } from "zod";
import type * as Cib from "../cib/types";
import type * as Sched from "../scheduler/types";
import type { ClusterEvent as CtlClusterEvent, TransitionRecord as CtlTransitionRecord } from "../controller/types";
import type { HostStatus as MgrHostStatus } from "../hosts/manager";
import type { FenceRecord as FenceHistoryRecord } from "../fencing/history";

// ---------------------------------------------------------------------------
// compile-time checks: a schema's inferred type and the TS interface must be
// assignable both ways, so a change to one without the other fails `tsc`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function assertSame<T extends true>(_?: T): void {}

const str = z.string();
const opt = z.string().optional();
const extra = z.record(z.string(), z.string()).optional();

// ---------------------------------------------------------------------------
// CIB model (server/cib/types.ts) — the console renders configuration from it.

export const RawXmlSchema: z.ZodType<Cib.RawXml> = z.lazy(() =>
  z.object({ tag: str, attrs: z.record(z.string(), z.string()), children: z.array(RawXmlSchema), text: opt }),
);

export const NvPairSchema = z.object({ id: str, name: str, value: opt, idRef: opt, extraAttrs: extra });

export const ExpressionSchema = z.object({
  kind: z.literal("expression"),
  id: str,
  attribute: str,
  operation: str,
  value: opt,
  type: opt,
  valueSource: opt,
  extraAttrs: extra,
});
export const DateSpecSchema = z.object({ id: str, attrs: z.record(z.string(), z.string()) });
export const DateExpressionSchema = z.object({
  kind: z.literal("date_expression"),
  id: str,
  operation: str,
  start: opt,
  end: opt,
  dateSpec: DateSpecSchema.optional(),
  duration: DateSpecSchema.optional(),
  extraAttrs: extra,
});
export const RscOpExpressionSchema = z.object({
  kind: z.enum(["rsc_expression", "op_expression"]),
  id: str,
  attrs: z.record(z.string(), z.string()),
});
export const RuleSchema: z.ZodType<Cib.Rule> = z.lazy(() =>
  z.object({
    kind: z.literal("rule"),
    id: str,
    score: opt,
    scoreAttribute: opt,
    booleanOp: opt,
    role: opt,
    idRef: opt,
    expressions: z.array(z.union([ExpressionSchema, DateExpressionSchema, RscOpExpressionSchema, RuleSchema])),
    extraAttrs: extra,
    unknown: z.array(RawXmlSchema).optional(),
  }),
);
export const NvSetSchema = z.object({
  id: str,
  score: opt,
  rule: RuleSchema.optional(),
  nvpairs: z.array(NvPairSchema),
  idRef: opt,
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const OperationSchema = z.object({
  id: str,
  name: str,
  interval: str,
  timeout: opt,
  role: opt,
  onFail: opt,
  enabled: opt,
  recordPending: opt,
  startDelay: opt,
  intervalOrigin: opt,
  description: opt,
  instanceAttributes: z.array(NvSetSchema),
  metaAttributes: z.array(NvSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
const resourceCommon = {
  id: str,
  description: opt,
  metaAttributes: z.array(NvSetSchema),
  instanceAttributes: z.array(NvSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
};
export const PrimitiveSchema = z.object({
  ...resourceCommon,
  kind: z.literal("primitive"),
  class: str,
  provider: opt,
  type: str,
  template: opt,
  utilization: z.array(NvSetSchema),
  operations: z.array(OperationSchema),
  operationsAttrs: extra,
});
export const GroupSchema = z.object({ ...resourceCommon, kind: z.literal("group"), children: z.array(PrimitiveSchema) });
export const CloneSchema = z.object({
  ...resourceCommon,
  kind: z.literal("clone"),
  child: z.union([PrimitiveSchema, GroupSchema]),
  legacyMaster: z.boolean().optional(),
});
export const UnsupportedResourceSchema = z.object({
  ...resourceCommon,
  kind: z.literal("unsupported"),
  tag: str,
  raw: RawXmlSchema,
});
export const ResourceSchema = z.discriminatedUnion("kind", [
  PrimitiveSchema,
  GroupSchema,
  CloneSchema,
  UnsupportedResourceSchema,
]);
export const ResourceSetSchema = z.object({
  id: str,
  idRef: opt,
  resources: z.array(str),
  sequential: opt,
  requireAll: opt,
  ordering: opt,
  action: opt,
  role: opt,
  score: opt,
  kind: opt,
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const LocationConstraintSchema = z.object({
  kind: z.literal("location"),
  id: str,
  rsc: opt,
  rscPattern: opt,
  node: opt,
  score: opt,
  role: opt,
  resourceDiscovery: opt,
  rules: z.array(RuleSchema),
  sets: z.array(ResourceSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const ColocationConstraintSchema = z.object({
  kind: z.literal("colocation"),
  id: str,
  rsc: opt,
  withRsc: opt,
  score: opt,
  rscRole: opt,
  withRscRole: opt,
  nodeAttribute: opt,
  influence: opt,
  sets: z.array(ResourceSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const OrderConstraintSchema = z.object({
  kind: z.literal("order"),
  id: str,
  first: opt,
  then: opt,
  firstAction: opt,
  thenAction: opt,
  orderKind: opt,
  score: opt,
  symmetrical: opt,
  sets: z.array(ResourceSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const UnsupportedConstraintSchema = z.object({ kind: z.literal("unsupported"), id: str, tag: str, raw: RawXmlSchema });
export const ConstraintSchema = z.discriminatedUnion("kind", [
  LocationConstraintSchema,
  ColocationConstraintSchema,
  OrderConstraintSchema,
  UnsupportedConstraintSchema,
]);
export const CibNodeSchema = z.object({
  id: str,
  uname: str,
  type: opt,
  description: opt,
  score: opt,
  instanceAttributes: z.array(NvSetSchema),
  utilization: z.array(NvSetSchema),
  extraAttrs: extra,
  unknown: z.array(RawXmlSchema).optional(),
});
export const ConfigurationSchema = z.object({
  crmConfig: z.array(NvSetSchema),
  nodes: z.array(CibNodeSchema),
  resources: z.array(ResourceSchema),
  constraints: z.array(ConstraintSchema),
  rscDefaults: z.array(NvSetSchema),
  opDefaults: z.array(NvSetSchema),
  unknown: z.array(RawXmlSchema),
});
/** What the WebSocket carries of the CIB: its attributes (epoch ...) and the
 *  configuration. The status section is represented by ClusterState instead. */
export const CibConfigViewSchema = z.object({
  attrs: z.record(z.string(), z.string()),
  configuration: ConfigurationSchema,
});
export type CibConfigView = z.infer<typeof CibConfigViewSchema>;

assertSame<Same<z.infer<typeof NvSetSchema>, Cib.NvSet>>();
assertSame<Same<z.infer<typeof PrimitiveSchema>, Cib.Primitive>>();
assertSame<Same<z.infer<typeof ResourceSchema>, Cib.Resource>>();
assertSame<Same<z.infer<typeof ConstraintSchema>, Cib.Constraint>>();
assertSame<Same<z.infer<typeof ConfigurationSchema>, Cib.Configuration>>();
assertSame<Same<CibConfigView, Pick<Cib.Cib, "attrs" | "configuration">>>();

// ---------------------------------------------------------------------------
// ClusterState (server/scheduler/types.ts)

export const RoleSchema = z.enum(["Stopped", "Started", "Unpromoted", "Promoted", "Unknown"]);
export const NodeViewSchema = z.object({
  id: str,
  uname: str,
  type: z.enum(["member", "remote", "ping"]),
  online: z.boolean(),
  unclean: z.boolean(),
  pending: z.boolean(),
  standby: z.boolean(),
  standbyOnFail: z.boolean(),
  maintenance: z.boolean(),
  shutdown: z.boolean(),
  expectedUp: z.boolean(),
  attributes: z.record(z.string(), z.string()),
  resourceCount: z.number(),
});
export const ActiveInstanceSchema = z.object({ node: str, role: RoleSchema, failed: z.boolean() });
export const ResourceViewSchema: z.ZodType<Sched.ResourceView> = z.lazy(() =>
  z.object({
    id: str,
    kind: z.enum(["primitive", "group", "clone"]),
    agent: opt,
    children: z.array(ResourceViewSchema),
    active: z.array(ActiveInstanceSchema),
    targetRole: opt,
    managed: z.boolean(),
    blocked: z.boolean(),
    failed: z.boolean(),
    orphan: z.boolean(),
    promotable: z.boolean().optional(),
    globallyUnique: z.boolean().optional(),
    pendingTask: opt,
    description: opt,
    failureIgnored: z.boolean().optional(),
    childId: opt,
    cloneMax: z.number().optional(),
    knownOn: z.array(str).optional(),
  }),
);
export const FailedActionSchema = z.object({
  rsc: str,
  node: str,
  task: str,
  intervalMs: z.number(),
  rc: z.number(),
  rcText: str,
  opStatus: z.number(),
  opStatusText: str,
  exitReason: opt,
  callId: z.number(),
  lastRcChange: z.number().optional(),
  execMs: z.number(),
  queueMs: z.number(),
  opId: str,
});
export const FailCountSchema = z.object({
  rsc: str,
  node: str,
  failCount: z.number(),
  lastFailure: z.number().optional(),
  migrationThreshold: z.number(),
});
export const QuorumVotesSchema = z.object({ quorate: z.boolean(), votes: z.number(), expectedVotes: z.number(), quorum: z.number(), flags: z.array(str) });
assertSame<Same<z.infer<typeof QuorumVotesSchema>, Sched.QuorumVotes>>();
export const ClusterStateSchema = z.object({
  nodes: z.array(NodeViewSchema),
  resources: z.array(ResourceViewSchema),
  failedActions: z.array(FailedActionSchema),
  failCounts: z.array(FailCountSchema),
  haveQuorum: z.boolean(),
  dc: opt,
  stonithEnabled: z.boolean(),
  symmetricCluster: z.boolean(),
  maintenanceMode: z.boolean(),
  noQuorumPolicy: str,
  counts: z.object({ nodes: z.number(), resourceInstances: z.number(), disabled: z.number(), blocked: z.number() }),
  messages: z.array(str),
  quorum: QuorumVotesSchema.optional(),
});
export type ClusterState = Sched.ClusterState;
assertSame<Same<z.infer<typeof NodeViewSchema>, Sched.NodeView>>();
assertSame<Same<z.infer<typeof FailedActionSchema>, Sched.FailedAction>>();
assertSame<Same<z.infer<typeof ClusterStateSchema>, Sched.ClusterState>>();

// ---------------------------------------------------------------------------
// Events and transitions (server/controller/types.ts)

export const ClusterEventSchema = z.object({
  seq: z.number(),
  at: z.number(),
  kind: z.enum([
    "cib-change",
    "transition-start",
    "transition-end",
    "action-result",
    "node-lost",
    "node-joined",
    "fence",
    "monitor-failed",
    "quorum",
  ]),
  message: str,
  actor: opt,
  node: opt,
  rsc: opt,
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type ClusterEvent = CtlClusterEvent;
assertSame<Same<z.infer<typeof ClusterEventSchema>, CtlClusterEvent>>();

export const ActionSchema = z.object({
  id: z.number(),
  key: str,
  task: str,
  rsc: opt,
  configRsc: opt,
  node: opt,
  intervalMs: z.number(),
  pseudo: z.boolean(),
  fenceAction: opt,
  standard: opt,
  provider: opt,
  agentType: opt,
  params: z.record(z.string(), z.string()),
  meta: z.record(z.string(), z.string()),
  timeoutMs: z.number(),
  reason: opt,
});
export const TransitionSchema = z.object({
  actions: z.array(ActionSchema),
  edges: z.array(z.object({ first: z.number(), then: z.number() })),
});
export const TransitionRecordSchema = z.object({
  id: z.number(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
  trigger: str,
  status: z.enum(["running", "complete", "aborted", "failed"]),
  summary: z.array(str),
  transition: TransitionSchema,
  results: z.array(
    z.object({ actionId: z.number(), rc: z.number(), opStatus: z.number(), startedAt: z.number(), execMs: z.number() }),
  ),
});
export type TransitionRecord = CtlTransitionRecord;
assertSame<Same<z.infer<typeof ActionSchema>, Sched.Action>>();
assertSame<Same<z.infer<typeof TransitionRecordSchema>, CtlTransitionRecord>>();

// ---------------------------------------------------------------------------
// Auth

export const UserRoleSchema = z.enum(["admin", "operator", "read-only"]);
export type UserRole = z.infer<typeof UserRoleSchema>;

/** Every error response: one clear sentence, optionally the offending field / element. */
export const ErrorResponseSchema = z.object({ error: str, field: opt, elementId: opt, line: z.number().optional() });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

export const LoginRequestSchema = z.object({ user: z.string().min(1), password: z.string().min(1) });
export type LoginRequest = z.infer<typeof LoginRequestSchema>;
/** POST /api/login and GET /api/session. csrfToken goes into the X-CSRF-Token header of every change. */
export const SessionResponseSchema = z.object({ user: str, role: UserRoleSchema, csrfToken: str, idleTimeoutS: z.number() });
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const CSRF_HEADER = "x-csrf-token";
export const SESSION_COOKIE = "vigil_session";
export const CSRF_COOKIE = "vigil_csrf";

export const UserSchema = z.object({ name: str, role: UserRoleSchema, createdAt: z.number() });
export const UsersResponseSchema = z.object({ users: z.array(UserSchema) });
export const UserCreateRequestSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, "user name: letters, digits, _ . - (max 64)"),
  password: z.string().min(8, "password: at least 8 characters"),
  role: UserRoleSchema,
});
export const PasswordChangeRequestSchema = z.object({ password: z.string().min(8, "password: at least 8 characters") });

export const AuditEntrySchema = z.object({
  at: z.number(),
  user: str,
  role: str,
  from: opt,
  action: str,
  description: str,
  ok: z.boolean(),
  error: opt,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditResponseSchema = z.object({ entries: z.array(AuditEntrySchema) });

// ---------------------------------------------------------------------------
// Changes: every state-changing request is one Change. The REST routes build
// one from their path and body; POST /api/changes and POST /api/preview take
// one directly. server/cib/ops applies a Change to a CIB (API and `vigil -f`).

const id = z.string().min(1, "id must not be empty");
const nvMap = z.record(z.string(), z.string());
export const OpSpecSchema = z.object({
  /** action name: monitor start stop promote demote ... */
  name: z.string().min(1),
  /** interval=10s timeout=20s role=... on-fail=... (pcs names) */
  attrs: nvMap.default({}),
});
export type OpSpec = z.infer<typeof OpSpecSchema>;

export const ChangeSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("node-standby"), nodes: z.array(id), all: z.boolean().optional(), on: z.boolean() }),
  z.object({ op: z.literal("node-maintenance"), nodes: z.array(id), all: z.boolean().optional(), on: z.boolean() }),
  z.object({
    op: z.literal("node-attribute"),
    node: id,
    name: z.string().min(1),
    /** absent or "" deletes */
    value: z.string().optional(),
  }),
  z.object({
    op: z.literal("resource-create"),
    id,
    /** ocf:heartbeat:IPaddr2, systemd:haproxy, or a short name (Dummy) */
    agent: z.string().min(1),
    params: nvMap.default({}),
    ops: z.array(OpSpecSchema).default([]),
    meta: nvMap.default({}),
    group: z.string().optional(),
    before: z.string().optional(),
    after: z.string().optional(),
    disabled: z.boolean().optional(),
    force: z.boolean().optional(),
    noDefaultOps: z.boolean().optional(),
    /** pcs `clone [ID] [k=v...]` / `promotable [ID] [k=v...]` in the same create (one CIB write) */
    clone: z.object({ id: z.string().optional(), meta: nvMap.default({}), promotable: z.boolean().optional() }).optional(),
  }),
  z.object({ op: z.literal("resource-delete"), id }),
  z.object({ op: z.literal("resource-enable"), ids: z.array(id).min(1) }),
  z.object({ op: z.literal("resource-disable"), ids: z.array(id).min(1) }),
  z.object({ op: z.literal("resource-manage"), ids: z.array(id).min(1), on: z.boolean() }),
  /**
   * pcs `resource update ID k=v... [op ACTION k=v...]... [meta k=v...]`, as ONE
   * change: instance attributes (value "" deletes), then each `ops` entry
   * replaces the operation of that name (adds it when there is none), then meta
   * attributes. Either all of it is saved or none.
   */
  z.object({
    op: z.literal("resource-update"),
    id,
    params: nvMap,
    ops: z.array(z.object({ name: z.string().min(1, "operation name must not be empty"), set: nvMap })).optional(),
    meta: nvMap.optional(),
  }),
  /** meta attributes; value "" deletes */
  z.object({ op: z.literal("resource-meta"), id, meta: nvMap }),
  z.object({ op: z.literal("resource-op-add"), id, opSpec: OpSpecSchema }),
  z.object({ op: z.literal("resource-op-delete"), id, opId: id }),
  /**
   * Change one operation in place (one CIB write). The operation is picked by
   * opId, or by name (+ interval / role when the resource has several of that
   * name). set: pcs option names (interval timeout on-fail role enabled
   * record-pending start-delay interval-origin description OCF_CHECK_LEVEL);
   * "" removes an option. replace: the given options replace all of the
   * operation's options (pcs `resource update ID op NAME ...`).
   */
  z.object({
    op: z.literal("resource-op-update"),
    id,
    opId: z.string().optional(),
    name: z.string().optional(),
    interval: z.string().optional(),
    role: z.string().optional(),
    set: nvMap,
    replace: z.boolean().optional(),
  }),
  z.object({ op: z.literal("resource-move"), id, node: z.string().optional(), lifetime: z.string().optional() }),
  z.object({ op: z.literal("resource-ban"), id, node: z.string().optional(), lifetime: z.string().optional() }),
  z.object({ op: z.literal("resource-clear"), id, node: z.string().optional() }),
  z.object({ op: z.literal("group-add"), group: id, ids: z.array(id).min(1), before: z.string().optional(), after: z.string().optional() }),
  /** without ids the group is dissolved (ungroup) */
  z.object({ op: z.literal("group-remove"), group: id, ids: z.array(id).optional() }),
  z.object({ op: z.literal("resource-clone"), id, cloneId: z.string().optional(), meta: nvMap.default({}), promotable: z.boolean().optional() }),
  z.object({ op: z.literal("resource-unclone"), id }),
  /** forgets all operation history so it is probed again */
  z.object({ op: z.literal("resource-refresh"), id: z.string().optional(), node: z.string().optional() }),
  /** clears failed operations and fail-counts (status section) */
  z.object({ op: z.literal("resource-cleanup"), id: z.string().optional(), node: z.string().optional() }),
  z.object({ op: z.literal("property-set"), name: z.string().min(1), value: z.string() }),
  z.object({ op: z.literal("property-unset"), name: z.string().min(1) }),
  z.object({ op: z.literal("rsc-defaults"), meta: nvMap }),
  z.object({ op: z.literal("op-defaults"), meta: nvMap }),
  z.object({
    op: z.literal("constraint-location"),
    rsc: id,
    node: id,
    /** "100", "INFINITY", "-INFINITY"; default INFINITY (prefers) */
    score: z.string().optional(),
    id: z.string().optional(),
  }),
  /** pcs `constraint location R rule [score=S|score-attribute=A] [role=R] EXPRESSION` (words as pcs takes them) */
  z.object({
    op: z.literal("constraint-location-rule"),
    rsc: id,
    expression: z.array(z.string()).min(1, "the rule needs an expression"),
    score: z.string().optional(),
    scoreAttribute: z.string().optional(),
    role: z.string().optional(),
    id: z.string().optional(),
  }),
  z.object({
    op: z.literal("constraint-colocation"),
    rsc: id,
    withRsc: id,
    score: z.string().optional(),
    rscRole: z.string().optional(),
    withRscRole: z.string().optional(),
    id: z.string().optional(),
  }),
  z.object({
    op: z.literal("constraint-order"),
    first: id,
    then: id,
    firstAction: z.string().optional(),
    thenAction: z.string().optional(),
    kind: z.enum(["Mandatory", "Optional", "Serialize"]).optional(),
    symmetrical: z.string().optional(),
    id: z.string().optional(),
  }),
  z.object({ op: z.literal("constraint-delete"), id }),
  /** cib-push: replace the configuration with this XML (status is kept) */
  z.object({ op: z.literal("cib-replace"), xml: z.string().min(1, "xml must not be empty") }),
]);
export type Change = z.infer<typeof ChangeSchema>;
export type ChangeInput = z.input<typeof ChangeSchema>;
export type ChangeOp = Change["op"];

/** The least role a change needs. Operators run the cluster; admins configure it. */
export const CHANGE_ROLE: Record<ChangeOp, "operator" | "admin"> = {
  "node-standby": "operator",
  "node-maintenance": "operator",
  "node-attribute": "admin",
  "resource-create": "admin",
  "resource-delete": "admin",
  "resource-enable": "operator",
  "resource-disable": "operator",
  "resource-manage": "operator",
  "resource-update": "admin",
  "resource-meta": "admin",
  "resource-op-add": "admin",
  "resource-op-delete": "admin",
  "resource-op-update": "admin",
  "resource-move": "operator",
  "resource-ban": "operator",
  "resource-clear": "operator",
  "resource-cleanup": "operator",
  "resource-refresh": "operator",
  "group-add": "admin",
  "group-remove": "admin",
  "resource-clone": "admin",
  "resource-unclone": "admin",
  "property-set": "admin",
  "property-unset": "admin",
  "rsc-defaults": "admin",
  "op-defaults": "admin",
  "constraint-location": "admin",
  "constraint-location-rule": "admin",
  "constraint-colocation": "admin",
  "constraint-order": "admin",
  "constraint-delete": "admin",
  "cib-replace": "admin",
};

/** Response of every applied change. */
export const ChangeResponseSchema = z.object({
  /** snapshot version after the change (the WebSocket will carry it) */
  version: z.number(),
  /** CIB epoch after the change */
  epoch: z.string().optional(),
  /** what pcs would print, e.g. "Adding web web-ip (kind: Mandatory) ..." or "" */
  message: z.string(),
});
export type ChangeResponse = z.infer<typeof ChangeResponseSchema>;

/** POST /api/preview: what the scheduler would do after the change (nothing is applied). */
export const PreviewResponseSchema = z.object({
  /** Transition Summary lines as crm_simulate prints them */
  summary: z.array(str),
  actions: z.array(
    z.object({ id: z.number(), key: str, task: str, rsc: opt, node: opt, intervalMs: z.number(), pseudo: z.boolean() }),
  ),
  messages: z.array(str),
  /** ClusterState before the change */
  before: ClusterStateSchema,
});
export type PreviewResponse = z.infer<typeof PreviewResponseSchema>;

// ---------------------------------------------------------------------------
// Read responses

/** values of crm_mon's "Cluster Summary:" that come from the CIB (scheduler/format.ts ClusterSummaryInfo) */
export const ClusterSummaryInfoSchema = z.object({
  stack: opt,
  dcVersion: opt,
  lastWritten: opt,
  updateUser: opt,
  updateClient: opt,
  updateOrigin: opt,
});
export const StatusResponseSchema = z.object({
  version: z.number(),
  state: ClusterStateSchema,
  summary: ClusterSummaryInfoSchema.optional(),
  /** the cluster-name property (pcs status prints "Cluster name: ...") */
  clusterName: opt,
});
export type StatusResponse = z.infer<typeof StatusResponseSchema>;
export const PropertySchema = z.object({ id: str, name: str, value: opt, set: str });
export const PropertiesResponseSchema = z.object({ properties: z.array(PropertySchema) });
export const PropertyResponseSchema = z.object({ property: PropertySchema });
export const EventsResponseSchema = z.object({ events: z.array(ClusterEventSchema) });
export const TransitionsResponseSchema = z.object({ transitions: z.array(TransitionRecordSchema) });
export const CibConfigResponseSchema = z.object({ version: z.number(), cib: CibConfigViewSchema });
export const CibPushRequestSchema = z.object({ xml: z.string().min(1, "xml must not be empty") });
export const ResourceActionRequestSchema = z.object({ node: z.string().optional(), lifetime: z.string().optional() });
export const CleanupRequestSchema = z.object({ node: z.string().optional() });
export const PropertySetRequestSchema = z.object({ value: z.string() });
/** GET /api/scores[?rsc=ID]: allocation scores of the current placement ("Why is it here?") */
export const ScoresResponseSchema = z.object({
  scores: z.array(z.object({ scope: str, rsc: str, node: str, score: z.number() })),
  summary: z.array(str),
});
export const AgentsResponseSchema = z.object({ agents: z.array(z.string()) });
/** GET /api/agents/:name — from the agent's meta-data (params/actions absent when it could not be read) */
export const AgentInfoSchema = z.object({
  name: str,
  shortdesc: opt,
  longdesc: opt,
  params: z
    .array(
      z.object({
        name: str,
        required: z.boolean(),
        unique: z.boolean().optional(),
        type: opt,
        default: opt,
        shortdesc: opt,
        longdesc: opt,
        values: z.array(str).optional(),
      }),
    )
    .optional(),
  actions: z.array(z.object({ name: str, interval: opt, timeout: opt, role: opt, depth: opt })).optional(),
});
export const AgentResponseSchema = z.object({ agent: AgentInfoSchema });
export type AgentDescription = z.infer<typeof AgentInfoSchema>;
export type AgentParamDescription = NonNullable<AgentDescription["params"]>[number];
export const TokenSchema = z.object({ name: str, role: UserRoleSchema, createdAt: z.number() });
export const TokensResponseSchema = z.object({ tokens: z.array(TokenSchema) });
export const TokenCreateRequestSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "token name: letters, digits, _ . -"),
  role: UserRoleSchema,
});
/** the secret is shown once; only its hash is stored */
export const TokenCreateResponseSchema = z.object({ name: str, role: UserRoleSchema, token: str });

// ---------------------------------------------------------------------------
// Hosts and fencing (server/api/hosts-routes.ts; 501 on the embedded demo)

export const HostStatusSchema = z.object({
  name: str,
  address: str,
  port: z.number(),
  user: str,
  hostKeyType: str,
  /** SHA256:... as ssh-keygen -lf prints it */
  hostKeyFingerprint: str,
  addedAt: str,
  state: z.enum(["online", "suspect", "lost", "offline", "unknown"]),
  connection: z.enum(["connecting", "up", "down"]),
  lastHeardAt: z.number().nullable(),
  rttMs: z.number().nullable(),
  lastError: z.string().nullable(),
  reason: opt,
  inCib: z.boolean(),
});
export type HostStatus = z.infer<typeof HostStatusSchema>;
export const HostsResponseSchema = z.object({ hosts: z.array(HostStatusSchema) });
const hostName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, "name: letters, digits, _ . - (max 63), starting with a letter or digit");
const hostPort = z.union([z.string().regex(/^\d{1,5}$/, "port: a number 1-65535"), z.number().int().min(1).max(65535)]).optional();
/** POST /api/hosts/probe: first contact, the host's key without trusting it */
export const HostProbeRequestSchema = z.object({ name: hostName, address: z.string().min(1, "address is required"), port: hostPort });
export type HostProbeRequest = z.infer<typeof HostProbeRequestSchema>;
export const HostProbeResponseSchema = z.object({ hostKey: str, fingerprint: str, keyType: str, needsConfirmation: z.boolean() });
export type HostProbeResponse = z.infer<typeof HostProbeResponseSchema>;
/** POST /api/hosts: hostKey pins the key ("ssh-ed25519 AAAA..."), the one the admin confirmed or typed */
export const HostAddRequestSchema = z.object({
  name: hostName,
  address: z.string().min(1, "address is required"),
  port: hostPort,
  user: z.string().optional(),
  identity: z.string().optional(),
  hostKey: z.string().optional(),
  acceptNew: z.boolean().optional(),
});
export type HostAddRequest = z.infer<typeof HostAddRequestSchema>;
export const HostAddResponseSchema = z.object({ host: HostStatusSchema });
/** 409 of POST /api/hosts without hostKey: the admin must confirm this key first */
export const HostKeyConfirmationSchema = ErrorResponseSchema.extend({ fingerprint: str, keyType: str, hostKey: str, needsConfirmation: z.literal(true) });
export const FenceRecordSchema = z.object({
  id: z.number(),
  target: str,
  action: str,
  state: z.enum(["pending", "success", "failed"]),
  origin: str,
  client: str,
  delegate: opt,
  device: opt,
  requestedAt: z.number(),
  completedAt: z.number().optional(),
  error: opt,
  attempts: z.array(
    z.object({ device: str, via: str, rc: z.number().nullable(), timedOut: z.boolean(), output: str, startedAt: z.number(), durationMs: z.number() }),
  ),
});
/** GET /api/fencing[?full=1]: the records, and crm_mon's "Fencing History:" lines */
export const FencingResponseSchema = z.object({ history: z.array(FenceRecordSchema), text: z.array(str) });
export type FencingResponse = z.infer<typeof FencingResponseSchema>;
export const FenceRequestSchema = z.object({ action: z.enum(["reboot", "off", "on"]).optional() });
export const FenceResponseSchema = z.object({ record: FenceRecordSchema });
assertSame<Same<HostStatus, MgrHostStatus>>();
assertSame<Same<z.infer<typeof FenceRecordSchema>, FenceHistoryRecord>>();

// ---------------------------------------------------------------------------
// WebSocket /ws (session cookie or bearer token required).
// The server keeps one document, {state, cib}, versioned by the controller's
// snapshot version. It sends a snapshot, then patches (RFC 6902 operations
// turning version `from` into `to`), and events. A client that sees a patch
// whose `from` is not its version sends {type:"resync"} and gets a snapshot.
// Frames are JSON text, except for a client that connects with
// `?compress=deflate-raw`: it gets every message of WS_COMPRESS_FROM bytes or
// more (the snapshot of a big cluster) as a binary frame holding that JSON
// compressed with raw DEFLATE (RFC 1951). Not permessage-deflate: a browser
// inflates that before the page, and it is the byte count that reaches the
// page's main thread that matters (Chromium hands a message over in pipe-sized
// chunks, each waiting for a turn of the page's busy main thread).

export const JsonPatchOpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("add"), path: str, value: z.unknown() }),
  z.object({ op: z.literal("remove"), path: str }),
  z.object({ op: z.literal("replace"), path: str, value: z.unknown() }),
  z.object({ op: z.literal("move"), from: str, path: str }),
  z.object({ op: z.literal("copy"), from: str, path: str }),
  z.object({ op: z.literal("test"), path: str, value: z.unknown() }),
]);
export type JsonPatchOp = z.infer<typeof JsonPatchOpSchema>;

export const LiveDocumentSchema = z.object({ state: ClusterStateSchema, cib: CibConfigViewSchema });
export type LiveDocument = z.infer<typeof LiveDocumentSchema>;

export const WsSnapshotSchema = z.object({
  type: z.literal("snapshot"),
  version: z.number(),
  state: ClusterStateSchema,
  cib: CibConfigViewSchema,
  /** who this socket belongs to */
  user: str.optional(),
  role: UserRoleSchema.optional(),
});
export const WsPatchSchema = z.object({
  type: z.literal("patch"),
  from: z.number(),
  to: z.number(),
  /** paths are relative to the document {state, cib} */
  ops: z.array(JsonPatchOpSchema),
});
export const WsEventSchema = z.object({ type: z.literal("event"), event: ClusterEventSchema });
export const WsErrorSchema = z.object({ type: z.literal("error"), error: str });
export const WsServerMessageSchema = z.discriminatedUnion("type", [WsSnapshotSchema, WsPatchSchema, WsEventSchema, WsErrorSchema]);
export type WsServerMessage = z.infer<typeof WsServerMessageSchema>;

/** the query parameter of /ws that asks for compressed large messages, and its one value */
export const WS_COMPRESS_PARAM = "compress";
export const WS_COMPRESS_DEFLATE_RAW = "deflate-raw";
/** messages from this size (bytes of JSON) on go compressed to a client that asked */
export const WS_COMPRESS_FROM = 32 * 1024;

export const WsClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("resync") }),
  z.object({ type: z.literal("ping") }),
]);
export type WsClientMessage = z.infer<typeof WsClientMessageSchema>;
