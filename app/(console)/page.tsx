"use client";
import { useLive } from "@/components/live-store";
import { ClusterSummary } from "@/components/dashboard/cluster-summary";
import { NodeGrid } from "@/components/nodes/node-grid";
import { ResourceTree } from "@/components/resources/resource-tree";
import { ConstraintList } from "@/components/constraints/constraint-list";
import { FailedActions } from "@/components/failures/failed-actions";
import { Card } from "@/components/ui/card";
import { nvMap } from "@/components/config-view";
import { RecentTransitions } from "@/components/dashboard/recent-transitions";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function DashboardPage() {
  const { doc } = useLive();
  if (!doc) return <Loading />;
  const { state, cib } = doc;
  const clusterName = nvMap(cib.configuration.crmConfig)["cluster-name"];
  return (
    <div className="space-y-5" data-testid="dashboard">
      <PageTitle sub={`${clusterName ? `${clusterName} · ` : ""}live: every change in the cluster shows here as it happens.`}>Dashboard</PageTitle>
      <ClusterSummary state={state} />
      <NodeGrid state={state} />
      <Card title={`Failed actions (${state.failedActions.length})`} testId="failed-actions-card">
        <FailedActions failed={state.failedActions} failCounts={state.failCounts} />
      </Card>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-5">
        <Card title="Resources" className="xl:col-span-3" testId="resources-card">
          <ResourceTree resources={state.resources} />
        </Card>
        <div className="space-y-5 xl:col-span-2">
          <Card title="Constraints" testId="constraints-card">
            <ConstraintList constraints={cib.configuration.constraints} />
          </Card>
          <Card title="Last transitions" testId="transitions-card">
            <RecentTransitions />
          </Card>
        </div>
      </div>
    </div>
  );
}
