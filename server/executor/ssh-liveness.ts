// When is a host silent long enough to be lost? The SSH transport's own heartbeat judge.
//
//   const live = new Liveness(1000);            // host-timeout 1000 ms
//   live.connected(now);  live.heard(now);  live.pingSent(now);
//   live.verdict(now)    // { lost: false } | { lost: true, silentMs }
//
// ssh2 sends a keepalive (keepalive@openssh.com) every heartbeatFor(T).intervalMs; the host
// answers each one, and any packet from the host counts as a sign of life. A host is lost when
// BOTH hold:
//   1. nothing was heard from it for host-timeout T, and
//   2. a keepalive has been waiting for its answer for at least T - interval.
// Rule 2 is what keeps a busy controller from fencing a healthy host: when our own event loop
// was blocked (a big CIB, GC, a loaded CI machine), no keepalive went out meanwhile, so the
// silence is ours, not the host's; the host then gets a fresh T - interval after our next
// keepalive. The transport also judges only after pending socket input was read (setImmediate),
// so answers that arrived during a stall count.
//
// Detection time after a crash: T - (time since the last answer), i.e. between T - interval
// and T; the transport's watchdog sleeps until msUntilDue() and judges then.

/** default `host-timeout` (docs/hosts-integration.md: why 1000 ms) */
export const DEFAULT_HOST_TIMEOUT_MS = 1000;

export interface Heartbeat {
  /** keepalive period */
  intervalMs: number;
  /** how often the transport looks at the verdict */
  checkEveryMs: number;
}

/** keepalive every host-timeout/4 (at least 50 ms): 3-4 unanswered keepalives before a loss */
export function heartbeatFor(hostTimeoutMs: number): Heartbeat {
  const intervalMs = Math.max(50, Math.floor(hostTimeoutMs / 4));
  return { intervalMs, checkEveryMs: Math.max(20, Math.floor(intervalMs / 4)) };
}

export type Verdict = { lost: false } | { lost: true; silentMs: number };

export class Liveness {
  private lastHeard = 0;
  /** first keepalive sent after the last sign of life (0: none outstanding) */
  private firstUnanswered = 0;

  constructor(private hostTimeoutMs: number) {}

  setHostTimeout(ms: number): void {
    this.hostTimeoutMs = ms;
  }

  get timeoutMs(): number {
    return this.hostTimeoutMs;
  }

  connected(now: number): void {
    this.lastHeard = now;
    this.firstUnanswered = 0;
  }

  heard(now: number): void {
    this.lastHeard = now;
    this.firstUnanswered = 0;
  }

  pingSent(now: number): void {
    if (!this.firstUnanswered) this.firstUnanswered = now;
  }

  get lastHeardAt(): number {
    return this.lastHeard;
  }

  /** ms until the verdict can turn to lost at the earliest (the watchdog sleeps that long; 0: judge now) */
  msUntilDue(now: number): number {
    const { intervalMs } = heartbeatFor(this.hostTimeoutMs);
    const bySilence = this.lastHeard + this.hostTimeoutMs;
    // no keepalive outstanding yet: one goes out within an interval at the latest
    const byPing = (this.firstUnanswered || Math.max(now, this.lastHeard + intervalMs)) + this.hostTimeoutMs - intervalMs;
    return Math.max(0, Math.max(bySilence, byPing) - now);
  }

  verdict(now: number): Verdict {
    const silent = now - this.lastHeard;
    if (silent < this.hostTimeoutMs || !this.firstUnanswered) return { lost: false };
    const { intervalMs } = heartbeatFor(this.hostTimeoutMs);
    if (now - this.firstUnanswered < this.hostTimeoutMs - intervalMs) return { lost: false };
    return { lost: true, silentMs: silent };
  }
}

/**
 * The transport's watchdog: one timer, armed for the earliest moment the verdict can turn to
 * lost (last answer + host-timeout, or the keepalive rule), and re-armed from the current
 * state when it fires early (answers that came meanwhile move the due time; they do not touch
 * the timer, so a busy connection costs no timer churn). The verdict is taken after pending
 * socket input is read (setImmediate), so answers that waited behind our own stall count.
 * Returns stop().
 */
export function watchLiveness(live: Liveness, onLost: (silentMs: number) => void): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const arm = (ms: number) => {
    timer = setTimeout(check, Math.max(1, ms));
    timer.unref?.();
  };
  const check = () => {
    timer = null;
    if (stopped) return;
    const due = live.msUntilDue(Date.now());
    if (due > 0) return arm(due);
    setImmediate(() => {
      if (stopped) return;
      const v = live.verdict(Date.now());
      if (!v.lost) return arm(live.msUntilDue(Date.now()));
      stopped = true;
      onLost(v.silentMs);
    });
  };
  arm(live.msUntilDue(Date.now()));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
