// ControllerTransport: a Transport for the controller's own machine, so the executor's stonith
// class (runAgentOp with standard "stonith") can run fence agents where the controller runs:
// power fencing from the management side, and the test bed's fence_testbed (root namespace).
//
//   const t = new ControllerTransport({ fenceDir: "/usr/sbin" });     // node "controller", always up
//   await runAgentOp(t, { standard: "stonith", type: "fence_ipmilan", action: "monitor", ... });
//
// Commands are child processes in their own process group; a timeout kills the group (runLocal).

import type { AgentPaths, RunRequest, RunResult, Transport, TransportState } from "../executor/types";
import { runLocal } from "./local-runner";

export class ControllerTransport implements Transport {
  readonly node: string;
  readonly kind = "local" as const;
  readonly agentPaths: AgentPaths;
  private closed = false;
  private listeners = new Set<(s: TransportState, reason?: string) => void>();

  constructor(opts: { node?: string; fenceDir?: string; agentPaths?: AgentPaths } = {}) {
    this.node = opts.node ?? "controller";
    this.agentPaths = { ...opts.agentPaths, ...(opts.fenceDir ? { fenceDir: opts.fenceDir } : {}) };
  }

  async connect(): Promise<void> {
    if (this.closed) {
      this.closed = false;
      for (const cb of this.listeners) cb("up");
    }
  }

  run(req: RunRequest): Promise<RunResult> {
    if (this.closed) return Promise.reject(new Error("controller transport is closed"));
    return runLocal(req);
  }

  state(): TransportState {
    return this.closed ? "down" : "up";
  }

  onStateChange(cb: (state: TransportState, reason?: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cb of this.listeners) cb("down", "closed");
  }
}
