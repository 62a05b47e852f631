"use client";
import { useMemo } from "react";
import type { ClusterState } from "@/server/api/contract";
import { placementsByNode } from "../cluster-view";
import { NodeCard } from "./node-card";

export function NodeGrid({ state, showMaintenance }: { state: ClusterState; showMaintenance?: boolean }) {
  const byNode = useMemo(() => placementsByNode(state), [state]);
  return (
    <div data-testid="node-grid" className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
      {state.nodes.map((n) => (
        <NodeCard key={n.uname} node={n} placements={byNode.get(n.uname) ?? []} isDc={state.dc === n.uname} showMaintenance={showMaintenance} />
      ))}
    </div>
  );
}
