// bin/vigil.mjs's cached CLI bundle: built once per checkout, with the list of its inputs that
// the staleness check stats at every start (instead of walking server/).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { benchCib } from "../../bench/scheduler-cib";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "vigil.mjs");
const bundle = path.join(root, "node_modules/.cache/vigil-cli", root.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/^_+/, ""), "main.cjs");

describe("bin/vigil.mjs bundle cache", () => {
  it("lists the checkout's sources the bundle was built from, and does not rebuild an up-to-date bundle", () => {
    execFileSync(process.execPath, [bin, "simulate", "--help"], { encoding: "utf8" });
    const built = statSync(bundle).mtimeMs;
    const inputs = readFileSync(`${bundle}.inputs`, "utf8").split("\n").filter(Boolean);
    expect(inputs).toContain(path.join(root, "server/cli/main.ts"));
    expect(inputs).toContain(path.join(root, "server/cli/simulate.ts"));
    expect(inputs).toContain(path.join(root, "server/scheduler/index.ts"));
    for (const f of inputs) {
      expect(f.startsWith(root + path.sep), f).toBe(true);
      expect(f).not.toContain(`${path.sep}node_modules${path.sep}`);
      expect(statSync(f).mtimeMs).toBeLessThanOrEqual(built);
    }
    const out = execFileSync(process.execPath, [bin, "simulate", "--help"], { encoding: "utf8" });
    expect(out).toContain("Usage: vigil simulate");
    expect(statSync(bundle).mtimeMs).toBe(built);
  }, 120_000);

  it("runs as an executable through its #! line (env -S with glibc's huge-page tunable)", () => {
    expect(execFileSync(bin, ["simulate", "--help"], { encoding: "utf8" })).toContain("Usage: vigil simulate");
  });
});

// bin/vigil.mjs starts reading `simulate -x FILE`'s file before the bundle loads (prefetchXml)
describe("bin/vigil.mjs simulate with the file read early", () => {
  const run = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, [bin, "simulate", ...args], { encoding: "utf8", stdio: "pipe" }), err: "" };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it("gives the same output for -x FILE, --xml-file FILE and --xml-file=FILE, and names a missing or empty file", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vigil-prefetch-"));
    const f = path.join(dir, "cib.xml");
    writeFileSync(f, benchCib({ nodes: 3, resources: 20, nodeDown: true }));
    const a = run(["-x", f, "-S"]);
    expect(a.code).toBe(0);
    expect(a.out).toContain("Transition Summary:");
    expect(a.out).toMatch(/\* (Move|Start|Recover)/); // node1 is down: things move
    expect(run(["--xml-file", f, "-S"]).out).toBe(a.out);
    expect(run([`--xml-file=${f}`, "-S"]).out).toBe(a.out);
    const missing = path.join(dir, "nope.xml");
    expect(run(["-x", missing, "-S"])).toMatchObject({ code: 1, err: `vigil simulate: cannot read ${missing}: no such file\n` });
    const empty = path.join(dir, "empty.xml");
    writeFileSync(empty, "");
    expect(run(["-x", empty, "-S"])).toMatchObject({ code: 1, err: `vigil simulate: ${empty}: empty CIB XML\n` });
    expect(run(["-x", dir, "-S"]).err).toMatch(/^vigil simulate: cannot read .*: EISDIR/);
  }, 120_000);
});

// node:http/https (with tls), node:os and node:readline are loaded on first use, not at every start
describe("bin/vigil.mjs's bundle at start-up", () => {
  it("does not load the modules only the controller client and prompts need", () => {
    execFileSync(process.execPath, [bin, "simulate", "--help"], { encoding: "utf8" });
    const script = `await import(${JSON.stringify(bundle)}); console.log(JSON.stringify(process.moduleLoadList));`;
    const loaded: string[] = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(loaded).toContain("NativeModule fs"); // the list is what it seems to be
    for (const m of ["http", "https", "tls", "os", "readline/promises"]) expect(loaded, m).not.toContain(`NativeModule ${m}`);
  }, 120_000);
});
