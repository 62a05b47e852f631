// How `vigil` reaches the local controller: the same VIGIL_STATE_DIR and
// VIGIL_PORT as the daemon, authenticated with the state dir's cli-token
// (readable only by the controller's user, like pcs talking to the local pcsd
// as root).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { lazyModule } from "../lazy-module";

// loaded on the first request: `vigil simulate -x` makes none, and node:https alone (with tls)
// costs ~4 ms of every start
const http = lazyModule<typeof import("node:http")>("node:http");
const https = lazyModule<typeof import("node:https")>("node:https");
const os = lazyModule<typeof import("node:os")>("node:os");

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export interface ControllerAddress {
  url: string;
  token: string;
  /** the controller's certificate when it serves HTTPS (self-signed, pinned) */
  ca?: string;
}

export function stateDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.VIGIL_STATE_DIR || ".vigil");
}

/** The controller's URL for this environment (bin/vigil.mjs asks it too: is it HTTPS?). */
export function controllerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const port = env.VIGIL_PORT || "2224";
  // the daemon serves HTTPS when bound to anything but loopback (server/api/server.ts)
  const bind = env.VIGIL_HOST || "127.0.0.1";
  const loopbackBind = bind === "localhost" || /^127\./.test(bind) || bind === "::1";
  const host = bind === "0.0.0.0" || bind === "::" ? "127.0.0.1" : bind;
  return env.VIGIL_URL || `${loopbackBind ? "http" : "https"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

export function locateController(env: NodeJS.ProcessEnv = process.env): ControllerAddress {
  const stateDir = stateDirFromEnv(env);
  const url = controllerUrl(env);
  const tokenFile = path.join(stateDir, "cli-token");
  let token: string;
  try {
    token = readFileSync(tokenFile, "utf8").trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new CliError(
        `unable to connect to the Vigil controller at ${url} (is \`npm start\` running? there is no CLI token at ${tokenFile})`,
      );
    }
    throw new CliError(`cannot read the CLI token ${tokenFile} (${code}): run vigil as the user that runs the controller`);
  }
  const certFile = path.join(stateDir, "cert.pem");
  const ca = url.startsWith("https:") && existsSync(certFile) ? readFileSync(certFile, "utf8") : undefined;
  return { url, token, ca };
}

export interface ApiAnswer {
  status: number;
  body: string;
  json?: unknown;
}

export class ApiClient {
  constructor(
    readonly addr: ControllerAddress,
    private readonly timeoutMs = 120_000,
  ) {}

  request(method: string, p: string, body?: unknown, contentType = "application/json"): Promise<ApiAnswer> {
    const u = new URL(p, this.addr.url);
    const lib = u.protocol === "https:" ? https() : http();
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = lib.request(
        u,
        {
          method,
          headers: {
            authorization: `Bearer ${this.addr.token}`,
            accept: "application/json",
            "x-vigil-client": `cli ${os().userInfo().username}`,
            ...(data !== undefined ? { "content-type": contentType, "content-length": Buffer.byteLength(data) } : {}),
          },
          ...(this.addr.ca ? { ca: this.addr.ca } : {}),
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown;
            if ((res.headers["content-type"] ?? "").includes("json")) {
              try {
                json = JSON.parse(text);
              } catch {
                /* leave undefined */
              }
            }
            resolve({ status: res.statusCode ?? 0, body: text, json });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", (e: NodeJS.ErrnoException) => {
        if (e.message === "timeout") reject(new CliError(`the Vigil controller at ${this.addr.url} did not answer within ${this.timeoutMs / 1000} s`));
        else reject(new CliError(`unable to connect to the Vigil controller at ${this.addr.url} (is \`npm start\` running?)`));
      });
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** JSON request; a non-2xx answer becomes a CliError with the API's sentence. */
  async call<T>(method: string, p: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.request(method, p, body, contentType);
    if (r.status < 200 || r.status >= 300) {
      const err = (r.json as { error?: string } | undefined)?.error;
      throw new CliError(err ?? `the controller answered ${r.status} to ${method} ${p}`);
    }
    return (r.json ?? r.body) as T;
  }
}
