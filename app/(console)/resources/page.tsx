"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { ResourceView } from "@/server/scheduler/types";
import { useLive, useCan } from "@/components/live-store";
import { ResourceTree } from "@/components/resources/resource-tree";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { Loading, PageTitle } from "@/components/ui/loading";

/** Keeps a top-level resource when it or any member matches (id, agent or node). */
function matches(r: ResourceView, q: string): boolean {
  if (r.id.toLowerCase().includes(q) || r.agent?.toLowerCase().includes(q) || r.active.some((a) => a.node.toLowerCase().includes(q))) return true;
  return r.children.some((c) => matches(c, q));
}

export default function ResourcesPage() {
  const { doc } = useLive();
  const canCreate = useCan("resource-create");
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const all = doc?.state.resources;
  const shown = useMemo(() => (all && q ? all.filter((r) => matches(r, q)) : all ?? []), [all, q]);
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
        <input
          aria-label="filter resources"
          data-testid="resource-filter"
          className={`${inputClass} mb-3 max-w-sm`}
          placeholder="Filter by id, agent or node…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {q && shown.length === 0 ? <p className="text-sm text-slate-500">No resource matches “{query}”.</p> : <ResourceTree resources={shown} />}
      </Card>
    </div>
  );
}
