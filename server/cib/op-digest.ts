// Operation digests in Pacemaker's form (op-digest, op-restart-digest in
// lrm_rsc_op). The controller writes them with every recorded operation; the
// scheduler recomputes them from the configuration and compares, so that a
// resource whose parameters changed is restarted (or reloaded, or its monitor
// rescheduled) as Pacemaker does. Pure: no I/O, same input, same digest.
import { createHash } from "node:crypto";

function xmlAttrEscape(v: string): string {
  return v
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}

/** Names that never enter a digest: meta attributes and bookkeeping fields Pacemaker leaves out. */
const NOT_DIGESTED = new Set(["id", "crm_feature_set", "op-digest", "on_node", "on_node_uuid", "pcmk_external_ip"]);

/**
 * The parameters a digest covers: the instance attributes the operation runs
 * with, without CRM_meta_* and bookkeeping names; recurring operations also
 * carry their timeout (CRM_meta_timeout, in ms).
 */
export function digestParams(params: Record<string, string>, intervalMs: number, timeoutMs: number): Record<string, string> {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.startsWith("CRM_meta_") || NOT_DIGESTED.has(k)) continue;
    all[k] = v;
  }
  if (intervalMs > 0) all["CRM_meta_timeout"] = String(timeoutMs);
  return all;
}

// Many resources share a parameter set (same agent, no parameters): remember recent digests.
const memo = new Map<string, string>();
const MEMO_MAX = 4096;

/** MD5 over " <parameters a="1" b="2"/>\n" with the names sorted, as Pacemaker hashes a parameter set. */
export function digestOf(params: Record<string, string>): string {
  const names = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let s = " <parameters";
  for (const n of names) s += ` ${n}="${xmlAttrEscape(params[n])}"`;
  s += "/>\n";
  let d = memo.get(s);
  if (d === undefined) {
    d = createHash("md5").update(s, "utf8").digest("hex");
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(s, d);
  }
  return d;
}

/**
 * op-digest as Pacemaker computes it: the digest of digestParams(). The same
 * digest lets Pacemaker's scheduler (and Vigil's) see that the parameters a
 * resource runs with are the configured ones.
 */
export function opDigest(params: Record<string, string>, intervalMs: number, timeoutMs: number): string {
  return digestOf(digestParams(params, intervalMs, timeoutMs));
}

/**
 * op-restart-digest: the digest over only the parameters named in
 * op-force-restart (those a reload cannot apply); all of them when the list
 * is absent.
 */
export function restartDigest(params: Record<string, string>, intervalMs: number, timeoutMs: number, forceRestart: string | undefined): string {
  const all = digestParams(params, intervalMs, timeoutMs);
  if (forceRestart === undefined) return digestOf(all);
  const keep = new Set(forceRestart.split(/\s+/).filter(Boolean));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (keep.has(k)) out[k] = v;
  return digestOf(out);
}

/** Fencing-specific parameters that Pacemaker adds itself (older controllers left them out of secure digests). */
export function isStonithParam(name: string): boolean {
  if (name === "provides" || name === "stonith-timeout") return true;
  if (!name.startsWith("pcmk_")) return false;
  if (["pcmk_action_limit", "pcmk_delay_base", "pcmk_delay_max", "pcmk_host_argument", "pcmk_host_check", "pcmk_host_list", "pcmk_host_map"].includes(name)) return true;
  const rest = name.slice(5);
  const i = rest.indexOf("_");
  return i >= 0 && ["_action", "_timeout", "_retries"].includes(rest.slice(i));
}

/** a < b for dotted version strings such as crm_feature_set ("3.0.12" < "3.16.0"). */
export function versionLess(a: string, b: string): boolean {
  const x = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const y = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/**
 * op-secure-digest: the digest without the secret parameters (op-secure-params),
 * used to recognise a history whose only "change" is that secrets were masked in
 * the CIB. Histories written before feature set 3.16.0 hash only the resource's
 * own parameters (for fencing devices without Pacemaker's pcmk_* parameters) and
 * no timeout.
 */
export function secureDigest(
  params: Record<string, string>,
  intervalMs: number,
  timeoutMs: number,
  secureParams: string | undefined,
  opts: { featureSet?: string; stonith: boolean },
): string {
  const old = versionLess(opts.featureSet ?? "0", "3.16.0");
  const secret = new Set((secureParams ?? "").split(/\s+/).filter(Boolean));
  const base = old ? digestParams(params, 0, 0) : digestParams(params, intervalMs, timeoutMs);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (secret.has(k)) continue;
    if (old && opts.stonith && isStonithParam(k)) continue;
    out[k] = v;
  }
  return digestOf(out);
}
