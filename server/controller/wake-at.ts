// A timer for a moment on the controller's clock, not "after N ms".
//
// setTimeout may fire a millisecond early (Node rounds timer deadlines), and
// the controller's clock need not run in step with the timers. A wake-up that
// is due at a whole second but runs just before it sees the previous second,
// which for failure-timeout means "not expired yet", and that wake-up is spent.

export interface WakeTimer {
  cancel(): void;
}

/** Call `fn` once, at the first timer tick at which `clock()` has reached `atMs`. */
export function wakeAt(clock: () => number, atMs: number, fn: () => void): WakeTimer {
  let t: NodeJS.Timeout | undefined;
  let cancelled = false;
  const tick = () => {
    if (cancelled) return;
    const left = atMs - clock();
    if (left > 0) {
      t = setTimeout(tick, Math.ceil(left));
      t.unref?.();
      return;
    }
    fn();
  };
  t = setTimeout(tick, Math.max(0, Math.ceil(atMs - clock())));
  t.unref?.();
  return {
    cancel() {
      cancelled = true;
      clearTimeout(t);
    },
  };
}
