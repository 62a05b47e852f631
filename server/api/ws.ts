// The live feed on /ws. One document, {state, cib: {attrs, configuration}},
// versioned by the controller's snapshot version: each client gets a snapshot,
// then patches (RFC 6902) from version to version, and events. A client that
// misses a version asks for {type:"resync"}.
//
// Cost per change does not grow with the number of clients beyond the socket
// writes: the diff is computed once, serialised once into one Buffer, and that
// same Buffer is handed to every socket (ws frames it without copying). The
// document's JSON is also cached per version, so 200 clients (re)connecting
// after a restart cost one serialisation, not 200.
//
// A client that connects with ?compress=deflate-raw (the console does) gets
// large messages, e.g. the 1.5 MB snapshot at 100 nodes x 2000 resources, as
// binary frames of raw DEFLATE (~65 KB): Chromium passes a message to the page
// in pipe-sized chunks, each one a task on the page's main thread, so while the
// console's JavaScript loads a 1.5 MB text frame reached the page only after
// hydration. Compressed once per message (and per user for snapshots).

import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { deflateRawSync } from "node:zlib";
import { WebSocketServer, type WebSocket } from "ws";
import type { ClusterService, Snapshot } from "../controller/types";
import { ApiError, checkOrigin, type Auth, type Principal } from "./auth";
import {
  WS_COMPRESS_DEFLATE_RAW,
  WS_COMPRESS_FROM,
  WS_COMPRESS_PARAM,
  WsClientMessageSchema,
  type LiveDocument,
  type WsServerMessage,
} from "./contract";
import { diff } from "./jsonpatch";

/** drop a client whose unsent data exceeds this (it reconnects and resyncs) */
const MAX_BUFFERED = 16 * 1024 * 1024;

interface Client {
  ws: WebSocket;
  principal: Principal;
  /** asked for ?compress=deflate-raw */
  compress: boolean;
}

/** Frames sent so far, for tests and the benchmark: how often the hub serialised vs. sent. */
export interface HubStats {
  /** patch messages serialised (one per published change) */
  patchesSerialised: number;
  /** document serialisations for snapshots (one per version at most) */
  snapshotBodies: number;
  /** frames handed to sockets */
  framesSent: number;
  /** messages compressed (each once, whatever the number of clients it goes to) */
  compressed: number;
}

/** One message, the same bytes for every client: JSON text, and its DEFLATE form made on first need. */
class Frame {
  private deflated: Buffer | undefined;
  constructor(
    readonly text: Buffer,
    private readonly stats: HubStats,
  ) {}

  for(c: Client): { data: Buffer; binary: boolean } {
    if (!c.compress || this.text.length < WS_COMPRESS_FROM) return { data: this.text, binary: false };
    if (!this.deflated) {
      // level 1: ~25 ms and 23x smaller for the 1.5 MB snapshot; higher levels gain a few KB for more time
      this.deflated = deflateRawSync(this.text, { level: 1 });
      this.stats.compressed++;
    }
    return { data: this.deflated, binary: true };
  }
}

export function liveDocument(snap: Snapshot): LiveDocument {
  return { state: snap.state, cib: { attrs: snap.cib.attrs, configuration: snap.cib.configuration } };
}

export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly clients = new Set<Client>();
  private doc: LiveDocument;
  private version: number;
  /** JSON of doc.state and doc.cib at `version`, built on the first snapshot asked for */
  private docJson: { version: number; state: string; cib: string } | undefined;
  /** snapshot frames at `docJson.version`, per user and role (they carry both) */
  private snapshots = new Map<string, Frame>();
  private readonly unsubs: (() => void)[] = [];
  readonly stats: HubStats = { patchesSerialised: 0, snapshotBodies: 0, framesSent: 0, compressed: 0 };

  constructor(
    private readonly service: ClusterService,
    private readonly auth: Auth,
    private readonly secure: boolean,
  ) {
    const snap = service.snapshot();
    this.doc = liveDocument(snap);
    this.version = snap.version;
    this.unsubs.push(service.subscribe((s) => this.onSnapshot(s)));
    this.unsubs.push(
      service.onEvent((event) => {
        if (this.clients.size) this.broadcast(this.frame({ type: "event", event }));
      }),
    );
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private onSnapshot(snap: Snapshot): void {
    if (snap.version <= this.version) return;
    const next = liveDocument(snap);
    const from = this.version;
    const prev = this.doc;
    this.doc = next;
    this.version = snap.version;
    this.docJson = undefined;
    if (this.clients.size === 0) return; // nobody to patch: a new client gets a snapshot
    // unchanged configuration keeps its reference (the controller shares it), so diff skips it at once
    const msg: WsServerMessage = { type: "patch", from, to: snap.version, ops: diff(prev, next) };
    this.stats.patchesSerialised++;
    this.broadcast(this.frame(msg));
  }

  private frame(msg: WsServerMessage): Frame {
    return new Frame(Buffer.from(JSON.stringify(msg)), this.stats);
  }

  /** One Buffer for every client: ws writes it without copying or re-encoding. */
  private broadcast(frame: Frame): void {
    for (const c of this.clients) this.sendRaw(c, frame);
  }

  private sendRaw(c: Client, frame: Frame): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount > MAX_BUFFERED) {
      c.ws.close(4408, "too slow: reconnect and resync");
      return;
    }
    this.stats.framesSent++;
    const { data, binary } = frame.for(c);
    c.ws.send(data, { binary });
  }

  /** The snapshot for one client: the cached document JSON with this client's user and role. */
  private snapshotMessage(c: Client): Frame {
    if (this.docJson?.version !== this.version) {
      this.stats.snapshotBodies++;
      this.docJson = { version: this.version, state: JSON.stringify(this.doc.state), cib: JSON.stringify(this.doc.cib) };
      this.snapshots.clear();
    }
    const key = `${c.principal.user}\u0000${c.principal.role}`;
    const cached = this.snapshots.get(key);
    if (cached) return cached;
    const head: Omit<Extract<WsServerMessage, { type: "snapshot" }>, "state" | "cib"> = {
      type: "snapshot",
      version: this.version,
      user: c.principal.user,
      role: c.principal.role,
    };
    // same members as JSON.stringify of the whole message, without serialising the document again
    const h = JSON.stringify(head);
    const frame = new Frame(Buffer.from(`${h.slice(0, -1)},"state":${this.docJson.state},"cib":${this.docJson.cib}}`), this.stats);
    this.snapshots.set(key, frame);
    return frame;
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
    const compress = url.searchParams.get(WS_COMPRESS_PARAM);
    if (compress !== null && compress !== WS_COMPRESS_DEFLATE_RAW) {
      return refuse(400, `Bad Request: ${WS_COMPRESS_PARAM}=${compress} is not supported (only ${WS_COMPRESS_DEFLATE_RAW})`);
    }
    const principal = this.auth.authenticate(req, url);
    if (!principal) return refuse(401, "Unauthorized");
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, principal, compress !== null));
  }

  private onConnection(ws: WebSocket, principal: Principal, compress: boolean): void {
    const c: Client = { ws, principal, compress };
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
        this.sendRaw(c, this.frame({ type: "error", error: 'unknown message: send {"type":"resync"}' }));
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
