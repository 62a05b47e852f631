// Presentation helpers over ClusterState: words and colours for states, and
// lookups the views need (which resources run on a node). No cluster decisions.

import type { ClusterState, NodeView, ResourceView } from "../server/scheduler/types";

export type Tone = "ok" | "warn" | "bad" | "idle" | "info";

export interface NodeStatus {
  label: "online" | "offline" | "standby" | "maintenance" | "unclean" | "pending";
  tone: Tone;
}

export function nodeStatus(n: NodeView): NodeStatus {
  if (n.unclean) return { label: "unclean", tone: "bad" };
  if (!n.online) return n.pending ? { label: "pending", tone: "warn" } : { label: "offline", tone: "bad" };
  if (n.maintenance) return { label: "maintenance", tone: "warn" };
  if (n.standby || n.standbyOnFail) return { label: "standby", tone: "warn" };
  return { label: "online", tone: "ok" };
}

export interface Placement {
  id: string;
  role: string;
  failed: boolean;
}

/** Every primitive instance of the tree, depth first. */
export function primitives(rs: readonly ResourceView[]): ResourceView[] {
  const out: ResourceView[] = [];
  const walk = (r: ResourceView) => {
    if (r.kind === "primitive") out.push(r);
    r.children.forEach(walk);
  };
  rs.forEach(walk);
  return out;
}

export function resourcesOnNode(state: ClusterState, uname: string): Placement[] {
  return placementsByNode(state).get(uname) ?? [];
}

/** node uname -> the primitive instances active there, in one pass over the tree. */
export function placementsByNode(state: ClusterState): Map<string, Placement[]> {
  const out = new Map<string, Placement[]>();
  for (const p of primitives(state.resources)) {
    for (const a of p.active) {
      let list = out.get(a.node);
      if (!list) out.set(a.node, (list = []));
      list.push({ id: p.id, role: a.role, failed: a.failed || p.failed });
    }
  }
  // failed instances first so a capped list never hides them
  for (const list of out.values()) if (list.some((x) => x.failed)) list.sort((a, b) => Number(b.failed) - Number(a.failed));
  return out;
}

export interface ResourceStatus {
  label: string;
  tone: Tone;
  nodes: string[];
}

export function resourceStatus(r: ResourceView): ResourceStatus {
  if (r.kind !== "primitive") {
    const kids = r.children.map(resourceStatus);
    const nodes = [...new Set(kids.flatMap((k) => k.nodes))];
    const worst = kids.some((k) => k.tone === "bad") ? "bad" : kids.some((k) => k.tone === "warn") ? "warn" : kids.every((k) => k.tone === "idle") ? "idle" : "ok";
    const running = kids.filter((k) => k.nodes.length > 0).length;
    const label = r.targetRole === "Stopped" ? "disabled" : `${running}/${kids.length} active`;
    return { label, tone: r.targetRole === "Stopped" && worst === "idle" ? "idle" : worst, nodes };
  }
  const nodes = r.active.map((a) => a.node);
  if (r.failed || r.active.some((a) => a.failed)) return { label: r.blocked ? "FAILED (blocked)" : "FAILED", tone: "bad", nodes };
  if (r.blocked) return { label: "blocked", tone: "bad", nodes };
  if (r.active.length > 1 && r.kind === "primitive") return { label: "multiply active", tone: "bad", nodes };
  const roleLabel = r.active[0]?.role;
  if (r.active.length === 0) {
    if (r.targetRole === "Stopped") return { label: "Stopped (disabled)", tone: "idle", nodes };
    return { label: "Stopped", tone: r.orphan ? "idle" : "warn", nodes };
  }
  const suffix = !r.managed ? " (unmanaged)" : "";
  return { label: `${roleLabel === "Unpromoted" || roleLabel === "Promoted" ? roleLabel : "Started"}${suffix}`, tone: r.managed ? "ok" : "warn", nodes };
}

export function findResource(rs: readonly ResourceView[], id: string): ResourceView | undefined {
  for (const r of rs) {
    if (r.id === id) return r;
    const hit = findResource(r.children, id);
    if (hit) return hit;
  }
  return undefined;
}

/** Config id of an instance id: "web:1" -> "web". */
export function configId(instanceId: string): string {
  return instanceId.replace(/:\d+$/, "");
}

export function formatInterval(ms: number): string {
  if (ms === 0) return "0";
  if (ms % 60000 === 0) return `${ms / 60000}min`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function formatTime(epochSeconds?: number): string {
  if (!epochSeconds) return "";
  return new Date(epochSeconds * 1000).toLocaleString();
}
