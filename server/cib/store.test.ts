import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CibError } from "./errors";
import { CibStore } from "./store";
import { crashTestCib } from "./store.crash-writer";
import { parseCibXml } from "./xml";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "vigil-cib-store-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function quietStore(dir: string, keepBackups?: number) {
  const warnings: string[] = [];
  const store = new CibStore(dir, { keepBackups, warn: (m) => warnings.push(m) });
  return { store, warnings };
}

describe("CibStore", () => {
  it("returns undefined for a new directory and reads back what was saved", async () => {
    const { store, warnings } = quietStore(tempDir());
    expect(store.load()).toBeUndefined();
    store.saveSync(crashTestCib(1));
    expect(store.load()).toEqual(crashTestCib(1));
    await store.save(crashTestCib(2));
    expect(store.loadWithSource()).toEqual({ cib: crashTestCib(2), source: "cib.xml" });
    expect(store.listBackups()).toEqual(["cib-1.raw"]);
    expect(parseCibXml(readFileSync(path.join(store.dir, "cib-1.raw"), "utf8"))).toEqual(crashTestCib(1));
    expect(warnings).toEqual([]);
  });

  it("keeps the last N numbered backups, oldest removed first", async () => {
    const { store } = quietStore(tempDir(), 5);
    for (let i = 1; i <= 9; i++) {
      if (i % 2) store.saveSync(crashTestCib(i));
      else await store.save(crashTestCib(i));
    }
    expect(store.listBackups()).toEqual(["cib-4.raw", "cib-5.raw", "cib-6.raw", "cib-7.raw", "cib-8.raw"]);
    expect(parseCibXml(readFileSync(path.join(store.dir, "cib-8.raw"), "utf8")).attrs.epoch).toBe("8");
    // numbering continues in a new store instance
    const again = quietStore(store.dir, 5).store;
    again.saveSync(crashTestCib(10));
    expect(again.listBackups().at(-1)).toBe("cib-9.raw");
    expect(readdirSync(store.dir).filter((f) => f.startsWith(".cib.xml.tmp-"))).toEqual([]);
  });

  it("two store instances saving into one directory alternately never reuse a backup number and keep N", async () => {
    const dir = tempDir();
    const a = quietStore(dir, 4).store;
    const b = quietStore(dir, 4).store;
    for (let i = 1; i <= 10; i++) await (i % 2 ? a : b).save(crashTestCib(i));
    const names = a.listBackups();
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(names.length).toBeLessThanOrEqual(5); // each instance prunes what it knows of
    expect(new Set(names).size).toBe(names.length);
    expect(parseCibXml(readFileSync(path.join(dir, names.at(-1)!), "utf8")).attrs.epoch).toBe("9");
    expect(a.load()?.attrs.epoch).toBe("10");
  });

  it("a save after the directory was removed makes it again", async () => {
    const { store } = quietStore(tempDir());
    await store.save(crashTestCib(1));
    rmSync(store.dir, { recursive: true, force: true });
    await store.save(crashTestCib(2));
    expect(store.load()?.attrs.epoch).toBe("2");
  });

  it("default keeps 20 backups", () => {
    const { store } = quietStore(tempDir());
    for (let i = 1; i <= 24; i++) store.saveSync(crashTestCib(i));
    expect(store.listBackups()).toHaveLength(20);
    expect(store.listBackups()[0]).toBe("cib-4.raw");
  });

  it("serialises concurrent async saves in call order", async () => {
    const { store } = quietStore(tempDir());
    await Promise.all([3, 4, 5, 6].map((i) => store.save(crashTestCib(i))));
    expect(store.load()?.attrs.epoch).toBe("6");
    expect(store.listBackups()).toHaveLength(3);
  });

  it("falls back to the newest valid backup when cib.xml is corrupt, with a warning", () => {
    const dir = tempDir();
    const { store } = quietStore(dir);
    for (let i = 1; i <= 4; i++) store.saveSync(crashTestCib(i));
    const full = readFileSync(store.currentPath, "utf8");
    writeFileSync(store.currentPath, full.slice(0, full.length / 2)); // a torn write
    writeFileSync(path.join(dir, "cib-3.raw"), "garbage"); // and a damaged newest backup
    const fresh = quietStore(dir);
    expect(fresh.store.loadWithSource()).toEqual({ cib: crashTestCib(2), source: "cib-2.raw" });
    expect(fresh.warnings).toHaveLength(1);
    expect(fresh.warnings[0]).toMatch(/cib\.xml: malformed XML at line \d+.*cib-3\.raw: .*using backup cib-2\.raw/);
    // the next save replaces the unreadable file, which is set aside and not kept as a backup
    fresh.store.saveSync(crashTestCib(5));
    expect(quietStore(dir).store.load()).toEqual(crashTestCib(5));
    expect(readdirSync(dir).some((f) => f.startsWith("cib.xml.unreadable-"))).toBe(true);
    for (const b of fresh.store.listBackups().filter((b) => b !== "cib-3.raw"))
      expect(() => parseCibXml(readFileSync(path.join(dir, b), "utf8"))).not.toThrow();
  });

  it("uses a backup when cib.xml is missing, and fails clearly when nothing is readable", () => {
    const dir = tempDir();
    const { store } = quietStore(dir);
    store.saveSync(crashTestCib(1));
    store.saveSync(crashTestCib(2));
    rmSync(store.currentPath);
    const s2 = quietStore(dir);
    expect(s2.store.load()).toEqual(crashTestCib(1));
    expect(s2.warnings[0]).toMatch(/no cib\.xml; using backup cib-1\.raw/);
    writeFileSync(path.join(dir, "cib-1.raw"), "<cib>");
    writeFileSync(store.currentPath, "");
    expect(() => quietStore(dir).store.load()).toThrow(CibError);
    expect(() => quietStore(dir).store.load()).toThrow(/no readable CIB/);
  });

  it("a bad model changes nothing on disk", async () => {
    const dir = tempDir();
    const { store } = quietStore(dir);
    store.saveSync(crashTestCib(1));
    const before = readdirSync(dir).sort();
    expect(() => store.saveSync({ attrs: {} } as never)).toThrow();
    // a model that exports but would not load again (a primitive without id)
    const noId = crashTestCib(2);
    delete (noId.configuration.resources[0] as { id?: string }).id;
    expect(() => store.saveSync(noId)).toThrow(/refusing to save a CIB that would not load again: <primitive> at line \d+: missing required attribute "id"/);
    await expect(store.save(noId)).rejects.toThrow(CibError);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(store.load()).toEqual(crashTestCib(1));
  });

  it("survives SIGKILL at random moments: always a complete CIB that was saved", async () => {
    const { midWrite, rounds } = await killLane(tempDir(), 20);
    expect(rounds).toBe(20);
    // evidence that kills really landed inside a save (a temp file was left behind)
    expect(midWrite).toBeGreaterThan(0);
  }, 240_000);
});

interface Writer {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  ready: Promise<void>;
  exited: Promise<void>;
}

// The writer runs as plain JS bundled by esbuild (tsx's own compiler) when it is available:
// it starts in a fraction of the time `node --import tsx` needs. Otherwise through tsx.
let writerArgs: string[] = ["--import", "tsx", path.join(import.meta.dirname, "store.crash-writer.ts")];
beforeAll(async () => {
  try {
    const esbuild = await import("esbuild");
    const outfile = path.join(tempDir(), "crash-writer.mjs");
    await esbuild.build({
      entryPoints: [path.join(import.meta.dirname, "store.crash-writer.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "error",
    });
    writerArgs = [outfile];
  } catch {
    // keep tsx
  }
});

function bootWriter(dir: string): Writer {
  const child = spawn(process.execPath, [...writerArgs, dir], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.startsWith("ready\n")) resolve();
    });
    child.on("exit", (code, sig) => reject(new Error(`writer exited (${code ?? sig}) before it was ready: ${err}`)));
  });
  ready.catch(() => undefined);
  return { child, out: () => out, err: () => err, ready, exited };
}

/**
 * Run a writer on dir, SIGKILL it at a random moment, check what load() gives; `rounds` times.
 * The next writer boots (slow: tsx) while the current one runs, and starts writing only when told.
 */
async function killLane(dir: string, rounds: number): Promise<{ midWrite: number; rounds: number }> {
  let lastAcked = 0;
  let midWrite = 0;
  let done = 0;
  let next = bootWriter(dir);
  for (let round = 0; round < rounds; round++) {
    const w = next;
    await w.ready;
    const firstSave = new Promise<void>((resolve, reject) => {
      const check = () => (w.out().includes("saved ") ? resolve() : undefined);
      w.child.stdout!.on("data", check);
      w.child.on("exit", () => reject(new Error(`writer exited early: ${w.err()}`)));
      check();
    });
    w.child.stdin!.write("go\n");
    await firstSave;
    if (round + 1 < rounds) next = bootWriter(dir);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 60)));
    w.child.kill("SIGKILL");
    await w.exited;
    const acked = [...w.out().matchAll(/saved (\d+)\n/g)].map((m) => Number(m[1]));
    const newest = Math.max(...acked);
    expect(w.err()).toBe("");
    if (readdirSync(dir).some((f) => f.startsWith(".cib.xml.tmp-"))) midWrite++;

    const loaded = quietStore(dir).store.loadWithSource();
    expect(loaded?.source).toBe("cib.xml");
    const epoch = Number(loaded!.cib.attrs.epoch);
    // every acknowledged save is on disk; at most the one in flight went further
    expect(epoch).toBeGreaterThanOrEqual(newest);
    expect(epoch).toBeLessThanOrEqual(newest + 1);
    expect(epoch).toBeGreaterThan(lastAcked);
    expect(loaded!.cib).toEqual(crashTestCib(epoch));
    lastAcked = epoch;
    done++;
  }
  const store = quietStore(dir).store;
  expect(store.listBackups().length).toBeLessThanOrEqual(20);
  for (const b of store.listBackups()) {
    const cib = parseCibXml(readFileSync(path.join(dir, b), "utf8"));
    expect(cib).toEqual(crashTestCib(Number(cib.attrs.epoch)));
  }
  // load() cleared the temp files of the dead writers
  expect(readdirSync(dir).filter((f) => f.startsWith(".cib.xml.tmp-"))).toEqual([]);
  return { midWrite, rounds: done };
}
