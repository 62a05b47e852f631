// Membership: which hosts are cluster members right now, as the DC sees them, and quorum.
//
//   const m = new Membership({ hostTimeoutMs: 1000, quorum: { twoNode: false } });
//   m.add("node1", transport1, { id: 1 });      // any Transport (ssh or local)
//   m.on("node-lost",   (e) => ...);             // { node, at, reason, lastSeen }
//   m.on("node-joined", (e) => ...);             // { node, at }
//   m.on("quorum",      (e) => ...);             // { quorate, status } when quorate flips
//   m.on("change",      () => ...);              // any state change (for UI / CIB node_state)
//   m.nodes();   m.node("node1");   m.quorum();   m.ringId();
//   m.setHostTimeout(ms); m.setQuorumOptions({...}); m.remove("node1"); m.close();
//
// Rules:
// - a node is "online" while its transport is up (the SSH transport's keepalive, tuned from
//   host-timeout, is what notices a silent host);
// - when the transport goes down, the node is "suspect" until its last sign of life plus
//   host-timeout (a dropped connection to a live host, e.g. sshd restarted, can come back
//   within that time without a membership change); then it is "lost" and node-lost fires.
//   A keepalive timeout already took host-timeout, so that node is lost at once.
// - a node never seen since start is "offline" (no node-lost for it); its first connection
//   and every return of a lost node fire node-joined.
// - a host that comes back with another boot identity (SshTransport reads it on every connect)
//   rebooted: node-lost ("the host rebooted") and node-joined fire even when it was back within
//   host-timeout, since everything it ran is gone.
// The caller (controller) decides what lost means for resources (UNCLEAN until fenced...).

import type { Transport, TransportState } from "../executor/types";
import { DEFAULT_HOST_TIMEOUT_MS } from "../executor/ssh-liveness";
import { computeQuorum, EMPTY_QUORUM_MEMORY, validateQuorumOptions, type QuorumMember, type QuorumMemory, type QuorumOptions, type QuorumStatus } from "./quorum";

export type MemberState = "online" | "suspect" | "lost" | "offline";

export interface MemberInfo {
  name: string;
  id: number;
  votes: number;
  state: MemberState;
  /** epoch ms of the last state change */
  since: number;
  /** epoch ms of the last sign of life (transport up / packet from the host) */
  lastSeen: number | null;
  reason?: string;
  transportState: TransportState;
}

export interface NodeLostEvent {
  node: string;
  at: number;
  reason: string;
  lastSeen: number | null;
}
export interface NodeJoinedEvent {
  node: string;
  at: number;
  /** true when the node had been lost before (a returning host: probe it before starting anything) */
  returning: boolean;
}
export interface QuorumEvent {
  quorate: boolean;
  status: QuorumStatus;
  at: number;
}

type Events = {
  "node-lost": NodeLostEvent;
  "node-joined": NodeJoinedEvent;
  quorum: QuorumEvent;
  change: void;
};

export interface MembershipOptions {
  hostTimeoutMs?: number;
  quorum?: QuorumOptions;
  /** clock (tests) */
  now?: () => number;
}

interface Entry {
  name: string;
  id: number;
  votes: number;
  transport: Transport;
  state: MemberState;
  since: number;
  lastSeen: number | null;
  reason?: string;
  everOnline: boolean;
  /** the boot of the host seen at its last connection */
  bootId: string | null;
  timer: NodeJS.Timeout | null;
  unsubscribe: () => void;
}

/** what transports with stats() (SshTransport) know of the host: its boot at the last connection, when it was last heard */
function statsOf(t: Transport): { bootId?: string | null; lastHeardAt?: number | null } {
  const s = (t as unknown as { stats?: () => { bootId?: string | null; lastHeardAt?: number | null } }).stats;
  if (typeof s !== "function") return {};
  try {
    return s.call(t) ?? {};
  } catch {
    return {};
  }
}
const bootIdOf = (t: Transport): string | null => statsOf(t).bootId ?? null;
const lastHeardOf = (t: Transport): number | null => statsOf(t).lastHeardAt ?? null;

export class Membership {
  private entries = new Map<string, Entry>();
  private listeners: { [K in keyof Events]: Set<(e: Events[K]) => void> } = {
    "node-lost": new Set(),
    "node-joined": new Set(),
    quorum: new Set(),
    change: new Set(),
  };
  private hostTimeoutMs: number;
  private qopts: QuorumOptions;
  private qmem: QuorumMemory = EMPTY_QUORUM_MEMORY;
  private lastQuorate: boolean | null = null;
  private generation = 0;
  private lmsTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(opts: MembershipOptions = {}) {
    this.hostTimeoutMs = checkTimeout(opts.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS);
    this.qopts = { ...(opts.quorum ?? {}) };
    validateQuorumOptions(this.qopts);
    this.now = opts.now ?? Date.now;
  }

  on<K extends keyof Events>(ev: K, cb: (e: Events[K]) => void): () => void {
    this.listeners[ev].add(cb);
    return () => this.listeners[ev].delete(cb);
  }

  private emit<K extends keyof Events>(ev: K, e: Events[K]) {
    for (const cb of [...this.listeners[ev]]) {
      try {
        cb(e);
      } catch {
        /* a listener's bug must not stop membership */
      }
    }
  }

  add(name: string, transport: Transport, opts: { id?: number; votes?: number } = {}): void {
    if (this.entries.has(name)) throw new Error(`membership: node ${name} is already a member`);
    if (transport.node !== name) throw new Error(`membership: transport for ${transport.node} added as ${name}`);
    const id = opts.id ?? this.nextId();
    if (!Number.isInteger(id) || id < 1) throw new Error(`membership: node ${name}: id must be a whole number >= 1 (got ${opts.id})`);
    for (const e of this.entries.values()) if (e.id === id) throw new Error(`membership: node id ${id} of ${name} is already used by ${e.name}`);
    const votes = opts.votes ?? 1;
    if (!Number.isInteger(votes) || votes < 0) throw new Error(`membership: node ${name}: votes must be a whole number >= 0`);
    const entry: Entry = {
      name,
      id,
      votes,
      transport,
      state: "offline",
      since: this.now(),
      lastSeen: null,
      everOnline: false,
      bootId: null,
      timer: null,
      unsubscribe: () => {},
    };
    this.entries.set(name, entry);
    entry.unsubscribe = transport.onStateChange((st, reason) => this.onTransport(entry, st, reason));
    if (transport.state() === "up") this.onTransport(entry, "up");
    else this.recompute(true);
  }

  remove(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    e.unsubscribe();
    if (e.timer) clearTimeout(e.timer);
    this.entries.delete(name);
    this.generation++;
    this.recompute(true);
  }

  setHostTimeout(ms: number): void {
    this.hostTimeoutMs = checkTimeout(ms);
    for (const t of this.entries.values()) {
      const st = t.transport as unknown as { setHostTimeout?: (ms: number) => void };
      if (typeof st.setHostTimeout === "function") st.setHostTimeout(ms);
    }
  }

  getHostTimeout(): number {
    return this.hostTimeoutMs;
  }

  setQuorumOptions(opts: QuorumOptions): void {
    validateQuorumOptions(opts);
    this.qopts = { ...opts };
    this.recompute(true);
  }

  private nextId(): number {
    let id = 1;
    const used = new Set([...this.entries.values()].map((e) => e.id));
    while (used.has(id)) id++;
    return id;
  }

  private setState(e: Entry, state: MemberState, reason?: string) {
    if (e.state === state) return;
    e.state = state;
    e.since = this.now();
    e.reason = reason;
  }

  private onTransport(e: Entry, st: TransportState, reason?: string) {
    if (this.entries.get(e.name) !== e) return;
    const now = this.now();
    if (st === "up") {
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      e.lastSeen = now;
      const boot = bootIdOf(e.transport);
      const rebooted = boot !== null && e.bootId !== null && boot !== e.bootId;
      if (boot !== null) e.bootId = boot;
      // back within host-timeout, but it booted meanwhile: everything it ran is gone, so it
      // left the membership and joins again (and is probed), however short the gap was
      if (rebooted && (e.state === "online" || e.state === "suspect")) this.lose(e, "the host rebooted");
      const was = e.state;
      this.setState(e, "online");
      if (was === "online" || was === "suspect") {
        this.emit("change", undefined);
        return; // came back within host-timeout: no membership change
      }
      const returning = e.everOnline;
      e.everOnline = true;
      this.generation++;
      this.emit("node-joined", { node: e.name, at: now, returning });
      this.recompute(true);
      return;
    }
    if (st !== "down") return; // "connecting" changes nothing
    if (e.state !== "online") {
      e.reason = reason ?? e.reason;
      return;
    }
    // the transport's last packet from the host is the best sign of life; else when it came up
    const heard = lastHeardOf(e.transport) ?? e.lastSeen;
    if (heard !== null) e.lastSeen = heard;
    const deadline = (heard ?? now) + this.hostTimeoutMs;
    const why = reason ?? "connection lost";
    if (deadline <= now) {
      this.lose(e, why);
      return;
    }
    this.setState(e, "suspect", why);
    this.emit("change", undefined);
    e.timer = setTimeout(() => {
      e.timer = null;
      if (this.entries.get(e.name) === e && e.state === "suspect") this.lose(e, why);
    }, deadline - now);
    e.timer.unref?.();
  }

  private lose(e: Entry, reason: string) {
    this.setState(e, "lost", reason);
    this.generation++;
    this.emit("node-lost", { node: e.name, at: this.now(), reason, lastSeen: e.lastSeen });
    this.recompute(true);
  }

  private members(): QuorumMember[] {
    return [...this.entries.values()].map((e) => ({ id: e.id, name: e.name, votes: e.votes, online: e.state === "online" || e.state === "suspect" }));
  }

  private recompute(notify: boolean) {
    const { status, memory } = computeQuorum(this.members(), this.qopts, this.qmem, this.now());
    this.qmem = memory;
    if (this.lmsTimer) clearTimeout(this.lmsTimer);
    this.lmsTimer = null;
    if (status.lmsRecheckInMs !== undefined) {
      this.lmsTimer = setTimeout(() => this.recompute(true), status.lmsRecheckInMs + 5);
      this.lmsTimer.unref?.();
    }
    if (!notify) return status;
    if (this.lastQuorate !== status.quorate) {
      const first = this.lastQuorate === null;
      this.lastQuorate = status.quorate;
      if (!first) this.emit("quorum", { quorate: status.quorate, status, at: this.now() });
    }
    this.emit("change", undefined);
    return status;
  }

  quorum(): QuorumStatus {
    return computeQuorum(this.members(), this.qopts, this.qmem, this.now()).status;
  }

  quorumMembers(): QuorumMember[] {
    return this.members();
  }

  /** corosync-style ring id: lowest online node id . membership generation */
  ringId(): string {
    const ids = this.members().filter((m) => m.online).map((m) => m.id);
    return `${ids.length ? Math.min(...ids) : 0}.${this.generation}`;
  }

  node(name: string): MemberInfo | undefined {
    const e = this.entries.get(name);
    return e ? this.info(e) : undefined;
  }

  nodes(): MemberInfo[] {
    return [...this.entries.values()].sort((a, b) => a.id - b.id).map((e) => this.info(e));
  }

  private info(e: Entry): MemberInfo {
    const heard = lastHeardOf(e.transport);
    return {
      name: e.name,
      id: e.id,
      votes: e.votes,
      state: e.state,
      since: e.since,
      lastSeen: e.state === "online" && heard ? Math.max(heard, e.lastSeen ?? 0) : e.lastSeen,
      reason: e.reason,
      transportState: e.transport.state(),
    };
  }

  close(): void {
    for (const e of this.entries.values()) {
      e.unsubscribe();
      if (e.timer) clearTimeout(e.timer);
    }
    if (this.lmsTimer) clearTimeout(this.lmsTimer);
    this.entries.clear();
  }
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms < 300 || ms > 600000) throw new Error(`host-timeout must be between 300 ms and 600 s (got ${ms})`);
  return Math.round(ms);
}
