"use client";
// History = what the server kept before this page opened (one GET each) plus
// what the WebSocket pushed since. Transitions and the audit log are fetched
// again only when an event says they changed, never on a timer.

import { useEffect, useMemo, useState } from "react";
import type { AuditEntry, ClusterEvent, TransitionRecord } from "@/server/api/contract";
import { api } from "../api";
import { useLive } from "../live-store";
import { errorText } from "../ui/button";

export function useEvents(): { events: ClusterEvent[]; error: string | null } {
  const live = useLive().events;
  const [past, setPast] = useState<ClusterEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ events: ClusterEvent[] }>("GET", "/api/events").then(
      (r) => setPast(r.events),
      (e) => setError(errorText(e)),
    );
  }, []);
  const events = useMemo(() => {
    const bySeq = new Map<number, ClusterEvent>();
    for (const e of [...past, ...live]) bySeq.set(e.seq, e);
    return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
  }, [past, live]);
  return { events, error };
}

function useRefetchOn<T>(path: string, pick: (r: unknown) => T[], kinds: ClusterEvent["kind"][]): { items: T[]; error: string | null } {
  const live = useLive().events;
  const trigger = useMemo(() => live.filter((e) => kinds.includes(e.kind)).at(-1)?.seq ?? 0, [live, kinds]);
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    api("GET", path).then(
      (r) => alive && (setItems(pick(r)), setError(null)),
      (e) => alive && setError(errorText(e)),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, trigger]);
  return { items, error };
}

const TRANSITION_KINDS: ClusterEvent["kind"][] = ["transition-start", "transition-end"];
const AUDIT_KINDS: ClusterEvent["kind"][] = ["cib-change"];

export function useTransitions() {
  const { items, error } = useRefetchOn<TransitionRecord>("/api/transitions", (r) => (r as { transitions: TransitionRecord[] }).transitions, TRANSITION_KINDS);
  return { transitions: [...items].sort((a, b) => b.id - a.id), error };
}

export function useAudit() {
  const { items, error } = useRefetchOn<AuditEntry>("/api/audit", (r) => (r as { entries: AuditEntry[] }).entries, AUDIT_KINDS);
  return { entries: [...items].sort((a, b) => b.at - a.at), error };
}
