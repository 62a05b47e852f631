"use client";
// The dashboard's last transitions. Fetched once, then again only when the
// WebSocket reports a transition starting or ending (never on a timer). The
// start and end of a short transition arrive together, so a burst of events
// costs one request, not one per event; with 20 dashboards open and a history
// of 500 transitions this was the larger part of a change's cost.
import Link from "next/link";
import { useEffect, useState } from "react";
import type { TransitionRecord } from "@/server/api/contract";
import { api } from "../api";
import type { LiveView } from "../live-core";
import { useLiveSelect } from "../live-store";
import { errorText } from "../ui/button";
import { TransitionList } from "../history/transition-list";

const SHOWN = 5;
/** events closer together than this share one request */
const COALESCE_MS = 200;

/** seq of the newest transition event (a number, so other events do not re-render) */
function lastTransitionSeq(v: LiveView): number {
  for (let i = v.events.length - 1; i >= 0; i--) {
    const k = v.events[i].kind;
    if (k === "transition-start" || k === "transition-end") return v.events[i].seq;
  }
  return 0;
}

export function RecentTransitions() {
  const trigger = useLiveSelect(lastTransitionSeq);
  const [transitions, setTransitions] = useState<TransitionRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const t = setTimeout(
      () => {
        // limit: the server may send only the newest ones; the list keeps SHOWN either way
        api<{ transitions: TransitionRecord[] }>("GET", `/api/transitions?limit=${SHOWN}`).then(
          (r) => alive && (setTransitions([...r.transitions].sort((a, b) => b.id - a.id).slice(0, SHOWN)), setError(null)),
          (e) => alive && setError(errorText(e)),
        );
      },
      trigger === 0 ? 0 : COALESCE_MS,
    );
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [trigger]);
  return (
    <div data-testid="recent-transitions">
      {error ? <p className="text-sm text-amber-800">Could not load transitions: {error}</p> : <TransitionList transitions={transitions} limit={SHOWN} />}
      <Link href="/history" className="mt-2 inline-block text-xs text-accent-700 hover:underline">
        Full history →
      </Link>
    </div>
  );
}
