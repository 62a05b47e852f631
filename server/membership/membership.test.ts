// Membership rules driven by a transport whose state the test sets (the real SshTransport
// integration, with crashes on the test bed, is in membership.testbed.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import type { RunRequest, RunResult, Transport, TransportState } from "../executor/types";
import { Membership } from "./membership";

class SwitchedTransport implements Transport {
  readonly kind = "local" as const;
  private st: TransportState = "connecting";
  private cbs = new Set<(s: TransportState, r?: string) => void>();
  lastHeardAt: number | null = null;
  bootId: string | null = "boot-1";
  constructor(readonly node: string) {}
  async connect() {}
  async run(_req: RunRequest): Promise<RunResult> {
    throw new Error("not used");
  }
  state() {
    return this.st;
  }
  stats() {
    return { lastHeardAt: this.lastHeardAt, bootId: this.bootId };
  }
  onStateChange(cb: (s: TransportState, r?: string) => void) {
    this.cbs.add(cb);
    return () => this.cbs.delete(cb);
  }
  set(s: TransportState, reason?: string) {
    this.st = s;
    if (s === "up") this.lastHeardAt = Date.now();
    for (const cb of this.cbs) cb(s, reason);
  }
  async close() {}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let m: Membership;
afterEach(() => m?.close());

function cluster(n: number, hostTimeoutMs = 400) {
  m = new Membership({ hostTimeoutMs });
  const ts = Array.from({ length: n }, (_, i) => new SwitchedTransport(`node${i + 1}`));
  ts.forEach((t, i) => m.add(t.node, t, { id: i + 1 }));
  const log: string[] = [];
  m.on("node-joined", (e) => log.push(`joined ${e.node}${e.returning ? " (returning)" : ""}`));
  m.on("node-lost", (e) => log.push(`lost ${e.node}: ${e.reason}`));
  m.on("quorum", (e) => log.push(`quorum ${e.quorate ? "gained" : "lost"}`));
  return { ts, log };
}

describe("Membership", () => {
  it("nodes join when their transport comes up; quorum follows", () => {
    const { ts, log } = cluster(3);
    expect(m.nodes().map((n) => n.state)).toEqual(["offline", "offline", "offline"]);
    expect(m.quorum().quorate).toBe(false);
    ts[0].set("up");
    ts[1].set("up");
    expect(log).toEqual(["joined node1", "joined node2", "quorum gained"]);
    expect(m.node("node1")).toMatchObject({ state: "online", id: 1, votes: 1 });
    expect(m.quorum()).toMatchObject({ totalVotes: 2, quorum: 2, quorate: true });
  });

  it("a keepalive timeout (silent for host-timeout) loses the node at once", () => {
    const { ts, log } = cluster(3);
    ts.forEach((t) => t.set("up"));
    ts[2].lastHeardAt = Date.now() - 500; // last packet longer ago than host-timeout
    ts[2].set("down", "connection lost: Keepalive timeout");
    expect(m.node("node3")?.state).toBe("lost");
    expect(log.at(-1)).toBe("lost node3: connection lost: Keepalive timeout");
  });

  it("a dropped connection to a host heard from just now is suspect until host-timeout, then lost", async () => {
    const { ts, log } = cluster(3, 400);
    ts.forEach((t) => t.set("up"));
    const t0 = Date.now();
    ts[1].set("down", "connection lost: ECONNRESET");
    expect(m.node("node2")?.state).toBe("suspect");
    expect(m.quorum().totalVotes).toBe(3); // not lost yet
    while (m.node("node2")?.state === "suspect" && Date.now() - t0 < 2000) await sleep(20);
    const took = Date.now() - t0;
    expect(m.node("node2")?.state).toBe("lost");
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(1000);
    expect(log.at(-1)).toMatch(/^lost node2/);
  });

  it("a connection back within host-timeout is no membership change", async () => {
    const { ts, log } = cluster(2, 400);
    ts.forEach((t) => t.set("up"));
    const before = m.ringId();
    ts[1].set("down", "sshd restarted");
    await sleep(100);
    ts[1].set("up");
    await sleep(450);
    expect(m.node("node2")?.state).toBe("online");
    expect(log.filter((l) => l.startsWith("lost"))).toEqual([]);
    expect(m.ringId()).toBe(before);
  });

  it("a host that rebooted is lost and joins again, even when it was back within host-timeout", async () => {
    const { ts, log } = cluster(2, 400);
    ts.forEach((t) => t.set("up"));
    ts[1].set("down", "connection lost: ECONNRESET");
    await sleep(50);
    ts[1].bootId = "boot-2"; // a fast reboot (fence_testbed reboot, a watchdog reset)
    ts[1].set("up");
    expect(log.filter((l) => !l.startsWith("quorum")).slice(-2)).toEqual(["lost node2: the host rebooted", "joined node2 (returning)"]);
    expect(m.node("node2")?.state).toBe("online");
    await sleep(450);
    expect(log.filter((l) => l.startsWith("lost"))).toHaveLength(1); // the suspect timer did not fire as well
  });

  it("a lost node that comes back joins as returning; losing two of three loses quorum", () => {
    const { ts, log } = cluster(3);
    ts.forEach((t) => t.set("up"));
    for (const t of [ts[1], ts[2]]) {
      t.lastHeardAt = 0;
      t.set("down", "gone");
    }
    expect(m.quorum().quorate).toBe(false);
    ts[1].set("up");
    expect(log).toContain("quorum lost");
    expect(log.at(-2)).toBe("joined node2 (returning)");
    expect(log.at(-1)).toBe("quorum gained");
    expect(m.ringId()).toMatch(/^1\.\d+$/);
  });

  it("refuses duplicate names and ids, and bad host-timeouts", () => {
    const { ts } = cluster(2);
    expect(() => m.add("node1", ts[0])).toThrow(/already a member/);
    expect(() => m.add("node9", new SwitchedTransport("node9"), { id: 2 })).toThrow(/id 2 of node9 is already used by node2/);
    expect(() => m.setHostTimeout(10)).toThrow(/host-timeout must be between 300 ms and 600 s/);
  });
});
