"use client";
import { useState } from "react";
import type { TransitionRecord } from "@/server/api/contract";
import { Badge } from "../ui/badge";
import { SummaryLines } from "../preview/summary-lines";

const statusTone = { running: "info", complete: "ok", aborted: "warn", failed: "bad" } as const;

function duration(t: TransitionRecord): string {
  if (!t.endedAt) return "running";
  const ms = t.endedAt - t.startedAt;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function TransitionDetail({ t }: { t: TransitionRecord }) {
  const results = new Map(t.results.map((r) => [r.actionId, r]));
  const actions = t.transition.actions.filter((a) => !a.pseudo);
  return (
    <div className="space-y-3 bg-slate-50 px-4 py-3" data-testid={`transition-detail-${t.id}`}>
      <SummaryLines lines={t.summary} />
      <table className="w-full text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-medium">#</th>
            <th className="py-1 pr-2 font-medium">Action</th>
            <th className="py-1 pr-2 font-medium">Node</th>
            <th className="py-1 pr-2 font-medium">Result</th>
            <th className="py-1 pr-2 font-medium">Took</th>
            <th className="py-1 pr-2 font-medium">After</th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {actions.map((a) => {
            const r = results.get(a.id);
            const after = t.transition.edges.filter((e) => e.then === a.id).map((e) => e.first);
            return (
              <tr key={a.id} className="border-t border-slate-200">
                <td className="py-1 pr-2 text-slate-400">{a.id}</td>
                <td className="py-1 pr-2">{a.key}</td>
                <td className="py-1 pr-2">{a.node ?? ""}</td>
                <td className={`py-1 pr-2 ${r ? (r.rc === 0 || (a.task === "monitor" && r.rc === 7 && a.intervalMs === 0) ? "text-emerald-700" : "text-red-700") : "text-slate-400"}`}>{r ? `rc=${r.rc}` : "pending"}</td>
                <td className="py-1 pr-2">{r ? `${r.execMs} ms` : ""}</td>
                <td className="py-1 pr-2 text-slate-500">{after.join(", ")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TransitionList({ transitions, limit = 100 }: { transitions: TransitionRecord[]; limit?: number }) {
  const [open, setOpen] = useState<number | null>(null);
  if (!transitions.length) return <p className="text-sm text-slate-500">No transitions yet.</p>;
  return (
    <ul data-testid="transition-list" className="divide-y divide-slate-100">
      {transitions.slice(0, limit).map((t) => (
        <li key={t.id} data-testid={`transition-${t.id}`}>
          <button className="flex w-full flex-wrap items-center gap-x-3 gap-y-0.5 py-2 text-left text-sm hover:bg-slate-50" onClick={() => setOpen(open === t.id ? null : t.id)} aria-expanded={open === t.id}>
            <span className="w-10 shrink-0 font-mono text-xs text-slate-400">#{t.id}</span>
            <time className="shrink-0 font-mono text-xs text-slate-400">{new Date(t.startedAt).toLocaleTimeString()}</time>
            <Badge tone={statusTone[t.status]}>{t.status}</Badge>
            <span className="ml-auto shrink-0 text-xs text-slate-500">
              {t.transition.actions.filter((a) => !a.pseudo).length} actions · {duration(t)}
            </span>
            <span className="w-full pl-[3.25rem] text-slate-700">{t.trigger}</span>
          </button>
          {open === t.id && <TransitionDetail t={t} />}
        </li>
      ))}
    </ul>
  );
}
