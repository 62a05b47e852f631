// Host keys for the SSH transport: parsing the OpenSSH one-line form
// ("ssh-ed25519 AAAA... [comment]"), fingerprints as `ssh-keygen -l` prints
// them (SHA256:base64 without padding), the host-key algorithms to offer for a
// pinned key, and probeHostKey() which fetches a host's key for first-contact
// confirmation (`vigil host add` without host-key shows its fingerprint).
//
//   fingerprint("ssh-ed25519 AAAA...")  -> "SHA256:Xyz..."
//   parseHostKey(line)                  -> { type, blob, line } (throws HostKeyFormatError)
//   await probeHostKey("10.0.0.5", 22)  -> { hostKey: "ssh-ed25519 AAAA...", fingerprint }

import { createHash } from "node:crypto";

export class HostKeyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostKeyFormatError";
  }
}

/** The host presented a key that differs from the pinned one. */
export class HostKeyMismatchError extends Error {
  readonly expected: string;
  readonly presented: string;
  constructor(node: string, where: string, expectedFp: string, presentedFp: string) {
    super(
      `HOST KEY CHANGED for ${node} (${where}): pinned ${expectedFp}, host presented ${presentedFp}. ` +
        `Refusing to connect: someone may be impersonating the host, or it was reinstalled. ` +
        `Verify the new key on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) and pin it again with 'vigil host add ${node} ... host-key="..."'.`,
    );
    this.name = "HostKeyMismatchError";
    this.expected = expectedFp;
    this.presented = presentedFp;
  }
}

export interface ParsedHostKey {
  type: string;
  blob: Buffer;
  /** "type base64" without comment */
  line: string;
}

const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "ssh-dss",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
]);

/** the key type written inside an SSH public key blob (uint32 length + name) */
export function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (n <= 0 || n > 64 || blob.length < 4 + n) return null;
  return blob.subarray(4, 4 + n).toString("latin1");
}

export function parseHostKey(text: string): ParsedHostKey {
  const parts = String(text ?? "").trim().split(/\s+/);
  if (parts.length < 2 || !parts[0]) {
    throw new HostKeyFormatError(`host-key: expected "TYPE BASE64" (e.g. "ssh-ed25519 AAAAC3Nza..."), got "${String(text).slice(0, 60)}"`);
  }
  // tolerate a known_hosts line ("host[,addr] type base64")
  if (!KEY_TYPES.has(parts[0]) && parts.length >= 3 && KEY_TYPES.has(parts[1])) parts.shift();
  const [type, b64] = parts;
  if (!KEY_TYPES.has(type)) throw new HostKeyFormatError(`host-key: unknown key type "${type}"`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new HostKeyFormatError(`host-key: "${b64.slice(0, 20)}..." is not base64`);
  const blob = Buffer.from(b64, "base64");
  const inner = blobKeyType(blob);
  if (inner !== type) {
    throw new HostKeyFormatError(`host-key: the key data is ${inner ? `a "${inner}" key` : "not an SSH public key"}, but the line says "${type}"`);
  }
  return { type, blob, line: `${type} ${b64}` };
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it: "SHA256:" + unpadded base64 */
export function fingerprint(hostKey: string | Buffer): string {
  const blob = Buffer.isBuffer(hostKey) ? hostKey : parseHostKey(hostKey).blob;
  return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}

/** host-key algorithms to negotiate so that the host presents the pinned key's type */
export function hostKeyAlgorithms(type: string): string[] {
  if (type === "ssh-rsa") return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  return [type];
}

export interface ProbeResult {
  hostKey: string;
  fingerprint: string;
  type: string;
}

/**
 * Connect far enough to see the host's key (no authentication), then hang up.
 * Prefers ed25519, as ssh2 does.
 */
export async function probeHostKey(host: string, port = 22, timeoutMs = 3000): Promise<ProbeResult> {
  // loaded here, not at module load: the CLI imports this module through membership/hosts.ts,
  // and `vigil simulate` should not pay node-ssh's (ssh2's) start-up cost
  const { NodeSSH } = await import("node-ssh");
  const ssh = new NodeSSH();
  let key: Buffer | null = null;
  try {
    await ssh.connect({
      host,
      port,
      username: "vigil-probe",
      password: "-",
      readyTimeout: timeoutMs,
      tryKeyboard: false,
      // refuse: we only want the key
      hostVerifier: ((k: Buffer) => {
        key = Buffer.from(k);
        return false;
      }) as never,
    });
  } catch (e) {
    if (!key) throw new Error(`cannot read the host key of ${host}:${port}: ${(e as Error).message}`);
  } finally {
    try {
      ssh.connection?.on("error", () => {});
      ssh.dispose();
    } catch {
      /* already closed */
    }
  }
  if (!key) throw new Error(`no host key received from ${host}:${port}`);
  const k: Buffer = key;
  const type = blobKeyType(k) ?? "unknown";
  return { hostKey: `${type} ${k.toString("base64")}`, fingerprint: fingerprint(k), type };
}
