// NODE_EXTRA_CA_CERTS and the start-up of `vigil simulate -x FILE`.
//
// Node 20 loads the extra certificates of NODE_EXTRA_CA_CERTS while it starts, before any
// JavaScript runs, and builds its whole root store with them: with Debian's 140-certificate
// bundle in it that is ~40 ms of a ~55 ms start here. An offline simulate makes no TLS
// connection, so bin/vigil.mjs's #! line hands node an empty NODE_EXTRA_CA_CERTS and keeps the
// user's value in MOVED; this module puts it back into process.env (child processes and the
// code see the user's environment) and tells the launcher when node must have had it: a command
// that may talk to the controller over HTTPS is then run again in a node that starts with the
// user's environment, which is exactly what a plain `node bin/vigil.mjs` does.

/** the variable the #! line keeps NODE_EXTRA_CA_CERTS in (also set, empty, when it was unset) */
export const MOVED = "VIGIL_MOVED_NODE_EXTRA_CA_CERTS";

/**
 * Restores NODE_EXTRA_CA_CERTS in `env` from MOVED. Returns the user's value when the #! line
 * moved a non-empty one (node then started without it), else undefined (nothing to do).
 */
export function restoreExtraCaCerts(env) {
  if (!(MOVED in env)) return undefined;
  const value = env[MOVED];
  delete env[MOVED];
  if (value) env.NODE_EXTRA_CA_CERTS = value;
  else delete env.NODE_EXTRA_CA_CERTS; // an empty value loads nothing either way
  return value || undefined;
}

/**
 * Whether the command `argv` (process.argv.slice(2)) may run in a node started without the
 * extra certificates: only `vigil simulate` without -L/--live-check (no connection to the
 * controller). Anything that might mean -L (a short-flag bundle with an L, any --live...)
 * counts as live: the other answer is always the exact one, only slower.
 */
export function runsWithoutTls(argv) {
  if (argv[0] !== "simulate") return false;
  for (const a of argv.slice(1)) {
    if (a.startsWith("--live")) return false;
    if (/^-[^-]/.test(a) && a.includes("L")) return false;
  }
  return true;
}

/**
 * Whether node must start with the user's NODE_EXTRA_CA_CERTS (`file`) for the command `argv`,
 * given the controller URL of this environment (`url`, from the CLI's controllerUrl; undefined:
 * not known). The CLI's one TLS client is its controller client, and a plain-HTTP controller
 * (the default: loopback) needs no certificates; nor does an offline simulate. Also when `file`
 * is not a file node could read: node then prints its warning at start-up, which the user should
 * keep seeing.
 */
export function mustStartWithCerts(argv, file, stat, url) {
  try {
    if (!stat(file).isFile()) return true;
  } catch {
    return true;
  }
  if (runsWithoutTls(argv)) return false;
  try {
    return new URL(url).protocol !== "http:";
  } catch {
    return true; // no URL, or one the client cannot use either: the exact path
  }
}

/**
 * Runs `script argv` in a new node with this process's (restored) environment and resolves to
 * how it ended: { code } or { signal }; undefined when it could not be started. Ctrl-C and
 * Ctrl-\ reach the whole process group (the child too), so they are ignored here while it runs;
 * SIGTERM and SIGHUP, usually sent to this process alone, are passed on.
 */
export async function runAgain(script, argv) {
  const { spawn } = await import("node:child_process");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...argv], { stdio: "inherit" });
    const ignore = () => {};
    const forward = (signal) => child.kill(signal);
    const handlers = [["SIGINT", ignore], ["SIGQUIT", ignore], ["SIGTERM", forward], ["SIGHUP", forward]];
    for (const [s, h] of handlers) process.on(s, h);
    const done = (result) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(result);
    };
    child.on("error", () => done(undefined));
    child.on("exit", (code, signal) => done(signal ? { signal } : { code: code ?? 1 }));
  });
}
