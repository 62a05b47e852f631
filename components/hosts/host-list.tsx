"use client";
// The hosts Vigil reaches over SSH: membership state, address, pinned key
// fingerprint, when the controller last heard from it, keepalive round trip.
// Admins can remove a host and fence it now; both ask first.

import { useState } from "react";
import { FenceResponseSchema, type HostStatus } from "@/server/api/contract";
import type { Tone } from "../cluster-view";
import { api } from "../api";
import { Badge } from "../ui/badge";
import { Button, errorText } from "../ui/button";
import { TableHead } from "../ui/table-head";

const stateTone: Record<HostStatus["state"], Tone> = { online: "ok", suspect: "warn", lost: "bad", offline: "idle", unknown: "idle" };

/** [shown, detail]: the time, and how long before the list was read (the list is not a live feed) */
function heard(ms: number | null, readAt: number): [string, string] {
  if (!ms) return ["never", "the controller has not heard from this host since it started"];
  const ago = Math.max(0, readAt - ms);
  return [new Date(ms).toLocaleTimeString(), `${ago < 1000 ? `${ago} ms` : `${(ago / 1000).toFixed(1)} s`} before this list was read at ${new Date(readAt).toLocaleTimeString()}`];
}

type Confirm = { kind: "remove" | "fence"; host: string; force?: boolean } | null;

export function HostList({ hosts, readAt, admin, onChanged }: { hosts: HostStatus[]; readAt: number; admin: boolean; onChanged: () => void }) {
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function run() {
    if (!confirm) return;
    setBusy(true);
    setResult(null);
    try {
      if (confirm.kind === "remove") {
        await api("DELETE", `/api/hosts/${encodeURIComponent(confirm.host)}${confirm.force ? "?force=1" : ""}`);
        setResult({ ok: true, text: `Host ${confirm.host} removed.` });
      } else {
        const { record } = FenceResponseSchema.parse(await api("POST", `/api/fencing/${encodeURIComponent(confirm.host)}`, { action: "reboot" }));
        setResult(
          record.state === "success"
            ? { ok: true, text: `${confirm.host} fenced (reboot) by ${record.delegate ?? "the controller"}${record.device ? ` with ${record.device}` : ""}.` }
            : { ok: false, text: `Fencing ${confirm.host} failed: ${record.error ?? "no device could fence it"}` },
        );
      }
      setConfirm(null);
    } catch (e) {
      setResult({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
      onChanged();
    }
  }

  return (
    <div className="space-y-3">
      {result && (
        <p role={result.ok ? "status" : "alert"} data-testid="host-action-result" className={`rounded-md px-3 py-2 text-sm ${result.ok ? "border border-emerald-200 bg-emerald-50 text-emerald-900" : "border border-red-200 bg-red-50 text-red-800"}`}>
          {result.text}
        </p>
      )}
      {hosts.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="hosts-empty">
          No hosts yet. {admin ? "Add the first one with Add host." : "An admin can add them."}
        </p>
      ) : (
      <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="hosts-table">
        <TableHead columns={["Host", "State", "Address", "Host key", "Last heard", "RTT", ""]} />
        <tbody>
          {hosts.map((h) => {
            const keyChanged = !!h.lastError && /HOST KEY CHANGED/i.test(h.lastError);
            const asking = confirm?.host === h.name ? confirm : null;
            return (
              <tr key={h.name} className={`border-t border-slate-100 align-top ${keyChanged ? "bg-red-50" : ""}`} data-testid={`host-row-${h.name}`}>
                <td className="py-2 pr-3 font-medium text-slate-800">{h.name}</td>
                <td className="py-2 pr-3">
                  <Badge tone={keyChanged ? "bad" : stateTone[h.state]} testId={`host-state-${h.name}`}>
                    {keyChanged ? "HOST KEY CHANGED" : h.state}
                  </Badge>
                  {h.lastError && h.state !== "online" && <div className={`mt-1 max-w-md text-xs break-words ${keyChanged ? "font-semibold text-red-800" : "text-slate-500"}`}>{h.lastError}</div>}
                </td>
                <td className="py-2 pr-3 font-mono text-xs">
                  {h.user}@{h.address}:{h.port}
                </td>
                <td className="py-2 pr-3 font-mono text-xs break-all" data-testid={`host-fingerprint-${h.name}`}>
                  {h.hostKeyType} {h.hostKeyFingerprint}
                </td>
                <td className="py-2 pr-3 text-xs whitespace-nowrap text-slate-600" title={heard(h.lastHeardAt, readAt)[1]} data-testid={`host-heard-${h.name}`}>
                  {heard(h.lastHeardAt, readAt)[0]}
                </td>
                <td className="py-2 pr-3 font-mono text-xs whitespace-nowrap" data-testid={`host-rtt-${h.name}`}>
                  {h.rttMs === null ? "–" : `${h.rttMs} ms`}
                </td>
                <td className="py-2 text-right whitespace-nowrap">
                  {admin && !asking && (
                    <>
                      <Button variant="danger" data-testid={`host-fence-${h.name}`} onClick={() => (setResult(null), setConfirm({ kind: "fence", host: h.name }))}>
                        Fence now…
                      </Button>{" "}
                      <Button data-testid={`host-remove-${h.name}`} onClick={() => (setResult(null), setConfirm({ kind: "remove", host: h.name }))}>
                        Remove…
                      </Button>
                    </>
                  )}
                  {asking && (
                    <div className="inline-block max-w-sm rounded-md border border-red-200 bg-white p-2 text-left text-xs text-slate-700 shadow" data-testid="host-action-confirm">
                      {asking.kind === "fence" ? (
                        <p>
                          Reboot <b>{h.name}</b> through its fence device now? Everything running there stops at once; the cluster recovers it elsewhere.
                        </p>
                      ) : (
                        <>
                          <p>
                            Remove <b>{h.name}</b>? Vigil stops managing it and forgets its pinned key. Resources still active there are refused unless you force it.
                          </p>
                          <label className="mt-1 flex items-center gap-1.5">
                            <input type="checkbox" checked={!!asking.force} onChange={(e) => setConfirm({ ...asking, force: e.target.checked })} data-testid="host-remove-force" />
                            remove even with active resources (--force)
                          </label>
                        </>
                      )}
                      <div className="mt-2 flex justify-end gap-2">
                        <Button onClick={() => setConfirm(null)} disabled={busy}>
                          Cancel
                        </Button>
                        <Button variant="danger" data-testid="host-action-yes" onClick={() => void run()} disabled={busy}>
                          {busy ? "Working…" : asking.kind === "fence" ? "Fence now" : "Remove"}
                        </Button>
                      </div>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      </div>
      )}
    </div>
  );
}
