// Executes one transition graph: an action is dispatched once every action
// ordered before it (its inputs) has completed; at most `batchLimit` real
// actions are in flight at a time; pseudo actions complete as soon as their
// inputs have. After abort() nothing new is dispatched, the actions already
// running finish, and the run ends as "aborted".

import type { Action, Transition } from "../scheduler/types";

export type GraphOutcome = "complete" | "aborted" | "failed";

export interface ActionOutcome {
  /** the result was what the transition expected */
  ok: boolean;
}

export interface GraphRunOptions {
  batchLimit: number;
  /** runs one real action; resolves when its result is known (never rejects: errors are results) */
  dispatch: (action: Action) => Promise<ActionOutcome>;
  /** called when a pseudo action completes (for the record) */
  onPseudo?: (action: Action) => void;
}

export class GraphRun {
  private readonly byId = new Map<number, Action>();
  private readonly inputs = new Map<number, Set<number>>();
  private readonly outputs = new Map<number, number[]>();
  private readonly done = new Set<number>();
  private readonly started = new Set<number>();
  private inFlight = 0;
  private aborted = false;
  private failedAction = false;
  private finished = false;
  private resolve!: (o: GraphOutcome) => void;
  readonly result: Promise<GraphOutcome>;
  /** why the run was aborted (first reason) */
  abortReason?: string;

  constructor(
    readonly transition: Transition,
    private readonly opts: GraphRunOptions,
  ) {
    for (const a of transition.actions) {
      this.byId.set(a.id, a);
      this.inputs.set(a.id, new Set());
      this.outputs.set(a.id, []);
    }
    for (const e of transition.edges) {
      // an edge naming an action outside the graph constrains nothing
      if (!this.byId.has(e.first) || !this.byId.has(e.then) || e.first === e.then) continue;
      this.inputs.get(e.then)!.add(e.first);
      this.outputs.get(e.first)!.push(e.then);
    }
    this.result = new Promise((r) => (this.resolve = r));
  }

  /** Begin dispatching. Returns the outcome promise. */
  start(): Promise<GraphOutcome> {
    queueMicrotask(() => this.pump());
    return this.result;
  }

  /** Stop dispatching new actions; running ones finish. */
  abort(reason: string): void {
    if (this.finished) return;
    if (!this.aborted) this.abortReason = reason;
    this.aborted = true;
    this.pump();
  }

  get isAborted(): boolean {
    return this.aborted;
  }

  get completedCount(): number {
    return this.done.size;
  }

  get running(): number {
    return this.inFlight;
  }

  private ready(id: number): boolean {
    for (const i of this.inputs.get(id)!) if (!this.done.has(i)) return false;
    return true;
  }

  private pump(): void {
    if (this.finished) return;
    if (!this.aborted) {
      // complete pseudo actions first: they cost nothing and may unblock real ones
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const a of this.transition.actions) {
          if (this.started.has(a.id) || !a.pseudo || !this.ready(a.id)) continue;
          this.started.add(a.id);
          this.done.add(a.id);
          this.opts.onPseudo?.(a);
          progressed = true;
        }
      }
      const limit = this.opts.batchLimit > 0 ? this.opts.batchLimit : Number.POSITIVE_INFINITY;
      for (const a of this.transition.actions) {
        if (this.inFlight >= limit) break;
        if (this.started.has(a.id) || a.pseudo || !this.ready(a.id)) continue;
        this.started.add(a.id);
        this.inFlight++;
        void this.run(a);
      }
    }
    if (this.inFlight === 0) {
      if (this.aborted) return this.finish("aborted");
      if (this.done.size === this.transition.actions.length) return this.finish(this.failedAction ? "failed" : "complete");
      // nothing running, nothing runnable, not all done: the graph cannot progress (a cycle)
      this.abortReason = "transition graph cannot progress (ordering loop)";
      return this.finish("failed");
    }
  }

  private async run(a: Action): Promise<void> {
    let outcome: ActionOutcome;
    try {
      outcome = await this.opts.dispatch(a);
    } catch {
      outcome = { ok: false };
    }
    this.inFlight--;
    this.done.add(a.id);
    if (!outcome.ok) {
      this.failedAction = true;
      if (!this.aborted) {
        this.aborted = true;
        this.abortReason = `unexpected result of ${a.key}${a.node ? ` on ${a.node}` : ""}`;
      }
    }
    this.pump();
  }

  private finish(o: GraphOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.resolve(o);
  }
}
