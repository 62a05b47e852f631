// bin/vigil.mjs's cached CLI bundle: built once per checkout, with the list of its inputs that
// the staleness check stats at every start (instead of walking server/).
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "vigil.mjs");
const bundle = path.join(root, "node_modules/.cache/vigil-cli", root.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/^_+/, ""), "main.mjs");

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
});
