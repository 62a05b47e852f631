// Installing Vigil's own agents on a host over its transport.
//
//   await installVigilAgents(transport)   // -> { copied: [...], unchanged: [...], dest }
//
// Copies the repo's agents/resource.d/vigil/* to <ocfRoot>/resource.d/vigil/ on the host
// (default /usr/lib/ocf, so ocf:vigil:Dummy etc. resolve like any OCF agent), and
// agents/lib/vigil/* to <ocfRoot>/lib/vigil/ (helpers the agents load). Files whose
// SHA-256 already matches are left alone, so calling it on every (re)connect is cheap:
// one command when nothing changed. Each file is written to a temp name, then renamed.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Transport } from "./types";

export const REPO_AGENTS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../agents");

export interface InstallOptions {
  /** local folder with resource.d/vigil and lib/vigil [the repo's agents/] */
  srcRoot?: string;
  /** OCF root on the host [transport.agentPaths.vigilOcfRoot ?? agentPaths.ocfRoot ?? /usr/lib/ocf] */
  ocfRoot?: string;
  timeoutMs?: number;
}

export interface InstallResult {
  dest: string;
  copied: string[];
  unchanged: string[];
}

interface LocalFile {
  rel: string; // resource.d/vigil/Dummy
  abs: string;
  sha: string;
  mode: number;
}

function listLocal(srcRoot: string): LocalFile[] {
  const out: LocalFile[] = [];
  for (const sub of ["resource.d/vigil", "lib/vigil"]) {
    const dir = path.join(srcRoot, sub);
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const abs = path.join(dir, name);
      const st = statSync(abs);
      if (!st.isFile()) continue;
      if (!/^[A-Za-z0-9_.+-]+$/.test(name) || name.endsWith(".test.ts")) continue;
      const data = readFileSync(abs);
      out.push({ rel: `${sub}/${name}`, abs, sha: createHash("sha256").update(data).digest("hex"), mode: st.mode & 0o777 });
    }
  }
  return out;
}

export async function installVigilAgents(t: Transport, opts: InstallOptions = {}): Promise<InstallResult> {
  const srcRoot = opts.srcRoot ?? REPO_AGENTS_ROOT;
  const dest = opts.ocfRoot ?? t.agentPaths?.vigilOcfRoot ?? t.agentPaths?.ocfRoot ?? "/usr/lib/ocf";
  const timeoutMs = opts.timeoutMs ?? 20000;
  const files = listLocal(srcRoot);
  if (files.length === 0) return { dest, copied: [], unchanged: [] };
  // one round trip to learn what the host already has
  const have = await t.run({
    argv: ["/bin/sh", "-c", 'cd "$1" 2>/dev/null || exit 0; shift; for f; do [ -f "$f" ] && sha256sum "$f"; done; exit 0', "sh", dest, ...files.map((f) => f.rel)],
    timeoutMs,
  });
  if (have.code !== 0) throw new Error(`installing agents on ${t.node}: cannot read ${dest}: ${have.stderr.trim()}`);
  const remote = new Map<string, string>();
  for (const line of have.stdout.split("\n")) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) remote.set(m[2], m[1]);
  }
  const copied: string[] = [];
  const unchanged: string[] = [];
  for (const f of files) {
    if (remote.get(f.rel) === f.sha) {
      unchanged.push(f.rel);
      continue;
    }
    const target = `${dest}/${f.rel}`;
    const mode = (f.rel.startsWith("resource.d/") ? f.mode | 0o755 : f.mode | 0o644).toString(8);
    const r = await t.run({
      argv: ["/bin/sh", "-c", 'mkdir -p "$(dirname "$1")" && base64 -d >"$1.vigil-tmp" && chmod "$2" "$1.vigil-tmp" && mv -f "$1.vigil-tmp" "$1"', "sh", target, mode],
      stdin: readFileSync(f.abs).toString("base64"),
      timeoutMs,
    });
    if (r.code !== 0) throw new Error(`installing ${f.rel} on ${t.node} failed (${r.code ?? r.signal}): ${r.stderr.trim()}`);
    copied.push(f.rel);
  }
  return { dest, copied, unchanged };
}
