// The controller's HTTP(S) server: /api/* (REST), /ws (live feed), and the
// console (Next, custom-server recipe with a decoy http server for Next's own
// upgrade listener, see docs/decisions.md). Plain HTTP only on loopback; on any
// other address HTTPS with a self-signed certificate generated at first start
// (state dir cert.pem / key.pem, replaceable).

import http from "node:http";
import https from "node:https";
import { existsSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ClusterService } from "../controller/types";
import { startController, type StartControllerOptions } from "../controller/start";
import { exportCibXml, parseCibXml } from "../cib/xml";
import { Auth, INITIAL_ADMIN, type AuthOptions } from "./auth";
import { createApiHandler } from "./http";
import { createHostsApiHandler } from "./hosts-routes";
import type { HostService } from "../hosts/manager";
import { LiveHub } from "./ws";
import { LocalAgentCatalog } from "./agents";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServerOptions {
  stateDir: string;
  port: number;
  /** bind address [127.0.0.1] */
  host?: string;
  /** Next dev mode (HMR) */
  dev?: boolean;
  /** serve the console through Next [true]; API tests pass false and need no build */
  next?: boolean;
  /** an already running controller; default: startController({stateDir, demo: true}) */
  service?: ClusterService;
  /** real SSH hosts (server/hosts): /api/hosts, /api/quorum, /api/fencing; without it those answer 501 */
  hosts?: HostService;
  /** passed on to startController (e.g. the demo's ports) when no service is given */
  controllerOptions?: Record<string, unknown>;
  /** force HTTPS (default: only when bound to a non-loopback address) */
  https?: boolean;
  auth?: AuthOptions;
  /** print the URL and first-start login */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  service: ClusterService;
  auth: Auth;
  hub: LiveHub;
  /** the generated admin password, set on the first start only */
  initialPassword?: string;
  /** stopResources: stop every resource first (the embedded demo's hosts live and die with it) */
  close(opts?: { stopResources?: boolean }): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

async function loadOrCreateCert(stateDir: string, host: string): Promise<{ key: string; cert: string }> {
  const keyFile = path.join(stateDir, "key.pem");
  const certFile = path.join(stateDir, "cert.pem");
  if (existsSync(keyFile) && existsSync(certFile)) return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") };
  const { generate } = await import("selfsigned");
  const alt: { type: 2 | 7; value?: string; ip?: string }[] = [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }];
  if (/^[\d.]+$/.test(host) && host !== "0.0.0.0" && host !== "127.0.0.1") alt.push({ type: 7, ip: host });
  const pems = await generate([{ name: "commonName", value: host === "0.0.0.0" ? "vigil" : host }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: alt }] as never,
  } as never);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { key: pems.private, cert: pems.cert };
}

async function defaultController(stateDir: string, extra: Record<string, unknown> = {}): Promise<ClusterService> {
  // the controller's entry point wires store, scheduler, executor and the demo hosts
  return await startController({ ...(extra as Partial<StartControllerOptions>), stateDir, demo: true });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const secure = opts.https ?? !isLoopback(host);
  const log = opts.log ?? (() => {});
  const auth = await Auth.open(opts.stateDir, opts.auth);
  const ownService = !opts.service;
  const service = opts.service ?? (await defaultController(opts.stateDir, opts.controllerOptions));
  const hub = new LiveHub(service, auth, secure);
  const hostsApi = createHostsApiHandler({ hosts: opts.hosts, auth, secure });
  const api = createApiHandler({
    service,
    auth,
    agents: new LocalAgentCatalog(),
    parseXml: parseCibXml,
    exportXml: exportCibXml,
    secure,
    onLogout: (sid) => hub.closeSession(sid),
  });

  let nextHandle: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | undefined;
  const nextUpgrades = new http.Server(); // decoy: Next attaches its HMR upgrade listener here, never listens
  let nextApp: { close?: () => Promise<void> } | undefined;
  if (opts.next !== false) {
    const { default: next } = await import("next");
    const app = next({ dev: !!opts.dev, dir: REPO_ROOT, hostname: host, port: opts.port, httpServer: nextUpgrades } as never) as unknown as {
      prepare(): Promise<void>;
      getRequestHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
      close?: () => Promise<void>;
    };
    await app.prepare();
    nextHandle = app.getRequestHandler();
    nextApp = app;
  }

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    try {
      if (await hostsApi(req, res)) return;
      if (await api(req, res)) return;
      if (nextHandle) return await nextHandle(req, res);
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("the console is not served by this instance (started without Next)\n");
    } catch (e) {
      console.error("vigil: request failed:", e);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error\n");
    }
  };

  const server = secure ? https.createServer(await loadOrCreateCert(opts.stateDir, host), onRequest) : http.createServer(onRequest);
  server.on("upgrade", (req, socket, head) => {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if (pathname === "/ws") hub.handleUpgrade(req, socket, head);
    else if (opts.dev && pathname.startsWith("/_next/")) nextUpgrades.emit("upgrade", req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `${secure ? "https" : "http"}://${shownHost}:${port}`;

  log(`Vigil controller listening on ${url}`);
  if (auth.initialPassword) {
    log(`First start: created the admin user.`);
    log(`  user:     ${INITIAL_ADMIN}`);
    log(`  password: ${auth.initialPassword}`);
    log(`  (also written to ${auth.initialPasswordFile}, readable only by you)`);
  } else if (existsSync(auth.initialPasswordFile)) {
    log(`Admin login: ${INITIAL_ADMIN}, password in ${auth.initialPasswordFile}`);
  }

  let closed = false;
  return {
    url,
    port,
    service,
    auth,
    hub,
    initialPassword: auth.initialPassword,
    async close(opts: { stopResources?: boolean } = {}) {
      if (closed) return;
      closed = true;
      hub.close();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await nextApp?.close?.();
      if (ownService) await service.stop(opts);
    },
  };
}
