// VIGIL_SIMULATE_TIMING=1: `vigil simulate` prints how long each phase took on stderr, so
// that bench/scheduler.ts can show where the time of a whole CLI run goes (start-up, read,
// parse, schedule, output ...): wall ms per phase and, in brackets, the process's CPU ms.
// Off by default: then every call is a no-op.
import { PerformanceObserver, performance } from "node:perf_hooks";

export interface PhaseTimer {
  /** ends the running phase (if any) under `name`: the time since the previous mark */
  phase(name: string): void;
  /** the timing line (after the garbage collector's pauses have been delivered), or "" when off */
  report(): Promise<string>;
}

/** process CPU time (all threads: the garbage collector's helpers too) in ms */
function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

const OFF: PhaseTimer = { phase() {}, report: async () => "" };

/** The line's prefix; bench/scheduler.ts looks for it. */
export const TIMING_PREFIX = "vigil simulate timing:";

/**
 * A timer whose first mark is the time since the process started (node's own bootstrap,
 * then loading the CLI), split at the end of node's bootstrap.
 */
export function phaseTimer(enabled: boolean): PhaseTimer {
  if (!enabled) return OFF;
  const cpu0 = process.cpuUsage();
  let gcMs = 0;
  let gcPauses = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcPauses++;
    }
  });
  gc.observe({ entryTypes: ["gc"] });
  const boot = performance.nodeTiming.bootstrapComplete;
  let last = performance.now();
  let lastCpu = cpuMs(cpu0);
  const parts: string[] = [`node ${boot.toFixed(1)}`, `load ${(last - boot).toFixed(1)}`];
  return {
    phase(name) {
      const t = performance.now();
      const c = cpuMs(process.cpuUsage());
      parts.push(`${name} ${(t - last).toFixed(1)} (cpu ${(c - lastCpu).toFixed(0)})`);
      last = t;
      lastCpu = c;
    },
    async report() {
      const total = performance.now();
      const cpu = cpuMs(process.cpuUsage());
      // gc entries arrive as a task on the event loop, after the synchronous work
      await new Promise((r) => setTimeout(r, 0));
      gc.disconnect();
      return (
        `${TIMING_PREFIX} ${parts.join(", ")}; total ${total.toFixed(1)} ms ` +
        `(cpu ${cpu.toFixed(0)} ms, ${cpuMs(cpu0).toFixed(0)} of it before the first mark; ` +
        `gc pauses ${gcMs.toFixed(1)} ms in ${gcPauses} after it)\n`
      );
    },
  };
}
