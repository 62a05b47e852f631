// Users, sessions, tokens, CSRF, login rate limit and the audit log.
//
// - users.json (0600): argon2id hashes; first start creates `hacluster` (admin)
//   with a generated password, written once to initial-admin-password (0600).
// - sessions live in memory (a restart logs everybody out) with an idle timeout.
// - cli-token (0600): the local CLI's bearer token, root-equivalent admin, as
//   pcs talks to the local pcsd as root.
// - tokens.json (0600): named API tokens (e.g. a read-only token for a NOC wall
//   screen); only their SHA-256 is stored.
// - audit.jsonl: one line per change attempt (who, what, when, from where, result).

import { randomBytes, createHash, timingSafeEqual } from "node:crypto";
import { promises as fsp, existsSync, readFileSync, openSync, writeSync, fsyncSync, closeSync, renameSync, appendFileSync, chmodSync } from "node:fs";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import type { AuditEntry, UserRole } from "./contract";
import { CSRF_HEADER, SESSION_COOKIE } from "./contract";

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public field?: string,
    public extra: { elementId?: string; line?: number; retryAfterS?: number } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface UserRecord {
  name: string;
  role: UserRole;
  hash: string;
  createdAt: number;
}

export interface TokenRecord {
  name: string;
  role: UserRole;
  sha256: string;
  createdAt: number;
}

export interface Principal {
  user: string;
  role: UserRole;
  via: "session" | "token";
  sessionId?: string;
  csrfToken?: string;
}

interface Session {
  id: string;
  user: string;
  csrfToken: string;
  lastSeen: number;
}

export interface AuthOptions {
  /** idle timeout of a session, seconds (default 3600, pcsd's session lifetime) */
  idleTimeoutS?: number;
  /** failed logins per IP+user within the window before 429 (default 5) */
  maxFailures?: number;
  windowS?: number;
  now?: () => number;
}

export const INITIAL_ADMIN = "hacluster";

function writeFileAtomic0600(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  chmodSync(file, 0o600);
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k) out[k] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

export class Auth {
  readonly idleTimeoutS: number;
  private users = new Map<string, UserRecord>();
  private tokens: TokenRecord[] = [];
  private sessions = new Map<string, Session>();
  private failures = new Map<string, number[]>();
  private cliToken = "";
  private readonly maxFailures: number;
  private readonly windowS: number;
  private readonly now: () => number;
  /** set on the first start: the generated admin password (to print once) */
  initialPassword?: string;

  private constructor(
    readonly stateDir: string,
    opts: AuthOptions,
  ) {
    this.idleTimeoutS = opts.idleTimeoutS ?? 3600;
    this.maxFailures = opts.maxFailures ?? 5;
    this.windowS = opts.windowS ?? 60;
    this.now = opts.now ?? Date.now;
  }

  get usersFile() {
    return path.join(this.stateDir, "users.json");
  }
  get tokensFile() {
    return path.join(this.stateDir, "tokens.json");
  }
  get cliTokenFile() {
    return path.join(this.stateDir, "cli-token");
  }
  get initialPasswordFile() {
    return path.join(this.stateDir, "initial-admin-password");
  }
  get auditFile() {
    return path.join(this.stateDir, "audit.jsonl");
  }

  /** Loads (or on first start creates) users, the CLI token and API tokens. */
  static async open(stateDir: string, opts: AuthOptions = {}): Promise<Auth> {
    await fsp.mkdir(stateDir, { recursive: true, mode: 0o700 });
    const a = new Auth(stateDir, opts);
    if (existsSync(a.usersFile)) {
      a.loadUsers();
    } else {
      const password = generatePassword();
      a.users.set(INITIAL_ADMIN, {
        name: INITIAL_ADMIN,
        role: "admin",
        hash: await argonHash(password),
        createdAt: a.now(),
      });
      a.saveUsers();
      writeFileAtomic0600(a.initialPasswordFile, password + "\n");
      a.initialPassword = password;
    }
    if (existsSync(a.cliTokenFile)) {
      a.cliToken = readFileSync(a.cliTokenFile, "utf8").trim();
    }
    if (a.cliToken.length < 32) {
      a.cliToken = randomBytes(32).toString("base64url");
      writeFileAtomic0600(a.cliTokenFile, a.cliToken + "\n");
    }
    if (existsSync(a.tokensFile)) {
      a.tokens = JSON.parse(readFileSync(a.tokensFile, "utf8")).tokens ?? [];
    }
    return a;
  }

  private loadUsers(): void {
    let parsed: { users?: UserRecord[] };
    try {
      parsed = JSON.parse(readFileSync(this.usersFile, "utf8"));
    } catch (e) {
      throw new Error(`${this.usersFile} is not valid JSON (${(e as Error).message}); fix or remove it`);
    }
    this.users = new Map((parsed.users ?? []).map((u) => [u.name, u]));
  }

  private saveUsers(): void {
    writeFileAtomic0600(this.usersFile, JSON.stringify({ version: 1, users: [...this.users.values()] }, null, 2) + "\n");
  }

  private saveTokens(): void {
    writeFileAtomic0600(this.tokensFile, JSON.stringify({ version: 1, tokens: this.tokens }, null, 2) + "\n");
  }

  // --- users -------------------------------------------------------------

  listUsers(): { name: string; role: UserRole; createdAt: number }[] {
    return [...this.users.values()].map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  async addUser(name: string, password: string, role: UserRole): Promise<void> {
    if (this.users.has(name)) throw new ApiError(409, `user '${name}' already exists`, "name");
    this.users.set(name, { name, role, hash: await argonHash(password), createdAt: this.now() });
    this.saveUsers();
  }

  deleteUser(name: string): void {
    const u = this.users.get(name);
    if (!u) throw new ApiError(404, `user '${name}' does not exist`, "name");
    const admins = [...this.users.values()].filter((x) => x.role === "admin");
    if (u.role === "admin" && admins.length === 1) throw new ApiError(409, `cannot delete '${name}': it is the last admin`, "name");
    this.users.delete(name);
    this.saveUsers();
    for (const [id, s] of this.sessions) if (s.user === name) this.sessions.delete(id);
  }

  async setPassword(name: string, password: string): Promise<void> {
    const u = this.users.get(name);
    if (!u) throw new ApiError(404, `user '${name}' does not exist`, "name");
    u.hash = await argonHash(password);
    this.saveUsers();
    // a password change logs out the user's other sessions
    for (const [id, s] of this.sessions) if (s.user === name) this.sessions.delete(id);
  }

  // --- tokens ------------------------------------------------------------

  /** Creates a named API token; returns the secret (shown once, only its hash is kept). */
  createToken(name: string, role: UserRole): string {
    if (this.tokens.some((t) => t.name === name)) throw new ApiError(409, `token '${name}' already exists`, "name");
    const secret = randomBytes(32).toString("base64url");
    this.tokens.push({ name, role, sha256: sha256(secret), createdAt: this.now() });
    this.saveTokens();
    return secret;
  }

  deleteToken(name: string): void {
    const before = this.tokens.length;
    this.tokens = this.tokens.filter((t) => t.name !== name);
    if (this.tokens.length === before) throw new ApiError(404, `token '${name}' does not exist`, "name");
    this.saveTokens();
  }

  listTokens(): { name: string; role: UserRole; createdAt: number }[] {
    return this.tokens.map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  /** The principal of a bearer token, or null. */
  principalForToken(token: string): Principal | null {
    if (this.cliToken && safeEqual(token, this.cliToken)) return { user: "root", role: "admin", via: "token" };
    const h = sha256(token);
    const t = this.tokens.find((x) => safeEqual(x.sha256, h));
    return t ? { user: `token:${t.name}`, role: t.role, via: "token" } : null;
  }

  // --- login / sessions ----------------------------------------------------

  private pruneFailures(key: string): number[] {
    const cutoff = this.now() - this.windowS * 1000;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Verifies a password; returns a new session. Throws 401 (wrong) or 429 (rate limited). */
  /** drops expired sessions and old failure records (bounded memory under a login flood) */
  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleTimeoutS * 1000) this.sessions.delete(id);
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.pruneFailures(k);
  }

  async login(user: string, password: string, from: string): Promise<{ id: string; csrfToken: string; role: UserRole }> {
    this.sweep();
    const key = `${from}|${user}`;
    const recent = this.pruneFailures(key);
    // per address too, so trying many user names does not get around the limit
    const ipKey = `${from}|*`;
    const ipRecent = this.pruneFailures(ipKey);
    if (ipRecent.length >= this.maxFailures * 6) {
      const retry = Math.max(1, Math.ceil((ipRecent[0] + this.windowS * 1000 - this.now()) / 1000));
      throw new ApiError(429, `too many failed logins from ${from}; try again in ${retry} s`, undefined, { retryAfterS: retry });
    }
    if (recent.length >= this.maxFailures) {
      const retry = Math.max(1, Math.ceil((recent[0] + this.windowS * 1000 - this.now()) / 1000));
      throw new ApiError(429, `too many failed logins for '${user}' from ${from}; try again in ${retry} s`, undefined, {
        retryAfterS: retry,
      });
    }
    const u = this.users.get(user);
    // verify against a real hash even for unknown users, so timing does not tell which names exist
    const ok = u ? await argonVerify(u.hash, password).catch(() => false) : (await argonHash(password), false);
    if (!ok) {
      recent.push(this.now());
      this.failures.set(key, recent);
      ipRecent.push(this.now());
      this.failures.set(ipKey, ipRecent);
      throw new ApiError(401, "wrong user name or password");
    }
    this.failures.delete(key);
    const session: Session = {
      id: randomBytes(32).toString("base64url"),
      user,
      csrfToken: randomBytes(24).toString("base64url"),
      lastSeen: this.now(),
    };
    this.sessions.set(session.id, session);
    return { id: session.id, csrfToken: session.csrfToken, role: u!.role };
  }

  logout(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** The principal for a session id (and touches it), or null when unknown/expired. */
  principalForSession(id: string): Principal | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    if (this.now() - s.lastSeen > this.idleTimeoutS * 1000) {
      this.sessions.delete(id);
      return null;
    }
    const u = this.users.get(s.user);
    if (!u) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeen = this.now();
    return { user: u.name, role: u.role, via: "session", sessionId: id, csrfToken: s.csrfToken };
  }

  /** Who sent this request: bearer token, ?token= (read-only links), or session cookie. */
  authenticate(req: IncomingMessage, url?: URL): Principal | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) return this.principalForToken(auth.slice(7).trim());
    const qtoken = url?.searchParams.get("token");
    if (qtoken) {
      const p = this.principalForToken(qtoken);
      // a token in a URL may only read (links end up in logs and browser history)
      if (p) return { ...p, role: "read-only" };
    }
    const sid = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    return sid ? this.principalForSession(sid) : null;
  }

  // --- audit ---------------------------------------------------------------

  audit(entry: Omit<AuditEntry, "at"> & { at?: number }): void {
    const line = JSON.stringify({ at: entry.at ?? this.now(), ...entry });
    appendFileSync(this.auditFile, line + "\n", { mode: 0o600 });
  }

  readAudit(limit = 1000): AuditEntry[] {
    if (!existsSync(this.auditFile)) return [];
    const lines = readFileSync(this.auditFile, "utf8").split("\n").filter(Boolean);
    return lines.slice(-limit).map((l) => JSON.parse(l) as AuditEntry);
  }
}

// --- request checks --------------------------------------------------------

const ROLE_RANK: Record<UserRole, number> = { "read-only": 0, operator: 1, admin: 2 };

export function requireRole(p: Principal, need: UserRole): void {
  if (ROLE_RANK[p.role] < ROLE_RANK[need]) {
    throw new ApiError(403, `permission denied: this needs the ${need} role, '${p.user}' has ${p.role}`);
  }
}

/** The origin this server is reached at, from the Host header. */
function expectedOrigin(req: IncomingMessage, secure: boolean): string | null {
  const host = req.headers.host;
  return host ? `${secure ? "https" : "http"}://${host}` : null;
}

/** Origin/Referer must name this server (when a browser sent one). */
export function checkOrigin(req: IncomingMessage, secure: boolean): void {
  const want = expectedOrigin(req, secure);
  const origin = req.headers.origin;
  if (origin !== undefined) {
    if (origin !== want) throw new ApiError(403, `cross-site request refused: Origin ${origin} is not ${want ?? "this server"}`);
    return;
  }
  const referer = req.headers.referer;
  if (referer) {
    let refOrigin = "";
    try {
      refOrigin = new URL(referer).origin;
    } catch {
      /* unparsable referer: refuse below */
    }
    if (refOrigin !== want) throw new ApiError(403, `cross-site request refused: Referer is not ${want ?? "this server"}`);
  }
}

/**
 * CSRF defence for state-changing requests. Cookie sessions need a matching
 * Origin (or Referer) and the session's token in the X-CSRF-Token header (the
 * same value is in the readable vigil_csrf cookie: double submit). Bearer
 * tokens carry no ambient authority, so they need neither.
 */
export function checkCsrf(req: IncomingMessage, p: Principal, secure: boolean): void {
  if (p.via === "token") return;
  checkOrigin(req, secure);
  const sent = req.headers[CSRF_HEADER];
  const value = Array.isArray(sent) ? sent[0] : sent;
  if (!value || !p.csrfToken || !safeEqual(value, p.csrfToken)) {
    throw new ApiError(403, `missing or wrong ${CSRF_HEADER} header (get the token from GET /api/session)`);
  }
}
