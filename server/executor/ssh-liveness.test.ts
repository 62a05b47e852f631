import { afterEach, describe, expect, it, vi } from "vitest";
import { heartbeatFor, Liveness, watchLiveness } from "./ssh-liveness";

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

describe("watchLiveness: the loss is declared when it is due, not at the next tick", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** a host that answers every keepalive 2 ms after it (ssh2's period restarts on each answer) until deadAt */
  function drive(live: Liveness, deadAt: number) {
    const { intervalMs } = heartbeatFor(live.timeoutMs);
    let lastAnswer = 0;
    const ping = () => {
      live.pingSent(Date.now());
      if (Date.now() + 2 < deadAt)
        setTimeout(() => {
          lastAnswer = Date.now();
          live.heard(lastAnswer);
          setTimeout(ping, intervalMs);
        }, 2);
      else setTimeout(ping, intervalMs); // unanswered: ssh2 keeps sending
    };
    setTimeout(ping, intervalMs);
    return () => lastAnswer;
  }

  it("a crashed host is lost exactly host-timeout after its last answer, for any crash phase", () => {
    for (const deadAt of [1000, 1130, 1249, 1251, 1400]) {
      vi.useFakeTimers({ now: 0 });
      const live = new Liveness(1000);
      live.connected(0);
      const lastAnswer = drive(live, deadAt);
      const lost: number[] = [];
      watchLiveness(live, (silentMs) => lost.push(Date.now(), silentMs));
      vi.advanceTimersByTime(deadAt + 2000);
      // due at last answer + 1000; the verdict waits one setImmediate (1 ms on the fake clock)
      expect(lost[0] - (lastAnswer() + 1000)).toBeGreaterThanOrEqual(0);
      expect(lost[0] - (lastAnswer() + 1000)).toBeLessThanOrEqual(1);
      expect(lost[1]).toBe(lost[0] - lastAnswer());
      vi.useRealTimers();
    }
  });

  it("a healthy host is never lost, and stop() ends the watch", () => {
    vi.useFakeTimers({ now: 0 });
    const live = new Liveness(1000);
    live.connected(0);
    drive(live, Infinity);
    const onLost = vi.fn();
    const stop = watchLiveness(live, onLost);
    vi.advanceTimersByTime(30000);
    expect(onLost).not.toHaveBeenCalled();
    stop();
    live.pingSent(Date.now());
    vi.useRealTimers();
  });

  it("an answer that comes just before the due time keeps the host (the timer re-arms from the new state)", () => {
    vi.useFakeTimers({ now: 0 });
    const live = new Liveness(1000);
    live.connected(0);
    setTimeout(() => live.pingSent(250), 250);
    setTimeout(() => live.heard(999), 999); // late answer: due moves to 1999
    const lost: number[] = [];
    watchLiveness(live, () => lost.push(Date.now()));
    setTimeout(() => live.pingSent(1249), 1249); // never answered
    vi.advanceTimersByTime(1998);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(lost).toHaveLength(1);
    expect(lost[0] === 1999 || lost[0] === 2000).toBe(true); // due 1999, plus the setImmediate
  });
});
