// REST for real hosts (issue 4), served before the main API handler when the
// controller manages SSH hosts (server/hosts):
//   GET    /api/hosts                   {hosts: HostStatus[]}  (state, address, fingerprint, last heard, RTT)
//   POST   /api/hosts/probe             {name, address, port?} -> {hostKey, fingerprint, keyType}   (first contact)
//   POST   /api/hosts                   {name, address, port?, user?, identity?, hostKey?, acceptNew?} -> {host}
//                                       without hostKey and acceptNew: 409 {error, fingerprint, keyType, hostKey, needsConfirmation}
//   DELETE /api/hosts/:name[?force=1]
//   GET    /api/quorum                  {status, text}   (corosync-quorumtool layout)
//   GET    /api/fencing                 {history}
//   POST   /api/fencing/:node           {action: reboot|off|on} -> {record}
// Same rules as http.ts: authenticated, role-checked, CSRF-checked changes, audited,
// errors as {error, field?}.

import type { IncomingMessage, ServerResponse } from "node:http";
import { HostConfigError } from "../membership/hosts";
import type { HostService } from "../hosts/manager";
import { HostKeyConfirmationError } from "../hosts/manager";
import { formatFencingHistory } from "../fencing/history";
import { ApiError, checkCsrf, clientAddress, requireRole, type Auth, type Principal } from "./auth";
import { errorResponse, parse } from "./http";
import { HostAddRequestSchema, HostProbeRequestSchema } from "./contract";


export interface HostsApiDeps {
  /** undefined when the controller runs the embedded demo (local hosts): the routes answer 501 */
  hosts?: HostService;
  auth: Auth;
  secure: boolean;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1 << 20) throw new ApiError(413, "request body larger than 1 MiB");
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error();
    return v as Record<string, unknown>;
  } catch {
    throw new ApiError(400, "request body must be a JSON object");
  }
}

const str = (v: unknown, field: string, required = false): string | undefined => {
  if (v === undefined || v === null || v === "") {
    if (required) throw new ApiError(400, `${field} is required`, field);
    return undefined;
  }
  if (typeof v !== "string" && typeof v !== "number") throw new ApiError(400, `${field} must be a string`, field);
  return String(v);
};

export function createHostsApiHandler(deps: HostsApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { hosts, auth } = deps;
  return async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const p = url.pathname;
    if (!/^\/api\/(hosts(\/.*)?|quorum|fencing(\/.*)?)$/.test(p)) return false;
    const method = req.method ?? "GET";
    const from = clientAddress(req);
    let principal: Principal | null = null;
    const audit = (action: string, description: string, ok: boolean, error?: string) =>
      principal && auth.audit({ user: principal.user, role: principal.role, from, action, description, ok, ...(error ? { error } : {}) });
    try {
      principal = auth.authenticate(req, url);
      if (!principal) throw new ApiError(401, "authentication required: log in (POST /api/login) or send a bearer token");
      const change = method !== "GET" && method !== "HEAD";
      if (change) checkCsrf(req, principal, deps.secure);
      const actor = { user: principal.user, role: principal.role, from };
      if (!hosts)
        throw new ApiError(501, "this controller runs the embedded demo cluster (local hosts); start it with VIGIL_HOSTS=1 to manage SSH hosts, quorum and fencing here");
      let m: RegExpExecArray | null;
      if (p === "/api/hosts" && (method === "GET" || method === "HEAD")) {
        requireRole(principal, "read-only");
        return send(res, 200, { hosts: hosts.listHosts() }), true;
      }
      if (p === "/api/hosts/probe" && method === "POST") {
        requireRole(principal, "admin");
        const raw = await readJson(req);
        if (raw.port === "" || raw.port === null) delete raw.port;
        const b = parse(HostProbeRequestSchema, raw);
        const r = await hosts.probeHost({ name: b.name, address: b.address, port: b.port });
        return send(res, 200, r), true;
      }
      if (p === "/api/hosts" && method === "POST") {
        requireRole(principal, "admin");
        const raw = await readJson(req);
        // "" means "not given" for the optional fields (a form's empty input)
        for (const k of ["port", "user", "identity", "hostKey"]) if (raw[k] === "" || raw[k] === null) delete raw[k];
        const b = parse(HostAddRequestSchema, raw);
        const name = b.name;
        const description = `host add ${name}`;
        try {
          const host = await hosts.addHost(
            { name, address: b.address, port: b.port, user: b.user, identity: b.identity, hostKey: b.hostKey },
            { acceptNew: b.acceptNew === true },
            actor,
          );
          audit("host-add", description, true);
          return send(res, 200, { host }), true;
        } catch (e) {
          audit("host-add", description, false, (e as Error).message);
          if (e instanceof HostKeyConfirmationError)
            return send(res, 409, { error: e.message, field: "hostKey", fingerprint: e.fingerprint, keyType: e.keyType, hostKey: e.hostKey, needsConfirmation: true }), true;
          throw e;
        }
      }
      if ((m = /^\/api\/hosts\/([^/]+)$/.exec(p)) && method === "DELETE") {
        requireRole(principal, "admin");
        const name = decodeURIComponent(m[1]);
        try {
          await hosts.removeHost(name, { force: /^(1|true|yes)$/.test(url.searchParams.get("force") ?? "") }, actor);
          audit("host-remove", `host remove ${name}`, true);
        } catch (e) {
          audit("host-remove", `host remove ${name}`, false, (e as Error).message);
          throw e;
        }
        return send(res, 200, { message: `host ${name} removed` }), true;
      }
      if (p === "/api/quorum" && method === "GET") {
        requireRole(principal, "read-only");
        return send(res, 200, hosts.quorum()), true;
      }
      if (p === "/api/fencing" && method === "GET") {
        requireRole(principal, "read-only");
        const history = hosts.fenceHistory();
        return send(res, 200, { history, text: formatFencingHistory(history, { full: url.searchParams.get("full") === "1" }) }), true;
      }
      if ((m = /^\/api\/fencing\/([^/]+)$/.exec(p)) && method === "POST") {
        requireRole(principal, "admin");
        const node = decodeURIComponent(m[1]);
        const b = await readJson(req);
        const action = (str(b.action, "action") ?? "reboot") as "reboot" | "off" | "on";
        if (!["reboot", "off", "on"].includes(action)) throw new ApiError(400, `action must be reboot, off or on (got "${action}")`, "action");
        const record = await hosts.fence(node, action, actor);
        audit("stonith-fence", `stonith fence ${node} (${action})`, record.state === "success", record.error);
        return send(res, 200, { record }), true;
      }
      throw new ApiError(405, `${method} is not allowed on ${p}`);
    } catch (e) {
      if (e instanceof HostConfigError) {
        if (!res.headersSent) send(res, 400, { error: e.message, ...(e.field ? { field: e.field } : {}) });
        return true;
      }
      const { status, body } = errorResponse(e);
      if (!res.headersSent) send(res, status, body);
      else res.end();
      return true;
    }
  };
}
