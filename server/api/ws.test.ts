// The live hub with many clients: one serialisation per change, the same bytes
// to everyone, a cached snapshot body per version, and the quorum votes in the
// published state. Real server (no Next) over the real demo controller.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ClusterState } from "../scheduler/types";
import type { LiveDocument, WsServerMessage } from "./contract";
import { applyPatch } from "./jsonpatch";
import type { RunningServer } from "./server";
import { login, startDemoServer, until, type DemoServer } from "./test-demo-server";
import { liveDocument } from "./ws";
import { parseServerMessage } from "../../components/live-messages";
import { initialView, receive } from "../../components/live-core";

let demo: DemoServer;
let srv: RunningServer;
let base: string;
let session: { cookie: string; csrf: string };

interface Recorder {
  ws: WebSocket;
  /** raw text of every frame, in order */
  frames: string[];
}

function connect(): Promise<Recorder> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers: { cookie: session.cookie, origin: base } });
    const r: Recorder = { ws, frames: [] };
    ws.on("message", (d, isBinary) => {
      expect(isBinary).toBe(false); // text frames, as browsers expect for JSON
      r.frames.push(String(d));
      if (r.frames.length === 1) resolve(r);
    });
    ws.once("error", reject);
  });
}

const parse = (f: string) => JSON.parse(f) as WsServerMessage;

async function change(body: unknown): Promise<number> {
  const res = await fetch(`${base}/api/changes`, {
    method: "POST",
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, origin: base, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { version: number }).version;
}

beforeAll(async () => {
  demo = await startDemoServer("vigil-ws-");
  srv = demo.srv;
  base = srv.url;
  session = await login(base, "hacluster", srv.initialPassword!);
}, 60_000);

afterAll(async () => {
  await demo?.stop();
}, 60_000);

describe("live hub with many clients", () => {
  it("serialises each change once and sends every client the same bytes, which rebuild the server's document", async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, connect));
    await srv.service.settled(20_000);
    const before = { ...srv.hub.stats };
    const mark = clients.map((c) => c.frames.length);
    const version = await change({ op: "property-set", name: "cluster-recheck-interval", value: "7min" });
    const patchesOf = (c: Recorder, i: number) => c.frames.slice(mark[i]).filter((f) => parse(f).type === "patch");
    await until("every client has the patch", () => clients.every((c, i) => patchesOf(c, i).some((f) => (parse(f) as { to: number }).to >= version)), 10_000);
    await srv.service.settled(20_000);
    await new Promise((r) => setTimeout(r, 100));
    const first = patchesOf(clients[0], 0);
    for (const [i, c] of clients.entries()) expect(patchesOf(c, i)).toEqual(first); // byte for byte
    const serialised = srv.hub.stats.patchesSerialised - before.patchesSerialised;
    expect(serialised).toBe(first.length); // once per change, not once per client
    expect(srv.hub.stats.framesSent - before.framesSent).toBeGreaterThanOrEqual(serialised * clients.length);
    // snapshot + patches = what the server holds now
    for (const c of clients) {
      const snap = parse(c.frames[0]);
      if (snap.type !== "snapshot") throw new Error("first frame is not a snapshot");
      let doc: LiveDocument = { state: snap.state, cib: snap.cib };
      let v = snap.version;
      for (const f of c.frames.slice(1).map(parse)) {
        if (f.type !== "patch") continue;
        expect(f.from).toBe(v);
        doc = applyPatch(doc, f.ops);
        v = f.to;
      }
      expect(v).toBe(srv.service.snapshot().version);
      expect(doc).toEqual(JSON.parse(JSON.stringify(liveDocument(srv.service.snapshot()))));
    }
    for (const c of clients) c.ws.close();
  }, 60_000);

  it("serialises the snapshot document once per version for any number of connecting clients", async () => {
    await srv.service.settled(20_000);
    const before = srv.hub.stats.snapshotBodies;
    const clients = await Promise.all(Array.from({ length: 8 }, connect));
    const snaps = clients.map((c) => parse(c.frames[0]));
    const versions = new Set(snaps.map((s) => (s.type === "snapshot" ? s.version : -1)));
    expect(srv.hub.stats.snapshotBodies - before).toBe(versions.size);
    for (const s of snaps) {
      expect(s).toMatchObject({ type: "snapshot", user: "hacluster", role: "admin" });
      if (s.type === "snapshot" && s.version === srv.service.snapshot().version)
        expect({ state: s.state, cib: s.cib }).toEqual(JSON.parse(JSON.stringify(liveDocument(srv.service.snapshot()))));
    }
    // a resync answers with the same cached body
    const c = clients[0];
    const n = c.frames.length;
    c.ws.send(JSON.stringify({ type: "resync" }));
    await until("resync snapshot", () => c.frames.slice(n).some((f) => parse(f).type === "snapshot"), 5000);
    for (const x of clients) x.ws.close();
  }, 30_000);

  it("publishes quorum with votes in the state (3 demo nodes online: 3 of 3 votes, quorum 2)", async () => {
    const c = await connect();
    const snap = parse(c.frames[0]);
    if (snap.type !== "snapshot") throw new Error("first frame is not a snapshot");
    expect(snap.state.haveQuorum).toBe(true);
    expect((snap.state as ClusterState).quorum).toEqual({ quorate: true, votes: 3, expectedVotes: 3, quorum: 2, flags: ["Quorate"] });
    c.ws.close();
  });

  it("the console's message check accepts the real snapshot and patches, keeps the votes, and names a broken element", async () => {
    const c = await connect();
    const n = c.frames.length;
    await change({ op: "node-standby", nodes: ["node2"], on: true });
    await until("standby patch", () => c.frames.slice(n).some((f) => f.includes("standby")), 10_000);
    let view = initialView;
    for (const f of c.frames) {
      const parsed = parseServerMessage(JSON.parse(f));
      expect(parsed.ok, parsed.ok ? "" : parsed.problem).toBe(true);
      if (!parsed.ok) return;
      const step = receive(view, parsed.msg);
      expect(step.resync).toBe(false);
      view = step.view;
    }
    expect(view.doc?.state.nodes.find((x) => x.uname === "node2")?.standby).toBe(true);
    expect((view.doc?.state as ClusterState).quorum?.votes).toBe(3);
    await change({ op: "node-standby", nodes: ["node2"], on: false });
    const snap = JSON.parse(c.frames[0]);
    snap.state.resources[0] = { kind: "primitive" };
    expect(parseServerMessage(snap)).toEqual({ ok: false, problem: expect.stringContaining("state.resources") });
    const cons = JSON.parse(c.frames[0]);
    cons.cib.configuration.constraints = [{ id: 1 }];
    expect(parseServerMessage(cons)).toEqual({ ok: false, problem: expect.stringContaining("cib.configuration.constraints") });
    c.ws.close();
  }, 30_000);
});
