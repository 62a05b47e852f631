// Agent changes: when a node's history of a resource was recorded with another
// resource agent (class, provider or type) than the one configured now, that
// history is deleted on the node ("Resource action: X delete on N"), and a
// resource still active there under the old agent is restarted, as Pacemaker's
// scheduler does before it assigns resources.
import type { LrmResource } from "../cib/types";
import type { SNode, SRsc, WorkingSet } from "./model";
import { customAction } from "./actions";
import { nodeOf } from "./unpack-status";

function agentChanged(rsc: SRsc, lr: LrmResource): boolean {
  const a = rsc.agent;
  if (!a) return false;
  return (lr.class ?? "") !== a.standard || (lr.provider ?? "") !== (a.provider ?? "") || (lr.type ?? "") !== a.type;
}

/** Nodes whose history is compared: usable ones, and maintenance nodes. */
function checkedNode(n: SNode): boolean {
  if (n.maintenance) return true;
  return n.online && !n.unclean && !n.shutdown && !n.standby && !n.pending;
}

/**
 * Schedule history deletes (and restarts) for histories of another agent; call
 * before assignment. Each node's history entries are matched to resources by
 * name (instance id or the name the history uses), as Pacemaker does, whichever
 * instance the entry was unpacked into.
 */
export function checkAgentChanges(ws: WorkingSet): void {
  // the one agent every resource with an agent has, if there is one (most clusters: a few
  // agents; a benchmark: one): an entry recorded with it cannot have changed for any resource,
  // which is cheaper to see than looking its name up
  let sole: { standard: string; provider: string; type: string } | undefined;
  let several = false;
  for (const r of ws.primitives) {
    if (r.orphan) continue;
    const a = r.agent;
    if (!a) continue;
    if (!sole) sole = { standard: a.standard, provider: a.provider ?? "", type: a.type };
    else if (a.standard !== sole.standard || (a.provider ?? "") !== sole.provider || a.type !== sole.type) {
      several = true;
      break;
    }
  }
  if (several) sole = undefined;
  // the resources by history name, made when the first entry of another agent shows up
  let byName: Map<string, SRsc[]> | undefined;
  for (const st of ws.cib.status) {
    const node = nodeOf(ws, st);
    if (!node || !checkedNode(node)) continue;
    for (const lr of st.lrmResources) {
      // (the agent first: it is in the entry itself, its op list is another object to read)
      if (sole && (lr.class ?? "") === sole.standard && (lr.provider ?? "") === sole.provider && (lr.type ?? "") === sole.type) continue;
      if (lr.ops.length === 0) continue;
      byName ??= resourcesByName(ws);
      const named = byName.get(lr.id);
      if (named) for (const rsc of named) if (agentChanged(rsc, lr)) scheduleCleanup(ws, rsc, node);
    }
  }
}

/** The resources (not orphans) by id and by the name their history uses. */
function resourcesByName(ws: WorkingSet): Map<string, SRsc[]> {
  const byName = new Map<string, SRsc[]>();
  for (const r of ws.primitives) {
    if (r.orphan) continue;
    addByName(byName, r.id, r);
    if (r.historyName !== undefined && r.historyName !== r.id) addByName(byName, r.historyName, r);
  }
  return byName;
}

function addByName(byName: Map<string, SRsc[]>, name: string, r: SRsc): void {
  let l = byName.get(name);
  if (!l) byName.set(name, (l = []));
  l.push(r);
}

function scheduleCleanup(ws: WorkingSet, rsc: SRsc, node: SNode): void {
  if (rsc.runningOn.includes(node)) {
    // still running under the old agent: stop it there, start it afresh
    const stop = customAction(ws, rsc, "stop", node, false);
    stop.optional = false;
    rsc.startPending = true;
  }
  // a failed resource keeps its history (the failure is what it tells)
  if (rsc.failed) return;
  const del = customAction(ws, rsc, "delete", node, false);
  del.runnable = true;
  ws.orders.push({ id: "agent-change", firstRsc: rsc, firstTask: "stop", thenAction: del, thenTask: "delete", flags: 1 });
  ws.orders.push({ id: "agent-change", firstAction: del, firstTask: "delete", thenRsc: rsc, thenTask: "start", flags: 1 });
}
