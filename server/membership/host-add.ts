// `vigil host add` / the console's "Add host" form: first contact and host-key pinning,
// and building the SshTransport for a stored host.
//
//   const plan = await prepareHostAdd(input);        // probes the host when no host-key was given
//   plan.fingerprint                                  // show it: "SHA256:..." (ED25519)
//   plan.needsConfirmation                            // true when the key came from the network
//   const rec = await addHost(store, input, { acceptNew: true });     // like StrictHostKeyChecking=accept-new
//   const rec = await addHost(store, input, { confirm: async (fp) => ask(`Accept ${fp}?`) });
//   const t = transportFor(rec, { hostTimeoutMs, defaultIdentity });  // SshTransport (not connected)
//
// Before anything is stored the host is connected to once with the pinned key and the
// identity (so a wrong address, key or identity fails here with a clear message, and the CIB
// and hosts.json stay unchanged). Adding the node to the CIB is the controller's job.

import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { fingerprint, parseHostKey, probeHostKey } from "../executor/ssh-hostkey";
import { SshTransport } from "../executor/ssh-transport";
import { HostConfigError, validateHost, type HostInput, type HostRecord, type HostStore } from "./hosts";

export interface HostAddPlan {
  input: HostInput;
  hostKey: string;
  fingerprint: string;
  keyType: string;
  /** the key was read from the network (no host-key given): a human must confirm it, or --accept-new */
  needsConfirmation: boolean;
}

export async function prepareHostAdd(input: Omit<HostInput, "hostKey"> & { hostKey?: string }, opts: { probeTimeoutMs?: number } = {}): Promise<HostAddPlan> {
  if (input.hostKey) {
    const k = parseHostKeyField(input.name, input.hostKey);
    const full = { ...input, hostKey: k.line };
    validateHost(full);
    return { input: full, hostKey: k.line, fingerprint: fingerprint(k.blob), keyType: k.type, needsConfirmation: false };
  }
  // validate everything else before touching the network
  const port = input.port === undefined || input.port === "" ? 22 : Number(input.port);
  validateHost({ ...input, hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPMffIVh0WhL2Ka6X836B113vU5mACHTSRdW3mib8V2w" });
  let probe;
  try {
    probe = await probeHostKey(input.address, port, opts.probeTimeoutMs ?? 3000);
  } catch (e) {
    throw new HostConfigError(`host ${input.name}: ${(e as Error).message}`, "address");
  }
  return { input: { ...input, hostKey: probe.hostKey }, hostKey: probe.hostKey, fingerprint: probe.fingerprint, keyType: probe.type, needsConfirmation: true };
}

function parseHostKeyField(name: string, text: string) {
  try {
    return parseHostKey(text);
  } catch (e) {
    throw new HostConfigError(`host ${name}: ${(e as Error).message}`, "host-key");
  }
}

export interface AddHostOptions {
  acceptNew?: boolean;
  /** asked with the fingerprint when the key came from the network; false refuses */
  confirm?: (fingerprint: string, keyType: string) => Promise<boolean>;
  defaultIdentity?: string;
  hostTimeoutMs?: number;
  /** skip the test connection (tests of the store only) */
  skipConnect?: boolean;
}

export async function addHost(store: HostStore, input: Omit<HostInput, "hostKey"> & { hostKey?: string }, opts: AddHostOptions = {}): Promise<HostRecord> {
  if (store.get(input.name)) throw new HostConfigError(`host ${input.name} already exists (remove it first, or update it)`, "name");
  const plan = await prepareHostAdd(input);
  if (plan.needsConfirmation && !opts.acceptNew) {
    const ok = opts.confirm ? await opts.confirm(plan.fingerprint, plan.keyType) : false;
    if (!ok) {
      throw new HostConfigError(
        `host ${input.name}: the host's ${plan.keyType} key fingerprint is ${plan.fingerprint}; not confirmed. ` +
          `Check it on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then add it with host-key="${plan.hostKey}" or --accept-new`,
        "host-key",
      );
    }
  }
  const rec = validateHost(plan.input);
  if (!opts.skipConnect) {
    const t = transportFor(rec, { defaultIdentity: opts.defaultIdentity, hostTimeoutMs: opts.hostTimeoutMs, autoReconnect: false });
    try {
      await t.connect();
      const r = await t.run({ argv: ["true"], timeoutMs: 10000 });
      if (r.code !== 0) throw new Error(`a test command failed (${r.code ?? r.signal}): ${r.stderr.trim()}`);
    } catch (e) {
      throw new HostConfigError(`host ${input.name}: ${(e as Error).message}`, "address");
    } finally {
      await t.close();
    }
  }
  return store.add(plan.input);
}

/** the identity used when a host names none: $VIGIL_IDENTITY, else ~/.ssh/id_ed25519, else ~/.ssh/id_rsa */
export function defaultIdentity(): string | undefined {
  if (process.env.VIGIL_IDENTITY) return process.env.VIGIL_IDENTITY;
  for (const f of ["id_ed25519", "id_ecdsa", "id_rsa"]) {
    const p = path.join(os.homedir(), ".ssh", f);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function transportFor(
  rec: HostRecord,
  opts: { hostTimeoutMs?: number; defaultIdentity?: string; autoReconnect?: boolean } = {},
): SshTransport {
  const identity = rec.identity ?? opts.defaultIdentity ?? defaultIdentity();
  if (!identity) throw new HostConfigError(`host ${rec.name}: no identity: give identity=PATH or set VIGIL_IDENTITY`, "identity");
  return new SshTransport({
    node: rec.name,
    host: rec.address,
    port: rec.port,
    username: rec.user,
    privateKeyPath: identity,
    hostKey: rec.hostKey,
    hostTimeoutMs: opts.hostTimeoutMs,
    autoReconnect: opts.autoReconnect,
  });
}
