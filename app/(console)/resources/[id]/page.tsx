"use client";
import Link from "next/link";
import { useParams } from "next/navigation";
import { useLive, useCan } from "@/components/live-store";
import { ancestorIds, findConfigResource, nvMap, agentOf } from "@/components/config-view";
import { findResource, resourceStatus } from "@/components/cluster-view";
import { useProposeChange } from "@/components/preview/change-runner";
import { NvEditor } from "@/components/resources/nv-editor";
import { OperationsEditor } from "@/components/resources/operations-editor";
import { ResourceActions } from "@/components/resources/resource-actions";
import { ResourceTree } from "@/components/resources/resource-tree";
import { StructureActions } from "@/components/resources/structure-actions";
import { WhyHere } from "@/components/resources/why-here";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Loading, PageTitle } from "@/components/ui/loading";
import { checkBoolean, checkDuration, checkScore } from "@/components/validate";

const META_CHECKS: Record<string, (v: string) => string | null> = {
  "resource-stickiness": checkScore,
  "migration-threshold": checkScore,
  priority: checkScore,
  "failure-timeout": (v) => checkDuration(v, "failure-timeout"),
  "is-managed": checkBoolean,
  "allow-migrate": checkBoolean,
  "target-role": (v) => (!v || ["Stopped", "Started", "Unpromoted", "Promoted"].includes(v) ? null : "target-role must be Stopped, Started, Unpromoted or Promoted"),
};

export default function ResourceDetailPage() {
  const { id: rawId } = useParams<{ id: string }>();
  const id = decodeURIComponent(rawId);
  const { doc } = useLive();
  const propose = useProposeChange();
  const canEdit = useCan("resource-update");
  if (!doc) return <Loading />;
  const found = findConfigResource(doc.cib, id);
  if (!found)
    return (
      <div data-testid="resource-missing" className="py-10 text-sm text-slate-600">
        There is no resource <span className="font-mono">{id}</span> in the configuration (it may just have been deleted).{" "}
        <Link className="text-accent-700 underline" href="/resources">
          Back to resources
        </Link>
      </div>
    );
  const { rsc, parent } = found;
  const view = findResource(doc.state.resources, id);
  const st = view ? resourceStatus(view) : null;
  return (
    <div className="space-y-5" data-testid={`resource-detail-${id}`}>
      <div className="flex items-start justify-between gap-4">
        <PageTitle
          sub={
            <>
              {rsc.kind === "primitive" ? agentOf(rsc) : rsc.kind}
              {parent && (
                <>
                  {" "}
                  · in {parent.kind}{" "}
                  <Link className="text-accent-700 hover:underline" href={`/resources/${encodeURIComponent(parent.id)}`}>
                    {parent.id}
                  </Link>
                </>
              )}
            </>
          }
        >
          {id}
        </PageTitle>
        {st && (
          <div className="flex items-center gap-2 text-sm text-slate-600">
            <Badge tone={st.tone} testId="resource-detail-status">
              {st.label}
            </Badge>
            {st.nodes.length > 0 && <span data-testid="resource-detail-nodes">on {st.nodes.join(", ")}</span>}
          </div>
        )}
      </div>
      <Card title="Actions">
        <ResourceActions rsc={rsc} state={doc.state} />
        <div className="mt-3 border-t border-slate-100 pt-3">
          <StructureActions rsc={rsc} parent={parent} cib={doc.cib} />
        </div>
      </Card>
      <Card>
        <WhyHere id={id} parents={ancestorIds(doc.cib, id)} cib={doc.cib} state={doc.state} />
      </Card>
      {view && view.kind !== "primitive" && (
        <Card title="Members">
          <ResourceTree resources={view.children} />
        </Card>
      )}
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
        {rsc.kind === "primitive" && (
          <Card title="Instance attributes">
            <NvEditor
              testId="instance-attrs"
              values={nvMap(rsc.instanceAttributes)}
              editable={canEdit}
              onSave={(params) => propose({ op: "resource-update", id, params }, `Update ${id}: ${Object.entries(params).map(([k, v]) => (v ? `${k}=${v}` : `unset ${k}`)).join(", ")}`)}
            />
          </Card>
        )}
        <Card title="Meta attributes">
          <NvEditor
            testId="meta-attrs"
            values={nvMap(rsc.metaAttributes)}
            editable={canEdit}
            validate={(n, v) => META_CHECKS[n]?.(v) ?? null}
            onSave={(meta) => propose({ op: "resource-meta", id, meta }, `Update meta attributes of ${id}: ${Object.entries(meta).map(([k, v]) => (v ? `${k}=${v}` : `unset ${k}`)).join(", ")}`)}
          />
        </Card>
      </div>
      {rsc.kind === "primitive" && (
        <Card title="Operations">
          <OperationsEditor rscId={id} ops={rsc.operations} editable={canEdit} />
        </Card>
      )}
    </div>
  );
}
