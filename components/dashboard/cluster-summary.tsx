"use client";
import { memo } from "react";
import type { ClusterState } from "@/server/api/contract";
import { Badge } from "../ui/badge";
import { quorumVotesText, quorumWord } from "./quorum-text";

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd data-testid={testId} className="mt-1 truncate text-sm font-medium text-slate-800">
        {children}
      </dd>
    </div>
  );
}

export const ClusterSummary = memo(function ClusterSummary({ state }: { state: ClusterState }) {
  const online = state.nodes.filter((n) => n.online).length;
  const votes = quorumVotesText(state);
  return (
    <section data-testid="cluster-summary" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="DC" testId="summary-dc">
          {state.dc ?? <span className="text-red-700">none</span>}
        </Stat>
        <Stat label="Quorum" testId="summary-quorum">
          {state.haveQuorum ? <Badge tone="ok">quorate</Badge> : <Badge tone="bad">no quorum</Badge>}
          <span className="ml-2 text-xs text-slate-500">policy {state.noQuorumPolicy}</span>
          {votes && (
            <span data-testid="summary-quorum-votes" className="block truncate text-xs font-normal text-slate-600" title={`${quorumWord(state)} · ${votes}`}>
              {votes}
            </span>
          )}
        </Stat>
        <Stat label="STONITH" testId="summary-stonith">
          {state.stonithEnabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="warn">disabled</Badge>}
        </Stat>
        <Stat label="Nodes" testId="summary-nodes">
          {online} / {state.counts.nodes} online
        </Stat>
        <Stat label="Resources" testId="summary-resources">
          {state.counts.resourceInstances} configured
        </Stat>
        <Stat label="Disabled · Blocked" testId="summary-disabled-blocked">
          {state.counts.disabled} · {state.counts.blocked}
        </Stat>
      </dl>
      <ClusterWarnings state={state} />
    </section>
  );
});

function ClusterWarnings({ state }: { state: ClusterState }) {
  const warnings: { id: string; text: string; tone: "warn" | "bad" }[] = [];
  if (!state.stonithEnabled)
    warnings.push({
      id: "stonith-warning",
      tone: "warn",
      text: "Fencing is disabled (stonith-enabled=false): when a node is lost, its resources are started elsewhere at once, even if the node is still running them. Configure a fence device and set stonith-enabled=true for production.",
    });
  if (!state.haveQuorum)
    warnings.push({
      id: "quorum-warning",
      tone: "bad",
      text: `The cluster has lost quorum${state.quorum ? ` (${quorumVotesText(state)})` : ""}; no-quorum-policy=${state.noQuorumPolicy} applies. Bring nodes back online to restore it.`,
    });
  if (state.maintenanceMode)
    warnings.push({
      id: "maintenance-warning",
      tone: "warn",
      text: "Cluster maintenance mode is on: resources are not monitored, started or stopped. Unset maintenance-mode when done.",
    });
  const unclean = state.nodes.filter((n) => n.unclean).map((n) => n.uname);
  if (unclean.length)
    warnings.push({
      id: "unclean-warning",
      tone: "bad",
      text: `Unclean node${unclean.length > 1 ? "s" : ""} ${unclean.join(", ")}: waiting for fencing before their resources are recovered.`,
    });
  if (!warnings.length && !state.messages.length) return null;
  return (
    <div className="mt-4 space-y-2">
      {warnings.map((w) => (
        <p
          key={w.id}
          data-testid={w.id}
          role="alert"
          className={`rounded-md border px-3 py-2 text-sm ${w.tone === "bad" ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}
        >
          {w.text}
        </p>
      ))}
      {state.messages.length > 0 && (
        <details data-testid="config-messages" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          <summary className="cursor-pointer">{state.messages.length} configuration message(s)</summary>
          <ul className="mt-2 list-disc pl-5 font-mono text-xs">
            {state.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
