"use client";
import { useState } from "react";
import type { ClusterEvent } from "@/server/api/contract";
import { inputClass } from "../ui/field";

const kindTone: Record<ClusterEvent["kind"], string> = {
  "cib-change": "bg-sky-50 text-sky-800",
  "transition-start": "bg-slate-100 text-slate-700",
  "transition-end": "bg-slate-100 text-slate-700",
  "action-result": "bg-slate-100 text-slate-700",
  "node-lost": "bg-red-50 text-red-800",
  "node-joined": "bg-emerald-50 text-emerald-800",
  fence: "bg-red-100 text-red-900",
  "monitor-failed": "bg-red-50 text-red-800",
  quorum: "bg-amber-50 text-amber-900",
};

export const EVENT_KINDS = Object.keys(kindTone) as ClusterEvent["kind"][];

export function EventList({ events, limit = 300, filterable = true }: { events: ClusterEvent[]; limit?: number; filterable?: boolean }) {
  const [kind, setKind] = useState<string>("");
  const [text, setText] = useState("");
  const q = text.toLowerCase();
  const shown = events
    .filter((e) => (!kind || e.kind === kind) && (!q || `${e.message} ${e.node ?? ""} ${e.rsc ?? ""} ${e.actor ?? ""}`.toLowerCase().includes(q)))
    .slice(0, limit);
  return (
    <div>
      {filterable && (
        <div className="mb-3 flex gap-2">
          <select aria-label="event kind" data-testid="event-filter-kind" className={`${inputClass} w-48`} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">all kinds</option>
            {EVENT_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
          <input aria-label="search events" data-testid="event-filter-text" className={`${inputClass} flex-1`} placeholder="filter by text, node, resource, user…" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
      )}
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500">No events{kind || q ? " match the filter" : " yet"}.</p>
      ) : (
        <ol data-testid="event-list" className="divide-y divide-slate-100">
          {shown.map((e) => (
            <li key={e.seq} data-testid={`event-${e.seq}`} data-kind={e.kind} className="flex items-baseline gap-3 py-1.5 text-sm">
              <time className="w-20 shrink-0 font-mono text-xs text-slate-400">{new Date(e.at).toLocaleTimeString()}</time>
              <span className={`w-32 shrink-0 rounded px-1.5 py-0.5 text-center text-xs font-medium ${kindTone[e.kind]}`}>{e.kind}</span>
              <span className="min-w-0 flex-1 text-slate-700">{e.message}</span>
              {e.actor && <span className="shrink-0 text-xs text-slate-500">by {e.actor}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
