import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { capped, HostDownError, LocalTransport } from "./local-transport";
import type { TransportState } from "./types";
import { pidAlive, tempDir, waitFor } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
let t: LocalTransport;

beforeEach(async () => {
  tmp = tempDir();
  t = new LocalTransport({ node: "node1", hostDir: path.join(tmp.dir, "hosts", "node1"), killGraceMs: 300 });
  await t.connect();
});

afterEach(() => {
  t.crash("test over");
  tmp.cleanup();
});

describe("LocalTransport", () => {
  it("runs a command in the host directory with the host's environment and stdin", async () => {
    const r = await t.run({
      argv: ["/bin/sh", "-c", 'pwd; echo "$HA_RSCTMP|$VIGIL_NODE|$VIGIL_HOST_DIR|$EXTRA"; cat; echo oops >&2; exit 3'],
      env: { EXTRA: "x1" },
      stdin: "from-stdin\n",
      timeoutMs: 5000,
    });
    expect(r.code).toBe(3);
    expect(r.timedOut).toBe(false);
    const [cwd, envLine, stdinLine] = r.stdout.trim().split("\n");
    expect(cwd).toBe(t.hostDir);
    expect(envLine).toBe(`${t.hostDir}/run/resource-agents|node1|${t.hostDir}|x1`);
    expect(stdinLine).toBe("from-stdin");
    expect(r.stderr).toBe("oops\n");
    expect(existsSync(t.rscTmp)).toBe(true);
  });

  it("gives a command a stderr it can open again for appending (/dev/stderr), and removes it afterwards", async () => {
    const r = await t.run({ argv: ["/bin/sh", "-c", "echo one >&2; echo two >>/dev/stderr; echo three >&2"], timeoutMs: 5000 });
    expect(r.stderr).toBe("one\ntwo\nthree\n");
    expect(readdirSync(path.join(t.hostDir, "run", "vigil", "ops"))).toEqual([]);
  });

  it("reports a missing program as exit 127, like a shell", async () => {
    const r = await t.run({ argv: [path.join(tmp.dir, "no-such-agent"), "start"], timeoutMs: 5000 });
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/not found/);
  });

  it("kills the whole process group on timeout, grandchildren that ignore SIGTERM included", async () => {
    const pidFile = path.join(tmp.dir, "gc.pid");
    const started = Date.now();
    const r = await t.run({
      // a grandchild that ignores SIGTERM, and a child that waits
      argv: ["/bin/sh", "-c", `sh -c 'trap "" TERM; while :; do sleep 1; done' & echo $! > ${pidFile}; sleep 60`],
      timeoutMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    const gc = Number(readFileSync(pidFile, "utf8"));
    expect(gc).toBeGreaterThan(0);
    await waitFor(() => !pidAlive(gc), 3000, "grandchild to die");
  });

  it("crash() takes the host down, kills running commands and detached daemons, and revive() boots it with a clean /run", async () => {
    const states: TransportState[] = [];
    t.onStateChange((s) => states.push(s));
    writeFileSync(path.join(t.rscTmp, "Dummy-x.state"), "fake=1\n");
    mkdirSync(path.join(t.hostDir, "data"), { recursive: true });
    writeFileSync(path.join(t.hostDir, "data", "keep"), "disk survives\n");

    // a daemon in its own session, as agents start them; not in any tracked process group
    const d = await t.run({
      argv: ["/bin/sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"],
      timeoutMs: 5000,
    });
    const daemon = Number(d.stdout.trim());
    expect(pidAlive(daemon)).toBe(true);
    expect(t.processesOnHost()).toContain(daemon);

    const long = t.run({ argv: ["sleep", "300"], timeoutMs: 60000 });
    await new Promise((r) => setTimeout(r, 100));
    t.crash();
    await expect(long).rejects.toBeInstanceOf(HostDownError);
    await waitFor(() => !pidAlive(daemon), 3000, "daemon to die");
    expect(t.state()).toBe("down");
    expect(states).toEqual(["down"]);
    await expect(t.run({ argv: ["true"], timeoutMs: 1000 })).rejects.toThrow(/node1 is down/);

    await t.revive();
    expect(t.state()).toBe("up");
    expect(states).toEqual(["down", "up"]);
    expect(existsSync(path.join(t.rscTmp, "Dummy-x.state"))).toBe(false); // /run is cleared by a boot
    expect(readFileSync(path.join(t.hostDir, "data", "keep"), "utf8")).toBe("disk survives\n");
    const ok = await t.run({ argv: ["true"], timeoutMs: 5000 });
    expect(ok.code).toBe(0);
  });

  it("does not report processes of another host", async () => {
    const other = new LocalTransport({ node: "node2", hostDir: path.join(tmp.dir, "hosts", "node2") });
    await other.connect();
    const d = await other.run({ argv: ["/bin/sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"], timeoutMs: 5000 });
    const pid = Number(d.stdout.trim());
    t.crash();
    await new Promise((r) => setTimeout(r, 100));
    expect(pidAlive(pid)).toBe(true);
    expect(other.processesOnHost()).toEqual([pid]);
    other.crash();
    await waitFor(() => !pidAlive(pid), 3000, "node2's daemon to die");
  });

  it("rejects a bad host name", () => {
    expect(() => new LocalTransport({ node: "../x", hostDir: tmp.dir })).toThrow(/invalid host name/);
  });
});

describe("LocalTransport and stray children", () => {
  let tmp2: ReturnType<typeof tempDir>;
  let t2: LocalTransport;
  beforeEach(async () => {
    tmp2 = tempDir();
    t2 = new LocalTransport({ node: "node9", hostDir: path.join(tmp2.dir, "node9") });
    await t2.connect();
  });
  afterEach(() => {
    t2.crash();
    tmp2.cleanup();
  });

  it("returns when the command exits even if a background child keeps its stdout open", async () => {
    const started = Date.now();
    const r = await t2.run({ argv: ["/bin/sh", "-c", "sleep 30 & echo started; exit 0"], timeoutMs: 10000 });
    expect(r.code).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toBe("started\n");
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("LocalTransport output", () => {
  it("marks output cut at 4 MiB also when it reached exactly 4 MiB before more came (64 full pipe reads)", () => {
    let out = "";
    for (let i = 0; i < 64; i++) out = capped(out, "x".repeat(64 * 1024));
    expect(out.length).toBe(4 * 1024 * 1024);
    out = capped(out, "more");
    expect(out.endsWith("[output truncated]\n")).toBe(true);
    expect(capped(out, "again")).toBe(out);
  });

  it("keeps at most 4 MiB of an agent's output", async () => {
    const tmp3 = tempDir();
    const t3 = new LocalTransport({ node: "node8", hostDir: path.join(tmp3.dir, "node8") });
    await t3.connect();
    try {
      const r = await t3.run({ argv: ["/bin/sh", "-c", "head -c 6000000 /dev/zero | tr '\\0' x"], timeoutMs: 20000 });
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeLessThan(4 * 1024 * 1024 + 100);
      expect(r.stdout.endsWith("[output truncated]\n")).toBe(true);
    } finally {
      t3.crash();
      tmp3.cleanup();
    }
  });
});
