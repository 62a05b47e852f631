// bin/code-cache.mjs: the CLI bundle through V8's code cache. A cache that does not belong to
// the bundle, or is damaged, must never change what runs (nor crash node).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { benchCib } from "../../bench/scheduler-cib";

const root = path.resolve(__dirname, "../..");
const loader = path.join(root, "bin", "code-cache.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "vigil-code-cache-"));

/** Loads `file` with the cache `cache` in a fresh node: what its `answer` export says, and whether the cache was used. */
function load(file: string, cache: string): { answer: string; used: boolean } {
  const script = `
    const { loadWithCodeCache } = await import(${JSON.stringify(loader)});
    const { exports, saveCache } = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cache)});
    const answer = exports.answer();
    saveCache?.();
    console.log(JSON.stringify({ answer, used: !saveCache }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

/** a CommonJS module of some size (so that the cache has functions in it) answering `word` */
function bundleSource(word: string): string {
  const fns = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join("\n");
  return `"use strict";\n${fns}\nlet n = 0;\nfor (let i = 0; i < 200; i++) n = eval("f" + i)(n);\nexports.answer = () => "${word}" + (this === undefined ? " strict" : " sloppy") + " " + n;\n`;
}

describe("bin/code-cache.mjs", () => {
  it("uses a cache it wrote for the same bundle, and gives the same exports as without one", () => {
    const file = path.join(dir, "a.cjs");
    const cache = `${file}.v8cache`;
    writeFileSync(file, bundleSource("alpha"));
    expect(load(file, cache)).toEqual({ answer: "alpha strict 19900", used: false });
    expect(statSync(cache).size).toBeGreaterThan(16);
    expect(load(file, cache)).toEqual({ answer: "alpha strict 19900", used: true });
  });

  it("does not give V8 the cache of another bundle of the same length (V8 would take it and run the old code)", () => {
    const file = path.join(dir, "b.cjs");
    const cache = `${file}.v8cache`;
    writeFileSync(file, bundleSource("alpha"));
    load(file, cache);
    writeFileSync(file, bundleSource("omega")); // same length, other text
    expect(load(file, cache)).toEqual({ answer: "omega strict 19900", used: false });
    expect(load(file, cache)).toEqual({ answer: "omega strict 19900", used: true }); // the new cache
  });

  it("compiles from the source when the cache is damaged, cut short, empty or not a cache", () => {
    const file = path.join(dir, "c.cjs");
    const cache = `${file}.v8cache`;
    writeFileSync(file, bundleSource("gamma"));
    load(file, cache);
    const good = readFileSync(cache);
    const flipped = (at: number) => {
      const b = Buffer.from(good);
      b[at] ^= 0x5a;
      return b;
    };
    // a flipped byte in V8's part crashes a node given it ("Fatal error ... unreachable code")
    for (const bad of [flipped(100), flipped(good.length >> 1), flipped(3), good.subarray(0, good.length - 7), Buffer.alloc(0), Buffer.from("not a cache at all")]) {
      writeFileSync(cache, bad);
      expect(load(file, cache)).toEqual({ answer: "gamma strict 19900", used: false });
      expect(load(file, cache)).toEqual({ answer: "gamma strict 19900", used: true }); // written again
    }
  });
});

/**
 * A checkout of its own (bin/ copied, the rest linked), so that its bundle and code cache are
 * its own: other test files run this checkout's bin at the same time.
 */
function ownCheckout(): { bin: string; bundle: string; remove: () => void } {
  const co = mkdtempSync(path.join(tmpdir(), "vigil-code-cache-checkout-"));
  mkdirSync(path.join(co, "bin"));
  for (const f of readdirSync(path.join(root, "bin"))) copyFileSync(path.join(root, "bin", f), path.join(co, "bin", f));
  for (const f of ["server", "scripts", "agents", "bench", "package.json", "tsconfig.json", "node_modules"]) symlinkSync(path.join(root, f), path.join(co, f));
  const cacheDir = path.join(root, "node_modules/.cache/vigil-cli", co.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/^_+/, ""));
  return {
    bin: path.join(co, "bin", "vigil.mjs"),
    bundle: path.join(cacheDir, "main.cjs"),
    remove: () => {
      rmSync(cacheDir, { recursive: true, force: true });
      rmSync(co, { recursive: true, force: true });
    },
  };
}

describe("bin/vigil.mjs through the code cache", () => {
  const own = ownCheckout();
  const bin = own.bin;
  afterAll(own.remove);

  it("gives the same output with a damaged cache, and writes a good one again", () => {
    const f = path.join(dir, "cib.xml");
    writeFileSync(f, benchCib({ nodes: 3, resources: 20, nodeDown: true }));
    const run = () => execFileSync(process.execPath, [bin, "simulate", "-x", f, "-S"], { encoding: "utf8" });
    const first = run();
    const cache = `${own.bundle}.v8cache`;
    const good = readFileSync(cache);
    const bad = Buffer.from(good);
    bad[bad.length >> 1] ^= 0xff;
    writeFileSync(cache, bad);
    expect(run()).toBe(first);
    expect(readFileSync(cache).equals(bad)).toBe(false);
    expect(run()).toBe(first);
  }, 120_000);
});

describe("bin/code-cache.mjs where the cache cannot be written", () => {
  it("runs the bundle and leaves nothing behind", () => {
    const file = path.join(dir, "d.cjs");
    writeFileSync(file, bundleSource("delta"));
    const cache = path.join(dir, "no-such-dir", "d.cjs.v8cache");
    expect(load(file, cache)).toEqual({ answer: "delta strict 19900", used: false });
    expect(existsSync(path.dirname(cache))).toBe(false);
  });
});
