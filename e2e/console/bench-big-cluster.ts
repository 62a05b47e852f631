// A console server over a generated big cluster (100 nodes x 2000 resources by
// default), for the dashboard render benchmark in bench-console.ts. The demo's
// local hosts cannot run 2000 agents on a shared 2-core box, so this serves a
// CIB with a warm status through the real API server, the real WebSocket hub
// and the real scheduler's unpack; nothing executes. Changes (standby, ...)
// go through the real CIB mutations and validation and are published like the
// controller publishes them (new version, fresh unpack), so change-to-screen
// at this size is measurable too. Transitions are not run (nothing moves).
//
//   node --import tsx e2e/console/bench-big-cluster.ts   (env: VIGIL_STATE_DIR, VIGIL_PORT,
//        VIGIL_BENCH_NODES [100], VIGIL_BENCH_RESOURCES [2000]); prints "ready <url>" when listening.
//
// The status keeps each resource's start and monitor on its home node and
// leaves out the probes (rc 7) on the other 99 nodes: they do not change what
// the console shows, and they make the XML 50x bigger (105 MB, ~17 s to parse).

import { mkdirSync } from "node:fs";
import path from "node:path";
import { benchCib } from "../../bench/scheduler-cib";
import { parseCibXml } from "../../server/cib/xml";
import { validateCib } from "../../server/cib/validate";
import { bumpEpoch, bumpNumUpdates } from "../../server/cib/version";
import type { Cib } from "../../server/cib/types";
import { schedule, unpack } from "../../server/scheduler/index";
import type { ClusterEvent, ClusterService, Snapshot, TransitionRecord } from "../../server/controller/types";
import { startServer } from "../../server/api/server";

export function bigCib(nodes: number, resources: number): Cib {
  const xml = benchCib({ nodes, resources })
    .split("\n")
    .filter((l) => !(l.includes("<lrm_resource ") && l.includes('rc-code="7"')))
    .join("\n");
  return parseCibXml(xml);
}

/** A ClusterService over a fixed CIB: real mutations, validation, versioning and unpack; no executor. */
export class StaticCluster implements ClusterService {
  private version = 1;
  private snap: Snapshot;
  private readonly listeners = new Set<(s: Snapshot) => void>();
  private readonly eventListeners = new Set<(e: ClusterEvent) => void>();
  private readonly log: ClusterEvent[] = [];
  private readonly now: number;

  constructor(private cib: Cib) {
    this.now = Number(cib.attrs["execution-date"]) || Math.floor(Date.now() / 1000);
    this.snap = this.make();
  }

  private make(): Snapshot {
    return { version: this.version, cib: this.cib, state: unpack(this.cib, { now: this.now }) };
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  async update(mutation: (c: Cib) => Cib, actor: { user: string }, description: string): Promise<Snapshot> {
    const next = mutation(this.cib);
    validateCib(next);
    const config = JSON.stringify(next.configuration) !== JSON.stringify(this.cib.configuration);
    this.cib = config ? bumpEpoch(next) : bumpNumUpdates(next);
    this.version++;
    this.snap = this.make();
    const ev: ClusterEvent = { seq: this.log.length + 1, at: Date.now(), kind: "cib-change", actor: actor.user, message: description };
    this.log.push(ev);
    for (const l of this.eventListeners) l(ev);
    for (const l of this.listeners) l(this.snap);
    return this.snap;
  }

  preview(mutation: (c: Cib) => Cib) {
    return schedule(mutation(this.cib), { now: this.now });
  }

  subscribe(l: (s: Snapshot) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  events(): ClusterEvent[] {
    return [...this.log];
  }

  onEvent(l: (e: ClusterEvent) => void): () => void {
    this.eventListeners.add(l);
    return () => this.eventListeners.delete(l);
  }

  transitions(): TransitionRecord[] {
    return [];
  }

  async settled(): Promise<void> {}

  async stop(): Promise<void> {}
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stateDir = path.resolve(process.env.VIGIL_STATE_DIR ?? "/tmp/vigil-bench-big");
  mkdirSync(stateDir, { recursive: true });
  const t0 = performance.now();
  const cib = bigCib(Number(process.env.VIGIL_BENCH_NODES ?? 100), Number(process.env.VIGIL_BENCH_RESOURCES ?? 2000));
  const service = new StaticCluster(cib);
  const srv = await startServer({ stateDir, port: Number(process.env.VIGIL_PORT ?? 3225), host: "127.0.0.1", service });
  console.log(`generated and unpacked in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`ready ${srv.url}`);
  const stop = () => void srv.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
