// Transition Summary lines in crm_simulate's wording and column layout:
// "  * Start      rsc1     ( node1 )", "  * Move ... ( node1 -> node2 )",
// "  * Stop ... due to node availability", "  * Fence (reboot) node2 'reason'".
import { ROLE_RANK, type SAction, type SNode, type SRsc, type WorkingSet } from "./model";
import type { Role } from "./types";
import { actionKey } from "./actions";

interface Item {
  change: string;
  rsc: SRsc;
  role: Role;
  nextRole: Role;
  origin?: SNode;
  dest?: SNode;
  action: SAction;
  source?: SAction;
}

function find(r: SRsc, task: string, node: SNode | undefined): SAction | undefined {
  const key = actionKey(r, task, 0);
  return r.actions.find((a) => a.key === key && (node === undefined || a.node === node || a.node === undefined));
}

function logPrimitive(r: SRsc, out: Item[]): void {
  const next = r.allocatedTo;
  const current = r.runningOn[0];
  let role = r.role;
  if (current && role === "Stopped") role = "Started";
  if (!current && r.orphan) return;
  if (!r.managed || (!current && !next)) return;
  const moving = !!current && !!next && current !== next;
  const start = find(r, "start", next);
  const startNode = !start || !start.runnable ? undefined : current;
  const stop = find(r, "stop", startNode);
  const promote = find(r, "promote", next);
  const demote = find(r, "demote", next);
  const nextRole = r.nextRole;
  const item = (change: string, origin: SNode | undefined, dest: SNode | undefined, action: SAction | undefined, source?: SAction) => {
    const a = action ?? source;
    if (!a) return;
    out.push({ change, rsc: r, role, nextRole, origin, dest, action: a, source });
  };
  if (role === nextRole) {
    if (r.reload && start) {
      item("Reload", current, next, start);
    } else if (!start || start.optional) {
      if (demote && promote && !demote.optional && !promote.optional) item("Re-promote", current, next, promote, demote);
    } else if (!start.runnable) {
      item("Stop", current, undefined, stop, stop?.reason ? stop : start);
    } else if (moving && current) {
      item(r.failed ? "Recover" : "Move", current, next, stop);
    } else if (r.failed) {
      item("Recover", current, undefined, stop);
    } else {
      item("Restart", current, next, start);
    }
    return;
  }
  if (stop && (nextRole === "Stopped" || (start && !start.runnable))) {
    for (const n of r.runningOn) {
      const key = actionKey(r, "stop", 0);
      const s = r.actions.find((a) => a.key === key && a.node === n);
      item("Stop", n, undefined, s, s?.reason ? s : start);
    }
  } else if (stop && r.failed && r.stopOnFail) {
    item("Recover", current, next, stop, start);
  } else if (moving) {
    item("Move", current, next, stop);
  } else if (r.reload && start) {
    item("Reload", current, next, start);
  } else if (start && (!start.optional || !start.runnable)) {
    if (promote && !promote.optional && ROLE_RANK[nextRole] >= ROLE_RANK.Promoted) item("Promote", undefined, next, promote);
    else item("Start", undefined, next, start);
  } else if (promote && !promote.optional) {
    item("Promote", current, next, promote);
  } else if (demote && !demote.optional) {
    item("Demote", current, next, demote);
  }
}

function logResource(r: SRsc, out: Item[]): void {
  if (r.variant === "primitive") logPrimitive(r, out);
  else for (const c of r.children) logResource(c, out);
}

function details(it: Item): string {
  const needRole = ROLE_RANK[it.role] > ROLE_RANK.Started || ROLE_RANK[it.nextRole] > ROLE_RANK.Unpromoted;
  const o = it.origin?.uname;
  const d = it.dest?.uname;
  const sameHost = !!it.origin && !!it.dest && it.origin === it.dest;
  const sameRole = it.role === it.nextRole;
  if (needRole && !o) return `${it.role} -> ${it.nextRole} ${d}`;
  if (!o) return `${d}`;
  if (needRole && !d) return `${it.role} ${o}`;
  if (!d) return o;
  if (needRole && sameRole && sameHost) return `${it.role} ${o}`;
  if (sameRole && sameHost) return o;
  if (needRole && sameRole) return `${o} -> ${d} ${it.role}`;
  if (sameRole) return `${o} -> ${d}`;
  if (sameHost) return `${it.role} -> ${it.nextRole} ${o}`;
  return `${it.role} ${o} -> ${it.nextRole} ${d}`;
}

function reasonText(it: Item): string | undefined {
  const source = it.source ?? it.action;
  if (source.reason && !it.action.runnable) return `due to ${source.reason} (blocked)`;
  if (source.reason) return `due to ${source.reason}`;
  if (!it.action.runnable) return "blocked";
  return undefined;
}

export function transitionSummary(ws: WorkingSet): string[] {
  const lines: string[] = [];
  // node actions in the order Pacemaker keeps them (newest first)
  for (let i = ws.actions.length - 1; i >= 0; i--) {
    const a = ws.actions[i];
    if (a.rsc || a.optional) continue;
    if (a.task === "stonith") lines.push(`  * Fence (${a.fenceAction ?? "reboot"}) ${a.node!.uname} '${a.reason ?? "node is unclean"}'`);
  }
  const items: Item[] = [];
  for (const r of ws.resources) logResource(r, items);
  // crm_simulate computes the column widths while logging the same lines first
  let rscWidth = 5;
  let detailWidth = 5;
  const det = items.map(details);
  for (let i = 0; i < items.length; i++) {
    const len = items[i].rsc.id.length;
    if (len > rscWidth) rscWidth = len + 2;
    if (det[i].length > detailWidth) detailWidth = det[i].length;
  }
  items.forEach((it, i) => {
    const reason = reasonText(it);
    const line = `  * ${it.change.padEnd(8)}   ${it.rsc.id.padEnd(rscWidth)}   ( ${det[i].padStart(detailWidth)} )${reason ? `  ${reason}` : ""}`;
    lines.push(line);
  });
  return lines;
}
