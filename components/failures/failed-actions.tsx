"use client";
import type { FailCount, FailedAction } from "@/server/scheduler/types";
import { applyChange } from "../api";
import { configId, formatInterval, formatTime } from "../cluster-view";
import { useCan } from "../live-store";
import { ActionButton } from "../ui/button";

function failureLine(f: FailedAction): string {
  const op = `${f.rsc}_${f.task}_${f.intervalMs}`;
  return `${op} on ${f.node} '${f.rcText}' (${f.rc}): ${f.opStatusText}`;
}

/** Failed operations grouped by resource, each group with its Cleanup. */
export function FailedActions({ failed, failCounts }: { failed: FailedAction[]; failCounts: FailCount[] }) {
  const can = useCan("resource-cleanup");
  if (!failed.length && !failCounts.some((f) => f.failCount > 0))
    return (
      <p data-testid="failed-actions-none" className="text-sm text-slate-500">
        No failed actions.
      </p>
    );
  const rscs = [...new Set([...failed.map((f) => configId(f.rsc)), ...failCounts.filter((f) => f.failCount > 0).map((f) => configId(f.rsc))])];
  return (
    <ul data-testid="failed-actions" className="space-y-2">
      {rscs.map((rsc) => {
        const rows = failed.filter((f) => configId(f.rsc) === rsc);
        const counts = failCounts.filter((f) => configId(f.rsc) === rsc && f.failCount > 0);
        return (
          <li key={rsc} data-testid={`failed-action-${rsc}`} data-failed-rsc={rsc} className="rounded-md border border-red-200 bg-red-50/60 px-3 py-2">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0 space-y-0.5">
                {rows.map((f) => (
                  <p key={`${f.opId}-${f.node}`} className="font-mono text-xs text-red-900">
                    {failureLine(f)}
                    {f.exitReason && <span className="text-red-700"> — {f.exitReason}</span>}
                    <span className="ml-2 text-red-700/70">
                      {f.intervalMs ? `every ${formatInterval(f.intervalMs)} · ` : ""}
                      {formatTime(f.lastRcChange)}
                    </span>
                  </p>
                ))}
                {counts.map((c) => (
                  <p key={`fc-${c.node}`} className="text-xs text-red-800">
                    fail-count {c.failCount >= 1000000 ? "INFINITY" : c.failCount} on {c.node}
                    {c.migrationThreshold < 1000000 && ` (migration-threshold ${c.migrationThreshold})`}
                  </p>
                ))}
              </div>
              {can && (
                <ActionButton testId={`cleanup-${rsc}`} run={() => applyChange({ op: "resource-cleanup", id: rsc })} title="Forget the failures and fail-counts of this resource, then re-check it">
                  Cleanup
                </ActionButton>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
