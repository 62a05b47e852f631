// The controller's memory of what happened: cluster events and transition
// records, bounded in memory and appended to $STATE/history.jsonl so that an
// admin (and the console after a restart) can read the past. The file is
// rotated to history.jsonl.1 when it grows past a limit; on start the newest
// records are read back, and numbering continues after them.

import { appendFile, rename } from "node:fs/promises";
import { readFileSync, statSync } from "node:fs";
import type { ClusterEvent, TransitionRecord } from "./types";

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export class History {
  private readonly evs: ClusterEvent[] = [];
  private readonly trs: TransitionRecord[] = [];
  private readonly listeners = new Set<(ev: ClusterEvent) => void>();
  private seq = 0;
  private writeChain: Promise<void> = Promise.resolve();
  private bytes = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly limit = 500,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {
    if (file) this.loadTail(file);
  }

  /** the highest transition id read back from the file (-1 when none) */
  get lastTransitionId(): number {
    return this.trs.length ? Math.max(...this.trs.map((t) => t.id)) : -1;
  }

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
    this.append({ type: "transition", ...tr });
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
    this.writeChain = this.writeChain
      .then(async () => {
        if (this.bytes + line.length > this.maxBytes && this.bytes > 0) {
          await rename(file, file + ".1").catch(() => undefined);
          this.bytes = 0;
        }
        await appendFile(file, line, { mode: 0o600 });
        this.bytes += Buffer.byteLength(line);
      })
      .catch(() => undefined);
  }

  /** Read back the newest events and transitions (a torn last line, from a crash, is skipped). */
  private loadTail(file: string): void {
    let text: string;
    try {
      this.bytes = statSync(file).size;
      text = readFileSync(file, "utf8");
    } catch {
      return;
    }
    const evs: ClusterEvent[] = [];
    const trs: TransitionRecord[] = [];
    for (const line of text.split("\n")) {
      if (!line) continue;
      let o: { type?: string } & Record<string, unknown>;
      try {
        o = JSON.parse(line);
      } catch {
        continue;
      }
      const { type, ...rest } = o;
      if (type === "event" && typeof rest.seq === "number") evs.push(rest as unknown as ClusterEvent);
      else if (type === "transition" && typeof rest.id === "number" && rest.transition) trs.push(rest as unknown as TransitionRecord);
    }
    this.evs.push(...evs.slice(-this.limit));
    this.trs.push(...trs.slice(-this.limit));
    this.seq = evs.reduce((m, e) => Math.max(m, e.seq), 0);
  }
}
