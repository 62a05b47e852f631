"use client";
// The wall screen: readable across a room, no interaction, alerts first.

import { memo, useEffect, useMemo, useState } from "react";
import type { ClusterState, NodeView, ResourceView } from "@/server/scheduler/types";
import { nodeStatus, primitives, resourceStatus, type Placement, type Tone } from "../cluster-view";
import { useLiveSelect } from "../live-store";
import type { LiveView } from "../live-core";
import type { NvSet } from "@/server/cib/types";
import { useStablePlacements } from "../nodes/node-grid";
import { quorumVotesText } from "../dashboard/quorum-text";

/** resource names per node tile before "+N more" (failed ones first) */
const NOC_CHIPS = 12;
/** above this many resources the wall lists only those that are not OK, and counts the rest */
const NOC_ALL_RESOURCES_UP_TO = 60;

const bg: Record<Tone, string> = {
  ok: "bg-emerald-600/20 border-emerald-500 text-emerald-100",
  warn: "bg-amber-500/20 border-amber-400 text-amber-100",
  bad: "bg-red-600/30 border-red-500 text-red-100",
  idle: "bg-slate-700/40 border-slate-500 text-slate-300",
  info: "bg-sky-600/20 border-sky-500 text-sky-100",
};
const dot: Record<Tone, string> = { ok: "bg-emerald-400", warn: "bg-amber-400", bad: "bg-red-500", idle: "bg-slate-400", info: "bg-sky-400" };

interface Alert {
  id: string;
  tone: "bad" | "warn";
  text: string;
}

function alertsOf(s: ClusterState): Alert[] {
  const out: Alert[] = [];
  if (!s.haveQuorum) out.push({ id: "quorum", tone: "bad", text: `Quorum lost${s.quorum ? `: ${quorumVotesText(s)}` : ""} (policy: ${s.noQuorumPolicy})` });
  for (const n of s.nodes) {
    if (n.unclean) out.push({ id: `unclean-${n.uname}`, tone: "bad", text: `${n.uname} UNCLEAN: awaiting fencing` });
    else if (!n.online) out.push({ id: `offline-${n.uname}`, tone: "bad", text: `${n.uname} offline` });
  }
  for (const f of s.failedActions) out.push({ id: `failed-${f.rsc}-${f.node}-${f.task}`, tone: "bad", text: `${f.rsc} ${f.task} failed on ${f.node}: ${f.rcText}` });
  for (const p of primitives(s.resources)) if (p.blocked) out.push({ id: `blocked-${p.id}`, tone: "bad", text: `${p.id} blocked` });
  if (s.maintenanceMode) out.push({ id: "maintenance", tone: "warn", text: "Cluster in maintenance mode" });
  return out;
}

function Clock() {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    setNow(new Date());
    const t = setInterval(() => setNow(new Date()), 1000); // the wall clock, not data polling
    return () => clearInterval(t);
  }, []);
  return <span className="font-mono tabular-nums">{now?.toLocaleTimeString() ?? ""}</span>;
}

function useTitle(t: string) {
  useEffect(() => {
    document.title = t;
  }, [t]);
}

const NodeTile = memo(function NodeTile({ n, on }: { n: NodeView; on: Placement[] }) {
  const st = nodeStatus(n);
  const shown = on.length > NOC_CHIPS ? on.slice(0, NOC_CHIPS) : on;
  return (
    <div data-testid={`noc-node-${n.uname}`} data-tone={st.tone} className={`rounded-2xl border-4 p-6 ${bg[st.tone]}`}>
      <div className="flex items-baseline justify-between">
        <h2 className="text-4xl font-bold text-white">{n.uname}</h2>
        <span className="text-3xl font-semibold uppercase">{st.label}</span>
      </div>
      <ul className="mt-4 flex flex-wrap gap-2">
        {shown.map((p) => (
          <li key={p.id} className={`rounded-lg px-3 py-1 text-2xl ${p.failed ? "bg-red-600 text-white" : "bg-black/30 text-slate-100"}`}>
            {p.id}
          </li>
        ))}
        {on.length > shown.length && <li className="px-3 py-1 text-2xl text-slate-300">+{on.length - shown.length} more</li>}
        {on.length === 0 && <li className="text-2xl text-slate-400">no resources</li>}
      </ul>
    </div>
  );
});

const ResourceChip = memo(function ResourceChip({ p }: { p: ResourceView }) {
  const st = resourceStatus(p);
  return (
    <div data-testid={`noc-rsc-${p.id}`} data-tone={st.tone} className={`flex items-center gap-3 rounded-xl border-2 px-4 py-2 text-2xl ${bg[st.tone]}`}>
      <span className={`h-4 w-4 rounded-full ${dot[st.tone]}`} />
      <span className="font-semibold text-white">{p.id}</span>
      <span className="text-xl opacity-80">{st.nodes.join(", ") || st.label}</span>
    </div>
  );
});

const Resources = memo(function Resources({ resources }: { resources: ResourceView[] }) {
  const prims = useMemo(() => primitives(resources), [resources]);
  const many = prims.length > NOC_ALL_RESOURCES_UP_TO;
  // a wall cannot show 2000 names readably: at that size only the ones needing attention
  const shown = many ? prims.filter((p) => resourceStatus(p).tone !== "ok") : prims;
  return (
    <section data-testid="noc-resources" className="flex flex-wrap gap-3">
      {many && (
        <div data-testid="noc-resources-ok" className="flex items-center gap-3 rounded-xl border-2 px-4 py-2 text-2xl border-emerald-500 bg-emerald-600/20 text-emerald-100">
          <span className={`h-4 w-4 rounded-full ${dot.ok}`} />
          {prims.length - shown.length} of {prims.length} resources OK
        </div>
      )}
      {shown.map((p) => (
        <ResourceChip key={p.id} p={p} />
      ))}
    </section>
  );
});

const selectDoc = (v: LiveView) => v.doc;
const selectConnection = (v: LiveView) => v.connection;

export function NocBoard() {
  // the document and the connection only: events do not re-render the wall
  const doc = useLiveSelect(selectDoc);
  const connection = useLiveSelect(selectConnection);
  const overallForTitle = doc ? (alertsOf(doc.state).some((a) => a.tone === "bad") ? "CRITICAL" : alertsOf(doc.state).length ? "ATTENTION" : "OK") : "…";
  useTitle(`${overallForTitle} · NOC · Vigil`);
  if (connection === "signed-out")
    return (
      <p data-testid="noc-denied" className="p-16 text-3xl text-red-300">
        This NOC link was refused. Ask an admin for a new read-only token link.
      </p>
    );
  if (!doc)
    return (
      <p data-testid="noc-loading" className="p-16 text-3xl text-slate-400">
        {connection === "reconnecting" ? "Cannot reach the controller — retrying…" : "Connecting…"}
      </p>
    );
  return <Board s={doc.state} crmConfig={doc.cib.configuration.crmConfig} live={connection === "live"} />;
}

function Board({ s, crmConfig, live }: { s: ClusterState; crmConfig: NvSet[]; live: boolean }) {
  const alerts = alertsOf(s);
  const byNode = useStablePlacements(s);
  const clusterName = crmConfig.flatMap((x) => x.nvpairs).find((p) => p.name === "cluster-name")?.value;
  const overall: Tone = alerts.some((a) => a.tone === "bad") ? "bad" : alerts.length || s.nodes.some((n) => nodeStatus(n).tone !== "ok") ? "warn" : "ok";
  const word = { ok: "ALL OK", warn: "ATTENTION", bad: "CRITICAL", idle: "", info: "" }[overall];
  const votes = quorumVotesText(s);
  return (
    <div className="flex min-h-screen flex-col gap-6 p-8" data-testid="noc-board" data-overall={overall}>
      <header className="flex items-center justify-between">
        <div className="flex items-center gap-4">
          <span className={`h-8 w-8 rounded-full ${dot[overall]} ${overall !== "ok" ? "animate-pulse" : ""}`} />
          <h1 className="text-5xl font-bold tracking-tight" data-testid="noc-overall">
            {word}
          </h1>
          {clusterName && <span className="text-3xl text-slate-400">{clusterName}</span>}
        </div>
        <div className="flex items-center gap-8 text-2xl text-slate-300">
          {!live && (
            <span data-testid="noc-reconnecting" className="text-amber-300">
              Reconnecting…
            </span>
          )}
          <span>DC {s.dc ?? "none"}</span>
          <span data-testid="noc-quorum" className={s.haveQuorum ? "" : "font-bold text-red-300"}>
            {s.haveQuorum ? "quorate" : "NO QUORUM"}
            {votes && <span className="ml-2 text-xl text-slate-400">{votes}</span>}
          </span>
          <Clock />
        </div>
      </header>

      {alerts.length > 0 && (
        <ul data-testid="noc-alerts" className="space-y-2">
          {alerts.map((a) => (
            <li key={a.id} data-testid={`noc-alert-${a.id}`} className={`rounded-lg border-l-8 px-5 py-3 text-3xl font-semibold ${a.tone === "bad" ? "border-red-500 bg-red-900/50 text-red-100" : "border-amber-400 bg-amber-900/40 text-amber-100"}`}>
              {a.text}
            </li>
          ))}
        </ul>
      )}
      {!s.stonithEnabled && <p className="text-xl text-amber-300/80">Fencing disabled: lost nodes are not fenced before recovery.</p>}

      <section className="grid grid-cols-1 gap-6 md:grid-cols-2 xl:grid-cols-3">
        {s.nodes.map((n) => (
          <NodeTile key={n.uname} n={n} on={byNode.get(n.uname) ?? NO_PLACEMENTS} />
        ))}
      </section>

      <Resources resources={s.resources} />
    </div>
  );
}

const NO_PLACEMENTS: Placement[] = [];
