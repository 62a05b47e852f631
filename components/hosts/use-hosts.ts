"use client";
// The host list and fence history from the REST API (they are not part of the
// live cluster document). They are read again when the live store shows that
// membership changed (a node went on/offline or unclean, a fence event), and
// after every change made on this page: driven by the WebSocket, not polled.

import { useCallback, useEffect, useMemo, useState } from "react";
import { FencingResponseSchema, HostsResponseSchema, type HostStatus } from "@/server/api/contract";
import { api, ApiError } from "../api";
import { errorText } from "../ui/button";
import { useLive } from "../live-store";

export type HostsMode = "loading" | "demo" | "hosts" | "error";

/** Changes whenever membership as the live store sees it changes. */
function useMembershipKey(): string {
  const { doc, events } = useLive();
  const nodes = doc?.state.nodes.map((n) => `${n.uname}:${n.online ? 1 : 0}${n.unclean ? "u" : ""}`).join(",") ?? "";
  const lastHostEvent = [...events].reverse().find((e) => e.kind === "fence" || e.kind === "node-lost" || e.kind === "node-joined");
  return `${nodes}|${lastHostEvent?.seq ?? 0}`;
}

/** GET `path` through `schema`, again whenever membership changes; 501 means the embedded demo (no real hosts). */
function useMembershipRead<T>(path: string, schema: { parse(v: unknown): T }) {
  const key = useMembershipKey();
  const [data, setData] = useState<T | null>(null);
  const [demo, setDemo] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [readAt, setReadAt] = useState<number>(0);
  const reload = useCallback(async () => {
    try {
      setData(schema.parse(await api("GET", path)));
      setError(null);
      setReadAt(Date.now());
    } catch (e) {
      if (e instanceof ApiError && e.status === 501) return setDemo(true);
      setError(errorText(e));
    }
  }, [path, schema]);
  useEffect(() => {
    void reload();
  }, [reload, key]);
  return { data, demo, error, reload, readAt };
}

export function useHosts() {
  const { data, demo, error, reload, readAt } = useMembershipRead("/api/hosts", HostsResponseSchema);
  // a failed first read is an error page; a failed re-read keeps the list and shows the error
  const mode: HostsMode = demo ? "demo" : data ? "hosts" : error ? "error" : "loading";
  return { mode, hosts: data?.hosts ?? NO_HOSTS, error, reload, readAt };
}
const NO_HOSTS: HostStatus[] = [];

export function useFencing() {
  const { data, demo, error, reload } = useMembershipRead("/api/fencing?full=1", FencingResponseSchema);
  const history = useMemo(() => [...(data?.history ?? [])].sort((a, b) => (b.completedAt ?? b.requestedAt) - (a.completedAt ?? a.requestedAt) || b.id - a.id), [data]);
  return { history, demo, error, reload, loaded: data !== null || demo };
}
