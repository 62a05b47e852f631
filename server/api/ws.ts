// The live feed on /ws. One document, {state, cib: {attrs, configuration}},
// versioned by the controller's snapshot version: each client gets a snapshot,
// then patches (RFC 6902) from version to version, and events. A client that
// misses a version asks for {type:"resync"}. The diff is computed once per
// change for all clients.

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { ClusterService, Snapshot } from "../controller/types";
import { ApiError, checkOrigin, type Auth, type Principal } from "./auth";
import { WsClientMessageSchema, type LiveDocument, type WsServerMessage } from "./contract";
import { diff } from "./jsonpatch";

/** drop a client whose unsent data exceeds this (it reconnects and resyncs) */
const MAX_BUFFERED = 16 * 1024 * 1024;

interface Client {
  ws: WebSocket;
  principal: Principal;
}

export function liveDocument(snap: Snapshot): LiveDocument {
  return { state: snap.state, cib: { attrs: snap.cib.attrs, configuration: snap.cib.configuration } };
}

export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Set<Client>();
  private doc: LiveDocument;
  private version: number;
  private readonly unsubs: (() => void)[] = [];

  constructor(
    private readonly service: ClusterService,
    private readonly auth: Auth,
    private readonly secure: boolean,
  ) {
    const snap = service.snapshot();
    this.doc = liveDocument(snap);
    this.version = snap.version;
    this.unsubs.push(service.subscribe((s) => this.onSnapshot(s)));
    this.unsubs.push(service.onEvent((event) => this.broadcast(JSON.stringify({ type: "event", event } satisfies WsServerMessage))));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private onSnapshot(snap: Snapshot): void {
    if (snap.version <= this.version) return;
    const next = liveDocument(snap);
    const ops = diff(this.doc, next);
    const msg: WsServerMessage = { type: "patch", from: this.version, to: snap.version, ops };
    this.doc = next;
    this.version = snap.version;
    this.broadcast(JSON.stringify(msg));
  }

  private broadcast(data: string): void {
    for (const c of this.clients) this.sendRaw(c, data);
  }

  private sendRaw(c: Client, data: string): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED) {
      c.ws.close(4408, "too slow: reconnect and resync");
      return;
    }
    c.ws.send(data);
  }

  private snapshotMessage(c: Client): string {
    const msg: WsServerMessage = {
      type: "snapshot",
      version: this.version,
      state: this.doc.state,
      cib: this.doc.cib,
      user: c.principal.user,
      role: c.principal.role,
    };
    return JSON.stringify(msg);
  }

  /** Handles an HTTP upgrade on /ws: origin check, authentication, then the feed. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`);
      socket.destroy();
    };
    try {
      checkOrigin(req, this.secure);
    } catch (e) {
      return refuse(403, e instanceof ApiError ? "Forbidden: cross-site WebSocket refused" : "Forbidden");
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const principal = this.auth.authenticate(req, url);
    if (!principal) return refuse(401, "Unauthorized");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, principal));
  }

  private onConnection(ws: WebSocket, principal: Principal): void {
    const c: Client = { ws, principal };
    this.clients.add(c);
    this.sendRaw(c, this.snapshotMessage(c));
    ws.on("message", (data) => {
      let parsed;
      try {
        parsed = WsClientMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        this.sendRaw(c, JSON.stringify({ type: "error", error: 'unknown message: send {"type":"resync"}' } satisfies WsServerMessage));
        return;
      }
      if (parsed.data.type === "resync") this.sendRaw(c, this.snapshotMessage(c));
    });
    ws.on("close", () => this.clients.delete(c));
    ws.on("error", () => this.clients.delete(c));
  }

  /** Closes the sockets of a session (logout). */
  closeSession(sessionId: string): void {
    for (const c of this.clients) if (c.principal.sessionId === sessionId) c.ws.close(4401, "logged out");
  }

  close(): void {
    for (const u of this.unsubs.splice(0)) u();
    for (const c of this.clients) c.ws.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
