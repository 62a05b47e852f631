// Unpack phase 1: cluster properties, nodes and the resource tree (with
// meta attributes resolved through defaults and parents, instance attributes,
// operations and clone instances). Status comes later (unpack-status.ts).
import type { Cib, Clone, Group, NvSet, Operation, Primitive, Resource, Rule } from "../cib/types";
import { durationMs } from "./durations";
import { type Role, UnsupportedFeatureError } from "./types";
import { evaluateRule, type RuleContext } from "./rules";
import { INFINITY, isTrue, score } from "./score";
import { NodeScores, NodeSet, type OpConfig, type RecoveryType, type SNode, type SRsc, type WorkingSet } from "./model";

export function parseRole(s: string | undefined): Role {
  if (!s) return "Unknown";
  switch (s.trim().toLowerCase()) {
    case "stopped":
      return "Stopped";
    case "started":
      return "Started";
    case "slave":
    case "unpromoted":
      return "Unpromoted";
    case "master":
    case "promoted":
      return "Promoted";
    default:
      return "Unknown";
  }
}

/** Collect all rules with ids (for id-ref resolution). */
export function collectRules(cib: Cib): Map<string, Rule> {
  const out = new Map<string, Rule>();
  const visitRule = (r: Rule) => {
    if (r.id && !r.idRef) out.set(r.id, r);
    for (const e of r.expressions) if (e.kind === "rule") visitRule(e);
  };
  const visitSets = (sets: NvSet[] | undefined) => {
    for (const s of sets ?? []) if (s.rule) visitRule(s.rule);
  };
  const c = cib.configuration;
  visitSets(c.crmConfig);
  visitSets(c.rscDefaults);
  visitSets(c.opDefaults);
  for (const n of c.nodes) visitSets(n.instanceAttributes);
  const visitRsc = (r: Resource) => {
    visitSets(r.metaAttributes);
    visitSets(r.instanceAttributes);
    if (r.kind === "primitive") for (const o of r.operations) visitSets(o.metaAttributes);
    if (r.kind === "group") r.children.forEach(visitRsc);
    if (r.kind === "clone") visitRsc(r.child);
  };
  c.resources.forEach(visitRsc);
  for (const k of c.constraints) if (k.kind === "location") k.rules.forEach(visitRule);
  return out;
}

/**
 * Merge nvsets into `into` (existing keys win), evaluating set rules and
 * honouring set scores (higher score first), as Pacemaker's unpack of nvsets.
 */
export function mergeNvSets(
  into: Record<string, string>,
  sets: NvSet[] | undefined,
  ctx: RuleContext,
  setById?: Map<string, NvSet>,
): Record<string, string> {
  if (!sets || sets.length === 0) return into;
  const resolve = (s: NvSet) => (s.idRef && s.nvpairs.length === 0 ? setById?.get(s.idRef) ?? s : s);
  // one set (the common case) needs no ordering
  if (sets.length === 1) return mergeNvSet(into, resolve(sets[0]), ctx);
  const ordered = sets
    .map((s, i) => ({ s: resolve(s), i, sc: score(resolve(s).score, 0) }))
    .sort((a, b) => b.sc - a.sc || a.i - b.i);
  for (const { s } of ordered) mergeNvSet(into, s, ctx);
  return into;
}

function mergeNvSet(into: Record<string, string>, s: NvSet, ctx: RuleContext): Record<string, string> {
  if (s.rule && !evaluateRule(s.rule, ctx)) return into;
  for (const p of s.nvpairs) {
    if (p.value === undefined) continue;
    if (p.value.toLowerCase() === "#default") continue; // "#default" means: not set here
    if (!(p.name in into)) into[p.name] = p.value;
  }
  return into;
}

export function unpackProperties(ws: WorkingSet, ruleById: Map<string, Rule>): void {
  const props = mergeNvSets({}, ws.cib.configuration.crmConfig, { now: ws.now, ruleById });
  ws.props = props;
  ws.stonithEnabled = isTrue(props["stonith-enabled"], true);
  ws.symmetric = isTrue(props["symmetric-cluster"], true);
  ws.maintenanceMode = isTrue(props["maintenance-mode"], false);
  ws.stopAll = isTrue(props["stop-all-resources"], false);
  ws.startFailureIsFatal = isTrue(props["start-failure-is-fatal"], true);
  ws.stonithAction = props["stonith-action"] ?? "reboot";
  if (ws.stonithAction === "poweroff") ws.stonithAction = "off";
  const nqp = (props["no-quorum-policy"] ?? "stop").toLowerCase();
  ws.noQuorumPolicy = (["stop", "freeze", "ignore", "demote", "suicide"].includes(nqp) ? nqp : "stop") as WorkingSet["noQuorumPolicy"];
  ws.haveQuorum = isTrue(ws.cib.attrs["have-quorum"], false);
  // suicide needs fencing, and a partition that once had quorum (the CIB's
  // no-quorum-panic flag): a cluster that never had quorum just stops
  if (ws.noQuorumPolicy === "suicide" && !ws.stonithEnabled) ws.noQuorumPolicy = "stop";
  const panic = Number.parseInt(ws.cib.attrs["no-quorum-panic"] ?? "0", 10);
  if (ws.noQuorumPolicy === "suicide" && !ws.haveQuorum && !(panic > 0)) ws.noQuorumPolicy = "stop";
  ws.dcUuid = ws.cib.attrs["dc-uuid"];
  const ps = (props["placement-strategy"] ?? "default").toLowerCase();
  if (ps !== "default") {
    const pair = ws.cib.configuration.crmConfig.flatMap((s) => s.nvpairs).find((p) => p.name === "placement-strategy");
    throw new UnsupportedFeatureError("placement-strategy", pair?.id ?? "placement-strategy");
  }
}

export function unpackNodes(ws: WorkingSet, ruleById: Map<string, Rule>): void {
  ws.cib.configuration.nodes.forEach((n, index) => {
    const type = (n.type ?? "member").toLowerCase();
    if (type === "remote") throw new UnsupportedFeatureError("remote node", n.id);
    const attrs: Record<string, string> = {};
    mergeNvSets(attrs, n.instanceAttributes, { now: ws.now, ruleById });
    attrs["#uname"] = n.uname;
    attrs["#id"] = n.id;
    attrs["#kind"] = type === "ping" ? "ping" : "cluster";
    attrs["#is_dc"] = ws.cib.attrs["dc-uuid"] === n.id ? "true" : "false";
    if (ws.props["cluster-name"] !== undefined) attrs["#cluster-name"] = ws.props["cluster-name"];
    const node: SNode = {
      id: n.id,
      uname: n.uname,
      index,
      type: type === "ping" ? "ping" : "member",
      online: false,
      unclean: false,
      pending: false,
      standby: isTrue(attrs["standby"], false),
      standbyOnFail: false,
      maintenance: isTrue(attrs["maintenance"], false),
      shutdown: false,
      expectedUp: false,
      hasState: false,
      attrs,
      numResources: 0,
      running: [],
      wantFence: false,
      fixed: false,
      fenceReason: undefined, // present from the start: one hidden class for every node
    };
    ws.nodes.push(node);
    ws.nodeById.set(n.id, node);
    ws.nodeByUname.set(n.uname, node);
  });
}

// ---------------------------------------------------------------------------
// Resources

interface BuildCtx {
  ws: WorkingSet;
  ruleById: Map<string, Rule>;
  rscDefaults: NvSet[];
  setById: Map<string, NvSet>;
}

export function emptyRsc(id: string, cfgId: string, variant: SRsc["variant"]): SRsc {
  return {
    id,
    cfgId,
    variant,
    children: [],
    meta: {},
    params: {},
    ops: [],
    priority: 0,
    stickiness: 0,
    migrationThreshold: INFINITY,
    failureTimeoutMs: 0,
    recovery: "stop_start",
    targetRole: "Unknown",
    managed: true,
    orphan: false,
    failed: false,
    blocked: false,
    stopOnFail: false,
    startPending: false,
    critical: true,
    requires: "quorum",
    promotable: false,
    uniqueClone: false,
    cloneMax: 0,
    cloneNodeMax: 1,
    promotedMax: 1,
    promotedNodeMax: 1,
    interleave: false,
    ordered: false,
    notify: false,
    colocatedGroup: true,
    orderedGroup: true,
    role: "Stopped",
    nextRole: "Unknown",
    runningOn: [],
    knownOn: new NodeSet(),
    failedOn: undefined,
    roleOn: undefined,
    pendingOn: undefined,
    activeMonitors: [],
    allowed: new NodeScores(),
    provisional: true,
    allocating: false,
    merging: false,
    consAsDependent: [],
    consAsPrimary: [],
    locations: [],
    promotionScore: 0,
    actions: [],
    restarting: false,
    stopUnexpected: false,
    // optional fields, present from the start: every SRsc keeps one hidden class (V8), so the
    // property accesses in the hot loops stay monomorphic instead of seeing dozens of shapes
    parent: undefined,
    xml: undefined,
    agent: undefined,
    allocatedTo: undefined,
    pendingTask: undefined,
    historyName: undefined,
    instanceNo: undefined,
    expectedNode: undefined,
    history: undefined,
    lastHistoryNode: undefined,
    expiredMonitors: undefined,
    reload: undefined,
    blockingFailureOn: undefined,
    unpackedRole: undefined,
  };
}

function collectSets(cib: Cib): Map<string, NvSet> {
  const out = new Map<string, NvSet>();
  const add = (sets: NvSet[] | undefined) => {
    for (const s of sets ?? []) if (s.id && !(s.idRef && s.nvpairs.length === 0)) out.set(s.id, s);
  };
  const visit = (r: Resource) => {
    add(r.metaAttributes);
    add(r.instanceAttributes);
    if (r.kind === "group") r.children.forEach(visit);
    if (r.kind === "clone") visit(r.child);
    if (r.kind === "primitive") r.operations.forEach((o) => add(o.metaAttributes));
  };
  cib.configuration.resources.forEach(visit);
  add(cib.configuration.rscDefaults);
  add(cib.configuration.opDefaults);
  return out;
}

export function unpackResources(ws: WorkingSet, ruleById: Map<string, Rule>): void {
  const cfg = ws.cib.configuration;
  const ctx: BuildCtx = { ws, ruleById, rscDefaults: cfg.rscDefaults, setById: collectSets(ws.cib) };
  ws.opDefaults = {};
  for (const k of cfg.constraints) {
    if (k.kind === "unsupported") throw new UnsupportedFeatureError(k.tag, k.id);
  }
  for (const u of cfg.unknown) {
    if (u.tag === "tags" && u.children.length > 0) throw new UnsupportedFeatureError("tags", u.children[0].attrs.id ?? "tags");
  }
  for (const r of cfg.resources) {
    const s = buildResource(ctx, r, undefined);
    ws.resources.push(s);
  }
  // Pacemaker keeps resources sorted by priority (stable) from here on; crm_mon lists them so
  ws.resources = ws.resources
    .map((r, i) => ({ r, i }))
    .sort((x, y) => (x.r.priority !== y.r.priority ? (x.r.priority > y.r.priority ? -1 : 1) : x.i - y.i))
    .map((x) => x.r);
  ws.hasStonithResource = ws.primitives.some((p) => p.agent?.standard === "stonith");
}

function resolveMeta(ctx: BuildCtx, r: Resource, parent: SRsc | undefined, agent?: Primitive): Record<string, string> {
  const ruleCtx: RuleContext = {
    now: ctx.ws.now,
    ruleById: ctx.ruleById,
    rsc: agent ? { class: agent.class, provider: agent.provider, type: agent.type } : undefined,
  };
  const meta = mergeNvSets({}, r.metaAttributes, ruleCtx, ctx.setById);
  // unknown-but-legal attribute forms on the element itself
  // (for-in, the same order as Object.entries without a [key, value] list per attribute)
  if (parent) {
    const pm = parent.meta;
    for (const k in pm) if (!(k in meta)) meta[k] = pm[k];
  }
  mergeNvSets(meta, ctx.rscDefaults, ruleCtx, ctx.setById);
  return meta;
}

function buildResource(ctx: BuildCtx, r: Resource, parent: SRsc | undefined): SRsc {
  const ws = ctx.ws;
  if (r.kind === "unsupported") throw new UnsupportedFeatureError(r.tag, r.id);
  if (r.kind === "primitive") {
    const p = buildPrimitive(ctx, r, r.id, parent);
    return p;
  }
  if (r.kind === "group") {
    const g = emptyRsc(r.id, r.id, "group");
    g.xml = r;
    g.parent = parent;
    g.meta = resolveMeta(ctx, r, parent);
    applyCommonMeta(ws, g);
    g.colocatedGroup = isTrue(g.meta["collocated"], true);
    g.orderedGroup = isTrue(g.meta["ordered"], true);
    ws.rscById.set(g.id, g);
    for (const c of r.children) g.children.push(buildResource(ctx, c, g));
    return g;
  }
  return buildClone(ctx, r, parent);
}

function buildClone(ctx: BuildCtx, r: Clone, parent: SRsc | undefined): SRsc {
  const ws = ctx.ws;
  const c = emptyRsc(r.id, r.id, "clone");
  c.xml = r;
  c.parent = parent;
  c.meta = resolveMeta(ctx, r, parent);
  if (c.meta["resource-stickiness"] === undefined) c.meta["resource-stickiness"] = "1";
  applyCommonMeta(ws, c);
  const m = c.meta;
  c.promotable = r.legacyMaster === true || isTrue(m["promotable"], false);
  c.uniqueClone = isTrue(m["globally-unique"], false);
  const onlineCount = ws.nodes.length;
  c.cloneMax = Math.max(0, intMeta(m["clone-max"], onlineCount));
  c.cloneNodeMax = Math.max(0, intMeta(m["clone-node-max"], 1));
  c.promotedMax = Math.max(0, intMeta(m["promoted-max"] ?? m["master-max"], 1));
  c.promotedNodeMax = Math.max(0, intMeta(m["promoted-node-max"] ?? m["master-node-max"], 1));
  c.interleave = isTrue(m["interleave"], false);
  c.ordered = isTrue(m["ordered"], false);
  c.notify = isTrue(m["notify"], false);
  if (!c.uniqueClone && c.cloneNodeMax > 1) {
    // anonymous clones run at most one instance per node
    c.cloneNodeMax = 1;
  }
  ws.rscById.set(c.id, c);
  // Pacemaker creates at least one instance (":0") even for clone-max=0, as an anchor for history
  const n = Math.max(1, c.cloneMax);
  for (let i = 0; i < n; i++) {
    const inst = buildInstance(ctx, r.child, c, i);
    if (i >= c.cloneMax) inst.orphan = true;
    c.children.push(inst);
  }
  return c;
}

/** Build clone instance number i (a primitive "child:i" or a group "grp:i" with members "m:i"). */
export function buildInstance(ctx: BuildCtx | { ws: WorkingSet }, child: Primitive | Group, clone: SRsc, i: number): SRsc {
  const bctx = ctx as BuildCtx;
  const ws = bctx.ws;
  if (child.kind === "primitive") {
    const p = buildPrimitive(bctx, child, `${child.id}:${i}`, clone);
    p.instanceNo = i;
    return p;
  }
  const g = emptyRsc(`${child.id}:${i}`, child.id, "group");
  g.xml = child;
  g.parent = clone;
  g.instanceNo = i;
  g.meta = resolveMeta(bctx, child, clone);
  applyCommonMeta(ws, g);
  g.colocatedGroup = isTrue(g.meta["collocated"], true);
  g.orderedGroup = isTrue(g.meta["ordered"], true);
  ws.rscById.set(g.id, g);
  for (const m of child.children) {
    const p = buildPrimitive(bctx, m, `${m.id}:${i}`, g);
    p.instanceNo = i;
    g.children.push(p);
  }
  return g;
}

/** The whole clone's builder context, kept so orphans can be added during status unpack. */
export function builderFor(ws: WorkingSet, ruleById: Map<string, Rule>): BuildCtx {
  return { ws, ruleById, rscDefaults: ws.cib.configuration.rscDefaults, setById: collectSets(ws.cib) };
}

function intMeta(s: string | undefined, dflt: number): number {
  if (s === undefined) return dflt;
  const n = score(s, dflt);
  return n;
}

function applyCommonMeta(ws: WorkingSet, r: SRsc): void {
  const m = r.meta;
  r.priority = score(m["priority"], 0);
  r.stickiness = score(m["resource-stickiness"] ?? m["resource_stickiness"], 0);
  r.targetRole = parseRole(m["target-role"]);
  r.managed = isTrue(m["is-managed"], true) && !ws.maintenanceMode && !isTrue(m["maintenance"], false);
  r.critical = isTrue(m["critical"], true);
  const mt = m["migration-threshold"];
  r.migrationThreshold = mt === undefined ? INFINITY : Math.max(0, score(mt, INFINITY));
  const ft = m["failure-timeout"];
  r.failureTimeoutMs = ft === undefined ? 0 : durationMs(ft) ?? 0;
  const ma = (m["multiple-active"] ?? "stop_start").toLowerCase();
  r.recovery = (["stop_start", "stop_only", "block", "stop_unexpected"].includes(ma) ? ma : "stop_start") as RecoveryType;
}

function buildPrimitive(ctx: BuildCtx, p: Primitive, id: string, parent: SRsc | undefined): SRsc {
  const ws = ctx.ws;
  if (p.template) throw new UnsupportedFeatureError("template", p.id);
  const r = emptyRsc(id, p.id, "primitive");
  r.xml = p;
  r.parent = parent;
  r.agent = { standard: p.class, provider: p.provider, type: p.type };
  r.meta = resolveMeta(ctx, p, parent, p);
  applyCommonMeta(ws, r);
  const ruleCtx: RuleContext = { now: ws.now, ruleById: ctx.ruleById, rsc: { class: p.class, provider: p.provider, type: p.type } };
  const params = mergeNvSets({}, p.instanceAttributes, ruleCtx, ctx.setById);
  // group/clone instance attributes are inherited by their members
  for (let a = parent; a; a = a.parent) {
    const x = a.xml;
    if (x) mergeNvSets(params, x.instanceAttributes, ruleCtx, ctx.setById);
  }
  r.params = params;
  const req = (r.meta["requires"] ?? "").toLowerCase();
  if (req === "nothing" || req === "quorum" || req === "fencing") r.requires = req;
  else if (req === "unfencing") r.requires = "fencing";
  else if (p.class === "stonith") r.requires = "quorum";
  // without fencing, and with quorum ignored, a start needs nothing at all
  else r.requires = ws.stonithEnabled ? "fencing" : ws.noQuorumPolicy === "ignore" ? "nothing" : "quorum";
  if (r.requires === "fencing" && !ws.stonithEnabled) r.requires = "quorum";
  r.ops = p.operations.map((o) => unpackOp(ws, ctx, r, p, o));
  ws.rscById.set(id, r);
  ws.primitives.push(r);
  return r;
}

function unpackOp(ws: WorkingSet, ctx: BuildCtx, r: SRsc, p: Primitive, o: Operation): OpConfig {
  const intervalMs = durationMs(o.interval) ?? 0;
  const ruleCtx: RuleContext = {
    now: ws.now,
    ruleById: ctx.ruleById,
    rsc: { class: p.class, provider: p.provider, type: p.type },
    op: { name: o.name, intervalMs },
  };
  const meta = mergeNvSets({}, o.metaAttributes, ruleCtx, ctx.setById);
  const timeout = o.timeout ?? meta["timeout"];
  return {
    name: o.name,
    intervalMs,
    timeoutMs: timeout !== undefined ? durationMs(timeout) : undefined,
    role: o.role ? parseRole(o.role) : undefined,
    onFail: (o.onFail ?? meta["on-fail"])?.toLowerCase(),
    enabled: isTrue(o.enabled ?? meta["enabled"], true),
    op: o,
  };
}

/** op_defaults for one operation (rules with op/rsc expressions evaluated). */
export function opDefaultsFor(ws: WorkingSet, rsc: SRsc, name: string, intervalMs: number, ruleById?: Map<string, Rule>): Record<string, string> {
  return mergeNvSets({}, ws.cib.configuration.opDefaults, {
    now: ws.now,
    ruleById,
    rsc: rsc.agent ? { class: rsc.agent.standard, provider: rsc.agent.provider, type: rsc.agent.type } : undefined,
    op: { name, intervalMs },
  });
}

export function allDescendants(r: SRsc): SRsc[] {
  const out: SRsc[] = [];
  const walk = (x: SRsc) => {
    out.push(x);
    x.children.forEach(walk);
  };
  walk(r);
  return out;
}

export function primitivesOf(r: SRsc): SRsc[] {
  if (r.variant === "primitive") return [r];
  return r.children.flatMap(primitivesOf);
}

export function topOf(r: SRsc): SRsc {
  let t = r;
  while (t.parent) t = t.parent;
  return t;
}

/** The clone a resource belongs to, if any. */
export function cloneOf(r: SRsc): SRsc | undefined {
  for (let a: SRsc | undefined = r; a; a = a.parent) if (a.variant === "clone") return a;
  return undefined;
}
