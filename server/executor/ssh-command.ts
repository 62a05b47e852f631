// The remote side of SshTransport.run(): one POSIX sh script per command.
//
// Why a wrapper: a command's stdout/stderr go to files on the host, never to
// the SSH channel, so daemons that an agent starts (send_arp, apache, haproxy)
// cannot hold the channel open (testbed-notes pitfall 4). The command runs
// under setsid in its own session/process group; a watchdog on the host kills
// that whole group with SIGKILL when the timeout expires (as Pacemaker's
// executor does), even if the controller's connection is gone by then. When
// the command ends, the wrapper prints one header line and the two files:
//
//   VIGILRUN <rc> <timedout 0|1>\n<stdout>\n--VIGIL-STDERR-<id>--\n<stderr>
//
//   buildRemoteScript(id, req, dir) -> the sh script (send as `exec /bin/sh -c '<script>'`)
//   buildRemoteScript(id, req, dir, { stdinInScript: true }) -> the same with req.stdin inside
//                                      (for a session's `sh -s`, which reads the script from stdin)
//   buildSessionScript(id, req, dir) -> one run for a long-lived `sh -s` session: the wrapper in a
//                                      subshell (nothing leaks into the next run), then endMarker(id)
//   parseRemoteOutput(buf, id)       -> { rc, timedOut, stdout, stderr } | null (no header: lost)
//   killScript(id, dir)              -> kills a run's process group by its id

import { constants as osConstants } from "node:os";
import type { RunRequest } from "./types";

export const DEFAULT_OPS_DIR = "/run/vigil/ops";

export function shq(s: string): string {
  return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

const ENV_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/; // OCF_RESKEY_<nvpair name>: '.' and '-' occur
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUN_ID = /^[A-Za-z0-9_.-]+$/;
const SHELL_STEERING = /^(PATH|IFS|ENV|PS[1-4]|OPTIND|OPTARG|HOME|PWD|OLDPWD|SHELL|BASH_ENV|SHELLOPTS|BASHOPTS|CDPATH|LD_[A-Z_]*|f|d|p|w|s|rc|to|t0|t1|x)$/;

export function validateRunRequest(req: RunRequest): void {
  if (!Array.isArray(req.argv) || req.argv.length === 0 || !req.argv[0]) throw new Error("run: argv must name a program");
  for (const a of req.argv) if (typeof a !== "string" || a.includes("\0")) throw new Error(`run: bad argument ${JSON.stringify(a)}`);
  for (const [k, v] of Object.entries(req.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new Error(`run: invalid environment variable name "${k}"`);
    if (typeof v !== "string" || v.includes("\0")) throw new Error(`run: invalid value for environment variable ${k}`);
  }
  if (!(Number.isFinite(req.timeoutMs) && req.timeoutMs > 0)) throw new Error(`run: timeoutMs must be > 0 (got ${req.timeoutMs})`);
}

export interface ScriptOptions {
  /**
   * the stdin is part of the script (written to the file by sh's builtin printf, quoted as one
   * word) instead of following the script on the channel: a spare session's sh reads the script
   * itself from the channel, so this is how a run with stdin (fence agents) can take the spare.
   * Needs stdin without NUL (stdinFitsScript).
   */
  stdinInScript?: boolean;
  /** leave this run's files on the host (a session removes them later, with `cleanup`) */
  keepFiles?: boolean;
  /** ids of earlier runs whose files this run removes (in the background, one rm for all) */
  cleanup?: string[];
}

/** stdin that can be carried inside the script (a shell word cannot hold a NUL byte) */
export function stdinFitsScript(stdin: string): boolean {
  return !stdin.includes("\0");
}

export function buildRemoteScript(id: string, req: RunRequest, dir = DEFAULT_OPS_DIR, opts: ScriptOptions = {}): string {
  if (!RUN_ID.test(id)) throw new Error(`bad run id ${id}`);
  validateRunRequest(req);
  if (opts.stdinInScript && req.stdin !== undefined && !stdinFitsScript(req.stdin)) throw new Error("run: stdin with a NUL byte cannot be carried in the script");
  for (const c of opts.cleanup ?? []) if (!RUN_ID.test(c)) throw new Error(`bad run id ${c}`);
  const secs = (Math.max(1, Math.round(req.timeoutMs)) / 1000).toFixed(3);
  // plain names are exported by the wrapper (no extra exec); names that steer the wrapper's own
  // shell (PATH, IFS, ...) or are no shell names (OCF_RESKEY_a-b) go through env(1) instead
  const entries = Object.entries(req.env ?? {});
  const viaEnv = ([k]: [string, string]) => SHELL_STEERING.test(k) || !SHELL_NAME.test(k);
  const steering = entries.filter(viaEnv);
  const exports = entries.filter((e) => !viaEnv(e)).map(([k, v]) => `export ${k}=${shq(v)}`);
  const envPrefix = steering.length ? ["env", "--", ...steering.map(([k, v]) => shq(`${k}=${v}`))].join(" ") + " " : "";
  const cmd = envPrefix + req.argv.map(shq).join(" ");
  const stdinFrom = req.stdin !== undefined ? `"$f.in"` : "/dev/null";
  return [
    `umask 077`,
    `d=${shq(dir)}`,
    // /run/vigil/ops for root; a user who cannot write there keeps the files in ~/.vigil-ops
    `[ -d "$d" ] || mkdir -p "$d" 2>/dev/null; [ -w "$d" ] || { d="\${HOME:-/tmp}/.vigil-ops"; mkdir -p "$d" || exit 97; }`,
    `f="$d/${id}"`,
    req.stdin === undefined ? ":" : opts.stdinInScript ? `printf '%s' ${shq(req.stdin)} >"$f.in" || exit 96` : `cat >"$f.in" || exit 96`,
    `printf '\\n${separator(id)}\\n' >"$f.sep"`,
    req.cwd ? `cd -- ${shq(req.cwd)} 2>"$f.err" || { printf 'VIGILRUN 1 0\\n'; : >"$f.out"; cat "$f.out" "$f.sep" "$f.err"; rm -f "$f".*; exit 0; }` : ":",
    ...exports,
    // the run's start, read by a builtin from /proc/uptime (seconds with two decimals)
    `read t0 x </proc/uptime || t0=0.00`,
    // timeout(1) (coreutils) makes itself the leader of a new process group, runs the command in
    // it and at the deadline sends SIGKILL to the whole group, itself included (as Pacemaker's
    // executor kills an agent's group). One process more than the command, where the watchdog
    // below costs a subshell and a sleep (~20 ms of CPU per run on a small VM). Without timeout(1)
    // the command runs under setsid and the watchdog kills its group.
    // stderr in append mode: agents that log to HA_LOGFILE=/dev/stderr open it again (agents.ts)
    `if command -v timeout >/dev/null 2>&1; then`,
    `timeout -s KILL ${secs} ${cmd} <${stdinFrom} >"$f.out" 2>>"$f.err" &`,
    `p=$!; echo $p >"$f.pgid"; w=`,
    `else`,
    // setsid: new session + process group. A background job of a non-interactive shell is no
    // group leader, so setsid(1) calls setsid() without forking: the job's pid is the pgid.
    `setsid ${cmd} <${stdinFrom} >"$f.out" 2>>"$f.err" &`,
    `p=$!; echo $p >"$f.pgid"`,
    `( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep ${secs} & s=$!; wait $s; ` +
      `echo 1 >"$f.to"; kill -s KILL -- "-$p" || kill -s KILL "$p" ) </dev/null >/dev/null 2>&1 &`,
    `w=$!; echo $w >"$f.wd"`,
    `fi`,
    `wait $p; rc=$?`,
    // the answer goes out at once: nobody waits for the watchdog to die or for the files to go
    `[ -z "$w" ] || kill $w 2>/dev/null`,
    `to=0; [ -f "$f.to" ] && to=1`,
    // killed by SIGKILL no earlier than the deadline: the timeout did it (timeout(1) dies with its group)
    `read t1 x </proc/uptime || t1=0.00`,
    `[ "$rc" = 137 ] && [ $(( \${t1%.*} * 100 + 1\${t1#*.} - \${t0%.*} * 100 - 1\${t0#*.} )) -ge ${Math.max(0, Math.ceil(req.timeoutMs / 10) - 1)} ] && to=1`,
    `printf 'VIGILRUN %s %s\\n' "$rc" "$to"`,
    // a run that printed nothing (most monitors) needs no cat
    `if [ -s "$f.out" ] || [ -s "$f.err" ]; then cat "$f.out" "$f.sep" "$f.err"; else printf '\\n%s\\n' ${shq(separator(id))}; fi`,
    opts.keepFiles
      ? ":"
      : `rm -f "$f.in" "$f.out" "$f.err" "$f.sep" "$f.pgid" "$f.to" "$f.wd" </dev/null >/dev/null 2>&1 &`,
    // files of earlier runs of a long-lived session, removed in one rm for many runs
    opts.cleanup?.length ? `(cd "$d" && rm -f -- ${opts.cleanup.map((c) => `${c}.*`).join(" ")}) </dev/null >/dev/null 2>&1 &` : ":",
  ].join("\n");
}

/**
 * One run written to a long-lived session's `sh -s`: the wrapper runs in a subshell (its exports,
 * umask and cd end with it; its stdin is /dev/null, so nothing it starts can read the next
 * script), then the session prints endMarker(id) on a line of its own, which tells the controller
 * that this run's answer is complete while the channel stays open for the next one.
 */
export function buildSessionScript(id: string, req: RunRequest, dir = DEFAULT_OPS_DIR, cleanup: string[] = []): string {
  const body = buildRemoteScript(id, req, dir, { stdinInScript: true, keepFiles: true, cleanup });
  return `(\n${body}\n) </dev/null\nprintf '\\n%s\\n' '${endMarker(id)}'\n`;
}

/** the last line of a session run's answer (contains the run's random id) */
export function endMarker(id: string): string {
  return `--VIGIL-END-${id}--`;
}

/** the line between stdout and stderr in the wrapper's answer (contains the run's random id) */
export function separator(id: string): string {
  return `--VIGIL-STDERR-${id}--`;
}

/**
 * kill a run's process group (used when the client gives up on a run), then its watchdog, and
 * remove the run's files: the wrapper may be gone with its session and cannot do that any more
 */
export function killScript(id: string, dir = DEFAULT_OPS_DIR): string {
  if (!RUN_ID.test(id)) throw new Error(`bad run id ${id}`);
  return (
    `for f in ${shq(dir)}/${id}.pgid "\${HOME:-/tmp}/.vigil-ops/${id}.pgid"; do [ -s "$f" ] || continue; b="\${f%.pgid}"; ` +
    `echo 1 >"$b.to"; read p <"$f" && kill -s KILL -- "-$p"; [ -s "$b.wd" ] && read w <"$b.wd" && kill "$w"; ` +
    `rm -f "$b.in" "$b.out" "$b.err" "$b.sep" "$b.pgid" "$b.to" "$b.wd"; done 2>/dev/null; exit 0`
  );
}

export interface ParsedRemote {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

const SIGNAL_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(osConstants.signals).map(([name, num]) => [num as number, name]),
);

export function parseRemoteOutput(buf: Buffer, id: string): ParsedRemote | null {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return null;
  const m = /^VIGILRUN (\d+) ([01])$/.exec(buf.subarray(0, nl).toString("latin1").trim());
  if (!m) return null;
  const rc = Number(m[1]);
  const timedOut = m[2] === "1";
  const body = buf.subarray(nl + 1);
  const sep = Buffer.from(`\n${separator(id)}\n`, "latin1");
  const at = body.indexOf(sep);
  if (at < 0) return null; // truncated: the connection died while reading
  const stdout = body.subarray(0, at).toString("utf8");
  const stderr = body.subarray(at + sep.length).toString("utf8");
  if (timedOut) return { code: null, signal: "SIGKILL", timedOut, stdout, stderr };
  // sh reports death by signal N as 128+N
  if (rc > 128 && rc < 128 + 65 && SIGNAL_NAMES[rc - 128]) {
    return { code: null, signal: SIGNAL_NAMES[rc - 128], timedOut, stdout, stderr };
  }
  return { code: rc, signal: null, timedOut, stdout, stderr };
}
