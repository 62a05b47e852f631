// HostManager: the glue between hosts.json (server/membership/hosts.ts), the
// SSH transports, Membership, the executor, the fencer and the controller.
//
//   const hm = new HostManager({ store, membership, executor, controller, fencer });
//   const transports = hm.bootTransports();            // at start-up: one MemberTransport per stored host
//   // ...construct and start the Controller with them, then hm.attach(controller)
//   await hm.addHost({ name, address, ... }, { acceptNew: true });   // `vigil host add`
//   await hm.removeHost("node3");                                   // `vigil host remove`
//   hm.listHosts();                                                  // `vigil host list`
//
// What each call does, in order (so a failure leaves nothing half done):
// - addHost: first contact and test connection (host-add.ts: the key is shown and must be
//   confirmed unless given or --accept-new) -> hosts.json -> node in the CIB (controller.update)
//   -> transport registered with membership, executor and controller -> connect. A returning or
//   new node is probed by the controller before anything is started on it.
// - removeHost: refused while resources are active there (put it in standby first, or force);
//   node out of the CIB (configuration and status) -> transport unregistered and closed ->
//   hosts.json.
// - host-timeout: the cluster property is followed live (membership and keepalives).

import { existsSync } from "node:fs";
import path from "node:path";
import type { Cib, CibNode } from "../cib/types";
import { CibError } from "../cib/errors";
import { nvGet } from "../cib/nvset";
import { tryParseDuration } from "../cib/values";
import type { Actor, ClusterService } from "../controller/types";
import type { Transport } from "../executor/types";
import { fingerprint, parseHostKey } from "../executor/ssh-hostkey";
import type { SshTransport } from "../executor/ssh-transport";
import { addHost as storeHost, prepareHostAdd, transportFor } from "../membership/host-add";
import { HostConfigError, publicView, type HostInput, type HostPublicView, type HostStore } from "../membership/hosts";
import type { Membership, MemberState } from "../membership/membership";
import { formatQuorumStatus } from "../membership/quorum-format";
import type { QuorumStatus } from "../membership/quorum";
import type { Fencer as StonithFencer, FenceAction } from "../fencing/fencer";
import type { FenceRecord } from "../fencing/history";
import { MemberTransport } from "./member-transport";

/** What the host manager needs of the controller: the ClusterService plus runtime transports. */
export interface HostController extends Pick<ClusterService, "snapshot" | "update" | "subscribe"> {
  addTransport(t: Transport): void;
  removeTransport(node: string): Transport | undefined;
}

export interface HostExecutor {
  addTransport(t: Transport): void;
  removeTransport(node: string): Transport | undefined;
}

export interface HostStatus extends HostPublicView {
  /** membership: online | suspect | lost | offline (never connected since start) */
  state: MemberState | "unknown";
  /** the SSH connection itself */
  connection: "connecting" | "up" | "down";
  /** epoch ms of the last packet from the host */
  lastHeardAt: number | null;
  /** last keepalive round trip */
  rttMs: number | null;
  lastError: string | null;
  reason?: string;
  inCib: boolean;
}

export interface HostAddRequest {
  name: string;
  address: string;
  port?: number | string;
  user?: string;
  identity?: string;
  /** pinned key "ssh-ed25519 AAAA..."; without it the host is asked for its key (needs acceptNew) */
  hostKey?: string;
}

export interface HostAddOptions {
  /** like StrictHostKeyChecking=accept-new: pin the key the host presents now */
  acceptNew?: boolean;
}

/** Thrown by addHost when the key came from the network and nobody confirmed it: shows the fingerprint. */
export class HostKeyConfirmationError extends HostConfigError {
  constructor(
    message: string,
    readonly fingerprint: string,
    readonly keyType: string,
    readonly hostKey: string,
  ) {
    super(message, "host-key");
    this.name = "HostKeyConfirmationError";
  }
}

export interface HostService {
  listHosts(): HostStatus[];
  /** first contact only: the host's key and fingerprint (the console's "Add host" form shows it) */
  probeHost(input: HostAddRequest): Promise<{ hostKey: string; fingerprint: string; keyType: string; needsConfirmation: boolean }>;
  addHost(input: HostAddRequest, opts?: HostAddOptions, actor?: Actor): Promise<HostStatus>;
  removeHost(name: string, opts?: { force?: boolean }, actor?: Actor): Promise<void>;
  quorum(): { status: QuorumStatus; text: string };
  fenceHistory(): FenceRecord[];
  fence(node: string, action: FenceAction, actor?: Actor): Promise<FenceRecord>;
}

export interface HostManagerOptions {
  store: HostStore;
  membership: Membership;
  executor: HostExecutor;
  fencer?: StonithFencer;
  /** identity file for hosts that name none [$VIGIL_IDENTITY, ~/.ssh/id_ed25519] */
  defaultIdentity?: string;
  hostTimeoutMs?: number;
  /** fence agents found in these folders are started/monitored on the controller (as the fencer runs them) */
  fenceAgentDirs?: string[];
}

const SYSTEM: Actor = { user: "hacluster", role: "system" };

export class HostManager implements HostService {
  private readonly transports = new Map<string, MemberTransport>();
  private controller?: HostController;
  private unsubSnap?: () => void;
  private hostTimeoutMs: number | undefined;

  constructor(private readonly o: HostManagerOptions) {
    this.hostTimeoutMs = o.hostTimeoutMs;
  }

  /** One transport per stored host (not connected): give them to the controller and executor at start-up. */
  bootTransports(): MemberTransport[] {
    const out: MemberTransport[] = [];
    for (const rec of this.o.store.list()) {
      if (this.transports.has(rec.name)) {
        out.push(this.transports.get(rec.name)!);
        continue;
      }
      out.push(this.register(rec.name, () => transportFor(rec, { hostTimeoutMs: this.hostTimeoutMs, defaultIdentity: this.o.defaultIdentity })));
    }
    return out;
  }

  private register(name: string, make: () => SshTransport): MemberTransport {
    const inner = make();
    this.o.membership.add(name, inner, { id: this.memberIdFor(name) });
    const t = new MemberTransport(inner, this.o.membership, { localFenceAgent: (n) => this.localFenceAgent(n) });
    this.transports.set(name, t);
    return t;
  }

  private localFenceAgent(name: string): string | undefined {
    for (const d of this.o.fenceAgentDirs ?? []) {
      const p = path.join(d, name);
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  /** membership ids follow the CIB's numeric node ids when there are any (corosync node ids) */
  private memberIdFor(name: string): number | undefined {
    const cib = this.controller?.snapshot().cib;
    const n = cib?.configuration.nodes.find((x) => x.uname === name);
    const used = new Set(this.o.membership.nodes().map((m) => m.id));
    if (n && /^\d+$/.test(n.id) && Number(n.id) > 0 && !used.has(Number(n.id))) return Number(n.id);
    return undefined;
  }

  /** Called once the controller runs: stored hosts missing from the CIB are added to it; host-timeout is followed. */
  async attach(controller: HostController): Promise<void> {
    this.controller = controller;
    const missing = this.o.store.list().filter((h) => !controller.snapshot().cib.configuration.nodes.some((n) => n.uname === h.name));
    if (missing.length)
      await controller.update((cib) => addNodes(cib, missing.map((h) => h.name)), SYSTEM, `add nodes ${missing.map((h) => h.name).join(", ")} (hosts.json)`);
    this.followHostTimeout(controller.snapshot().cib);
    this.unsubSnap = controller.subscribe((s) => this.followHostTimeout(s.cib));
  }

  private followHostTimeout(cib: Cib): void {
    const v = nvGet(cib.configuration.crmConfig, "host-timeout");
    const ms = tryParseDuration(v);
    if (ms === undefined || ms === this.o.membership.getHostTimeout()) return;
    try {
      this.o.membership.setHostTimeout(ms);
      this.hostTimeoutMs = ms;
    } catch {
      // out of range (300 ms .. 600 s): the property's validation reports it; keep the old value
    }
  }

  allTransports(): MemberTransport[] {
    return [...this.transports.values()];
  }

  transport(name: string): MemberTransport | undefined {
    return this.transports.get(name);
  }

  listHosts(): HostStatus[] {
    const cib = this.controller?.snapshot().cib;
    return this.o.store.list().map((rec) => {
      const m = this.o.membership.node(rec.name);
      const t = this.transports.get(rec.name);
      const stats = (t?.inner as SshTransport | undefined)?.stats?.();
      return {
        ...publicView(rec),
        state: m?.state ?? "unknown",
        connection: t?.inner.state() ?? "down",
        lastHeardAt: stats?.lastHeardAt ?? m?.lastSeen ?? null,
        rttMs: stats?.rttMs ?? null,
        lastError: stats?.lastError ?? null,
        reason: m?.reason,
        inCib: !!cib?.configuration.nodes.some((n) => n.uname === rec.name),
      };
    });
  }

  async probeHost(input: HostAddRequest) {
    const plan = await prepareHostAdd(input);
    return { hostKey: plan.hostKey, fingerprint: plan.fingerprint, keyType: plan.keyType, needsConfirmation: plan.needsConfirmation };
  }

  async addHost(input: HostAddRequest, opts: HostAddOptions = {}, actor: Actor = SYSTEM): Promise<HostStatus> {
    const ctl = this.requireController();
    const name = String(input.name ?? "").trim();
    if (this.transports.has(name) || this.o.store.get(name)) throw new HostConfigError(`host ${name} already exists (vigil host remove ${name} first)`, "name");
    const cibNode = ctl.snapshot().cib.configuration.nodes.find((n) => n.uname === name);
    if (cibNode && (cibNode.type ?? "member") !== "member") throw new HostConfigError(`${name} is a ${cibNode.type} node in the CIB, not a cluster host`, "name");
    // first contact, key confirmation and a test connection; stores hosts.json only when all pass
    const rec = await storeHost(this.o.store, input, {
      acceptNew: opts.acceptNew,
      confirm: async () => false,
      defaultIdentity: this.o.defaultIdentity,
      hostTimeoutMs: this.hostTimeoutMs,
    }).catch((e: unknown) => {
      if (e instanceof HostConfigError && e.field === "host-key" && !input.hostKey && /not confirmed/.test(e.message)) {
        const m = /(SHA256:\S+)/.exec(e.message);
        const line = /host-key="([^"]+)"/.exec(e.message)?.[1] ?? "";
        const k = line ? parseHostKey(line) : undefined;
        throw new HostKeyConfirmationError(e.message, m?.[1] ?? (k ? fingerprint(k.blob) : ""), k?.type ?? "", line);
      }
      throw e;
    });
    try {
      if (!cibNode) await ctl.update((cib) => addNodes(cib, [rec.name]), actor, `add node ${rec.name} (host add)`);
    } catch (e) {
      this.o.store.remove(rec.name); // nothing half done: the CIB refused, so hosts.json forgets it too
      throw e;
    }
    const t = this.register(rec.name, () => transportFor(rec, { hostTimeoutMs: this.hostTimeoutMs, defaultIdentity: this.o.defaultIdentity }));
    this.o.executor.addTransport(t);
    ctl.addTransport(t);
    // the controller sees it join (membership "online") and probes it before starting anything there
    await t.connect().catch(() => undefined); // unreachable now: it keeps retrying, `host list` shows why
    return this.listHosts().find((h) => h.name === rec.name)!;
  }

  async removeHost(name: string, opts: { force?: boolean } = {}, actor: Actor = SYSTEM): Promise<void> {
    const ctl = this.requireController();
    if (!this.o.store.get(name) && !this.transports.has(name)) throw new HostConfigError(`host ${name} does not exist (vigil host list)`, "name");
    const snap = ctl.snapshot();
    const active = snap.state.resources.flatMap((r) => activeOn(r, name));
    if (active.length && !opts.force)
      throw new HostConfigError(
        `host ${name} still runs ${[...new Set(active)].join(", ")}: move them away first (vigil node standby ${name}), or remove it with --force`,
        "name",
      );
    if (snap.cib.configuration.nodes.some((n) => n.uname === name) || snap.cib.status.some((s) => s.uname === name))
      await ctl.update((cib) => removeNode(cib, name), actor, `remove node ${name} (host remove)`);
    const t = this.transports.get(name);
    this.transports.delete(name);
    ctl.removeTransport(name);
    this.o.executor.removeTransport(name);
    this.o.membership.remove(name);
    await t?.close().catch(() => undefined);
    this.o.store.remove(name);
  }

  quorum(): { status: QuorumStatus; text: string } {
    const status = this.o.membership.quorum();
    return {
      status,
      text: formatQuorumStatus({ status, members: this.o.membership.quorumMembers(), ringId: this.o.membership.ringId(), date: new Date() }),
    };
  }

  fenceHistory(): FenceRecord[] {
    return this.o.fencer?.history.list() ?? [];
  }

  async fence(node: string, action: FenceAction, actor: Actor = SYSTEM): Promise<FenceRecord> {
    if (!this.o.fencer) throw new CibError("no fencer is configured", { code: "no-fencer" });
    const cib = this.requireController().snapshot().cib;
    if (!cib.configuration.nodes.some((n) => n.uname === node)) throw new CibError(`unknown node ${node}`, { field: "node", code: "unknown-node" });
    return this.o.fencer.fence(node, action, { origin: actor.user === "hacluster" ? "controller" : `cli:${actor.user}`, client: "vigil" });
  }

  /** stop following the CIB and close every transport (the controller's stop() closes the ones it holds too) */
  async close(): Promise<void> {
    this.unsubSnap?.();
    await Promise.all([...this.transports.values()].map((t) => t.close().catch(() => undefined)));
    this.transports.clear();
    this.o.membership.close();
  }

  private requireController(): HostController {
    if (!this.controller) throw new CibError("the controller is not running", { code: "not-running" });
    return this.controller;
  }
}

function activeOn(r: { id: string; active?: { node: string }[]; children?: unknown[] }, node: string): string[] {
  const out: string[] = [];
  const visit = (x: { id: string; active?: { node: string }[]; children?: unknown[] }) => {
    if (x.active?.some((a) => a.node === node)) out.push(x.id);
    for (const c of (x.children ?? []) as (typeof x)[]) visit(c);
  };
  visit(r);
  return out;
}

/** Add member nodes with the next free numeric ids (as corosync node ids). */
export function addNodes(cib: Cib, names: string[]): Cib {
  const nodes = [...cib.configuration.nodes];
  const used = new Set(nodes.map((n) => n.id));
  let next = 1;
  for (const name of names) {
    if (nodes.some((n) => n.uname === name)) continue;
    while (used.has(String(next))) next++;
    const node: CibNode = { id: String(next), uname: name, instanceAttributes: [], utilization: [] };
    used.add(node.id);
    nodes.push(node);
  }
  return { ...cib, configuration: { ...cib.configuration, nodes } };
}

/** Remove a node from the configuration and its status entry (crm_node --remove). */
export function removeNode(cib: Cib, name: string): Cib {
  const node = cib.configuration.nodes.find((n) => n.uname === name);
  return {
    ...cib,
    configuration: { ...cib.configuration, nodes: cib.configuration.nodes.filter((n) => n.uname !== name) },
    status: cib.status.filter((s) => s.uname !== name && (!node || s.id !== node.id)),
  };
}
