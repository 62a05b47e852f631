// The ClusterState contract from an unpacked working set: what crm_mon and
// the console show (node states, resources with roles and locations, failed
// actions, fail-counts, quorum, DC, counts).
import type { ActiveInstance, ClusterState, FailCount, NodeView, ResourceView } from "./types";
import type { SRsc, WorkingSet } from "./model";
import type { StatusExtras } from "./unpack-status";
import { failCount } from "./unpack-status";
import { cloneOf, primitivesOf } from "./unpack-config";
import { isTrue } from "./score";

function agentOf(r: SRsc): string | undefined {
  if (!r.agent) return undefined;
  const { standard, provider, type } = r.agent;
  return provider ? `${standard}:${provider}:${type}` : `${standard}:${type}`;
}

function configuredTargetRole(r: SRsc): string | undefined {
  return r.meta["target-role"];
}

function isActiveAnywhere(r: SRsc): boolean {
  return primitivesOf(r).some((p) => p.runningOn.length > 0);
}

function primitiveView(ws: WorkingSet, r: SRsc): ResourceView {
  const active: ActiveInstance[] = r.runningOn.map((n) => ({
    node: n.uname,
    role: r.roleOn?.get(n) ?? r.role,
    failed: r.failed && (r.failedOn === undefined || r.failedOn.size === 0 || r.failedOn.has(n)),
  }));
  const xml = r.xml;
  return {
    id: r.id,
    kind: "primitive",
    agent: agentOf(r),
    children: [],
    active,
    targetRole: configuredTargetRole(r),
    managed: r.managed,
    blocked: r.blocked,
    failed: r.failed,
    orphan: r.orphan,
    pendingTask: r.pendingTask,
    description: xml?.description,
    failureIgnored: (r.failedOn?.size ?? 0) === 0 && ws.failedIgnored.has(r) ? true : undefined,
    knownOn: r.knownOn.map((n) => n.uname),
  };
}

function resourceView(ws: WorkingSet, r: SRsc): ResourceView {
  if (r.variant === "primitive") return primitiveView(ws, r);
  const children = r.children.filter((c) => !(c.orphan && !isActiveAnywhere(c))).map((c) => resourceView(ws, c));
  const base: ResourceView = {
    id: r.id,
    kind: r.variant,
    children,
    active: [],
    targetRole: configuredTargetRole(r),
    managed: r.managed,
    blocked: false,
    failed: primitivesOf(r).some((p) => p.failed),
    orphan: false,
    description: r.xml?.description,
  };
  if (r.variant === "clone") {
    base.promotable = r.promotable;
    base.globallyUnique = r.uniqueClone;
    base.cloneMax = r.cloneMax;
    const x = r.xml;
    if (x && x.kind === "clone") base.childId = x.child.id;
    const known = new Set<string>();
    for (const p of primitivesOf(r)) p.knownOn.forEach((n) => known.add(n.uname));
    base.knownOn = [...known];
  }
  return base;
}

export function buildView(ws: WorkingSet, extras: StatusExtras): ClusterState {
  const nodes: NodeView[] = ws.nodes.map((n) => ({
    id: n.id,
    uname: n.uname,
    type: n.type,
    // a pending node counts as online inside the scheduler (it gets probes);
    // what it shows is "pending", not a usable member
    online: n.online && !n.pending,
    unclean: n.unclean,
    pending: n.pending,
    standby: n.standby,
    standbyOnFail: n.standbyOnFail,
    maintenance: n.maintenance,
    shutdown: n.shutdown,
    expectedUp: n.expectedUp,
    attributes: Object.fromEntries(Object.entries(n.attrs).filter(([k]) => !k.startsWith("#"))),
    resourceCount: n.running.length,
  }));
  const resources = ws.resources.filter((r) => !(r.orphan && !isActiveAnywhere(r))).map((r) => resourceView(ws, r));
  const failCounts: FailCount[] = [];
  for (const n of ws.nodes) {
    const seen = new Set<string>();
    for (const k of Object.keys(n.attrs)) {
      if (!k.startsWith("fail-count-")) continue;
      const rest = k.slice("fail-count-".length);
      const hash = rest.lastIndexOf("#");
      const rid = hash >= 0 ? rest.slice(0, hash) : rest;
      if (seen.has(rid)) continue;
      seen.add(rid);
      const prim = ws.rscById.get(rid) ?? ws.rscById.get(`${rid}:0`);
      const fc = prim ? failCount(ws, prim, n, false) : { count: 0, lastFailure: 0 };
      if (fc.count <= 0) continue;
      failCounts.push({
        rsc: rid,
        node: n.uname,
        failCount: fc.count,
        lastFailure: fc.lastFailure || undefined,
        migrationThreshold: prim ? prim.migrationThreshold : 1000000,
      });
    }
  }
  const prims = ws.primitives.filter((p) => !(p.orphan && p.runningOn.length === 0));
  const disabled = prims.filter((p) => {
    const t = (p.meta["target-role"] ?? "").toLowerCase();
    const c = cloneOf(p);
    return t === "stopped" || (c?.promotable && (t === "unpromoted" || t === "slave"));
  }).length;
  const dcNode = ws.dcUuid ? ws.nodeById.get(ws.dcUuid) : undefined;
  return {
    nodes,
    resources,
    failedActions: extras.failedActions,
    failCounts,
    haveQuorum: ws.haveQuorum,
    dc: dcNode?.uname,
    stonithEnabled: ws.stonithEnabled,
    symmetricCluster: ws.symmetric,
    maintenanceMode: ws.maintenanceMode,
    noQuorumPolicy: ws.props["no-quorum-policy"] ?? "stop",
    counts: {
      nodes: ws.nodes.length,
      resourceInstances: prims.length,
      disabled,
      blocked: prims.filter((p) => p.blocked).length,
    },
    messages: [...ws.messages],
  };
}

export { isTrue };
