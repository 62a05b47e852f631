// Transition Summary lines in crm_simulate's wording and column layout:
// "  * Start      rsc1     ( node1 )", "  * Move ... ( node1 -> node2 )",
// "  * Stop ... due to node availability", "  * Fence (reboot) node2 'reason'".
import { ROLE_RANK, type SAction, type SNode, type SRsc, type WorkingSet } from "./model";
import type { Role } from "./types";
import { isZeroAction } from "./actions";

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

/** r's action of task (interval 0) on node (or on none), as a loop: no key string and no closure per lookup. */
function find(r: SRsc, task: string, node: SNode | undefined): SAction | undefined {
  for (const a of r.actions) if (isZeroAction(a, r, task) && (node === undefined || a.node === node || a.node === undefined)) return a;
  return undefined;
}

function item(out: Item[], r: SRsc, role: Role, nextRole: Role, change: string, origin: SNode | undefined, dest: SNode | undefined, action: SAction | undefined, source?: SAction): void {
  const a = action ?? source;
  if (!a) return;
  out.push({ change, rsc: r, role, nextRole, origin, dest, action: a, source });
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
  if (role === nextRole) {
    if (r.reload && start) {
      item(out, r, role, nextRole, "Reload", current, next, start);
    } else if (!start || start.optional) {
      if (demote && promote && !demote.optional && !promote.optional) item(out, r, role, nextRole, "Re-promote", current, next, promote, demote);
    } else if (!start.runnable) {
      item(out, r, role, nextRole, "Stop", current, undefined, stop, stop?.reason ? stop : start);
    } else if (moving && current) {
      item(out, r, role, nextRole, r.failed ? "Recover" : "Move", current, next, stop);
    } else if (r.failed) {
      item(out, r, role, nextRole, "Recover", current, undefined, stop);
    } else {
      item(out, r, role, nextRole, "Restart", current, next, start);
    }
    return;
  }
  if (stop && (nextRole === "Stopped" || (start && !start.runnable))) {
    for (const n of r.runningOn) {
      let s: SAction | undefined;
      for (const a of r.actions) if (isZeroAction(a, r, "stop") && a.node === n) { s = a; break; }
      item(out, r, role, nextRole, "Stop", n, undefined, s, s?.reason ? s : start);
    }
  } else if (stop && r.failed && r.stopOnFail) {
    item(out, r, role, nextRole, "Recover", current, next, stop, start);
  } else if (moving) {
    item(out, r, role, nextRole, "Move", current, next, stop);
  } else if (r.reload && start) {
    item(out, r, role, nextRole, "Reload", current, next, start);
  } else if (start && (!start.optional || !start.runnable)) {
    if (promote && !promote.optional && ROLE_RANK[nextRole] >= ROLE_RANK.Promoted) item(out, r, role, nextRole, "Promote", undefined, next, promote);
    else item(out, r, role, nextRole, "Start", undefined, next, start);
  } else if (promote && !promote.optional) {
    item(out, r, role, nextRole, "Promote", current, next, promote);
  } else if (demote && !demote.optional) {
    item(out, r, role, nextRole, "Demote", current, next, demote);
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
