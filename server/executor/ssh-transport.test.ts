// SshTransport against real sshd hosts: the e2e test bed (3 network-namespace hosts).
// Needs root (CI and dev machines have it). The bed is torn down in afterAll, also when a test fails.

import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Testbed, pingOnce, type TestbedInfo } from "../../e2e/testbed/testbed";
import { SshTransport, HostDownError, HostKeyMismatchError, fingerprint, probeHostKey } from "./ssh-transport";
import { installVigilAgents } from "./ssh-agents";
import { OcfRc, type AgentOp, type TransportState } from "./types";

const bed = new Testbed(); // the default bed: vg-br0, 10.215.0.0/24
let info: TestbedInfo;
const opened: SshTransport[] = [];

function transport(name: string, extra: Partial<ConstructorParameters<typeof SshTransport>[0]> = {}) {
  const n = info.nodes.find((x) => x.name === name)!;
  const t = new SshTransport({ node: n.name, host: n.host, port: n.port, privateKeyPath: info.privateKeyPath, hostKey: n.hostKey, ...extra });
  opened.push(t);
  return t;
}

function waitState(t: SshTransport, want: TransportState, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  if (t.state() === want) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${t.node} did not become ${want} within ${timeoutMs} ms (state ${t.state()}: ${t.stats().reason})`));
    }, timeoutMs);
    const off = t.onStateChange((s) => {
      if (s === want) {
        clearTimeout(timer);
        off();
        resolve(Date.now() - t0);
      }
    });
  });
}

beforeAll(async () => {
  await bed.down().catch(() => {}); // leftovers of an interrupted run
  info = await bed.up(3);
}, 180000);

afterAll(async () => {
  await Promise.all(opened.map((t) => t.close().catch(() => {})));
  await bed.down();
}, 180000);

describe("SshTransport on the test bed", { timeout: 90000 }, () => {
  it("connects, runs commands on the right host and is fast on an open connection", async () => {
    const t = transport("node1");
    await t.connect();
    expect(t.state()).toBe("up");
    const r = await t.run({ argv: ["hostname"], timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: "node1\n", timedOut: false });
    const lat: number[] = [];
    for (let i = 0; i < 20; i++) {
      const a = performance.now();
      const x = await t.run({ argv: ["true"], timeoutMs: 5000 });
      lat.push(performance.now() - a);
      expect(x.code).toBe(0);
    }
    lat.sort((a, b) => a - b);
    console.log(`SshTransport run('true') on node1: median ${lat[10].toFixed(1)} ms, max ${lat[19].toFixed(1)} ms`);
    expect(lat[10]).toBeLessThan(500);
  });

  it("passes argv, env, stdin and cwd exactly and reports exit code and stderr", async () => {
    const t = transport("node1");
    await t.connect();
    const r = await t.run({
      argv: ["/bin/sh", "-c", 'printf "%s|%s|%s|" "$1" "$OCF_RESKEY_ip" "$(pwd)"; cat; echo oops >&2; exit 7', "sh", "it's \"quoted\" $HOME"],
      env: { OCF_RESKEY_ip: "10.215.0.100", PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
      stdin: "line1\nline2\n",
      cwd: "/etc",
      timeoutMs: 5000,
    });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe(`it's "quoted" $HOME|10.215.0.100|/etc|line1\nline2\n`);
    expect(r.stderr).toBe("oops\n");
    const bad = await t.run({ argv: ["true"], cwd: "/nonexistent-dir", timeoutMs: 5000 });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nonexistent-dir/);
    await expect(t.run({ argv: ["true"], env: { "BAD NAME": "x" }, timeoutMs: 1000 })).rejects.toThrow(/invalid environment variable name "BAD NAME"/);
  });

  it("runs go through long-lived sessions that stay open; nothing leaks from one run into the next; a session the host ended is replaced", async () => {
    const t = transport("node3", { sessions: 1 });
    await t.connect();
    const ready = async () => {
      const t0 = Date.now();
      while (!t.stats().spareReady) {
        if (Date.now() - t0 > 10000) throw new Error("no idle session within 10 s");
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const sessionShells = async () =>
      // the sessions' shells lead their own session (sshd starts them so); the wrappers' subshells do not
      (await bed.exec("node3", ["ps", "-eo", "pid=,stat=,args="]))
        .split("\n")
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[1]?.includes("s") && f.slice(2).join(" ") === "/bin/sh -s")
        .map((f) => f[0]);
    await ready();
    const first = await sessionShells();
    expect(first).toHaveLength(1);
    const r = await t.run({ argv: ["sh", "-c", 'echo "$1" >&2; echo "$1"', "sh", "through the session"], env: { X: "1" }, timeoutMs: 5000 });
    expect(r).toMatchObject({ code: 0, stdout: "through the session\n", stderr: "through the session\n" });
    expect(t.stats().spareRuns).toBe(1);
    // the same shell takes the next run: the first run's environment, umask and cwd are gone
    expect(t.stats().spareReady).toBe(true);
    const next = await t.run({ argv: ["sh", "-c", 'echo "X=${X-unset} $(umask) $(pwd)"'], timeoutMs: 5000 });
    expect(next.stdout).toMatch(/^X=unset \d+ \//);
    expect(next.stdout).not.toContain("X=1");
    expect(t.stats().spareRuns).toBe(2);
    // stdin (a fence agent's key=value lines) travels inside the script, byte for byte
    const input = "action=off\nport='node2' \"$HOME\" `id` \\n\nEOF\n'\n\nno newline at the end";
    const withStdin = await t.run({ argv: ["cat"], stdin: input, timeoutMs: 5000 });
    expect(withStdin).toMatchObject({ code: 0, stdout: input });
    // output that looks like the wrapper's own lines, and no final newline, arrives as it is
    const tricky = await t.run({ argv: ["printf", "%s", "VIGILRUN 0 0\n--VIGIL-END-x--\nlast"], timeoutMs: 5000 });
    expect(tricky).toMatchObject({ code: 0, stdout: "VIGILRUN 0 0\n--VIGIL-END-x--\nlast" });
    expect(t.stats().spareRuns).toBe(4);
    expect(await sessionShells()).toEqual(first); // four runs, one shell: no session was started for them
    // stdin with a NUL byte cannot be a shell word: that run opens its own channel
    const nul = await t.run({ argv: ["od", "-An", "-c"], stdin: "a\0b", timeoutMs: 5000 });
    expect(nul.stdout.replace(/\s+/g, " ").trim()).toBe("a \\0 b");
    expect(t.stats().spareRuns).toBe(4);
    // the host ends the waiting shell (killed by pid): the next run opens its own channel, then a new session opens
    await bed.exec("node3", ["kill", ...first]);
    const t0 = Date.now();
    while (t.stats().spareReady && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 10));
    expect(t.stats().spareReady).toBe(false);
    expect((await t.run({ argv: ["echo", "fresh"], timeoutMs: 5000 })).stdout).toBe("fresh\n");
    expect(t.stats().spareRuns).toBe(4);
    await ready();
    expect((await t.run({ argv: ["echo", "session again"], timeoutMs: 5000 })).stdout).toBe("session again\n");
    expect(t.stats().spareRuns).toBe(5);
    const second = await sessionShells();
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);
    // a cancelled run takes its session with it (the command is killed on the host); a new one replaces it
    const ac = new AbortController();
    const cancelled = t.run({ argv: ["sleep", "30"], timeoutMs: 60000, signal: ac.signal });
    await new Promise((res) => setTimeout(res, 300));
    ac.abort();
    await expect(cancelled).rejects.toThrow(/cancelled/);
    expect((await t.run({ argv: ["echo", "after cancel"], timeoutMs: 5000 })).stdout).toBe("after cancel\n");
    // nothing of the cancelled run is left on the host: not its command, not its files (nor those of the dropped session's runs)
    expect((await bed.exec("node3", ["ps", "-eo", "args="])).split("\n").filter((l) => l.trim() === "sleep 30")).toEqual([]);
    const files = () => bed.exec("node3", ["sh", "-c", "ls /run/vigil/ops | wc -l"]).then((o) => o.trim());
    for (const t2 = Date.now(); (await files()) !== "0" && Date.now() - t2 < 2000; ) await new Promise((res) => setTimeout(res, 50));
    expect(await bed.exec("node3", ["ls", "/run/vigil/ops"])).toBe("");
    await ready();
    expect((await t.run({ argv: ["echo", "new session"], timeoutMs: 5000 })).stdout).toBe("new session\n");
    // the cancelled run's shell ends once the host has killed its command
    let third = await sessionShells();
    for (const t1 = Date.now(); third.length > 1 && Date.now() - t1 < 5000; third = await sessionShells()) await new Promise((res) => setTimeout(res, 50));
    expect(third).toHaveLength(1);
    expect(third).not.toEqual(second);
  });

  it("a session removes its finished runs' files in batches, one rm per 16 runs", async () => {
    const t = transport("node1", { sessions: 1, opsDir: "/run/vigil/ops-batch" });
    await t.connect();
    for (const t0 = Date.now(); !t.stats().spareReady; ) {
      if (Date.now() - t0 > 10000) throw new Error("no idle session within 10 s");
      await new Promise((r) => setTimeout(r, 10));
    }
    const before = t.stats().spareRuns;
    for (let i = 0; i < 20; i++) expect((await t.run({ argv: ["echo", String(i)], timeoutMs: 5000 })).stdout).toBe(`${i}\n`);
    expect(t.stats().spareRuns - before).toBe(20);
    // run 17 removed the files of runs 1-16: those of runs 17-20 are left
    const runs = async () => new Set((await bed.exec("node1", ["ls", "/run/vigil/ops-batch"])).split("\n").filter(Boolean).map((f) => f.replace(/\.[a-z]+$/, ""))).size;
    for (const t0 = Date.now(); (await runs()) > 4 && Date.now() - t0 < 2000; ) await new Promise((r) => setTimeout(r, 50));
    expect(await runs()).toBe(4);
  });

  it("three concurrent runs use the three default sessions and open no channel of their own", async () => {
    const t = transport("node2");
    await t.connect();
    const t0 = Date.now();
    while (t.stats().sessionsOpen < 3) {
      if (Date.now() - t0 > 10000) throw new Error(`only ${t.stats().sessionsOpen} sessions within 10 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const rs = await Promise.all([0, 1, 2].map((i) => t.run({ argv: ["sh", "-c", 'sleep 0.2; echo "$0"', String(i)], timeoutMs: 5000 })));
    expect(rs.map((r) => r.stdout)).toEqual(["0\n", "1\n", "2\n"]);
    expect(t.stats().spareRuns).toBe(3);
    expect(t.stats().sessionsOpen).toBe(3);
  });

  it("queues 20 concurrent runs on one connection (at most 6 channels) and all succeed", async () => {
    const t = transport("node2");
    await t.connect();
    let maxActive = 0;
    const probe = setInterval(() => (maxActive = Math.max(maxActive, t.stats().activeChannels)), 2);
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => t.run({ argv: ["sh", "-c", 'sleep 0.1; echo "$0"', String(i)], timeoutMs: 10000 })));
    clearInterval(probe);
    expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(rs.every((r) => r.code === 0)).toBe(true);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(6);
  });

  it("does not wait for daemons a command leaves behind (output goes to a file)", async () => {
    const t = transport("node2");
    await t.connect();
    const a = Date.now();
    const r = await t.run({ argv: ["sh", "-c", "sleep 30 & echo $! >/run/bg.pid; echo started"], timeoutMs: 10000 });
    expect(r).toMatchObject({ code: 0, stdout: "started\n" });
    expect(Date.now() - a).toBeLessThan(3000);
    const alive = await t.run({ argv: ["sh", "-c", 'kill -0 "$(cat /run/bg.pid)" && kill "$(cat /run/bg.pid)"'], timeoutMs: 5000 });
    expect(alive.code).toBe(0); // the daemon survived the command that started it
  });

  it("times out a hanging command and kills its whole process group on the host", async () => {
    const t = transport("node2");
    await t.connect();
    const a = Date.now();
    const r = await t.run({ argv: ["sh", "-c", "sleep 300 & echo $! >/run/hang-child.pid; sleep 300"], timeoutMs: 800 });
    const took = Date.now() - a;
    expect(r.timedOut).toBe(true);
    expect(r.code).toBeNull();
    expect(took).toBeGreaterThanOrEqual(750);
    expect(took).toBeLessThan(4000);
    const check = await t.run({ argv: ["sh", "-c", 'kill -0 "$(cat /run/hang-child.pid)" 2>/dev/null && echo alive || echo gone; ps -eo args | grep -c "^sleep 300$"'], timeoutMs: 5000 });
    expect(check.stdout.split("\n")[0]).toBe("gone");
    expect(check.stdout.split("\n")[1].trim()).toBe("0"); // neither the command nor its child is left
  });

  it("a cancelled run (aborted signal) is killed on the host at once, its whole process group", async () => {
    const t = transport("node2");
    await t.connect();
    const ac = new AbortController();
    const run = t.run({ argv: ["sh", "-c", "sleep 300 & echo $! >/run/cancel-child.pid; sleep 300"], timeoutMs: 60000, signal: ac.signal });
    const child = async () => (await t.run({ argv: ["sh", "-c", "cat /run/cancel-child.pid 2>/dev/null"], timeoutMs: 5000 })).stdout.trim();
    const t0 = Date.now();
    while (!(await child()) && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 50));
    const pid = await child();
    expect(pid).toMatch(/^\d+$/);
    const a = Date.now();
    ac.abort();
    await expect(run).rejects.toThrow(/cancelled/);
    let alive = "alive";
    while (alive === "alive" && Date.now() - a < 10000) {
      alive = (await t.run({ argv: ["sh", "-c", `kill -0 ${pid} 2>/dev/null && echo alive || echo gone`], timeoutMs: 5000 })).stdout.trim();
    }
    expect(alive).toBe("gone");
    expect(Date.now() - a).toBeLessThan(10000); // long before the 60 s timeout
  });

  it("refuses a host that presents a different key, naming both fingerprints, and does not retry", async () => {
    const wrong = info.nodes[1].hostKey; // node2's key, pinned for node1
    const t = transport("node1", { hostKey: wrong });
    const err = await t.connect().then(
      () => null,
      (e) => e as Error,
    );
    expect(err).toBeInstanceOf(HostKeyMismatchError);
    expect(err!.message).toContain(fingerprint(wrong));
    expect(err!.message).toContain(fingerprint(info.nodes[0].hostKey));
    expect(err!.message).toMatch(/HOST KEY CHANGED for node1/);
    expect(t.state()).toBe("down");
    await new Promise((r) => setTimeout(r, 600));
    expect(t.stats().reconnectAttempts).toBe(0);
    await expect(t.run({ argv: ["true"], timeoutMs: 1000 })).rejects.toBeInstanceOf(HostDownError);
  });

  it("refuses a host that no longer offers the pinned key's type", async () => {
    const kd = mkdtempSync(path.join(os.tmpdir(), "vigil-ecdsa-"));
    try {
      (await import("node:child_process")).execFileSync("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", `${kd}/k`]);
      const ecdsa = readFileSync(`${kd}/k.pub`, "utf8");
      const t = transport("node1", { hostKey: ecdsa });
      const err = await t.connect().then(() => null, (e) => e as Error);
      expect(err).toBeInstanceOf(HostKeyMismatchError);
      expect(err!.message).toContain(`pinned ${fingerprint(ecdsa)}, host presented no ecdsa-sha2-nistp256 key at all`);
    } finally {
      rmSync(kd, { recursive: true, force: true });
    }
  });

  it("probeHostKey shows the key a first contact would pin", async () => {
    const p = await probeHostKey(info.nodes[2].host, 22);
    expect(p.hostKey).toBe(info.nodes[2].hostKey);
    expect(p.fingerprint).toBe(fingerprint(info.nodes[2].hostKey));
    await expect(probeHostKey("127.0.0.1", 1, 1000)).rejects.toThrow(/cannot read the host key of 127.0.0.1:1/);
  });

  it("installs Vigil's agents on a host, then skips unchanged files", async () => {
    const t = transport("node3");
    await t.connect();
    const src = mkdtempSync(path.join(os.tmpdir(), "vigil-agents-"));
    try {
      mkdirSync(path.join(src, "resource.d/vigil"), { recursive: true });
      writeFileSync(path.join(src, "resource.d/vigil/Probe"), '#!/bin/sh\necho "probe on $(hostname)"\nexit 0\n');
      const first = await installVigilAgents(t, { srcRoot: src });
      expect(first.copied).toEqual(["resource.d/vigil/Probe"]);
      const r = await t.run({ argv: ["/usr/lib/ocf/resource.d/vigil/Probe"], timeoutMs: 5000 });
      expect(r).toMatchObject({ code: 0, stdout: "probe on node3\n" });
      const again = await installVigilAgents(t, { srcRoot: src });
      expect(again).toMatchObject({ copied: [], unchanged: ["resource.d/vigil/Probe"] });
      // the host's /usr/lib/ocf is its own (overlay): other hosts do not see the file
      const other = transport("node1");
      await other.connect();
      expect((await other.run({ argv: ["test", "-e", "/usr/lib/ocf/resource.d/vigil/Probe"], timeoutMs: 5000 })).code).toBe(1);
    } finally {
      rmSync(src, { recursive: true, force: true });
    }
  });

  it("runs the real IPaddr2 agent: the VIP answers ping from the root namespace, then stops", async () => {
    const t1 = transport("node1");
    const t2 = transport("node2");
    await Promise.all([t1.connect(), t2.connect()]);
    const vip = bed.addr(100);
    const env = { OCF_ROOT: "/usr/lib/ocf", OCF_RESOURCE_INSTANCE: "VIP", OCF_RESKEY_ip: vip, OCF_RESKEY_cidr_netmask: "24", OCF_RESKEY_CRM_meta_timeout: "20000" };
    const agent = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2";
    const a = Date.now();
    const start = await t1.run({ argv: [agent, "start"], env, timeoutMs: 20000 });
    const startMs = Date.now() - a;
    expect(start.code, start.stderr).toBe(0);
    console.log(`IPaddr2 start over SSH: ${startMs} ms`);
    // send_arp keeps running ~1 s after start; the run returned without waiting for it
    const arp = await t1.run({ argv: ["sh", "-c", "pgrep -x send_arp >/dev/null && echo running || echo gone"], timeoutMs: 5000 });
    if (startMs < 800) expect(arp.stdout).toBe("running\n");
    expect(startMs).toBeLessThan(5000);
    expect((await t1.run({ argv: [agent, "monitor"], env, timeoutMs: 20000 })).code).toBe(0);
    expect((await t2.run({ argv: [agent, "monitor"], env, timeoutMs: 20000 })).code).toBe(7);
    expect(await pingOnce(vip)).toBe(true);
    const stop = await t1.run({ argv: [agent, "stop"], env, timeoutMs: 20000 });
    expect(stop.code, stop.stderr).toBe(0);
    expect((await t1.run({ argv: [agent, "monitor"], env, timeoutMs: 20000 })).code).toBe(7);
    expect(await pingOnce(vip, 1)).toBe(false);
  });

  it("the executor's runAgentOp drives agents over SSH: Vigil's own Dummy (installed from the repo) and IPaddr2", async () => {
    const { runAgentOp } = await import("./agents");
    const t = transport("node1");
    await t.connect();
    const inst = await installVigilAgents(t);
    expect([...inst.copied, ...inst.unchanged]).toContain("resource.d/vigil/Dummy");
    const op = (over: Partial<AgentOp>): AgentOp => ({ rsc: "d1", standard: "ocf", provider: "vigil", type: "Dummy", action: "monitor", intervalMs: 0, timeoutMs: 20000, params: {}, meta: {}, ...over });
    expect((await runAgentOp(t, op({ action: "monitor" }))).rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, op({ action: "start" }))).rc).toBe(OcfRc.SUCCESS);
    expect((await runAgentOp(t, op({ action: "monitor", intervalMs: 10000 }))).rc).toBe(OcfRc.SUCCESS);
    const md = await runAgentOp(t, op({ action: "meta-data" }));
    expect(md.output).toMatch(/<resource-agent[^>]*name="Dummy"/);
    expect((await runAgentOp(t, op({ action: "stop" }))).rc).toBe(OcfRc.SUCCESS);
    const vip = bed.addr(101);
    const ip = (action: string) => op({ rsc: "VIP2", provider: "heartbeat", type: "IPaddr2", action, params: { ip: vip, cidr_netmask: "24" } });
    const started = await runAgentOp(t, ip("start"));
    expect(started.rc, started.stderr).toBe(OcfRc.SUCCESS);
    expect(await pingOnce(vip)).toBe(true);
    expect((await runAgentOp(t, ip("stop"))).rc).toBe(OcfRc.SUCCESS);
    // a missing agent on the host is "not installed", not a transport failure
    const missing = await runAgentOp(t, op({ provider: "heartbeat", type: "NoSuchAgent", action: "start" }));
    expect(missing.rc).toBe(OcfRc.ERR_INSTALLED);
  });

  it("detects a crashed host within host-timeout, fails its pending run, and reconnects after it boots", async () => {
    const t = transport("node3", { hostTimeoutMs: 1500 });
    await t.connect();
    const events: string[] = [];
    t.onStateChange((s, reason) => events.push(`${s}:${reason ?? ""}`));
    const pending = t.run({ argv: ["sleep", "30"], timeoutMs: 60000 }).then(
      () => "resolved",
      (e) => (e instanceof HostDownError ? "host-down" : `other: ${(e as Error).message}`),
    );
    await new Promise((r) => setTimeout(r, 100));
    const down = waitState(t, "down", 6000);
    await bed.crash("node3");
    const detectMs = await down;
    console.log(`crash of node3 detected after ${detectMs} ms (host-timeout 1500 ms)`);
    expect(detectMs).toBeLessThan(1500 + 1500); // margin: timers fire late on a loaded CI machine
    expect(await pending).toBe("host-down");
    expect(events[0]).toMatch(/^down:connection lost/);
    await expect(t.run({ argv: ["true"], timeoutMs: 1000 })).rejects.toBeInstanceOf(HostDownError);
    const healAt = Date.now();
    await bed.heal("node3"); // a crashed host boots clean
    await waitState(t, "up", 45000);
    console.log(`node3 reconnected ${Date.now() - healAt} ms after the boot began`);
    expect((await t.run({ argv: ["hostname"], timeoutMs: 5000 })).stdout).toBe("node3\n");
    expect(t.stats().connects).toBe(2);
  });

  it("detects a partition, and after heal the same host (same processes) is back", async () => {
    const t = transport("node2", { hostTimeoutMs: 1500 });
    await t.connect();
    const before = (await t.run({ argv: ["sh", "-c", "sleep 120 >/dev/null 2>&1 & echo $!"], timeoutMs: 5000 })).stdout.trim();
    const down = waitState(t, "down", 6000);
    await bed.partition("node2");
    const detectMs = await down;
    console.log(`partition of node2 detected after ${detectMs} ms`);
    expect(detectMs).toBeLessThan(2500);
    await bed.heal("node2");
    await waitState(t, "up", 45000);
    const after = await t.run({ argv: ["sh", "-c", `kill -0 ${before} && echo same && kill ${before}`], timeoutMs: 5000 });
    expect(after.stdout).toBe("same\n");
  });
});

describe("vigil host add: first contact", { timeout: 90000 }, () => {
  it("without host-key it shows the fingerprint and needs confirmation (or accept-new); bad input changes nothing", async () => {
    const { HostStore } = await import("../membership/hosts");
    const { addHost, prepareHostAdd } = await import("../membership/host-add");
    const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-state-"));
    try {
      const store = new HostStore(dir);
      const n1 = info.nodes[0];
      const plan = await prepareHostAdd({ name: "node1", address: n1.host, identity: info.privateKeyPath });
      expect(plan).toMatchObject({ needsConfirmation: true, fingerprint: fingerprint(n1.hostKey), hostKey: n1.hostKey, keyType: "ssh-ed25519" });
      const asked: string[] = [];
      await expect(addHost(store, { name: "node1", address: n1.host, identity: info.privateKeyPath }, { confirm: async (fp) => (asked.push(fp), false) })).rejects.toThrow(
        new RegExp(`fingerprint is ${fingerprint(n1.hostKey).replace(/[+/]/g, "\\$&")}; not confirmed`),
      );
      expect(asked).toEqual([fingerprint(n1.hostKey)]);
      expect(store.list()).toEqual([]);
      // a wrong pinned key is refused at the test connection, loudly
      await expect(addHost(store, { name: "node1", address: n1.host, identity: info.privateKeyPath, hostKey: info.nodes[1].hostKey })).rejects.toThrow(/HOST KEY CHANGED for node1/);
      // an identity the host does not accept
      const otherKey = path.join(dir, "other");
      (await import("node:child_process")).execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey]);
      await expect(addHost(store, { name: "node1", address: n1.host, identity: otherKey, hostKey: n1.hostKey })).rejects.toThrow(/authentication failed/);
      expect(store.list()).toEqual([]);
      const rec = await addHost(store, { name: "node1", address: n1.host, identity: info.privateKeyPath }, { acceptNew: true });
      expect(rec).toMatchObject({ name: "node1", address: n1.host, hostKey: n1.hostKey, port: 22, user: "root" });
      expect(new HostStore(dir).get("node1")?.hostKey).toBe(n1.hostKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
