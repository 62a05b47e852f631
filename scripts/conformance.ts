// Conformance runner: `npm run conformance -- DIR [--min N] [--scores] [--verbose] [--update-baseline]`.
// Runs `vigil simulate -x DIR/xml/NAME.xml -S` in-process for every case that has a
// DIR/summary/NAME.summary and compares with the summary Pacemaker printed.
//
// Comparison: whitespace inside lines and blank lines are ignored (upstream's
// `diff --ignore-all-space --ignore-blank-lines`). "Executing Cluster Transition"
// is compared as an unordered multiset of lines, because the order crm_simulate
// prints is only one valid topological order of the graph (see the README of the
// shared cases); every other section is compared line by line, in order.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseCibXml } from "../server/cib/xml";
import { schedule, unpack } from "../server/scheduler/index";
import { describeInputError, simulateText, type SchedulerCore } from "../server/cli/simulate";

export type Section = "current-status" | "transition-summary" | "executing" | "revised-status" | "scores";

export interface CaseResult {
  name: string;
  pass: boolean;
  sections: Section[];
  /** first differing line pair (expected, actual) of the first differing section */
  firstDiff?: { section: Section; expected?: string; actual?: string };
  error?: string;
  /** per differing section: lines only the summary has / only Vigil printed (whitespace removed) */
  details?: Partial<Record<Section, { missing: string[]; extra: string[] }>>;
}

function multisetDelta(exp: string[], act: string[]): { missing: string[]; extra: string[] } {
  const rest = [...act];
  const missing: string[] = [];
  for (const l of exp) {
    const i = rest.indexOf(l);
    if (i >= 0) rest.splice(i, 1);
    else missing.push(l);
  }
  return { missing, extra: rest };
}

/** The fixed "now" for cases without execution-date (crm_simulate would use its wall clock). */
export const DEFAULT_NOW = Date.UTC(2026, 0, 1) / 1000;

const HEADINGS: [string, Section][] = [
  ["Current cluster status:", "current-status"],
  ["Transition Summary:", "transition-summary"],
  ["Executing Cluster Transition:", "executing"],
  ["Revised Cluster Status:", "revised-status"],
];

/** Splits crm_simulate output into its sections; lines are whitespace-free, blank lines dropped. */
export function splitSections(text: string): Record<Exclude<Section, "scores">, string[]> {
  const out: Record<Exclude<Section, "scores">, string[]> = {
    "current-status": [],
    "transition-summary": [],
    executing: [],
    "revised-status": [],
  };
  // Lines before the first heading (execution date, DISABLED/BLOCKED counts, banner) belong to the current status.
  let cur: Exclude<Section, "scores"> = "current-status";
  for (const raw of text.split("\n")) {
    const h = HEADINGS.find(([t]) => raw.trim() === t);
    if (h) {
      cur = h[1] as Exclude<Section, "scores">;
      continue;
    }
    const norm = raw.replace(/\s+/g, "");
    if (norm) out[cur].push(norm);
  }
  return out;
}

function firstOrderedDiff(exp: string[], act: string[]): { expected?: string; actual?: string } | undefined {
  for (let i = 0; i < Math.max(exp.length, act.length); i++) if (exp[i] !== act[i]) return { expected: exp[i], actual: act[i] };
  return undefined;
}

function firstMultisetDiff(exp: string[], act: string[]): { expected?: string; actual?: string } | undefined {
  const count = new Map<string, number>();
  for (const l of exp) count.set(l, (count.get(l) ?? 0) + 1);
  const extra: string[] = [];
  for (const l of act) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else extra.push(l);
  }
  const missing = [...count].filter(([, n]) => n > 0).map(([l]) => l);
  if (!missing.length && !extra.length) return undefined;
  return { expected: missing[0], actual: extra[0] };
}

/** Compares Vigil's output with the expected summary; returns the differing sections. */
export function compareSummary(expected: string, actual: string): Pick<CaseResult, "sections" | "firstDiff" | "details"> {
  const e = splitSections(expected);
  const a = splitSections(actual);
  const sections: Section[] = [];
  let firstDiff: CaseResult["firstDiff"];
  const details: NonNullable<CaseResult["details"]> = {};
  for (const [, s] of HEADINGS) {
    const sec = s as Exclude<Section, "scores">;
    const d = sec === "executing" ? firstMultisetDiff(e[sec], a[sec]) : firstOrderedDiff(e[sec], a[sec]);
    if (d) {
      sections.push(sec);
      firstDiff ??= { section: sec, ...d };
      details[sec] = multisetDelta(e[sec], a[sec]);
    }
  }
  return sections.length ? { sections, firstDiff, details } : { sections, firstDiff };
}

export function listCases(dir: string): string[] {
  const xmlDir = path.join(dir, "xml");
  const sumDir = path.join(dir, "summary");
  if (!existsSync(xmlDir) || !existsSync(sumDir)) throw new Error(`${dir} has no xml/ and summary/ folders`);
  return readdirSync(xmlDir)
    .filter((f) => f.endsWith(".xml"))
    .map((f) => f.slice(0, -4))
    .filter((n) => existsSync(path.join(sumDir, `${n}.summary`)))
    .sort();
}

/** Score lines Debian's crm_simulate prints for a CIB (`crm_simulate -x F -sQ`), or undefined when it is not installed. */
function pacemakerScores(file: string): string[] | undefined {
  const r = spawnSync("crm_simulate", ["-x", file, "-sQ"], {
    encoding: "utf8",
    env: { ...process.env, LC_ALL: "C", CIB_shadow_dir: process.env.TMPDIR ?? "/tmp" },
  });
  if (r.error) return undefined;
  return (r.stdout ?? "").split("\n").map((l) => l.replace(/\s+/g, "")).filter(Boolean);
}

export function runCase(dir: string, name: string, core: SchedulerCore, opts: { scores?: boolean; now?: number } = {}): CaseResult {
  const file = path.join(dir, "xml", `${name}.xml`);
  const xml = readFileSync(file, "utf8");
  const expected = readFileSync(path.join(dir, "summary", `${name}.summary`), "utf8");
  try {
    const cib = parseCibXml(xml);
    const ed = cib.attrs["execution-date"];
    const hasDate = ed !== undefined && /^\d+$/.test(ed);
    const now = hasDate ? Number(ed) : (opts.now ?? DEFAULT_NOW);
    const r = simulateText(cib, { simulate: true, run: true, showScores: false, quiet: false }, now, core, hasDate);
    const res: CaseResult = { name, pass: true, ...compareSummary(expected, r.err + r.out) };
    if (opts.scores && r.result) {
      const exp = pacemakerScores(file);
      if (exp) {
        const act = simulateText(cib, { simulate: false, run: true, showScores: true, quiet: true }, now, core, hasDate)
          .out.split("\n").map((l) => l.replace(/\s+/g, "")).filter(Boolean);
        const d = firstMultisetDiff(exp, act);
        if (d) {
          res.sections.push("scores");
          res.firstDiff ??= { section: "scores", ...d };
        }
      }
    }
    res.pass = res.sections.length === 0;
    return res;
  } catch (e) {
    const line = describeInputError(e, `${name}.xml`, xml);
    return { name, pass: false, sections: [], error: line ?? `${(e as Error).name}: ${(e as Error).message}` };
  }
}

export function formatCaseLine(r: CaseResult): string {
  if (r.pass) return `pass ${r.name}`;
  if (r.error) return `FAIL ${r.name} [error] ${r.error.split("\n")[0]}`;
  const d = r.firstDiff!;
  const show = (s: string | undefined) => (s === undefined ? "(nothing)" : JSON.stringify(s));
  return `FAIL ${r.name} [${r.sections.join(",")}] ${d.section}: expected ${show(d.expected)}, got ${show(d.actual)}`;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const BASELINE_FILE = path.join(here, "conformance-baseline.json");

/** The recorded minimum for a case folder (keyed by the folder's name), 0 when none. */
export function recordedBaseline(dir: string): number {
  if (!existsSync(BASELINE_FILE)) return 0;
  const b = JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as Record<string, number>;
  return b[path.basename(path.resolve(dir))] ?? 0;
}

/** The scheduler core (server/scheduler/index.ts). */
export async function loadCore(): Promise<SchedulerCore | undefined> {
  return { unpack, schedule };
}

async function main(argv: string[]): Promise<number> {
  let dir: string | undefined;
  let min: number | undefined;
  let scores = false, verbose = false, update = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--min") min = Number(argv[++i]);
    else if (a.startsWith("--min=")) min = Number(a.slice(6));
    else if (a === "--scores") scores = true;
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--update-baseline") update = true;
    else if (!a.startsWith("-") && dir === undefined) dir = a;
    else {
      process.stderr.write(`conformance: unknown argument '${a}'\n`);
      return 2;
    }
  }
  if (!dir) {
    process.stderr.write("usage: npm run conformance -- DIR [--min N] [--scores] [--verbose] [--update-baseline]\n");
    return 2;
  }
  if (min !== undefined && !Number.isFinite(min)) {
    process.stderr.write("conformance: --min needs a number\n");
    return 2;
  }
  let cases: string[];
  try {
    cases = listCases(dir);
  } catch (e) {
    process.stderr.write(`conformance: ${(e as Error).message}\n`);
    return 2;
  }
  const core = await loadCore();
  let passed = 0, failed = 0;
  const t0 = Date.now();
  for (const name of cases) {
    const r: CaseResult = core
      ? runCase(dir, name, core, { scores })
      : { name, pass: false, sections: [], error: "the scheduler core (server/scheduler/index.ts) is not available" };
    if (r.pass) passed++;
    else failed++;
    process.stdout.write(formatCaseLine(r) + "\n");
    if (verbose && !r.pass && !r.error) {
      for (const [sec, d] of Object.entries(r.details ?? {})) {
        for (const l of d.missing.slice(0, 8)) process.stdout.write(`    ${sec} - ${l}\n`);
        for (const l of d.extra.slice(0, 8)) process.stdout.write(`    ${sec} + ${l}\n`);
      }
      const file = path.join(dir, "xml", `${name}.xml`);
      process.stdout.write(`    (run: node --import tsx scripts/simulate.ts -x ${file} -S)\n`);
    }
  }
  const recorded = recordedBaseline(dir);
  // the recorded baseline counts plain runs; with --scores only an explicit --min applies
  const need = min ?? (scores ? 0 : recorded);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.stderr.write(`conformance: ${cases.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s; required ${need}\n`);
  if (update && passed > recorded) {
    const b = existsSync(BASELINE_FILE) ? (JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as Record<string, number>) : {};
    b[path.basename(path.resolve(dir))] = passed;
    writeFileSync(BASELINE_FILE, JSON.stringify(b, null, 2) + "\n");
    process.stderr.write(`conformance: baseline raised from ${recorded} to ${passed}\n`);
  }
  if (passed < need) {
    process.stderr.write(`conformance: ${passed} passed is below the required ${need}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
