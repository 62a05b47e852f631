// `npm run bench:cli-start -- [OPTIONS] BIN...`: `BIN simulate -x F -S` of several checkouts'
// bin/vigil.mjs (each through its #! line, as a user runs it), interleaved, on one synthetic
// CIB; prints per bin the medians of wall and CPU time (GNU time) and of the phase line's
// start-up figures (VIGIL_SIMULATE_TIMING=1): CPU before the first mark, node's bootstrap, the
// load phase, parse and schedule. For A/B checks of start-up changes on a busy machine, where
// the CPU figures say more than the walls.
//
//   --size 32x1000   NODESxRESOURCES of the CIB (default 32x1000)
//   --reps N         rounds (default 10)
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchCib, learnDigests } from "./scheduler-cib";

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const FIGURES = ["wall s", "cpu s", "cpu before mark ms", "node ms", "load ms", "parse ms", "schedule ms"] as const;

/** One run: the figures above, NaN where the output lacks one. */
function runOnce(bin: string, file: string): number[] {
  const r = spawnSync("/usr/bin/time", ["-f", "BENCH %e %U %S", bin, "simulate", "-x", file, "-S"], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, VIGIL_SIMULATE_TIMING: "1", LC_ALL: "C" },
  });
  const err = r.stderr ?? "";
  const t = /BENCH ([\d.]+) ([\d.]+) ([\d.]+)/.exec(err);
  const num = (re: RegExp) => Number(re.exec(err)?.[1] ?? NaN);
  return [
    Number(t?.[1] ?? NaN),
    t ? Number(t[2]) + Number(t[3]) : NaN,
    num(/cpu \d+ ms, (\d+) of it before the first mark/),
    num(/timing: node ([\d.]+)/),
    num(/, load ([\d.]+)/),
    num(/, parse ([\d.]+)/),
    num(/, schedule ([\d.]+)/),
  ];
}

function main(argv: string[]): number {
  const reps = Number(option(argv, "--reps") ?? 10);
  const size = /^(\d+)x(\d+)$/.exec(option(argv, "--size") ?? "32x1000");
  if (!size) throw new Error("--size: NODESxRESOURCES");
  const bins = argv.filter((a, i) => !a.startsWith("--") && !["--reps", "--size"].includes(argv[i - 1]));
  if (!bins.length) {
    process.stderr.write("usage: npm run bench:cli-start -- [--size 32x1000] [--reps N] CHECKOUT_OR_BIN...\n");
    return 2;
  }
  const paths = bins.map((b) => (b.endsWith(".mjs") ? path.resolve(b) : path.resolve(b, "bin", "vigil.mjs")));
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-cli-start-"));
  const file = path.join(dir, "cib.xml");
  // Pacemaker's op-digests (as bench:scheduler does): without them everything restarts
  const digests = learnDigests(dir);
  if (!digests) process.stderr.write("bench: no crm_simulate to learn op-digests from; the CIB restarts everything\n");
  writeFileSync(file, benchCib({ nodes: Number(size[1]), resources: Number(size[2]), digests }));
  for (const p of paths) spawnSync(p, ["simulate", "--help"], { encoding: "utf8" }); // build bundles and caches
  const runs = paths.map(() => FIGURES.map(() => [] as number[]));
  for (let i = 0; i < reps; i++) {
    paths.forEach((p, j) => runOnce(p, file).forEach((v, k) => runs[j][k].push(v)));
    process.stderr.write(".");
  }
  process.stderr.write("\n");
  process.stdout.write(`${size[0]}, ${reps} interleaved rounds; medians:\n`);
  paths.forEach((p, j) => {
    process.stdout.write(`${p}\n  ${FIGURES.map((f, k) => `${f} ${median(runs[j][k]).toFixed(f.endsWith(" s") ? 3 : 1)}`).join(", ")}\n`);
  });
  return 0;
}

process.exitCode = main(process.argv.slice(2));
