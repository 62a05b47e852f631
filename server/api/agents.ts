// The agent catalog the API checks `resource create` against: the agents this
// machine's hosts can run. For the embedded demo and local hosts that is the
// agents Vigil ships (agents/resource.d/vigil) plus what is installed here
// (/usr/lib/ocf/resource.d, init scripts, systemd units, fence agents).
// Meta-data is read by running the agent's meta-data action once, cached.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentCatalog, AgentInfo } from "../cib/ops/context";
import { parseAgentMetadata } from "../executor/metadata";

export const REPO_AGENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../agents");

export interface CatalogPaths {
  vigilOcfRoot: string;
  ocfRoot: string;
  initDir: string;
  systemdDirs: string[];
  fenceDir: string;
}

const DEFAULTS: CatalogPaths = {
  vigilOcfRoot: REPO_AGENTS,
  ocfRoot: "/usr/lib/ocf",
  initDir: "/etc/init.d",
  systemdDirs: ["/lib/systemd/system", "/etc/systemd/system", "/usr/lib/systemd/system"],
  fenceDir: "/usr/sbin",
};

function ls(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

function isExecFile(p: string): boolean {
  try {
    const s = statSync(p);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export class LocalAgentCatalog implements AgentCatalog {
  private names: string[] = [];
  private listedAt = 0;
  private readonly meta = new Map<string, AgentInfo>();
  private readonly paths: CatalogPaths;

  constructor(paths: Partial<CatalogPaths> = {}, private readonly ttlMs = 30_000) {
    this.paths = { ...DEFAULTS, ...paths };
  }

  private scan(): string[] {
    const p = this.paths;
    const out = new Set<string>();
    for (const t of ls(path.join(p.vigilOcfRoot, "resource.d/vigil")))
      if (isExecFile(path.join(p.vigilOcfRoot, "resource.d/vigil", t))) out.add(`ocf:vigil:${t}`);
    for (const prov of ls(path.join(p.ocfRoot, "resource.d"))) {
      if (prov === "vigil" && p.vigilOcfRoot !== p.ocfRoot) continue;
      for (const t of ls(path.join(p.ocfRoot, "resource.d", prov)))
        if (isExecFile(path.join(p.ocfRoot, "resource.d", prov, t))) out.add(`ocf:${prov}:${t}`);
    }
    for (const s of ls(p.initDir)) {
      if (isExecFile(path.join(p.initDir, s)) && !s.endsWith(".sh") && !s.includes(".dpkg-")) {
        out.add(`lsb:${s}`);
        out.add(`service:${s}`);
      }
    }
    for (const d of p.systemdDirs)
      for (const u of ls(d))
        if (u.endsWith(".service") && !u.includes("@")) {
          out.add(`systemd:${u.slice(0, -8)}`);
          out.add(`service:${u.slice(0, -8)}`);
        }
    for (const f of ls(p.fenceDir)) if (f.startsWith("fence_") && isExecFile(path.join(p.fenceDir, f))) out.add(`stonith:${f}`);
    return [...out].sort();
  }

  list(): string[] {
    if (!this.names.length || Date.now() - this.listedAt > this.ttlMs) {
      this.names = this.scan();
      this.listedAt = Date.now();
    }
    return this.names;
  }

  describe(fullName: string): AgentInfo | undefined {
    if (!this.list().includes(fullName)) return undefined;
    const cached = this.meta.get(fullName);
    if (cached) return cached;
    const info: AgentInfo = { name: fullName };
    const [std, prov, type] = fullName.split(":");
    if (std === "ocf") {
      const root = prov === "vigil" ? this.paths.vigilOcfRoot : this.paths.ocfRoot;
      const script = path.join(root, "resource.d", prov, type);
      try {
        const xml = execFileSync(script, ["meta-data"], {
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", OCF_ROOT: root, OCF_FUNCTIONS_DIR: path.join(this.paths.ocfRoot, "lib/heartbeat") } as unknown as NodeJS.ProcessEnv,
          timeout: 10_000,
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        });
        const md = parseAgentMetadata(xml, fullName);
        info.shortdesc = md.shortdesc;
        info.longdesc = md.longdesc;
        info.params = md.parameters.map((x) => ({
          name: x.name,
          required: x.required,
          unique: x.unique,
          type: x.type,
          ...(x.default !== undefined ? { default: x.default } : {}),
          shortdesc: x.shortdesc,
          longdesc: x.longdesc,
          ...(x.values ? { values: x.values } : {}),
        }));
        info.actions = md.actions.map((a) => ({ name: a.name, interval: a.interval, timeout: a.timeout, role: a.role, depth: a.depth }));
      } catch {
        // unreadable meta-data: the agent exists, parameters are not checked
      }
    }
    this.meta.set(fullName, info);
    return info;
  }
}

export function agentsDirExists(): boolean {
  return existsSync(path.join(REPO_AGENTS, "resource.d/vigil"));
}
