// Contracts of the executor: a Transport runs commands on one host; agent
// classes (ocf, lsb, systemd, service, stonith) turn an action into a command
// and its exit status into an OCF result. The local transport (demo, tests) and
// the SSH transport implement the same Transport.

export interface RunRequest {
  /** argv[0] is the program; no shell unless the caller passes ["/bin/sh","-c",...] */
  argv: string[];
  env?: Record<string, string>;
  stdin?: string;
  /** the whole process group is killed when exceeded */
  timeoutMs: number;
  cwd?: string;
  /**
   * optional: aborting it cancels the run; a transport that supports it kills the command's
   * process group on the host at once and rejects (a cancelled recurring monitor that hangs)
   */
  signal?: AbortSignal;
}

export interface RunResult {
  /** exit code; null when killed by a signal or timed out */
  code: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export type TransportState = "connecting" | "up" | "down";

/** Where agents live on a host. Every field is optional; the defaults are a standard Linux host's. */
export interface AgentPaths {
  /** OCF_ROOT for every provider except vigil [/usr/lib/ocf] */
  ocfRoot?: string;
  /** OCF_ROOT whose resource.d/vigil holds Vigil's agents [ocfRoot: SSH hosts get them copied there; local hosts use the repo's agents/] */
  vigilOcfRoot?: string;
  /** LSB init scripts [/etc/init.d] */
  initDir?: string;
  /** fence agents fence_* [/usr/sbin] */
  fenceDir?: string;
  /** the host runs systemd when this directory exists [/run/systemd/system] */
  systemdRunDir?: string;
  /** systemctl program [systemctl] */
  systemctl?: string;
}

export interface Transport {
  /** node name (CIB uname) this transport reaches */
  readonly node: string;
  readonly kind: "local" | "ssh";
  /** where agents live on this host (optional; defaults as in AgentPaths) */
  readonly agentPaths?: AgentPaths;
  connect(): Promise<void>;
  run(req: RunRequest): Promise<RunResult>;
  state(): TransportState;
  /** called on every state change; returns an unsubscribe function */
  onStateChange(cb: (state: TransportState, reason?: string) => void): () => void;
  close(): Promise<void>;
}

/** Pacemaker's op-status values (PCMK_EXEC_*), as written to lrm_rsc_op op-status. */
export const OpStatus = {
  PENDING: -1,
  DONE: 0,
  CANCELLED: 1,
  TIMEOUT: 2,
  NOT_SUPPORTED: 3,
  ERROR: 4,
  NOT_INSTALLED: 5,
  NOT_CONNECTED: 6,
  INVALID: 7,
  NO_FENCE_DEVICE: 8,
  NO_SECRETS: 9,
} as const;

/** OCF exit codes. */
export const OcfRc = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
  DEGRADED: 190,
  DEGRADED_PROMOTED: 191,
} as const;

export interface AgentOp {
  /** resource instance id (OCF_RESOURCE_INSTANCE) */
  rsc: string;
  standard: string; // ocf lsb systemd service stonith
  provider?: string;
  type: string;
  action: string; // start stop monitor promote demote notify meta-data validate-all reload-agent migrate_to migrate_from
  intervalMs: number;
  timeoutMs: number;
  /** instance attributes -> OCF_RESKEY_<name> */
  params: Record<string, string>;
  /** meta values -> OCF_RESKEY_CRM_meta_<name> (timeout, interval, clone, notify_* ...) */
  meta: Record<string, string>;
}

export interface OpResult {
  /** OCF-mapped exit code (lsb/systemd statuses already mapped) */
  rc: number;
  opStatus: number;
  exitReason?: string;
  /** agent stdout (meta-data XML for meta-data) */
  output: string;
  stderr: string;
  /** epoch ms when the agent started */
  startedAt: number;
  execMs: number;
  queueMs: number;
}
