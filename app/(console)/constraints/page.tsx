"use client";
import { useMemo } from "react";
import { useCan, useLive } from "@/components/live-store";
import { allPrimitiveIds } from "@/components/config-view";
import { ConstraintForms } from "@/components/constraints/constraint-forms";
import { ConstraintGraph } from "@/components/constraints/constraint-graph";
import { ConstraintList } from "@/components/constraints/constraint-list";
import { Card } from "@/components/ui/card";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function ConstraintsPage() {
  const { doc } = useLive();
  const canAdd = useCan("constraint-location");
  const resources = useMemo(() => (doc ? allPrimitiveIds(doc.cib) : []), [doc]);
  if (!doc) return <Loading />;
  const constraints = doc.cib.configuration.constraints;
  return (
    <div className="space-y-5" data-testid="constraints-page">
      <PageTitle sub="Where resources may run (location), with what (colocation), and in which order.">Constraints</PageTitle>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        <Card title={`All constraints (${constraints.length})`}>
          <ConstraintList constraints={constraints} editable />
        </Card>
        {canAdd && (
          <Card title="Add a constraint">
            <ConstraintForms resources={resources} nodes={doc.state.nodes.map((n) => n.uname)} takenIds={[...resources, ...constraints.map((c) => c.id)]} />
          </Card>
        )}
      </div>
      <Card title="Graph">
        <ConstraintGraph constraints={constraints} resources={doc.cib.configuration.resources.map((r) => r.id)} />
      </Card>
    </div>
  );
}
