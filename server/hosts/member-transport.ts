// MemberTransport: a host's transport as the controller and executor see it.
//
// The controller treats a transport's "down" as "node lost" (and, with
// stonith-enabled, fences it). A raw SshTransport goes down the moment its TCP
// connection drops, e.g. when sshd restarts on a healthy host. Membership
// (server/membership) adds the host-timeout grace ("suspect"), so this wrapper
// reports the *membership* state: up while the member is online or suspect,
// down once it is lost. Commands are passed through unchanged; a run during the
// suspect window fails fast with HostDownError (NOT_CONNECTED for the executor),
// so nothing is recorded for it.
//
// Fence devices whose agent lives on the controller's machine (found by
// localFenceAgent, the same folders the fencer runs agents from) are started and
// monitored from there too, whichever host the stonith resource is placed on:
// power fencing is done from the management side, and the host may not even have
// the agent (the test bed's fence_testbed only works from the root namespace).

import type { AgentPaths, RunRequest, RunResult, Transport, TransportState } from "../executor/types";
import type { Membership } from "../membership/membership";
import { runLocal } from "../fencing/local-runner";

export interface MemberTransportOptions {
  /** the local path of a fence agent by name, when it should run on the controller */
  localFenceAgent?: (name: string) => string | undefined;
}

export class MemberTransport implements Transport {
  readonly kind: "local" | "ssh";
  private last: TransportState;
  private readonly listeners = new Set<(s: TransportState, reason?: string) => void>();
  private readonly unsub: () => void;

  constructor(
    readonly inner: Transport,
    private readonly membership: Membership,
    private readonly opts: MemberTransportOptions = {},
  ) {
    this.kind = inner.kind;
    this.last = this.state();
    this.unsub = membership.on("change", () => this.check());
  }

  get node(): string {
    return this.inner.node;
  }

  get agentPaths(): AgentPaths | undefined {
    return this.inner.agentPaths;
  }

  state(): TransportState {
    const m = this.membership.node(this.inner.node);
    if (!m) return this.inner.state();
    if (m.state === "online" || m.state === "suspect") return "up";
    return this.inner.state() === "connecting" && m.state === "offline" ? "connecting" : "down";
  }

  private check(): void {
    const s = this.state();
    if (s === this.last) return;
    this.last = s;
    const reason = this.membership.node(this.inner.node)?.reason;
    for (const cb of [...this.listeners]) {
      try {
        cb(s, reason);
      } catch {
        /* a listener's bug must not stop membership */
      }
    }
  }

  onStateChange(cb: (state: TransportState, reason?: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async connect(): Promise<void> {
    try {
      await this.inner.connect();
    } finally {
      this.check();
    }
  }

  run(req: RunRequest): Promise<RunResult> {
    const fenceDir = this.inner.agentPaths?.fenceDir ?? "/usr/sbin";
    const a0 = req.argv[0] ?? "";
    if (this.opts.localFenceAgent && a0.startsWith(fenceDir + "/") && /^fence_[A-Za-z0-9_.+-]+$/.test(a0.slice(fenceDir.length + 1))) {
      const local = this.opts.localFenceAgent(a0.slice(fenceDir.length + 1));
      if (local) return runLocal({ ...req, argv: [local, ...req.argv.slice(1)] });
    }
    return this.inner.run(req);
  }

  /** stops following membership and closes the SSH connection */
  async close(): Promise<void> {
    this.unsub();
    this.listeners.clear();
    await this.inner.close();
  }
}
