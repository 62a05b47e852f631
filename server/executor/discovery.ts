// What agents a host has, found by listing its agent directories through the
// transport (so it works the same for local and SSH hosts). Backs
// `vigil resource standards | providers | agents | list | describe`.

import type { AgentOp, AgentPaths, Transport } from "./types";
import { OcfRc } from "./types";
import { agentName, describeFallback, hasSystemd, resolvePaths, runAgentOp, type ClassFallback } from "./agents";
import { MetadataError, parseAgentMetadata, type AgentMetadata } from "./metadata";

export interface AgentRef {
  standard: string;
  provider?: string;
  type: string;
}

/** the name pcs prints: ocf:heartbeat:IPaddr2, lsb:apache2, systemd:haproxy, stonith:fence_xvm */
export function refName(a: AgentRef): string {
  return agentName(a);
}

/** Parse "ocf:heartbeat:IPaddr2", "systemd:haproxy", "stonith:fence_xvm"; a bare name is ocf:heartbeat:NAME as in pcs. */
export function parseAgentName(s: string): AgentRef {
  const parts = s.split(":");
  if (parts.some((p) => p === "")) throw new Error(`invalid agent name "${s}"`);
  if (parts.length === 1) return { standard: "ocf", provider: "heartbeat", type: parts[0] };
  if (parts.length === 2) {
    if (parts[0] === "ocf") throw new Error(`ocf agent "${s}" needs a provider: ocf:PROVIDER:TYPE`);
    return { standard: parts[0], type: parts[1] };
  }
  if (parts.length === 3 && parts[0] === "ocf") return { standard: "ocf", provider: parts[1], type: parts[2] };
  throw new Error(`invalid agent name "${s}" (expected class:provider:type or class:type)`);
}

const LS_TIMEOUT = 15000;

/** names in a directory on the host ([] when it does not exist) */
async function ls(t: Transport, dir: string): Promise<string[]> {
  const r = await t.run({ argv: ["ls", "-1", dir], timeoutMs: LS_TIMEOUT });
  if (r.code !== 0) return [];
  return r.stdout
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith("."));
}

/** resource classes this host supports (as `pcs resource standards`); stonith is listed by `vigil stonith list` */
export async function listStandards(t: Transport, over?: AgentPaths): Promise<string[]> {
  const paths = resolvePaths(t, over);
  const out = new Set<string>(["lsb", "service", "systemd"]); // systemd falls back to lsb without systemd
  if ((await ls(t, `${paths.ocfRoot}/resource.d`)).length || (await ls(t, `${paths.vigilOcfRoot}/resource.d`)).length) out.add("ocf");
  return [...out].sort();
}

export async function listProviders(t: Transport, over?: AgentPaths): Promise<string[]> {
  const paths = resolvePaths(t, over);
  const out = new Set(await ls(t, `${paths.ocfRoot}/resource.d`));
  if ((await ls(t, `${paths.vigilOcfRoot}/resource.d/vigil`)).length) out.add("vigil");
  else out.delete("vigil");
  return [...out].sort();
}

// files in an init directory that are not services
const NOT_INIT_SCRIPTS = new Set(["README", "skeleton", "rc", "rcS", "functions", "halt", "reboot", "single", "killprocs"]);

/**
 * Agents of a class (and, for ocf, a provider; all providers when omitted).
 * systemd lists unit files when the host runs systemd, else its init scripts.
 */
export async function listAgents(t: Transport, standard: string, provider?: string, over?: AgentPaths): Promise<AgentRef[]> {
  const paths = resolvePaths(t, over);
  switch (standard) {
    case "ocf": {
      const provs = provider ? [provider] : await listProviders(t, over);
      const out: AgentRef[] = [];
      for (const p of provs) {
        const root = p === "vigil" ? paths.vigilOcfRoot : paths.ocfRoot;
        for (const type of await ls(t, `${root}/resource.d/${p}`)) out.push({ standard: "ocf", provider: p, type });
      }
      if (provider && !out.length) throw new Error(`no ocf agents of provider "${provider}" on ${t.node}`);
      return out.sort((a, b) => (a.provider! + a.type).localeCompare(b.provider! + b.type));
    }
    case "lsb":
      return (await initScripts(t, paths.initDir)).map((type) => ({ standard: "lsb", type }));
    case "systemd":
    case "service": {
      if (!(await hasSystemd(t, paths))) return (await initScripts(t, paths.initDir)).map((type) => ({ standard, type }));
      const r = await t.run({
        argv: [paths.systemctl, "list-unit-files", "--type=service", "--no-legend", "--no-pager", "--plain"],
        timeoutMs: LS_TIMEOUT,
      });
      if (r.code !== 0) throw new Error(`systemctl list-unit-files failed on ${t.node}: ${r.stderr.trim() || `exit ${r.code}`}`);
      const units = r.stdout
        .split("\n")
        .map((l) => l.trim().split(/\s+/)[0])
        .filter((u) => u && u.endsWith(".service") && !u.includes("@"))
        .map((u) => u.slice(0, -".service".length));
      const names = standard === "service" ? new Set([...units, ...(await initScripts(t, paths.initDir))]) : new Set(units);
      return [...names].sort().map((type) => ({ standard, type }));
    }
    case "stonith":
      return (await ls(t, paths.fenceDir))
        .filter((n) => n.startsWith("fence_"))
        .sort()
        .map((type) => ({ standard: "stonith", type }));
    default:
      throw new Error(`unknown resource class "${standard}" (ocf, lsb, systemd, service, stonith)`);
  }
}

async function initScripts(t: Transport, dir: string): Promise<string[]> {
  return (await ls(t, dir)).filter((n) => !NOT_INIT_SCRIPTS.has(n) && !n.endsWith(".sh") && !n.includes(".dpkg-")).sort();
}

export interface AgentDescription {
  agent: AgentRef;
  name: string;
  metadata: AgentMetadata;
  /** set for systemd/service agents: how they really run on this host */
  fallback?: ClassFallback;
}

/** The meta-data action of an agent, as an operation any transport or executor can run. */
export function metadataOp(agent: AgentRef, timeoutMs = 30000): AgentOp {
  return { rsc: "meta-data", standard: agent.standard, provider: agent.provider, type: agent.type, action: "meta-data", intervalMs: 0, timeoutMs, params: {}, meta: {} };
}

/** Run the agent's meta-data action on the host and parse it. Throws a clear Error (MetadataError for bad XML). */
export async function describeAgent(t: Transport, agent: AgentRef, over?: AgentPaths): Promise<AgentDescription> {
  const name = agentName(agent);
  const res = await runAgentOp(t, metadataOp(agent), { paths: over });
  if (res.rc !== OcfRc.SUCCESS) {
    throw new Error(`cannot read the meta-data of ${name} on ${t.node}: ${res.exitReason ?? `rc ${res.rc}`}`);
  }
  const metadata = parseAgentMetadata(res.output, name);
  const fallback = await describeFallback(t, agent.standard, agent.type, over);
  return { agent, name, metadata, ...(fallback ? { fallback } : {}) };
}

export { MetadataError };
