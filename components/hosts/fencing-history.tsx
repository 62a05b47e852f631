"use client";
// Fencing history (newest first), as crm_mon's "Fencing History:" tells it:
// action, target, result, who did it (delegate), who asked (origin, client), when.

import type { z } from "zod";
import type { FenceRecordSchema } from "@/server/api/contract";
import { Badge } from "../ui/badge";
import { TableHead } from "../ui/table-head";

type FenceRecord = z.infer<typeof FenceRecordSchema>;

const tone = { success: "ok", failed: "bad", pending: "warn" } as const;

export function FencingHistory({ history, testId = "fencing-history" }: { history: FenceRecord[]; testId?: string }) {
  if (!history.length) return <p className="text-sm text-slate-500" data-testid={`${testId}-empty`}>No fencing has been requested since this controller keeps history.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      <TableHead columns={["When", "Action", "Result", "Delegate / device", "Asked by"]} />
      <tbody>
        {history.map((r) => (
          <tr key={r.id} className="border-t border-slate-100 align-top" data-testid={`fence-record-${r.id}`} data-state={r.state}>
            <td className="py-1.5 pr-3 font-mono text-xs text-slate-500">{new Date(r.completedAt ?? r.requestedAt).toLocaleString()}</td>
            <td className="py-1.5 pr-3">
              {r.action} of <span className="font-medium">{r.target}</span>
            </td>
            <td className="py-1.5 pr-3">
              <Badge tone={tone[r.state]}>{r.state === "success" ? "successful" : r.state}</Badge>
              {r.error && <div className="mt-1 text-xs text-red-700">{r.error}</div>}
            </td>
            <td className="py-1.5 pr-3 font-mono text-xs">
              {r.delegate ?? "none"}
              {r.device ? ` · ${r.device}` : ""}
            </td>
            <td className="py-1.5 pr-3 font-mono text-xs">
              {r.origin} ({r.client})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
