// Agent classes: turn an AgentOp into a command on a host (through any
// Transport) and the command's exit status into an OCF result.
//
//   ocf      $OCF_ROOT/resource.d/<provider>/<type> <action>, OCF environment
//   lsb      <initDir>/<type> start|stop|status, LSB codes mapped to OCF
//   systemd  systemctl start|stop|is-active <type>.service; on a host without
//            systemd, the LSB init script of the same name
//   service  systemd when the host runs it, else lsb
//   stonith  <fenceDir>/<type> with key=value lines on stdin
//
// runAgentOp never throws: every problem (agent missing, timeout, host down)
// comes back as an OpResult with an rc, an op-status and an exit reason.

import type { AgentOp, AgentPaths, OpResult, RunRequest, RunResult, Transport } from "./types";
import { OcfRc, OpStatus } from "./types";
import { parseLsbHeader, syntheticMetadataXml } from "./metadata";

export interface RunAgentOptions {
  /** overrides of the transport's agentPaths */
  paths?: AgentPaths;
  /** time the op waited in the executor's queue, copied into the result */
  queueMs?: number;
  /** cancels the run (the transport kills the agent's process group): op-status CANCELLED */
  signal?: AbortSignal;
}

export type ResolvedPaths = Required<AgentPaths>;

export const DEFAULT_PATHS: ResolvedPaths = {
  ocfRoot: "/usr/lib/ocf",
  vigilOcfRoot: "/usr/lib/ocf",
  initDir: "/etc/init.d",
  fenceDir: "/usr/sbin",
  systemdRunDir: "/run/systemd/system",
  systemctl: "systemctl",
};

export function resolvePaths(t: Transport, over?: AgentPaths): ResolvedPaths {
  const merged: AgentPaths = { ...t.agentPaths, ...over };
  const ocfRoot = merged.ocfRoot ?? DEFAULT_PATHS.ocfRoot;
  return {
    ...DEFAULT_PATHS,
    ...stripUndefined(merged),
    ocfRoot,
    vigilOcfRoot: merged.vigilOcfRoot ?? ocfRoot,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const EXIT_REASON_PREFIX = "ocf-exit-reason:";
const MAX_EXIT_REASON = 512;

/** agent, provider and unit names end up in paths: keep them to one safe path segment */
const SAFE_NAME = /^[A-Za-z0-9_+@][A-Za-z0-9_.+@:-]*$/;

/** the full agent name as pcs prints it: ocf:heartbeat:IPaddr2, lsb:foo, stonith:fence_xvm */
export function agentName(op: Pick<AgentOp, "standard" | "provider" | "type">): string {
  return op.standard === "ocf" ? `ocf:${op.provider ?? "?"}:${op.type}` : `${op.standard}:${op.type}`;
}

export async function runAgentOp(t: Transport, op: AgentOp, opts: RunAgentOptions = {}): Promise<OpResult> {
  const ctx: Ctx = { t, op, paths: resolvePaths(t, opts.paths), queueMs: opts.queueMs ?? 0, startedAt: Date.now(), signal: opts.signal };
  const bad = checkNames(op);
  if (bad) return fail(ctx, OcfRc.ERR_CONFIGURED, OpStatus.ERROR, bad);
  try {
    switch (op.standard) {
      case "ocf":
        return await runOcf(ctx);
      case "lsb":
        return await runLsb(ctx, op.type);
      case "systemd":
        return (await hasSystemd(t, ctx.paths)) ? await runSystemd(ctx) : await runLsb(ctx, stripUnitSuffix(op.type));
      case "service":
        return (await hasSystemd(t, ctx.paths)) ? await runSystemd(ctx) : await runLsb(ctx, stripUnitSuffix(op.type));
      case "stonith":
        return await runStonith(ctx);
      default:
        return fail(ctx, OcfRc.ERR_UNIMPLEMENTED, OpStatus.NOT_SUPPORTED, `unknown resource class "${op.standard}" (ocf, lsb, systemd, service, stonith)`);
    }
  } catch (e) {
    if (ctx.signal?.aborted) return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.CANCELLED, `${op.action} of ${op.rsc} was cancelled`);
    // the transport could not run the command: the host is not reachable
    return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.NOT_CONNECTED, `${t.node}: ${(e as Error).message}`);
  }
}

interface Ctx {
  t: Transport;
  op: AgentOp;
  paths: ResolvedPaths;
  queueMs: number;
  startedAt: number;
  signal?: AbortSignal;
}

function checkNames(op: AgentOp): string | undefined {
  if (!op.type || !SAFE_NAME.test(op.type) || op.type.includes("..")) return `invalid agent type "${op.type}"`;
  if (op.standard === "ocf") {
    if (!op.provider) return `ocf agent ${op.type} needs a provider (ocf:PROVIDER:${op.type})`;
    if (!SAFE_NAME.test(op.provider) || op.provider.includes("..")) return `invalid provider "${op.provider}"`;
  }
  for (const [k, v] of [...Object.entries(op.params), ...Object.entries(op.meta)]) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(k)) return `invalid parameter name "${k}"`;
    if (v.includes("\0")) return `parameter ${k} contains a NUL byte`;
  }
  return undefined;
}

function fail(ctx: Ctx, rc: number, opStatus: number, exitReason: string, res?: RunResult): OpResult {
  return {
    rc,
    opStatus,
    exitReason,
    output: res?.stdout ?? "",
    stderr: res?.stderr ?? "",
    startedAt: ctx.startedAt,
    execMs: res?.durationMs ?? Date.now() - ctx.startedAt,
    queueMs: ctx.queueMs,
  };
}

function done(ctx: Ctx, rc: number, res: RunResult, exitReason?: string): OpResult {
  const r: OpResult = {
    rc,
    opStatus: OpStatus.DONE,
    output: res.stdout,
    stderr: res.stderr,
    startedAt: ctx.startedAt,
    execMs: res.durationMs,
    queueMs: ctx.queueMs,
  };
  const reason = exitReason ?? parseExitReason(res.stderr);
  if (reason) r.exitReason = reason;
  return r;
}

/** The last `ocf-exit-reason:` line an agent wrote to stderr. */
export function parseExitReason(stderr: string, prefix = EXIT_REASON_PREFIX): string | undefined {
  let found: string | undefined;
  for (const line of stderr.split("\n")) {
    const i = line.indexOf(prefix);
    if (i >= 0) found = line.slice(i + prefix.length).trim();
  }
  return found ? found.slice(0, MAX_EXIT_REASON) : undefined;
}

function lastLine(s: string): string {
  const lines = s.trim().split("\n").filter((l) => l.trim() && !l.includes(EXIT_REASON_PREFIX));
  return (lines[lines.length - 1] ?? "").trim().slice(0, MAX_EXIT_REASON);
}

/** Common outcomes of any agent run: timeout, killed, could not be executed. undefined = it ran and exited. */
async function abnormal(ctx: Ctx, res: RunResult, agentPath: string): Promise<OpResult | undefined> {
  const { op, t } = ctx;
  if (res.timedOut) {
    return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.TIMEOUT, `${op.action} of ${op.rsc} timed out after ${op.timeoutMs} ms`, res);
  }
  if (res.code === null) {
    return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.ERROR, `${agentName(op)} was killed by ${res.signal ?? "a signal"}`, res);
  }
  if (res.code === 127 || res.code === 126) {
    // 127/126 are also what a shell says for "not found"/"not executable": look before blaming the agent
    const probe = await t.run({ argv: ["test", "-e", agentPath], timeoutMs: 10000 });
    if (probe.code !== 0) {
      return fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `agent ${agentName(op)} is not installed on ${t.node} (no ${agentPath})`, res);
    }
    if (res.code === 126) {
      return fail(ctx, OcfRc.ERR_PERM, OpStatus.ERROR, `agent ${agentPath} on ${t.node} is not executable`, res);
    }
  }
  return undefined;
}

async function exec(ctx: Ctx, req: Omit<RunRequest, "timeoutMs">): Promise<RunResult> {
  return ctx.t.run({ ...req, timeoutMs: ctx.op.timeoutMs > 0 ? ctx.op.timeoutMs : 20000, ...(ctx.signal ? { signal: ctx.signal } : {}) });
}

// ---------------------------------------------------------------- ocf

/** OCF_ROOT the agent of this provider runs with on this host */
export function ocfRootFor(provider: string, paths: ResolvedPaths): string {
  return provider === "vigil" ? paths.vigilOcfRoot : paths.ocfRoot;
}

export function ocfAgentPath(provider: string, type: string, paths: ResolvedPaths): string {
  return `${ocfRootFor(provider, paths)}/resource.d/${provider}/${type}`;
}

/**
 * Where resource-agents' logging (ocf_log, ha_log, ocf.py) writes: the agent's stderr, which
 * every transport captures into the result (history, `vigil resource history`).
 * Without these, each log line runs `date` twice (once for HA_DEBUGLOG's default /dev/null)
 * plus `tty`; with HA_LOGFACILITY (what Pacemaker sets) it also runs `logger`. With both on
 * stderr it is one `date` and `tty`: the fewest process starts that keep the line visible.
 * Needs a stderr that can be opened for appending (a file or a pipe, not a socket).
 */
export const AGENT_LOG_ENV: Readonly<Record<string, string>> = { HA_LOGFILE: "/dev/stderr", HA_DEBUGLOG: "/dev/stderr" };

/**
 * The environment of an OCF agent run (without the transport's own variables).
 * `node` (the CIB node name) becomes CRM_meta_on_node unless the op's meta sets it,
 * since agents cannot rely on `uname -n` matching the node name.
 */
export function ocfEnv(op: AgentOp, paths: ResolvedPaths, node?: string): Record<string, string> {
  const provider = op.provider ?? "";
  const env: Record<string, string> = {
    OCF_ROOT: ocfRootFor(provider, paths),
    OCF_RA_VERSION_MAJOR: "1",
    OCF_RA_VERSION_MINOR: "1",
    OCF_RESOURCE_INSTANCE: op.rsc,
    OCF_RESOURCE_TYPE: op.type,
    OCF_RESOURCE_PROVIDER: provider,
    OCF_EXIT_REASON_PREFIX: EXIT_REASON_PREFIX,
    ...AGENT_LOG_ENV,
  };
  for (const [k, v] of Object.entries(op.params)) env[`OCF_RESKEY_${k}`] = v;
  for (const [k, v] of Object.entries(op.meta)) {
    if (k === "OCF_CHECK_LEVEL") continue;
    // Pacemaker's meta names use '_' where the CIB has '-' (clone-max -> CRM_meta_clone_max)
    env[`OCF_RESKEY_CRM_meta_${k.replace(/-/g, "_")}`] = v;
  }
  if (node && op.meta.on_node === undefined) env.OCF_RESKEY_CRM_meta_on_node = node;
  env.OCF_RESKEY_CRM_meta_timeout = String(op.timeoutMs);
  env.OCF_RESKEY_CRM_meta_interval = String(op.intervalMs);
  const level = op.meta.OCF_CHECK_LEVEL ?? op.params.OCF_CHECK_LEVEL;
  if (level !== undefined && level !== "") env.OCF_CHECK_LEVEL = level;
  return env;
}

const OCF_CODES = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191]);

async function runOcf(ctx: Ctx): Promise<OpResult> {
  const { op, paths } = ctx;
  const path = ocfAgentPath(op.provider!, op.type, paths);
  const res = await exec(ctx, { argv: [path, op.action], env: ocfEnv(op, paths, ctx.t.node) });
  const odd = await abnormal(ctx, res, path);
  if (odd) return odd;
  const code = res.code!;
  if (OCF_CODES.has(code)) return done(ctx, code, res);
  return done(ctx, OcfRc.ERR_GENERIC, res, parseExitReason(res.stderr) ?? `${agentName(op)} exited with ${code}, which is not an OCF exit code`);
}

// ---------------------------------------------------------------- lsb

function lsbEnv(): Record<string, string> {
  return {}; // init scripts take no parameters; the transport's PATH etc. are enough
}

async function runLsb(ctx: Ctx, script: string): Promise<OpResult> {
  const { op, paths } = ctx;
  const path = `${paths.initDir}/${script}`;
  if (op.action === "meta-data") return lsbMetadata(ctx, script, path);
  const action = op.action === "monitor" ? "status" : op.action;
  if (!["start", "stop", "status", "restart", "reload", "force-reload", "validate-all"].includes(action)) {
    return fail(ctx, OcfRc.ERR_UNIMPLEMENTED, OpStatus.NOT_SUPPORTED, `LSB init scripts have no ${op.action} action`);
  }
  if (action === "validate-all") {
    const r = await exec(ctx, { argv: ["test", "-x", path] });
    if (r.timedOut) return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.TIMEOUT, `validate-all of ${op.rsc} timed out`, r);
    return r.code === 0 ? done(ctx, 0, r) : fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `init script ${path} is not installed on ${ctx.t.node}`, r);
  }
  const res = await exec(ctx, { argv: [path, action], env: lsbEnv() });
  const odd = await abnormal(ctx, res, path);
  if (odd) return odd;
  return lsbResult(ctx, action, res);
}

/** LSB exit status -> OCF rc. status: 0 running, 1-3 not running, 4 unknown; other actions: 0-7 as OCF, above 7 generic. */
export function mapLsbCode(action: string, code: number): number {
  if (action === "status") {
    if (code === 0) return OcfRc.SUCCESS;
    if (code >= 1 && code <= 3) return OcfRc.NOT_RUNNING;
    return OcfRc.ERR_GENERIC;
  }
  return code >= 0 && code <= 7 ? code : OcfRc.ERR_GENERIC;
}

function lsbResult(ctx: Ctx, action: string, res: RunResult): OpResult {
  const code = res.code!;
  const rc = mapLsbCode(action, code);
  let reason: string | undefined;
  if (action === "status" && code === 4) reason = "status unknown (LSB status 4)";
  else if (rc !== OcfRc.SUCCESS && rc !== OcfRc.NOT_RUNNING) reason = lastLine(res.stderr) || lastLine(res.stdout) || `init script exited with ${code}`;
  return done(ctx, rc, res, reason);
}

async function lsbMetadata(ctx: Ctx, script: string, path: string): Promise<OpResult> {
  const res = await exec(ctx, { argv: ["cat", path] });
  if (res.timedOut) return fail(ctx, OcfRc.ERR_GENERIC, OpStatus.TIMEOUT, `reading ${path} timed out`, res);
  if (res.code !== 0) {
    return fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `init script ${path} is not installed on ${ctx.t.node}`, res);
  }
  const h = parseLsbHeader(res.stdout);
  const xml = syntheticMetadataXml({
    name: script,
    shortdesc: h["Short-Description"] || `${script} init script`,
    longdesc: h["Description"] || h["Short-Description"] || `LSB init script ${path}`,
    actions: [
      { name: "start", timeout: "15s" },
      { name: "stop", timeout: "15s" },
      { name: "status", timeout: "15s" },
      { name: "restart", timeout: "15s" },
      { name: "force-reload", timeout: "15s" },
      { name: "monitor", timeout: "15s", interval: "15s" },
      { name: "meta-data", timeout: "5s" },
    ],
  });
  return { ...done(ctx, 0, res), output: xml };
}

// ---------------------------------------------------------------- systemd

const UNIT_SUFFIX = /\.(service|socket|mount|timer|path|target|scope|slice|swap|device|automount)$/;

export function unitName(type: string): string {
  return UNIT_SUFFIX.test(type) ? type : `${type}.service`;
}

function stripUnitSuffix(type: string): string {
  return type.replace(/\.service$/, "");
}

const systemdCache = new WeakMap<Transport, Map<string, { value: boolean; at: number }>>();
const SYSTEMD_CACHE_MS = 30000;

/** Does the host run systemd? (the directory systemd creates at boot exists) */
export async function hasSystemd(t: Transport, paths?: ResolvedPaths): Promise<boolean> {
  const p = paths ?? resolvePaths(t);
  let m = systemdCache.get(t);
  if (!m) systemdCache.set(t, (m = new Map()));
  const hit = m.get(p.systemdRunDir);
  if (hit && Date.now() - hit.at < SYSTEMD_CACHE_MS && t.state() === "up") return hit.value;
  const r = await t.run({ argv: ["test", "-d", p.systemdRunDir], timeoutMs: 10000 });
  const value = r.code === 0;
  m.set(p.systemdRunDir, { value, at: Date.now() });
  return value;
}

export interface ClassFallback {
  /** the class that really runs the agent on this host */
  effective: "systemd" | "lsb";
  /** what runs: the unit or the init script path */
  target: string;
  /** set when the agent does not run as its class says, e.g. systemd on a host without systemd */
  message?: string;
}

/** How a systemd/service agent runs on this host, for `vigil resource describe`. undefined for other classes. */
export async function describeFallback(
  t: Transport,
  standard: string,
  type: string,
  over?: AgentPaths,
): Promise<ClassFallback | undefined> {
  if (standard !== "systemd" && standard !== "service") return undefined;
  const paths = resolvePaths(t, over);
  if (await hasSystemd(t, paths)) return { effective: "systemd", target: unitName(type) };
  const script = `${paths.initDir}/${stripUnitSuffix(type)}`;
  return {
    effective: "lsb",
    target: script,
    message:
      standard === "systemd"
        ? `host ${t.node} has no systemd (no ${paths.systemdRunDir}): ${standard}:${type} runs as the LSB init script ${script}`
        : `host ${t.node} has no systemd: service:${type} runs as the LSB init script ${script}`,
  };
}

async function systemctl(ctx: Ctx, args: string[], timeoutMs?: number): Promise<RunResult> {
  const req = { argv: [ctx.paths.systemctl, ...args], env: { SYSTEMD_PAGER: "", SYSTEMD_COLORS: "0" } };
  return timeoutMs ? ctx.t.run({ ...req, timeoutMs }) : exec(ctx, req);
}

async function runSystemd(ctx: Ctx): Promise<OpResult> {
  const { op } = ctx;
  const unit = unitName(op.type);
  const deadline = ctx.startedAt + (op.timeoutMs > 0 ? op.timeoutMs : 20000);
  const left = () => Math.max(1, deadline - Date.now());
  const timedOut = (res: RunResult) =>
    fail(ctx, OcfRc.ERR_GENERIC, OpStatus.TIMEOUT, `${op.action} of ${op.rsc} timed out after ${op.timeoutMs} ms`, res);

  switch (op.action) {
    case "meta-data": {
      const res = await systemctl(ctx, ["show", "-p", "Description", "--value", unit]);
      if (res.timedOut) return timedOut(res);
      const description = res.code === 0 ? res.stdout.trim() : "";
      const xml = syntheticMetadataXml({
        name: op.type,
        shortdesc: description || `systemd unit ${unit}`,
        longdesc: description ? `${description} (systemd unit ${unit})` : `systemd unit ${unit}`,
        actions: [
          { name: "start", timeout: "100s" },
          { name: "stop", timeout: "100s" },
          { name: "status", timeout: "100s" },
          { name: "monitor", timeout: "100s", interval: "60s" },
          { name: "meta-data", timeout: "5s" },
        ],
      });
      return { ...done(ctx, 0, res), output: xml };
    }
    case "start": {
      const res = await systemctl(ctx, ["start", unit]);
      if (res.timedOut) return timedOut(res);
      if (res.code !== 0) return systemctlFailure(ctx, res, unit);
      // start returns when the job is done; a unit may still be activating: wait for a definite state
      for (;;) {
        const st = await systemctl(ctx, ["is-active", unit], left());
        if (st.timedOut) return timedOut(st);
        const state = st.stdout.trim();
        if (state === "active" || state === "reloading") return done(ctx, 0, res);
        if (state !== "activating") return done(ctx, OcfRc.ERR_GENERIC, st, `unit ${unit} is ${state || "unknown"} after start`);
        if (left() < 300) return timedOut(st);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    case "stop": {
      const res = await systemctl(ctx, ["stop", unit]);
      if (res.timedOut) return timedOut(res);
      if (res.code === 5) return done(ctx, 0, res, undefined); // no such unit: it does not run
      if (res.code !== 0) return systemctlFailure(ctx, res, unit);
      return done(ctx, 0, res);
    }
    case "monitor":
    case "status": {
      for (;;) {
        const st = await systemctl(ctx, ["is-active", unit]);
        if (st.timedOut) return timedOut(st);
        const state = st.stdout.trim();
        if (state === "active" || state === "reloading") return done(ctx, 0, st);
        if (state !== "activating" && state !== "deactivating") return done(ctx, OcfRc.NOT_RUNNING, st);
        if (left() < 300) return done(ctx, OcfRc.ERR_GENERIC, st, `unit ${unit} stays ${state}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    case "validate-all": {
      const res = await systemctl(ctx, ["show", "-p", "LoadState", "--value", unit]);
      if (res.timedOut) return timedOut(res);
      const state = res.stdout.trim();
      if (state === "loaded") return done(ctx, 0, res);
      return fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `unit ${unit} is not installed on ${ctx.t.node} (LoadState ${state || "unknown"})`, res);
    }
    default:
      return fail(ctx, OcfRc.ERR_UNIMPLEMENTED, OpStatus.NOT_SUPPORTED, `systemd units have no ${op.action} action`);
  }
}

function systemctlFailure(ctx: Ctx, res: RunResult, unit: string): OpResult {
  if (res.code === 127) {
    return fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `${ctx.paths.systemctl} not found on ${ctx.t.node}`, res);
  }
  if (res.code === 5 || /not (be )?found|not loaded/i.test(res.stderr)) {
    return fail(ctx, OcfRc.ERR_INSTALLED, OpStatus.NOT_INSTALLED, `unit ${unit} is not installed on ${ctx.t.node}`, res);
  }
  return done(ctx, OcfRc.ERR_GENERIC, res, lastLine(res.stderr) || `systemctl ${ctx.op.action} ${unit} exited with ${res.code}`);
}

// ---------------------------------------------------------------- stonith

/** Device attributes that are Pacemaker's, not the fence agent's: never sent on stdin. */
function isFencerAttribute(name: string): boolean {
  return name.startsWith("pcmk_") || name === "provides" || name === "priority" || name === "stonith-timeout";
}

/**
 * key=value lines for a fence agent: action, the device's own parameters and,
 * for actions against a node (params.nodename), the port from pcmk_host_map or
 * the node name, under pcmk_host_argument (default "port"; "none" to omit).
 */
export function fenceStdin(action: string, params: Record<string, string>): string {
  const lines = [`action=${action}`];
  const target = params.nodename;
  for (const [k, v] of Object.entries(params)) {
    if (isFencerAttribute(k) || k === "nodename" || k === "action") continue;
    if (v.includes("\n")) continue; // cannot be expressed as a key=value line
    lines.push(`${k}=${v}`);
  }
  if (target) {
    lines.push(`nodename=${target}`);
    const hostArg = params.pcmk_host_argument ?? "port";
    if (hostArg !== "none" && params[hostArg] === undefined) {
      lines.push(`${hostArg}=${mapHost(params.pcmk_host_map, target)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** pcmk_host_map "node1:port1;node2:port2" (also ',' or ' ' separated, '=' allowed) -> the port of node */
export function mapHost(map: string | undefined, node: string): string {
  if (!map) return node;
  for (const entry of map.split(/[;, \t\n]+/)) {
    const m = /^([^:=]+)[:=](.*)$/.exec(entry.trim());
    if (m && m[1] === node) return m[2];
  }
  return node;
}

// per-host registry of started stonith devices, as Pacemaker's executor keeps:
// start registers (after a successful monitor), stop unregisters, monitor of an
// unregistered device is "not running". A host that goes down forgets all.
const registered = new WeakMap<Transport, Set<string>>();
function registry(t: Transport): Set<string> {
  let s = registered.get(t);
  if (!s) {
    const set = new Set<string>();
    registered.set(t, (s = set));
    t.onStateChange((st) => {
      if (st === "down") set.clear();
    });
  }
  return s;
}

async function runStonith(ctx: Ctx): Promise<OpResult> {
  const { op, paths, t } = ctx;
  const path = `${paths.fenceDir}/${op.type}`;
  const reg = registry(t);
  if (op.action === "meta-data" || op.action === "metadata") {
    const res = await exec(ctx, { argv: [path, "-o", "metadata"] });
    const odd = await abnormal(ctx, res, path);
    if (odd) return odd;
    if (res.code !== 0) return done(ctx, OcfRc.ERR_GENERIC, res, lastLine(res.stderr) || `${path} -o metadata exited with ${res.code}`);
    return done(ctx, 0, res);
  }
  if (op.action === "stop") {
    reg.delete(op.rsc);
    return { rc: 0, opStatus: OpStatus.DONE, output: "", stderr: "", startedAt: ctx.startedAt, execMs: 0, queueMs: ctx.queueMs };
  }
  if (op.action === "monitor" && !reg.has(op.rsc)) {
    // probe or monitor of a device this host has not started
    return { rc: OcfRc.NOT_RUNNING, opStatus: OpStatus.DONE, output: "", stderr: "", startedAt: ctx.startedAt, execMs: 0, queueMs: ctx.queueMs };
  }
  // start = check the device answers (monitor), then register it
  const agentAction = op.action === "start" ? "monitor" : op.action;
  const res = await exec(ctx, { argv: [path], stdin: fenceStdin(agentAction, op.params) });
  const odd = await abnormal(ctx, res, path);
  if (odd) return odd;
  const code = res.code!;
  if (code === 0) {
    if (op.action === "start") reg.add(op.rsc);
    return done(ctx, 0, res);
  }
  if (agentAction === "status" && code === 2) return done(ctx, OcfRc.NOT_RUNNING, res, "the target is off");
  return done(ctx, OcfRc.ERR_GENERIC, res, lastLine(res.stderr) || lastLine(res.stdout) || `${op.type} ${agentAction} exited with ${code}`);
}
