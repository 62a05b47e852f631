// npm run bench:failover — failover times of Vigil on the SSH test bed (a benchmark, not a test).
//
// Three test-bed hosts (bed id 3: vg3-*, 10.215.3.0/24), a controller in this process
// (server/hosts startHostCluster) and a group web = VIP (ocf:heartbeat:IPaddr2) + Web
// (ocf:heartbeat:apache). Cases, each repeated REPS times (default 5, env BENCH_REPS):
//   crash (fencing on)   testbed crash of the VIP's host -> the VIP answers ping again
//   crash (fencing off)  the same with stonith-enabled=false
//   standby              node standby of the VIP's host -> the VIP answers on the other host
//   standby-dummy        the same for the reference's pair (VIP2 + ocf:heartbeat:Dummy, colocated,
//                        not ordered; the web group is stopped meanwhile)
//   standby-cli          the pair again, triggered by the real CLI (`node bin/vigil.mjs node standby
//                        HOST`, a new process, through the API server on loopback): the
//                        reference's `pcs node standby` row
//   apache killed        kill -9 of apache's main process -> HTTP answers again
// Ping runs every 10 ms from the root namespace; an outage is the longest gap between two
// replies around the event. HTTP is polled every 10 ms. Settings are the defaults
// (host-timeout 1000 ms) except the monitor intervals (VIP 10s, Web 2s) and stonith-action=off
// (fence_testbed's reboot would bring the host back before recovery; it is booted after each run).
// BENCH_TRACE=1 prints each transition's actions and, for a standby, the CPU the machine and this
// process used until the VIP answered; BENCH_PROFILE_MARKS=1 prints each standby's window as
// process.hrtime microseconds, the clock of a `node --cpu-prof` profile, to cut the profile to it.
// Needs root; apache2, resource-agents and iputils-ping installed before the bed is up.

import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TESTBED_DIR, Testbed } from "../e2e/testbed/testbed";
import { emptyCib } from "../server/cib/empty";
import { nodeStandby } from "../server/cib/ops/node";
import type { Cib, NvSet, Operation, Primitive } from "../server/cib/types";
import { startHostCluster, type HostCluster } from "../server/hosts/cluster";
import { startServer, type RunningServer } from "../server/api/server";
import { freePort } from "../server/executor/test-helpers";
import { HostStore } from "../server/membership/hosts";
import { DEFAULT_HOST_TIMEOUT_MS } from "../server/executor/ssh-liveness";
import type { ResourceView } from "../server/scheduler/types";

const REPS = Number(process.env.BENCH_REPS ?? 5);
const VIGIL_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/vigil.mjs");
const bed = new Testbed({ id: 3 });
const VIP = bed.addr(100);
/** the reference's pair (../shared/reference/pacemaker-failover.md): a VIP and a Dummy colocated, no ordering */
const VIP2 = bed.addr(101);
const ADMIN = { user: "bench", role: "admin" as const };

const nv = (id: string, pairs: Record<string, string>): NvSet => ({ id, nvpairs: Object.entries(pairs).map(([name, value]) => ({ id: `${id}-${name}`, name, value })) });
const op = (rsc: string, name: string, interval: string, timeout: string): Operation =>
  ({ id: `${rsc}-${name}-interval-${interval}`, name, interval, timeout, instanceAttributes: [], metaAttributes: [] }) as Operation;
const prim = (id: string, cls: string, provider: string | undefined, type: string, params: Record<string, string>, ops: Operation[], meta: Record<string, string> = {}): Primitive => ({
  kind: "primitive",
  id,
  class: cls,
  provider,
  type,
  instanceAttributes: Object.keys(params).length ? [nv(`${id}-instance_attributes`, params)] : [],
  metaAttributes: Object.keys(meta).length ? [nv(`${id}-meta_attributes`, meta)] : [],
  utilization: [],
  operations: ops,
});

function benchCib(): Cib {
  const cib = emptyCib();
  cib.configuration.crmConfig = [nv("cib-bootstrap-options", { "cluster-name": "vigil-bench", "stonith-enabled": "true", "stonith-action": "off", "no-quorum-policy": "stop" })];
  cib.configuration.rscDefaults = [nv("rsc_defaults-meta_attributes", { "resource-stickiness": "100" })];
  cib.configuration.resources = [
    prim("fence-bed", "stonith", undefined, "fence_testbed", { testbed_dir: bed.dir, pcmk_host_list: "node1 node2 node3" }, [op("fence-bed", "monitor", "60s", "20s")]),
    {
      kind: "group",
      id: "web",
      instanceAttributes: [],
      metaAttributes: [],
      children: [
        prim("VIP", "ocf", "heartbeat", "IPaddr2", { ip: VIP, cidr_netmask: "24", nic: "eth0" }, [op("VIP", "monitor", "10s", "20s")]),
        prim("Web", "ocf", "heartbeat", "apache", { configfile: "/etc/apache2/apache2.conf", statusurl: "http://localhost/server-status" }, [
          op("Web", "monitor", "2s", "20s"),
          op("Web", "start", "0s", "40s"),
          op("Web", "stop", "0s", "60s"),
        ]),
      ],
    },
    // stopped except in the "standby (Dummy + VIP)" case
    prim("VIP2", "ocf", "heartbeat", "IPaddr2", { ip: VIP2, cidr_netmask: "24", nic: "eth0" }, [op("VIP2", "monitor", "10s", "20s")], { "target-role": "Stopped" }),
    prim("D", "ocf", "heartbeat", "Dummy", {}, [op("D", "monitor", "2s", "20s")], { "target-role": "Stopped" }),
  ];
  cib.configuration.constraints = [{ kind: "colocation", id: "colocation-D-VIP2-INFINITY", rsc: "D", withRsc: "VIP2", score: "INFINITY", sets: [] }];
  return cib;
}

/** target-role of top-level resources (the web group, VIP2, D) */
async function setRoles(roles: Record<string, "Started" | "Stopped">) {
  await cluster.controller.update(
    (cib) => {
      for (const r of cib.configuration.resources) {
        const role = roles[r.id];
        if (!role) continue;
        const sets = r.metaAttributes.length ? r.metaAttributes : [nv(`${r.id}-meta_attributes`, {})];
        sets[0].nvpairs = [...sets[0].nvpairs.filter((p) => p.name !== "target-role"), { id: `${sets[0].id}-target-role`, name: "target-role", value: role }];
        r.metaAttributes = sets;
      }
      return cib;
    },
    ADMIN,
    `target-role ${JSON.stringify(roles)}`,
  );
}

let cluster: HostCluster;
let outages: number[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function activeNodes(id: string): string[] {
  const walk = (rs: ResourceView[]): string[] | undefined => {
    for (const r of rs) {
      if (r.id === id) return r.active.filter((a) => !a.failed).map((a) => a.node);
      const c = walk(r.children);
      if (c) return c;
    }
    return undefined;
  };
  return walk(cluster.controller.snapshot().state.resources) ?? [];
}

async function waitFor(what: string, fn: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 20): Promise<void> {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

async function httpOk(timeoutMs = 300): Promise<boolean> {
  try {
    const r = await fetch(`http://${VIP}/`, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
    return r.status === 200;
  } catch {
    return false;
  }
}

/** ping every 10 ms; returns reply times (epoch ms) */
function pinger(addr = VIP) {
  const replies: number[] = [];
  const p = spawn("ping", ["-n", "-D", "-i", "0.01", "-W", "1", addr], { stdio: ["ignore", "pipe", "ignore"] });
  let buf = "";
  p.stdout.on("data", (d) => {
    buf += String(d);
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const m = /^\[(\d+\.\d+)\] \d+ bytes from/.exec(line);
      if (m) replies.push(Number(m[1]) * 1000);
    }
  });
  return {
    replies,
    stop: () => p.kill("SIGINT"),
    /**
     * t0 = just before the trigger (as in ../shared/reference/pacemaker-failover.md):
     * back = first reply that ends the outage, minus t0; outage = the longest gap between replies
     */
    measure(t0: number): { back: number; outage: number } {
      let worst = 0;
      let end = -1;
      for (let i = 1; i < replies.length; i++) {
        if (replies[i] < t0) continue;
        const gap = replies[i] - replies[i - 1];
        if (gap > worst) {
          worst = gap;
          end = replies[i];
        }
      }
      return { back: end < 0 ? 0 : end - t0, outage: worst };
    },
  };
}

/** BENCH_TRACE=1: the transitions since t0, each action with its dispatch time and duration */
/** CPU used so far by the whole machine (/proc/stat: user+nice+system+irq+softirq) and by this process, ms */
function cpuNow(): { machine: number; self: number; at: number; hr: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const tick = 1000 / 100; // USER_HZ
  const u = process.cpuUsage();
  return { machine: (f[0] + f[1] + f[2] + f[5] + f[6]) * tick, self: (u.user + u.system) / 1000, at: Date.now(), hr: Number(process.hrtime.bigint() / 1000n) };
}

function trace(t0: number) {
  if (!process.env.BENCH_TRACE) return;
  for (const tr of cluster.controller.transitions().filter((x) => x.startedAt >= t0)) {
    console.log(`    transition ${tr.id} +${tr.startedAt - t0} (${tr.trigger}) ${tr.status}`);
    for (const r of tr.results) {
      const a = tr.transition.actions.find((x) => x.id === r.actionId);
      console.log(`      +${r.startedAt - t0} ${a?.key} ${a?.node ?? ""} rc=${r.rc} ${r.execMs} ms`);
    }
    // the rest of the graph: what may still run (and compete for the bed's 2 cores) at this moment
    const done = new Set(tr.results.map((r) => r.actionId));
    const rest = tr.transition.actions.filter((a) => !a.pseudo && !done.has(a.id)).map((a) => `${a.key}${a.node ? ` ${a.node}` : ""}`);
    if (rest.length) console.log(`      not finished yet: ${rest.join(", ")}`);
  }
}

async function settle() {
  await cluster.controller.settled(120000);
}

async function setProp(name: string, value: string) {
  await cluster.controller.update(
    (cib) => {
      const s = cib.configuration.crmConfig[0];
      s.nvpairs = [...s.nvpairs.filter((p) => p.name !== name), { id: `${s.id}-${name}`, name, value }];
      return cib;
    },
    ADMIN,
    `property set ${name}=${value}`,
  );
}

async function everyHostOnline() {
  await waitFor("all hosts online", () => cluster.hosts.listHosts().every((h) => h.state === "online"), 60000);
}

async function crashCase(fencing: boolean): Promise<number> {
  await setProp("stonith-enabled", fencing ? "true" : "false");
  await settle();
  const host = activeNodes("VIP")[0];
  const ping = pinger();
  await waitFor("ping replies", () => ping.replies.length > 10, 10000);
  const evs: { at: number; kind: string; node?: string; message: string }[] = [];
  const unsub = cluster.controller.onEvent((e) => evs.push(e));
  const t0 = Date.now();
  await bed.crash(host);
  await waitFor("VIP elsewhere and answering", () => activeNodes("VIP").some((n) => n !== host) && ping.replies.length > 0 && ping.replies[ping.replies.length - 1] > t0 + 50, 60000);
  await sleep(300);
  ping.stop();
  const { back: ms, outage } = ping.measure(t0);
  outages.push(outage);
  unsub();
  const at = (f: (e: (typeof evs)[number]) => boolean) => {
    const e = evs.find(f);
    return e ? `${e.at - t0}` : "-";
  };
  if (process.env.BENCH_TRACE) for (const e of evs) console.log(`    +${e.at - t0} ${e.kind} ${e.message}`);
  trace(t0);
  console.log(
    `  timeline (ms after t0): node-lost ${at((e) => e.kind === "node-lost" && e.node === host)}, ` +
      `fenced ${at((e) => e.kind === "fence" && e.node === host)}, VIP started ${at((e) => e.kind === "action-result" && /VIP_start_0 on .*rc=0/.test(e.message))}, ` +
      `ping back ${ms.toFixed(0)}`,
  );
  await bed.boot(host); // fenced hosts stay off (stonith-action=off); unfenced ones are still crashed
  await everyHostOnline();
  await settle();
  return ms;
}

/** a node's standby as the CIB change itself (crm_attribute's path) or through `vigil node standby` (pcs's) */
type StandbyTrigger = (host: string, on: boolean) => Promise<void>;

const inProcess: StandbyTrigger = async (host, on) => {
  await cluster.controller.update((cib) => nodeStandby(cib, [host], on).cib, ADMIN, `node ${on ? "" : "un"}standby ${host}`);
};

let api: RunningServer | undefined;
let apiStateDir = "";
const viaCli: StandbyTrigger = (host, on) =>
  new Promise((resolve, reject) => {
    const env = { ...process.env, VIGIL_STATE_DIR: apiStateDir, VIGIL_PORT: String(api!.port), VIGIL_HOST: "127.0.0.1" };
    execFile("node", [VIGIL_BIN, "node", on ? "standby" : "unstandby", host], { env }, (err, _out, stderr) =>
      err ? reject(new Error(`vigil node ${on ? "" : "un"}standby ${host}: ${stderr.trim() || err.message}`)) : resolve(),
    );
  });

async function standbyCase(vip = "VIP", addr = VIP, trigger: StandbyTrigger = inProcess): Promise<number> {
  await settle();
  const host = activeNodes(vip)[0];
  const ping = pinger(addr);
  await waitFor("ping replies", () => ping.replies.length > 10, 10000);
  const cpu0 = cpuNow();
  const t0 = Date.now();
  await trigger(host, true);
  await waitFor(`${vip} on another host`, () => activeNodes(vip).some((n) => n !== host) && ping.replies[ping.replies.length - 1] > t0 + 50, 60000);
  const cpu1 = cpuNow();
  if (process.env.BENCH_PROFILE_MARKS) console.log(`    PROFILE_WINDOW ${cpu0.hr} ${cpu1.hr}`);
  await sleep(300);
  ping.stop();
  const { back: ms, outage } = ping.measure(t0);
  outages.push(outage);
  trace(t0);
  if (process.env.BENCH_TRACE)
    console.log(
      `    CPU until the VIP answered: machine ${(cpu1.machine - cpu0.machine).toFixed(0)} ms (of ${(2 * (cpu1.at - cpu0.at)).toFixed(0)} on 2 cores), ` +
        `controller process ${(cpu1.self - cpu0.self).toFixed(0)} ms`,
    );
  await settle();
  await trigger(host, false);
  await settle();
  return ms;
}

async function apacheCase(): Promise<number> {
  await settle();
  const host = activeNodes("Web")[0];
  await waitFor("HTTP", () => httpOk(), 20000);
  const pid = (await bed.exec(host, ["cat", "/var/run/apache2/apache2.pid"])).trim();
  const t0 = Date.now();
  // apache's workers keep serving when only the parent dies: kill its whole process group
  await bed.exec(host, ["kill", "-9", "--", `-${pid}`]);
  const killedAt = Date.now();
  await waitFor("HTTP down", async () => !(await httpOk(100)), 5000, 5);
  await waitFor("HTTP again", () => httpOk(200), 60000, 10);
  const ms = Date.now() - killedAt;
  void t0;
  await settle();
  // forget the failure so migration-threshold never moves it during the benchmark
  await cluster.controller.update(
    (cib) => {
      for (const ns of cib.status)
        ns.transientAttributes = ns.transientAttributes.map((s) => ({ ...s, nvpairs: s.nvpairs.filter((p) => !/^(fail-count|last-failure)-Web#/.test(p.name)) }));
      return cib;
    },
    ADMIN,
    "resource cleanup Web",
  );
  await settle();
  return ms;
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: med, min: s[0], max: s[s.length - 1] };
}

async function main() {
  const results: Record<string, number[]> = {
    "host crash -> VIP pings (fencing on)": [],
    "host crash -> VIP pings (fencing off)": [],
    "node standby -> VIP on the other host": [],
    "standby (Dummy + VIP) -> VIP elsewhere": [],
    "vigil node standby (CLI, Dummy + VIP)": [],
    "apache killed -> HTTP again": [],
  };
  const outageStats: Record<string, number[]> = {};
  const stateDir = mkdtempSync(path.join(os.tmpdir(), "vigil-bench-failover-"));
  await bed.down().catch(() => {});
  try {
    const info = await bed.up(3);
    const store = new HostStore(stateDir);
    for (const n of info.nodes) store.add({ name: n.name, address: n.host, port: n.port, identity: info.privateKeyPath, hostKey: n.hostKey });
    cluster = await startHostCluster({ stateDir, fenceAgentDirs: [TESTBED_DIR], initialCib: benchCib, coalesceMs: 5 });
    await waitFor("web started", () => activeNodes("Web").length === 1, 120000);
    await settle();
    const run = async (name: string, fn: () => Promise<number>) => {
      outages = [];
      for (let i = 0; i < REPS; i++) {
        const ms = await fn();
        results[name].push(ms);
        console.log(`${name}: ${ms.toFixed(0)} ms${outages.length ? ` (ping outage ${outages[outages.length - 1].toFixed(0)} ms)` : ""}`);
      }
      if (outages.length) outageStats[name] = [...outages];
    };
    // BENCH_CASES=crash-on,crash-off,standby,apache (default: all) selects cases
    const want = (c: string) => !process.env.BENCH_CASES || process.env.BENCH_CASES.split(",").includes(c);
    if (want("crash-on")) await run("host crash -> VIP pings (fencing on)", () => crashCase(true));
    if (want("crash-off")) await run("host crash -> VIP pings (fencing off)", () => crashCase(false));
    if (want("standby")) await run("node standby -> VIP on the other host", () => standbyCase());
    if (want("standby-dummy") || want("standby-cli")) {
      await setRoles({ web: "Stopped", VIP2: "Started", D: "Started" });
      await waitFor("VIP2 and D started", () => activeNodes("VIP2").length === 1 && activeNodes("D").length === 1, 60000);
      if (want("standby-dummy")) await run("standby (Dummy + VIP) -> VIP elsewhere", () => standbyCase("VIP2", VIP2));
      if (want("standby-cli")) {
        // the API server the CLI talks to (no console), and one CLI run first so that the bundle is built
        apiStateDir = stateDir;
        api = await startServer({ stateDir, port: await freePort(), next: false, service: cluster.controller, hosts: cluster.hosts });
        await new Promise<void>((resolve, reject) =>
          execFile("node", [VIGIL_BIN, "--help"], (e) => (e ? reject(e) : resolve())),
        );
        await run("vigil node standby (CLI, Dummy + VIP)", () => standbyCase("VIP2", VIP2, viaCli));
      }
      await setRoles({ web: "Started", VIP2: "Stopped", D: "Stopped" });
      await waitFor("web started again", () => activeNodes("Web").length === 1, 60000);
      await settle();
    }
    if (want("apache")) await run("apache killed -> HTTP again", apacheCase);
  } finally {
    await api?.close().catch(() => {});
    await cluster?.stop().catch(() => {});
    await bed.down().catch((e) => console.error(String(e)));
    rmSync(stateDir, { recursive: true, force: true });
  }
  console.log(`\nVigil failover on the test bed (${REPS} runs each, ms; host-timeout ${DEFAULT_HOST_TIMEOUT_MS} ms (default), VIP monitor 10s, Web monitor 2s; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}):`);
  console.log("(from just before the trigger to the first ping reply / HTTP 200 after it; ping outage = longest gap between replies)");
  console.log(`${"case".padEnd(42)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}   ping outage median [min-max]`);
  for (const [name, xs] of Object.entries(results)) {
    if (!xs.length) continue;
    const s = stats(xs);
    const o = outageStats[name]?.length ? stats(outageStats[name]) : undefined;
    const os = o ? `   ${o.median.toFixed(0)} [${o.min.toFixed(0)}-${o.max.toFixed(0)}]` : "";
    console.log(`${name.padEnd(42)} ${s.median.toFixed(0).padStart(8)} ${s.min.toFixed(0).padStart(8)} ${s.max.toFixed(0).padStart(8)}${os}`);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
