"use client";
// Resources as boxes, constraints as arrows: order (first -> then), colocation
// (rsc -> with-rsc), location (node -> resource, dashed). Laid out by dagre.

import { useMemo } from "react";
import { Graph, layout } from "@dagrejs/dagre";
import type { Constraint } from "@/server/cib/types";

interface EdgeInfo {
  from: string;
  to: string;
  kind: "order" | "colocation" | "location";
  label: string;
}

function edgesOf(constraints: Constraint[]): EdgeInfo[] {
  const out: EdgeInfo[] = [];
  for (const c of constraints) {
    if (c.kind === "order" && c.first && c.then) out.push({ from: c.first, to: c.then, kind: "order", label: c.orderKind ?? "then" });
    if (c.kind === "colocation" && c.rsc && c.withRsc) out.push({ from: c.rsc, to: c.withRsc, kind: "colocation", label: c.score ?? "INFINITY" });
    if (c.kind === "location" && c.rsc && c.node) out.push({ from: `node:${c.node}`, to: c.rsc, kind: "location", label: c.score ?? "0" });
    // sets: chain members in order
    if ((c.kind === "order" || c.kind === "colocation") && c.sets.length) {
      const members = c.sets.flatMap((s) => s.resources);
      for (let i = 1; i < members.length; i++) out.push({ from: members[i - 1], to: members[i], kind: c.kind, label: "set" });
    }
  }
  return out;
}

const stroke = { order: "#d97706", colocation: "#7c3aed", location: "#0284c7" };

export function ConstraintGraph({ constraints, resources }: { constraints: Constraint[]; resources: string[] }) {
  const g = useMemo(() => {
    const edges = edgesOf(constraints);
    const graph = new Graph({ multigraph: true });
    graph.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 70, marginx: 10, marginy: 10 });
    graph.setDefaultEdgeLabel(() => ({}));
    const ids = new Set([...resources, ...edges.flatMap((e) => [e.from, e.to])]);
    for (const id of ids) graph.setNode(id, { width: Math.max(80, id.replace(/^node:/, "").length * 7.5 + 24), height: 30 });
    edges.forEach((e, i) => graph.setEdge(e.from, e.to, { label: e.label, width: 40, height: 14 }, String(i)));
    layout(graph);
    return { graph, edges };
  }, [constraints, resources]);
  const { graph, edges } = g;
  const w = (graph.graph().width ?? 200) + 20;
  const h = (graph.graph().height ?? 100) + 20;
  if (!edges.length) return <p className="text-sm text-slate-500">No constraints link resources yet.</p>;
  return (
    <div className="overflow-auto" data-testid="constraint-graph">
      <svg width={w} height={h} className="text-xs">
        <defs>
          {Object.entries(stroke).map(([k, c]) => (
            <marker key={k} id={`arrow-${k}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={c} />
            </marker>
          ))}
        </defs>
        {edges.map((e, i) => {
          const ed = graph.edge({ v: e.from, w: e.to, name: String(i) });
          if (!ed?.points) return null;
          const d = (ed.points as { x: number; y: number }[]).map((p, j) => `${j ? "L" : "M"}${p.x},${p.y}`).join(" ");
          return (
            <g key={i}>
              <path d={d} fill="none" stroke={stroke[e.kind]} strokeWidth={1.5} strokeDasharray={e.kind === "location" ? "4 3" : undefined} markerEnd={`url(#arrow-${e.kind})`} />
              {ed.x !== undefined && (
                <text x={ed.x} y={(ed.y ?? 0) + 4} textAnchor="middle" fill={stroke[e.kind]} className="font-mono">
                  {e.label}
                </text>
              )}
            </g>
          );
        })}
        {graph.nodes().map((id) => {
          const n = graph.node(id);
          const isNode = id.startsWith("node:");
          return (
            <g key={id} transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}>
              <rect width={n.width} height={n.height} rx={isNode ? 15 : 5} fill={isNode ? "#f0f9ff" : "#fff"} stroke={isNode ? "#0284c7" : "#94a3b8"} />
              <text x={n.width / 2} y={n.height / 2 + 4} textAnchor="middle" fill="#1e293b" className="font-medium">
                {id.replace(/^node:/, "")}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="mt-2 flex gap-4 text-xs text-slate-500">
        <span style={{ color: stroke.order }}>→ order</span>
        <span style={{ color: stroke.colocation }}>→ colocation (with)</span>
        <span style={{ color: stroke.location }}>⇢ location (node preference)</span>
      </p>
    </div>
  );
}
