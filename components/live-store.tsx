"use client";
// One live store per browser tab, fed by the WebSocket at /ws: a snapshot on
// connect, then versioned patches. Every view reads from here; nothing polls.
// On a version gap the client asks for a resync; when the socket drops it
// reconnects with backoff and the server sends a fresh snapshot.

import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { initialView, receive, type LiveView } from "./live-core";
import { CHANGE_ROLE, SessionResponseSchema, type ChangeOp } from "../server/api/contract";
import { parseServerMessage } from "./live-messages";
import { setCsrfToken } from "./api";
import { takeEarlySocket } from "./early-socket";
import { frameText, liveUrl } from "./ws-frames";

const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_FORBIDDEN = 4403;

export class LiveClient {
  private view: LiveView = initialView;
  private listeners = new Set<() => void>();
  private ws: WebSocket | null = null;
  private retryMs = 250;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private lastBadResync = 0;
  private adopted = false;
  /** compressed frames are inflated asynchronously; later frames wait for them, in order */
  private inbox: Promise<void> = Promise.resolve();
  private inflating = 0;

  constructor(
    private readonly url: string,
    private readonly onSignedOut: () => void,
    private readonly token?: string,
  ) {}

  getView = (): LiveView => this.view;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(view: LiveView) {
    if (view === this.view) return;
    this.view = view;
    for (const fn of this.listeners) fn();
  }

  start() {
    this.stopped = false;
    this.connect();
    window.addEventListener("online", this.reconnectNow);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }

  private reconnectNow = () => {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    if (this.timer) clearTimeout(this.timer);
    this.retryMs = 250;
    this.connect();
  };

  private connect() {
    // the first connection adopts the socket the page's HTML opened (early-socket.ts)
    const early = this.adopted ? null : takeEarlySocket(this.url);
    this.adopted = true;
    const ws = early?.ws ?? new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    let opened = ws.readyState === WebSocket.OPEN;
    ws.onopen = () => {
      opened = true;
      this.retryMs = 250;
    };
    const unreadable = (problem: string) => {
      // Never render a document we could not check; get a fresh one instead.
      this.set({ ...this.view, problem: `The controller sent an update this console cannot read (${problem}). Reload the page; if it persists, the console and controller versions differ.` });
      // at most one resync per 5 s, so a persistent mismatch cannot become a request loop
      if (ws.readyState === WebSocket.OPEN && Date.now() - this.lastBadResync > 5000) {
        this.lastBadResync = Date.now();
        ws.send(JSON.stringify({ type: "resync" }));
      }
    };
    const handle = (text: string, t0: number) => {
      if (this.ws !== ws) return; // a frame of a socket we already left
      // user timing marks (vigil:parse, vigil:check, vigil:apply) show in the browser's performance panel
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return;
      }
      const t1 = performance.now();
      const parsed = parseServerMessage(raw);
      const t2 = performance.now();
      if (t2 - t0 > 20) {
        performance.measure("vigil:parse", { start: t0, end: t1 }); // includes inflating a compressed frame
        performance.measure("vigil:check", { start: t1, end: t2 });
        // React renders the update in a microtask after this handler: the next task sees it done
        setTimeout(() => performance.measure("vigil:apply+render", { start: t2, end: performance.now() }), 0);
      }
      if (!parsed.ok) return unreadable(parsed.problem);
      const step = receive(this.view, parsed.msg);
      this.set(step.view);
      if (step.resync && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ type: "resync" }));
      }
    };
    // `inflated`: the text of a compressed frame the early socket's script is already inflating
    const onFrame = (data: unknown, inflated?: Promise<string>) => {
      const t0 = performance.now();
      // text frames (patches, events) go straight through unless a compressed frame is still inflating
      if (typeof data === "string" && this.inflating === 0) return handle(data, t0);
      this.inflating++;
      this.inbox = this.inbox
        .then(() => inflated ?? frameText(data))
        .then(
          (text) => handle(text, t0),
          () => {
            if (this.ws === ws) unreadable("a compressed frame that does not inflate");
          },
        )
        .finally(() => this.inflating--);
    };
    ws.onmessage = (e) => onFrame(e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = null;
      if (e.code === CLOSE_UNAUTHORIZED || e.code === CLOSE_FORBIDDEN) return this.signedOut();
      this.set({ ...this.view, connection: "reconnecting" });
      // A refused upgrade (401) looks like any other drop; ask the API whether the session is still valid.
      if (!opened || e.code === 1008) void this.checkSession();
      this.timer = setTimeout(() => this.connect(), this.retryMs + Math.random() * 200);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
    if (early) for (const f of early.queue) onFrame(f.data, f.text);
  }

  /** Who we are and the CSRF token for changes; a 401 means the session is gone. */
  async checkSession() {
    try {
      const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
      const res = await fetch("/api/session", { credentials: "same-origin", cache: "no-store", headers });
      if (res.status === 401) return this.signedOut();
      if (!res.ok) return;
      const s = SessionResponseSchema.safeParse(await res.json());
      if (!s.success) return;
      setCsrfToken(s.data.csrfToken);
      this.set({ ...this.view, user: s.data.user, role: s.data.role });
    } catch {
      /* controller unreachable: keep retrying the socket */
    }
  }

  private signedOut() {
    if (this.timer) clearTimeout(this.timer);
    this.stopped = true;
    this.set({ ...this.view, connection: "signed-out" });
    this.onSignedOut();
  }
}

const LiveContext = createContext<LiveClient | null>(null);

export function LiveStoreProvider({ children, token }: { children: React.ReactNode; token?: string }) {
  const [client, setClient] = useState<LiveClient | null>(null);
  useEffect(() => {
    const c = new LiveClient(liveUrl(location, token), () => {
      if (!token) location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }, token);
    setClient(c);
    if (!token) void c.checkSession();
    c.start();
    return () => c.stop();
  }, [token]);
  return <LiveContext.Provider value={client}>{children}</LiveContext.Provider>;
}

const noop = () => () => {};
const initial = () => initialView;

/** The whole live view; a new object only when something changed (every patch and every event). */
export function useLive(): LiveView {
  const client = useContext(LiveContext);
  return useSyncExternalStore(client?.subscribe ?? noop, client?.getView ?? initial, initial);
}

/**
 * One part of the live view. The component re-renders only when the selected
 * value changes (by identity): patches share unchanged parts of the document,
 * so e.g. a button that reads the role does not re-render on every patch or
 * event, and a view of `doc` does not re-render on events.
 */
export function useLiveSelect<T>(select: (v: LiveView) => T): T {
  const client = useContext(LiveContext);
  const get = client?.getView ?? initial;
  return useSyncExternalStore(client?.subscribe ?? noop, () => select(get()), () => select(initialView));
}

const selectDoc = (v: LiveView) => v.doc;
const selectState = (v: LiveView) => v.doc?.state ?? null;
const selectRole = (v: LiveView) => v.role;

/** The live document ({state, cib}), or null while the first snapshot is on its way. */
export function useLiveDoc() {
  return useLiveSelect(selectDoc);
}

/** The cluster state, or null while the first snapshot is on its way. */
export function useClusterState() {
  return useLiveSelect(selectState);
}

/** Whether the signed-in user's role may make this change (the server checks again). */
export function useCan(op: ChangeOp): boolean {
  const role = useLiveSelect(selectRole);
  if (!role || role === "read-only") return false;
  return CHANGE_ROLE[op] === "operator" || role === "admin";
}
