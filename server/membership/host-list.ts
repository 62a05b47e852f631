// `vigil host list`: one row per host with what an admin checks first.
//
//   hostListRows(records, { membership, transports, now })  -> HostListRow[] (also for the API / console)
//   formatHostList(rows)                                     -> text table
//
// Shows the fingerprint of the pinned key, never the key file or the key itself.

import type { SshTransportStats } from "../executor/ssh-transport";
import { publicView, type HostRecord } from "./hosts";
import type { Membership } from "./membership";

export interface HostListRow {
  name: string;
  state: string;
  address: string;
  fingerprint: string;
  /** ms since the last packet from the host, or null */
  lastHeartbeatAgoMs: number | null;
  rttMs: number | null;
  reason?: string;
}

export function hostListRows(
  records: HostRecord[],
  ctx: { membership?: Membership; transports?: Map<string, { stats?: () => SshTransportStats }>; now?: number } = {},
): HostListRow[] {
  const now = ctx.now ?? Date.now();
  return records.map((r) => {
    const v = publicView(r);
    const m = ctx.membership?.node(r.name);
    const st = ctx.transports?.get(r.name)?.stats?.();
    const heard = st?.lastHeardAt ?? m?.lastSeen ?? null;
    return {
      name: r.name,
      state: m?.state ?? st?.state ?? "unknown",
      address: r.port === 22 ? `${r.user}@${r.address}` : `${r.user}@${r.address}:${r.port}`,
      fingerprint: v.hostKeyFingerprint,
      lastHeartbeatAgoMs: heard === null ? null : Math.max(0, now - heard),
      rttMs: st?.rttMs ?? null,
      reason: m?.state === "online" ? undefined : (m?.reason ?? st?.reason),
    };
  });
}

function ago(ms: number | null): string {
  if (ms === null) return "never";
  if (ms < 1000) return `${ms} ms ago`;
  if (ms < 120000) return `${(ms / 1000).toFixed(1)} s ago`;
  return `${Math.round(ms / 60000)} min ago`;
}

export function formatHostList(rows: HostListRow[]): string {
  if (rows.length === 0) return "No hosts configured (vigil host add NAME addr=ADDRESS)\n";
  const table = [["NAME", "STATE", "ADDRESS", "HOST KEY", "LAST HEARTBEAT", "RTT"]];
  for (const r of rows) {
    table.push([r.name, r.state, r.address, r.fingerprint, ago(r.lastHeartbeatAgoMs), r.rttMs === null ? "-" : `${r.rttMs} ms`]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
  for (const r of rows) if (r.reason) lines.push(`  ${r.name}: ${r.reason}`);
  return lines.join("\n") + "\n";
}
