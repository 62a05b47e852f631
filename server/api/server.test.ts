// Integration: the real server (startServer, without Next) with the real demo
// controller on a free port and a temp state dir; the real CLI as a child
// process; HTTP and WebSocket like a browser would use them.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ClusterState, ResourceView } from "../scheduler/types";
import { StatusResponseSchema, WsServerMessageSchema, type LiveDocument, type WsServerMessage } from "./contract";
import { applyPatch } from "./jsonpatch";
import { REPO_ROOT, startServer, type RunningServer } from "./server";
import { freePort } from "../executor/test-helpers";
import { login as loginAt, startDemoServer, until, type DemoServer } from "./test-demo-server";

let demo: DemoServer;
let srv: RunningServer;
let dir: string;
let base: string;
let password: string;

function vigil(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, "bin/vigil.mjs"), ...args],
      { env: { ...process.env, VIGIL_STATE_DIR: dir, VIGIL_PORT: String(srv.port), NO_COLOR: "1", ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function primitives(list: ResourceView[]): ResourceView[] {
  return list.flatMap((r) => (r.kind === "primitive" ? [r] : primitives(r.children)));
}
const state = (): ClusterState => srv.service.snapshot().state;
const onNode = (node: string) => primitives(state().resources).filter((r) => r.active.some((a) => a.node === node)).map((r) => r.id);
const epoch = () => srv.service.snapshot().cib.attrs["epoch"];

const login = (user: string, pw: string) => loginAt(base, user, pw);

beforeAll(async () => {
  demo = await startDemoServer("vigil-api-");
  ({ srv, dir } = demo);
  base = srv.url;
  password = srv.initialPassword!;
  await until("every demo resource started", () => primitives(state().resources).every((r) => r.active.length === 1), 30_000);
}, 60_000);

afterAll(async () => {
  await demo?.stop();
}, 60_000);

describe("first start and login", () => {
  it("creates hacluster with a generated password, files only the owner can read", async () => {
    expect(password).toMatch(/^\S{16,}$/);
    for (const f of ["users.json", "initial-admin-password", "cli-token"]) expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, "initial-admin-password"), "utf8").trim()).toBe(password);
    const ok = await login("hacluster", password);
    expect(ok.status).toBe(200);
    const session = ok.cookies.find((c) => c.startsWith("vigil_session="))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const s = await fetch(`${base}/api/session`, { headers: { cookie: ok.cookie } });
    expect(await s.json()).toMatchObject({ user: "hacluster", role: "admin", csrfToken: ok.csrf });
  });

  it("wrong password is 401; repeated failures are rate limited (429)", async () => {
    const admin = await login("hacluster", password);
    const add = await fetch(`${base}/api/users`, {
      method: "POST",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ name: "ops", password: "ops-password", role: "operator" }),
    });
    expect(add.status).toBe(200);
    const wrong = await login("ops", "not-it");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("wrong user name or password");
    for (let i = 0; i < 4; i++) expect((await login("ops", "not-it")).status).toBe(401);
    const limited = await login("ops", "ops-password");
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/too many failed logins/);
  });

  it("GET /api/status satisfies the contract", async () => {
    const s = await login("hacluster", password);
    const r = await fetch(`${base}/api/status`, { headers: { cookie: s.cookie } });
    const parsed = StatusResponseSchema.safeParse(await r.json());
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    expect(parsed.data?.summary).toMatchObject({ stack: "vigil", dcVersion: expect.stringMatching(/^vigil-\d/) });
    expect(parsed.data?.clusterName).toBe("vigil-demo");
  });

  it("every API call needs a session or token", async () => {
    const r = await fetch(`${base}/api/status`);
    expect(r.status).toBe(401);
    expect((await r.json()).error).toMatch(/authentication required/);
  });
});

describe("CSRF and roles", () => {
  it("a POST with a foreign Origin or without the CSRF header is 403 and changes nothing", async () => {
    const s = await login("hacluster", password);
    const before = epoch();
    const foreign = await fetch(`${base}/api/nodes/node3/standby`, { method: "POST", headers: { cookie: s.cookie, "x-csrf-token": s.csrf, origin: "http://evil.example" } });
    expect(foreign.status).toBe(403);
    const noToken = await fetch(`${base}/api/nodes/node3/standby`, { method: "POST", headers: { cookie: s.cookie, origin: base } });
    expect(noToken.status).toBe(403);
    expect(epoch()).toBe(before);
    expect(state().nodes.find((n) => n.uname === "node3")!.standby).toBe(false);
  });

  it("a read-only user can read but gets 403 for any change", async () => {
    await srv.auth.addUser("noc", "noc-password", "read-only");
    const s = await login("noc", "noc-password");
    expect((await fetch(`${base}/api/status`, { headers: { cookie: s.cookie } })).status).toBe(200);
    const before = epoch();
    for (const [method, p, body] of [
      ["POST", "/api/nodes/node1/standby", undefined],
      ["POST", "/api/changes", { op: "property-set", name: "maintenance-mode", value: "true" }],
      ["DELETE", "/api/resources/dummy1", undefined],
    ] as const) {
      const r = await fetch(`${base}${p}`, {
        method,
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf, origin: base, "content-type": "application/json" },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(r.status, `${method} ${p}`).toBe(403);
      expect((await r.json()).error).toMatch(/permission denied/);
    }
    expect(epoch()).toBe(before);
  });
});

describe("HTTPS and tokens", () => {
  it("off loopback (or forced) it serves HTTPS with a generated certificate, and cookies are Secure", async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), "vigil-https-"));
    const s2 = await startServer({ stateDir: dir2, port: 0, next: false, https: true, service: srv.service });
    try {
      expect(s2.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(path.join(dir2, "cert.pem"), "utf8");
      expect(statSync(path.join(dir2, "key.pem")).mode & 0o777).toBe(0o600);
      const answer = await new Promise<{ status: number; cookies: string[] }>((resolve, reject) => {
        const body = JSON.stringify({ user: "hacluster", password: s2.initialPassword });
        const req = https.request(`${s2.url}/api/login`, { method: "POST", ca, headers: { "content-type": "application/json", origin: s2.url } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, cookies: ([] as string[]).concat(res.headers["set-cookie"] ?? []) }));
        });
        req.on("error", reject);
        req.end(body);
      });
      expect(answer.status).toBe(200);
      for (const c of answer.cookies) expect(c).toMatch(/; Secure/);
      // the CLI trusts exactly that certificate
      const r = await vigil(["property"], { VIGIL_STATE_DIR: dir2, VIGIL_URL: s2.url });
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("Cluster Properties:");
    } finally {
      await s2.close();
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000);

  it("a token in the URL (NOC link) can only read, even an admin token", async () => {
    const admin = await login("hacluster", password);
    const t = await fetch(`${base}/api/tokens`, {
      method: "POST",
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ name: "wall", role: "admin" }),
    });
    const { token } = (await t.json()) as { token: string };
    expect((await fetch(`${base}/api/status?token=${token}`)).status).toBe(200);
    const change = await fetch(`${base}/api/nodes/node1/standby?token=${token}`, { method: "POST" });
    expect(change.status).toBe(403);
    const msgs: WsServerMessage[] = [];
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws?token=${token}`);
    ws.on("message", (d) => msgs.push(JSON.parse(String(d))));
    await until("snapshot over the token link", () => msgs.length > 0, 5000);
    expect(msgs[0]).toMatchObject({ type: "snapshot", role: "read-only" });
    ws.close();
  });
});

describe("WebSocket", () => {
  it("sends a snapshot, then patches that keep the client's document equal to the server's", async () => {
    const s = await login("hacluster", password);
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers: { cookie: s.cookie, origin: base } });
    const msgs: WsServerMessage[] = [];
    ws.on("message", (d) => msgs.push(JSON.parse(String(d))));
    await until("snapshot", () => msgs.length > 0, 5000);
    const snap = msgs[0];
    expect(snap.type).toBe("snapshot");
    // the real messages satisfy the contract the console validates with
    const parsed = WsServerMessageSchema.safeParse(snap);
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    if (snap.type !== "snapshot") return;
    let doc: LiveDocument = { state: snap.state, cib: snap.cib };
    let version = snap.version;
    const r = await fetch(`${base}/api/changes`, {
      method: "POST",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrf, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ op: "property-set", name: "cluster-recheck-interval", value: "10min" }),
    });
    const changed = (await r.json()) as { version: number };
    expect(r.status).toBe(200);
    await until("patch with the change", () => msgs.some((m) => m.type === "patch" && m.to >= changed.version), 5000);
    for (const m of msgs) {
      expect(WsServerMessageSchema.safeParse(m).success).toBe(true);
      if (m.type !== "patch") continue;
      expect(m.from).toBe(version); // no gap
      doc = applyPatch(doc, m.ops);
      version = m.to;
    }
    expect(doc.cib.configuration.crmConfig[0].nvpairs.find((p) => p.name === "cluster-recheck-interval")?.value).toBe("10min");
    // resync gives a snapshot equal to what the patches built
    const n = msgs.length;
    ws.send(JSON.stringify({ type: "resync" }));
    await until("resync snapshot", () => msgs.slice(n).some((m) => m.type === "snapshot"), 5000);
    const again = msgs.slice(n).find((m) => m.type === "snapshot")!;
    if (again.type === "snapshot" && again.version === version) expect({ state: again.state, cib: again.cib }).toEqual(JSON.parse(JSON.stringify(doc)));
    ws.close();
  });

  it("refuses upgrades without a session (401) and from a foreign Origin (403)", async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => resolve(101));
        ws.on("error", () => {});
      });
    const s = await login("hacluster", password);
    expect(await status({})).toBe(401);
    expect(await status({ cookie: s.cookie, origin: "http://evil.example" })).toBe(403);
  });
});

describe("REST changes with a bearer token", () => {
  const token = () => readFileSync(path.join(dir, "cli-token"), "utf8").trim();
  const call = (method: string, p: string, body?: unknown, type = "application/json") =>
    fetch(`${base}${p}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, "content-type": type },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });

  it("preview shows what a standby would do and applies nothing", async () => {
    await until("settled", () => primitives(state().resources).every((r) => r.active.length === 1), 10_000);
    const busy = state().nodes.map((n) => n.uname).find((n) => onNode(n).length > 0)!;
    const before = epoch();
    const r = await call("POST", "/api/preview", { op: "node-standby", nodes: [busy], on: true });
    expect(r.status).toBe(200);
    const p = (await r.json()) as { summary: string[]; actions: { task: string; node?: string }[] };
    expect(p.summary.join("\n")).toMatch(/Move|Stop/);
    expect(p.actions.some((a) => a.task === "stop" && a.node === busy)).toBe(true);
    expect(epoch()).toBe(before);
    expect(state().nodes.find((n) => n.uname === busy)!.standby).toBe(false);
  });

  it("PUT /api/cib replaces the configuration; an older or malformed one is refused", async () => {
    const xml = await (await call("GET", "/api/cib")).text();
    expect(xml).toMatch(/^<cib /);
    const e0 = Number(epoch());
    const ok = await call("PUT", "/api/cib", xml.replace('name="cluster-name" value="vigil-demo"', 'name="cluster-name" value="renamed"'), "application/xml");
    expect(ok.status).toBe(200);
    expect(Number(epoch())).toBe(e0 + 1);
    const older = await call("PUT", "/api/cib", xml, "application/xml");
    expect(older.status).toBe(409);
    expect((await older.json()).error).toMatch(/older than existing one/);
    const bad = await call("PUT", "/api/cib", "<cib><configuration>", "application/xml");
    expect(bad.status).toBe(400);
    expect(Number(epoch())).toBe(e0 + 1);
  });

  it("restart stops and starts a resource and leaves its configuration as it was", async () => {
    const cfg = () => JSON.stringify(srv.service.snapshot().cib.configuration.resources);
    const before = cfg();
    const startsBefore = srv.service.events().filter((e) => e.kind === "action-result" && e.rsc === "dummy2").length;
    const r = await call("POST", "/api/resources/dummy2/restart", {});
    expect(r.status).toBe(200);
    expect((await r.json()).message).toBe("dummy2 successfully restarted");
    await until("dummy2 running again", () => primitives(state().resources).find((x) => x.id === "dummy2")!.active.length === 1, 15_000);
    expect(cfg()).toBe(before);
    expect(srv.service.events().filter((e) => e.kind === "action-result" && e.rsc === "dummy2").length).toBeGreaterThan(startsBefore);
  });

  it("GET /api/transitions?limit=N answers the newest N transitions", async () => {
    const all = (await (await call("GET", "/api/transitions")).json()).transitions as { id: number }[];
    expect(all.length).toBeGreaterThan(1);
    const two = (await (await call("GET", "/api/transitions?limit=2")).json()).transitions as { id: number }[];
    expect(two.map((t) => t.id)).toEqual(all.slice(-2).map((t) => t.id));
  });

  it("scores explain the placement of a resource", async () => {
    const r = await call("GET", "/api/scores?rsc=dummy1");
    expect(r.status).toBe(200);
    const body = (await r.json()) as { scores: { rsc: string; node: string; score: number }[] };
    expect(body.scores.length).toBeGreaterThan(0);
    expect(body.scores.every((x) => x.rsc === "dummy1")).toBe(true);
    const where = primitives(state().resources).find((x) => x.id === "dummy1")!.active[0].node;
    const best = Math.max(...body.scores.map((x) => x.score));
    expect(body.scores.some((x) => x.node === where && x.score === best)).toBe(true);
  });

  it("errors name the field and use the right status", async () => {
    const dup = await call("POST", "/api/resources", { id: "dummy1", agent: "ocf:vigil:Dummy" });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: "'dummy1' already exists", field: "id" });
    const missing = await call("DELETE", "/api/resources/ghost");
    expect(missing.status).toBe(404);
    const badOp = await call("POST", "/api/changes", { op: "teleport" });
    expect(badOp.status).toBe(400);
    expect((await badOp.json()).field).toBe("op");
    const badVal = await call("PUT", "/api/properties/stonith-enabled", { value: "perhaps" });
    expect(await badVal.json()).toMatchObject({ field: "stonith-enabled" });
  });
});

describe("the CLI against the running controller", () => {
  it("vigil node standby node1: within 5 s nothing runs on node1; unstandby brings it back", async () => {
    expect(onNode("node1").length).toBeGreaterThan(0);
    const r = await vigil(["node", "standby", "node1"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    await until("node1 empty", () => onNode("node1").length === 0 && primitives(state().resources).every((x) => x.active.length === 1), 5000);
    const st = await vigil(["status"]);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/^Cluster name: \S+\nCluster Summary:\n/);
    expect(st.stdout).toMatch(/\* Node node1: standby/);
    expect(st.stdout).not.toMatch(/Started node1\b/);
    const u = await vigil(["node", "unstandby", "node1"]);
    expect(u.code).toBe(0);
    await until("node1 online, not standby", () => !state().nodes.find((n) => n.uname === "node1")!.standby, 5000);
    expect((await vigil(["status"])).stdout).toContain("* Online: [ node1 node2 node3 ]");
  }, 60_000);

  it("a killed demo web server is a failed action in vigil status, is recovered, and vigil resource cleanup clears it", async () => {
    const web = () => primitives(state().resources).find((r) => r.id === "web-server")!;
    // after the unstandby above, web may still be moving back to node1 (its pid file then
    // gone from the node it is leaving): wait for the controller to have nothing left to do
    await srv.service.settled(20_000);
    await until("web-server running", () => web().active.length === 1, 10_000);
    const node = web().active[0].node;
    const pidFile = path.join(dir, "hosts", node, "run/resource-agents/WebServer-web-server.pid");
    expect(existsSync(pidFile), pidFile).toBe(true);
    process.kill(Number(readFileSync(pidFile, "utf8").trim()), "SIGKILL");
    await until("monitor failure recorded", () => state().failedActions.some((f) => f.rsc === "web-server"), 20_000);
    const failed = await vigil(["status"]);
    expect(failed.stdout).toContain("Failed Resource Actions:");
    expect(failed.stdout).toMatch(/web-server.*monitor.*'not running'/);
    await until("web-server recovered", () => web().active.length === 1 && !web().failed, 20_000);
    const c = await vigil(["resource", "cleanup", "web-server"]);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/Cleaned up web-server/);
    await until("failure gone", () => !state().failedActions.some((f) => f.rsc === "web-server"), 10_000);
    expect((await vigil(["status"])).stdout).not.toContain("Failed Resource Actions:");
  }, 90_000);

  it("creates and deletes a resource with pcs ids", async () => {
    const r = await vigil(["resource", "create", "extra", "ocf:vigil:Dummy", "op", "monitor", "interval=15s", "--group", "g-extra"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const cfg = await vigil(["resource", "config", "extra"]);
    expect(cfg.stdout).toContain("extra-monitor-interval-15s");
    await until("extra started", () => primitives(state().resources).some((x) => x.id === "extra" && x.active.length === 1), 10_000);
    expect((await vigil(["resource", "delete", "extra"])).code).toBe(0);
    await until("extra gone", () => !primitives(state().resources).some((x) => x.id === "extra" && !x.orphan), 10_000);
  }, 60_000);

  it("bad input: one clear line on stderr, non-zero exit, CIB epoch unchanged", async () => {
    const malformed = path.join(dir, "malformed.xml");
    writeFileSync(malformed, "<cib><configuration><resources></configuration></cib>");
    const cases: [string[], RegExp][] = [
      [["node", "standby", "node9"], /Node 'node9' does not appear to exist/],
      [["node", "standby", "--bogus"], /unknown option '--bogus'/],
      [["resource", "create", "dummy1", "ocf:vigil:Dummy"], /'dummy1' already exists/],
      [["resource", "create", "x1", "ocf:vigil:NoSuchAgent"], /is not installed/],
      [["constraint", "colocation", "add", "ghost", "with", "web"], /Resource 'ghost' does not exist/],
      [["property", "set", "no-quorum-policy=sometimes"], /not a valid no-quorum-policy value/],
      [["cluster", "cib-push", malformed], /line/],
    ];
    for (const [args, msg] of cases) {
      const before = epoch();
      const r = await vigil(args);
      expect(r.code, args.join(" ")).not.toBe(0);
      const lines = r.stderr.trim().split("\n");
      expect(lines, args.join(" ")).toHaveLength(1);
      expect(lines[0]).toMatch(/^Error: /);
      expect(lines[0]).toMatch(msg);
      expect(r.stdout).toBe("");
      expect(epoch(), args.join(" ")).toBe(before);
    }
  }, 90_000);

  it("an unreachable controller is one clear error", async () => {
    const port = await freePort();
    const r = await vigil(["status"], { VIGIL_PORT: String(port) });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(`Error: unable to connect to the Vigil controller at http://127.0.0.1:${port} (is \`npm start\` running?)`);
  });

  it("the audit log records who changed what from where", () => {
    const lines = readFileSync(path.join(dir, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.some((l) => l.action === "node-standby" && l.user === "root" && l.ok && l.from)).toBe(true);
    expect(lines.some((l) => l.action === "resource-create" && !l.ok && /already exists/.test(l.error))).toBe(true);
    expect(readdirSync(dir)).toContain("audit.jsonl");
  });
});
