// `npm run bench:scheduler [-- --large] [--reps N]`: Vigil's scheduler against Debian's
// crm_simulate on synthetic warm CIBs of 3×20 and 32×1000 (and 100×5000 with --large:
// crm_simulate needs minutes and ~7 GB there). Prints, per size, the median wall time of
// `vigil simulate` and `crm_simulate` run alternately, their ratio and peak memory; then
// the in-process schedule() time at 32×1000 (no process start).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCibXml } from "../server/cib/xml";
import { loadCore } from "../scripts/conformance";
import { benchCib } from "./scheduler-cib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vigilBin = path.join(root, "bin", "vigil.mjs");

interface Run {
  seconds: number;
  peakMiB: number;
  ok: boolean;
}

/** Runs a command under GNU time; wall seconds and peak resident memory. */
function timed(cmd: string, args: string[], cwd: string): Run {
  const r = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M", cmd, ...args], {
    cwd,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, LC_ALL: "C", CIB_shadow_dir: cwd },
  });
  const m = /BENCH ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  if (!m) return { seconds: NaN, peakMiB: NaN, ok: false };
  return { seconds: Number(m[1]), peakMiB: Number(m[2]) / 1024, ok: r.status === 0 };
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The op-digests crm_simulate computes for a parameterless Dummy (start, 10 s monitor). */
function learnDigests(dir: string): { start: string; monitor: string } | undefined {
  const f = path.join(dir, "digest.xml");
  const out = path.join(dir, "digest-out.xml");
  writeFileSync(f, benchCib({ nodes: 1, resources: 1 }));
  const r = spawnSync("crm_simulate", ["-x", f, "-S", "-O", out], { encoding: "utf8", env: { ...process.env, CIB_shadow_dir: dir } });
  if (r.error) return undefined;
  const xml = readFileSync(out, "utf8");
  const start = /operation="start"[^>]*op-digest="([0-9a-f]+)"/.exec(xml)?.[1];
  const monitor = /operation="monitor"[^>]*interval="10000"[^>]*op-digest="([0-9a-f]+)"/.exec(xml)?.[1];
  return start && monitor ? { start, monitor } : undefined;
}

async function main(argv: string[]): Promise<number> {
  const large = argv.includes("--large");
  const repsArg = argv.indexOf("--reps");
  const reps = repsArg >= 0 ? Number(argv[repsArg + 1]) : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-bench-"));
  const havePacemaker = !spawnSync("crm_simulate", ["--version"]).error;
  const digests = havePacemaker ? learnDigests(dir) : undefined;
  if (havePacemaker && !digests) process.stderr.write("bench: could not learn op-digests; Pacemaker will restart everything\n");

  const sizes: { nodes: number; resources: number; reps: number; flags: string[] }[] = [
    { nodes: 3, resources: 20, reps: reps ?? 5, flags: ["-S"] },
    { nodes: 32, resources: 1000, reps: reps ?? 3, flags: ["-S"] },
  ];
  // At 100×5000 crm_simulate -S needs ~200 s and 10 GB; -R -Q (scheduler only) ~140 s and 6.5 GB.
  if (large) sizes.push({ nodes: 100, resources: 5000, reps: reps ?? 1, flags: ["-R", "-Q"] });

  // `vigil simulate` as installed (bin/vigil.mjs, TypeScript compiled by tsx at start) and the
  // same code bundled to one JavaScript file with esbuild (no compile step at start).
  const bundle = path.join(dir, "vigil-simulate.mjs");
  const esbuild = path.join(root, "node_modules", ".bin", "esbuild");
  const b = spawnSync(esbuild, [path.join(root, "scripts", "simulate.ts"), "--bundle", "--platform=node", "--format=esm", `--outfile=${bundle}`, "--log-level=error"], { encoding: "utf8" });
  const haveBundle = b.status === 0;
  if (!haveBundle) process.stderr.write(`bench: esbuild bundle failed: ${b.stderr ?? b.error}\n`);

  const rows: string[] = [];
  let midFile: string | undefined;
  for (const s of sizes) {
    const f = path.join(dir, `cib-${s.nodes}x${s.resources}.xml`);
    writeFileSync(f, benchCib({ nodes: s.nodes, resources: s.resources, digests }));
    if (s.resources === 1000) midFile = f;
    const v: Run[] = [];
    const vb: Run[] = [];
    const p: Run[] = [];
    for (let i = 0; i < s.reps; i++) {
      v.push(timed(process.execPath, [vigilBin, "simulate", "-x", f, ...s.flags], dir));
      if (haveBundle) vb.push(timed(process.execPath, [bundle, "-x", f, ...s.flags], dir));
      if (havePacemaker) p.push(timed("crm_simulate", ["-x", f, ...s.flags], dir));
      process.stderr.write(".");
    }
    const cell = (runs: Run[]) => {
      if (!runs.length) return "         n/a          ";
      const t = median(runs.map((r) => r.seconds));
      const m = Math.max(...runs.map((r) => r.peakMiB));
      return `${t.toFixed(2).padStart(7)} s ${m.toFixed(0).padStart(6)} MiB${runs.every((r) => r.ok) ? "" : "!"}`;
    };
    const pt = median(p.map((r) => r.seconds));
    const ratio = (runs: Run[]) => (runs.length && p.length ? `${(pt / median(runs.map((r) => r.seconds))).toFixed(1)}x` : "n/a");
    const mb = (readFileSync(f).length / 1e6).toFixed(1);
    rows.push(
      `${`${s.nodes}x${s.resources}`.padEnd(9)} ${s.flags.join(" ").padEnd(6)} ${mb.padStart(6)} MB | ` +
        `vigil ${cell(v)} | bundled ${cell(vb)} | crm_simulate ${cell(p)} | ratio ${ratio(v)} / ${ratio(vb)}`,
    );
  }
  process.stderr.write("\n");
  process.stdout.write(
    "size      mode     CIB     | median wall time and peak memory (runs alternate; '!' = non-zero exit) | crm_simulate time / vigil time (installed / bundled)\n",
  );
  for (const r of rows) process.stdout.write(r + "\n");

  const core = await loadCore();
  if (core && midFile) {
    const cib = parseCibXml(readFileSync(midFile, "utf8"));
    const now = Number(cib.attrs["execution-date"]);
    const sched: number[] = [];
    const unpackT: number[] = [];
    let actions = 0;
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      const r = core.schedule(cib, { now });
      sched.push(performance.now() - t);
      actions = r.transition.actions.length;
      t = performance.now();
      core.unpack(cib, { now });
      unpackT.push(performance.now() - t);
    }
    process.stdout.write(
      `in-process at 32x1000 (median of 7 after parse): schedule() ${median(sched).toFixed(1)} ms, unpack() ${median(unpackT).toFixed(1)} ms, ${actions} actions\n`,
    );
  } else {
    process.stdout.write("in-process: scheduler core not available\n");
  }
  rmSync(dir, { recursive: true, force: true });
  return 0;
}

void main(process.argv.slice(2)).then((c) => {
  process.exitCode = c;
});
