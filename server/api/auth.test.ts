import { mkdtempSync, readFileSync, statSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, Auth, checkCsrf, INITIAL_ADMIN, requireRole } from "./auth";

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), "vigil-auth-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (f: string) => statSync(f).mode & 0o777;
function req(headers: Record<string, string>): IncomingMessage {
  return { headers, socket: { remoteAddress: "127.0.0.1" } } as unknown as IncomingMessage;
}
async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as ApiError).status;
  }
}

describe("auth", () => {
  it("first start creates hacluster with an argon2id hash; files are 0600; second start keeps them", async () => {
    const dir = tmp();
    const a = await Auth.open(dir);
    expect(a.initialPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(readFileSync(path.join(dir, "initial-admin-password"), "utf8").trim()).toBe(a.initialPassword);
    const users = JSON.parse(readFileSync(path.join(dir, "users.json"), "utf8")).users;
    expect(users[0]).toMatchObject({ name: INITIAL_ADMIN, role: "admin" });
    expect(users[0].hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(users)).not.toContain(a.initialPassword);
    for (const f of ["users.json", "initial-admin-password", "cli-token"]) expect(mode(path.join(dir, f))).toBe(0o600);
    const b = await Auth.open(dir);
    expect(b.initialPassword).toBeUndefined();
    expect((await b.login(INITIAL_ADMIN, a.initialPassword!, "1.2.3.4")).role).toBe("admin");
  });

  it("wrong password is 401, and after 5 failures per IP+user the 6th try is 429 even with the right password", async () => {
    let now = 1_000_000;
    const a = await Auth.open(tmp(), { now: () => now });
    const pw = a.initialPassword!;
    for (let i = 0; i < 5; i++) expect(await status(a.login(INITIAL_ADMIN, "nope", "10.0.0.1"))).toBe(401);
    expect(await status(a.login(INITIAL_ADMIN, pw, "10.0.0.1"))).toBe(429);
    // another address is not locked out
    expect(await status(a.login(INITIAL_ADMIN, pw, "10.0.0.2"))).toBe(200);
    now += 61_000;
    expect(await status(a.login(INITIAL_ADMIN, pw, "10.0.0.1"))).toBe(200);
  });

  it("many user names from one address hit a per-address limit", async () => {
    const a = await Auth.open(tmp(), { maxFailures: 2 });
    for (let i = 0; i < 12; i++) expect(await status(a.login(`u${i}`, "x", "10.9.9.9"))).toBe(401);
    expect(await status(a.login(INITIAL_ADMIN, a.initialPassword!, "10.9.9.9"))).toBe(429);
    expect(await status(a.login(INITIAL_ADMIN, a.initialPassword!, "10.9.9.8"))).toBe(200);
  });

  it("sessions expire after the idle timeout", async () => {
    let now = 5_000_000;
    const a = await Auth.open(tmp(), { now: () => now, idleTimeoutS: 60 });
    const s = await a.login(INITIAL_ADMIN, a.initialPassword!, "x");
    now += 59_000;
    expect(a.principalForSession(s.id)?.user).toBe(INITIAL_ADMIN);
    now += 59_000; // touched above: still alive
    expect(a.principalForSession(s.id)).not.toBeNull();
    now += 61_000;
    expect(a.principalForSession(s.id)).toBeNull();
  });

  it("roles: read-only cannot operate, operator cannot configure", async () => {
    const a = await Auth.open(tmp());
    await a.addUser("noc", "password1", "read-only");
    const s = await a.login("noc", "password1", "x");
    const p = a.principalForSession(s.id)!;
    expect(() => requireRole(p, "operator")).toThrow(/permission denied/);
    expect(() => requireRole({ ...p, role: "operator" }, "admin")).toThrow(ApiError);
    expect(() => requireRole({ ...p, role: "operator" }, "operator")).not.toThrow();
  });

  it("CSRF: cookie sessions need same Origin and the token header; bearer tokens need neither", async () => {
    const a = await Auth.open(tmp());
    const s = await a.login(INITIAL_ADMIN, a.initialPassword!, "x");
    const p = a.principalForSession(s.id)!;
    const host = "127.0.0.1:2224";
    expect(() => checkCsrf(req({ host, origin: "http://evil.example", "x-csrf-token": s.csrfToken }), p, false)).toThrow(/cross-site/);
    expect(() => checkCsrf(req({ host, origin: `http://${host}` }), p, false)).toThrow(/x-csrf-token/);
    expect(() => checkCsrf(req({ host, origin: `http://${host}`, "x-csrf-token": "wrong" }), p, false)).toThrow(ApiError);
    expect(() => checkCsrf(req({ host, origin: `http://${host}`, "x-csrf-token": s.csrfToken }), p, false)).not.toThrow();
    const cliToken = readFileSync(a.cliTokenFile, "utf8").trim();
    const bearer = a.authenticate(req({ authorization: `Bearer ${cliToken}` }))!;
    expect(bearer.role).toBe("admin");
    expect(() => checkCsrf(req({ host }), bearer, false)).not.toThrow();
    expect(a.authenticate(req({ authorization: "Bearer guess" }))).toBeNull();
  });

  it("named tokens: only their hash is stored; a token in the URL can only read", async () => {
    const dir = tmp();
    const a = await Auth.open(dir);
    const t = a.createToken("wall", "operator");
    expect(readFileSync(path.join(dir, "tokens.json"), "utf8")).not.toContain(t);
    expect(a.authenticate(req({ authorization: `Bearer ${t}` }))?.role).toBe("operator");
    expect(a.authenticate(req({}), new URL(`http://x/ws?token=${t}`))?.role).toBe("read-only");
    a.deleteToken("wall");
    expect(a.authenticate(req({ authorization: `Bearer ${t}` }))).toBeNull();
  });
});
