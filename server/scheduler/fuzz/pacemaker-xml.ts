// Reads the XML that Debian's `crm_simulate --output-as=xml` prints into
// Vigil's ClusterState, so that Pacemaker's own answer can be compared with
// Vigil's (differential testing) and rendered with Vigil's formatter.
import { XMLParser } from "fast-xml-parser";
import type { ActiveInstance, ClusterState, NodeView, ResourceView, Role } from "../types";

type X = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => ["node", "resource", "clone", "group", "rsc_action", "pseudo_action", "crm_event", "fence_action"].includes(name),
  preserveOrder: true,
});

/** A pacemaker-result element tree in document order. */
interface El {
  tag: string;
  attrs: Record<string, string>;
  children: El[];
}

function toTree(nodes: X[]): El[] {
  const out: El[] = [];
  for (const n of nodes) {
    const tag = Object.keys(n).find((k) => k !== ":@");
    if (!tag || tag === "#text") continue;
    out.push({ tag, attrs: (n[":@"] as Record<string, string>) ?? {}, children: toTree((n[tag] as X[]) ?? []) });
  }
  return out;
}

const bool = (v: string | undefined) => v === "true";

function nodeView(e: El): NodeView {
  const a = e.attrs;
  return {
    id: a.id ?? a.name,
    uname: a.name,
    type: a.type === "remote" ? "remote" : a.type === "ping" ? "ping" : "member",
    online: bool(a.online),
    unclean: bool(a.unclean),
    pending: bool(a.pending),
    standby: bool(a.standby),
    standbyOnFail: bool(a.standby_onfail),
    maintenance: bool(a.maintenance),
    shutdown: bool(a.shutdown),
    expectedUp: bool(a.expected_up),
    attributes: {},
    resourceCount: Number(a.resources_running ?? 0),
  };
}

function role(s: string | undefined): Role {
  switch (s) {
    case "Started": case "Stopped": case "Promoted": case "Unpromoted": return s;
    case "Master": return "Promoted";
    case "Slave": return "Unpromoted";
    default: return "Unknown";
  }
}

function primitiveView(e: El, id: string): ResourceView {
  const a = e.attrs;
  const r = role(a.role);
  const nodes = e.children.filter((c) => c.tag === "node").map((c) => c.attrs.name);
  const failed = bool(a.failed);
  const active: ActiveInstance[] = nodes.map((n) => ({ node: n, role: r === "Stopped" ? "Started" : r, failed }));
  return {
    id,
    kind: "primitive",
    agent: a.resource_agent?.replace(/^ocf::/, "ocf:"),
    children: [],
    active,
    targetRole: a.target_role,
    managed: bool(a.managed),
    blocked: bool(a.blocked),
    failed,
    orphan: bool(a.orphaned),
    failureIgnored: bool(a.failure_ignored),
  };
}

function groupView(e: El, id: string, suffix: string): ResourceView {
  const children = e.children
    .filter((c) => c.tag === "resource")
    .map((c) => primitiveView(c, /:\d+$/.test(c.attrs.id) ? c.attrs.id : c.attrs.id + suffix));
  return {
    id,
    kind: "group",
    children,
    active: [],
    targetRole: bool(e.attrs.disabled) ? "Stopped" : undefined,
    managed: bool(e.attrs.managed),
    blocked: false,
    failed: children.some((c) => c.failed),
    orphan: children.length > 0 && children.every((c) => c.orphan),
  };
}

function cloneView(e: El): ResourceView {
  const a = e.attrs;
  const unique = bool(a.unique);
  const kids = e.children.filter((c) => c.tag === "resource" || c.tag === "group");
  // Anonymous instances come without their ":N"; number them in order.
  const children = kids.map((c, i) => {
    if (c.tag === "group") {
      const gid = c.attrs.id;
      const m = /:(\d+)$/.exec(gid);
      return groupView(c, gid, m ? `:${m[1]}` : `:${i}`);
    }
    return primitiveView(c, unique || /:\d+$/.test(c.attrs.id) ? c.attrs.id : `${c.attrs.id}:${i}`);
  });
  const first = kids[0];
  return {
    id: a.id,
    kind: "clone",
    children,
    active: [],
    // target_role here is the first instance's; "disabled" is the clone's own.
    targetRole: bool(a.disabled) ? "Stopped" : undefined,
    managed: bool(a.managed),
    blocked: false,
    failed: bool(a.failed),
    orphan: false,
    promotable: bool(a.multi_state),
    globallyUnique: unique,
    childId: first ? first.attrs.id.replace(/:\d+$/, "") : undefined,
    failureIgnored: bool(a.failure_ignored),
  };
}

function resourcesOf(e: El | undefined): ResourceView[] {
  if (!e) return [];
  return e.children.flatMap((c) => {
    if (c.tag === "resource") return [primitiveView(c, c.attrs.id)];
    if (c.tag === "group") return [groupView(c, c.attrs.id, "")];
    if (c.tag === "clone") return [cloneView(c)];
    return [];
  });
}

function stateOf(e: El | undefined, symmetricCluster: boolean): ClusterState | undefined {
  if (!e) return undefined;
  const nodesEl = e.children.find((c) => c.tag === "nodes");
  const nodes = (nodesEl?.children ?? []).filter((c) => c.tag === "node").map(nodeView);
  const resources = resourcesOf(e.children.find((c) => c.tag === "resources"));
  return {
    nodes,
    resources,
    failedActions: [],
    failCounts: [],
    haveQuorum: true,
    stonithEnabled: true,
    symmetricCluster,
    maintenanceMode: false,
    noQuorumPolicy: "stop",
    counts: { nodes: nodes.length, resourceInstances: 0, disabled: 0, blocked: 0 },
    messages: [],
  };
}

export interface PacemakerResult {
  current?: ClusterState;
  revised?: ClusterState;
}

/** Parses `crm_simulate -S --output-as=xml` output. `symmetricCluster` comes from the input CIB. */
export function parsePacemakerResult(xml: string, symmetricCluster = true): PacemakerResult {
  const tree = toTree(parser.parse(xml) as X[]);
  const root = tree.find((t) => t.tag === "pacemaker-result");
  if (!root) throw new Error("not a pacemaker-result document");
  return {
    current: stateOf(root.children.find((c) => c.tag === "cluster_status"), symmetricCluster),
    revised: stateOf(root.children.find((c) => c.tag === "revised_cluster_status"), symmetricCluster),
  };
}

/** One placed resource instance: what the differential test compares. */
export interface Placement {
  rsc: string;
  node: string;
  role: Role;
}

/** Flattens a ClusterState to sorted "rsc node role" placements (clone instance numbers dropped). */
export function placements(state: ClusterState): string[] {
  const out: string[] = [];
  const walk = (r: ResourceView) => {
    if (r.kind === "primitive") {
      for (const a of r.active) {
        const role = a.role === "Unpromoted" || a.role === "Started" ? "Started" : a.role;
        out.push(`${r.id.replace(/:\d+$/, "")} ${a.node} ${role}`);
      }
    } else r.children.forEach(walk);
  };
  state.resources.forEach(walk);
  return out.sort();
}

// ---------------------------------------------------------------------------
// crm_mon --output-as=xml (for checking Vigil's crm_mon formatter against crm_mon itself)

import type { ClusterSummaryInfo } from "../format";

/** "2017-10-26 14:23:49Z" -> epoch seconds */
function isoToEpoch(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const ms = Date.parse(s.replace(" ", "T"));
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** ctime text ("Thu Oct 26 14:23:49 2017", local time) -> epoch seconds */
function ctimeToEpoch(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})$/.exec(s.trim());
  if (!m) return undefined;
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].indexOf(m[1]);
  return Math.floor(new Date(Number(m[6]), mon, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])).getTime() / 1000);
}

export interface CrmMonResult {
  state: ClusterState;
  summary: ClusterSummaryInfo;
  lastUpdated?: number;
}

/** Parses `crm_mon -1 -r -f --output-as=xml`. */
export function parseCrmMonXml(xml: string): CrmMonResult {
  const root = toTree(parser.parse(xml) as X[]).find((t) => t.tag === "pacemaker-result");
  if (!root) throw new Error("not a pacemaker-result document");
  const sum = root.children.find((c) => c.tag === "summary");
  const get = (tag: string) => sum?.children.find((c) => c.tag === tag)?.attrs ?? {};
  const opts = get("cluster_options");
  const state = stateOf(root, opts["symmetric-cluster"] !== "false")!;
  const dc = get("current_dc");
  const rc = get("resources_configured");
  const lc = get("last_change");
  state.dc = dc.present === "true" ? dc.name : undefined;
  state.haveQuorum = dc.with_quorum === "true";
  state.maintenanceMode = opts["maintenance-mode"] === "true";
  state.counts = {
    nodes: Number(get("nodes_configured").number ?? state.nodes.length),
    resourceInstances: Number(rc.number ?? 0),
    disabled: Number(rc.disabled ?? 0),
    blocked: Number(rc.blocked ?? 0),
  };
  for (const f of (root.children.find((c) => c.tag === "failures")?.children ?? []).filter((c) => c.tag === "failure")) {
    const a = f.attrs;
    // older histories give only the op id ("rsc1_monitor_1"): take task and interval from it
    const key = a.op_key ?? a.id ?? "";
    const km = /^(.*)_([a-z_-]+)_(\d+)$/.exec(key);
    const task = a.task ?? km?.[2] ?? "";
    const interval = Number(a.interval ?? km?.[3] ?? 0);
    const suffix = `_${task}_${interval}`;
    const rsc = key.endsWith(suffix) ? key.slice(0, -suffix.length) : (km?.[1] ?? key);
    state.failedActions.push({
      rsc,
      node: a.node,
      task,
      intervalMs: interval,
      rc: Number(a.exitcode),
      rcText: a.exitstatus,
      opStatus: a.status === "complete" ? 0 : 1,
      opStatusText: a.status,
      exitReason: a.exitreason && a.exitreason !== "none" ? a.exitreason : undefined,
      callId: Number(a.call),
      lastRcChange: isoToEpoch(a["last-rc-change"]),
      execMs: Number(a.exec ?? 0),
      queueMs: Number(a.queued ?? 0),
      opId: key,
    });
  }
  for (const n of (root.children.find((c) => c.tag === "node_history")?.children ?? []).filter((c) => c.tag === "node")) {
    for (const h of n.children.filter((c) => c.tag === "resource_history")) {
      if (h.attrs["fail-count"] === undefined) continue;
      state.failCounts.push({
        rsc: h.attrs.id,
        node: n.attrs.name,
        failCount: Number(h.attrs["fail-count"]),
        lastFailure: ctimeToEpoch(h.attrs["last-failure"]),
        migrationThreshold: Number(h.attrs["migration-threshold"]),
      });
    }
  }
  return {
    state,
    summary: {
      stack: get("stack").type,
      dcVersion: dc.version || undefined,
      lastWritten: lc.time,
      updateUser: lc.user,
      updateClient: lc.client,
      updateOrigin: lc.origin,
    },
    lastUpdated: ctimeToEpoch(get("last_update").time),
  };
}
