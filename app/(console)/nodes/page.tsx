"use client";
import { useLive } from "@/components/live-store";
import { NodeGrid } from "@/components/nodes/node-grid";
import { NodeAttributes } from "@/components/nodes/node-attributes";
import { Card } from "@/components/ui/card";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function NodesPage() {
  const { doc } = useLive();
  if (!doc) return <Loading />;
  const { state } = doc;
  return (
    <div className="space-y-5" data-testid="nodes-page">
      <PageTitle sub="Standby moves resources off a node; maintenance leaves them running but unmanaged.">Nodes</PageTitle>
      <NodeGrid state={state} showMaintenance />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2 xl:grid-cols-3">
        {state.nodes.map((n) => (
          <Card key={n.uname} title={`${n.uname} · attributes`}>
            <NodeAttributes node={n} />
          </Card>
        ))}
      </div>
    </div>
  );
}
