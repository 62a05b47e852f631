// Differential testing: run Debian's crm_simulate and Vigil's scheduler on the
// same CIB and compare the revised placement (resource, node, role).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCibXml } from "../../cib/xml";
import type { SchedulerCore } from "../../cli/simulate";
import { applyTransition } from "../simulate";
import { digestProbeCib, digestsFromCib, generateCib, renderCib, shrinkSpec, type CibSpec, type Digests, type GenerateOptions } from "./generate";
import { parsePacemakerResult, placements } from "./pacemaker-xml";

export interface Verdict {
  agree: boolean;
  pacemaker: string[];
  vigil: string[];
  /** set when one side could not process the CIB at all */
  error?: string;
}

/** True when Debian's crm_simulate is on the PATH. */
export function haveCrmSimulate(): boolean {
  return !spawnSync("crm_simulate", ["--version"], { encoding: "utf8" }).error;
}

let scratch: string | undefined;
function scratchFile(): string {
  scratch ??= mkdtempSync(path.join(tmpdir(), "vigil-fuzz-"));
  return path.join(scratch, "cib.xml");
}

let digestCache: Digests | undefined;
/** The op-digests Pacemaker computes for the generator's agents and operations (one crm_simulate run). */
export function learnDigests(): Digests {
  if (digestCache) return digestCache;
  const f = scratchFile();
  const out = `${f}.out`;
  writeFileSync(f, digestProbeCib());
  const r = spawnSync("crm_simulate", ["-x", f, "-S", "-O", out], { encoding: "utf8", env: { ...process.env, CIB_shadow_dir: path.dirname(f) } });
  digestCache = r.error ? {} : digestsFromCib(readFileSync(out, "utf8"));
  return digestCache;
}

/** Renders a spec with Pacemaker's digests (so neither side restarts for a "definition change"). */
export function renderWithDigests(spec: CibSpec): string {
  return renderCib(spec, learnDigests());
}

/** Pacemaker's revised placement for a CIB, as sorted "rsc node role" lines. */
export function pacemakerPlacement(xml: string): string[] {
  const f = scratchFile();
  writeFileSync(f, xml);
  const r = spawnSync("crm_simulate", ["-x", f, "-S", "--output-as=xml"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, LC_ALL: "C", CIB_shadow_dir: path.dirname(f) },
  });
  if (r.error) throw r.error;
  if (!r.stdout.includes("<revised_cluster_status")) {
    throw new Error(`crm_simulate gave no revised status (exit ${r.status}): ${r.stderr.split("\n").find((l) => l.includes("error")) ?? ""}`);
  }
  const res = parsePacemakerResult(r.stdout, !/name="symmetric-cluster" value="false"/.test(xml));
  return placements(res.revised!);
}

/** Vigil's revised placement: schedule, pretend every action succeeded, unpack again. */
export function vigilPlacement(xml: string, core: SchedulerCore): string[] {
  const cib = parseCibXml(xml);
  const ed = Number(cib.attrs["execution-date"]);
  const now = Number.isFinite(ed) && ed > 0 ? ed : Math.floor(Date.now() / 1000);
  const result = core.schedule(cib, { now });
  return placements(core.unpack(applyTransition(cib, result.transition, { now }), { now }));
}

export function compareXml(xml: string, core: SchedulerCore): Verdict {
  let pacemaker: string[];
  try {
    pacemaker = pacemakerPlacement(xml);
  } catch (e) {
    return { agree: true, pacemaker: [], vigil: [], error: `pacemaker: ${(e as Error).message}` };
  }
  let vigil: string[];
  try {
    vigil = vigilPlacement(xml, core);
  } catch (e) {
    return { agree: false, pacemaker, vigil: [], error: `vigil: ${(e as Error).name}: ${(e as Error).message}` };
  }
  const agree = pacemaker.length === vigil.length && pacemaker.every((l, i) => l === vigil[i]);
  return { agree, pacemaker, vigil };
}

/** Shrinks a disagreeing spec while it still disagrees (greedy, bounded by `budget` checks). */
export function minimize(spec: CibSpec, core: SchedulerCore, budget = 200): CibSpec {
  let cur = spec;
  let checks = 0;
  let progress = true;
  while (progress && checks < budget) {
    progress = false;
    for (const cand of shrinkSpec(cur)) {
      if (++checks > budget) break;
      const v = compareXml(renderWithDigests(cand), core);
      if (!v.agree && !v.error?.startsWith("pacemaker:")) {
        cur = cand;
        progress = true;
        break;
      }
    }
  }
  return cur;
}

export interface FuzzReport {
  total: number;
  agreed: number;
  disagreed: { seed: number; spec: CibSpec; verdict: Verdict }[];
  /** cases Pacemaker itself could not process (not counted either way) */
  skipped: number;
  /** why each skipped case was skipped, "seed: error" */
  skippedWhy: string[];
}

export function runFuzz(opts: { count: number; seed: number; core: SchedulerCore; gen?: GenerateOptions; onCase?: (seed: number, v: Verdict) => void }): FuzzReport {
  const rep: FuzzReport = { total: 0, agreed: 0, disagreed: [], skipped: 0, skippedWhy: [] };
  for (let i = 0; i < opts.count; i++) {
    const seed = opts.seed + i;
    const spec = generateCib(seed, opts.gen);
    const v = compareXml(renderWithDigests(spec), opts.core);
    opts.onCase?.(seed, v);
    if (v.error?.startsWith("pacemaker:")) {
      rep.skipped++;
      rep.skippedWhy.push(`${seed}: ${v.error}`);
      continue;
    }
    rep.total++;
    if (v.agree) rep.agreed++;
    else rep.disagreed.push({ seed, spec, verdict: v });
  }
  return rep;
}

export function cleanupScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}
