// What the controller needs from the parts around it, as small interfaces:
// the executor (run one agent operation; keep recurring monitors), the fencer
// and the CIB store. The real parts (server/executor, server/fencing,
// server/cib/store) are adapted to these in start.ts; the graph walker's unit
// tests use them too.

import type { Cib } from "../cib/types";
import type { AgentOp, OpResult } from "../executor/types";

export interface OpExecutor {
  /** Run one operation on a node. Never rejects: transport trouble is an OpResult with opStatus NOT_CONNECTED / ERROR. */
  exec(node: string, op: AgentOp): Promise<OpResult>;
  /**
   * Keep running a recurring operation (interval op.intervalMs) after `initial`,
   * calling onChange only when the result (rc / op-status) differs from the previous one.
   */
  startRecurring(node: string, op: AgentOp, initial: OpResult, onChange: (r: OpResult) => void): void;
  /** Stop a recurring operation; no report arrives for it afterwards. */
  cancelRecurring(node: string, rsc: string, action: string, intervalMs: number): void;
  /** Stop all recurring operations (controller stop). */
  close(): Promise<void>;
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
  load(): Promise<Cib | undefined>;
  save(cib: Cib): Promise<void>;
}
