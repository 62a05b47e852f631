// The `local` transport: a demo/test host is a directory on this machine and
// its commands are child processes. Each command runs in its own process group
// (spawn detached) so a timeout can kill the agent together with everything it
// forked. crash() simulates a host losing power: every process that carries the
// host's marker in its environment is killed (daemons that setsid()ed away
// included) and its /run is wiped, as a reboot would.

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, rmSync, readdirSync, readFileSync, readSync, unlinkSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentPaths, RunRequest, RunResult, Transport, TransportState } from "./types";

/**
 * The repo's agents/ folder: OCF_ROOT for ocf:vigil:* on local hosts.
 * VIGIL_AGENTS_DIR overrides; when this module is bundled (import.meta.url no
 * longer inside the repo) the checkout's ./agents is used.
 */
export const REPO_AGENTS_DIR = findAgentsDir();

function findAgentsDir(): string {
  if (process.env.VIGIL_AGENTS_DIR) return path.resolve(process.env.VIGIL_AGENTS_DIR);
  const candidates: string[] = [];
  try {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../agents"));
  } catch {
    /* not a file: URL */
  }
  candidates.push(path.resolve(process.cwd(), "agents"));
  return candidates.find((d) => existsSync(path.join(d, "resource.d", "vigil"))) ?? candidates[0];
}

export interface LocalTransportOptions {
  node: string;
  /** the host's directory, e.g. $VIGIL_STATE_DIR/hosts/node1 */
  hostDir: string;
  /** where agents live on this host; defaults: vigil agents from the repo, others from /usr/lib/ocf */
  agentPaths?: AgentPaths;
  /** after SIGTERM to a timed-out process group, wait this long before SIGKILL [2000] */
  killGraceMs?: number;
  /** extra environment for every command on this host */
  env?: Record<string, string>;
}

/** Thrown by run() when the host is down (or goes down while the command runs). */
export class HostDownError extends Error {
  constructor(node: string, what = "is down") {
    super(`host ${node} ${what}`);
    this.name = "HostDownError";
  }
}

interface Running {
  child: ChildProcess;
  pgid: number;
  onCrash: () => void;
}

export class LocalTransport implements Transport {
  readonly node: string;
  readonly kind = "local" as const;
  readonly hostDir: string;
  readonly agentPaths: AgentPaths;
  private st: TransportState = "connecting";
  private listeners = new Set<(s: TransportState, reason?: string) => void>();
  private running = new Set<Running>();
  private readonly grace: number;
  private readonly extraEnv: Record<string, string>;

  constructor(opts: LocalTransportOptions) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(opts.node)) {
      throw new Error(`invalid host name "${opts.node}": use letters, digits, '.', '_' and '-'`);
    }
    this.node = opts.node;
    this.hostDir = path.resolve(opts.hostDir);
    this.agentPaths = { vigilOcfRoot: REPO_AGENTS_DIR, ...opts.agentPaths };
    this.grace = opts.killGraceMs ?? 2000;
    this.extraEnv = opts.env ?? {};
  }

  /** where a running command's stderr file lives (its /run/vigil/ops, as on an SSH host) */
  private get opsDir(): string {
    return path.join(this.hostDir, "run", "vigil", "ops");
  }

  /** HA_RSCTMP of this host (its /run/resource-agents) */
  get rscTmp(): string {
    return path.join(this.hostDir, "run", "resource-agents");
  }

  async connect(): Promise<void> {
    mkdirSync(this.rscTmp, { recursive: true });
    mkdirSync(path.join(this.hostDir, "log"), { recursive: true });
    this.setState("up");
  }

  state(): TransportState {
    return this.st;
  }

  onStateChange(cb: (state: TransportState, reason?: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** the environment every command on this host starts with (before req.env) */
  baseEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: this.hostDir,
      LANG: "C",
      LC_ALL: "C",
      TMPDIR: process.env.TMPDIR ?? "/tmp",
      HA_RSCTMP: this.rscTmp,
      VIGIL_HOST_DIR: this.hostDir,
      VIGIL_NODE: this.node,
      VIGIL_NODE_BIN: process.execPath,
      ...this.extraEnv,
    };
  }

  run(req: RunRequest): Promise<RunResult> {
    if (this.st !== "up") return Promise.reject(new HostDownError(this.node));
    if (!req.argv.length) return Promise.reject(new Error("run: empty argv"));
    const started = Date.now();
    return new Promise<RunResult>((resolve, reject) => {
      let child: ChildProcess;
      const err = openStderrFile(this.opsDir, ++localRunSeq);
      try {
        child = spawn(req.argv[0], req.argv.slice(1), {
          cwd: req.cwd ?? this.hostDir,
          env: { ...this.baseEnv(), ...req.env } as NodeJS.ProcessEnv,
          detached: true, // own process group: pgid == pid
          stdio: ["pipe", "pipe", err.fd],
        });
      } catch (e) {
        err.done();
        resolve(spawnFailure(e, req, started));
        return;
      }
      let stdout = "";
      let timedOut = false;
      let done = false;
      let killTimer: NodeJS.Timeout | undefined;
      let graceTimer: NodeJS.Timeout | undefined;
      const entry: Running = {
        child,
        pgid: child.pid ?? -1,
        onCrash: () =>
          finish(() => {
            err.done();
            reject(new HostDownError(this.node, "went down while running " + req.argv[0]));
          }),
      };
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(killTimer);
        clearTimeout(graceTimer);
        this.running.delete(entry);
        f();
      };
      if (child.pid !== undefined) this.running.add(entry);
      // a runaway agent must not fill the controller's memory: keep the first MAX_OUTPUT chars
      child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout = capped(stdout, d)));
      child.stdin!.on("error", () => {}); // agent may exit without reading stdin
      child.stdin!.end(req.stdin ?? "");
      child.on("error", (e) => {
        // spawn failure (ENOENT, EACCES): no process was created
        finish(() => {
          err.done();
          resolve(spawnFailure(e, req, started));
        });
      });
      killTimer = setTimeout(() => {
        timedOut = true;
        killGroup(entry.pgid, "SIGTERM");
        graceTimer = setTimeout(() => killGroup(entry.pgid, "SIGKILL"), this.grace);
      }, Math.max(1, req.timeoutMs));
      const complete = (code: number | null, signal: NodeJS.Signals | null) => {
        // leftovers of the group (background children) must not outlive a timeout
        if (timedOut) killGroup(entry.pgid, "SIGKILL");
        finish(() =>
          resolve({
            code: timedOut ? null : code,
            signal: signal ?? null,
            stdout,
            stderr: err.done(),
            timedOut,
            durationMs: Date.now() - started,
          }),
        );
      };
      // 'close' comes once stdout is drained. A background child that kept it
      // open (an agent that did not detach its daemon) must not hold the
      // result: shortly after the agent itself exits, stop reading.
      child.on("exit", (code, signal) => {
        setTimeout(() => {
          if (done) return;
          child.stdout!.destroy();
          complete(code, signal);
        }, PIPE_GRACE_MS).unref();
      });
      child.on("close", (code, signal) => complete(code, signal));
    });
  }

  /** Simulate power loss: the host is down, everything running on it is killed. */
  crash(reason = "crashed"): void {
    if (this.st === "down") return;
    this.setState("down", reason);
    for (const r of [...this.running]) {
      killGroup(r.pgid, "SIGKILL");
      r.onCrash();
    }
    this.killMarked();
  }

  /** Power the host back on: a fresh /run (as after a reboot), state up. */
  async revive(): Promise<void> {
    this.killMarked();
    rmSync(path.join(this.hostDir, "run"), { recursive: true, force: true });
    await this.connect();
  }

  async close(): Promise<void> {
    // closing the transport does not stop the host's processes (as closing an
    // SSH connection leaves daemons running); only crash() does.
    this.setState("down", "closed");
    for (const r of [...this.running]) {
      killGroup(r.pgid, "SIGKILL");
      r.onCrash();
    }
  }

  /** pids of live processes that carry this host's marker in their environment */
  processesOnHost(): number[] {
    const marker = `VIGIL_HOST_DIR=${this.hostDir}\0`;
    const out: number[] = [];
    let entries: string[];
    try {
      entries = readdirSync("/proc");
    } catch {
      return out; // no /proc (not Linux): only tracked process groups are known
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      if (pid === process.pid) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, "latin1");
        if (/\) Z /.test(stat)) continue; // a zombie is dead already
        let env = readFileSync(`/proc/${e}/environ`, "latin1");
        // a process in the middle of execve reads as an empty environment for a moment: look again
        for (let i = 0; env === "" && i < 50; i++) env = readFileSync(`/proc/${e}/environ`, "latin1");
        if ((env + "\0").includes(marker)) out.push(pid);
      } catch {
        /* gone or not ours */
      }
    }
    return out;
  }

  private killMarked(): void {
    for (const pid of this.processesOnHost()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }

  private setState(s: TransportState, reason?: string): void {
    if (s === this.st) return;
    this.st = s;
    for (const l of [...this.listeners]) {
      try {
        l(s, reason);
      } catch {
        /* a listener's bug must not break the transport */
      }
    }
  }
}

const MAX_OUTPUT = 4 * 1024 * 1024;
const TRUNCATED = "\n[output truncated]\n";

export function capped(acc: string, d: string): string {
  // longer than the cap only once the marker is on: output that reached exactly MAX_OUTPUT
  // (64 full 64 KiB pipe reads) must still get the marker when more comes
  if (acc.length > MAX_OUTPUT) return acc;
  const next = acc + d;
  return next.length > MAX_OUTPUT ? next.slice(0, MAX_OUTPUT) + TRUNCATED : next;
}

let localRunSeq = 0;

/**
 * A command's stderr as a file opened for appending (read back and removed by done()), so an
 * agent can open /dev/stderr again (AGENT_LOG_ENV in agents.ts) as it can on an SSH host;
 * Node's stdio pipes are sockets, which /dev/stderr cannot open.
 */
function openStderrFile(dir: string, seq: number): { fd: number; done: () => string } {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${process.pid}-${seq}.err`);
  const fd = openSync(file, "a+", 0o600);
  let text: string | undefined;
  return {
    fd,
    done() {
      if (text !== undefined) return text;
      let size = 0;
      try {
        size = fstatSync(fd).size;
      } catch {
        /* unreadable: empty */
      }
      const buf = Buffer.alloc(Math.min(size, MAX_OUTPUT));
      let n = 0;
      while (n < buf.length) {
        const r = readSync(fd, buf, n, buf.length - n, n);
        if (r <= 0) break;
        n += r;
      }
      closeSync(fd);
      try {
        unlinkSync(file);
      } catch {
        /* the host's /run was wiped (crash) */
      }
      text = buf.subarray(0, n).toString("utf8") + (size > MAX_OUTPUT ? TRUNCATED : "");
      return text;
    },
  };
}

/** how long to keep reading a finished command's pipes that something else holds open */
const PIPE_GRACE_MS = 300;

function killGroup(pgid: number, sig: NodeJS.Signals): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, sig);
  } catch {
    /* group already gone */
  }
}

/** A program that could not be started looks as it does through a shell: 127 not found, 126 not executable. */
function spawnFailure(e: unknown, req: RunRequest, started: number): RunResult {
  const err = e as NodeJS.ErrnoException;
  const code = err.code === "ENOENT" ? 127 : 126;
  return {
    code,
    signal: null,
    stdout: "",
    stderr: `${req.argv[0]}: ${err.code === "ENOENT" ? "not found" : err.message}\n`,
    timedOut: false,
    durationMs: Date.now() - started,
  };
}

/** The embedded demo's hosts: one LocalTransport per name under <stateDir>/hosts/<name>, connected. */
export async function createLocalHosts(stateDir: string, names: string[] = ["node1", "node2", "node3"]): Promise<LocalTransport[]> {
  const hosts = names.map((node) => new LocalTransport({ node, hostDir: path.join(stateDir, "hosts", node) }));
  for (const h of hosts) await h.connect();
  return hosts;
}
