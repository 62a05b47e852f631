// npm run bench:ssh-call — what one agent call over SSH costs, step by step (a benchmark, not a test).
//
// Bed id 5 (vg5-*, 10.215.5.0/24), one host. For each step, REPS runs (env BENCH_REPS, default 30),
// alternating, median and p90 in ms (wall) plus the bench process's CPU:
//   raw exec `true`         one SSH exec channel, no wrapper (channel open + sshd session + shell)
//   run(true)               SshTransport.run: the wrapper (setsid, watchdog, files, read-back) written
//                           to the spare session (sshd's session and the shells already started)
//   run(true), own channel  the same with spareSession off: channel open + session start + wrapper
//   IPaddr2 start/stop      SshTransport.run of the real agent (spare session; and with its own channel)
//   IPaddr2 in-host         the same agent timed inside the host (nsenter, no SSH): the agent's own cost
//   one process start       fork + exec of /bin/true inside the host (IPaddr2 start is ~40 of them)
//   ... default logging     the in-host runs without Vigil's HA_LOGFILE/HA_DEBUGLOG (resource-agents' defaults)
// "wrapper" = run(true), own channel - raw exec; "spare session saves" = run(true), own channel - run(true);
// "SSH + wrapper per agent call" = IPaddr2 (run) - IPaddr2 in-host.
// Needs root and resource-agents installed before the bed is up.

import { performance } from "node:perf_hooks";
import { Testbed } from "../e2e/testbed/testbed";
import { SshTransport } from "../server/executor/ssh-transport";
import { AGENT_LOG_ENV } from "../server/executor/agents";

const REPS = Number(process.env.BENCH_REPS ?? 30);
const bed = new Testbed({ id: 5 });
const VIP = bed.addr(100);
// the parts of the executor's OCF environment IPaddr2 looks at, its logging included (agents.ts)
const BASE_ENV = { OCF_ROOT: "/usr/lib/ocf", OCF_RESOURCE_INSTANCE: "VIP", OCF_RESKEY_ip: VIP, OCF_RESKEY_cidr_netmask: "24", OCF_RESKEY_nic: "eth0" };
const OCF_ENV = { ...BASE_ENV, ...AGENT_LOG_ENV };
const IPADDR2 = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
};

async function main() {
  const info = await bed.up(1);
  const n = info.nodes[0];
  const opts = { node: n.name, host: n.host, port: n.port, privateKeyPath: info.privateKeyPath, hostKey: n.hostKey };
  const t = new SshTransport(opts);
  const own = new SshTransport({ ...opts, spareSession: false });
  try {
    await t.connect();
    await own.connect();
    const conn = (t as unknown as { conn: { exec(c: string, cb: (e: Error | undefined, ch: { on(ev: string, f: () => void): void; stderr: { on(ev: string, f: () => void): void }; end(): void }) => void): void } }).conn;
    const rawExec = (cmd: string) =>
      new Promise<void>((resolve, reject) =>
        conn.exec(cmd, (err, ch) => {
          if (err) return reject(err);
          ch.on("data", () => {});
          ch.stderr.on("data", () => {});
          ch.on("close", () => resolve());
          ch.end();
        }),
      );
    const steps: Record<string, { wall: number[]; agentMs: number[] }> = {};
    const time = async (name: string, fn: () => Promise<number | void>) => {
      const t0 = performance.now();
      const inner = await fn();
      const ms = performance.now() - t0;
      (steps[name] ??= { wall: [], agentMs: [] }).wall.push(ms);
      if (typeof inner === "number") steps[name].agentMs.push(inner);
    };
    const inHost = async (action: string, env: Record<string, string> = OCF_ENV) => {
      // `date +%s%N` around the agent inside the host: no SSH, no wrapper
      const envs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
      const out = await bed.exec(n.name, ["sh", "-c", `a=$(date +%s%N); env ${envs.join(" ")} ${IPADDR2} ${action} >/dev/null 2>&1; b=$(date +%s%N); echo $(( (b-a)/1000 ))`]);
      return Number(out.trim()) / 1000;
    };
    // the host's price of one process start (fork + exec of /bin/true, 100 in a row, inside the host)
    const execCost = async () => {
      const out = await bed.exec(n.name, ["sh", "-c", "a=$(date +%s%N); i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done; b=$(date +%s%N); echo $(( (b-a)/100000 ))"]);
      return Number(out.trim()) / 1000;
    };
    const run = async (argv: string[], env?: Record<string, string>, via = t) => {
      const r = await via.run({ argv, env, timeoutMs: 20000 });
      if (r.code !== 0) throw new Error(`${argv.join(" ")} -> ${r.code ?? r.signal}: ${r.stderr}`);
    };
    for (let i = 0; i < 3; i++) await run(["true"]); // warm-up
    for (let i = 0; i < REPS; i++) {
      await time("raw exec `true`", () => rawExec("true"));
      // a pause before each spare-session step: the spare opened after the previous run is ready
      await sleep(60);
      await time("run(true)", () => run(["true"]));
      await time("run(true), own channel", () => run(["true"], undefined, own));
      await sleep(60);
      await time("IPaddr2 start (run)", () => run([IPADDR2, "start"], OCF_ENV));
      await sleep(60);
      await time("IPaddr2 stop (run)", () => run([IPADDR2, "stop"], OCF_ENV));
      await time("IPaddr2 start (run, own channel)", () => run([IPADDR2, "start"], OCF_ENV, own));
      await time("IPaddr2 stop (run, own channel)", () => run([IPADDR2, "stop"], OCF_ENV, own));
      await time("IPaddr2 start in-host", () => inHost("start"));
      await time("IPaddr2 stop in-host", () => inHost("stop"));
      // resource-agents' default logging (no HA_LOGFILE/HA_DEBUGLOG): two `date` per log line
      await time("IPaddr2 start in-host, default logging", () => inHost("start", BASE_ENV));
      await time("IPaddr2 stop in-host, default logging", () => inHost("stop", BASE_ENV));
      if (i % 5 === 0) await time("one process start in-host (wall: the whole nsenter call)", execCost);
    }
    const med = (k: string, inner = false) => stat(inner ? steps[k].agentMs : steps[k].wall).median;
    const cpu = process.cpuUsage();
    console.log(`\n${REPS} runs each, ms (wall), load average ${(await import("node:os")).loadavg().map((x) => x.toFixed(2)).join(" ")}`);
    console.log("| step | median | p90 | timed inside the host, median |");
    console.log("|---|---|---|---|");
    for (const [name, s] of Object.entries(steps)) {
      const w = stat(s.wall);
      const a = s.agentMs.length ? stat(s.agentMs).median.toFixed(1) : "";
      console.log(`| ${name} | ${w.median.toFixed(1)} | ${w.p90.toFixed(1)} | ${a} |`);
    }
    console.log(`wrapper (run(true), own channel - raw exec): ${(med("run(true), own channel") - med("raw exec `true`")).toFixed(1)} ms`);
    console.log(`spare session saves (run(true), own channel - run(true)): ${(med("run(true), own channel") - med("run(true)")).toFixed(1)} ms per call`);
    console.log(`spare sessions used: ${t.stats().spareRuns} of ${steps["run(true)"].wall.length + steps["IPaddr2 start (run)"].wall.length + steps["IPaddr2 stop (run)"].wall.length + 3} runs`);
    for (const a of ["start", "stop"])
      console.log(`SSH + wrapper per IPaddr2 ${a}: ${(med(`IPaddr2 ${a} (run)`) - med(`IPaddr2 ${a} in-host`, true)).toFixed(1)} ms of ${med(`IPaddr2 ${a} (run)`).toFixed(1)} ms`);
    console.log(`bench process CPU: user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms`);
  } finally {
    await t.close().catch(() => {});
    await own.close().catch(() => {});
    await bed.down().catch((e) => console.error(String(e)));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
