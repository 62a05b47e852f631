"use client";
import { useCan, useLive } from "@/components/live-store";
import { nvMap } from "@/components/config-view";
import { CLUSTER_PROPERTIES, OP_DEFAULTS, RESOURCE_DEFAULTS } from "@/components/properties/catalog";
import { PropertyTable } from "@/components/properties/property-table";
import { Card } from "@/components/ui/card";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function PropertiesPage() {
  const { doc } = useLive();
  const canEdit = useCan("property-set");
  if (!doc) return <Loading />;
  const c = doc.cib.configuration;
  return (
    <div className="space-y-5" data-testid="properties-page">
      <PageTitle sub="Cluster-wide options and the defaults every resource and operation inherits.">Properties</PageTitle>
      <Card title="Cluster properties">
        <PropertyTable
          testId="cluster-properties"
          what="property"
          catalog={CLUSTER_PROPERTIES}
          values={nvMap(c.crmConfig)}
          editable={canEdit}
          toChange={(name, value) => (value === null ? { op: "property-unset", name } : { op: "property-set", name, value })}
        />
      </Card>
      <Card title="Resource defaults">
        <PropertyTable testId="rsc-defaults" what="resource default" catalog={RESOURCE_DEFAULTS} values={nvMap(c.rscDefaults)} editable={canEdit} toChange={(name, value) => ({ op: "rsc-defaults", meta: { [name]: value ?? "" } })} />
      </Card>
      <Card title="Operation defaults">
        <PropertyTable testId="op-defaults" what="operation default" catalog={OP_DEFAULTS} values={nvMap(c.opDefaults)} editable={canEdit} toChange={(name, value) => ({ op: "op-defaults", meta: { [name]: value ?? "" } })} />
      </Card>
    </div>
  );
}
