// Running a program on the controller's own machine (root namespace) with the Transport's
// run() semantics: used for fence agents that power-fence from where the controller runs
// (IPMI/BMC over the management network, or the test bed's fence_testbed).
//
//   const r = await runLocal({ argv: ["/usr/sbin/fence_ipmilan"], stdin: "action=status\n...", timeoutMs: 20000 });
//
// The child runs in its own process group (detached); at the timeout the whole group gets
// SIGKILL, as on a host. Output is collected in memory (bounded to 4 MiB per stream).

import { spawn } from "node:child_process";
import type { RunRequest, RunResult } from "../executor/types";

const MAX_OUTPUT = 4 << 20;

export function runLocal(req: RunRequest): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let done = false;
    const child = spawn(req.argv[0], req.argv.slice(1), {
      env: { ...process.env, ...(req.env ?? {}) },
      cwd: req.cwd,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const finish = (code: number | null, signal: string | null, extraErr = "") => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, signal, stdout, stderr: stderr + extraErr, timedOut, durationMs: Date.now() - started });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, req.timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString("utf8");
    });
    child.on("error", (e) => finish(127, null, `${req.argv[0]}: ${e.message}\n`));
    child.on("close", (code, signal) => finish(code, signal));
    child.stdin.on("error", () => {});
    if (req.stdin !== undefined) child.stdin.write(req.stdin);
    child.stdin.end();
  });
}
