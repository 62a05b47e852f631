// The executor the controller drives: one Transport per node, a per-node
// concurrency limit with a FIFO queue, and recurring operations that report to
// the controller only when their result changes (as Pacemaker's executor does).
// It knows nothing about SSH or local hosts: anything that implements
// Transport works.

import type { AgentOp, AgentPaths, OpResult, Transport, TransportState } from "./types";
import { OcfRc, OpStatus } from "./types";
import { runAgentOp } from "./agents";

export interface ExecutorOptions {
  /** operations run at once per node; more wait in a queue [4] */
  nodeLimit?: number;
  /** agent path overrides for every node (tests); the transport's own agentPaths otherwise */
  paths?: AgentPaths;
}

export type RecurringCallback = (result: OpResult, op: AgentOp) => void;

export interface RecurringInfo {
  node: string;
  rsc: string;
  action: string;
  intervalMs: number;
  /** rc of the last completed run (undefined before the first) */
  lastRc?: number;
  lastOpStatus?: number;
  runs: number;
}

interface Pending {
  op: AgentOp;
  enqueuedAt: number;
  settled: boolean;
  resolve: (r: OpResult) => void;
  signal?: AbortSignal;
}

interface Recurring {
  node: string;
  op: AgentOp;
  cb: RecurringCallback;
  cancelled: boolean;
  timer?: NodeJS.Timeout;
  running: boolean;
  /** the interval elapsed while the node was down: run when it comes back */
  due: boolean;
  last?: { rc: number; opStatus: number };
  runs: number;
  /** cancels the run in flight (its agent is killed on the host) */
  inFlight?: AbortController;
}

interface NodeSlot {
  t: Transport;
  running: Set<Pending>;
  queue: Pending[];
  recurring: Map<string, Recurring>;
  unsubscribe: () => void;
}

const recurringKey = (rsc: string, action: string, intervalMs: number) => `${rsc}\u0000${action}\u0000${intervalMs}`;

export class Executor {
  private nodesMap = new Map<string, NodeSlot>();
  private limit: number;
  private readonly paths?: AgentPaths;

  constructor(opts: ExecutorOptions = {}) {
    this.limit = Math.max(1, opts.nodeLimit ?? 4);
    this.paths = opts.paths;
  }

  /**
   * Register a node's transport. Replacing an earlier transport of the same
   * node ends the old one's pending operations (NOT_CONNECTED) but keeps the
   * node's recurring operations, which continue on the new transport.
   */
  addTransport(t: Transport): void {
    const old = this.nodesMap.get(t.node);
    const slot: NodeSlot = {
      t,
      running: new Set(),
      queue: [],
      recurring: old?.recurring ?? new Map(),
      unsubscribe: () => {},
    };
    if (old) {
      old.unsubscribe();
      this.failPending(old, `the transport of ${t.node} was replaced`);
    }
    slot.unsubscribe = t.onStateChange((s, reason) => this.onState(slot, s, reason));
    this.nodesMap.set(t.node, slot);
    if (old) {
      for (const r of slot.recurring.values()) {
        if (r.due && !r.running && !r.cancelled) void this.runRecurring(r);
      }
    }
  }

  /** Forget a node: its recurring operations stop, pending operations end NOT_CONNECTED. The transport is not closed. */
  removeTransport(node: string): Transport | undefined {
    const slot = this.nodesMap.get(node);
    if (!slot) return undefined;
    this.cancelAll(node);
    this.failPending(slot, `node ${node} was removed`);
    slot.unsubscribe();
    this.nodesMap.delete(node);
    return slot.t;
  }

  transport(node: string): Transport | undefined {
    return this.nodesMap.get(node)?.t;
  }

  nodes(): string[] {
    return [...this.nodesMap.keys()];
  }

  setNodeLimit(n: number): void {
    this.limit = Math.max(1, Math.floor(n));
    for (const slot of this.nodesMap.values()) this.drain(slot);
  }

  /** operations running and queued on a node */
  load(node: string): { running: number; queued: number } {
    const slot = this.nodesMap.get(node);
    return { running: slot?.running.size ?? 0, queued: slot?.queue.length ?? 0 };
  }

  /**
   * Run one operation on a node. Never rejects: a node that is down or goes down gives opStatus
   * NOT_CONNECTED; an aborted `signal` gives CANCELLED (and the agent is killed on the host).
   */
  exec(node: string, op: AgentOp, opts: { signal?: AbortSignal } = {}): Promise<OpResult> {
    const slot = this.nodesMap.get(node);
    const now = Date.now();
    if (!slot) return Promise.resolve(notConnected(now, 0, `unknown node ${node}`));
    if (slot.t.state() === "down") return Promise.resolve(notConnected(now, 0, `node ${node} is down`));
    return new Promise<OpResult>((resolve) => {
      slot.queue.push({ op, enqueuedAt: now, settled: false, resolve, signal: opts.signal });
      this.drain(slot);
    });
  }

  /**
   * Run `op` now and then every op.intervalMs (counted from the end of each
   * run); call `onResult` for the first result and then only when rc or
   * op-status change. Replaces a recurring op with the same rsc, action and interval.
   */
  startRecurring(node: string, op: AgentOp, onResult: RecurringCallback): void {
    if (!(op.intervalMs > 0)) throw new Error(`recurring ${op.action} of ${op.rsc} needs an interval above 0`);
    const slot = this.nodesMap.get(node);
    if (!slot) throw new Error(`unknown node ${node}`);
    const key = recurringKey(op.rsc, op.action, op.intervalMs);
    const old = slot.recurring.get(key);
    if (old) this.stopRecurring(old);
    const r: Recurring = { node, op, cb: onResult, cancelled: false, running: false, due: false, runs: 0 };
    slot.recurring.set(key, r);
    void this.runRecurring(r);
  }

  /** Stop the recurring ops of rsc with this interval on node. No callback follows. Returns whether one existed. */
  cancelRecurring(node: string, rsc: string, intervalMs: number): boolean {
    const slot = this.nodesMap.get(node);
    if (!slot) return false;
    let found = false;
    for (const [key, r] of slot.recurring) {
      if (r.op.rsc === rsc && r.op.intervalMs === intervalMs) {
        this.stopRecurring(r);
        slot.recurring.delete(key);
        found = true;
      }
    }
    return found;
  }

  /** Stop every recurring op on node (or only those of rsc). Returns how many. */
  cancelAll(node: string, rsc?: string): number {
    const slot = this.nodesMap.get(node);
    if (!slot) return 0;
    let n = 0;
    for (const [key, r] of slot.recurring) {
      if (rsc !== undefined && r.op.rsc !== rsc) continue;
      this.stopRecurring(r);
      slot.recurring.delete(key);
      n++;
    }
    return n;
  }

  recurring(node?: string): RecurringInfo[] {
    const out: RecurringInfo[] = [];
    for (const [name, slot] of this.nodesMap) {
      if (node !== undefined && name !== node) continue;
      for (const r of slot.recurring.values()) {
        out.push({
          node: name,
          rsc: r.op.rsc,
          action: r.op.action,
          intervalMs: r.op.intervalMs,
          lastRc: r.last?.rc,
          lastOpStatus: r.last?.opStatus,
          runs: r.runs,
        });
      }
    }
    return out;
  }

  /** Stop all recurring ops and end every pending op (NOT_CONNECTED). Transports stay open. */
  stop(): void {
    for (const node of [...this.nodesMap.keys()]) this.removeTransport(node);
  }

  // ------------------------------------------------------------ internals

  private drain(slot: NodeSlot): void {
    while (slot.running.size < this.limit && slot.queue.length && slot.t.state() !== "down") {
      const p = slot.queue.shift()!;
      const queueMs = Date.now() - p.enqueuedAt;
      if (p.signal?.aborted) {
        // cancelled while it waited: it never runs
        p.settled = true;
        p.resolve({ ...notConnected(Date.now(), queueMs, `${p.op.action} of ${p.op.rsc} was cancelled`), opStatus: OpStatus.CANCELLED });
        continue;
      }
      slot.running.add(p);
      runAgentOp(slot.t, p.op, { queueMs, paths: this.paths, signal: p.signal })
        .catch((e: unknown) => notConnected(Date.now(), queueMs, `${slot.t.node}: ${(e as Error).message}`))
        .then((res) => {
          slot.running.delete(p);
          if (!p.settled) {
            p.settled = true;
            p.resolve(res);
          }
          this.drain(slot);
        });
    }
  }

  private failPending(slot: NodeSlot, reason: string): void {
    const now = Date.now();
    for (const p of [...slot.queue, ...slot.running]) {
      if (p.settled) continue;
      p.settled = true;
      p.resolve(notConnected(now, now - p.enqueuedAt, reason));
    }
    slot.queue = [];
    // running ones stay in `running` until the transport returns, so the limit holds
  }

  private onState(slot: NodeSlot, s: TransportState, reason?: string): void {
    if (this.nodesMap.get(slot.t.node) !== slot) return;
    if (s === "down") {
      this.failPending(slot, `node ${slot.t.node} went down${reason ? ` (${reason})` : ""}`);
    } else if (s === "up") {
      this.drain(slot);
      for (const r of slot.recurring.values()) {
        if (r.due && !r.running && !r.cancelled) void this.runRecurring(r);
      }
    }
  }

  private stopRecurring(r: Recurring): void {
    r.cancelled = true;
    clearTimeout(r.timer);
    // a run in flight (e.g. a monitor hanging on the host) is killed now, as Pacemaker's executor does
    r.inFlight?.abort();
    r.inFlight = undefined;
  }

  private async runRecurring(r: Recurring): Promise<void> {
    if (r.cancelled) return;
    const slot = this.nodesMap.get(r.node);
    if (!slot) return;
    if (slot.t.state() === "down") {
      r.due = true; // resume when the node is back
      return;
    }
    r.due = false;
    r.running = true;
    const ac = new AbortController();
    r.inFlight = ac;
    const res = await this.exec(r.node, r.op, { signal: ac.signal });
    if (r.inFlight === ac) r.inFlight = undefined;
    r.running = false;
    if (r.cancelled) return;
    if (res.opStatus === OpStatus.NOT_CONNECTED) {
      // the node is gone, not the resource: wait for it instead of reporting
      const cur = this.nodesMap.get(r.node);
      if (!cur) return;
      if (cur.t.state() === "down") {
        r.due = true;
        return;
      }
      if (cur !== slot) {
        void this.runRecurring(r); // the transport was replaced meanwhile: run on the new one now
        return;
      }
      // a passing transport error while up: try again after the interval
    } else {
      r.runs++;
      const changed = !r.last || r.last.rc !== res.rc || r.last.opStatus !== res.opStatus;
      r.last = { rc: res.rc, opStatus: res.opStatus };
      if (changed) {
        try {
          r.cb(res, r.op);
        } catch {
          /* the callback's failure must not stop monitoring */
        }
      }
      if (r.cancelled) return;
    }
    r.timer = setTimeout(() => void this.runRecurring(r), r.op.intervalMs);
  }
}

function notConnected(now: number, queueMs: number, reason: string): OpResult {
  return {
    rc: OcfRc.ERR_GENERIC,
    opStatus: OpStatus.NOT_CONNECTED,
    exitReason: reason,
    output: "",
    stderr: "",
    startedAt: now,
    execMs: 0,
    queueMs,
  };
}
