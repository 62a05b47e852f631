"use client";
import { useState } from "react";
import { useAudit, useEvents, useTransitions } from "@/components/history/use-history";
import { EventList } from "@/components/history/event-list";
import { TransitionList } from "@/components/history/transition-list";
import { Card } from "@/components/ui/card";
import { PageTitle } from "@/components/ui/loading";
import { FencingHistory } from "@/components/hosts/fencing-history";
import { useFencing } from "@/components/hosts/use-hosts";

function ErrorNote({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Could not load the stored history: {error}
    </p>
  ) : null;
}

export default function HistoryPage() {
  const [tab, setTab] = useState<"transitions" | "events" | "fencing" | "audit">("transitions");
  const ev = useEvents();
  const tr = useTransitions();
  const au = useAudit();
  const fe = useFencing();
  return (
    <div className="space-y-5" data-testid="history-page">
      <PageTitle sub="What the cluster did, why, and who changed what.">History</PageTitle>
      <div className="flex gap-1 border-b border-slate-200" role="tablist">
        {(["transitions", "events", "fencing", "audit"] as const).map((t) => (
          <button
            key={t}
            role="tab"
            aria-selected={tab === t}
            data-testid={`history-tab-${t}`}
            onClick={() => setTab(t)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm capitalize ${tab === t ? "border-accent-600 font-medium text-accent-700" : "border-transparent text-slate-600 hover:text-slate-800"}`}
          >
            {t === "audit" ? "Audit log" : t}
          </button>
        ))}
      </div>
      {tab === "transitions" && (
        <Card>
          <ErrorNote error={tr.error} />
          <TransitionList transitions={tr.transitions} />
        </Card>
      )}
      {tab === "events" && (
        <Card>
          <ErrorNote error={ev.error} />
          <EventList events={ev.events} />
        </Card>
      )}
      {tab === "fencing" && (
        <Card>
          <ErrorNote error={fe.error} />
          {fe.demo ? (
            <p className="text-sm text-slate-500" data-testid="fencing-demo">
              The embedded demo cluster has no fence devices, so it records no fencing. A controller that manages real hosts (VIGIL_HOSTS=1) lists every fencing request here.
            </p>
          ) : (
            <FencingHistory history={fe.history} />
          )}
        </Card>
      )}
      {tab === "audit" && (
        <Card>
          <ErrorNote error={au.error} />
          {au.entries.length === 0 ? (
            <p className="text-sm text-slate-500">No changes recorded yet.</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="audit-log">
              <thead className="text-xs tracking-wide text-slate-500 uppercase">
                <tr>
                  <th className="py-1.5 pr-3 font-medium">When</th>
                  <th className="py-1.5 pr-3 font-medium">Who</th>
                  <th className="py-1.5 pr-3 font-medium">From</th>
                  <th className="py-1.5 pr-3 font-medium">What</th>
                  <th className="py-1.5 pr-3 font-medium">Result</th>
                </tr>
              </thead>
              <tbody>
                {au.entries.map((e, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td className="py-1.5 pr-3 font-mono text-xs text-slate-500">{new Date(e.at).toLocaleString()}</td>
                    <td className="py-1.5 pr-3">
                      {e.user} <span className="text-xs text-slate-400">({e.role})</span>
                    </td>
                    <td className="py-1.5 pr-3 font-mono text-xs">{e.from ?? ""}</td>
                    <td className="py-1.5 pr-3">{e.description}</td>
                    <td className={`py-1.5 pr-3 text-xs ${e.ok ? "text-emerald-700" : "text-red-700"}`}>{e.ok ? "applied" : `refused: ${e.error ?? ""}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
    </div>
  );
}
