"use client";
import Link from "next/link";
import { memo } from "react";
import type { ResourceView } from "@/server/scheduler/types";
import { configId, resourceStatus } from "../cluster-view";
import { Badge } from "../ui/badge";

function kindLabel(r: ResourceView): string {
  if (r.kind === "primitive") return r.agent ?? "";
  if (r.kind === "group") return "group";
  return r.promotable ? "promotable clone" : "clone";
}

const Row = memo(function Row({ r, depth, link }: { r: ResourceView; depth: number; link: boolean }) {
  const st = resourceStatus(r);
  const name = link ? (
    <Link href={`/resources/${encodeURIComponent(configId(r.id))}`} className="font-medium text-slate-800 hover:text-accent-700 hover:underline">
      {r.id}
    </Link>
  ) : (
    <span className="font-medium text-slate-800">{r.id}</span>
  );
  return (
    <>
      <tr data-testid={`resource-row-${r.id}`} data-kind={r.kind} className="border-t border-slate-100 hover:bg-slate-50/60">
        <td className="py-1.5 pr-3" style={{ paddingLeft: `${0.75 + depth * 1.25}rem` }}>
          {depth > 0 && <span className="mr-1.5 text-slate-300">└</span>}
          {name}
        </td>
        <td className="px-3 py-1.5 font-mono text-xs text-slate-500">{kindLabel(r)}</td>
        <td className="px-3 py-1.5">
          <Badge tone={st.tone} testId={`resource-status-${r.id}`}>
            {st.label}
          </Badge>
        </td>
        <td data-testid={`resource-node-${r.id}`} className="px-3 py-1.5 text-sm text-slate-700">
          {r.kind === "primitive" ? st.nodes.join(", ") : ""}
        </td>
      </tr>
      {r.children.map((c) => (
        <Row key={c.id} r={c} depth={depth + 1} link={link && r.kind !== "clone"} />
      ))}
    </>
  );
});

export function ResourceTree({ resources, link = true }: { resources: ResourceView[]; link?: boolean }) {
  if (!resources.length) return <p className="text-sm text-slate-500">No resources are configured yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table data-testid="resource-tree" className="w-full text-left text-sm">
        <thead className="text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th className="py-1.5 pr-3 pl-3 font-medium">Resource</th>
            <th className="px-3 py-1.5 font-medium">Type</th>
            <th className="px-3 py-1.5 font-medium">Status</th>
            <th className="px-3 py-1.5 font-medium">Node</th>
          </tr>
        </thead>
        <tbody>
          {resources.map((r) => (
            <Row key={r.id} r={r} depth={0} link={link} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
