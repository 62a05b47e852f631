// `npm run fuzz:scheduler -- --count N --seed S [--out DIR] [--no-minimize] [--nodes N] [--resources N]`
// Generates random valid CIBs, runs Debian's crm_simulate and Vigil's scheduler on each,
// compares the revised placement, and saves every disagreement (minimized) under --out.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cleanupScratch, compareXml, haveCrmSimulate, minimize, renderWithDigests, runFuzz } from "../server/scheduler/fuzz/differential";
import { loadCore } from "./conformance";

function usage(msg: string): number {
  process.stderr.write(`fuzz:scheduler: ${msg}\nusage: npm run fuzz:scheduler -- --count N --seed S [--out DIR] [--no-minimize] [--nodes N] [--resources N]\n`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  let count = 100, seed = 1, out: string | undefined, doMin = true;
  let maxNodes: number | undefined, maxResources: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
      return v;
    };
    try {
      if (a === "--count") count = num();
      else if (a === "--seed") seed = num();
      else if (a === "--nodes") maxNodes = num();
      else if (a === "--resources") maxResources = num();
      else if (a === "--out") out = argv[++i];
      else if (a === "--no-minimize") doMin = false;
      else return usage(`unknown argument '${a}'`);
    } catch (e) {
      return usage((e as Error).message);
    }
  }
  if (!haveCrmSimulate()) {
    process.stderr.write("fuzz:scheduler: crm_simulate is not installed (Debian package pacemaker-cli-utils)\n");
    return 1;
  }
  const core = await loadCore();
  if (!core) {
    process.stderr.write("fuzz:scheduler: the scheduler core (server/scheduler/index.ts) is not available\n");
    return 1;
  }
  const t0 = Date.now();
  const rep = runFuzz({ count, seed, core, gen: { maxNodes, maxResources } });
  for (const d of rep.disagreed) {
    const spec = doMin ? minimize(d.spec, core) : d.spec;
    const xml = renderWithDigests(spec);
    const v = compareXml(xml, core);
    // multiset difference: what one side has more often than the other
    const only = (a: string[], b: string[]) => {
      const rest = [...b];
      return a.filter((l) => {
        const i = rest.indexOf(l);
        if (i < 0) return true;
        rest.splice(i, 1);
        return false;
      });
    };
    process.stdout.write(
      `DIFF seed ${d.seed}: pacemaker only [${only(v.pacemaker, v.vigil).join("; ")}] vigil only [${only(v.vigil, v.pacemaker).join("; ")}]${v.error ? ` (${v.error})` : ""}\n`,
    );
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, `seed-${d.seed}.xml`), xml);
      writeFileSync(
        path.join(out, `seed-${d.seed}.txt`),
        `pacemaker:\n${v.pacemaker.join("\n")}\n\nvigil:\n${v.vigil.join("\n")}\n${v.error ? `\nerror: ${v.error}\n` : ""}`,
      );
    }
  }
  cleanupScratch();
  for (const why of rep.skippedWhy) process.stdout.write(`SKIP seed ${why}\n`);
  process.stdout.write(`${rep.agreed} passed, ${rep.disagreed.length} failed\n`);
  process.stderr.write(
    `fuzz:scheduler: seeds ${seed}..${seed + count - 1}, ${rep.skipped} skipped (Pacemaker gave no result), ${((Date.now() - t0) / 1000).toFixed(1)} s` +
      `${out && rep.disagreed.length ? `; reproducers in ${out}` : ""}\n`,
  );
  return rep.disagreed.length ? 1 : 0;
}

void main(process.argv.slice(2)).then((c) => {
  process.exitCode = c;
});
