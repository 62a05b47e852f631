// Fencing and membership on real hosts: the e2e test bed (bed id 1, so it can run beside
// ssh-transport.test.ts), SshTransport connections, Membership, and the test-only fence
// agent fence_testbed (power fencing stand-in: link down, processes killed, addresses flushed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FENCE_TESTBED, Testbed, pingOnce, type TestbedInfo } from "../../e2e/testbed/testbed";
import path from "node:path";
import { existsSync } from "node:fs";
import { SshTransport } from "../executor/ssh-transport";
import { Membership, type NodeJoinedEvent, type NodeLostEvent } from "../membership/membership";
import type { FenceDevice } from "./devices";
import { Fencer } from "./fencer";
import { formatFencingHistory } from "./history";

const bed = new Testbed({ id: 1 });
let info: TestbedInfo;
const transports = new Map<string, SshTransport>();
let membership: Membership;
const lost: NodeLostEvent[] = [];
const joined: NodeJoinedEvent[] = [];
const quorumLog: boolean[] = [];

function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v) return resolve(v);
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

const testbedDevice = (params: Record<string, string> = {}): FenceDevice => ({
  id: "fence-bed",
  agent: "fence_testbed",
  params: { testbed_dir: bed.dir, ...params },
  priority: 0,
  enabled: true,
});

beforeAll(async () => {
  await bed.down().catch(() => {});
  info = await bed.up(3);
  membership = new Membership({ hostTimeoutMs: 1500 });
  membership.on("node-lost", (e) => lost.push(e));
  membership.on("node-joined", (e) => joined.push(e));
  membership.on("quorum", (e) => quorumLog.push(e.quorate));
  for (const [i, n] of info.nodes.entries()) {
    const t = new SshTransport({ node: n.name, host: n.host, privateKeyPath: info.privateKeyPath, hostKey: n.hostKey, hostTimeoutMs: 1500 });
    transports.set(n.name, t);
    membership.add(n.name, t, { id: i + 1 });
  }
  await Promise.all([...transports.values()].map((t) => t.connect()));
}, 180000);

afterAll(async () => {
  membership?.close();
  await Promise.all([...transports.values()].map((t) => t.close().catch(() => {})));
  await bed.down();
}, 180000);

describe("the test bed itself", { timeout: 90000 }, () => {
  it("each host has its own hostname, PID namespace and /etc; exec and status see the host's view", async () => {
    expect((await bed.exec("node1", ["hostname"])).trim()).toBe("node1");
    const ps = await bed.exec("node1", ["ps", "-eo", "pid,args"]);
    expect(ps).toMatch(/^\s*1 bash .*boot\.sh$/m); // PID 1 is the host's reaper
    expect(ps).not.toMatch(/vitest/); // the machine's processes are invisible
    await bed.exec("node1", ["sh", "-c", "echo only-here >/etc/vigil-testbed-marker"]);
    expect((await bed.exec("node1", ["cat", "/etc/vigil-testbed-marker"])).trim()).toBe("only-here");
    await expect(bed.exec("node2", ["cat", "/etc/vigil-testbed-marker"])).rejects.toThrow(/No such file/);
    expect(existsSync("/etc/vigil-testbed-marker")).toBe(false);
    const status = await bed.status();
    expect(status.split("\n").filter(Boolean).map((l) => l.split(/\s+/).slice(0, 3).join(" "))).toEqual([
      `node1 ${bed.addr(11)} up`,
      `node2 ${bed.addr(12)} up`,
      `node3 ${bed.addr(13)} up`,
    ]);
  });
});

describe("fencing test-bed hosts", { timeout: 90000 }, () => {
  it("all three hosts are members and the cluster is quorate", () => {
    expect(membership.nodes().map((n) => [n.name, n.state])).toEqual([
      ["node1", "online"],
      ["node2", "online"],
      ["node3", "online"],
    ]);
    expect(membership.quorum()).toMatchObject({ totalVotes: 3, quorum: 2, quorate: true });
    expect(joined.map((j) => j.node).sort()).toEqual(["node1", "node2", "node3"]);
  });

  it("fence_testbed 'off' crashes the host (dynamic-list), and membership loses it within host-timeout", async () => {
    const fencer = new Fencer({ devices: () => [testbedDevice()], agentDirs: [path.dirname(FENCE_TESTBED)] });
    expect((await fencer.candidates("node2")).map((d) => d.id)).toEqual(["fence-bed"]); // from the agent's list
    expect(await fencer.candidates("node9")).toEqual([]);
    const t0 = Date.now();
    const rec = await fencer.fence("node2", "off");
    expect(rec, rec.error).toMatchObject({ state: "success", delegate: "controller", device: "fence-bed" });
    expect(await bed.state("node2")).toBe("off");
    expect(await pingOnce(info.nodes[1].host, 1)).toBe(false);
    const ev = await waitFor("node2 lost", () => lost.find((e) => e.node === "node2"), 6000);
    console.log(`fence off of node2 took ${rec.completedAt! - rec.requestedAt} ms; node-lost ${ev.at - t0} ms after the request`);
    expect(ev.at - t0).toBeLessThan(1500 + 2500);
    expect(membership.quorum()).toMatchObject({ totalVotes: 2, quorate: true });
    expect(formatFencingHistory(fencer.history.list())[0]).toMatch(/^  \* off of node2 successful: delegate=controller, client=vigil-controller, origin=controller/);
  });

  it("fence 'on' boots it clean and it rejoins as a returning node", async () => {
    const fencer = new Fencer({ devices: () => [testbedDevice({ pcmk_host_list: "node1 node2 node3" })], agentDirs: [path.dirname(FENCE_TESTBED)] });
    const rec = await fencer.fence("node2", "on");
    expect(rec.state).toBe("success");
    const j = await waitFor("node2 rejoined", () => joined.find((e) => e.node === "node2" && e.returning), 45000);
    expect(j.returning).toBe(true);
    expect((await transports.get("node2")!.run({ argv: ["hostname"], timeoutMs: 5000 })).stdout).toBe("node2\n");
  });

  // A fast reboot can be over before host-timeout: the connection then drops and comes back
  // without a membership change. The transport reads the host's boot identity on every
  // connect, so the rebooted host still leaves and rejoins (it once hung here for 45 s).
  it("fence 'reboot' of the host holding a VIP: the VIP is gone and /run is fresh when it comes back", async () => {
    const t3 = transports.get("node3")!;
    const vip = bed.addr(100);
    const env = { OCF_ROOT: "/usr/lib/ocf", OCF_RESOURCE_INSTANCE: "VIP", OCF_RESKEY_ip: vip, OCF_RESKEY_cidr_netmask: "24" };
    const start = await t3.run({ argv: ["/usr/lib/ocf/resource.d/heartbeat/IPaddr2", "start"], env, timeoutMs: 20000 });
    expect(start.code, start.stderr).toBe(0);
    await t3.run({ argv: ["sh", "-c", "echo before-reboot >/run/marker"], timeoutMs: 5000 });
    expect(await pingOnce(vip)).toBe(true);
    const joinedBefore = joined.length;
    const fencer = new Fencer({ devices: () => [testbedDevice()], agentDirs: [path.dirname(FENCE_TESTBED)] });
    const rec = await fencer.fence("node3", "reboot");
    expect(rec.state).toBe("success");
    expect(await pingOnce(vip, 1)).toBe(false);
    await waitFor("node3 back", () => joined.slice(joinedBefore).find((e) => e.node === "node3"), 45000);
    const after = await t3.run({ argv: ["sh", "-c", "test -e /run/marker && echo kept || echo fresh; ip -4 -o addr show dev eth0 | wc -l"], timeoutMs: 5000 });
    expect(after.stdout).toBe("fresh\n1\n"); // only the host's own address
  });

  it("an agent that exists only on the hosts runs through a host that is not the target", async () => {
    const dev: FenceDevice = { id: "dummy", agent: "fence_dummy", params: { status_file: "/tmp/fence_dummy.status", pcmk_host_list: "node1" }, priority: 0, enabled: true };
    const fencer = new Fencer({ devices: () => [dev], localAgents: false, hosts: () => [...transports.values()] });
    const rec = await fencer.fence("node1", "off");
    expect(rec.state, rec.error).toBe("success");
    expect(["node2", "node3"]).toContain(rec.delegate);
    // fence_dummy keeps no file for 'off' of an already-off plug; what matters is where it ran
    expect(rec.attempts.every((a) => a.via !== "node1")).toBe(true);
  });

  it("the executor's stonith class runs fence_testbed on the controller's machine (ControllerTransport)", async () => {
    const { runAgentOp } = await import("../executor/agents");
    const { ControllerTransport } = await import("./controller-transport");
    const t = new ControllerTransport({ fenceDir: path.dirname(FENCE_TESTBED) });
    const op = (action: string, params: Record<string, string> = {}) => ({
      rsc: "fence-bed", standard: "stonith", type: "fence_testbed", action, intervalMs: 0, timeoutMs: 20000, params: { testbed_dir: bed.dir, ...params }, meta: {},
    });
    const md = await runAgentOp(t, op("meta-data"));
    expect(md.output).toMatch(/<resource-agent name="fence_testbed"/);
    expect((await runAgentOp(t, op("monitor"))).rc).toBe(7); // not started yet
    expect((await runAgentOp(t, op("start"))).rc).toBe(0);
    expect((await runAgentOp(t, op("monitor"))).rc).toBe(0);
    expect((await runAgentOp(t, op("stop"))).rc).toBe(0);
    const broken = await runAgentOp(t, op("start", { testbed_dir: "/nonexistent-bed" }));
    expect(broken.rc).not.toBe(0);
  });

  it("losing two of three hosts loses quorum", async () => {
    const before = quorumLog.length;
    await Promise.all([bed.crash("node2"), bed.crash("node3")]);
    await waitFor("quorum lost", () => quorumLog.slice(before).includes(false), 8000);
    expect(membership.quorum()).toMatchObject({ totalVotes: 1, quorum: 2, quorate: false });
  });
});
