// CIB versioning as Pacemaker does it: (admin_epoch, epoch, num_updates), compared in that
// order. A configuration change bumps epoch and resets num_updates; a status-only change bumps
// num_updates; admin_epoch is only ever changed by an administrator. Pure: the caller supplies
// the date string for cib-last-written.
import type { Cib } from "./types";

export interface CibVersion {
  adminEpoch: number;
  epoch: number;
  numUpdates: number;
}

function int(s: string | undefined): number {
  if (s === undefined) return 0;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

export function cibVersion(cib: Cib): CibVersion {
  return { adminEpoch: int(cib.attrs.admin_epoch), epoch: int(cib.attrs.epoch), numUpdates: int(cib.attrs.num_updates) };
}

/** "admin_epoch.epoch.num_updates", as crm_mon and cibadmin print it. */
export function formatVersion(v: CibVersion | Cib): string {
  const x = "attrs" in v ? cibVersion(v) : v;
  return `${x.adminEpoch}.${x.epoch}.${x.numUpdates}`;
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: CibVersion | Cib, b: CibVersion | Cib): number {
  const x = "attrs" in a ? cibVersion(a) : a;
  const y = "attrs" in b ? cibVersion(b) : b;
  return Math.sign(x.adminEpoch - y.adminEpoch || x.epoch - y.epoch || x.numUpdates - y.numUpdates);
}

export interface BumpOptions {
  /** written to cib-last-written on a configuration change (e.g. "Wed Dec  2 03:00:00 2026") */
  lastWritten?: string;
  /** update-origin (node name), update-client, update-user, when given */
  origin?: string;
  client?: string;
  user?: string;
}

function withAttrs(cib: Cib, set: Record<string, string | undefined>): Cib {
  const attrs = { ...cib.attrs };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) attrs[k] = v;
  return { ...cib, attrs };
}

function originAttrs(o: BumpOptions): Record<string, string | undefined> {
  return { "update-origin": o.origin, "update-client": o.client, "update-user": o.user };
}

/** A configuration change: epoch + 1, num_updates = 0, cib-last-written set when given. */
export function bumpEpoch(cib: Cib, opts: BumpOptions = {}): Cib {
  const v = cibVersion(cib);
  return withAttrs(cib, {
    epoch: String(v.epoch + 1),
    num_updates: "0",
    admin_epoch: String(v.adminEpoch),
    "cib-last-written": opts.lastWritten,
    ...originAttrs(opts),
  });
}

/** A status-only change: num_updates + 1. */
export function bumpNumUpdates(cib: Cib, opts: BumpOptions = {}): Cib {
  const v = cibVersion(cib);
  return withAttrs(cib, { num_updates: String(v.numUpdates + 1), ...originAttrs(opts) });
}

/**
 * Give `next` (derived from `prev`) the version Pacemaker would: epoch bump when its
 * configuration differs, num_updates bump when only the status differs, `next` unchanged
 * (with prev's version numbers) when nothing differs. admin_epoch is taken from `next`,
 * so an admin who set it keeps it; epoch and num_updates always follow from `prev`.
 */
export function nextVersion(prev: Cib, next: Cib, opts: BumpOptions = {}): Cib {
  const p = cibVersion(prev);
  const base = withAttrs(next, {
    admin_epoch: next.attrs.admin_epoch ?? String(p.adminEpoch),
    epoch: String(p.epoch),
    num_updates: String(p.numUpdates),
  });
  if (!deepEqual(prev.configuration, next.configuration)) return bumpEpoch(base, opts);
  if (!deepEqual(prev.status, next.status)) return bumpNumUpdates(base, opts);
  return base;
}

/** Which part changed between two CIBs: "configuration" (wins), "status", or "none". */
export function changeKind(prev: Cib, next: Cib): "configuration" | "status" | "none" {
  if (!deepEqual(prev.configuration, next.configuration)) return "configuration";
  if (!deepEqual(prev.status, next.status)) return "status";
  return "none";
}

/** Structural equality of plain JSON-like data; keys whose value is undefined count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}
