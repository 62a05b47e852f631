// Pure text formatters: ClusterState / Transition / scores -> the text that
// crm_mon 2.1 and crm_simulate 2.1.5 print, line for line, so that admins see
// the layout they know and the conformance runner can diff against Pacemaker.
import type { Action, ActiveInstance, AllocationScore, ClusterState, NodeView, ResourceView, Role, Transition } from "./types";
import { scoreToString } from "../cib/values";
import {
  compareNodeNames,
  ctimeString,
  failCountText,
  ocfRcText,
  readableInterval,
  sortNodeNames,
} from "./format-util";

export { ctimeString, isoUtcString, readableInterval, compareNodeNames } from "./format-util";

/** What crm_mon's "Cluster Summary:" needs beyond ClusterState (from the CIB; see clusterSummaryInfo). */
export interface ClusterSummaryInfo {
  /** cluster-infrastructure property ("corosync"); "unknown" when absent */
  stack?: string;
  /** dc-version property */
  dcVersion?: string;
  /** <cib cib-last-written>, printed verbatim */
  lastWritten?: string;
  updateUser?: string;
  updateClient?: string;
  updateOrigin?: string;
}

export interface StatusFormatOptions {
  /** "simulate": crm_simulate's indented sections; "crm_mon": crm_mon -1 with its Cluster Summary */
  mode: "simulate" | "crm_mon";
  /** crm_mon: add "Migration Summary:" and the detailed failed-action form (pcs status --full) */
  full?: boolean;
  /** show inactive resources ("Full List of Resources:"); default true (pcs status / crm_mon -r).
   *  false gives crm_mon's plain "Active Resources:" list. Always true in simulate mode. */
  inactive?: boolean;
  /** crm_mon mode: values for the Cluster Summary block */
  summary?: ClusterSummaryInfo;
  /** crm_mon mode: "Last updated" time, epoch seconds (the formatter never reads the clock itself) */
  now?: number;
  /** print times in UTC instead of local time (tests, reproducible output) */
  utc?: boolean;
}

/** Reads the Cluster Summary values out of a CIB's attributes and cluster properties. */
export function clusterSummaryInfo(cib: {
  attrs: Record<string, string>;
  configuration: { crmConfig: { nvpairs: { name: string; value?: string }[] }[] };
}): ClusterSummaryInfo {
  const prop = (name: string) => {
    for (const set of cib.configuration.crmConfig) for (const p of set.nvpairs) if (p.name === name && p.value !== undefined) return p.value;
    return undefined;
  };
  return {
    stack: prop("cluster-infrastructure"),
    dcVersion: prop("dc-version"),
    lastWritten: cib.attrs["cib-last-written"],
    updateUser: cib.attrs["update-user"],
    updateClient: cib.attrs["update-client"],
    updateOrigin: cib.attrs["update-origin"],
  };
}

// ---------------------------------------------------------------------------
// Node list

/** The status word crm_mon prints for a node shown on its own line. */
export function nodeStatusText(n: NodeView): string {
  if (n.unclean) return n.online ? "UNCLEAN (online)" : n.pending ? "UNCLEAN (pending)" : "UNCLEAN (offline)";
  if (n.pending) return "pending";
  if (n.standbyOnFail && n.online) return "standby (on-fail)";
  if (n.standby) {
    if (!n.online) return "OFFLINE (standby)";
    return n.resourceCount > 0 ? "standby (with active resources)" : "standby";
  }
  if (n.maintenance) return n.online ? "maintenance" : "OFFLINE (maintenance)";
  return n.online ? "online" : "OFFLINE";
}

function nodeListItems(nodes: NodeView[]): string[] {
  const sorted = [...nodes].sort((a, b) => compareNodeNames(a.uname, b.uname));
  const items: string[] = [];
  const online: string[] = [];
  const offline: string[] = [];
  for (const n of sorted) {
    const own = n.unclean || n.pending || (n.standbyOnFail && n.online) || n.standby || n.maintenance;
    if (!own) {
      (n.online ? online : offline).push(n.uname);
      continue;
    }
    items.push(`Node ${n.uname}: ${nodeStatusText(n)}`);
  }
  if (online.length) items.push(`Online: [ ${online.join(" ")} ]`);
  if (offline.length) items.push(`OFFLINE: [ ${offline.join(" ")} ]`);
  return items;
}

// ---------------------------------------------------------------------------
// Resources

/** A line at a nesting depth (0 = directly under "Full List of Resources:"). */
interface Item {
  depth: number;
  text: string;
}

interface Ctx {
  state: ClusterState;
  nodes: Map<string, NodeView>;
  inactive: boolean;
}

const ROLE_RANK: Record<Role, number> = { Unknown: 0, Stopped: 1, Started: 2, Unpromoted: 3, Promoted: 4 };

function isDisabledRole(targetRole: string | undefined, inPromotable: boolean): boolean {
  const t = targetRole?.toLowerCase();
  if (t === "stopped") return true;
  return inPromotable && (t === "unpromoted" || t === "slave");
}

function primitives(r: ResourceView): ResourceView[] {
  return r.kind === "primitive" ? [r] : r.children.flatMap(primitives);
}

function isActive(r: ResourceView): boolean {
  return primitives(r).some((p) => p.active.some((a) => a.role !== "Stopped"));
}

function activeOf(p: ResourceView): ActiveInstance[] {
  return p.active.filter((a) => a.role !== "Stopped");
}

/**
 * Nodes a group or clone counts as running on. Like Pacemaker, an unmanaged
 * member active on an offline node counts only for itself, not for its parents;
 * a collective whose members are all such is left out of the list altogether.
 */
function collectiveNodes(r: ResourceView, ctx: Ctx): Set<string> {
  const out = new Set<string>();
  for (const p of primitives(r)) for (const a of activeOf(p)) if (p.managed || ctx.nodes.get(a.node)?.online) out.add(a.node);
  return out;
}

function hiddenCollective(r: ResourceView, ctx: Ctx): boolean {
  return isActive(r) && collectiveNodes(r, ctx).size === 0;
}

/** The primitive's id as crm_mon prints it: instances of anonymous clones lose their ":N". */
function displayId(id: string, anonymous: boolean): string {
  return anonymous ? id.replace(/:\d+$/, "") : id;
}

function primitiveItem(r: ResourceView, depth: number, ctx: Ctx, clone?: ResourceView): Item | undefined {
  const act = activeOf(r);
  if (!ctx.inactive && act.length === 0) return undefined;
  const promotable = clone?.promotable === true;
  const anonymous = clone !== undefined && clone.globallyUnique !== true;
  let s = `${displayId(r.id, anonymous)}\t(${r.agent ?? "unknown"}):\t`;
  if (r.orphan) s += " ORPHANED";
  let role: Role = "Stopped";
  for (const a of act) if (ROLE_RANK[a.role] > ROLE_RANK[role]) role = a.role;
  if (promotable && role === "Started") role = "Unpromoted";
  const failed = r.failed || act.some((a) => a.failed);
  if (failed) s += role === "Promoted" ? " FAILED Promoted" : " FAILED";
  else s += ` ${role}`;
  if (act.length === 1) s += ` ${act[0].node}`;

  const flags: string[] = [];
  const where = act.length === 1 ? ctx.nodes.get(act[0].node) : undefined;
  if (where && !where.online && where.unclean) flags.push("UNCLEAN");
  const t = r.targetRole?.toLowerCase();
  if (t === "stopped") flags.push("disabled");
  else if (promotable && (t === "unpromoted" || t === "slave")) flags.push(`target-role:${r.targetRole}`);
  if (r.blocked) flags.push("blocked");
  else if (!r.managed) flags.push("unmanaged");
  if (r.failureIgnored) flags.push("failure ignored");
  if (flags.length) s += ` (${flags.join(", ")})`;
  // several nodes are listed after the flags, as crm_mon does
  if (act.length > 1) s += ` [ ${act.map((a) => a.node).join(" ")} ]`;
  return { depth, text: s };
}

function groupItems(r: ResourceView, depth: number, ctx: Ctx, clone?: ResourceView): Item[] {
  if (!ctx.inactive && !isActive(r)) return [];
  if (hiddenCollective(r, ctx)) return [];
  const flags: string[] = [];
  if (!r.managed) flags.push("unmanaged");
  if (isDisabledRole(r.targetRole, clone?.promotable === true)) flags.push("disabled");
  const out: Item[] = [{ depth, text: `Resource Group: ${r.id}${flags.length ? ` (${flags.join(", ")})` : ""}:` }];
  for (const c of r.children) {
    const it = primitiveItem(c, depth + 1, ctx, clone);
    if (it) out.push(it);
  }
  return out;
}

function childItems(child: ResourceView, depth: number, ctx: Ctx, clone: ResourceView): Item[] {
  if (child.kind === "group") return groupItems(child, depth, ctx, clone);
  const it = primitiveItem(child, depth, ctx, clone);
  return it ? [it] : [];
}

/** The single node all of an instance's members run on, or undefined (stopped or spread out). */
function instanceLocation(child: ResourceView): string | undefined {
  const nodes = new Set<string>();
  for (const p of primitives(child)) for (const a of activeOf(p)) nodes.add(a.node);
  return nodes.size === 1 ? [...nodes][0] : undefined;
}

function instanceRole(child: ResourceView): Role {
  let role: Role = "Stopped";
  for (const p of primitives(child)) for (const a of activeOf(p)) if (ROLE_RANK[a.role] > ROLE_RANK[role]) role = a.role;
  return role;
}

function cloneItems(r: ResourceView, depth: number, ctx: Ctx): Item[] {
  if (hiddenCollective(r, ctx)) return [];
  const unique = r.globallyUnique === true;
  const promotable = r.promotable === true;
  const flags: string[] = [];
  if (promotable) flags.push("promotable");
  if (unique) flags.push("unique");
  if (!r.managed) flags.push("unmanaged");
  if (isDisabledRole(r.targetRole, promotable)) flags.push("disabled");
  const firstChild = r.children[0];
  // Like Pacemaker's configured_role(): the clone's target-role, else its first instance's.
  const configuredRole = (r.targetRole ?? firstChild?.targetRole ?? (firstChild ? primitives(firstChild)[0]?.targetRole : undefined))?.toLowerCase();
  const childName = r.childId ?? (firstChild ? firstChild.id.replace(/:\d+$/, "") : "");
  const header: Item = { depth, text: `Clone Set: ${r.id} [${childName}]${flags.length ? ` (${flags.join(", ")})` : ""}:` };

  const body: Item[] = [];
  const promotedNodes: string[] = [];
  const startedNodes: string[] = [];
  const stoppedById: string[] = [];
  for (const child of r.children) {
    const prims = primitives(child);
    const partially = isActive(child);
    const fully = prims.length > 0 && prims.every((p) => activeOf(p).length > 0);
    let full = false;
    if (unique) {
      full = partially || !child.orphan;
    } else if (!partially) {
      if (!child.orphan && !prims.some((p) => p.orphan) && ctx.inactive) stoppedById.push(child.id);
    } else if (
      child.orphan || prims.some((p) => p.orphan) ||
      !child.managed || prims.some((p) => !p.managed) ||
      child.failed || prims.some((p) => p.failed || p.active.some((a) => a.failed))
    ) {
      full = true;
    } else if (fully) {
      const loc = instanceLocation(child);
      if (loc === undefined) full = true;
      else {
        const n = ctx.nodes.get(loc);
        if (n && !n.online && n.unclean) full = true;
        else if (instanceRole(child) === "Promoted") promotedNodes.push(loc);
        else startedNodes.push(loc);
      }
    } else {
      full = true;
    }
    if (full) body.push(...childItems(child, depth + 1, ctx, r));
  }

  let activeInstances = 0;
  if (promotedNodes.length) {
    body.push({ depth: depth + 1, text: `Promoted: [ ${sortNodeNames(promotedNodes).join(" ")} ]` });
    activeInstances += promotedNodes.length;
  }
  if (startedNodes.length) {
    const label = promotable
      ? configuredRole === "unpromoted" || configuredRole === "slave"
        ? "Unpromoted (target-role)"
        : "Unpromoted"
      : "Started";
    body.push({ depth: depth + 1, text: `${label}: [ ${sortNodeNames(startedNodes).join(" ")} ]` });
    activeInstances += startedNodes.length;
  }

  if (ctx.inactive) {
    const disabled = configuredRole === "stopped";
    const stopped = new Map<string, string>(); // key (node or instance id) -> status text
    for (const id of stoppedById) stopped.set(id, disabled ? "Stopped (disabled)" : "Stopped");
    const cloneMax = r.cloneMax ?? r.children.filter((c) => !c.orphan && !primitives(c).some((p) => p.orphan)).length;
    if (!unique && cloneMax > activeInstances) {
      stopped.clear();
      const running = collectiveNodes(r, ctx);
      // Pacemaker lists the clone's allowed nodes: every node in a symmetric
      // cluster, else only the nodes where it has been probed.
      const candidates = ctx.state.symmetricCluster ? ctx.state.nodes.map((n) => n.uname) : (r.knownOn ?? []);
      const primIds = new Set(r.children.flatMap((c) => primitives(c).map((p) => p.id.replace(/:\d+$/, ""))));
      for (const node of sortNodeNames(new Set(candidates))) {
        if (running.has(node)) continue;
        const probe = ctx.state.failedActions.find(
          (f) =>
            f.node === node && f.task === "monitor" && f.intervalMs === 0 &&
            primIds.has(f.rsc.replace(/:\d+$/, "")) && (f.rc === 5 || f.rc === 2 || f.opStatus === 7),
        );
        stopped.set(node, probe ? `Stopped (${ocfRcText(probe.rc)})` : disabled ? "Stopped (disabled)" : "Stopped");
      }
    }
    for (const status of [...new Set(stopped.values())].sort()) {
      const keys = [...stopped].filter(([, v]) => v === status).map(([k]) => k);
      body.push({ depth: depth + 1, text: `${status}: [ ${sortNodeNames(keys).join(" ")} ]` });
    }
  }
  if (body.length === 0) return ctx.inactive ? [header] : [];
  return [header, ...body];
}

function resourceItems(r: ResourceView, depth: number, ctx: Ctx): Item[] {
  if (r.kind === "clone") return cloneItems(r, depth, ctx);
  if (r.kind === "group") return groupItems(r, depth, ctx);
  const it = primitiveItem(r, depth, ctx);
  return it ? [it] : [];
}

function resourceListItems(state: ClusterState, ctx: Ctx): Item[] {
  // Pacemaker keeps its resource list sorted by priority (stable: configuration order among equals).
  const ordered = state.resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (b.r.priority ?? 0) - (a.r.priority ?? 0) || a.i - b.i)
    .map((x) => x.r);
  const items = ordered.flatMap((r) => resourceItems(r, 0, ctx));
  if (items.length === 0) return [{ depth: 0, text: ctx.inactive ? "No resources" : "No active resources" }];
  return items;
}

// ---------------------------------------------------------------------------
// Failures

/** "rsc 10s-interval monitor on node1 returned 'not running' (reason) at DATE" (crm_mon 2.1.5). */
export function failedActionShort(f: ClusterState["failedActions"][number], utc = false): string {
  const task = f.task === "monitor" && f.intervalMs === 0 ? "probe" : f.task;
  let s = f.intervalMs ? `${f.rsc} ${readableInterval(f.intervalMs)}-interval ${task}` : `${f.rsc} ${task}`;
  s += ` on ${f.node}`;
  if (f.opStatus === 0) {
    s += ` returned '${f.rcText || ocfRcText(f.rc)}'`;
    if (f.exitReason) s += ` (${f.exitReason})`;
  } else {
    s += ` could not be executed (${f.opStatusText}${f.exitReason ? `: ${f.exitReason}` : ""})`;
  }
  if (f.lastRcChange) s += ` at ${ctimeString(f.lastRcChange, utc)}`;
  if (f.execMs > 0) s += ` after ${readableInterval(f.execMs)}`;
  return s;
}

/** The detailed form (crm_mon --show-detail, pcs status --full). */
export function failedActionDetailed(f: ClusterState["failedActions"][number], utc = false): string {
  let s = `${f.rsc}_${f.task}_${f.intervalMs} on ${f.node} '${f.rcText || ocfRcText(f.rc)}' (${f.rc}): call=${f.callId}, status='${f.opStatusText}'`;
  if (f.exitReason) s += `, exitreason='${f.exitReason}'`;
  if (f.lastRcChange) s += `, last-rc-change='${ctimeString(f.lastRcChange, utc)}', queued=${f.queueMs}ms, exec=${f.execMs}ms`;
  return s;
}

// ---------------------------------------------------------------------------
// Whole status

function instancesLine(c: ClusterState["counts"]): string {
  return `${c.resourceInstances} resource instance${c.resourceInstances === 1 ? "" : "s"} configured`;
}

/** crm_simulate's line above "Current cluster status:" when something is disabled or blocked. */
export function disabledBlockedLine(state: ClusterState): string | undefined {
  const c = state.counts;
  if (c.disabled === 0 && c.blocked === 0) return undefined;
  return `${c.disabled} of ${c.resourceInstances} resource instances DISABLED and ${c.blocked} BLOCKED from further action due to failure`;
}

/** The banner crm_mon and crm_simulate print under maintenance-mode=true. */
export const MAINTENANCE_BANNER = [
  "              *** Resource management is DISABLED ***",
  "  The cluster will not attempt to start, stop or recover services",
];

function clusterSummaryLines(state: ClusterState, opts: StatusFormatOptions): string[] {
  const info = opts.summary ?? {};
  const utc = opts.utc ?? false;
  const lines = ["Cluster Summary:", `  * Stack: ${info.stack ?? "unknown"}`];
  if (state.dc) {
    lines.push(
      `  * Current DC: ${state.dc} (version ${info.dcVersion ?? "unknown"}) - partition ${state.haveQuorum ? "with" : "WITHOUT"} quorum`,
    );
  } else {
    lines.push("  * Current DC: NONE");
  }
  lines.push(`  * Last updated: ${ctimeString(opts.now ?? Math.floor(Date.now() / 1000), utc)}`);
  let change = info.lastWritten ?? "";
  if (info.updateUser) change += ` by ${info.updateUser}`;
  if (info.updateClient) change += ` via ${info.updateClient}`;
  if (info.updateOrigin) change += ` on ${info.updateOrigin}`;
  lines.push(`  * Last change:  ${change}`);
  const c = state.counts;
  lines.push(`  * ${c.nodes} node${c.nodes === 1 ? "" : "s"} configured`);
  let inst = `  * ${instancesLine(c)}`;
  if (c.disabled && c.blocked) inst += ` (${c.disabled} DISABLED, ${c.blocked} BLOCKED from further action due to failure)`;
  else if (c.disabled) inst += ` (${c.disabled} DISABLED)`;
  else if (c.blocked) inst += ` (${c.blocked} BLOCKED from further action due to failure)`;
  lines.push(inst);
  if (state.maintenanceMode) lines.push("", ...MAINTENANCE_BANNER);
  return lines;
}

/**
 * The cluster status as text. mode "simulate" gives the "  * Node List:" /
 * "  * Full List of Resources:" block that crm_simulate prints under "Current
 * cluster status:" (without that heading); mode "crm_mon" gives `crm_mon -1 -r`.
 */
export function formatClusterStatus(state: ClusterState, opts: StatusFormatOptions): string {
  const simulate = opts.mode === "simulate";
  const ctx: Ctx = {
    state,
    nodes: new Map(state.nodes.map((n) => [n.uname, n])),
    inactive: simulate ? true : opts.inactive ?? true,
  };
  const base = simulate ? 2 : 0; // indentation of the section headings
  const ind = (n: number) => " ".repeat(n);
  const heading = (t: string) => (simulate ? `${ind(base)}* ${t}` : t);
  const item = (it: Item) => `${ind(base + 2 + it.depth * 2)}* ${it.text}`;
  const lines: string[] = [];

  if (!simulate) lines.push(...clusterSummaryLines(state, opts), "");
  lines.push(heading("Node List:"));
  for (const t of nodeListItems(state.nodes)) lines.push(item({ depth: 0, text: t }));
  lines.push("");
  lines.push(heading(ctx.inactive ? "Full List of Resources:" : "Active Resources:"));
  for (const it of resourceListItems(state, ctx)) lines.push(item(it));

  if (!simulate) {
    const utc = opts.utc ?? false;
    // crm_mon prints the heading once it has an online node to report on, and each online
    // node that has fail-counts (with its id in the detailed form)
    if (opts.full && state.nodes.some((n) => n.online)) {
      lines.push("", "Migration Summary:");
      const byNode = new Map<string, ClusterState["failCounts"]>();
      for (const f of state.failCounts) {
        if (f.failCount <= 0 || !ctx.nodes.get(f.node)?.online) continue;
        if (!byNode.has(f.node)) byNode.set(f.node, []);
        byNode.get(f.node)!.push(f);
      }
      for (const node of sortNodeNames(byNode.keys())) {
        const id = ctx.nodes.get(node)?.id;
        lines.push(`  * Node: ${node}${id && id !== node ? ` (${id})` : ""}:`);
        for (const f of byNode.get(node)!) {
          let s = `    * ${f.rsc}: migration-threshold=${f.migrationThreshold} fail-count=${failCountText(f.failCount)}`;
          if (f.lastFailure) s += ` last-failure='${ctimeString(f.lastFailure, utc)}'`;
          lines.push(s);
        }
      }
    }
    if (state.failedActions.length) {
      lines.push("", "Failed Resource Actions:");
      for (const f of state.failedActions) {
        lines.push(`  * ${opts.full ? failedActionDetailed(f, utc) : failedActionShort(f, utc)}`);
      }
    }
  }
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------
// Executing Cluster Transition

/** Graph actions that crm_simulate reports as "Cluster action:" (controller events, not agent calls). */
const CLUSTER_TASKS = new Set(["do_shutdown", "clear_failcount", "lrm_refresh", "maintenance_nodes", "lrm_delete"]);

/** One "Executing Cluster Transition:" line for an action, as crm_simulate 2.1.5 prints it. */
export function formatActionLine(a: Action): string {
  if (a.task === "stonith" && !a.pseudo) return `  * Fencing ${a.node} (${a.fenceAction ?? "reboot"})`;
  if (a.pseudo) return `  * Pseudo action:   ${a.key}`;
  if (CLUSTER_TASKS.has(a.task) || !a.rsc) {
    return a.rsc && a.task !== "do_shutdown"
      ? `  * Cluster action:  ${a.task} for ${a.rsc} on ${a.node}`
      : `  * Cluster action:  ${a.task} on ${a.node}`;
  }
  const task = a.intervalMs > 0 ? `${a.task}=${a.intervalMs}` : a.task;
  return `  * Resource action: ${a.rsc.padEnd(15)} ${task} on ${a.node}`;
}

/**
 * A dependency-respecting order of the transition's actions, the way
 * crm_simulate runs a graph: repeated passes in action-id order, each firing
 * every action whose inputs are complete. (Any topological order is valid.)
 */
export function executionOrder(t: Transition): Action[] {
  const byId = new Map(t.actions.map((a) => [a.id, a]));
  const inputs = new Map<number, number[]>();
  for (const e of t.edges) {
    if (!byId.has(e.first) || !byId.has(e.then)) continue;
    if (!inputs.has(e.then)) inputs.set(e.then, []);
    inputs.get(e.then)!.push(e.first);
  }
  const pending = [...t.actions].sort((a, b) => a.id - b.id);
  const done = new Set<number>();
  const order: Action[] = [];
  while (pending.length) {
    const fired: Action[] = [];
    for (const a of pending) if ((inputs.get(a.id) ?? []).every((i) => done.has(i))) fired.push(a);
    if (fired.length === 0) {
      // A cycle would be a scheduler bug; run the rest in id order rather than hang.
      fired.push(...pending);
    }
    for (const a of fired) {
      done.add(a.id);
      order.push(a);
      pending.splice(pending.indexOf(a), 1);
    }
  }
  return order;
}

/** The "Executing Cluster Transition:" body lines (without the heading). */
export function formatExecutedActions(t: Transition): string[] {
  return executionOrder(t).map(formatActionLine);
}

// ---------------------------------------------------------------------------
// Scores

/** `-s` lines as crm_simulate 2.1.5 prints them. */
export function formatScores(scores: AllocationScore[]): string[] {
  return scores.map((s) =>
    s.scope === "promotion"
      ? `${s.rsc} promotion score on ${s.node || "none"}: ${scoreToString(s.score)}`
      : `${s.scope}: ${s.rsc} allocation score on ${s.node}: ${scoreToString(s.score)}`,
  );
}
