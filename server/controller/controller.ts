// The DC loop. One Controller owns the CIB: every event (a user's CIB change,
// an operation result, a recurring monitor's change, a host joining or being
// lost, a timer) ends in "schedule(cib, now) -> execute the transition graph
// -> record every result in status", repeated until the scheduler has nothing
// left to do. Only this class writes the CIB; every write is published to
// subscribers as a versioned Snapshot.

import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CibError } from "../cib/errors";
import type { Cib, NvSet, Resource } from "../cib/types";
import { nvGet, nvToRecord } from "../cib/nvset";
import { parseBoolean, tryParseDuration } from "../cib/values";
import type { AgentOp, OpResult, Transport, TransportState } from "../executor/types";
import { OpStatus } from "../executor/types";
import type { Action, ClusterState, QuorumVotes, ScheduleResult } from "../scheduler/types";
import { UnsupportedFeatureError } from "../scheduler/types";
import { GraphRun, type ActionOutcome, type GraphOutcome } from "./graph";
import { History } from "./history";
import type { CibPersistence, Fencer, OpExecutor } from "./ports";
import { ReloadSupportCache, restartFields } from "./reload-support";
import { wakeAt, type WakeTimer } from "./wake-at";
import { computeQuorum, EMPTY_QUORUM_MEMORY, type QuorumMemory } from "../membership/quorum";
import {
  CRM_FEATURE_SET,
  deleteRecurringOp,
  eraseNodeAttributes,
  eraseNodeHistory,
  failCountChange,
  maxCallId,
  opFailed,
  opKey,
  recordFailCount,
  recordOp,
  setNodeMembership,
  setTransientAttr,
  targetRcFor,
} from "./record";
import type {
  Actor,
  CibMutation,
  ClusterEvent,
  ClusterService,
  Snapshot,
  TransitionRecord,
} from "./types";

/** The scheduler and CIB functions the controller calls (server/scheduler, server/cib), injected so tests can see them. */
export interface ControllerPolicy {
  schedule(cib: Cib, opts: { now: number }): ScheduleResult;
  unpack(cib: Cib, opts: { now: number }): ClusterState;
  /** throws CibError naming the problem */
  validate(cib: Cib): void;
  /** a configuration change: epoch+1, num_updates=0 */
  bumpEpoch(cib: Cib): Cib;
  /** a status change: num_updates+1 */
  bumpNumUpdates(cib: Cib): Cib;
}

export interface ControllerOptions {
  stateDir: string;
  transports: Transport[];
  executor: OpExecutor;
  store: CibPersistence;
  policy: ControllerPolicy;
  fencer?: Fencer;
  /** the CIB to start with when the store holds none */
  initialCib: () => Cib;
  /** status writes within this window are persisted and published together [20 ms] */
  coalesceMs?: number;
  /** events and transitions kept in memory [500] */
  historyLimit?: number;
  /** epoch ms clock [Date.now] */
  clock?: () => number;
}

interface RecurringEntry {
  node: string;
  nodeId: string;
  lrmId: string;
  op: AgentOp;
  actionId: number;
  transitionId: number;
  targetRc: number;
  lastRc?: number;
  lastStatus?: number;
  /** resolves the graph action with the first result */
  first?: (r: OpResult) => void;
}

interface RunningTransition {
  graph: GraphRun;
  record: TransitionRecord;
}

const DEFAULT_RECHECK_MS = 15 * 60 * 1000;
/** the trigger of the loop's own look after a transition that completed */
const TRANSITION_COMPLETE = "transition complete";
/** longest wait before retrying a transition that failed without changing anything */
const MAX_BACKOFF_MS = 5000;

export class Controller implements ClusterService {
  private cib!: Cib;
  private version = 0;
  private snap?: Snapshot;
  private readonly subscribers = new Set<(s: Snapshot) => void>();
  private readonly history: History;
  private readonly clock: () => number;
  private readonly coalesceMs: number;
  private readonly transports = new Map<string, Transport>();
  private readonly unsubs = new Map<string, () => void>();
  private readonly callIds = new Map<string, number>();
  private readonly recurring = new Map<string, RecurringEntry>();
  /** which agents can reload, from their meta-data (Pacemaker's op-force-restart / op-restart-digest) */
  private readonly reloadSupport: ReloadSupportCache;
  private dcUuid = "";
  private quorumMemory: QuorumMemory = EMPTY_QUORUM_MEMORY;
  /** the last quorum computation, published in the snapshot's state.quorum (console: votes) */
  private quorumVotes: QuorumVotes | undefined;
  private transitionSeq = 0;

  // scheduling state
  private dirty = false;
  private dirtyReason: string | undefined;
  private loopActive = false;
  private running: RunningTransition | null = null;
  private stopped = false;
  private shuttingDown = false;
  private started = false;
  private lastGoodKeys: string | undefined;
  private repeatCount = 0;
  private settleWaiters: (() => void)[] = [];
  /** update()'s dry-run plan of the CIB it committed */
  private planned: { cib: Cib; now: number; result: ScheduleResult } | undefined;
  private statusWrites = 0;
  private backoffMs = 0;
  private wakeBackoff: (() => void) | undefined;

  // persistence / publishing
  private persistTimer: NodeJS.Timeout | undefined;
  private publishTimer: NodeJS.Timeout | undefined;
  private saveChain: Promise<void> = Promise.resolve();
  private lastSaveError: unknown;

  // timers
  private recheckTimer: NodeJS.Timeout | undefined;
  private failureTimer: WakeTimer | undefined;
  /** failure expiries (epoch s) up to this one have had their wake-up */
  private lastExpiryWake = 0;

  constructor(private readonly opts: ControllerOptions) {
    this.clock = opts.clock ?? Date.now;
    this.coalesceMs = opts.coalesceMs ?? 20;
    mkdirSync(opts.stateDir, { recursive: true });
    this.history = new History(path.join(opts.stateDir, "history.jsonl"), opts.historyLimit ?? 500);
    for (const t of opts.transports) this.transports.set(t.node, t);
    this.reloadSupport = new ReloadSupportCache((node, op) => this.opts.executor.exec(node, op));
  }

  // -------------------------------------------------------------------------
  // start / stop

  /** Load the CIB, connect the hosts, forget old operation history (everything is probed again), and schedule. */
  async start(): Promise<void> {
    if (this.started) throw new Error("controller already started");
    this.started = true;
    this.dcUuid = this.loadUuid();
    // transition ids continue after those in the history, so the console never sees one twice
    this.transitionSeq = this.history.lastTransitionId + 1;
    let cib = await this.opts.store.load();
    const fresh = cib === undefined;
    if (!cib) cib = this.opts.initialCib();
    this.opts.policy.validate(cib);
    // The hosts are the truth about what runs where: history from before this
    // start may be stale, so it is dropped and every resource is probed again.
    // Transient attributes (fail-counts) are the controller's own memory and stay.
    for (const ns of cib.status) {
      this.callIds.set(ns.id, Math.max(this.callIds.get(ns.id) ?? 0, maxCallId(cib, ns.id)));
      cib = eraseNodeHistory(cib, ns.id);
    }
    this.cib = fresh ? this.opts.policy.bumpEpoch(cib) : this.opts.policy.bumpNumUpdates(cib);
    this.cib = this.withCibMeta(this.cib, "controller");

    await Promise.all(
      [...this.transports.values()].map(async (t) => {
        try {
          await t.connect();
        } catch (e) {
          this.history.event({ kind: "node-lost", node: t.node, message: `cannot reach ${t.node}: ${errText(e)}` });
        }
      }),
    );
    for (const t of this.transports.values()) {
      this.applyMembership(t.node, t.state(), "controller start", true);
      this.unsubs.set(t.node, t.onStateChange((s, reason) => this.onTransportState(t.node, s, reason)));
    }
    this.updateQuorum(true);
    await this.persistNow();
    this.publishNow();
    this.armRecheck();
    this.requestSchedule(fresh ? "new cluster" : "controller start");
  }

  /**
   * Stop the controller: finish running actions, dispatch nothing new, stop
   * the recurring monitors, persist. Resources keep running on their hosts (as
   * when the daemon is killed); a later start() probes and adopts them.
   * With stopResources, every resource is stopped first (as `pcs cluster stop --all`).
   */
  async stop(opts: { stopResources?: boolean } = {}): Promise<void> {
    if (!this.started || this.stopped) return;
    if (opts.stopResources) await this.stopAllResources();
    this.stopped = true;
    this.running?.graph.abort("controller stopping");
    this.wakeBackoff?.();
    await this.waitLoopIdle();
    clearTimeout(this.recheckTimer);
    this.failureTimer?.cancel();
    for (const u of this.unsubs.values()) u();
    this.unsubs.clear();
    for (const [key, e] of [...this.recurring]) this.dropRecurring(key, e, OpStatus.CANCELLED);
    this.opts.executor.stop();
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    await this.persistNow();
    if (this.publishTimer) this.publishNow();
    await this.history.flush();
    for (const w of this.settleWaiters.splice(0)) w();
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
  }

  /** Stop every resource (the scheduler's plan for stop-all-resources, not written to the configuration). */
  private async stopAllResources(): Promise<void> {
    this.shuttingDown = true;
    this.running?.graph.abort("cluster shutdown");
    this.wakeBackoff?.();
    await this.waitLoopIdle();
    for (let round = 0; round < 5; round++) {
      const hypothetical = setClusterProperty(this.cib, "stop-all-resources", "true");
      let result: ScheduleResult;
      try {
        result = this.opts.policy.schedule(hypothetical, { now: this.nowSec() });
      } catch (e) {
        this.history.event({ kind: "transition-end", message: `shutdown: scheduler failed: ${errText(e)}` });
        return;
      }
      if (!result.transition.actions.some((a) => !a.pseudo)) return;
      const outcome = await this.runTransition(result, "cluster shutdown");
      if (outcome === "complete") {
        // one more round: the plan may have depended on results
        continue;
      }
    }
  }

  private waitLoopIdle(): Promise<void> {
    if (!this.loopActive) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.loopActive ? setTimeout(check, 5) : resolve());
      check();
    });
  }

  private loadUuid(): string {
    const f = path.join(this.opts.stateDir, "controller-uuid");
    try {
      const s = readFileSync(f, "utf8").trim();
      if (/^[0-9a-f-]{36}$/.test(s)) return s;
    } catch {
      /* first start */
    }
    const id = randomUUID();
    writeFileSync(f, id + "\n", { mode: 0o600 });
    return id;
  }

  // -------------------------------------------------------------------------
  // ClusterService

  snapshot(): Snapshot {
    if (this.publishTimer) this.publishNow();
    if (!this.snap) this.snap = this.makeSnapshot();
    return this.snap;
  }

  async update(mutation: CibMutation, actor: Actor, description: string): Promise<Snapshot> {
    if (!this.started || this.stopped) throw new CibError("the controller is not running", { code: "not-running" });
    const before = this.cib;
    const next = this.tryMutation(before, mutation);
    const configChanged = JSON.stringify(next.configuration) !== JSON.stringify(before.configuration);
    let committed = configChanged ? this.opts.policy.bumpEpoch(next) : this.opts.policy.bumpNumUpdates(next);
    committed = this.withCibMeta(committed, actor.user);
    // the dry run on exactly the CIB to commit: the loop uses its plan instead of scheduling again
    const now = this.nowSec();
    const plan = this.checkSchedulable(committed, now);
    this.cib = committed;
    this.planned = { cib: committed, now, result: plan };
    this.reconcileRecurring();
    if (configChanged) {
      this.updateQuorum(false);
      if (nvGet(before.configuration.crmConfig, "cluster-recheck-interval") !== nvGet(this.cib.configuration.crmConfig, "cluster-recheck-interval"))
        this.armRecheck();
    }
    this.history.event({
      kind: "cib-change",
      actor: actor.user,
      message: description,
      detail: { epoch: this.cib.attrs["epoch"], num_updates: this.cib.attrs["num_updates"], config: configChanged },
    });
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
    // the transition first: its first actions go out before the CIB is exported, saved and
    // unpacked for the subscribers (standby -> stop dispatched with nothing in between)
    this.requestSchedule(`${configChanged ? "configuration" : "status"} changed by ${actor.user}: ${description}`);
    const saved = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.persistNow());
    this.snap = undefined;
    this.publishSoon();
    await saved;
    // a user's change reaches the subscribers (console) when it is saved at the latest, or earlier when the coalescing timer fires first
    if (this.publishTimer) this.publishNow();
    if (this.lastSaveError) {
      const e = this.lastSaveError;
      this.lastSaveError = undefined;
      throw new CibError(`the change was applied but could not be saved: ${errText(e)}`, { code: "save-failed" });
    }
    return this.snapshot();
  }

  preview(mutation: CibMutation): ScheduleResult {
    const next = this.tryMutation(this.cib, mutation);
    return this.checkSchedulable(next);
  }

  subscribe(listener: (snap: Snapshot) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  events(): ClusterEvent[] {
    return this.history.events();
  }

  onEvent(listener: (ev: ClusterEvent) => void): () => void {
    return this.history.onEvent(listener);
  }

  transitions(): TransitionRecord[] {
    return this.history.transitions();
  }

  settled(timeoutMs: number): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.settleWaiters = this.settleWaiters.filter((w) => w !== done);
        reject(new Error(`cluster did not settle within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.settleWaiters.push(done);
    });
  }

  // -------------------------------------------------------------------------
  // additions for the API / tests (not part of ClusterService)

  /** the CIB as it is now, without building a snapshot (the fencer reads its devices on the failover path) */
  currentCib(): Cib {
    return this.cib;
  }

  /** the state directory this controller keeps its CIB, history and hosts in */
  get stateDir(): string {
    return this.opts.stateDir;
  }

  /** the transport of a node (LocalTransport in the demo: crash()/revive()) */
  transport(node: string): Transport | undefined {
    return this.transports.get(node);
  }

  /**
   * A host added at runtime (`vigil host add`): the controller follows its
   * transport's state from now on (joined = probed, then used). The caller
   * registers it with the executor too.
   */
  addTransport(t: Transport): void {
    if (this.transports.has(t.node)) this.removeTransport(t.node);
    this.transports.set(t.node, t);
    const ex = this.opts.executor;
    if (ex.addTransport && ex.transport && ex.transport(t.node) !== t) ex.addTransport(t);
    if (!this.started || this.stopped) return;
    this.unsubs.set(
      t.node,
      t.onStateChange((s, reason) => {
        if (this.transports.get(t.node) === t) this.onTransportState(t.node, s, reason);
      }),
    );
    if (t.state() !== "connecting") this.onTransportState(t.node, t.state(), "host added");
    else this.updateQuorum(false);
  }

  /** A host removed at runtime (`vigil host remove`): its monitors stop and it no longer counts. */
  removeTransport(node: string): Transport | undefined {
    const t = this.transports.get(node);
    if (!t) return undefined;
    this.unsubs.get(node)?.();
    this.unsubs.delete(node);
    this.cancelRecurringOn(node);
    this.transports.delete(node);
    const ex = this.opts.executor;
    if (ex.removeTransport && ex.transport?.(node) === t) ex.removeTransport(node);
    if (this.started && !this.stopped) {
      const id = this.nodeIdOf(node);
      if (this.cib.status.some((n) => n.id === id && n.crmd === "online"))
        this.commitStatus((c) => setNodeMembership(c, id, node, "down", "peer_update_callback"));
      this.updateDc();
      this.updateQuorum(false);
      this.requestSchedule(`host ${node} removed`);
    }
    return t;
  }

  // -------------------------------------------------------------------------
  // CIB changes

  private tryMutation(cib: Cib, mutation: CibMutation): Cib {
    let next: Cib;
    try {
      next = mutation(structuredClone(cib));
    } catch (e) {
      if (e instanceof CibError) throw e;
      throw new CibError(errText(e), { code: "mutation-failed" });
    }
    if (!next || typeof next !== "object" || !next.configuration || !Array.isArray(next.status)) {
      throw new CibError("the change did not produce a CIB", { code: "mutation-failed" });
    }
    this.opts.policy.validate(next);
    return next;
  }

  /** The scheduler must accept the CIB (a dry run): unsupported features are rejected before they are committed. */
  private checkSchedulable(cib: Cib, now = this.nowSec()): ScheduleResult {
    try {
      return this.opts.policy.schedule(cib, { now });
    } catch (e) {
      if (e instanceof UnsupportedFeatureError) {
        throw new CibError(e.message, { elementId: e.elementId, code: "unsupported-feature" });
      }
      if (e instanceof CibError) throw e;
      throw new CibError(`the scheduler cannot handle this CIB: ${errText(e)}`, { code: "scheduler-error" });
    }
  }

  /** A status write by the controller itself: bump num_updates, persist and publish soon (coalesced). */
  private commitStatus(fn: (cib: Cib) => Cib): void {
    const next = fn(this.cib);
    if (next === this.cib) return;
    this.statusWrites++;
    this.cib = this.opts.policy.bumpNumUpdates(next);
    this.snap = undefined;
    if (!this.persistTimer) {
      this.persistTimer = setTimeout(() => {
        this.persistTimer = undefined;
        void this.persistNow();
      }, this.coalesceMs);
    }
    if (!this.publishTimer) {
      this.publishTimer = setTimeout(() => this.publishNow(), this.coalesceMs);
    }
  }

  private withCibMeta(cib: Cib, who: string): Cib {
    const attrs = { ...cib.attrs };
    // the DC stamps its feature set on the CIB, as Pacemaker's does
    attrs["crm_feature_set"] = CRM_FEATURE_SET;
    attrs["cib-last-written"] = pacemakerDate(new Date(this.clock()));
    attrs["update-origin"] = this.dcUname() ?? "vigil";
    attrs["update-client"] = who === "controller" ? "vigil-controller" : "vigil";
    attrs["update-user"] = who === "controller" ? "hacluster" : who;
    return { ...cib, attrs };
  }

  private persistNow(): Promise<void> {
    const cib = this.cib;
    this.saveChain = this.saveChain.then(async () => {
      try {
        await this.opts.store.save(cib);
      } catch (e) {
        this.lastSaveError = e;
        this.history.event({ kind: "cib-change", message: `saving the CIB failed: ${errText(e)}` });
      }
    });
    return this.saveChain;
  }

  private makeSnapshot(): Snapshot {
    let state: ClusterState;
    try {
      state = this.opts.policy.unpack(this.cib, { now: this.nowSec() });
    } catch (e) {
      state = emptyState(`unpacking the CIB failed: ${errText(e)}`);
    }
    if (this.quorumVotes) state = { ...state, quorum: this.quorumVotes };
    return { version: this.version, cib: this.cib, state };
  }

  private publishNow(): void {
    if (this.publishTimer) {
      clearTimeout(this.publishTimer);
      this.publishTimer = undefined;
    }
    this.version++;
    this.snap = this.makeSnapshot();
    const s = this.snap;
    for (const l of [...this.subscribers]) {
      try {
        l(s);
      } catch {
        // a subscriber's bug must not stop the controller
      }
    }
  }

  // -------------------------------------------------------------------------
  // membership and quorum

  private onTransportState(node: string, s: TransportState, reason?: string): void {
    if (this.stopped || !this.transports.has(node)) return; // removed hosts no longer count
    this.applyMembership(node, s, reason ?? s, false);
    this.updateQuorum(false);
    this.requestSchedule(`node ${node} ${s === "up" ? "joined" : "lost"}`);
  }

  private nodeIdOf(uname: string): string {
    return (
      this.cib.configuration.nodes.find((n) => n.uname === uname)?.id ??
      this.cib.status.find((n) => n.uname === uname)?.id ??
      uname
    );
  }

  private isNodeUp(uname: string): boolean {
    return this.transports.get(uname)?.state() === "up";
  }

  private applyMembership(node: string, s: TransportState, reason: string, initial: boolean): void {
    // A host still connecting after start-up could not be reached: to the DC it
    // has not joined, so it is offline (as Pacemaker's DC sees an unjoined node:
    // with stonith enabled and startup-fencing it is fenced). Later, "connecting"
    // is a reconnect in progress and changes nothing until it is up or down.
    if (s === "connecting" && !initial) return;
    if (s === "connecting") s = "down";
    const id = this.nodeIdOf(node);
    const ns = this.cib.status.find((n) => n.id === id);
    const wasOnline = ns?.crmd === "online" && ns?.inCcm === "true";
    if (s === "up") {
      if (wasOnline && !initial) return;
      // a host that (re)joins is probed again: its old history says nothing about now
      this.commitStatus((c) => setNodeMembership(eraseNodeHistory(c, id), id, node, "online", "peer_update_callback"));
      if (!initial) this.history.event({ kind: "node-joined", node, message: `node ${node} is online` });
    } else {
      if (!wasOnline && !initial) return;
      this.cancelRecurringOn(node);
      // attrd forgets a lost node's transient attributes. With stonith enabled the
      // history stays until the node is fenced (it is UNCLEAN and the scheduler
      // needs to know what ran there); without stonith Pacemaker's scheduler
      // ignores an offline node's history, so it is dropped at once (same result,
      // and nothing stale is left to misread).
      const keepHistory = parseBoolean(nvGet(this.cib.configuration.crmConfig, "stonith-enabled"), true);
      this.commitStatus((c) => {
        const out = setNodeMembership(eraseNodeAttributes(c, id), id, node, "lost", "peer_update_callback");
        return keepHistory ? out : eraseNodeHistory(out, id);
      });
      if (!initial || wasOnline)
        this.history.event({ kind: "node-lost", node, message: `node ${node} is lost (${reason})` });
    }
    this.updateDc();
  }

  private dcUname(): string | undefined {
    const id = this.cib?.attrs["dc-uuid"];
    if (!id) return undefined;
    return this.cib.configuration.nodes.find((n) => n.id === id)?.uname;
  }

  /** The DC is shown as the first online node: Vigil's single controller acts for the cluster as a DC would. */
  private updateDc(): void {
    const online = this.cib.configuration.nodes.filter((n) => this.isNodeUp(n.uname));
    const id = online[0]?.id;
    if (this.cib.attrs["dc-uuid"] === id) return;
    this.commitStatus((c) => {
      const attrs = { ...c.attrs };
      if (id) attrs["dc-uuid"] = id;
      else delete attrs["dc-uuid"];
      return { ...c, attrs };
    });
  }

  private updateQuorum(initial: boolean): void {
    const members = this.cib.configuration.nodes.filter((n) => (n.type ?? "member") === "member");
    const votes = members.filter((n) => this.isNodeUp(n.uname)).length;
    const { status, memory } = computeQuorum(
      members.map((n, i) => ({ id: /^\d+$/.test(n.id) && Number(n.id) > 0 ? Number(n.id) : 1000 + i, name: n.uname, online: this.isNodeUp(n.uname) })),
      {},
      this.quorumMemory,
      this.clock(),
    );
    this.quorumMemory = memory;
    const counted: QuorumVotes = { quorate: status.quorate, votes: status.totalVotes, expectedVotes: status.highestExpected, quorum: status.quorum, flags: status.flags };
    if (JSON.stringify(counted) !== JSON.stringify(this.quorumVotes)) {
      this.quorumVotes = counted;
      this.snap = undefined;
      this.publishSoon();
    }
    const q = status.quorate;
    const v = q ? "1" : "0";
    if (this.cib.attrs["have-quorum"] === v) return;
    this.commitStatus((c) => ({ ...c, attrs: { ...c.attrs, "have-quorum": v } }));
    if (!initial || !q)
      this.history.event({
        kind: "quorum",
        message: q ? `quorum regained (${votes} of ${members.length} votes)` : `quorum lost (${votes} of ${members.length} votes)`,
      });
  }

  // -------------------------------------------------------------------------
  // the loop

  private nowSec(): number {
    return Math.floor(this.clock() / 1000);
  }

  private isSettled(): boolean {
    return !this.dirty && !this.loopActive && !this.running;
  }

  /** Something happened that may change the plan: abort the running transition (if it invalidates it) and schedule again. */
  private requestSchedule(reason: string, invalidates = true): void {
    if (this.stopped || this.shuttingDown) return;
    this.dirty = true;
    this.dirtyReason ??= reason;
    this.wakeBackoff?.();
    if (invalidates && this.running && !this.running.graph.isAborted) this.running.graph.abort(reason);
    this.kick();
  }

  private kick(): void {
    if (this.loopActive || this.stopped) return;
    this.loopActive = true;
    void this.loop()
      .catch((e) => {
        this.history.event({ kind: "transition-end", message: `controller loop error: ${errText(e)}` });
      })
      .finally(() => {
        this.loopActive = false;
        if (this.dirty && !this.stopped && !this.shuttingDown) this.kick();
        else if (this.isSettled()) this.onIdle();
      });
  }

  private async loop(): Promise<void> {
    while (this.dirty && !this.stopped && !this.shuttingDown) {
      this.dirty = false;
      const trigger = this.dirtyReason ?? "recheck";
      this.dirtyReason = undefined;
      let result: ScheduleResult;
      const now = this.nowSec();
      const planned = this.planned;
      this.planned = undefined;
      try {
        // update() already planned this very CIB (its dry run): no second scheduler run
        result = planned && planned.cib === this.cib && planned.now === now ? planned.result : this.opts.policy.schedule(this.cib, { now });
      } catch (e) {
        this.history.event({ kind: "transition-end", message: `scheduler failed (${trigger}): ${errText(e)}` });
        return;
      }
      // idle: nothing to do (a graph of pseudo actions only changes nothing either)
      if (!result.transition.actions.some((a) => !a.pseudo)) {
        // converged: a later identical plan (the same resource failing again) is a new
        // recovery, not a loop; remembering the old keys refused the third restart
        this.forgetLastPlan();
        return;
      }
      const keys = result.transition.actions.map((a) => `${a.key}@${a.node ?? ""}`).join(",");
      // only a re-run right after our own complete transition can be a loop; any other
      // trigger (a monitor failure, a host, a user change) is news
      if (trigger !== TRANSITION_COMPLETE) this.forgetLastPlan();
      if (keys === this.lastGoodKeys) {
        // the previous, fully successful transition was identical: the plan
        // does not converge (scheduler and recorded status disagree). Stop
        // rather than loop; the next real event tries again.
        if (++this.repeatCount >= 2) {
          this.history.event({
            kind: "transition-end",
            message: `not repeating an identical transition (${result.transition.actions.length} actions) a third time; waiting for the next event`,
          });
          this.forgetLastPlan();
          return;
        }
      } else {
        this.repeatCount = 0;
      }
      const writesBefore = this.statusWrites;
      const outcome = await this.runTransition(result, trigger);
      this.lastGoodKeys = outcome === "complete" ? keys : undefined;
      if (outcome !== "complete" && this.statusWrites === writesBefore && !this.stopped) {
        // the transition failed without changing anything (e.g. its actions could not
        // reach their host): retrying at once would spin; wait, longer each time,
        // unless a real event comes first
        this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs ? this.backoffMs * 2 : 250);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.backoffMs);
          this.wakeBackoff = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wakeBackoff = undefined;
      } else if (outcome === "complete") {
        this.backoffMs = 0;
      }
      // whatever happened, look again: the results are in status now
      if (!this.stopped) {
        this.dirty = true;
        this.dirtyReason ??= outcome === "complete" ? TRANSITION_COMPLETE : `transition ${outcome}`;
      }
    }
  }

  private batchLimit(): number {
    const v = nvGet(this.cib.configuration.crmConfig, "batch-limit");
    const n = v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : 0;
    if (n > 0) return n;
    return Math.max(30, 2 * this.cib.configuration.nodes.length);
  }

  private async runTransition(result: ScheduleResult, trigger: string): Promise<GraphOutcome> {
    const id = this.transitionSeq++;
    const record: TransitionRecord = {
      id,
      startedAt: this.clock(),
      trigger,
      status: "running",
      summary: result.summary,
      transition: result.transition,
      results: [],
    };
    this.history.addTransition(record);
    this.history.event({
      kind: "transition-start",
      message: `transition ${id} (${result.transition.actions.length} actions) for: ${trigger}`,
      detail: { transition: id, summary: result.summary },
    });
    const graph = new GraphRun(result.transition, {
      batchLimit: this.batchLimit(),
      dispatch: (a) => this.dispatch(a, id, record),
    });
    this.running = { graph, record };
    this.publishSoon();
    const outcome = await graph.start();
    this.running = null;
    record.endedAt = this.clock();
    record.status = outcome;
    this.history.transitionEnded(record);
    this.history.event({
      kind: "transition-end",
      message: `transition ${id} ${outcome}${graph.abortReason ? `: ${graph.abortReason}` : ""} (${record.results.length} actions run)`,
      detail: { transition: id, status: outcome },
    });
    this.publishSoon();
    return outcome;
  }

  /** the loop guard starts over: the next plan is not compared with the last one */
  private forgetLastPlan(): void {
    this.lastGoodKeys = undefined;
    this.repeatCount = 0;
  }

  private publishSoon(): void {
    if (!this.publishTimer) this.publishTimer = setTimeout(() => this.publishNow(), this.coalesceMs);
  }

  private onIdle(): void {
    this.armFailureTimeout();
    for (const w of this.settleWaiters.splice(0)) w();
  }

  // -------------------------------------------------------------------------
  // actions

  private nextCallId(nodeId: string): number {
    const n = (this.callIds.get(nodeId) ?? 0) + 1;
    this.callIds.set(nodeId, n);
    return n;
  }

  private async dispatch(a: Action, transitionId: number, record: TransitionRecord): Promise<ActionOutcome> {
    const started = this.clock();
    const note = (rc: number, opStatus: number, execMs: number) =>
      record.results.push({ actionId: a.id, rc, opStatus, startedAt: started, execMs });
    switch (a.task) {
      case "stonith":
        return this.fence(a, note);
      case "cancel":
        if (a.node && a.rsc) {
          const interval = a.intervalMs || Number(a.meta["interval"] ?? 0);
          const task = a.meta["operation"] ?? "monitor";
          this.cancelRecurring(a.node, lrmIdFor(a), task, interval, true);
        }
        note(0, OpStatus.DONE, 0);
        return { ok: true };
      case "clear_failcount":
        if (a.node && a.rsc) this.clearFailCounts(a.node, lrmIdFor(a));
        note(0, OpStatus.DONE, 0);
        return { ok: true };
      case "lrm_delete":
      case "delete": // the scheduler's name for it (crm_simulate prints "X delete on node")
        // forget the resource's history on that node (orphans, cleanup): recurring ops go with it
        if (a.node && a.rsc) {
          const node = a.node;
          const rsc = lrmIdFor(a);
          const id = this.nodeIdOf(node);
          for (const [key, e] of [...this.recurring])
            if (e.node === node && e.lrmId === rsc) this.dropRecurring(key, e, OpStatus.CANCELLED);
          this.commitStatus((c) => cleanupHistory(c, id, rsc));
        }
        note(0, OpStatus.DONE, 0);
        return { ok: true };
    }
    if (!a.node || !a.rsc || !a.agentType) {
      // node-level housekeeping actions Vigil has nothing to do for (e.g. do_shutdown, lrm_refresh)
      note(0, OpStatus.DONE, 0);
      return { ok: true };
    }
    const node = a.node;
    const nodeId = this.nodeIdOf(node);
    const lrmId = lrmIdFor(a);
    const targetRc = targetRcFor(a.task, a.intervalMs, a.meta);
    if (!this.isNodeUp(node)) {
      note(-1, OpStatus.NOT_CONNECTED, 0);
      return { ok: false };
    }
    if (a.task === "stop") {
      // recurring operations end with the resource (the executor cancels them before stopping it)
      for (const e of [...this.recurring.values()])
        if (e.node === node && e.lrmId === lrmId) this.cancelRecurring(node, lrmId, e.op.action, e.op.intervalMs, true);
    }
    const op: AgentOp = {
      rsc: lrmId,
      standard: a.standard ?? "ocf",
      provider: a.provider,
      type: a.agentType,
      action: a.task,
      intervalMs: a.intervalMs,
      timeoutMs: a.timeoutMs,
      params: a.params,
      meta: a.meta,
    };
    // Non-recurring results of agents that can reload carry the restart digest
    // (read from the agent's meta-data once, in parallel with the first action).
    const support = op.standard === "ocf" && a.intervalMs === 0 && a.task !== "notify" ? this.reloadSupport.get(node, op) : undefined;
    // pre-OCF-1.1 agents reload with `reload`, as Pacemaker maps the scheduler's reload-agent
    if (a.task === "reload-agent" && (await support)?.action === "reload") op.action = "reload";
    // a recurring monitor's first run is the graph action; later runs report changes
    const recurring = a.task === "monitor" && a.intervalMs > 0;
    const res = recurring
      ? await this.startRecurring(node, nodeId, lrmId, op, a.id, transitionId, targetRc)
      : await this.opts.executor.exec(node, op);
    note(res.rc, res.opStatus, res.execMs);
    if (res.opStatus === OpStatus.NOT_CONNECTED || res.opStatus === OpStatus.CANCELLED || !this.isNodeUp(node)) {
      // the host went away under the action (or it was cancelled): nothing to record; the membership change reschedules
      return { ok: false };
    }
    if (a.task === "notify") {
      // Pacemaker neither records notifications in the status nor fails the
      // transition on them: an agent without a notify action answers rc 3, and
      // aborting on that would replan the same notifications forever.
      this.history.event({
        kind: "action-result",
        node,
        rsc: lrmId,
        message: `${lrmId} notify (${a.meta.notify_type ?? "?"}-${a.meta.notify_operation ?? "?"}) on ${node}: ${describeResult(res, targetRc)}`,
        detail: { rc: res.rc, opStatus: res.opStatus, transition: transitionId, action: a.id, execMs: res.execMs },
      });
      return { ok: true };
    }
    const callId = this.nextCallId(nodeId);
    const failed = opFailed(res.rc, res.opStatus, targetRc);
    const reload = support && (await support);
    this.recordResult(a, res, { node, nodeId, lrmId, targetRc, callId, transitionId }, reload ? restartFields(reload, a.params) : undefined);
    this.history.event({
      kind: "action-result",
      node,
      rsc: lrmId,
      message: `${opKey(lrmId, a.task, a.intervalMs)} on ${node}: ${describeResult(res, targetRc)}`,
      detail: { rc: res.rc, opStatus: res.opStatus, targetRc, transition: transitionId, action: a.id, execMs: res.execMs },
    });
    return { ok: !failed };
  }

  private recordResult(
    a: { task: string; intervalMs: number; params: Record<string, string>; timeoutMs: number; id: number; standard?: string; provider?: string; agentType?: string },
    res: OpResult,
    ctx: { node: string; nodeId: string; lrmId: string; targetRc: number; callId: number; transitionId: number },
    restart?: { opForceRestart: string; opRestartDigest: string },
  ): void {
    const failed = opFailed(res.rc, res.opStatus, ctx.targetRc);
    const at = res.startedAt + res.execMs;
    this.commitStatus((c) => {
      let out = recordOp(c, {
        nodeId: ctx.nodeId,
        uname: ctx.node,
        rsc: ctx.lrmId,
        standard: a.standard,
        provider: a.provider,
        agentType: a.agentType,
        task: a.task,
        intervalMs: a.intervalMs,
        params: a.params,
        timeoutMs: a.timeoutMs,
        targetRc: ctx.targetRc,
        actionId: a.id,
        transitionId: ctx.transitionId,
        dcUuid: this.dcUuid,
        callId: ctx.callId,
        rc: res.rc,
        opStatus: res.opStatus,
        exitReason: res.exitReason,
        at: Number.isFinite(at) && at > 0 ? at : this.clock(),
        execMs: res.execMs,
        queueMs: res.queueMs,
        restart,
      });
      if (failed) {
        const sfif = parseBoolean(nvGet(c.configuration.crmConfig, "start-failure-is-fatal"), true);
        const change = failCountChange(a.task, a.intervalMs, sfif);
        if (change) out = recordFailCount(out, ctx.nodeId, ctx.node, ctx.lrmId, a.task, a.intervalMs, change, this.nowSec());
      }
      return out;
    });
  }

  private async fence(a: Action, note: (rc: number, st: number, ms: number) => void): Promise<ActionOutcome> {
    const node = a.node ?? a.meta["on_node"] ?? a.params["target"];
    const action = (a.fenceAction ?? a.meta["stonith_action"] ?? "reboot") as "reboot" | "off" | "on";
    if (!node || !this.opts.fencer) {
      this.history.event({ kind: "fence", node, message: `cannot fence ${node ?? "?"}: no fencing configured` });
      note(1, OpStatus.NO_FENCE_DEVICE, 0);
      return { ok: false };
    }
    const t0 = this.clock();
    let r: { ok: boolean; message?: string };
    try {
      r = await this.opts.fencer.fence(node, action);
    } catch (e) {
      r = { ok: false, message: errText(e) };
    }
    note(r.ok ? 0 : 1, r.ok ? OpStatus.DONE : OpStatus.ERROR, this.clock() - t0);
    this.history.event({
      kind: "fence",
      node,
      message: r.ok ? `node ${node} fenced (${action})` : `fencing ${node} (${action}) failed: ${r.message ?? "error"}`,
    });
    if (r.ok) {
      const id = this.nodeIdOf(node);
      this.cancelRecurringOn(node);
      // after fencing nothing runs there: history and attributes go, the node is cleanly down
      // (it is probed again when it rejoins)
      this.commitStatus((c) => setNodeMembership(eraseNodeAttributes(eraseNodeHistory(c, id), id), id, node, "fenced", "send_stonith_update"));
      if (this.isNodeUp(node)) this.commitStatus((c) => setNodeMembership(c, id, node, "online", "peer_update_callback"));
    }
    return { ok: r.ok };
  }

  private clearFailCounts(node: string, rsc: string): void {
    const id = this.nodeIdOf(node);
    this.commitStatus((c) => {
      let out = c;
      const ns = c.status.find((n) => n.id === id);
      for (const s of ns?.transientAttributes ?? [])
        for (const p of s.nvpairs)
          if (p.name.startsWith(`fail-count-${rsc}#`) || p.name.startsWith(`last-failure-${rsc}#`))
            out = setTransientAttr(out, id, node, p.name, undefined);
      return out;
    });
  }

  // -------------------------------------------------------------------------
  // recurring monitors

  private recurringKey(node: string, rsc: string, task: string, intervalMs: number): string {
    return `${node}\u0000${rsc}\u0000${task}\u0000${intervalMs}`;
  }

  /** Start a recurring operation; resolves with its first result. */
  private startRecurring(
    node: string,
    nodeId: string,
    lrmId: string,
    op: AgentOp,
    actionId: number,
    transitionId: number,
    targetRc: number,
  ): Promise<OpResult> {
    const key = this.recurringKey(node, lrmId, op.action, op.intervalMs);
    this.cancelRecurring(node, lrmId, op.action, op.intervalMs, false);
    return new Promise<OpResult>((resolve) => {
      const entry: RecurringEntry = { node, nodeId, lrmId, op, actionId, transitionId, targetRc, first: resolve };
      this.recurring.set(key, entry);
      try {
        this.opts.executor.startRecurring(node, op, (r) => {
          if (this.recurring.get(key) !== entry) return; // cancelled meanwhile
          entry.lastRc = r.rc;
          entry.lastStatus = r.opStatus;
          if (entry.first) {
            const f = entry.first;
            entry.first = undefined;
            f(r);
            return;
          }
          if (!this.stopped) this.onRecurringChange(entry, r);
        });
      } catch (e) {
        this.recurring.delete(key);
        entry.first = undefined;
        resolve(syntheticResult(OpStatus.NOT_CONNECTED, errText(e)));
      }
    });
  }

  private onRecurringChange(e: RecurringEntry, r: OpResult): void {
    if (!this.isNodeUp(e.node) || r.opStatus === OpStatus.NOT_CONNECTED || r.opStatus === OpStatus.CANCELLED) return;
    const failed = opFailed(r.rc, r.opStatus, e.targetRc);
    this.recordResult(
      {
        task: e.op.action,
        intervalMs: e.op.intervalMs,
        params: e.op.params,
        timeoutMs: e.op.timeoutMs,
        id: e.actionId,
        standard: e.op.standard,
        provider: e.op.provider,
        agentType: e.op.type,
      },
      r,
      {
        node: e.node,
        nodeId: e.nodeId,
        lrmId: e.lrmId,
        targetRc: e.targetRc,
        callId: this.nextCallId(e.nodeId),
        transitionId: e.transitionId,
      },
    );
    this.history.event({
      kind: failed ? "monitor-failed" : "action-result",
      node: e.node,
      rsc: e.lrmId,
      message: `${opKey(e.lrmId, e.op.action, e.op.intervalMs)} on ${e.node}: ${describeResult(r, e.targetRc)}`,
      detail: { rc: r.rc, opStatus: r.opStatus, targetRc: e.targetRc, exitReason: r.exitReason },
    });
    this.requestSchedule(`${opKey(e.lrmId, e.op.action, e.op.intervalMs)} on ${e.node} ${failed ? "failed" : "changed"}`);
  }

  private dropRecurring(key: string, e: RecurringEntry, why: number): void {
    this.recurring.delete(key);
    this.opts.executor.cancelRecurring(e.node, e.lrmId, e.op.intervalMs);
    if (e.first) {
      const f = e.first;
      e.first = undefined;
      f(syntheticResult(why, why === OpStatus.CANCELLED ? "cancelled" : `node ${e.node} is down`));
    }
  }

  private cancelRecurring(node: string, rsc: string, task: string, intervalMs: number, deleteEntry: boolean): void {
    const key = this.recurringKey(node, rsc, task, intervalMs);
    const e = this.recurring.get(key);
    if (e) this.dropRecurring(key, e, OpStatus.CANCELLED);
    if (deleteEntry) {
      const id = this.nodeIdOf(node);
      this.commitStatus((c) => deleteRecurringOp(c, id, rsc, task, intervalMs));
    }
  }

  private cancelRecurringOn(node: string): void {
    for (const [key, e] of [...this.recurring]) if (e.node === node) this.dropRecurring(key, e, OpStatus.NOT_CONNECTED);
  }

  /** After a status change from outside (cleanup), recurring monitors whose resource history is gone are cancelled. */
  private reconcileRecurring(): void {
    for (const [key, e] of [...this.recurring]) {
      const ns = this.cib.status.find((n) => n.id === e.nodeId);
      if (!ns?.lrmResources.some((r) => r.id === e.lrmId)) this.dropRecurring(key, e, OpStatus.CANCELLED);
    }
  }

  // -------------------------------------------------------------------------
  // timers

  private armRecheck(): void {
    clearTimeout(this.recheckTimer);
    const v = nvGet(this.cib.configuration.crmConfig, "cluster-recheck-interval");
    const ms = tryParseDuration(v) ?? DEFAULT_RECHECK_MS;
    if (ms <= 0) return;
    this.recheckTimer = setTimeout(() => {
      this.requestSchedule("cluster-recheck-interval", false);
      this.armRecheck();
    }, Math.max(1000, ms));
    this.recheckTimer.unref?.();
  }

  /** Wake up when the next failure-timeout expires, so the expired failure stops counting on time. */
  private armFailureTimeout(): void {
    this.failureTimer?.cancel();
    // an expiry that passed while a transition ran still needs its wake-up; one wake-up per expiry moment
    const next = nextFailureExpiry(this.cib, this.lastExpiryWake);
    if (next === undefined) return;
    // the scheduler counts whole seconds and a failure expires strictly after
    // last-failure + failure-timeout: wake one second past the expiry moment (by the
    // controller's clock: a wake-up a millisecond early would see it still counting)
    this.failureTimer = wakeAt(this.clock, (next + 1) * 1000, () => {
      this.lastExpiryWake = next;
      this.requestSchedule("failure-timeout expired", false);
    });
  }
}

// ---------------------------------------------------------------------------
// helpers

/** The id the resource has in status: anonymous clone instances drop ":N" (as Pacemaker's lrm does). */
export function lrmIdFor(a: Pick<Action, "rsc" | "configRsc" | "meta">): string {
  const rsc = a.rsc ?? "";
  if (a.meta["globally_unique"] === "true") return rsc;
  if (a.meta["clone"] !== undefined || /:\d+$/.test(rsc)) return rsc.replace(/:\d+$/, "");
  return rsc;
}

function cleanupHistory(cib: Cib, nodeId: string, rsc: string): Cib {
  const i = cib.status.findIndex((n) => n.id === nodeId);
  if (i < 0 || !cib.status[i].lrmResources.some((r) => r.id === rsc)) return cib;
  const status = cib.status.slice();
  status[i] = { ...status[i], lrmResources: status[i].lrmResources.filter((r) => r.id !== rsc) };
  return { ...cib, status };
}

function syntheticResult(opStatus: number, reason: string): OpResult {
  return { rc: 1, opStatus, exitReason: reason, output: "", stderr: "", startedAt: Date.now(), execMs: 0, queueMs: 0 };
}

function describeResult(r: OpResult, targetRc: number): string {
  const status = r.opStatus === OpStatus.DONE ? "" : ` (op-status ${r.opStatus})`;
  const reason = r.exitReason ? `: ${r.exitReason}` : "";
  return `rc=${r.rc}${status}${r.rc === targetRc && r.opStatus === OpStatus.DONE ? " ok" : ` expected ${targetRc}`}${reason}`;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "Wed Dec  2 03:10:00 2026", the form Pacemaker writes into cib-last-written. */
function pacemakerDate(d: Date): string {
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function setClusterProperty(cib: Cib, name: string, value: string): Cib {
  const sets: NvSet[] = cib.configuration.crmConfig.length
    ? cib.configuration.crmConfig.map((s, i) =>
        i === 0
          ? { ...s, nvpairs: [...s.nvpairs.filter((p) => p.name !== name), { id: `${s.id}-${name}`, name, value }] }
          : { ...s, nvpairs: s.nvpairs.filter((p) => p.name !== name) },
      )
    : [{ id: "cib-bootstrap-options", nvpairs: [{ id: `cib-bootstrap-options-${name}`, name, value }] }];
  return { ...cib, configuration: { ...cib.configuration, crmConfig: sets } };
}

function resourceMeta(cib: Cib, rscId: string): Record<string, string> {
  const chain: Resource[] = [];
  const visit = (r: Resource, parents: Resource[]): boolean => {
    if (r.id === rscId) {
      chain.push(...parents, r);
      return true;
    }
    if (r.kind === "group") return r.children.some((c) => visit(c, [...parents, r]));
    if (r.kind === "clone") return visit(r.child, [...parents, r]);
    return false;
  };
  for (const r of cib.configuration.resources) if (visit(r, [])) break;
  const out: Record<string, string> = { ...nvToRecord(cib.configuration.rscDefaults) };
  for (const r of chain) Object.assign(out, nvToRecord(r.metaAttributes));
  return out;
}

/** The earliest moment (epoch s) after `afterSec` at which a recorded failure's failure-timeout expires, if any. */
export function nextFailureExpiry(cib: Cib, afterSec: number): number | undefined {
  let next: number | undefined;
  for (const ns of cib.status)
    for (const s of ns.transientAttributes)
      for (const p of s.nvpairs) {
        const m = /^last-failure-(.+)#[^#]+$/.exec(p.name);
        if (!m || p.value === undefined) continue;
        const ft = tryParseDuration(resourceMeta(cib, m[1].replace(/:\d+$/, ""))["failure-timeout"]);
        if (!ft || ft <= 0) continue;
        const at = Number(p.value) + Math.ceil(ft / 1000);
        if (at > afterSec && (next === undefined || at < next)) next = at;
      }
  return next;
}

function emptyState(message: string): ClusterState {
  return {
    nodes: [],
    resources: [],
    failedActions: [],
    failCounts: [],
    haveQuorum: false,
    stonithEnabled: true,
    symmetricCluster: true,
    maintenanceMode: false,
    noQuorumPolicy: "stop",
    counts: { nodes: 0, resourceInstances: 0, disabled: 0, blocked: 0 },
    messages: [message],
  };
}
