// Small text helpers shared by the crm_mon / crm_simulate formatters.
import { INFINITY } from "../cib/values";

/**
 * Node-name order as Pacemaker 2.1 sorts names: case-insensitive, runs of
 * digits compared as numbers ("node9" before "node10").
 */
export function compareNodeNames(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.toLowerCase().match(re) ?? [];
  const pb = b.toLowerCase().match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      if (x.length !== y.length) return x.length - y.length;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortNodeNames(names: Iterable<string>): string[] {
  return [...names].sort(compareNodeNames);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/**
 * Epoch seconds as ctime(3) prints them ("Wed Dec  2 02:52:34 2026"), the form
 * crm_mon uses for "Last updated", last-rc-change and last-failure.
 * crm_mon prints local time; `utc` pins it for reproducible output.
 */
export function ctimeString(epochSeconds: number, utc = false): string {
  const d = new Date(epochSeconds * 1000);
  const [wd, mo, day, h, mi, s, y] = utc
    ? [d.getUTCDay(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCFullYear()]
    : [d.getDay(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getFullYear()];
  return `${DAYS[wd]} ${MONTHS[mo]} ${String(day).padStart(2, " ")} ${p2(h)}:${p2(mi)}:${p2(s)} ${y}`;
}

/** "2019-10-22 20:53:06Z": the form of crm_simulate's "Using the original execution date of:" line. */
export function isoUtcString(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return (
    `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}Z`
  );
}

/**
 * A millisecond interval in crm_mon's compact form: 10000 -> "10s", 1500 ->
 * "1.500s", 90061001 -> "1d1h1m1.001s". Like Pacemaker, a unit is used only when
 * the remainder is strictly greater than one of it (1000 -> "1000ms", 3600000 -> "60m").
 */
export function readableInterval(ms: number): string {
  const D = 86_400_000, H = 3_600_000, M = 60_000, S = 1000;
  let rest = Math.max(0, Math.floor(ms));
  let out = "";
  if (rest > D) { const n = Math.floor(rest / D); out += `${n}d`; rest -= n * D; }
  if (rest > H) { const n = Math.floor(rest / H); out += `${n}h`; rest -= n * H; }
  if (rest > M) { const n = Math.floor(rest / M); out += `${n}m`; rest -= n * M; }
  if (rest > S) {
    const n = Math.floor(rest / S);
    rest -= n * S;
    out += rest > 0 ? `${n}.${String(rest).padStart(3, "0")}s` : `${n}s`;
  } else if (rest > 0) {
    out += `${rest}ms`;
  }
  return out || "0s";
}

/** OCF exit codes as crm_mon words them (services_ocf_exitcode_str). */
export function ocfRcText(rc: number): string {
  switch (rc) {
    case 0: return "ok";
    case 1: return "error";
    case 2: return "invalid parameter";
    case 3: return "unimplemented feature";
    case 4: return "insufficient privileges";
    case 5: return "not installed";
    case 6: return "not configured";
    case 7: return "not running";
    case 8: return "promoted";
    case 9: return "promoted (failed)";
    case 190: return "OCF_DEGRADED";
    case 191: return "promoted (degraded)";
    default: return "unknown";
  }
}

/** A fail-count as crm_mon prints it: INFINITY stays the number 1000000. */
export function failCountText(n: number): string {
  return String(Math.min(n, INFINITY));
}
