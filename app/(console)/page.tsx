"use client";
import { memo } from "react";
import { useLiveDoc } from "@/components/live-store";
import { ClusterSummary } from "@/components/dashboard/cluster-summary";
import { DashboardConstraints } from "@/components/dashboard/dashboard-constraints";
import { NodeGrid } from "@/components/nodes/node-grid";
import { ResourceTree } from "@/components/resources/resource-tree";
import { FailedActions } from "@/components/failures/failed-actions";
import { Card } from "@/components/ui/card";
import { nvMap } from "@/components/config-view";
import { RecentTransitions } from "@/components/dashboard/recent-transitions";
import { Loading, PageTitle } from "@/components/ui/loading";

// Each section re-renders only when its slice of the live document changes
// (patches keep unchanged parts identical): a standby touches the summary and
// one node card, not 2000 resource rows or the constraint list.
const Failed = memo(FailedActions);
const Resources = memo(ResourceTree);
const Transitions = memo(RecentTransitions);

export default function DashboardPage() {
  // the document only: events (which arrive often) do not re-render the dashboard
  const doc = useLiveDoc();
  if (!doc) return <Loading />;
  const { state, cib } = doc;
  const clusterName = nvMap(cib.configuration.crmConfig)["cluster-name"];
  return (
    <div className="space-y-5" data-testid="dashboard">
      <PageTitle sub={`${clusterName ? `${clusterName} · ` : ""}live: every change in the cluster shows here as it happens.`}>Dashboard</PageTitle>
      <ClusterSummary state={state} />
      <NodeGrid state={state} />
      <Card title={`Failed actions (${state.failedActions.length})`} testId="failed-actions-card">
        <Failed failed={state.failedActions} failCounts={state.failCounts} />
      </Card>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-5">
        <Card title="Resources" className="xl:col-span-3" testId="resources-card">
          <Resources resources={state.resources} />
        </Card>
        <div className="space-y-5 xl:col-span-2">
          <Card title={`Constraints (${cib.configuration.constraints.length})`} testId="constraints-card">
            <DashboardConstraints constraints={cib.configuration.constraints} />
          </Card>
          <Card title="Last transitions" testId="transitions-card">
            <Transitions />
          </Card>
        </div>
      </div>
    </div>
  );
}
