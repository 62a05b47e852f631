"use client";
import { memo } from "react";
import type { NodeView } from "@/server/scheduler/types";
import { nodeStatus, type Placement } from "../cluster-view";
import { Badge } from "../ui/badge";
import { toneBorder } from "../ui/tone";
import { MaintenanceButton, StandbyButton } from "./node-actions";

/** Failed instances first, then as many chips as stay readable on a card. */
const MAX_CHIPS = 24;

function PlacementChip({ node, p }: { node: string; p: Placement }) {
  const tone = p.failed ? "border-red-200 bg-red-50 text-red-800" : "border-slate-200 bg-slate-50 text-slate-700";
  return (
    <li data-testid={`node-resource-${node}-${p.id}`} className={`rounded border px-1.5 py-0.5 text-xs ${tone}`}>
      {p.id}
      {p.role !== "Started" && <span className="ml-1 text-slate-500">({p.role})</span>}
    </li>
  );
}

export const NodeCard = memo(function NodeCard({
  node,
  placements,
  isDc,
  showMaintenance = false,
}: {
  node: NodeView;
  placements: Placement[];
  isDc: boolean;
  showMaintenance?: boolean;
}) {
  const st = nodeStatus(node);
  return (
    <article
      data-testid={`node-card-${node.uname}`}
      data-state={st.label}
      className={`flex flex-col rounded-lg border border-l-4 border-slate-200 bg-white shadow-sm ${toneBorder[st.tone]}`}
    >
      <header className="flex items-center justify-between gap-2 px-4 pt-3">
        <div className="flex min-w-0 items-center gap-2">
          <h3 className="truncate font-semibold text-slate-800">{node.uname}</h3>
          {isDc && <span className="rounded bg-slate-800 px-1.5 py-0.5 text-[10px] font-semibold tracking-wide text-white">DC</span>}
        </div>
        <Badge tone={st.tone} testId={`node-state-${node.uname}`}>
          {st.label}
        </Badge>
      </header>
      <div className="flex-1 px-4 py-3">
        {placements.length ? (
          <ul data-testid={`node-resources-${node.uname}`} className="flex flex-wrap gap-1.5">
            {(placements.length > MAX_CHIPS ? placements.slice(0, MAX_CHIPS) : placements).map((p) => (
              <PlacementChip key={p.id} node={node.uname} p={p} />
            ))}
            {placements.length > MAX_CHIPS && (
              <li className="px-1.5 py-0.5 text-xs text-slate-500">+{placements.length - MAX_CHIPS} more</li>
            )}
          </ul>
        ) : (
          <p data-testid={`node-resources-${node.uname}`} className="text-xs text-slate-400">
            No resources
          </p>
        )}
      </div>
      <footer className="flex items-center justify-between gap-2 border-t border-slate-100 px-4 py-2">
        <span className="text-xs text-slate-500">
          {placements.length} resource{placements.length === 1 ? "" : "s"}
        </span>
        <div className="flex gap-1.5">
          {showMaintenance && <MaintenanceButton node={node} />}
          <StandbyButton node={node} />
        </div>
      </footer>
    </article>
  );
});
