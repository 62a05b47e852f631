#!/usr/bin/env node
// `npm start`: build the console when .next is missing or older than the
// sources, then run the controller (server.ts) in production mode.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// the state dir is relative to where the user started us (as the CLI resolves it)
const stateDir = path.resolve(process.env.VIGIL_STATE_DIR || ".vigil");
process.chdir(root);
const env = { ...process.env, VIGIL_STATE_DIR: stateDir, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };

/** newest mtime under the console's sources (app, components, public, server/api/contract.ts, configs) */
function newestSource() {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const n of readdirSync(p)) if (n !== "node_modules" && !n.startsWith(".")) walk(path.join(p, n));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "components", "public", "server", "next.config.js", "postcss.config.mjs", "package.json", "tsconfig.json"]) walk(path.join(root, p));
  return newest;
}

function buildTime() {
  const id = path.join(root, ".next", "BUILD_ID");
  return existsSync(id) ? statSync(id).mtimeMs : 0;
}

if (buildTime() < newestSource()) {
  console.log(existsSync(path.join(root, ".next", "BUILD_ID")) ? "Sources changed since the last build: building the console (next build) ..." : "Building the console (next build), once ...");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const r = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env });
  if (r.status !== 0) {
    console.error("Error: next build failed (see above); the controller was not started");
    process.exit(r.status ?? 1);
  }
}

const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server.ts")], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
