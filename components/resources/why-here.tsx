"use client";
// "Why is it here?": the scheduler's allocation scores for this resource per
// node (GET /api/scores?rsc=), next to the configuration that feeds them.
// Fetched when opened and again whenever the live document's version changes.

import { useEffect, useState } from "react";
import type { CibConfigView } from "@/server/api/contract";
import type { ClusterState } from "@/server/scheduler/types";
import { api } from "../api";
import { nvMap } from "../config-view";
import { describeConstraint } from "../constraints/describe";
import { useLive } from "../live-store";
import { errorText } from "../ui/button";

interface Score {
  scope: string;
  rsc: string;
  node: string;
  score: number;
}

function fmt(n: number): string {
  if (n >= 1_000_000) return "INFINITY";
  if (n <= -1_000_000) return "-INFINITY";
  return String(n);
}

/** ids whose constraints act on this resource: itself and the group / clone it belongs to */
export function WhyHere({ id, parents = [], cib, state }: { id: string; parents?: string[]; cib: CibConfigView; state: ClusterState }) {
  const [open, setOpen] = useState(false);
  const [scores, setScores] = useState<Score[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useLive().version;
  useEffect(() => {
    if (!open) return;
    let alive = true;
    api<{ scores: Score[] }>("GET", `/api/scores?rsc=${encodeURIComponent(id)}`).then(
      (r) => alive && (setScores(r.scores), setError(null)),
      (e) => alive && setError(errorText(e)),
    );
    return () => {
      alive = false;
    };
  }, [open, id, version]);

  const ids = [id, ...parents];
  const has = (x?: string) => x !== undefined && ids.includes(x);
  const related = cib.configuration.constraints.filter((c) =>
    c.kind === "location"
      ? has(c.rsc)
      : c.kind === "colocation"
        ? has(c.rsc) || has(c.withRsc) || c.sets.some((st) => st.resources.some(has))
        : c.kind === "order"
          ? has(c.first) || has(c.then) || c.sets.some((st) => st.resources.some(has))
          : false,
  );
  const stickiness = nvMap(cib.configuration.rscDefaults)["resource-stickiness"];
  const scopes = [...new Set((scores ?? []).map((s) => s.scope))];
  const instances = [...new Set((scores ?? []).map((s) => s.rsc))];
  const nodes = state.nodes.map((n) => n.uname);

  return (
    <div data-testid="why-here">
      <button className="text-sm font-medium text-accent-700 hover:underline" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="why-here-toggle">
        {open ? "Hide the scores" : "Why is it here?"}
      </button>
      {open && (
        <div className="mt-3 space-y-3">
          {error && <p role="alert" className="text-sm text-amber-800">Could not get the scores: {error}</p>}
          {scores && scores.length === 0 && <p className="text-sm text-slate-500">The scheduler reported no scores for {id}.</p>}
          {scores && scores.length > 0 && (
            <div className="overflow-x-auto">
              <table className="text-left text-sm" data-testid="scores-table">
                <thead className="text-xs text-slate-500">
                  <tr>
                    <th className="py-1 pr-4 font-medium">Instance / step</th>
                    {nodes.map((n) => (
                      <th key={n} className="py-1 pr-4 font-medium">
                        {n}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="font-mono text-xs">
                  {instances.flatMap((rsc) =>
                    scopes
                      .filter((sc) => scores.some((s) => s.rsc === rsc && s.scope === sc))
                      .map((sc) => (
                        <tr key={`${rsc}-${sc}`} className="border-t border-slate-100">
                          <td className="py-1 pr-4 text-slate-600">
                            {rsc} <span className="text-slate-400">{sc}</span>
                          </td>
                          {nodes.map((n) => {
                            const v = scores.find((s) => s.rsc === rsc && s.scope === sc && s.node === n)?.score;
                            return (
                              <td key={n} className={`py-1 pr-4 ${v === undefined ? "text-slate-300" : v < 0 ? "text-red-700" : v > 0 ? "text-emerald-700" : "text-slate-600"}`}>
                                {v === undefined ? "—" : fmt(v)}
                              </td>
                            );
                          })}
                        </tr>
                      )),
                  )}
                </tbody>
              </table>
              <p className="mt-1 text-xs text-slate-500">The resource runs on the node with the highest score; negative INFINITY means it may not run there.</p>
            </div>
          )}
          <div className="text-sm text-slate-700">
            <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">What feeds the scores</p>
            <ul className="mt-1 list-disc pl-5">
              {related.map((c) => (
                <li key={c.id}>
                  {describeConstraint(c)} <span className="font-mono text-xs text-slate-400">{c.id}</span>
                </li>
              ))}
              {parents.length > 0 && <li>member of {parents.join(" in ")}: placed with it, after the members before it</li>}
              <li>resource-stickiness (default) {stickiness ?? "0"}: a running resource prefers to stay</li>
              {state.nodes.filter((n) => n.standby).map((n) => (
                <li key={n.uname}>{n.uname} is in standby: no resources there</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </div>
  );
}
