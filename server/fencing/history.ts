// Fencing history: one record per fencing request, for `vigil stonith history`, the
// "Fencing History:" section of `vigil status --full`, the console and the event log.
//
//   const h = new FenceHistory({ limit: 500 });
//   const rec = h.begin({ target: "node2", action: "reboot", origin: "controller", client: "vigil-controller" });
//   h.finish(rec.id, { state: "success", delegate: "controller", device: "fence1" });
//   h.list(); h.forTarget("node2"); h.onChange(cb); h.load(records) / h.toJSON() (persisted by the controller)
//   formatFencingHistory(h.list(), { full: true })   // crm_mon 2.1 lines ("  * reboot of node2 successful: ...")
//   formatStonithHistory(h.list())                   // stonith_admin --history lines

export type FenceState = "pending" | "success" | "failed";

export interface FenceAttempt {
  device: string;
  /** "controller" or the host that ran the agent */
  via: string;
  rc: number | null;
  timedOut: boolean;
  output: string;
  startedAt: number;
  durationMs: number;
}

export interface FenceRecord {
  id: number;
  target: string;
  action: string;
  state: FenceState;
  /** who asked: "controller" (the DC) or a user ("cli:alice") */
  origin: string;
  client: string;
  /** where the successful (or last) agent ran: "controller" or a host name */
  delegate?: string;
  device?: string;
  requestedAt: number;
  completedAt?: number;
  /** why it failed, in words */
  error?: string;
  attempts: FenceAttempt[];
}

export class FenceHistory {
  private records: FenceRecord[] = [];
  private seq = 0;
  private readonly limit: number;
  private listeners = new Set<(r: FenceRecord) => void>();

  constructor(opts: { limit?: number } = {}) {
    this.limit = opts.limit ?? 500;
  }

  begin(r: { target: string; action: string; origin: string; client: string; at?: number }): FenceRecord {
    const rec: FenceRecord = { id: ++this.seq, target: r.target, action: r.action, origin: r.origin, client: r.client, state: "pending", requestedAt: r.at ?? Date.now(), attempts: [] };
    this.records.push(rec);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    this.notify(rec);
    return rec;
  }

  attempt(id: number, a: FenceAttempt): void {
    const rec = this.get(id);
    if (!rec) return;
    rec.attempts.push(a);
    this.notify(rec);
  }

  finish(id: number, r: { state: "success" | "failed"; delegate?: string; device?: string; error?: string; at?: number }): FenceRecord | undefined {
    const rec = this.get(id);
    if (!rec) return undefined;
    rec.state = r.state;
    rec.delegate = r.delegate ?? rec.delegate;
    rec.device = r.device ?? rec.device;
    rec.error = r.error;
    rec.completedAt = r.at ?? Date.now();
    this.notify(rec);
    return rec;
  }

  get(id: number): FenceRecord | undefined {
    return this.records.find((r) => r.id === id);
  }

  list(): FenceRecord[] {
    return [...this.records];
  }

  forTarget(target: string): FenceRecord[] {
    return this.records.filter((r) => r.target === target);
  }

  /** the latest successful fencing of target at or after `since` */
  lastSuccess(target: string, since = 0): FenceRecord | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) {
      const r = this.records[i];
      if (r.target === target && r.state === "success" && (r.completedAt ?? 0) >= since) return r;
    }
    return undefined;
  }

  /** `stonith_admin --cleanup --history`: forget finished records (of one target) */
  cleanup(target?: string): number {
    const before = this.records.length;
    this.records = this.records.filter((r) => r.state === "pending" || (target !== undefined && r.target !== target));
    return before - this.records.length;
  }

  onChange(cb: (r: FenceRecord) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private notify(r: FenceRecord) {
    for (const cb of [...this.listeners]) {
      try {
        cb(r);
      } catch {
        /* ignore listener errors */
      }
    }
  }

  toJSON(): FenceRecord[] {
    return this.list();
  }

  load(records: FenceRecord[]): void {
    this.records = records.slice(-this.limit).map((r) => ({ ...r, attempts: [...(r.attempts ?? [])] }));
    this.seq = Math.max(0, ...this.records.map((r) => r.id));
  }
}

/** crm_mon's timestamp form: '2026-12-02 02:51:56 +00:00' */
export function crmTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const oh = p(Math.floor(Math.abs(off) / 60));
  const om = p(Math.abs(off) % 60);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${sign}${oh}:${om}`;
}

function ctime(ms: number): string {
  const d = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}

/**
 * crm_mon's "Fencing History:" entries, newest first. Without full, crm_mon shows only
 * failed and pending actions plus the latest success per target; with full, everything.
 */
export function formatFencingHistory(records: FenceRecord[], opts: { full?: boolean } = {}): string[] {
  const newest = [...records].sort((a, b) => (b.completedAt ?? b.requestedAt) - (a.completedAt ?? a.requestedAt) || b.id - a.id);
  const shown: FenceRecord[] = [];
  const seenSuccess = new Set<string>();
  for (const r of newest) {
    if (!opts.full && r.state === "success") {
      if (seenSuccess.has(r.target)) continue;
      seenSuccess.add(r.target);
    }
    shown.push(r);
  }
  return shown.map((r) => {
    if (r.state === "pending") return `  * ${r.action} of ${r.target} pending: client=${r.client}, origin=${r.origin}`;
    const parts = [`delegate=${r.delegate ?? "none"}`, `client=${r.client}`, `origin=${r.origin}`];
    if (r.state === "success") return `  * ${r.action} of ${r.target} successful: ${parts.join(", ")}, completed='${crmTime(r.completedAt ?? r.requestedAt)}'`;
    return `  * ${r.action} of ${r.target} failed: ${parts.join(", ")}, last-failed='${crmTime(r.completedAt ?? r.requestedAt)}'${r.error ? ` (${r.error})` : ""}`;
  });
}

/** `stonith_admin --history` sentences, oldest first */
export function formatStonithHistory(records: FenceRecord[]): string[] {
  return records.map((r) => {
    const by = r.delegate ?? "the cluster";
    const when = ctime(r.completedAt ?? r.requestedAt);
    if (r.state === "success") return `${by} was able to ${r.action} node ${r.target} on behalf of ${r.client} from ${r.origin} at ${when}`;
    if (r.state === "failed") return `${by} failed to ${r.action} node ${r.target} on behalf of ${r.client} from ${r.origin} at ${when}${r.error ? `: ${r.error}` : ""}`;
    return `${r.client} from ${r.origin} is waiting to ${r.action} node ${r.target} (requested ${when})`;
  });
}
