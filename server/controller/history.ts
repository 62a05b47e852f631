// The controller's memory of what happened: cluster events and transition
// records, bounded in memory and appended to $STATE/history.jsonl so that an
// admin (and the console after a restart) can read the past.

import { appendFile } from "node:fs/promises";
import type { ClusterEvent, TransitionRecord } from "./types";

export class History {
  private readonly evs: ClusterEvent[] = [];
  private readonly trs: TransitionRecord[] = [];
  private readonly listeners = new Set<(ev: ClusterEvent) => void>();
  private seq = 0;
  private writeChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string | undefined,
    private readonly limit = 500,
  ) {}

  event(ev: Omit<ClusterEvent, "seq" | "at"> & { at?: number }): ClusterEvent {
    const full: ClusterEvent = { seq: ++this.seq, at: ev.at ?? Date.now(), ...ev } as ClusterEvent;
    this.evs.push(full);
    if (this.evs.length > this.limit) this.evs.splice(0, this.evs.length - this.limit);
    this.append({ type: "event", ...full });
    for (const l of this.listeners) {
      try {
        l(full);
      } catch {
        // a broken listener must not stop the controller
      }
    }
    return full;
  }

  /** Register a new transition record (kept by reference: the controller updates it as it runs). */
  addTransition(tr: TransitionRecord): void {
    this.trs.push(tr);
    if (this.trs.length > this.limit) this.trs.splice(0, this.trs.length - this.limit);
  }

  /** Persist a transition record once it has ended. */
  transitionEnded(tr: TransitionRecord): void {
    this.append({
      type: "transition",
      id: tr.id,
      startedAt: tr.startedAt,
      endedAt: tr.endedAt,
      trigger: tr.trigger,
      status: tr.status,
      summary: tr.summary,
      actions: tr.transition.actions.map((a) => ({ id: a.id, key: a.key, node: a.node, pseudo: a.pseudo })),
      results: tr.results,
    });
  }

  events(): ClusterEvent[] {
    return this.evs.slice();
  }

  transitions(): TransitionRecord[] {
    return this.trs.slice();
  }

  onEvent(l: (ev: ClusterEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** resolves when everything appended so far is on disk */
  flush(): Promise<void> {
    return this.writeChain;
  }

  private append(obj: unknown): void {
    if (!this.file) return;
    const line = JSON.stringify(obj) + "\n";
    const file = this.file;
    this.writeChain = this.writeChain.then(() => appendFile(file, line, { mode: 0o600 })).catch(() => undefined);
  }
}
