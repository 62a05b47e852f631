"use client";
// The host list and fence history from the REST API (they are not part of the
// live cluster document). They are read again when the live store shows that
// membership changed (a node went on/offline or unclean, a fence event), and
// after every change made on this page: driven by the WebSocket, not polled.

import { useCallback, useEffect, useMemo, useState } from "react";
import { FencingResponseSchema, HostsResponseSchema, type FencingResponse, type HostStatus } from "@/server/api/contract";
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

export function useHosts() {
  const key = useMembershipKey();
  const [mode, setMode] = useState<HostsMode>("loading");
  const [hosts, setHosts] = useState<HostStatus[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [readAt, setReadAt] = useState<number>(0);
  const reload = useCallback(async () => {
    try {
      const r = HostsResponseSchema.parse(await api("GET", "/api/hosts"));
      setHosts(r.hosts);
      setMode("hosts");
      setError(null);
      setReadAt(Date.now());
    } catch (e) {
      if (e instanceof ApiError && e.status === 501) return setMode("demo");
      setError(errorText(e));
      setMode((m) => (m === "loading" ? "error" : m));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload, key]);
  return { mode, hosts, error, reload, readAt };
}

export function useFencing() {
  const key = useMembershipKey();
  const [data, setData] = useState<FencingResponse | null>(null);
  const [demo, setDemo] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(FencingResponseSchema.parse(await api("GET", "/api/fencing?full=1")));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 501) return setDemo(true);
      setError(errorText(e));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload, key]);
  const history = useMemo(() => [...(data?.history ?? [])].sort((a, b) => (b.completedAt ?? b.requestedAt) - (a.completedAt ?? a.requestedAt) || b.id - a.id), [data]);
  return { history, demo, error, reload, loaded: data !== null || demo };
}
