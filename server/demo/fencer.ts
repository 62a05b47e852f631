// Fencing for the embedded demo: a local host is "powered off" by crashing it
// (every process of the host killed, its /run wiped) and powered on by
// reviving it. Real clusters use stonith devices (server/fencing).

import type { LocalTransport } from "../executor/local-transport";
import type { Fencer, FenceResult } from "../controller/ports";

export class LocalHostFencer implements Fencer {
  constructor(
    private readonly hosts: Map<string, LocalTransport>,
    /** how long a rebooted host stays off [500 ms] */
    private readonly offMs = 500,
  ) {}

  async fence(node: string, action: "reboot" | "off" | "on"): Promise<FenceResult> {
    const t = this.hosts.get(node);
    if (!t) return { ok: false, message: `no local host ${node}` };
    if (action === "on") {
      await t.revive();
      return { ok: true };
    }
    t.crash(`fenced (${action})`);
    if (action === "reboot") {
      // the host comes back after a short power-off; the result is reported when it is off
      setTimeout(() => void t.revive().catch(() => undefined), this.offMs).unref?.();
    }
    return { ok: true };
  }
}
