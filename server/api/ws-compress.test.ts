// Compressed large frames on /ws (?compress=deflate-raw): a big cluster's
// snapshot goes as one binary frame of raw DEFLATE, compressed once for any
// number of clients of the same user; small messages stay JSON text; clients
// that did not ask get text; an unknown value is refused with a clear error.
// Real server (no Next) over a generated 20 x 400 cluster (bench-big-cluster's StaticCluster).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { bigCib, StaticCluster } from "../../e2e/console/bench-big-cluster";
import { frameText } from "../../components/ws-frames";
import { freePort } from "../executor/test-helpers";
import { WS_COMPRESS_FROM, type WsServerMessage } from "./contract";
import { startServer, type RunningServer } from "./server";
import { login } from "./test-demo-server";
import { liveDocument } from "./ws";

let srv: RunningServer;
let dir: string;
let cookie: string;
let csrf: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "vigil-wsz-"));
  srv = await startServer({ stateDir: dir, port: await freePort(), next: false, service: new StaticCluster(bigCib(20, 400)) });
  ({ cookie, csrf } = await login(srv.url, "hacluster", srv.initialPassword!));
}, 60_000);

afterAll(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Frame {
  binary: boolean;
  bytes: number;
  text: string;
}

/** Opens /ws with `query` and records every frame (binary ones inflated as the console does). */
function open(query: string): Promise<{ ws: WebSocket; frames: Frame[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${srv.url.replace("http", "ws")}/ws${query}`, { headers: { cookie, origin: srv.url } });
    const frames: Frame[] = [];
    let chain = Promise.resolve();
    ws.on("message", (d: Buffer, binary) => {
      chain = chain.then(async () => {
        frames.push({ binary, bytes: d.length, text: binary ? await frameText(new Uint8Array(d).buffer) : String(d) });
        if (frames.length === 1) resolve({ ws, frames });
      });
    });
    ws.once("error", reject);
  });
}

describe("compressed frames for clients that ask", () => {
  it("sends a big snapshot as one DEFLATE frame, the same document as the text one, compressed once for many clients", async () => {
    const plain = await open("");
    const before = srv.hub.stats.compressed;
    const zipped = await Promise.all(Array.from({ length: 5 }, () => open("?compress=deflate-raw")));
    expect(plain.frames[0].binary).toBe(false);
    expect(plain.frames[0].bytes).toBeGreaterThan(WS_COMPRESS_FROM);
    for (const z of zipped) {
      expect(z.frames[0].binary).toBe(true);
      expect(z.frames[0].bytes * 5).toBeLessThan(plain.frames[0].bytes); // well compressed, not just wrapped
      expect(z.frames[0].text).toBe(plain.frames[0].text);
    }
    expect(srv.hub.stats.compressed - before).toBe(1);
    const snap = JSON.parse(zipped[0].frames[0].text) as WsServerMessage;
    if (snap.type !== "snapshot") throw new Error("first frame is not a snapshot");
    expect({ state: snap.state, cib: snap.cib }).toEqual(JSON.parse(JSON.stringify(liveDocument(srv.service.snapshot()))));
    for (const c of [plain, ...zipped]) c.ws.close();
  });

  it("keeps small messages (a standby patch) as JSON text, and a resync gets the compressed snapshot again", async () => {
    const z = await open("?compress=deflate-raw");
    const res = await fetch(`${srv.url}/api/changes`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, origin: srv.url, "content-type": "application/json" },
      body: JSON.stringify({ op: "node-standby", nodes: ["node1"], on: true }),
    });
    expect(res.status).toBe(200);
    const patchArrived = () => z.frames.some((f) => (JSON.parse(f.text) as WsServerMessage).type === "patch");
    for (let i = 0; i < 100 && !patchArrived(); i++) await new Promise((r) => setTimeout(r, 50));
    const patch = z.frames.find((f) => (JSON.parse(f.text) as WsServerMessage).type === "patch")!;
    expect(patch.binary).toBe(false);
    expect(patch.bytes).toBeLessThan(WS_COMPRESS_FROM);
    const n = z.frames.length;
    z.ws.send(JSON.stringify({ type: "resync" }));
    for (let i = 0; i < 100 && z.frames.length === n; i++) await new Promise((r) => setTimeout(r, 50));
    expect(z.frames[n].binary).toBe(true);
    expect(JSON.parse(z.frames[n].text)).toMatchObject({ type: "snapshot", version: srv.service.snapshot().version });
    z.ws.close();
  });

  it("refuses an unknown compression with 400 naming the supported one", async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve) => {
      const ws = new WebSocket(`${srv.url.replace("http", "ws")}/ws?compress=gzip`, { headers: { cookie, origin: srv.url } });
      ws.on("unexpected-response", (_req, r) => {
        let body = "";
        r.on("data", (d: Buffer) => (body += d));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
      });
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain("compress=gzip is not supported (only deflate-raw)");
  });
});
