"use client";
import Link from "next/link";
import { useLive, useCan } from "@/components/live-store";
import { ResourceTree } from "@/components/resources/resource-tree";
import { Card } from "@/components/ui/card";
import { Loading, PageTitle } from "@/components/ui/loading";

export default function ResourcesPage() {
  const { doc } = useLive();
  const canCreate = useCan("resource-create");
  if (!doc) return <Loading />;
  return (
    <div className="space-y-5" data-testid="resources-page">
      <div className="flex items-start justify-between">
        <PageTitle sub="Primitives, groups and clones with their role and node. Open one to edit it.">Resources</PageTitle>
        {canCreate && (
          <Link href="/resources/new" data-testid="create-resource" className="rounded-md bg-accent-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-accent-700">
            Create resource
          </Link>
        )}
      </div>
      <Card>
        <ResourceTree resources={doc.state.resources} />
      </Card>
    </div>
  );
}
