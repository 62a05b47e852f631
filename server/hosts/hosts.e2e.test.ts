// Issue 4 end to end: Vigil's controller manages three real SSH hosts of the test bed
// (e2e/testbed, bed id 2: vg2-*, 10.215.2.0/24) with the real ClusterLabs agents
// (IPaddr2, apache), haproxy through systemd:haproxy (no systemd on the hosts -> the
// LSB init script), a fence device (the test-only fence_testbed: power cut + clean boot)
// and a small hanging test agent. The tests run in order and build on each other's state.
// Needs root (network namespaces); apache2, haproxy, resource-agents installed before `up`.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TESTBED_DIR, Testbed, pingOnce, type TestbedInfo } from "../../e2e/testbed/testbed";
import type { Cib, NvSet, Operation, Primitive } from "../cib/types";
import { nodeStandby } from "../cib/ops/node";
import { HostStore } from "../membership/hosts";
import type { ClusterState } from "../scheduler/types";
import { startHostCluster, type HostCluster } from "./cluster";
import { emptyCib } from "../cib/empty";

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const bed = new Testbed({ id: 2 });
const VIP = bed.addr(100);
let info: TestbedInfo;
let stateDir: string;
let cluster: HostCluster | undefined;
const children: ChildProcess[] = [];

// ---------------------------------------------------------------------------- CIB

function nv(id: string, pairs: Record<string, string>): NvSet {
  return { id, nvpairs: Object.entries(pairs).map(([name, value]) => ({ id: `${id}-${name}`, name, value })) };
}
function op(rsc: string, name: string, interval: string, timeout: string, extra: Record<string, string> = {}): Operation {
  return { id: `${rsc}-${name}-interval-${interval}`, name, interval, timeout, instanceAttributes: [], metaAttributes: [], ...extra } as Operation;
}
function prim(id: string, cls: string, provider: string | undefined, type: string, params: Record<string, string>, ops: Operation[], meta: Record<string, string> = {}): Primitive {
  return {
    kind: "primitive",
    id,
    class: cls,
    provider,
    type,
    instanceAttributes: Object.keys(params).length ? [nv(`${id}-instance_attributes`, params)] : [],
    metaAttributes: Object.keys(meta).length ? [nv(`${id}-meta_attributes`, meta)] : [],
    utilization: [],
    operations: ops,
  };
}

function testCib(): Cib {
  const cib = emptyCib();
  cib.configuration.crmConfig = [
    nv("cib-bootstrap-options", {
      "cluster-name": "vigil-e2e",
      "stonith-enabled": "true",
      // fenced hosts stay off until the test boots them (a reboot would bring them back before recovery)
      "stonith-action": "off",
      "no-quorum-policy": "stop",
      "host-timeout": "1000ms",
      "cluster-recheck-interval": "1min",
    }),
  ];
  cib.configuration.rscDefaults = [nv("rsc_defaults-meta_attributes", { "resource-stickiness": "0" })];
  cib.configuration.resources = [
    prim("fence-bed", "stonith", undefined, "fence_testbed", { testbed_dir: bed.dir, pcmk_host_list: "node1 node2 node3" }, [op("fence-bed", "monitor", "60s", "20s")]),
    {
      kind: "group",
      id: "web",
      instanceAttributes: [],
      metaAttributes: [nv("web-meta_attributes", { "migration-threshold": "2" })],
      children: [
        prim("VIP", "ocf", "heartbeat", "IPaddr2", { ip: VIP, cidr_netmask: "24" }, [op("VIP", "monitor", "2s", "10s"), op("VIP", "start", "0s", "20s"), op("VIP", "stop", "0s", "20s")]),
        prim("Web", "ocf", "heartbeat", "apache", { configfile: "/etc/apache2/apache2.conf", statusurl: "http://localhost/server-status" }, [
          op("Web", "monitor", "2s", "10s"),
          op("Web", "start", "0s", "40s"),
          op("Web", "stop", "0s", "60s"),
        ]),
      ],
    },
    prim("haproxy", "systemd", undefined, "haproxy", {}, [op("haproxy", "monitor", "5s", "20s")]),
  ];
  cib.configuration.constraints = [
    { kind: "location", id: "location-web-node1-100", rsc: "web", node: "node1", score: "100", rules: [], sets: [] },
    { kind: "location", id: "location-haproxy-node3-100", rsc: "haproxy", node: "node3", score: "100", rules: [], sets: [] },
  ];
  return cib;
}

// ---------------------------------------------------------------------------- helpers

const ctl = () => cluster!.controller;
const state = (): ClusterState => ctl().snapshot().state;

function findRsc(s: ClusterState, id: string) {
  const walk = (rs: ClusterState["resources"]): ClusterState["resources"][number] | undefined => {
    for (const r of rs) {
      if (r.id === id) return r;
      const c = walk(r.children);
      if (c) return c;
    }
    return undefined;
  };
  return walk(s.resources);
}
/** the node(s) a primitive is active on */
const where = (id: string) => (findRsc(state(), id)?.active ?? []).filter((a) => !a.failed).map((a) => a.node);

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, stepMs = 50): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) {
      const s = cluster ? state() : undefined;
      const placement = s ? JSON.stringify(s.resources.map((r) => [r.id, r.active, r.children.map((c) => [c.id, c.active])])) : "";
      const evs = cluster ? ctl().events().slice(-25).map((e) => `  ${new Date(e.at).toISOString().slice(11, 23)} ${e.kind} ${e.message}`).join("\n") : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}; placement ${placement}\nlast events:\n${evs}`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

async function settle(ms = 60000) {
  await ctl().settled(ms);
}

async function http(url: string, timeoutMs = 1000): Promise<number> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/** hosts whose eth0 carries the VIP, as the hosts themselves see it */
async function vipHolders(): Promise<string[]> {
  const out: string[] = [];
  for (const n of info.nodes) {
    if ((await bed.state(n.name)) === "off") continue;
    const a = await bed.exec(n.name, ["ip", "-4", "-o", "addr", "show"]).catch(() => "");
    if (a.includes(` ${VIP}/`)) out.push(n.name);
  }
  return out;
}

async function apachePid(node: string): Promise<string> {
  return (await bed.exec(node, ["sh", "-c", "cat /var/run/apache2/apache2.pid 2>/dev/null || true"])).trim();
}

async function standby(node: string, on: boolean) {
  await ctl().update((cib) => nodeStandby(cib, [node], on).cib, { user: "test", role: "admin" }, `node ${on ? "standby" : "unstandby"} ${node}`);
}

async function setDefault(name: string, value: string) {
  await ctl().update(
    (cib) => {
      const set = cib.configuration.rscDefaults[0];
      set.nvpairs = [...set.nvpairs.filter((p) => p.name !== name), { id: `${set.id}-${name}`, name, value }];
      return cib;
    },
    { user: "test", role: "admin" },
    `resource defaults ${name}=${value}`,
  );
}

const fenceEvents = () => ctl().events().filter((e) => e.kind === "fence");
const failCount = (rsc: string, node: string) => state().failCounts.find((f) => f.rsc === rsc && f.node === node)?.failCount ?? 0;

// A test agent: monitor hangs (sleep) while /run/hang-monitor exists; stop clears the flag.
const HANG_AGENT = `#!/bin/sh
STATE=/run/vigil-hang.state
case "$1" in
meta-data) cat <<'EOF'
<?xml version="1.0"?>
<resource-agent name="Hang" version="1.0"><version>1.1</version>
<shortdesc lang="en">test agent whose monitor hangs on request</shortdesc><longdesc lang="en">monitor sleeps while /run/hang-monitor exists</longdesc>
<parameters/>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/><action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
EOF
exit 0 ;;
start) touch $STATE; exit 0 ;;
stop) rm -f $STATE /run/hang-monitor; exit 0 ;;
monitor) if [ -e /run/hang-monitor ]; then sleep 2999; fi; [ -e $STATE ] && exit 0; exit 7 ;;
validate-all) exit 0 ;;
*) exit 3 ;;
esac
`;

// ---------------------------------------------------------------------------- set-up

/** a loaded CI machine may fail a first nsenter right after `up`: try again */
async function retry<T>(fn: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

beforeAll(async () => {
  await bed.down().catch(() => {});
  info = await bed.up(3);
  stateDir = mkdtempSync(path.join(os.tmpdir(), "vigil-hosts-e2e-"));
  const store = new HostStore(stateDir);
  for (const n of info.nodes) store.add({ name: n.name, address: n.host, port: n.port, identity: info.privateKeyPath, hostKey: n.hostKey });
  // the hang agent lives in each host's own /usr/lib/ocf (overlaid per host)
  for (const n of info.nodes) {
    await retry(() => bed.exec(n.name, [
      "sh",
      "-c",
      `mkdir -p /usr/lib/ocf/resource.d/vigiltest && printf '%s' '${HANG_AGENT.replace(/'/g, `'\\''`)}' > /usr/lib/ocf/resource.d/vigiltest/Hang && chmod 755 /usr/lib/ocf/resource.d/vigiltest/Hang`,
    ], 60000));
  }
  cluster = await startHostCluster({ stateDir, fenceAgentDirs: [TESTBED_DIR], initialCib: testCib, coalesceMs: 5 });
}, 90000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await cluster?.stop().catch(() => {});
  await bed.down();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}, 90000);

// ---------------------------------------------------------------------------- the tests

describe("Vigil on three SSH hosts", () => {
  it("1: places the VIP+apache group and haproxy where the constraints say; the VIP answers ping and HTTP", async () => {
    await waitFor("web on node1 and haproxy on node3", () => where("Web").join() === "node1" && where("haproxy").join() === "node3", 60000);
    await settle();
    expect(where("VIP")).toEqual(["node1"]);
    expect(cluster!.hosts.listHosts().map((h) => [h.name, h.state, h.inCib])).toEqual([
      ["node1", "online", true],
      ["node2", "online", true],
      ["node3", "online", true],
    ]);
    expect(cluster!.hosts.listHosts()[0].hostKeyFingerprint).toMatch(/^SHA256:/);
    expect(await vipHolders()).toEqual(["node1"]);
    await waitFor("the VIP answers ping", () => pingOnce(VIP), 10000);
    await waitFor("HTTP on the VIP", async () => (await http(`http://${VIP}/`, 2000)) === 200, 15000, 200);
    // haproxy came up through the init script (no systemd on the hosts)
    expect(await bed.exec("node3", ["sh", "-c", "/etc/init.d/haproxy status >/dev/null 2>&1; echo $?"])).toBe("0\n");
    expect(findRsc(state(), "haproxy")?.agent).toBe("systemd:haproxy");
  }, 90000);

  it("2: a crashed host is detected, fenced, and the VIP and HTTP answer from another host", async () => {
    const t0 = Date.now();
    await bed.crash("node1");
    const back = await waitFor("VIP and HTTP from another host", async () => where("Web").some((n) => n !== "node1") && (await http(`http://${VIP}/`, 1000)) === 200, 60000, 100);
    const ms = Date.now() - t0;
    console.log(`host crash -> HTTP on the VIP again after ${ms} ms`);
    expect(back).toBe(true);
    expect(ms).toBeLessThan(60000);
    // recovered only after fencing succeeded
    const fenced = ctl().events().find((e) => e.kind === "fence" && e.node === "node1");
    expect(fenced?.message).toMatch(/node node1 fenced \(off\)/);
    const startedElsewhere = ctl().events().find((e) => e.kind === "action-result" && e.rsc === "VIP" && /VIP_start_0 on node[23]: rc=0/.test(e.message));
    expect(startedElsewhere && fenced && startedElsewhere.seq > fenced.seq).toBe(true);
    expect(cluster!.hosts.fenceHistory().some((r) => r.target === "node1" && r.state === "success")).toBe(true);
    expect(await bed.state("node1")).toBe("off");
    // powered on again: it rejoins, is probed, and the group returns to its preferred node
    await bed.boot("node1");
    await waitFor("node1 online again", () => cluster!.hosts.listHosts().find((h) => h.name === "node1")?.state === "online", 30000);
    await waitFor("group back on node1", () => where("Web").join() === "node1", 60000);
    await settle();
    expect(await vipHolders()).toEqual(["node1"]);
  }, 120000);

  it("3: a partitioned host is fenced; after heal no address is active on two hosts", async () => {
    const fencesBefore = fenceEvents().length;
    await bed.partition("node1");
    await waitFor("group recovered elsewhere", () => where("Web").length === 1 && where("Web")[0] !== "node1", 60000);
    await waitFor("node1 fenced", () => fenceEvents().slice(fencesBefore).some((e) => e.node === "node1" && /fenced/.test(e.message)), 30000);
    expect(await bed.state("node1")).toBe("off"); // fencing powered it off
    await bed.heal("node1"); // a fenced (off) host boots clean
    await waitFor("node1 online again", () => cluster!.hosts.listHosts().find((h) => h.name === "node1")?.state === "online", 30000);
    await settle(90000);
    expect((await vipHolders()).length).toBe(1);
    expect(where("VIP")).toEqual(await vipHolders());
    await waitFor("HTTP on the VIP", async () => (await http(`http://${VIP}/`, 2000)) === 200, 15000, 200);
  }, 150000);

  it("4: standby and unstandby move the group and bring it back; with stickiness it stays", async () => {
    await waitFor("group on node1", () => where("Web").join() === "node1", 60000);
    await standby("node1", true);
    await waitFor("group off node1", () => where("Web").length === 1 && where("Web")[0] !== "node1", 30000);
    const other = where("Web")[0];
    await settle();
    expect(await vipHolders()).toEqual([other]);
    await standby("node1", false);
    await waitFor("group back on node1", () => where("Web").join() === "node1", 30000);
    await settle();
    // stickiness above the location score: after a standby round trip it stays where it went
    await setDefault("resource-stickiness", "200");
    await standby("node1", true);
    await waitFor("group off node1", () => where("Web").length === 1 && where("Web")[0] !== "node1", 30000);
    const moved = where("Web")[0];
    await settle();
    await standby("node1", false);
    await settle();
    await new Promise((r) => setTimeout(r, 1500));
    await settle();
    expect(where("Web")).toEqual([moved]);
    expect(await vipHolders()).toEqual([moved]);
    await waitFor("HTTP on the VIP", async () => (await http(`http://${VIP}/`, 2000)) === 200, 15000, 200);
  }, 150000);

  it("5: apache killed: restarted in place; after migration-threshold failures the group moves", async () => {
    const host = where("Web")[0];
    const pid1 = await apachePid(host);
    expect(pid1).toMatch(/^\d+$/);
    await bed.exec(host, ["kill", "-9", "--", `-${pid1}`]); // apache and its workers (its process group)
    await waitFor("fail-count 1", () => failCount("Web", host) >= 1, 20000);
    await waitFor("apache restarted in place", async () => where("Web").join() === host && (await apachePid(host)) !== pid1 && (await http(`http://${VIP}/`, 500)) === 200, 30000, 200);
    await settle();
    expect(where("VIP")).toEqual([host]);
    // second failure reaches migration-threshold=2: the group leaves that host
    const pid2 = await apachePid(host);
    await bed.exec(host, ["kill", "-9", "--", `-${pid2}`]); // apache and its workers (its process group)
    await waitFor("group moved", () => where("Web").length === 1 && where("Web")[0] !== host && where("VIP").join() === where("Web").join(), 40000, 100);
    await waitFor("HTTP again", async () => (await http(`http://${VIP}/`, 500)) === 200, 20000, 100);
    await settle();
    expect(failCount("Web", host)).toBeGreaterThanOrEqual(2);
    // clean up the fail-count so the remaining tests see a healthy cluster
    await ctl().update(
      (cib) => {
        const ns = cib.status.find((s) => s.uname === host);
        if (ns) ns.transientAttributes = ns.transientAttributes.map((s) => ({ ...s, nvpairs: s.nvpairs.filter((p) => !/^(fail-count|last-failure)-Web#/.test(p.name)) }));
        return cib;
      },
      { user: "test", role: "admin" },
      "cleanup Web",
    );
    await settle();
  }, 150000);

  it("6: an agent that hangs past its timeout is killed, recorded as a timeout, and recovered by on-fail", async () => {
    await ctl().update(
      (cib) => {
        cib.configuration.resources.push(prim("Hang", "ocf", "vigiltest", "Hang", {}, [op("Hang", "monitor", "1s", "2s")]));
        cib.configuration.constraints.push({ kind: "location", id: "location-Hang-node2-50", rsc: "Hang", node: "node2", score: "50", rules: [], sets: [] });
        return cib;
      },
      { user: "test", role: "admin" },
      "resource create Hang",
    );
    await waitFor("Hang started", () => where("Hang").length === 1, 30000);
    await settle();
    const host = where("Hang")[0];
    await bed.exec(host, ["touch", "/run/hang-monitor"]);
    const failed = await waitFor(
      "the monitor's timeout in failed actions",
      () => state().failedActions.find((f) => f.rsc === "Hang" && f.task === "monitor"),
      20000,
    );
    expect(failed.node).toBe(host);
    expect(failed.opStatus).toBe(2); // PCMK_EXEC_TIMEOUT
    expect(failed.opStatusText).toMatch(/Timed Out/i);
    // on-fail=restart (the monitor's default): stopped (which clears the flag) and started again
    await waitFor("Hang running again", () => where("Hang").length === 1 && failCount("Hang", host) >= 1, 30000);
    await settle();
    expect(await bed.exec(host, ["sh", "-c", "ls /run/hang-monitor 2>/dev/null || true"])).toBe("");
  }, 120000);

  it("6b: a timed-out recurring monitor leaves none of its children running on the host", async () => {
    const host = where("Hang")[0];
    // (the agent hangs in `sleep 2999`: the host's PID 1 reaper has its own `sleep 3600`)
    const hung = async () => (await bed.exec(host, ["ps", "-eo", "pid,pgid,args"])).split("\n").filter((l) => /\bsleep 2999\b/.test(l));
    // the monitor that timed out in test 6 (and any later run that hung before the stop) was killed
    // together with its process group, its `sleep` too
    await waitFor("no hung monitor child left", async () => (await hung()).length === 0 || undefined, 10000, 250).catch(async (e) => {
      throw new Error(`${(e as Error).message}\nstill running on ${host}:\n${(await hung()).join("\n")}`);
    });
    await ctl().update(
      (cib) => {
        cib.configuration.resources = cib.configuration.resources.filter((r) => r.id !== "Hang");
        cib.configuration.constraints = cib.configuration.constraints.filter((c) => c.id !== "location-Hang-node2-50");
        return cib;
      },
      { user: "test", role: "admin" },
      "resource delete Hang",
    );
    await settle();
  }, 120000);

  it("7: a controller killed with -9 comes back, probes every host and restarts nothing", async () => {
    await settle();
    const web = where("Web")[0];
    const pidBefore = await apachePid(web);
    const haBefore = (await bed.exec("node3", ["sh", "-c", "cat /run/haproxy.pid 2>/dev/null || pgrep -o haproxy || true"])).trim();
    await cluster!.stop();
    cluster = undefined;
    try {
      const run = (label: string) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/hosts/run.ts"), "--state", stateDir, "--fence-agent-dir", TESTBED_DIR], {
          cwd: REPO,
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        let out = "";
        child.stdout!.on("data", (d) => (out += String(d)));
        child.stderr!.on("data", (d) => (out += String(d)));
        return { child, out: () => out, label };
      };
      const a = run("first");
      await waitFor("first controller settled", () => /\nsettled\n/.test("\n" + a.out()), 60000, 100);
      a.child.kill("SIGKILL");
      await new Promise((r) => a.child.once("exit", r));
      const b = run("second");
      await waitFor("second controller settled", () => /\nsettled\n/.test("\n" + b.out()) && /probe|monitor_0/.test(b.out()), 60000, 100);
      const lines = b.out().split("\n");
      // probes ran on every host ...
      for (const n of ["node1", "node2", "node3"]) expect(lines.some((l) => new RegExp(`_monitor_0 on ${n}`).test(l)), `probe on ${n}\n${b.out()}`).toBe(true);
      // ... and nothing was stopped or started. (The fence device is the exception: its "start" is a
      // registration in the controller's memory, as in Pacemaker's fencer, so a new controller
      // registers it again; no process on any host is touched by that.)
      expect(lines.filter((l) => /action-result.*_(start|stop)_0 on /.test(l) && !/fence-bed_start_0/.test(l)), b.out()).toEqual([]);
      expect(await apachePid(web)).toBe(pidBefore);
      const haAfter = (await bed.exec("node3", ["sh", "-c", "cat /run/haproxy.pid 2>/dev/null || pgrep -o haproxy || true"])).trim();
      expect(haAfter).toBe(haBefore);
      b.child.kill("SIGKILL");
      await new Promise((r) => b.child.once("exit", r));
    } finally {
      // the in-process controller takes over again (a third start, for the last test)
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
      cluster = await startHostCluster({ stateDir, fenceAgentDirs: [TESTBED_DIR], coalesceMs: 5 });
    }
    await settle(60000);
    expect(await apachePid(web)).toBe(pidBefore);
  }, 180000);

  it("8: with two of three hosts lost, no-quorum-policy=stop stops the resources on the remaining host", async () => {
    await settle();
    const keep = where("Web")[0];
    const others = ["node1", "node2", "node3"].filter((n) => n !== keep);
    await Promise.all(others.map((n) => bed.crash(n)));
    await waitFor("quorum lost", () => ctl().snapshot().cib.attrs["have-quorum"] === "0", 15000);
    await waitFor("group stopped on the remaining host", () => where("Web").length === 0 && where("VIP").length === 0, 30000);
    expect(await vipHolders()).toEqual([]);
    expect(await apachePid(keep)).toBe("");
    expect(await pingOnce(VIP)).toBe(false);
  }, 90000);
});
