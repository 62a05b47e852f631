// REST under /api/, served by the custom server before Next. Every route
// authenticates (session cookie or bearer token), checks the role, checks CSRF
// on changes, validates its body with the contract, and answers JSON; every
// error is {error: "one clear sentence", field?}. A change is one contract
// Change applied with pcs semantics through ClusterService.update(), which
// leaves the CIB untouched when it throws.

import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import { CibError } from "../cib/errors";
import { applyChange, describeChange, type AgentCatalog, type OpResult } from "../cib/ops";
import { CLUSTER_PROPERTIES } from "../cib/ops/property";
import type { Cib } from "../cib/types";
import type { Actor, ClusterService, Snapshot } from "../controller/types";
import { clusterSummaryInfo } from "../scheduler/format";
import { UnsupportedFeatureError } from "../scheduler/types";
import { ApiError, checkCsrf, checkOrigin, clientAddress, requireRole, type Auth, type Principal } from "./auth";
import {
  CHANGE_ROLE,
  CSRF_COOKIE,
  ChangeSchema,
  CibPushRequestSchema,
  CleanupRequestSchema,
  LoginRequestSchema,
  PasswordChangeRequestSchema,
  PropertySetRequestSchema,
  ResourceActionRequestSchema,
  SESSION_COOKIE,
  TokenCreateRequestSchema,
  UserCreateRequestSchema,
  type Change,
  type ChangeResponse,
  type PreviewResponse,
  type SessionResponse,
} from "./contract";

export interface ApiDeps {
  service: ClusterService;
  auth: Auth;
  agents?: AgentCatalog;
  parseXml: (xml: string) => Cib;
  exportXml: (cib: Cib) => string;
  /** served over HTTPS (Secure cookies, https origins) */
  secure: boolean;
  /** called after a logout so open WebSockets of that session close */
  onLogout?: (sessionId: string) => void;
  /** how long `resource restart` waits for the stop [60 s] */
  restartTimeoutMs?: number;
}

const MAX_BODY = 16 * 1024 * 1024;

/** "vigil-0.1.0", from package.json (shown as the DC version in vigil status) */
const VIGIL_VERSION = (() => {
  try {
    return `vigil-${JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version}`;
  } catch {
    return undefined;
  }
})();

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(data);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, `request body larger than ${MAX_BODY / 1024 / 1024} MiB`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "request body is not valid JSON");
  }
}

/** zod validation with the error naming the field (also the hosts API's bodies). */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".");
  let msg = issue.message;
  const op = value && typeof value === "object" && "op" in value ? String((value as { op: unknown }).op) : undefined;
  if (field === "op" || (field === "" && issue.code === "invalid_union" && op !== undefined)) {
    msg = `unknown change op '${op}' (see ChangeSchema in docs/api.md)`;
  } else if (/received undefined/.test(msg)) {
    msg = `${field || "value"} is required`;
  } else {
    const m = /expected (\w+), received (\w+)/.exec(msg);
    if (m) msg = `${field || "value"} must be a ${m[1]}, not a ${m[2]}`;
    else if (issue.code === "invalid_union" || msg.startsWith("Invalid input")) msg = `invalid value${field ? ` for ${field}` : ""}`;
  }
  throw new ApiError(400, field && !msg.includes(field) ? `${field}: ${msg}` : msg, field || undefined);
}

function cookie(name: string, value: string, opts: { httpOnly: boolean; secure: boolean; maxAge?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "SameSite=Strict"];
  if (opts.httpOnly) parts.push("HttpOnly");
  if (opts.secure) parts.push("Secure");
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join("; ");
}

/** Maps any thrown error to the API's error answer. */
export function errorResponse(e: unknown): { status: number; body: { error: string; field?: string; elementId?: string; line?: number }; headers?: Record<string, string> } {
  if (e instanceof ApiError) {
    const headers: Record<string, string> = {};
    if (e.extra.retryAfterS) headers["retry-after"] = String(e.extra.retryAfterS);
    return { status: e.status, body: { error: e.message, ...(e.field ? { field: e.field } : {}) }, headers };
  }
  if (e instanceof CibError) {
    const code = e.details.code ?? "";
    const status = /^unknown-(resource|node|constraint|op)$/.test(code)
      ? 404
      : /^(duplicate|old-cib)/.test(code)
        ? 409
        : code === "not-running"
          ? 503
          : 400;
    const body: { error: string; field?: string; elementId?: string; line?: number } = { error: e.message };
    if (e.details.field) body.field = e.details.field;
    if (e.details.elementId) body.elementId = e.details.elementId;
    if (e.details.line !== undefined) body.line = e.details.line;
    return { status, body };
  }
  if (e instanceof UnsupportedFeatureError) return { status: 400, body: { error: e.message, elementId: e.elementId } };
  console.error("vigil api: internal error:", e);
  return { status: 500, body: { error: `internal error: ${(e as Error)?.message ?? String(e)}` } };
}

type Handler = (ctx: RouteCtx) => Promise<void>;
interface RouteCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  principal: Principal;
  from: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** least role; changes are also CSRF-checked */
  role: "read-only" | "operator" | "admin";
  change: boolean;
  handler: Handler;
}

export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { service, auth } = deps;
  const routes: Route[] = [];
  const route = (method: string, path: string, role: Route["role"], handler: Handler, change = method !== "GET") => {
    const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`);
    routes.push({ method, pattern, role, change, handler });
  };

  const actorOf = (p: Principal, from: string): Actor => ({ user: p.user, role: p.role, from });

  function opsCtx(force: boolean) {
    const snap = service.snapshot();
    return { agents: deps.agents, state: snap.state, parseXml: deps.parseXml, now: Math.floor(Date.now() / 1000), force };
  }

  /** Applies one Change; audits it whatever the outcome. */
  async function applyOne(change: Change, p: Principal, from: string, force: boolean, roleChecked = false): Promise<ChangeResponse> {
    if (!roleChecked) requireRole(p, CHANGE_ROLE[change.op]);
    const description = describeChange(change);
    let result: OpResult | undefined;
    try {
      const snap = await service.update(
        (cib) => {
          result = applyChange(cib, change, opsCtx(force));
          return result.cib;
        },
        actorOf(p, from),
        description,
      );
      auth.audit({ user: p.user, role: p.role, from, action: change.op, description, ok: true });
      const r = result as OpResult | undefined;
      const message = [...(r?.warnings ?? []).map((w) => `Warning: ${w}`), r?.message ?? ""].filter(Boolean).join("\n");
      return { version: snap.version, epoch: snap.cib.attrs["epoch"], message };
    } catch (e) {
      const { body } = errorResponse(e);
      auth.audit({ user: p.user, role: p.role, from, action: change.op, description, ok: false, error: body.error });
      throw e;
    }
  }

  function preview(change: Change, force: boolean): PreviewResponse {
    let result: OpResult | undefined;
    const r = service.preview((cib) => {
      result = applyChange(cib, change, opsCtx(force));
      return result.cib;
    });
    void result;
    return {
      summary: r.summary,
      actions: r.transition.actions.map((a) => ({
        id: a.id,
        key: a.key,
        task: a.task,
        ...(a.rsc !== undefined ? { rsc: a.rsc } : {}),
        ...(a.node !== undefined ? { node: a.node } : {}),
        intervalMs: a.intervalMs,
        pseudo: a.pseudo,
      })),
      messages: r.messages,
      before: r.before,
    };
  }

  const force = (url: URL) => /^(1|true|yes)$/.test(url.searchParams.get("force") ?? "");
  const dec = decodeURIComponent;

  const change = async (c: RouteCtx, ch: unknown) => {
    const parsed = parse(ChangeSchema, ch);
    send(c.res, 200, await applyOne(parsed, c.principal, c.from, force(c.url)));
  };

  // --- session -------------------------------------------------------------

  route("GET", "/api/session", "read-only", async ({ res, principal }) => {
    const body: SessionResponse = {
      user: principal.user,
      role: principal.role,
      csrfToken: principal.csrfToken ?? "",
      idleTimeoutS: auth.idleTimeoutS,
    };
    send(res, 200, body);
  });

  route("POST", "/api/logout", "read-only", async ({ res, principal }) => {
    if (principal.sessionId) {
      auth.logout(principal.sessionId);
      deps.onLogout?.(principal.sessionId);
    }
    send(res, 200, { ok: true }, {
      "set-cookie": [
        cookie(SESSION_COOKIE, "", { httpOnly: true, secure: deps.secure, maxAge: 0 }),
        cookie(CSRF_COOKIE, "", { httpOnly: false, secure: deps.secure, maxAge: 0 }),
      ],
    });
  });

  // --- reads -----------------------------------------------------------------

  route("GET", "/api/status", "read-only", async ({ res }) => {
    const snap = service.snapshot();
    const clusterName = snap.cib.configuration.crmConfig.flatMap((s) => s.nvpairs).find((p) => p.name === "cluster-name")?.value;
    // the controller does not write cluster-infrastructure / dc-version: name Vigil itself there
    const info = clusterSummaryInfo(snap.cib);
    const summary = { ...info, stack: info.stack ?? "vigil", dcVersion: info.dcVersion ?? VIGIL_VERSION };
    send(res, 200, { version: snap.version, state: snap.state, summary, ...(clusterName ? { clusterName } : {}) });
  });

  route("GET", "/api/cib", "read-only", async ({ res, url }) => {
    const snap = service.snapshot();
    if (url.searchParams.get("format") === "json") {
      send(res, 200, { version: snap.version, cib: { attrs: snap.cib.attrs, configuration: snap.cib.configuration } });
      return;
    }
    res.writeHead(200, { "content-type": "application/xml; charset=utf-8", "cache-control": "no-store", "x-vigil-version": String(snap.version) });
    res.end(deps.exportXml(snap.cib));
  });

  route("GET", "/api/events", "read-only", async ({ res }) => send(res, 200, { events: service.events() }));
  route("GET", "/api/transitions", "read-only", async ({ res, url }) => {
    // ?limit=N: the newest N (the dashboard asks for 5 on every transition event)
    const limit = Number(url.searchParams.get("limit"));
    const all = service.transitions();
    send(res, 200, { transitions: Number.isInteger(limit) && limit > 0 ? all.slice(-limit) : all });
  });
  route("GET", "/api/audit", "admin", async ({ res, url }) =>
    send(res, 200, { entries: auth.readAudit(Number(url.searchParams.get("limit") ?? 1000) || 1000) }),
  );
  route("GET", "/api/scores", "read-only", async ({ res, url }) => {
    const r = service.preview((cib) => cib);
    const rsc = url.searchParams.get("rsc");
    const scores = rsc ? r.scores.filter((x) => x.rsc === rsc || x.rsc.startsWith(`${rsc}:`)) : r.scores;
    send(res, 200, { scores, summary: r.summary });
  });
  route("GET", "/api/agents", "read-only", async ({ res }) => send(res, 200, { agents: deps.agents?.list() ?? [] }));
  route("GET", "/api/agents/:name", "read-only", async ({ res, params }) => {
    const name = dec(params[0]);
    const info = deps.agents?.describe(name);
    if (!info) throw new ApiError(404, `Agent '${name}' is not installed`, "agent");
    send(res, 200, { agent: info });
  });

  // --- properties --------------------------------------------------------------

  const propertyList = (snap: Snapshot) =>
    snap.cib.configuration.crmConfig.flatMap((s) => s.nvpairs.map((p) => ({ id: p.id, name: p.name, ...(p.value !== undefined ? { value: p.value } : {}), set: s.id })));
  route("GET", "/api/properties", "read-only", async ({ res, url }) => {
    const list = propertyList(service.snapshot());
    if (url.searchParams.get("defaults") !== null) {
      send(res, 200, {
        properties: list,
        defaults: Object.entries(CLUSTER_PROPERTIES).map(([name, d]) => ({ name, default: d.default, description: d.description, readOnly: !!d.readOnly })),
      });
      return;
    }
    send(res, 200, { properties: list });
  });
  route("GET", "/api/properties/:name", "read-only", async ({ res, params }) => {
    const name = dec(params[0]);
    const p = propertyList(service.snapshot()).find((x) => x.name === name);
    if (!p) throw new ApiError(404, `cluster property '${name}' is not set`, "name");
    send(res, 200, { property: p });
  });
  route("PUT", "/api/properties/:name", "admin", async (c) => {
    const body = parse(PropertySetRequestSchema, await readJson(c.req));
    await change(c, { op: "property-set", name: dec(c.params[0]), value: body.value });
  });
  route("DELETE", "/api/properties/:name", "admin", async (c) => change(c, { op: "property-unset", name: dec(c.params[0]) }));

  // --- changes -------------------------------------------------------------------

  route("POST", "/api/changes", "read-only", async (c) => change(c, await readJson(c.req)));
  route("POST", "/api/preview", "read-only", async (c) => {
    const ch = parse(ChangeSchema, await readJson(c.req));
    send(c.res, 200, preview(ch, force(c.url)));
  });

  route("PUT", "/api/cib", "admin", async (c) => {
    const text = await readBody(c.req);
    const type = c.req.headers["content-type"] ?? "";
    let xml = text;
    if (type.includes("json")) {
      let j: unknown;
      try {
        j = JSON.parse(text);
      } catch {
        throw new ApiError(400, "request body is not valid JSON");
      }
      xml = parse(CibPushRequestSchema, j).xml;
    }
    if (!xml.trim()) throw new ApiError(400, "the pushed CIB is empty", "xml");
    await change(c, { op: "cib-replace", xml });
  });

  route("POST", "/api/nodes/:node/:action", "operator", async (c) => {
    const node = dec(c.params[0]);
    const action = c.params[1];
    const map: Record<string, Change> = {
      standby: { op: "node-standby", nodes: [node], on: true },
      unstandby: { op: "node-standby", nodes: [node], on: false },
      maintenance: { op: "node-maintenance", nodes: [node], on: true },
      unmaintenance: { op: "node-maintenance", nodes: [node], on: false },
    };
    if (!map[action]) throw new ApiError(404, `unknown node action '${action}' (standby, unstandby, maintenance, unmaintenance)`);
    await change(c, map[action]);
  });

  route("POST", "/api/resources", "admin", async (c) => {
    const body = (await readJson(c.req)) as Record<string, unknown>;
    await change(c, { ...body, op: "resource-create" });
  });
  route("DELETE", "/api/resources/:id", "admin", async (c) => change(c, { op: "resource-delete", id: dec(c.params[0]) }));
  route("POST", "/api/cleanup", "operator", async (c) => {
    const b = parse(CleanupRequestSchema, await readJson(c.req));
    await change(c, { op: "resource-cleanup", ...(b.node ? { node: b.node } : {}) });
  });
  route("POST", "/api/resources/:id/:action", "operator", async (c) => {
    const id = dec(c.params[0]);
    const action = c.params[1];
    const b = parse(ResourceActionRequestSchema, await readJson(c.req));
    const opt = { ...(b.node ? { node: b.node } : {}), ...(b.lifetime ? { lifetime: b.lifetime } : {}) };
    switch (action) {
      case "enable":
        return change(c, { op: "resource-enable", ids: [id] });
      case "disable":
        return change(c, { op: "resource-disable", ids: [id] });
      case "manage":
        return change(c, { op: "resource-manage", ids: [id], on: true });
      case "unmanage":
        return change(c, { op: "resource-manage", ids: [id], on: false });
      case "move":
        return change(c, { op: "resource-move", id, ...opt });
      case "ban":
        return change(c, { op: "resource-ban", id, ...opt });
      case "clear":
        return change(c, { op: "resource-clear", id, ...(b.node ? { node: b.node } : {}) });
      case "cleanup":
        return change(c, { op: "resource-cleanup", id, ...(b.node ? { node: b.node } : {}) });
      case "restart":
        return restart(c, id);
      default:
        throw new ApiError(404, `unknown resource action '${action}' (enable, disable, manage, unmanage, move, ban, clear, cleanup, restart)`);
    }
  });

  /** pcs resource restart: stop it (target-role=Stopped), wait until stopped, then restore its target-role. */
  async function restart(c: RouteCtx, id: string): Promise<void> {
    requireRole(c.principal, "operator");
    const cfg = service.snapshot().cib;
    const { findResource } = await import("../cib/find");
    const r = findResource(cfg, id);
    if (!r) throw new CibError(`Resource '${id}' does not exist`, { field: "id", elementId: id, code: "unknown-resource" });
    const prior = r.metaAttributes.flatMap((s) => s.nvpairs).find((p) => p.name === "target-role")?.value;
    if (prior === "Stopped") throw new CibError(`Resource '${id}' is disabled (target-role=Stopped): enable it instead of restarting it`, { field: "id", elementId: id });
    await applyOne({ op: "resource-disable", ids: [id] }, c.principal, c.from, false);
    const deadline = Date.now() + (deps.restartTimeoutMs ?? 60_000);
    const active = () => {
      const find = (list: Snapshot["state"]["resources"]): boolean =>
        list.some((x) => (x.id === id || x.id.startsWith(`${id}:`) ? hasActive(x) : find(x.children)));
      const hasActive = (x: Snapshot["state"]["resources"][number]): boolean => x.active.length > 0 || x.children.some(hasActive);
      return find(service.snapshot().state.resources);
    };
    while (active() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    const restore: Change = prior === undefined ? { op: "resource-enable", ids: [id] } : { op: "resource-meta", id, meta: { "target-role": prior } };
    // restoring the previous target-role is part of the restart the operator may do
    const out = await applyOne(restore, c.principal, c.from, false, true);
    send(c.res, 200, { ...out, message: `${id} successfully restarted` });
  }

  route("POST", "/api/constraints", "admin", async (c) => {
    const body = (await readJson(c.req)) as Record<string, unknown>;
    const kind = body?.kind;
    if (kind !== "location" && kind !== "colocation" && kind !== "order") {
      throw new ApiError(400, "kind: use location, colocation or order", "kind");
    }
    const { kind: _k, ...rest } = body;
    await change(c, { ...rest, op: `constraint-${kind}` });
  });
  route("DELETE", "/api/constraints/:id", "admin", async (c) => change(c, { op: "constraint-delete", id: dec(c.params[0]) }));

  // --- users and tokens ----------------------------------------------------------

  route("GET", "/api/users", "admin", async ({ res }) => send(res, 200, { users: auth.listUsers() }));
  route("POST", "/api/users", "admin", async ({ req, res, principal, from }) => {
    const b = parse(UserCreateRequestSchema, await readJson(req));
    await auth.addUser(b.name, b.password, b.role);
    auth.audit({ user: principal.user, role: principal.role, from, action: "user-add", description: `user add ${b.name} role=${b.role}`, ok: true });
    send(res, 200, { ok: true });
  });
  route("DELETE", "/api/users/:name", "admin", async ({ res, params, principal, from }) => {
    auth.deleteUser(dec(params[0]));
    auth.audit({ user: principal.user, role: principal.role, from, action: "user-delete", description: `user delete ${dec(params[0])}`, ok: true });
    send(res, 200, { ok: true });
  });
  route("PUT", "/api/users/:name/password", "read-only", async ({ req, res, params, principal, from }) => {
    const name = dec(params[0]);
    if (name !== principal.user) requireRole(principal, "admin");
    const b = parse(PasswordChangeRequestSchema, await readJson(req));
    await auth.setPassword(name, b.password);
    auth.audit({ user: principal.user, role: principal.role, from, action: "user-passwd", description: `user passwd ${name}`, ok: true });
    send(res, 200, { ok: true });
  });
  route("GET", "/api/tokens", "admin", async ({ res }) => send(res, 200, { tokens: auth.listTokens() }));
  route("POST", "/api/tokens", "admin", async ({ req, res, principal, from }) => {
    const b = parse(TokenCreateRequestSchema, await readJson(req));
    const token = auth.createToken(b.name, b.role);
    auth.audit({ user: principal.user, role: principal.role, from, action: "token-add", description: `token add ${b.name} role=${b.role}`, ok: true });
    send(res, 200, { name: b.name, role: b.role, token });
  });
  route("DELETE", "/api/tokens/:name", "admin", async ({ res, params, principal, from }) => {
    auth.deleteToken(dec(params[0]));
    auth.audit({ user: principal.user, role: principal.role, from, action: "token-delete", description: `token delete ${dec(params[0])}`, ok: true });
    send(res, 200, { ok: true });
  });

  // --- dispatcher ------------------------------------------------------------------

  async function login(req: IncomingMessage, res: ServerResponse, from: string): Promise<void> {
    checkOrigin(req, deps.secure);
    const b = parse(LoginRequestSchema, await readJson(req));
    let s;
    try {
      s = await auth.login(b.user, b.password, from);
    } catch (e) {
      auth.audit({ user: b.user, role: "-", from, action: "login", description: `login ${b.user}`, ok: false, error: (e as Error).message });
      throw e;
    }
    auth.audit({ user: b.user, role: s.role, from, action: "login", description: `login ${b.user}`, ok: true });
    const body: SessionResponse = { user: b.user, role: s.role, csrfToken: s.csrfToken, idleTimeoutS: auth.idleTimeoutS };
    send(res, 200, body, {
      "set-cookie": [
        cookie(SESSION_COOKIE, s.id, { httpOnly: true, secure: deps.secure }),
        cookie(CSRF_COOKIE, s.csrfToken, { httpOnly: false, secure: deps.secure }),
      ],
    });
  }

  return async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== "/api" && !url.pathname.startsWith("/api/")) return false;
    const from = clientAddress(req);
    const method = req.method ?? "GET";
    try {
      if (url.pathname === "/api/login") {
        if (method !== "POST") throw new ApiError(405, "use POST /api/login");
        await login(req, res, from);
        return true;
      }
      const candidates = routes.filter((r) => r.pattern.test(url.pathname));
      if (!candidates.length) throw new ApiError(404, `no such API endpoint: ${url.pathname}`);
      const r = candidates.find((x) => x.method === method || (method === "HEAD" && x.method === "GET"));
      if (!r) {
        res.setHeader("allow", candidates.map((x) => x.method).join(", "));
        throw new ApiError(405, `${method} is not allowed on ${url.pathname} (use ${candidates.map((x) => x.method).join(", ")})`);
      }
      const principal = auth.authenticate(req, url);
      if (!principal) throw new ApiError(401, "authentication required: log in (POST /api/login) or send a bearer token");
      if (r.change) checkCsrf(req, principal, deps.secure);
      requireRole(principal, r.role);
      const params = r.pattern.exec(url.pathname)!.slice(1);
      await r.handler({ req, res, url, params, principal, from });
    } catch (e) {
      const { status, body, headers } = errorResponse(e);
      if (!res.headersSent) send(res, status, body, headers);
      else res.end();
    }
    return true;
  };
}
