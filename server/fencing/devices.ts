// Fence devices: which device may fence which node, and how to call its agent (pure; no I/O).
//
//   devicesFromCib(cib)                       -> FenceDevice[] (stonith-class primitives)
//   topologyFromCib(cib)                      -> FencingLevel[] (fencing-topology)
//   staticTargets(dev)                        -> { check, hosts } from pcmk_host_list / pcmk_host_map / pcmk_host_check
//   parseHostMap("node1:1;node2:2,3")         -> Map { node1 => "1", node2 => "2,3" }
//   agentInput(dev, "reboot", "node2", meta)  -> key=value parameters for the agent's stdin
//   actionTimeoutMs(dev, "reboot", 60000), actionRetries(dev, "reboot"), fenceDelayMs(dev, "node2", rnd)
//
// Semantics follow "Pacemaker Explained" 2.1, Special Meta-Attributes for Fencing Resources:
// - pcmk_host_check default: static-list when pcmk_host_list or pcmk_host_map is set; else
//   dynamic-list when the agent has a list action; else status when it has status; else none.
// - pcmk_host_map "node:port;node:port" (',' ';' or space between entries, '\' escapes) gives the
//   port passed to the agent; otherwise the node name is the port.
// - pcmk_host_argument: default "plug" when the agent's meta-data has it, else "port"; "none" = omit.
// - pcmk_<action>_action / _timeout [stonith-timeout] / _retries [2]; pcmk_delay_base + random
//   pcmk_delay_max; pcmk_* parameters are never passed to the agent.

import type { Cib, NvSet, Primitive, RawXml } from "../cib/types";
import { allPrimitives } from "../cib/find";
import { tryParseDuration } from "../cib/values";

export interface FenceDevice {
  id: string;
  /** fence agent name, e.g. fence_ipmilan */
  agent: string;
  /** instance attributes, including pcmk_* */
  params: Record<string, string>;
  /** priority meta attribute (higher is tried first) [0] */
  priority: number;
  /** target-role=Stopped or is-managed... devices that are disabled are not used */
  enabled: boolean;
}

export interface FencingLevel {
  id: string;
  index: number;
  /** node name, or a regular expression (target-pattern) */
  target?: string;
  targetPattern?: string;
  devices: string[];
}

export type HostCheck = "static-list" | "dynamic-list" | "status" | "none";

/** what the agent's meta-data says about it (optional; defaults assume a standard fence agent) */
export interface AgentMeta {
  parameters?: string[];
  actions?: string[];
}

function mergeSets(sets: NvSet[]): Record<string, string> {
  const out: Record<string, string> = {};
  // sets without rules, in document order; the first set that names a value wins (Pacemaker order)
  for (const s of sets) {
    if (s.rule) continue;
    for (const nv of s.nvpairs) if (nv.value !== undefined && !(nv.name in out)) out[nv.name] = nv.value;
  }
  return out;
}

export function deviceFromPrimitive(p: Primitive): FenceDevice {
  if (p.class !== "stonith") throw new Error(`${p.id} is not a fence device (class ${p.class})`);
  const meta = mergeSets(p.metaAttributes);
  const prio = Number(meta["priority"] ?? 0);
  const role = (meta["target-role"] ?? "Started").toLowerCase();
  return {
    id: p.id,
    agent: p.type,
    params: mergeSets(p.instanceAttributes),
    priority: Number.isFinite(prio) ? prio : 0,
    enabled: role !== "stopped",
  };
}

export function devicesFromCib(cib: Cib): FenceDevice[] {
  return allPrimitives(cib)
    .filter((p) => p.class === "stonith")
    .map(deviceFromPrimitive);
}

export function topologyFromCib(cib: Cib): FencingLevel[] {
  const out: FencingLevel[] = [];
  const walk = (x: RawXml) => {
    if (x.tag === "fencing-level") {
      out.push({
        id: x.attrs.id ?? "",
        index: Number(x.attrs.index ?? 0),
        target: x.attrs.target,
        targetPattern: x.attrs["target-pattern"],
        devices: (x.attrs.devices ?? "").split(",").map((d) => d.trim()).filter(Boolean),
      });
    }
    x.children?.forEach(walk);
  };
  for (const u of cib.configuration.unknown ?? []) if (u.tag === "fencing-topology") walk(u);
  return out.sort((a, b) => a.index - b.index);
}

/** levels that apply to a target, lowest index first */
export function levelsFor(levels: FencingLevel[], target: string): FencingLevel[] {
  return levels.filter((l) => {
    if (l.target !== undefined) return l.target === target;
    if (l.targetPattern !== undefined) {
      try {
        return new RegExp(l.targetPattern).test(target);
      } catch {
        return false;
      }
    }
    return false;
  });
}

export function parseHostMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  // split on unescaped ; , or whitespace between entries; "node2:2,3" keeps ",3" only when it is a port list
  const entries: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      continue;
    }
    if (c === ";" || /\s/.test(c)) {
      if (cur) entries.push(cur);
      cur = "";
      continue;
    }
    cur += c;
  }
  if (cur) entries.push(cur);
  for (const e of entries) {
    const i = e.indexOf(":") >= 0 ? e.indexOf(":") : e.indexOf("=");
    if (i <= 0) throw new Error(`pcmk_host_map: "${e}" is not node:port`);
    map.set(e.slice(0, i), e.slice(i + 1));
  }
  return map;
}

export function hostList(dev: FenceDevice): string[] {
  return (dev.params["pcmk_host_list"] ?? "").split(/[\s,;]+/).filter(Boolean);
}

export function hostCheck(dev: FenceDevice, meta?: AgentMeta): HostCheck {
  const v = dev.params["pcmk_host_check"];
  if (v) {
    if (v === "static-list" || v === "dynamic-list" || v === "status" || v === "none") return v;
    throw new Error(`fence device ${dev.id}: pcmk_host_check "${v}" must be static-list, dynamic-list, status or none`);
  }
  if (dev.params["pcmk_host_list"] || dev.params["pcmk_host_map"]) return "static-list";
  const actions = meta?.actions;
  if (!actions || actions.includes("list")) return "dynamic-list";
  if (actions.includes("status")) return "status";
  return "none";
}

/** static answer: true/false, or "ask" when the agent must be asked (dynamic-list/status) */
export function canFenceStatic(dev: FenceDevice, target: string, meta?: AgentMeta): boolean | "ask" {
  if (!dev.enabled) return false;
  const check = hostCheck(dev, meta);
  if (check === "none") return true;
  if (check === "static-list") {
    const map = dev.params["pcmk_host_map"] ? parseHostMap(dev.params["pcmk_host_map"]) : new Map<string, string>();
    return hostList(dev).includes(target) || map.has(target);
  }
  return "ask";
}

/** the port (plug) the agent should act on for a node */
export function portFor(dev: FenceDevice, target: string): string {
  const m = dev.params["pcmk_host_map"];
  if (m) {
    const map = parseHostMap(m);
    const p = map.get(target);
    if (p !== undefined) return p;
  }
  return target;
}

function pcmkActionKey(action: string): string {
  // Pacemaker names the "off" settings pcmk_off_*, "reboot" pcmk_reboot_*, "status" pcmk_status_* ...
  return action.replace(/-/g, "_");
}

export function agentAction(dev: FenceDevice, action: string): string {
  return dev.params[`pcmk_${pcmkActionKey(action)}_action`] || action;
}

export function actionTimeoutMs(dev: FenceDevice, action: string, stonithTimeoutMs = 60000): number {
  const v = dev.params[`pcmk_${pcmkActionKey(action)}_timeout`];
  if (v) {
    const ms = tryParseDuration(v);
    if (ms === undefined || ms <= 0) throw new Error(`fence device ${dev.id}: pcmk_${action}_timeout "${v}" is not a duration`);
    return ms;
  }
  return stonithTimeoutMs;
}

export function actionRetries(dev: FenceDevice, action: string): number {
  const v = dev.params[`pcmk_${pcmkActionKey(action)}_retries`];
  if (v === undefined || v === "") return 2;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`fence device ${dev.id}: pcmk_${action}_retries "${v}" must be a whole number`);
  return n;
}

/** pcmk_delay_base (one value, or node:delay map) + a random part keeping the sum below pcmk_delay_max */
export function fenceDelayMs(dev: FenceDevice, target: string, random = Math.random): number {
  let base = 0;
  const b = dev.params["pcmk_delay_base"];
  if (b) {
    let v = b;
    if (b.includes(":")) v = parseHostMap(b).get(target) ?? "0";
    base = tryParseDuration(v) ?? 0;
  }
  const max = dev.params["pcmk_delay_max"] ? (tryParseDuration(dev.params["pcmk_delay_max"]) ?? 0) : 0;
  if (max > base) return base + Math.floor(random() * (max - base));
  return base;
}

/** key=value parameters for the agent (stdin), without pcmk_* */
export function agentInput(dev: FenceDevice, action: string, target: string | undefined, meta?: AgentMeta): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(dev.params)) {
    if (k.startsWith("pcmk_") || k === "provides" || k === "priority") continue;
    out[k] = v;
  }
  out["action"] = agentAction(dev, action);
  if (target !== undefined) {
    out["nodename"] = target;
    let arg = dev.params["pcmk_host_argument"];
    if (!arg) arg = meta?.parameters ? (meta.parameters.includes("plug") ? "plug" : meta.parameters.includes("port") ? "port" : "none") : "port";
    // an explicit port/plug in the device's own parameters (single-node device) is kept as is
    if (arg !== "none" && !(arg in dev.params)) out[arg] = portFor(dev, target);
  }
  return out;
}

export function stdinFor(params: Record<string, string>): string {
  return (
    Object.entries(params)
      .map(([k, v]) => {
        if (/[\r\n]/.test(v)) throw new Error(`fence parameter ${k} contains a line break`);
        return `${k}=${v}`;
      })
      .join("\n") + "\n"
  );
}

/** names from a `list` answer: "node1,alias" or "node1 alias" per line, or "node1" */
export function parseListOutput(out: string): string[] {
  const names = new Set<string>();
  for (const line of out.split("\n")) {
    const t = line.trim();
    if (!t) continue;
    const [a, b] = t.split(/[,\s]+/);
    if (a) names.add(a);
    if (b) names.add(b);
  }
  return [...names];
}

/** minimal meta-data reading: parameter names and action names */
export function parseAgentMeta(xml: string): AgentMeta {
  const parameters = [...xml.matchAll(/<parameter\s[^>]*name="([^"]+)"/g)].map((m) => m[1]);
  const actions = [...xml.matchAll(/<action\s[^>]*name="([^"]+)"/g)].map((m) => m[1]);
  if (parameters.length === 0 && actions.length === 0) throw new Error("fence agent meta-data has no <parameter> or <action> elements");
  return { parameters, actions };
}
