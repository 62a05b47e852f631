// Host connection settings: $VIGIL_STATE_DIR/hosts.json (mode 0600), never in the CIB or API.
//
//   const store = new HostStore(stateDir);          // or HostStore.fromEnv()
//   store.list();                                   // HostRecord[] (sorted by name)
//   store.get("node1");
//   store.add({ name, address, port?, user?, identity?, hostKey });   // throws HostConfigError on bad input
//   store.update("node1", { hostKey }); store.remove("node1");
//   publicView(record)                              // what the API may show: fingerprint, not the key path
//   parseHostAddArgs(["node1", "addr=10.0.0.1", "port=22", "host-key=ssh-ed25519 AAAA"])  // `vigil host add` syntax
//
// Writes are atomic (temp file, fsync, rename) and the file is created 0600 because it names
// identity files and pins host keys. A bad file is reported with its path, not silently reset.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, chmodSync, existsSync } from "node:fs";
import path from "node:path";
import { fingerprint, parseHostKey } from "../executor/ssh-hostkey";

export interface HostRecord {
  name: string;
  address: string;
  port: number;
  user: string;
  /** private key file on the controller's machine */
  identity?: string;
  /** pinned "type base64" */
  hostKey: string;
  addedAt: string;
}

export interface HostPublicView {
  name: string;
  address: string;
  port: number;
  user: string;
  hostKeyType: string;
  hostKeyFingerprint: string;
  addedAt: string;
}

export class HostConfigError extends Error {
  readonly field?: string;
  constructor(message: string, field?: string) {
    super(message);
    this.name = "HostConfigError";
    this.field = field;
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const ADDRESS = /^(?:[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

export interface HostInput {
  name: string;
  address: string;
  port?: number | string;
  user?: string;
  identity?: string;
  hostKey: string;
}

export function validateHost(input: HostInput): HostRecord {
  const name = String(input.name ?? "").trim();
  if (!NAME.test(name)) throw new HostConfigError(`host name "${name}" is invalid: use letters, digits, '.', '_' and '-' (max 63)`, "name");
  const address = String(input.address ?? "").trim();
  if (!address) throw new HostConfigError(`host ${name}: addr= is required`, "address");
  if (!ADDRESS.test(address)) throw new HostConfigError(`host ${name}: addr "${address}" is not a host name or IP address`, "address");
  const port = input.port === undefined || input.port === "" ? 22 : Number(input.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HostConfigError(`host ${name}: port "${input.port}" must be 1..65535`, "port");
  const user = input.user === undefined || input.user === "" ? "root" : String(input.user);
  if (!USER.test(user)) throw new HostConfigError(`host ${name}: user "${user}" is not a valid user name`, "user");
  let identity: string | undefined;
  if (input.identity) {
    identity = path.resolve(String(input.identity));
    if (!existsSync(identity)) throw new HostConfigError(`host ${name}: identity file ${identity} does not exist`, "identity");
  }
  let hostKey: string;
  try {
    hostKey = parseHostKey(input.hostKey).line;
  } catch (e) {
    throw new HostConfigError(`host ${name}: ${(e as Error).message}`, "host-key");
  }
  return { name, address, port, user, identity, hostKey, addedAt: new Date().toISOString() };
}

export function publicView(h: HostRecord): HostPublicView {
  const k = parseHostKey(h.hostKey);
  return { name: h.name, address: h.address, port: h.port, user: h.user, hostKeyType: k.type, hostKeyFingerprint: fingerprint(k.blob), addedAt: h.addedAt };
}

interface FileShape {
  version: 1;
  hosts: HostRecord[];
}

export class HostStore {
  readonly file: string;
  private hosts = new Map<string, HostRecord>();

  constructor(stateDir: string) {
    this.file = path.join(stateDir, "hosts.json");
    this.load();
  }

  static fromEnv(): HostStore {
    const dir = process.env.VIGIL_STATE_DIR;
    if (!dir) throw new HostConfigError("VIGIL_STATE_DIR is not set: the controller's state directory holds hosts.json");
    return new HostStore(dir);
  }

  private load() {
    if (!existsSync(this.file)) return;
    let data: FileShape;
    try {
      data = JSON.parse(readFileSync(this.file, "utf8")) as FileShape;
    } catch (e) {
      throw new HostConfigError(`${this.file}: not valid JSON (${(e as Error).message}); fix or remove it`);
    }
    if (!data || !Array.isArray(data.hosts)) throw new HostConfigError(`${this.file}: expected {"version":1,"hosts":[...]}`);
    for (const [i, h] of data.hosts.entries()) {
      try {
        const rec = validateHost({ ...h, identity: undefined });
        rec.identity = h.identity; // the key file may be unreadable at load; connect reports it
        rec.addedAt = h.addedAt ?? rec.addedAt;
        this.hosts.set(rec.name, rec);
      } catch (e) {
        throw new HostConfigError(`${this.file}: hosts[${i}]: ${(e as Error).message}`);
      }
    }
  }

  private save() {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp-${process.pid}`;
    const body = JSON.stringify({ version: 1, hosts: this.list() } satisfies FileShape, null, 2) + "\n";
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }

  list(): HostRecord[] {
    return [...this.hosts.values()].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
  }

  get(name: string): HostRecord | undefined {
    return this.hosts.get(name);
  }

  add(input: HostInput): HostRecord {
    const rec = validateHost(input);
    if (this.hosts.has(rec.name)) throw new HostConfigError(`host ${rec.name} already exists (remove it first, or update it)`, "name");
    this.hosts.set(rec.name, rec);
    this.save();
    return rec;
  }

  update(name: string, patch: Partial<Omit<HostInput, "name">>): HostRecord {
    const cur = this.hosts.get(name);
    if (!cur) throw new HostConfigError(`host ${name} does not exist`, "name");
    const rec = validateHost({ ...cur, ...patch, name });
    rec.addedAt = cur.addedAt;
    this.hosts.set(name, rec);
    this.save();
    return rec;
  }

  remove(name: string): boolean {
    if (!this.hosts.delete(name)) return false;
    this.save();
    return true;
  }
}

/** `vigil host add NAME addr=A [port=P] [user=U] [identity=PATH] [host-key="..."]` -> input (hostKey may be empty) */
export function parseHostAddArgs(args: string[]): Omit<HostInput, "hostKey"> & { hostKey?: string } {
  const [name, ...rest] = args;
  if (!name || name.includes("=")) throw new HostConfigError("usage: vigil host add NAME addr=ADDRESS [port=22] [user=root] [identity=PATH] [host-key=\"TYPE BASE64\"]", "name");
  const out: Omit<HostInput, "hostKey"> & { hostKey?: string } = { name, address: "" };
  for (const a of rest) {
    const i = a.indexOf("=");
    if (i <= 0) throw new HostConfigError(`host add: "${a}" is not key=value`, a);
    const k = a.slice(0, i);
    const v = a.slice(i + 1);
    if (k === "addr" || k === "address") out.address = v;
    else if (k === "port") out.port = v;
    else if (k === "user") out.user = v;
    else if (k === "identity") out.identity = v;
    else if (k === "host-key" || k === "host_key" || k === "hostkey") out.hostKey = v;
    else throw new HostConfigError(`host add: unknown option "${k}" (addr, port, user, identity, host-key)`, k);
  }
  if (!out.address) throw new HostConfigError(`host add ${name}: addr= is required`, "address");
  return out;
}
