// `npm run bench:scheduler [-- OPTIONS]`: Vigil's scheduler against Debian's crm_simulate on
// synthetic warm CIBs (bench/scheduler-cib.ts; the right answer is an empty transition).
// Per size it runs `vigil simulate -x F -S` (bin/vigil.mjs) and `crm_simulate -x F -S`
// alternately and prints the median wall time, CPU time and peak memory of each and the
// ratio; then, from one more run with VIGIL_SIMULATE_TIMING=1, where a vigil run's time goes
// (node start, loading the CLI, read, parse, schedule, output; wall ms, process CPU ms in
// brackets, GC pauses); then the in-process schedule()/unpack() times at 32x1000.
//
//   --large                also 100x5000 (288 MB; crm_simulate needs many minutes and ~7-10 GB)
//   --sizes 3x20,32x1000   exactly these sizes (NODESxRESOURCES)
//   --reps N               repetitions per size (default: 5 / 3 / 1 by size)
//   --pacemaker-reps N     crm_simulate repetitions at sizes of 5000+ resources (default 1)
//   --timeout S            crm_simulate wall-time limit per run at 5000+ resources (default 1200 s;
//                          a run that hits it is reported as "> S s")
//   --no-pacemaker         Vigil only
//   --bundled              also scripts/simulate.ts bundled by esbuild (no CLI around it)
//   --baseline DIR         also DIR/bin/vigil.mjs (another checkout, e.g. before a change), alternating
//   --in-process-only      only the in-process schedule()/unpack() line at 32x1000 (no process runs)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCibXml } from "../server/cib/xml";
import { loadCore } from "../scripts/conformance";
import { benchCib, learnDigests } from "./scheduler-cib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vigilBin = path.join(root, "bin", "vigil.mjs");

interface Run {
  seconds: number;
  cpu: number;
  peakMiB: number;
  ok: boolean;
  timedOut?: boolean;
}

/** Runs a command under GNU time (and, with a limit, under timeout -s KILL); wall and CPU seconds, peak resident memory. */
function timed(cmd: string, args: string[], cwd: string, limitSeconds?: number): Run {
  const inner = limitSeconds ? ["timeout", "-s", "KILL", String(limitSeconds), cmd, ...args] : [cmd, ...args];
  const r = spawnSync("/usr/bin/time", ["-f", "BENCH %e %U %S %M %x", ...inner], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, LC_ALL: "C", CIB_shadow_dir: cwd },
  });
  const m = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (-?\d+)/.exec(r.stderr ?? "");
  if (!m) return { seconds: NaN, cpu: NaN, peakMiB: NaN, ok: false };
  const code = Number(m[5]);
  const timedOut = limitSeconds !== undefined && (code === 137 || code === 124);
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), peakMiB: Number(m[4]) / 1024, ok: code === 0, timedOut };
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const reps = option(argv, "--reps") !== undefined ? Number(option(argv, "--reps")) : undefined;
  const pacemakerRepsLarge = Number(option(argv, "--pacemaker-reps") ?? 1);
  const timeoutLarge = Number(option(argv, "--timeout") ?? 1200);
  let sizes: { nodes: number; resources: number }[] = [
    { nodes: 3, resources: 20 },
    { nodes: 32, resources: 1000 },
  ];
  if (argv.includes("--large")) sizes.push({ nodes: 100, resources: 5000 });
  const only = option(argv, "--sizes");
  if (only) {
    sizes = only.split(",").map((s) => {
      const m = /^(\d+)x(\d+)$/.exec(s.trim());
      if (!m) throw new Error(`--sizes: "${s}" is not NODESxRESOURCES`);
      return { nodes: Number(m[1]), resources: Number(m[2]) };
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  if (argv.includes("--in-process-only")) {
    const f = path.join(dir, "cib-32x1000.xml");
    const learned = !spawnSync("crm_simulate", ["--version"]).error ? learnDigests(dir) : undefined;
    writeFileSync(f, benchCib({ nodes: 32, resources: 1000, digests: learned }));
    await inProcess(f);
    rmSync(dir, { recursive: true, force: true });
    return 0;
  }
  const havePacemaker = !argv.includes("--no-pacemaker") && !spawnSync("crm_simulate", ["--version"]).error;
  const digests = !spawnSync("crm_simulate", ["--version"]).error ? learnDigests(dir) : undefined;
  if (!digests) process.stderr.write("bench: could not learn op-digests; Pacemaker will restart everything\n");

  // optional: the same code as one esbuild bundle of scripts/simulate.ts (no CLI around it)
  let bundle: string | undefined;
  if (argv.includes("--bundled")) {
    bundle = path.join(dir, "vigil-simulate.mjs");
    const esbuild = path.join(root, "node_modules", ".bin", "esbuild");
    const b = spawnSync(esbuild, [path.join(root, "scripts", "simulate.ts"), "--bundle", "--platform=node", "--format=esm", `--outfile=${bundle}`, "--log-level=error"], { encoding: "utf8" });
    if (b.status !== 0) {
      process.stderr.write(`bench: esbuild bundle failed: ${b.stderr ?? b.error}\n`);
      bundle = undefined;
    }
  }
  // build bin/vigil.mjs's cached bundle now, so that no timed run includes it
  spawnSync(process.execPath, [vigilBin, "simulate", "--help"], { encoding: "utf8" });

  const baseline = option(argv, "--baseline");
  const baselineBin = baseline ? path.join(path.resolve(baseline), "bin", "vigil.mjs") : undefined;
  if (baselineBin) spawnSync(process.execPath, [baselineBin, "simulate", "--help"], { encoding: "utf8" });

  const rows: string[] = [];
  const phases: string[] = [];
  let midFile: string | undefined;
  for (const s of sizes) {
    const large = s.resources >= 5000;
    const f = path.join(dir, `cib-${s.nodes}x${s.resources}.xml`);
    writeFileSync(f, benchCib({ nodes: s.nodes, resources: s.resources, digests }));
    if (s.nodes === 32 && s.resources === 1000) midFile = f;
    const n = reps ?? (s.resources <= 100 ? 5 : large ? 1 : 3);
    const pacemakerReps = large ? Math.min(n, pacemakerRepsLarge) : n;
    const v: Run[] = [];
    const vb: Run[] = [];
    const vbase: Run[] = [];
    const p: Run[] = [];
    for (let i = 0; i < n; i++) {
      v.push(timed(vigilBin, ["simulate", "-x", f, "-S"], dir)); // as a user runs it: through its #! line
      if (bundle) vb.push(timed(process.execPath, [bundle, "-x", f, "-S"], dir));
      // through its #! line too: node's flags and environment from there are part of what is compared
      if (baselineBin) vbase.push(timed(baselineBin, ["simulate", "-x", f, "-S"], dir));
      if (havePacemaker && i < pacemakerReps) p.push(timed("crm_simulate", ["-x", f, "-S"], dir, large ? timeoutLarge : undefined));
      process.stderr.write(".");
    }
    const cell = (runs: Run[]) => {
      if (!runs.length) return "n/a";
      if (runs.some((r) => r.timedOut)) return `> ${timeoutLarge} s (killed), ${Math.max(...runs.map((r) => r.peakMiB)).toFixed(0)} MiB at kill`;
      const t = median(runs.map((r) => r.seconds));
      const c = median(runs.map((r) => r.cpu));
      const m = Math.max(...runs.map((r) => r.peakMiB));
      return `${t.toFixed(2)} s (cpu ${c.toFixed(2)} s), ${m.toFixed(0)} MiB${runs.every((r) => r.ok) ? "" : " (non-zero exit!)"}`;
    };
    const pt = median(p.map((r) => r.seconds));
    const pc = median(p.map((r) => r.cpu));
    const ratio = (runs: Run[]) => {
      if (!runs.length || !p.length) return "n/a";
      const wall = p.some((r) => r.timedOut) ? `> ${(timeoutLarge / median(runs.map((r) => r.seconds))).toFixed(1)}x` : `${(pt / median(runs.map((r) => r.seconds))).toFixed(1)}x`;
      return `${wall} wall, ${(pc / median(runs.map((r) => r.cpu))).toFixed(1)}x cpu`;
    };
    const mb = (statSync(f).size / 1e6).toFixed(1);
    const phaseRun = spawnSync(vigilBin, ["simulate", "-x", f, "-S"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
      env: { ...process.env, VIGIL_SIMULATE_TIMING: "1" },
    });
    const phaseLine = /vigil simulate timing: (.*)/.exec(phaseRun.stderr ?? "")?.[1];
    phases.push(`${s.nodes}x${s.resources}: ${phaseLine ?? "no timing line (vigil failed?)"}`);
    rows.push(`${s.nodes}x${s.resources} (${mb} MB, ${n} runs): vigil ${cell(v)} | crm_simulate ${cell(p)} | ratio ${ratio(v)}`);
    if (baselineBin) rows.push(`${" ".repeat(`${s.nodes}x${s.resources}`.length)}   baseline ${cell(vbase)} | ratio ${ratio(vbase)}`);
    if (bundle) rows.push(`${" ".repeat(`${s.nodes}x${s.resources}`.length)}   bundled scripts/simulate.ts ${cell(vb)} | ratio ${ratio(vb)}`);
  }
  process.stderr.write("\n");
  process.stdout.write("median wall time (cpu = user+sys), peak resident memory; runs alternate; ratio = crm_simulate / vigil\n");
  for (const r of rows) process.stdout.write(r + "\n");
  process.stdout.write("phases of one more vigil run (VIGIL_SIMULATE_TIMING=1; wall ms, process cpu ms in brackets):\n");
  for (const p of phases) process.stdout.write(`  ${p}\n`);

  await inProcess(midFile);
  rmSync(dir, { recursive: true, force: true });
  return 0;
}

/** The in-process schedule()/unpack() line at 32x1000 (median of 7 after parsing; no process start). */
async function inProcess(midFile: string | undefined): Promise<void> {
  const core = await loadCore();
  if (core && midFile) {
    const xml = readFileSync(midFile, "utf8");
    const parseT: number[] = [];
    let cib = parseCibXml(xml);
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      cib = parseCibXml(xml);
      parseT.push(performance.now() - t);
    }
    const now = Number(cib.attrs["execution-date"]);
    const sched: number[] = [];
    const schedCpu: number[] = [];
    const unpackT: number[] = [];
    let actions = 0;
    // CPU time (user+sys of the process, so a parallel garbage collector's threads count too)
    // beside the wall time: on a busy machine the wall time mostly measures the wait for a core
    const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      const c = process.cpuUsage();
      const r = core.schedule(cib, { now });
      schedCpu.push(cpuMs(process.cpuUsage(c)));
      sched.push(performance.now() - t);
      actions = r.transition.actions.length;
      t = performance.now();
      core.unpack(cib, { now });
      unpackT.push(performance.now() - t);
    }
    process.stdout.write(
      `in-process at 32x1000 (median of 7 after parse): schedule() ${median(sched).toFixed(1)} ms (cpu ${median(schedCpu).toFixed(1)} ms), ` +
        `unpack() ${median(unpackT).toFixed(1)} ms, ${actions} actions; parseCibXml ${median(parseT).toFixed(0)} ms\n`,
    );
    // the first schedules of a process still run code the JIT has not optimised yet (and
    // re-optimises): the same once the process has scheduled a few more times
    for (let i = 0; i < 10; i++) core.schedule(cib, { now });
    const warm: number[] = [];
    const warmCpu: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const c = process.cpuUsage();
      core.schedule(cib, { now });
      warmCpu.push(cpuMs(process.cpuUsage(c)));
      warm.push(performance.now() - t);
    }
    process.stdout.write(`in-process at 32x1000, warm (median of 7 after 17 schedules): schedule() ${median(warm).toFixed(1)} ms (cpu ${median(warmCpu).toFixed(1)} ms)\n`);
  } else if (!midFile) {
    process.stdout.write("in-process: 32x1000 not among the sizes\n");
  } else {
    process.stdout.write("in-process: scheduler core not available\n");
  }
}

void main(process.argv.slice(2)).then((c) => {
  process.exitCode = c;
});
