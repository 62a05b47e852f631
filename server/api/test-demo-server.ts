// For tests: the real API server (no Next) over the embedded demo controller, on
// free ports in a temp state dir, and a browser-like login against it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../executor/test-helpers";
import { startServer, type RunningServer } from "./server";

export interface DemoServer {
  srv: RunningServer;
  dir: string;
  /** stops the demo's resources (they outlive the controller, as on a real host), the server, and removes the dir */
  stop(): Promise<void>;
}

export async function startDemoServer(prefix: string): Promise<DemoServer> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const srv = await startServer({ stateDir: dir, port: await freePort(), next: false, controllerOptions: { webPortBase: await freePort() } });
  return {
    srv,
    dir,
    async stop() {
      await (srv.service as unknown as { stop(o?: { stopResources?: boolean }): Promise<void> }).stop({ stopResources: true });
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POST /api/login as a browser does (same-origin), with the session cookie and CSRF token it returns */
export async function login(base: string, user: string, password: string) {
  const r = await fetch(`${base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ user, password }),
  });
  const cookies = r.headers.getSetCookie();
  const body = (await r.json()) as { csrfToken?: string; error?: string };
  return { status: r.status, cookies, cookie: cookies.map((c) => c.split(";")[0]).join("; "), csrf: body.csrfToken ?? "", body };
}

export async function until(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
