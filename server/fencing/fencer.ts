// The fencer: executes fencing requests with the configured fence devices.
//
//   const fencer = new Fencer({
//     devices: () => devicesFromCib(cib), topology: () => topologyFromCib(cib),
//     hosts: () => onlineTransports,            // hosts that may run an agent for us
//     agentDirs: ["/usr/sbin"],                // agents found here run on the controller itself
//     stonithTimeoutMs: 60000, history,
//   });
//   const rec = await fencer.fence("node2", "reboot", { origin: "controller", client: "vigil-controller" });
//   rec.state === "success" | "failed"        // never throws for a failing device; see rec.error / rec.attempts
//   await fencer.candidates("node2")          // devices able to fence node2 (pcmk_host_check rules)
//   await fencer.runDeviceAction(dev, "monitor")   // one agent call (monitor/list/status/metadata) for the stonith class
//
// Order of devices: the target's fencing-topology levels (all devices of a level must
// succeed; on failure the next level is tried), else every capable device by priority
// (highest first), then id. Each device gets its action timeout (pcmk_<action>_timeout,
// else stonith-timeout) across 1 + pcmk_<action>_retries attempts, after pcmk_delay_*.
// Where the agent runs: on the controller when the agent exists in agentDirs (power fencing
// from the management side, the test bed's fence_testbed), otherwise through an online host
// that is not the target. Duplicate requests for the same target and action share one run.

import { existsSync } from "node:fs";
import path from "node:path";
import type { RunRequest, RunResult, Transport } from "../executor/types";
import {
  actionRetries,
  actionTimeoutMs,
  agentInput,
  canFenceStatic,
  fenceDelayMs,
  hostCheck,
  levelsFor,
  parseAgentMeta,
  parseListOutput,
  stdinFor,
  type AgentMeta,
  type FenceDevice,
  type FencingLevel,
} from "./devices";
import { FenceHistory, type FenceAttempt, type FenceRecord } from "./history";
import { runLocal } from "./local-runner";

export type FenceAction = "reboot" | "off" | "on";

export interface FencerOptions {
  devices: () => FenceDevice[];
  topology?: () => FencingLevel[];
  /** transports of hosts that may run fence agents (the fencer skips the target and hosts not up) */
  hosts?: () => Transport[];
  /** agents found in one of these folders run on the controller [/usr/sbin] */
  agentDirs?: string[];
  /** set false to never run agents on the controller */
  localAgents?: boolean;
  /** where agents live on hosts [/usr/sbin] */
  hostAgentDir?: string;
  stonithTimeoutMs?: number;
  history?: FenceHistory;
  random?: () => number;
  /** local runner (tests may wrap it); defaults to child_process */
  runLocal?: (req: RunRequest) => Promise<RunResult>;
  /** how long a dynamic-list answer is trusted [60000] */
  listCacheMs?: number;
}

interface Runner {
  via: string;
  run: (req: RunRequest) => Promise<RunResult>;
  argv0: string;
}

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

export class FenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FenceError";
  }
}

export class Fencer {
  readonly history: FenceHistory;
  private readonly o: FencerOptions;
  private pending = new Map<string, Promise<FenceRecord>>();
  private deviceQueue = new Map<string, Promise<unknown>>();
  private metaCache = new Map<string, AgentMeta | null>();
  private listCache = new Map<string, { at: number; hosts: string[] }>();

  constructor(opts: FencerOptions) {
    this.o = opts;
    this.history = opts.history ?? new FenceHistory();
  }

  private stonithTimeout(): number {
    return this.o.stonithTimeoutMs ?? 60000;
  }

  /** where to run an agent for a given target (never on the target itself) */
  private runners(agent: string, target?: string): Runner[] {
    if (!AGENT_NAME.test(agent)) throw new FenceError(`fence agent name "${agent}" is invalid`);
    const out: Runner[] = [];
    if (this.o.localAgents !== false) {
      for (const dir of this.o.agentDirs ?? ["/usr/sbin"]) {
        const p = path.join(dir, agent);
        if (existsSync(p)) {
          out.push({ via: "controller", run: this.o.runLocal ?? runLocal, argv0: p });
          break;
        }
      }
    }
    const hostDir = this.o.hostAgentDir ?? "/usr/sbin";
    for (const t of this.o.hosts?.() ?? []) {
      if (t.node === target || t.state() !== "up") continue;
      out.push({ via: t.node, run: (r) => t.run(r), argv0: path.posix.join(hostDir, agent) });
    }
    return out;
  }

  private async callAgent(r: Runner, params: Record<string, string>, timeoutMs: number): Promise<RunResult> {
    return r.run({ argv: [r.argv0], stdin: stdinFor(params), timeoutMs: Math.max(1, timeoutMs) });
  }

  /** meta-data of an agent (cached; null when it cannot be read) */
  async agentMeta(agent: string): Promise<AgentMeta | null> {
    if (this.metaCache.has(agent)) return this.metaCache.get(agent)!;
    let meta: AgentMeta | null = null;
    for (const r of this.runners(agent)) {
      try {
        const res = await this.callAgent(r, { action: "metadata" }, 10000);
        if (res.code === 0) {
          meta = parseAgentMeta(res.stdout);
          break;
        }
      } catch {
        /* try the next place */
      }
    }
    this.metaCache.set(agent, meta);
    return meta;
  }

  /** one agent call for the stonith class (monitor, status, list, metadata, validate-all) */
  async runDeviceAction(dev: FenceDevice, action: string, target?: string, timeoutMs?: number): Promise<RunResult & { via: string }> {
    const meta = await this.agentMeta(dev.agent);
    const params = agentInput(dev, action, target, meta ?? undefined);
    const runners = this.runners(dev.agent, target);
    if (runners.length === 0) throw new FenceError(`fence agent ${dev.agent} (device ${dev.id}) is not available on the controller or on any online host`);
    let last: (RunResult & { via: string }) | null = null;
    for (const r of runners) {
      let res: RunResult;
      try {
        res = await this.callAgent(r, params, timeoutMs ?? actionTimeoutMs(dev, action, this.stonithTimeout()));
      } catch (e) {
        last = { code: null, signal: null, stdout: "", stderr: (e as Error).message, timedOut: false, durationMs: 0, via: r.via };
        continue;
      }
      last = { ...res, via: r.via };
      if (res.code !== 127) return last; // 127: agent missing there; try the next place
    }
    return last!;
  }

  /** devices that can fence target, in the order they would be used */
  async candidates(target: string): Promise<FenceDevice[]> {
    const devs = this.o.devices().filter((d) => d.enabled);
    const out: FenceDevice[] = [];
    for (const d of devs) if (await this.canFence(d, target)) out.push(d);
    return out.sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  }

  private async canFence(dev: FenceDevice, target: string): Promise<boolean> {
    let quick: boolean | "ask";
    try {
      quick = canFenceStatic(dev, target); // static lists decide without running the agent
    } catch {
      return false;
    }
    if (quick !== "ask") return quick;
    const meta = (await this.agentMeta(dev.agent)) ?? undefined;
    quick = canFenceStatic(dev, target, meta);
    if (quick !== "ask") return quick;
    const check = hostCheck(dev, meta);
    const explicit = !!dev.params["pcmk_host_check"];
    if (check === "dynamic-list") {
      const hosts = await this.dynamicList(dev);
      if (hosts) return hosts.includes(target);
      if (explicit) return false;
      if (meta && !meta.actions?.includes("status")) return true; // neither list nor status works: "none"
    }
    // status: the device knows the port when status answers on (0) or off (2)
    try {
      const r = await this.runDeviceAction(dev, "status", target);
      return r.code === 0 || r.code === 2;
    } catch {
      return false;
    }
  }

  private async dynamicList(dev: FenceDevice): Promise<string[] | null> {
    const c = this.listCache.get(dev.id);
    if (c && Date.now() - c.at < (this.o.listCacheMs ?? 60000)) return c.hosts;
    try {
      const r = await this.runDeviceAction(dev, "list");
      if (r.code !== 0) return null;
      const hosts = parseListOutput(r.stdout);
      this.listCache.set(dev.id, { at: Date.now(), hosts });
      return hosts;
    } catch {
      return null;
    }
  }

  /** fence target; resolves with the finished record (state success or failed) */
  fence(target: string, action: FenceAction = "reboot", opts: { origin?: string; client?: string; timeoutMs?: number } = {}): Promise<FenceRecord> {
    if (!target || /[\s=]/.test(target)) return Promise.reject(new FenceError(`fence: invalid target "${target}"`));
    if (!["reboot", "off", "on"].includes(action)) return Promise.reject(new FenceError(`fence: action must be reboot, off or on (got "${action}")`));
    const key = `${target}\0${action}`;
    const dup = this.pending.get(key);
    if (dup) return dup;
    const rec = this.history.begin({ target, action, origin: opts.origin ?? "controller", client: opts.client ?? "vigil-controller" });
    const p = this.execute(rec, opts.timeoutMs).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private async execute(rec: FenceRecord, timeoutOverride?: number): Promise<FenceRecord> {
    const { target, action } = rec;
    const errors: string[] = [];
    try {
      const all = this.o.devices();
      const byId = new Map(all.map((d) => [d.id, d]));
      const levels = levelsFor(this.o.topology?.() ?? [], target);
      const plans: { label: string; devices: FenceDevice[] }[] = [];
      if (levels.length) {
        for (const l of levels) {
          const devs = l.devices.map((id) => byId.get(id));
          const missing = l.devices.filter((id) => !byId.get(id));
          if (missing.length) {
            errors.push(`level ${l.index}: no such device ${missing.join(", ")}`);
            continue;
          }
          plans.push({ label: `level ${l.index}`, devices: devs as FenceDevice[] });
        }
      } else {
        for (const d of await this.candidates(target)) plans.push({ label: d.id, devices: [d] });
      }
      if (plans.length === 0 && errors.length === 0) {
        const n = all.length;
        errors.push(n === 0 ? "no fence devices are configured" : `none of the ${n} fence device(s) can fence ${target} (check pcmk_host_list / pcmk_host_map)`);
      }
      for (const plan of plans) {
        let ok = true;
        let lastDelegate = "";
        for (const dev of plan.devices) {
          const res = await this.withDeviceLock(dev.id, () => this.runWithRetries(rec, dev, timeoutOverride));
          if (!res.ok) {
            ok = false;
            errors.push(`${dev.id}: ${res.error}`);
            break;
          }
          lastDelegate = res.via;
        }
        if (ok) {
          return this.history.finish(rec.id, { state: "success", delegate: lastDelegate, device: plan.devices.map((d) => d.id).join(",") })!;
        }
      }
    } catch (e) {
      errors.push((e as Error).message);
    }
    return this.history.finish(rec.id, { state: "failed", error: errors.join("; ") || "fencing failed" })!;
  }

  private async withDeviceLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    // pcmk_action_limit 1: one action at a time per device
    const prev = this.deviceQueue.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.deviceQueue.set(id, next.catch(() => {}));
    return next;
  }

  private async runWithRetries(rec: FenceRecord, dev: FenceDevice, timeoutOverride?: number): Promise<{ ok: true; via: string } | { ok: false; error: string }> {
    const action = rec.action;
    const total = timeoutOverride ?? actionTimeoutMs(dev, action, this.stonithTimeout());
    const retries = actionRetries(dev, action);
    const deadline = Date.now() + total;
    const delay = fenceDelayMs(dev, rec.target, this.o.random);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const meta = (await this.agentMeta(dev.agent)) ?? undefined;
    const params = agentInput(dev, action, rec.target, meta);
    let lastErr = "not attempted";
    for (let attempt = 0; attempt <= retries; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining < 100) {
        lastErr += ` (no time left within ${total} ms for another attempt)`;
        break;
      }
      const runners = this.runners(dev.agent, rec.target);
      if (runners.length === 0) {
        lastErr = `agent ${dev.agent} is not available on the controller (${(this.o.agentDirs ?? ["/usr/sbin"]).join(", ")}) or on any online host other than ${rec.target}`;
        break;
      }
      for (const r of runners) {
        const startedAt = Date.now();
        let res: RunResult;
        try {
          res = await this.callAgent(r, params, deadline - Date.now());
        } catch (e) {
          lastErr = `${r.via}: ${(e as Error).message}`;
          this.history.attempt(rec.id, { device: dev.id, via: r.via, rc: null, timedOut: false, output: lastErr, startedAt, durationMs: Date.now() - startedAt });
          continue;
        }
        const out = (res.stderr || res.stdout).trim().split("\n").slice(-3).join(" | ");
        const a: FenceAttempt = { device: dev.id, via: r.via, rc: res.code, timedOut: res.timedOut, output: out, startedAt, durationMs: res.durationMs };
        this.history.attempt(rec.id, a);
        if (res.code === 0) return { ok: true, via: r.via };
        if (res.code === 127) {
          lastErr = `agent ${dev.agent} not found on ${r.via}`;
          continue; // try another place
        }
        lastErr = res.timedOut ? `timed out after ${res.durationMs} ms on ${r.via}` : `agent ${dev.agent} returned ${res.code ?? res.signal} on ${r.via}${out ? `: ${out}` : ""}`;
        break; // a real failure: next attempt (retry) rather than next host
      }
    }
    return { ok: false, error: lastErr };
  }
}
