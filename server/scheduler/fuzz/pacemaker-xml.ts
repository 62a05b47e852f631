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
