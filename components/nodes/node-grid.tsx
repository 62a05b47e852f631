"use client";
// The node cards. Two things keep it fast at 100 nodes x 2000 resources:
// - each card gets the same placements array as before when its resources did
//   not change, so memo(NodeCard) skips it (a standby re-renders one card, not 100);
// - above VIRTUAL_FROM nodes only the rows of cards near the viewport are mounted
//   (the page scrolls as usual; rows are measured, cards differ in height).
// Rows are measured from ResizeObserver entries only: the virtualizer's default
// reads offsetHeight when a row mounts, which forced a layout of the whole
// page in the middle of the first snapshot's commit.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useWindowVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import type { ClusterState, NodeView } from "@/server/scheduler/types";
import { placementsByNode, type Placement } from "../cluster-view";
import { NodeCard } from "./node-card";

/** Up to this many nodes every card is mounted (the demo, small clusters). */
export const VIRTUAL_FROM = 30;
const ROW_ESTIMATE_PX = 190;
const NO_PLACEMENTS: Placement[] = [];

function samePlacements(a: readonly Placement[], b: readonly Placement[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].role !== b[i].role || a[i].failed !== b[i].failed) return false;
  return true;
}

/** placementsByNode, reusing last render's array for every node whose list is unchanged. */
export function useStablePlacements(state: ClusterState): Map<string, Placement[]> {
  const prev = useRef<Map<string, Placement[]>>(new Map());
  return useMemo(() => {
    const next = placementsByNode(state);
    for (const [node, list] of next) {
      const old = prev.current.get(node);
      if (old && samePlacements(old, list)) next.set(node, old);
    }
    prev.current = next;
    return next;
  }, [state.resources]); // eslint-disable-line react-hooks/exhaustive-deps -- placements come from resources only
}

// The grid's columns follow Tailwind's sm / xl breakpoints (grid-cols-1 sm:grid-cols-2 xl:grid-cols-3).
const XL = "(min-width: 1280px)";
const SM = "(min-width: 640px)";
function subscribeMedia(fn: () => void) {
  const qs = [matchMedia(XL), matchMedia(SM)];
  qs.forEach((q) => q.addEventListener("change", fn));
  return () => qs.forEach((q) => q.removeEventListener("change", fn));
}
const columnsNow = () => (matchMedia(XL).matches ? 3 : matchMedia(SM).matches ? 2 : 1);
function useColumns(): number {
  return useSyncExternalStore(subscribeMedia, columnsNow, () => 3);
}

interface GridProps {
  state: ClusterState;
  showMaintenance?: boolean;
}

const GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3";

export function NodeGrid({ state, showMaintenance }: GridProps) {
  const byNode = useStablePlacements(state);
  const card = (n: NodeView) => (
    <NodeCard key={n.uname} node={n} placements={byNode.get(n.uname) ?? NO_PLACEMENTS} isDc={state.dc === n.uname} showMaintenance={showMaintenance} />
  );
  if (state.nodes.length > VIRTUAL_FROM) return <VirtualNodeGrid nodes={state.nodes} card={card} />;
  return (
    <div data-testid="node-grid" data-virtual="false" className={GRID}>
      {state.nodes.map(card)}
    </div>
  );
}

/** A row's height from its ResizeObserver entry; before the first entry, the last one seen or the estimate. */
function rowHeight(el: Element, entry: ResizeObserverEntry | undefined, v: Virtualizer<Window, Element>): number {
  const box = entry?.borderBoxSize?.[0];
  if (box) return Math.round(box.blockSize);
  return v.itemSizeCache.get(v.options.getItemKey(v.indexFromElement(el))) ?? ROW_ESTIMATE_PX;
}

function VirtualNodeGrid({ nodes, card }: { nodes: NodeView[]; card: (n: NodeView) => React.ReactNode }) {
  const cols = useColumns();
  const rows = Math.ceil(nodes.length / cols);
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  useEffect(() => {
    // Where the grid starts on the page, so the window's scroll position maps to rows. Read
    // after the first paint, when layout is clean: in a layout effect it forced a layout of the
    // whole page in the middle of the first snapshot's commit (18-48 ms at 100x2000), and the
    // re-render it triggers laid the page out a second time before anything was painted. Until
    // then the grid counts from the page's top: at most a row more is mounted, none is missing.
    if (box.current) setTop(box.current.getBoundingClientRect().top + window.scrollY);
  }, []);
  const v = useWindowVirtualizer({ count: rows, estimateSize: () => ROW_ESTIMATE_PX, overscan: 2, scrollMargin: top, gap: 16, measureElement: rowHeight });
  return (
    <div ref={box} data-testid="node-grid" data-virtual="true" data-nodes={nodes.length} style={{ height: v.getTotalSize(), position: "relative" }}>
      {v.getVirtualItems().map((row) => (
        <div
          key={row.key}
          data-index={row.index}
          ref={v.measureElement}
          className={GRID}
          style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${row.start - v.options.scrollMargin}px)` }}
        >
          {nodes.slice(row.index * cols, row.index * cols + cols).map(card)}
        </div>
      ))}
    </div>
  );
}
