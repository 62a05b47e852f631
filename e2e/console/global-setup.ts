// Starts the real Vigil server (production build, embedded demo cluster) with a
// fresh state directory, and on teardown stops it, ends the demo agents it left
// running (the controller deliberately leaves resources running on exit), and
// removes the directory.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function waitFor(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the Vigil server exited with code ${child.exitCode} before it answered (see its output above)`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Vigil server did not answer ${url} within ${timeoutMs / 1000}s`);
}

/** pids of processes whose command line or working directory lies in dir. */
function processesUsing(dir: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ");
      let cwd = "";
      try {
        cwd = readlinkSync(`/proc/${p}/cwd`);
      } catch {
        /* gone or not ours */
      }
      if (cmd.includes(dir) || cwd.startsWith(dir)) out.push(Number(p));
    } catch {
      /* process ended meanwhile */
    }
  }
  return out;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || !child.pid) return;
  child.kill("SIGTERM");
  const deadline = Date.now() + 12_000;
  while (child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode === null) child.kill("SIGKILL");
}

export default async function globalSetup() {
  const stateDir = process.env.VIGIL_E2E_STATE_DIR!;
  const port = process.env.VIGIL_E2E_PORT ?? "3224";
  const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", VIGIL_STATE_DIR: stateDir, VIGIL_PORT: port, VIGIL_HOST: "127.0.0.1" } as NodeJS.ProcessEnv;
  if (!existsSync(path.join(root, process.env.VIGIL_NEXT_DIST || ".next", "BUILD_ID"))) {
    // `npm test` builds first; a bare `npx playwright test` on a fresh clone builds here.
    const b = spawnSync("npx", ["next", "build"], { cwd: root, env, stdio: "inherit" });
    if (b.status !== 0) throw new Error("next build failed");
  }
  mkdirSync(stateDir, { recursive: true });
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  // the server's output is kept with the screenshots, for CI logs
  const log = path.join(root, "e2e/artifacts/server.log");
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    lines.push(d.toString());
    if (process.env.VIGIL_E2E_VERBOSE) process.stdout.write(d);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  try {
    await waitFor(`http://127.0.0.1:${port}/login`, child, 60_000);
  } catch (e) {
    process.stdout.write(lines.join(""));
    await stop(child);
    throw e;
  }
  return async () => {
    await stop(child);
    mkdirSync(path.dirname(log), { recursive: true });
    writeFileSync(log, lines.join(""));
    for (const pid of processesUsing(stateDir)) {
      try {
        process.kill(-pid, "SIGKILL"); // the agent's process group
      } catch {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
    if (stateDir.includes("vigil-e2e-")) rmSync(stateDir, { recursive: true, force: true });
  };
}
