// What the controller needs from the parts around it, as small interfaces:
// the executor (run one agent operation; keep recurring monitors), the fencer
// and the CIB store. The real parts (server/executor, server/fencing,
// server/cib/store) are adapted to these in start.ts; the graph walker's unit
// tests use them too.

import type { Cib } from "../cib/types";
import type { AgentOp, OpResult, Transport } from "../executor/types";

/** The executor as the controller uses it (server/executor/executor.ts Executor has this shape). */
export interface OpExecutor {
  /** Run one operation on a node. Never rejects: a node that is down gives opStatus NOT_CONNECTED. */
  exec(node: string, op: AgentOp): Promise<OpResult>;
  /**
   * Run a recurring operation now and then every op.intervalMs; call onResult
   * with the first result and afterwards only when rc or op-status change.
   * While the node is down nothing is reported.
   */
  startRecurring(node: string, op: AgentOp, onResult: (r: OpResult, op: AgentOp) => void): void;
  /** Stop a recurring operation; no report arrives for it afterwards. */
  cancelRecurring(node: string, rsc: string, intervalMs: number): boolean;
  /** Stop all recurring operations and end pending ones (controller stop). */
  stop(): void;
  /** hosts added / removed at runtime (Executor has these) */
  transport?(node: string): Transport | undefined;
  addTransport?(t: Transport): void;
  removeTransport?(node: string): Transport | undefined;
}

export interface FenceResult {
  ok: boolean;
  message?: string;
}

/** Fences a node (stonith actions of the graph). server/fencing provides the real one; the demo power-cycles a local host. */
export interface Fencer {
  fence(node: string, action: "reboot" | "off" | "on"): Promise<FenceResult>;
}

/** Persistence of the CIB (server/cib/store.ts CibStore does atomic writes and backups). */
export interface CibPersistence {
  load(): Cib | undefined | Promise<Cib | undefined>;
  save(cib: Cib): Promise<void>;
}
