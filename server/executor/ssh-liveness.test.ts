import { describe, expect, it } from "vitest";
import { heartbeatFor, Liveness } from "./ssh-liveness";

/**
 * A host that answers every keepalive after rttMs until `deadAt`; keepalives every interval
 * (ssh2 restarts its timer on each answer); the watchdog wakes as the transport's does.
 * Returns when the host was judged lost.
 */
function simulate(live: Liveness, opts: { deadAt: number; until: number; rttMs?: number; stall?: [number, number] }): number | undefined {
  const { intervalMs } = heartbeatFor(live.timeoutMs);
  let nextCheck = 0;
  const rtt = opts.rttMs ?? 2;
  live.connected(0);
  let nextPing = intervalMs;
  let pendingAnswer: number | undefined;
  for (let now = 0; now <= opts.until; now++) {
    const stalled = opts.stall && now >= opts.stall[0] && now < opts.stall[1];
    if (stalled) continue; // our event loop is blocked: nothing is sent, read or judged
    if (pendingAnswer !== undefined && now >= pendingAnswer) {
      live.heard(now);
      pendingAnswer = undefined;
      nextPing = now + intervalMs;
    }
    if (now >= nextPing) {
      live.pingSent(now);
      if (now + rtt < opts.deadAt) pendingAnswer = now + rtt;
      nextPing = now + intervalMs;
    }
    // the transport's watchdog: sleep until due, then judge
    if (now >= nextCheck) {
      if (live.verdict(now).lost) return now;
      nextCheck = now + Math.max(5, live.msUntilDue(now));
    }
  }
  return undefined;
}

describe("Liveness: when a silent host is lost", () => {
  it("keepalive every host-timeout/4, checked several times per period", () => {
    expect(heartbeatFor(1000)).toEqual({ intervalMs: 250, checkEveryMs: 62 });
    expect(heartbeatFor(300).intervalMs).toBe(75);
  });

  it("a crashed host is lost between 0.75 and 1.0 x host-timeout after the crash", () => {
    for (const crashAt of [1000, 1100, 1200, 1249, 1300]) {
      const live = new Liveness(1000);
      const lostAt = simulate(live, { deadAt: crashAt, until: 5000 })!;
      expect(lostAt).toBeDefined();
      expect(lostAt - crashAt).toBeGreaterThanOrEqual(1000 - 250 - 3);
      expect(lostAt - crashAt).toBeLessThanOrEqual(1000 + 5);
    }
  });

  it("a healthy host is never lost, even with slow answers (up to the keepalive period)", () => {
    expect(simulate(new Liveness(1000), { deadAt: Infinity, until: 20000, rttMs: 240 })).toBeUndefined();
  });

  it("our own stall longer than host-timeout does not lose a healthy host: its answer is waited for after the stall", () => {
    // the event loop is blocked for 3 s; no keepalive goes out meanwhile
    expect(simulate(new Liveness(1000), { deadAt: Infinity, until: 10000, stall: [2000, 5000] })).toBeUndefined();
  });

  it("a host that dies during our stall is lost host-timeout - interval after our next keepalive", () => {
    const lostAt = simulate(new Liveness(1000), { deadAt: 2500, until: 10000, stall: [2000, 5000] })!;
    expect(lostAt).toBeGreaterThanOrEqual(5000 + 750);
    expect(lostAt).toBeLessThanOrEqual(5000 + 750 + 5);
  });

  it("silence without an outstanding keepalive is not a loss (nothing asked, nothing missed)", () => {
    const live = new Liveness(1000);
    live.connected(0);
    expect(live.verdict(5000)).toEqual({ lost: false });
    live.pingSent(5000);
    expect(live.verdict(5500)).toEqual({ lost: false });
    expect(live.verdict(5750)).toEqual({ lost: true, silentMs: 5750 });
    live.heard(5760);
    expect(live.verdict(6500)).toEqual({ lost: false });
    // the keepalive that should have gone out at 6010 was not sent yet: it gets its full 750 ms once sent
    expect(live.msUntilDue(6500)).toBe(750);
  });

  it("the watchdog sleeps until the loss is possible, not in fixed ticks", () => {
    const live = new Liveness(1000);
    live.connected(0);
    expect(live.msUntilDue(0)).toBe(1000);
    live.pingSent(250);
    live.heard(252);
    expect(live.msUntilDue(300)).toBe(952);
    live.pingSent(502);
    expect(live.msUntilDue(1252)).toBe(0);
  });
});
