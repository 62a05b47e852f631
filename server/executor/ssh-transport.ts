// SshTransport: the Transport (server/executor/types.ts) for a real host over SSH (node-ssh / ssh2).
//
//   const t = new SshTransport({ node: "node1", host: "10.0.0.11", privateKeyPath, hostKey: "ssh-ed25519 AAAA..." });
//   t.onStateChange((state, reason) => ...);   // "connecting" | "up" | "down"
//   await t.connect();                         // rejects on first failure, then keeps retrying in the background
//   const r = await t.run({ argv: ["hostname"], timeoutMs: 5000 });   // RunResult
//   t.stats();                                  // { rttMs, lastHeardAt, connects, reconnectAttempts, lastError, ... }
//   await t.close();
//
// Behaviour (each point is a pitfall from ../shared/testbed-notes.md):
// - one persistent connection per host; TCP_NODELAY (otherwise +40 ms per command);
//   an 'error' listener is always attached (a keepalive timeout would otherwise crash the process).
// - liveness from hostTimeoutMs (the `host-timeout` cluster property, default 1000 ms): ssh2 sends a
//   keepalive every hostTimeout/4 and never gives up by itself; ssh-liveness.ts judges. The host is
//   down once nothing was heard from it for host-timeout while a keepalive was waiting for its
//   answer (so a controller whose own event loop stalled does not lose a healthy host), i.e.
//   0.75-1.0 x host-timeout after a crash. setHostTimeout() moves the threshold at once; the
//   keepalive period follows from the next connection.
// - pinned host key: the host must present exactly that key; a different key is refused with both
//   fingerprints in the error (HostKeyMismatchError) and no automatic reconnect is attempted.
// - at most maxChannels (6) concurrent channels per connection; more runs wait in a queue; a
//   "Channel open failure" (sshd MaxSessions) is retried.
// - run(): output goes to files on the host, read back when the command ends (ssh-command.ts), so
//   daemons started by agents never hold the channel; the host kills the command's process group
//   (SIGKILL) at timeoutMs, and the result says timedOut.
// - long-lived sessions: a few exec channels per host (sessions, default 3) wait in `/bin/sh -s`
//   (sshd's session, the login shell and sh started once); run() writes its wrapper script to an
//   idle one, the wrapper runs in a subshell and the session prints an end marker, and the session
//   waits for the next run. So no agent call pays for a session start (tens of ms of process
//   starts on the host, on the CPU the agents of the same transition need). A run's stdin (fence
//   agents' parameters) goes inside the script then. Runs while every session is busy, and runs
//   whose stdin holds a NUL byte, open their own channel as before; a session that ended (killed,
//   sshd restarted, a cancelled or stuck run) is replaced when the next run ends.
// - connection lost: state "down" (reason), pending and new runs reject with HostDownError, and the
//   transport reconnects with exponential backoff (100 ms .. 2 s) until close().

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { NodeSSH } from "node-ssh";
import type { AgentPaths, RunRequest, RunResult, Transport, TransportState } from "./types";
import { HostDownError } from "./local-transport";
import { buildRemoteScript, buildSessionScript, endMarker, killScript, parseRemoteOutput, shq, stdinFitsScript, DEFAULT_OPS_DIR } from "./ssh-command";
import { fingerprint, hostKeyAlgorithms, HostKeyMismatchError, parseHostKey, type ParsedHostKey } from "./ssh-hostkey";
import { DEFAULT_HOST_TIMEOUT_MS, heartbeatFor, Liveness, watchLiveness } from "./ssh-liveness";

export { HostDownError };
export { fingerprint, probeHostKey, HostKeyMismatchError, parseHostKey } from "./ssh-hostkey";

export { DEFAULT_HOST_TIMEOUT_MS } from "./ssh-liveness";

export interface SshTransportOptions {
  /** node name (CIB uname) */
  node: string;
  host: string;
  port?: number;
  username?: string;
  /** private key file (OpenSSH or PEM); or privateKey (contents) */
  privateKeyPath?: string;
  privateKey?: string;
  passphrase?: string;
  /** pinned host key "ssh-ed25519 AAAA..." (required: first contact goes through probeHostKey) */
  hostKey: string;
  /** the host-timeout cluster property [1000] */
  hostTimeoutMs?: number;
  /** handshake timeout [max(3000, 2 x hostTimeout)] */
  readyTimeoutMs?: number;
  /** concurrent channels per connection [6] (sshd's MaxSessions is 10 and frees slots late) */
  maxChannels?: number;
  /** reconnect automatically after a lost connection or a failed connect() [true] */
  autoReconnect?: boolean;
  /** where the wrapper keeps a run's files on the host [/run/vigil/ops] */
  opsDir?: string;
  /** keep long-lived sessions open for runs (see the header) [true] */
  spareSession?: boolean;
  /** how many long-lived sessions per host [3] */
  sessions?: number;
  agentPaths?: AgentPaths;
}

export interface SshTransportStats {
  state: TransportState;
  reason?: string;
  /** last keepalive round trip */
  rttMs: number | null;
  /** epoch ms of the last packet received from the host */
  lastHeardAt: number | null;
  /** epoch ms when the current connection came up */
  upSince: number | null;
  connects: number;
  reconnectAttempts: number;
  lastError: string | null;
  hostKeyFingerprint: string;
  activeChannels: number;
  queued: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /**
   * the host's boot identity, read on every connect (kernel boot_id + start time of its PID 1):
   * a different one after a reconnect means the host rebooted, and lost everything it ran
   */
  bootId: string | null;
  /** a long-lived session is open and idle, waiting for the next run */
  spareReady: boolean;
  /** long-lived sessions open on the current connection (idle or running) */
  sessionsOpen: number;
  /** runs that went through a long-lived session (the others opened their own channel) */
  spareRuns: number;
}

/** ssh2 Client: only the parts used here (no @types/ssh2 in the tree) */
interface Ssh2Channel {
  on(ev: "data", cb: (d: Buffer) => void): this;
  on(ev: "close", cb: (code?: number | null, signal?: string) => void): this;
  on(ev: string, cb: (...a: unknown[]) => void): this;
  stderr: { on(ev: "data", cb: (d: Buffer) => void): void };
  write(d: string | Buffer): boolean;
  end(): void;
  close(): void;
}

/** a long-lived session's command: sh reads one wrapper script after the other from the channel */
const SESSION_COMMAND = "exec /bin/sh -s";

interface Session {
  conn: Ssh2Client;
  ch: Ssh2Channel;
  /** sshd ended it (the shell died, the connection dropped) */
  closed: boolean;
  busy: boolean;
  /** the running run's handlers */
  onData: ((d: Buffer) => void) | null;
  onErr: ((d: Buffer) => void) | null;
  onEnded: (() => void) | null;
  /** finished runs whose files are still on the host: removed by a later run in one go */
  leftFiles: string[];
}

/** a session removes its finished runs' files once per this many runs (one rm for all of them) */
const SESSION_CLEANUP_EVERY = 16;
interface Ssh2Client {
  on(ev: string, cb: (...a: never[]) => void): this;
  removeAllListeners(ev?: string): this;
  setNoDelay(v: boolean): void;
  exec(cmd: string, cb: (err: Error | undefined, ch: Ssh2Channel) => void): boolean;
  end(): void;
  destroy?(): void;
}

/**
 * What ssh2 is told: a keepalive every host-timeout/4, and a count it never reaches (the
 * loss is judged by Liveness, which knows whether the keepalives really went out).
 */
export function keepaliveFor(hostTimeoutMs: number): { keepaliveInterval: number; keepaliveCountMax: number } {
  return { keepaliveInterval: heartbeatFor(hostTimeoutMs).intervalMs, keepaliveCountMax: 1_000_000 };
}

const CHANNEL_RETRY_DELAYS = [10, 20, 40, 80, 120, 200, 300, 500];
const BACKOFF_MIN = 100;
const BACKOFF_MAX = 2000;

let runSeq = 0;

export class SshTransport implements Transport {
  readonly node: string;
  readonly kind = "ssh" as const;
  readonly agentPaths?: AgentPaths;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  private readonly pinned: ParsedHostKey;
  private readonly opts: SshTransportOptions;
  private hostTimeoutMs: number;
  private st: TransportState = "down";
  private reason: string | undefined = "not connected";
  private listeners = new Set<(s: TransportState, reason?: string) => void>();
  private ssh: NodeSSH | null = null;
  private conn: Ssh2Client | null = null;
  private closed = false;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private backoff = BACKOFF_MIN;
  private keyRefused = false;
  private active = 0;
  private queue: (() => void)[] = [];
  private inflight = new Set<(err: Error) => void>();
  private s = {
    rttMs: null as number | null,
    lastHeardAt: null as number | null,
    upSince: null as number | null,
    connects: 0,
    reconnectAttempts: 0,
    lastError: null as string | null,
    bootId: null as string | null,
    spareRuns: 0,
  };
  /** the long-lived sessions of the current connection */
  private sessions: Session[] = [];
  private sessionsOpening = 0;
  private pingSentAt = 0;
  private privateKeyCache: string | null = null;
  private readonly live: Liveness;
  private watchdog: (() => void) | null = null;

  constructor(opts: SshTransportOptions) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(opts.node)) throw new Error(`invalid host name "${opts.node}": use letters, digits, '.', '_' and '-'`);
    if (!opts.host) throw new Error(`host ${opts.node}: address is required`);
    if (!opts.privateKey && !opts.privateKeyPath) throw new Error(`host ${opts.node}: an identity (private key) is required`);
    const port = opts.port ?? 22;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`host ${opts.node}: port must be 1..65535 (got ${opts.port})`);
    this.pinned = parseHostKey(opts.hostKey);
    this.opts = opts;
    this.node = opts.node;
    this.host = opts.host;
    this.port = port;
    this.username = opts.username ?? "root";
    this.agentPaths = opts.agentPaths;
    this.hostTimeoutMs = validTimeout(opts.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS);
    this.live = new Liveness(this.hostTimeoutMs);
  }

  state(): TransportState {
    return this.st;
  }

  onStateChange(cb: (state: TransportState, reason?: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** the current host-timeout: the loss threshold moves at once, the keepalive period with the next connection */
  setHostTimeout(ms: number): void {
    this.hostTimeoutMs = validTimeout(ms);
    this.live.setHostTimeout(this.hostTimeoutMs);
  }

  getHostTimeout(): number {
    return this.hostTimeoutMs;
  }

  stats(): SshTransportStats {
    const hb = heartbeatFor(this.hostTimeoutMs);
    return {
      state: this.st,
      reason: this.reason,
      ...this.s,
      hostKeyFingerprint: fingerprint(this.pinned.blob),
      activeChannels: this.active,
      queued: this.queue.length,
      keepaliveIntervalMs: hb.intervalMs,
      // keepalives that go unanswered before the host is lost
      keepaliveCountMax: Math.max(1, Math.round(this.hostTimeoutMs / hb.intervalMs) - 1),
      spareReady: this.sessions.some((x) => !x.busy && !x.closed && x.conn === this.conn),
      sessionsOpen: this.sessions.filter((x) => !x.closed && x.conn === this.conn).length,
    };
  }

  private setState(st: TransportState, reason?: string) {
    if (this.st === st && this.reason === reason) return;
    const changed = this.st !== st;
    this.st = st;
    this.reason = reason;
    if (!changed) return;
    for (const cb of [...this.listeners]) {
      try {
        cb(st, reason);
      } catch {
        /* a listener's bug must not break the transport */
      }
    }
  }

  /** Connect now. Rejects with the reason on failure (and, unless autoReconnect=false, keeps retrying). */
  connect(): Promise<void> {
    if (this.closed) this.closed = false;
    this.keyRefused = false;
    if (this.st === "up") return Promise.resolve();
    if (this.connecting) return this.connecting;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.setState("connecting");
    const p = this.attempt();
    this.connecting = p;
    p.catch(() => {}).finally(() => {
      if (this.connecting === p) this.connecting = null;
    });
    return p;
  }

  private async loadKey(): Promise<string> {
    if (this.opts.privateKey) return this.opts.privateKey;
    if (this.privateKeyCache) return this.privateKeyCache;
    try {
      this.privateKeyCache = await readFile(this.opts.privateKeyPath!, "utf8");
    } catch (e) {
      throw new Error(`host ${this.node}: cannot read identity ${this.opts.privateKeyPath}: ${(e as Error).message}`);
    }
    return this.privateKeyCache;
  }

  private async attempt(): Promise<void> {
    const where = `${this.host}:${this.port}`;
    const ssh = new NodeSSH();
    let presented: Buffer | null = null;
    const ka = keepaliveFor(this.hostTimeoutMs);
    try {
      const privateKey = await this.loadKey();
      await ssh.connect({
        host: this.host,
        port: this.port,
        username: this.username,
        privateKey,
        passphrase: this.opts.passphrase,
        readyTimeout: this.opts.readyTimeoutMs ?? Math.max(3000, 2 * this.hostTimeoutMs),
        keepaliveInterval: ka.keepaliveInterval,
        keepaliveCountMax: ka.keepaliveCountMax,
        algorithms: { serverHostKey: hostKeyAlgorithms(this.pinned.type) } as never,
        hostVerifier: ((key: Buffer) => {
          presented = Buffer.from(key);
          return key.equals(this.pinned.blob);
        }) as never,
        debug: ((msg: string) => this.onDebug(msg)) as never,
      });
    } catch (e) {
      ssh.connection?.on("error", () => {});
      try {
        ssh.dispose();
      } catch {
        /* ignore */
      }
      let err = e as Error;
      const p = presented as Buffer | null;
      if (p && !p.equals(this.pinned.blob)) {
        err = new HostKeyMismatchError(this.node, where, fingerprint(this.pinned.blob), fingerprint(p));
        this.keyRefused = true;
      } else if (/no matching host key format/i.test(err.message ?? "")) {
        // the host no longer offers the pinned key's type: as loud as a changed key
        err = new HostKeyMismatchError(this.node, where, fingerprint(this.pinned.blob), `no ${this.pinned.type} key at all`);
        this.keyRefused = true;
      } else {
        err = new Error(`cannot connect to ${this.node} (${this.username}@${where}): ${describeSshError(err)}`);
      }
      this.s.lastError = err.message;
      this.setState("down", err.message);
      this.scheduleReconnect();
      throw err;
    }
    const conn = ssh.connection as unknown as Ssh2Client;
    // attach before anything else: an unhandled 'error' (keepalive timeout) would kill the process
    conn.on("error", (err: Error) => {
      this.s.lastError = describeSshError(err);
    });
    conn.setNoDelay(true);
    conn.on("close", () => this.onConnClosed(conn));
    if (this.closed) {
      conn.end();
      throw new HostDownError(this.node, "transport was closed");
    }
    // before "up": whoever sees the host come back can tell a reboot from a dropped connection
    this.s.bootId = (await readBootId(conn, this.opts.readyTimeoutMs ?? Math.max(3000, 2 * this.hostTimeoutMs))) ?? this.s.bootId;
    if (this.closed) {
      conn.end();
      throw new HostDownError(this.node, "transport was closed");
    }
    this.ssh = ssh;
    this.conn = conn;
    this.backoff = BACKOFF_MIN;
    this.s.connects++;
    this.s.upSince = Date.now();
    this.s.lastHeardAt = Date.now();
    this.live.connected(Date.now());
    this.startWatchdog(conn);
    this.setState("up");
    this.fillSessions();
  }

  /** sleep until the host's silence could be a loss, then judge; see ssh-liveness.ts */
  private startWatchdog(conn: Ssh2Client) {
    this.stopWatchdog();
    this.watchdog = watchLiveness(this.live, (silentMs) => {
      this.watchdog = null;
      if (this.conn !== conn) return;
      this.s.lastError = `no answer for ${silentMs} ms (host-timeout ${this.live.timeoutMs} ms)`;
      try {
        if (conn.destroy) conn.destroy();
        else conn.end();
      } catch {
        /* already gone */
      }
      this.onConnClosed(conn);
    });
  }

  private stopWatchdog() {
    this.watchdog?.();
    this.watchdog = null;
  }

  private onDebug(msg: string) {
    if (msg.startsWith("Inbound:")) {
      const now = Date.now();
      this.s.lastHeardAt = now;
      this.live.heard(now);
      if (this.pingSentAt && (msg.includes("REQUEST_FAILURE") || msg.includes("REQUEST_SUCCESS"))) {
        this.s.rttMs = now - this.pingSentAt;
        this.pingSentAt = 0;
      }
    } else if (msg.includes("Sending ping")) {
      this.pingSentAt = Date.now();
      this.live.pingSent(this.pingSentAt);
    }
  }

  private onConnClosed(conn: Ssh2Client) {
    if (this.conn !== conn) return;
    this.stopWatchdog();
    this.sessions = []; // their channels went with the connection
    this.conn = null;
    this.ssh = null;
    this.s.upSince = null;
    const reason = this.closed ? "closed" : `connection lost${this.s.lastError ? `: ${this.s.lastError}` : ""}`;
    for (const fail of [...this.inflight]) fail(new HostDownError(this.node, `went down while a command was running (${reason})`));
    this.setState("down", reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.closed || this.keyRefused || this.opts.autoReconnect === false || this.reconnectTimer) return;
    const delay = Math.round(this.backoff * (0.8 + Math.random() * 0.4));
    this.backoff = Math.min(BACKOFF_MAX, this.backoff * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.st === "up" || this.connecting) return;
      this.s.reconnectAttempts++;
      // background attempt: state stays "down" until it succeeds; a connect() meanwhile
      // shares it and sees its failure
      const p = this.attempt();
      this.connecting = p;
      p.catch(() => {}).finally(() => {
        if (this.connecting === p) this.connecting = null;
      });
    }, delay);
    this.reconnectTimer.unref?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchdog();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const conn = this.conn;
    for (const wake of this.queue.splice(0)) wake();
    for (const x of this.sessions.splice(0)) this.dropSession(x);
    if (conn) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 1000);
        conn.on("close", () => {
          clearTimeout(t);
          resolve();
        });
        conn.end();
      });
    }
    this.conn = null;
    this.setState("down", "closed");
  }

  // ---- channels ----

  private sessionTarget(): number {
    if (this.opts.spareSession === false) return 0;
    return Math.max(0, Math.min(this.opts.sessions ?? 3, (this.opts.maxChannels ?? 6) - 1));
  }

  /** open long-lived sessions in the background until there are sessionTarget() of them */
  private fillSessions(): void {
    const conn = this.conn;
    if (this.closed || !conn || this.st !== "up") return;
    this.sessions = this.sessions.filter((x) => !x.closed && x.conn === conn);
    while (this.sessions.length + this.sessionsOpening < this.sessionTarget()) {
      this.sessionsOpening++;
      this.openExec(SESSION_COMMAND).then(
        (ch) => {
          this.sessionsOpening--;
          const x: Session = { conn, ch, closed: false, busy: false, onData: null, onErr: null, onEnded: null, leftFiles: [] };
          // 'exit' too: with nobody reading the channel, ssh2 holds back 'close'
          const ended = () => {
            if (x.closed) return;
            x.closed = true;
            this.sessions = this.sessions.filter((y) => y !== x);
            x.onEnded?.();
            // the shell is gone, the files of its finished runs are not
            if (x.leftFiles.length && x.conn === this.conn && this.st === "up") this.removeRunFiles(x.leftFiles.splice(0));
          };
          ch.on("data", (d: Buffer) => x.onData?.(d));
          ch.stderr.on("data", (d: Buffer) => x.onErr?.(d));
          ch.on("exit", ended);
          ch.on("close", ended);
          ch.on("error", () => {});
          if (this.closed || this.conn !== conn) return void ch.close();
          this.sessions.push(x);
        },
        () => {
          // no slot (MaxSessions) or the host went away: runs open their own channel meanwhile
          this.sessionsOpening--;
        },
      );
    }
  }

  /** an idle long-lived session of the current connection, now marked busy */
  private takeSession(): Session | null {
    const x = this.sessions.find((y) => !y.busy && !y.closed && y.conn === this.conn);
    if (!x) return null;
    x.busy = true;
    this.s.spareRuns++;
    return x;
  }

  private dropSession(x: Session): void {
    this.sessions = this.sessions.filter((y) => y !== x);
    if (x.leftFiles.length && x.conn === this.conn) this.removeRunFiles(x.leftFiles.splice(0));
    try {
      // EOF first: sshd then closes the shell's stdin, so a shell still inside a killed run
      // exits when that run ends instead of waiting for a next script (close alone leaves it)
      x.ch.end();
      x.ch.close();
    } catch {
      /* already gone */
    }
  }

  private async acquire(): Promise<void> {
    const max = this.opts.maxChannels ?? 6;
    while (this.active >= max) {
      await new Promise<void>((r) => this.queue.push(r));
      if (this.closed) throw new HostDownError(this.node, "transport was closed");
    }
    this.active++;
  }

  private release() {
    this.active--;
    const next = this.queue.shift();
    if (next) next();
  }

  private openExec(cmd: string): Promise<Ssh2Channel> {
    return new Promise((resolve, reject) => {
      const conn = this.conn;
      if (!conn || this.st !== "up") return reject(new HostDownError(this.node, this.reason ? `is down (${this.reason})` : "is down"));
      try {
        conn.exec(cmd, (err, ch) => (err ? reject(err) : resolve(ch)));
      } catch (e) {
        reject(e);
      }
    });
  }

  private async execWithRetry(cmd: string): Promise<Ssh2Channel> {
    for (let i = 0; ; i++) {
      try {
        return await this.openExec(cmd);
      } catch (e) {
        const msg = (e as Error).message ?? "";
        if (!/Channel open failure/i.test(msg) || i >= CHANNEL_RETRY_DELAYS.length) throw e;
        await sleep(CHANNEL_RETRY_DELAYS[i]);
      }
    }
  }

  /** run one command on the host (see the header); throws HostDownError when the host is unreachable */
  async run(req: RunRequest): Promise<RunResult> {
    const id = `${process.pid}-${++runSeq}-${randomBytes(3).toString("hex")}`;
    const dir = this.opts.opsDir ?? DEFAULT_OPS_DIR;
    const script = buildRemoteScript(id, req, dir); // validates req first: bad input never reaches the host
    if (this.st !== "up") throw new HostDownError(this.node, this.reason ? `is down (${this.reason})` : "is down");
    if (req.signal?.aborted) throw new RunCancelledError(this.node);
    await this.acquire();
    try {
      if (req.signal?.aborted) throw new RunCancelledError(this.node);
      // a session's sh reads the script from the channel, so stdin travels inside the script
      // (fence agents' key=value lines); only stdin with a NUL byte needs a channel of its own
      const session = req.stdin === undefined || stdinFitsScript(req.stdin) ? this.takeSession() : null;
      if (session) return await this.collectOnSession(session, req, id, dir);
      const ch = await this.execWithRetry(`exec /bin/sh -c ${shq(script)}`);
      const started = Date.now();
      return await this.collect(ch, req, id, dir, started);
    } finally {
      this.release();
      // sessions that ended are replaced once this run is over, not while its agent competes for the host's CPU
      this.fillSessions();
    }
  }

  /** remove finished runs' files on the host (those a dropped session had not removed yet) */
  private removeRunFiles(ids: string[]) {
    const dir = this.opts.opsDir ?? DEFAULT_OPS_DIR;
    const names = ids.map((i) => `${i}.*`).join(" ");
    this.runAside(`for d in ${shq(dir)} "\${HOME:-/tmp}/.vigil-ops"; do (cd "$d" 2>/dev/null && rm -f -- ${names}); done; exit 0`);
  }

  /** a housekeeping script on a channel of its own, not waited for (its failure changes nothing) */
  private runAside(script: string) {
    void this.openExec(`exec /bin/sh -c ${shq(script)}`)
      .then((k) => {
        k.on("data", () => {});
        k.end();
      })
      .catch(() => {});
  }

  /** ask the host to kill a run's process group (its watchdog would only at the timeout) */
  private killRun(id: string, dir: string) {
    this.runAside(killScript(id, dir));
  }

  /**
   * The bookkeeping every run shares, on a channel of its own or on a session: it settles once; an
   * abort, or the guard timer (the host silent without being declared down), has the host kill the
   * run; a lost connection fails it. `release(ok, killed)` frees the run's channel or session first
   * (`killed`: killScript runs for it, and also removes its files).
   */
  private watchRun(req: RunRequest, id: string, dir: string, started: number, resolve: (r: RunResult) => void, reject: (e: Error) => void, release: (ok: boolean, killed: boolean) => void) {
    let settled = false;
    const finish = (fn: () => void, ok: boolean, killed = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      this.inflight.delete(onDown);
      req.signal?.removeEventListener("abort", onAbort);
      release(ok, killed);
      if (killed) this.killRun(id, dir);
      fn();
    };
    const onDown = (err: Error) => finish(() => reject(err), false);
    this.inflight.add(onDown);
    const onAbort = () => finish(() => reject(new RunCancelledError(this.node)), false, true);
    req.signal?.addEventListener("abort", onAbort, { once: true });
    // the host kills at timeoutMs; this guard only fires when the host stops answering
    // without the connection being declared down
    const guard = setTimeout(
      () => finish(() => resolve({ code: null, signal: "SIGKILL", stdout: "", stderr: `no answer from ${this.node} within the timeout`, timedOut: true, durationMs: Date.now() - started }), false, true),
      req.timeoutMs + 2 * this.hostTimeoutMs + 1000,
    );
    /** the wrapper's answer; without one, the host went down or `failure` says what happened */
    const settle = (out: Buffer, errChunks: Buffer[], ok: boolean, failure: string) => {
      const parsed = parseRemoteOutput(out, id);
      if (parsed)
        return finish(() => resolve({ code: parsed.code, signal: parsed.signal, stdout: parsed.stdout, stderr: parsed.stderr, timedOut: parsed.timedOut, durationMs: Date.now() - started }), ok);
      if (this.st !== "up" || !this.conn) return onDown(new HostDownError(this.node, `went down while a command was running`));
      const why = Buffer.concat(errChunks).toString("utf8").trim();
      finish(() => reject(new Error(`run on ${this.node}: ${failure}${why ? `: ${why}` : ""}`)), ok);
    };
    return { onAbort, settle };
  }

  /** a run on a long-lived session: its answer ends with the end marker, the session stays open */
  private collectOnSession(x: Session, req: RunRequest, id: string, dir: string): Promise<RunResult> {
    const started = Date.now();
    return new Promise<RunResult>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const errChunks: Buffer[] = [];
      const marker = Buffer.from(`\n${endMarker(id)}\n`, "latin1");
      let tail = Buffer.alloc(0);
      const { onAbort, settle } = this.watchRun(req, id, dir, started, resolve, reject, (ok, killed) => {
        x.onData = x.onErr = x.onEnded = null;
        if (killed) x.leftFiles = x.leftFiles.filter((i) => i !== id); // killScript needs its .pgid, then removes its files
        // a cancelled or stuck run takes its session with it (the shell may still be in the wrapper)
        if (ok && !x.closed && x.conn === this.conn) x.busy = false;
        else this.dropSession(x);
      });
      x.onErr = (d) => errChunks.push(d);
      x.onData = (d) => {
        chunks.push(d);
        tail = Buffer.concat([tail, d]);
        if (tail.length > marker.length) tail = tail.subarray(tail.length - marker.length);
        if (!tail.equals(marker)) return;
        const all = Buffer.concat(chunks);
        settle(all.subarray(0, all.length - marker.length), errChunks, true, "the command wrapper failed");
      };
      // the session's shell ended in the middle of the run: an answer already complete counts
      x.onEnded = () => settle(Buffer.concat(chunks), errChunks, false, "the session ended during the command");
      if (req.signal?.aborted) return onAbort();
      const cleanup = x.leftFiles.length >= SESSION_CLEANUP_EVERY ? x.leftFiles.splice(0) : [];
      x.leftFiles.push(id);
      x.ch.write(buildSessionScript(id, req, dir, cleanup));
    });
  }

  private collect(ch: Ssh2Channel, req: RunRequest, id: string, dir: string, started: number): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const errChunks: Buffer[] = [];
      const { onAbort, settle } = this.watchRun(req, id, dir, started, resolve, reject, (ok) => {
        if (ok) return;
        try {
          ch.close();
        } catch {
          /* ignore */
        }
      });
      ch.on("data", (d: Buffer) => chunks.push(d));
      ch.stderr.on("data", (d: Buffer) => errChunks.push(d));
      if (req.signal?.aborted) queueMicrotask(onAbort); // aborted while the channel opened
      // the channel's close ends the answer
      ch.on("close", () => settle(Buffer.concat(chunks), errChunks, true, "the command wrapper failed"));
      if (req.stdin !== undefined) ch.write(req.stdin);
      ch.end();
    });
  }
}

/** "<kernel boot_id>/<start time of PID 1>"; undefined when the host does not say (not fatal) */
function readBootId(conn: Ssh2Client, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), timeoutMs);
    const done = (v: string | undefined) => {
      clearTimeout(t);
      resolve(v);
    };
    try {
      conn.exec("cat /proc/sys/kernel/random/boot_id /proc/1/stat 2>/dev/null", (err, ch) => {
        if (err) return done(undefined);
        const out: Buffer[] = [];
        ch.on("data", (d: Buffer) => out.push(d));
        ch.stderr.on("data", () => {});
        ch.on("close", () => done(parseBootId(Buffer.concat(out).toString("utf8"))));
      });
    } catch {
      done(undefined);
    }
  });
}

/** boot_id line + /proc/1/stat line -> "<boot_id>/<starttime>" (a test-bed host shares the kernel: PID 1's start time tells its boots apart) */
export function parseBootId(out: string): string | undefined {
  const [boot, stat] = out.split("\n");
  if (!boot || !/^[0-9a-f-]{8,}$/i.test(boot.trim())) return undefined;
  // fields after "pid (comm) ": state ppid ... starttime is the 20th of them (field 22 of stat)
  const rest = stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : [];
  const start = rest[19];
  return start && /^\d+$/.test(start) ? `${boot.trim()}/${start}` : boot.trim();
}

/** run() of a request whose signal was aborted: the command was killed on the host */
export class RunCancelledError extends Error {
  constructor(node: string) {
    super(`run on ${node} was cancelled`);
    this.name = "RunCancelledError";
  }
}

function validTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms < 300 || ms > 600000) throw new Error(`host-timeout must be between 300 ms and 600 s (got ${ms})`);
  return Math.round(ms);
}

function describeSshError(e: Error): string {
  const msg = e?.message ?? String(e);
  if (/All configured authentication methods failed/i.test(msg)) return "authentication failed (is the identity's public key in the host's authorized_keys?)";
  if (/Timed out while waiting for handshake/i.test(msg)) return "no answer (timed out while waiting for the SSH handshake)";
  if (/ECONNREFUSED/.test(msg)) return "connection refused (is sshd running?)";
  if (/EHOSTUNREACH/.test(msg)) return "host unreachable";
  return msg;
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
