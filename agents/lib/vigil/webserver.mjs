// The demo HTTP server behind ocf:vigil:WebServer, in plain Node (no packages).
//
//   node webserver.mjs start --port P [--address A] --pidfile F --logfile L [--host H] [--resource R] [--message M] [--wait-ms N]
//       starts the server fully detached (own session, stdio to the log file),
//       waits until it answers HTTP, exits 0; on failure prints why, exits 1.
//   node webserver.mjs serve ...   the server itself (what start runs)
//   node webserver.mjs check --port P [--address A] [--wait-ms N]
//       exits 0 when GET / answers 200, else prints why and exits 1.

import { spawn } from "node:child_process";
import { openSync, closeSync, writeFileSync, renameSync, readFileSync, unlinkSync, existsSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"`);
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${a} needs a value`);
    o[a.slice(2)] = v;
    i++;
  }
  return o;
}

function portOf(o) {
  const p = Number(o.port);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`invalid port "${o.port}"`);
  return p;
}

/** where a client reaches a server bound to address */
function clientAddress(address) {
  if (!address || address === "0.0.0.0") return "127.0.0.1";
  if (address === "::") return "::1";
  return address;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function get(address, port, timeoutMs) {
  return new Promise((resolve) => {
    const req = http.get({ host: clientAddress(address), port, path: "/", timeout: timeoutMs, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ ok: res.statusCode === 200, status: res.statusCode, body }));
      res.on("error", (e) => resolve({ ok: false, error: e.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (e) => resolve({ ok: false, error: e.message }));
  });
}

function serve(o) {
  const port = portOf(o);
  const address = o.address || "127.0.0.1";
  const host = o.host || "unknown";
  const rsc = o.resource || "WebServer";
  const started = new Date().toISOString();
  const server = http.createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok\n");
      return;
    }
    const body =
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(rsc)} on ${escapeHtml(host)}</title></head>` +
      `<body style="font-family:sans-serif"><h1>Served by ${escapeHtml(host)}</h1>` +
      `<p>Resource <b>${escapeHtml(rsc)}</b> (ocf:vigil:WebServer), port ${port}, pid ${process.pid}, up since ${started}.</p>` +
      (o.message ? `<p>${escapeHtml(o.message)}</p>` : "") +
      `</body></html>\n`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "x-vigil-host": host });
    res.end(body);
  });
  server.on("error", (e) => {
    console.error(`${new Date().toISOString()} ${rsc}: cannot listen on ${address}:${port}: ${e.message}`);
    process.exit(1);
  });
  server.listen(port, address, () => {
    // the pid file appears only once we listen, so "pid file + alive" means "serving"
    const tmp = `${o.pidfile}.tmp.${process.pid}`;
    writeFileSync(tmp, `${process.pid}\n`);
    renameSync(tmp, o.pidfile);
    console.log(`${new Date().toISOString()} ${rsc}: serving host ${host} on ${address}:${port}, pid ${process.pid}`);
  });
  const bye = (sig) => {
    console.log(`${new Date().toISOString()} ${rsc}: ${sig}, stopping`);
    try {
      if (readFileSync(o.pidfile, "utf8").trim() === String(process.pid)) unlinkSync(o.pidfile);
    } catch {
      /* no pid file */
    }
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on("SIGTERM", () => bye("SIGTERM"));
  process.on("SIGINT", () => bye("SIGINT"));
}

function readPid(file) {
  try {
    return Number(readFileSync(file, "utf8").trim()) || 0;
  } catch {
    return 0;
  }
}

function tailLog(file) {
  try {
    const lines = readFileSync(file, "utf8").trim().split("\n");
    return lines[lines.length - 1] || "";
  } catch {
    return "";
  }
}

async function start(o) {
  const port = portOf(o);
  if (!o.pidfile || !o.logfile) throw new Error("start needs --pidfile and --logfile");
  const waitMs = Number(o["wait-ms"] || 10000);
  if (existsSync(o.pidfile)) unlinkSync(o.pidfile);
  const log = openSync(o.logfile, "a");
  const args = [fileURLToPath(import.meta.url), "serve"];
  for (const k of ["port", "address", "host", "resource", "message", "pidfile"]) if (o[k] !== undefined) args.push(`--${k}`, o[k]);
  // detached: own session and process group, so the agent's (and executor's)
  // process group, pipes and timeouts never reach the server
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", log, log], cwd: "/" });
  closeSync(log);
  let exited = null;
  child.on("exit", (code, sig) => (exited = sig ?? code));
  child.unref();
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      const why = tailLog(o.logfile).replace(/^\S+ /, "");
      throw new Error(why || `the server exited (${exited}) before it answered`);
    }
    if (readPid(o.pidfile) === child.pid) {
      const r = await get(o.address, port, 1000);
      if (r.ok) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(child.pid, "SIGKILL");
  } catch {
    /* gone */
  }
  throw new Error(`the server did not answer on port ${port} within ${waitMs} ms`);
}

async function check(o) {
  const port = portOf(o);
  const r = await get(o.address, port, Number(o["wait-ms"] || 3000));
  if (!r.ok) throw new Error(r.error ? `no HTTP answer on port ${port}: ${r.error}` : `HTTP ${r.status} on port ${port}`);
}

const [cmd, ...rest] = process.argv.slice(2);
try {
  const o = parseArgs(rest);
  if (cmd === "serve") serve(o);
  else if (cmd === "start") await start(o);
  else if (cmd === "check") await check(o);
  else throw new Error(`unknown command "${cmd ?? ""}" (start, serve, check)`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
