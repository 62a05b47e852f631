// The typed CIB model. It mirrors Pacemaker's cib.xml closely (same ids, same
// string values for scores and intervals) so that XML import/export is a
// faithful round trip and Pacemaker admins recognise every field.
// Values stay strings as in the XML ("INFINITY", "10s"); consumers parse them.

/** An XML element the model does not understand, kept verbatim for round trip. */
export interface RawXml {
  tag: string;
  attrs: Record<string, string>;
  children: RawXml[];
  text?: string;
}

/** Attributes the model has no field for, kept for round trip (name -> value). */
export type ExtraAttrs = Record<string, string>;

export interface NvPair {
  id: string;
  name: string;
  value?: string; // absent value is legal in Pacemaker (an nvpair that unsets)
  /** id-ref form: <nvpair id-ref="..."/> (id is then "" unless the element also had one) */
  idRef?: string;
  extraAttrs?: ExtraAttrs;
}

/** cluster_property_set, instance_attributes, meta_attributes, utilization. */
export interface NvSet {
  id: string;
  score?: string;
  rule?: Rule;
  nvpairs: NvPair[];
  /** id-ref form: <meta_attributes id-ref="..."/> */
  idRef?: string;
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface Expression {
  kind: "expression";
  id: string;
  attribute: string;
  operation: string; // lt gt lte gte eq ne defined not_defined
  value?: string;
  type?: string; // string integer number version (legacy: "integer")
  valueSource?: string; // literal param meta
  extraAttrs?: ExtraAttrs;
}

export interface DateSpec {
  id: string;
  attrs: Record<string, string>; // hours, monthdays, weekdays, yeardays, months, weeks, years, weekyears, moon
}

export interface DateExpression {
  kind: "date_expression";
  id: string;
  operation: string; // gt lt in_range date_spec
  start?: string;
  end?: string;
  dateSpec?: DateSpec;
  duration?: DateSpec;
  extraAttrs?: ExtraAttrs;
}

/** rsc_expression / op_expression (used in rsc_defaults / op_defaults rules). */
export interface RscOpExpression {
  kind: "rsc_expression" | "op_expression";
  id: string;
  attrs: Record<string, string>;
}

export interface Rule {
  kind: "rule";
  id: string;
  score?: string;
  scoreAttribute?: string;
  booleanOp?: string; // and | or
  role?: string;
  idRef?: string;
  expressions: (Expression | DateExpression | RscOpExpression | Rule)[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface Operation {
  id: string;
  name: string; // start stop monitor promote demote notify migrate_to ...
  interval: string; // "0", "10s", "10000" (ms when no unit? no: Pacemaker treats bare numbers as seconds)
  timeout?: string;
  role?: string;
  onFail?: string;
  enabled?: string;
  recordPending?: string;
  startDelay?: string;
  intervalOrigin?: string;
  description?: string;
  instanceAttributes: NvSet[];
  metaAttributes: NvSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

interface ResourceCommon {
  id: string;
  description?: string;
  metaAttributes: NvSet[];
  instanceAttributes: NvSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface Primitive extends ResourceCommon {
  kind: "primitive";
  class: string; // ocf lsb systemd service stonith
  provider?: string;
  type: string;
  template?: string; // unsupported: the scheduler refuses it
  utilization: NvSet[];
  operations: Operation[];
  /** attributes of the <operations> element itself (e.g. its id), when it had any */
  operationsAttrs?: ExtraAttrs;
}

export interface Group extends ResourceCommon {
  kind: "group";
  children: Primitive[];
}

export interface Clone extends ResourceCommon {
  kind: "clone";
  /** promotable when meta promotable=true, or when the element was <master> */
  child: Primitive | Group;
  /** the XML element was <master> (legacy promotable clone); export keeps the element name. */
  legacyMaster?: boolean;
}

/** Resources Vigil does not model (bundle, template); kept raw, the scheduler rejects them. */
export interface UnsupportedResource extends ResourceCommon {
  kind: "unsupported";
  tag: string;
  raw: RawXml;
}

export type Resource = Primitive | Group | Clone | UnsupportedResource;

export interface ResourceSet {
  id: string;
  idRef?: string;
  resources: string[]; // resource_ref ids
  sequential?: string;
  requireAll?: string;
  ordering?: string;
  action?: string;
  role?: string;
  score?: string;
  kind?: string;
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface LocationConstraint {
  kind: "location";
  id: string;
  rsc?: string;
  rscPattern?: string;
  node?: string;
  score?: string;
  role?: string;
  resourceDiscovery?: string;
  rules: Rule[];
  sets: ResourceSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface ColocationConstraint {
  kind: "colocation";
  id: string;
  rsc?: string;
  withRsc?: string;
  score?: string;
  rscRole?: string;
  withRscRole?: string;
  nodeAttribute?: string;
  influence?: string;
  sets: ResourceSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface OrderConstraint {
  kind: "order";
  id: string;
  first?: string;
  then?: string;
  firstAction?: string;
  thenAction?: string;
  orderKind?: string; // Mandatory Optional Serialize
  score?: string; // legacy
  symmetrical?: string;
  sets: ResourceSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

/** rsc_ticket and anything else: kept raw; the scheduler rejects tickets. */
export interface UnsupportedConstraint {
  kind: "unsupported";
  id: string;
  tag: string;
  raw: RawXml;
}

export type Constraint = LocationConstraint | ColocationConstraint | OrderConstraint | UnsupportedConstraint;

export interface CibNode {
  id: string;
  uname: string;
  type?: string; // member (default) | remote | ping
  description?: string;
  score?: string;
  instanceAttributes: NvSet[];
  utilization: NvSet[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface Configuration {
  crmConfig: NvSet[]; // cluster_property_set
  nodes: CibNode[];
  resources: Resource[];
  constraints: Constraint[];
  rscDefaults: NvSet[]; // meta_attributes under rsc_defaults
  opDefaults: NvSet[]; // meta_attributes under op_defaults
  /** fencing-topology, acls, tags, alerts ... kept raw */
  unknown: RawXml[];
}

export interface LrmRscOp {
  id: string;
  operationKey?: string; // rsc_monitor_10000
  operation: string;
  interval: string; // milliseconds, as Pacemaker writes it
  callId: string;
  rcCode: string;
  opStatus: string;
  transitionKey?: string;
  transitionMagic?: string;
  crmDebugOrigin?: string;
  crmFeatureSet?: string;
  lastRun?: string;
  lastRcChange?: string;
  execTime?: string;
  queueTime?: string;
  opDigest?: string;
  opForceRestart?: string;
  opRestartDigest?: string;
  opSecureParams?: string;
  opSecureDigest?: string;
  onNode?: string;
  exitReason?: string;
  extraAttrs?: ExtraAttrs;
}

export interface LrmResource {
  id: string;
  class?: string;
  provider?: string;
  type?: string;
  container?: string;
  ops: LrmRscOp[];
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface NodeState {
  /** "" when the element has none (the scheduler then ignores it, as crm_simulate does) */
  id: string;
  uname?: string;
  inCcm?: string; // "true" | "false" | epoch seconds (newer)
  crmd?: string; // "online" | "offline" | epoch seconds
  join?: string; // member down pending banned
  expected?: string;
  crmDebugOrigin?: string;
  ha?: string;
  /** transient_attributes -> instance_attributes */
  transientAttributes: NvSet[];
  /** id of the <transient_attributes> element (usually the node id); absent means no such element */
  transientId?: string;
  lrmResources: LrmResource[];
  /** lrm element id (usually equals node id); absent means no <lrm> element */
  lrmId?: string;
  /** attributes of the <lrm_resources> element (old CIBs give it an id), when it had any */
  lrmResourcesAttrs?: ExtraAttrs;
  /** attributes of the <lrm> element other than its id, when it had any */
  lrmAttrs?: ExtraAttrs;
  extraAttrs?: ExtraAttrs;
  unknown?: RawXml[];
}

export interface Cib {
  /** attributes of <cib>: admin_epoch, epoch, num_updates, validate-with, have-quorum, dc-uuid,
   *  execution-date, crm_feature_set, cib-last-written, update-origin ... */
  attrs: Record<string, string>;
  configuration: Configuration;
  status: NodeState[];
  /** unknown children of <cib> (besides configuration and status), kept raw */
  unknown?: RawXml[];
}
