"use client";
import Link from "next/link";
import { memo, useMemo, useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { ResourceView } from "@/server/scheduler/types";
import { configId, resourceStatus } from "../cluster-view";
import { Badge } from "../ui/badge";

function kindLabel(r: ResourceView): string {
  if (r.kind === "primitive") return r.agent ?? "";
  if (r.kind === "group") return "group";
  return r.promotable ? "promotable clone" : "clone";
}

interface FlatRow {
  r: ResourceView;
  depth: number;
  link: boolean;
}

function flatten(rs: readonly ResourceView[]): FlatRow[] {
  const out: FlatRow[] = [];
  const walk = (r: ResourceView, depth: number, link: boolean) => {
    out.push({ r, depth, link });
    for (const c of r.children) walk(c, depth + 1, link && r.kind !== "clone");
  };
  rs.forEach((r) => walk(r, 0, true));
  return out;
}

const GRID = "grid grid-cols-[minmax(10rem,2fr)_minmax(8rem,1.5fr)_minmax(7rem,1fr)_minmax(6rem,1fr)] items-center";
const ROW_PX = 37;
/** Above this many rows the list is virtualized (100 nodes x 2000 resources stays fast). */
const VIRTUAL_FROM = 300;

const Row = memo(function Row({ row, link }: { row: FlatRow; link: boolean }) {
  const { r, depth } = row;
  const st = resourceStatus(r);
  return (
    <div role="row" data-testid={`resource-row-${r.id}`} data-kind={r.kind} className={`${GRID} h-[37px] border-t border-slate-100 text-sm hover:bg-slate-50/60`}>
      <div role="cell" className="truncate pr-3" style={{ paddingLeft: `${0.75 + depth * 1.25}rem` }}>
        {depth > 0 && <span className="mr-1.5 text-slate-300">└</span>}
        {link && row.link ? (
          <Link href={`/resources/${encodeURIComponent(configId(r.id))}`} className="font-medium text-slate-800 hover:text-accent-700 hover:underline">
            {r.id}
          </Link>
        ) : (
          <span className="font-medium text-slate-800">{r.id}</span>
        )}
      </div>
      <div role="cell" className="truncate px-3 font-mono text-xs text-slate-500">
        {kindLabel(r)}
      </div>
      <div role="cell" className="px-3">
        <Badge tone={st.tone} testId={`resource-status-${r.id}`}>
          {st.label}
        </Badge>
      </div>
      <div role="cell" data-testid={`resource-node-${r.id}`} className="truncate px-3 text-slate-700">
        {r.kind === "primitive" ? st.nodes.join(", ") : ""}
      </div>
    </div>
  );
},
// unchanged resources keep their object identity across patches (structural sharing)
(a, b) => a.link === b.link && a.row.r === b.row.r && a.row.depth === b.row.depth && a.row.link === b.row.link);

function Header() {
  return (
    <div role="row" className={`${GRID} py-1.5 text-xs font-medium tracking-wide text-slate-500 uppercase`}>
      <div role="columnheader" className="pl-3">
        Resource
      </div>
      <div role="columnheader" className="px-3">
        Type
      </div>
      <div role="columnheader" className="px-3">
        Status
      </div>
      <div role="columnheader" className="px-3">
        Node
      </div>
    </div>
  );
}

function VirtualRows({ rows, link }: { rows: FlatRow[]; link: boolean }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 15 });
  return (
    <div ref={scroller} className="max-h-[70vh] overflow-auto" data-testid="resource-tree-scroll">
      <div style={{ height: v.getTotalSize(), position: "relative" }}>
        {v.getVirtualItems().map((it) => (
          <div key={rows[it.index].r.id + it.index} style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
            <Row row={rows[it.index]} link={link} />
          </div>
        ))}
      </div>
    </div>
  );
}

export function ResourceTree({ resources, link = true }: { resources: ResourceView[]; link?: boolean }) {
  const rows = useMemo(() => flatten(resources), [resources]);
  if (!resources.length) return <p className="text-sm text-slate-500">No resources are configured yet.</p>;
  return (
    <div role="table" data-testid="resource-tree" data-rows={rows.length} className="min-w-[36rem] overflow-x-auto">
      <Header />
      {rows.length > VIRTUAL_FROM ? (
        <VirtualRows rows={rows} link={link} />
      ) : (
        rows.map((row) => <Row key={row.r.id} row={row} link={link} />)
      )}
    </div>
  );
}
