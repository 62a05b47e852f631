// bin/vigil.mjs's #! line starts node without NODE_EXTRA_CA_CERTS (bin/extra-ca-certs.mjs):
// a command that may reach an HTTPS controller runs again in a node started with it.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { rootCertificates } from "node:tls";
import { describe, expect, it } from "vitest";
import { benchCib } from "../../bench/scheduler-cib";
// @ts-expect-error plain JavaScript module of the launcher, no types
import { MOVED, mustStartWithCerts, restoreExtraCaCerts, runAgain, runsWithoutTls } from "../../bin/extra-ca-certs.mjs";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "bin", "vigil.mjs");
const dir = mkdtempSync(path.join(tmpdir(), "vigil-extra-ca-"));
const goodPem = path.join(dir, "good.pem");
writeFileSync(goodPem, `${rootCertificates[0]}\n`);
// node's start-up warns about this one ("bad end line")
const badPem = path.join(dir, "bad.pem");
writeFileSync(badPem, "-----BEGIN CERTIFICATE-----\nMIIB\n");
const cib = path.join(dir, "cib.xml");
writeFileSync(cib, benchCib({ nodes: 3, resources: 20 }));
const WARNING = /Warning: Ignoring extra certs from `[^`]*bad\.pem`/;
const WARNING_LINE = /Warning: Ignoring extra certs from `[^`]*bad\.pem`[^\n]*\n/;

/** `bin/vigil.mjs args` through its #! line (as a user runs it) or through plain node */
function run(how: "shebang" | "node", args: string[], certs: string | undefined, extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_STATE_DIR: dir, ...extraEnv };
  for (const k of ["NODE_EXTRA_CA_CERTS", "VIGIL_URL", "VIGIL_HOST", "VIGIL_PORT"]) if (!(k in extraEnv)) delete env[k];
  if (certs !== undefined) env.NODE_EXTRA_CA_CERTS = certs;
  const r = how === "shebang" ? spawnSync(bin, args, { env, encoding: "utf8" }) : spawnSync(process.execPath, [bin, ...args], { env, encoding: "utf8" });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe("bin/extra-ca-certs.mjs", () => {
  it("puts the user's NODE_EXTRA_CA_CERTS back and says whether node started without it", () => {
    const env: Record<string, string> = { [MOVED]: "/etc/x.pem", NODE_EXTRA_CA_CERTS: "", OTHER: "1" };
    expect(restoreExtraCaCerts(env)).toBe("/etc/x.pem");
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: "/etc/x.pem", OTHER: "1" });
    const unset: Record<string, string> = { [MOVED]: "", NODE_EXTRA_CA_CERTS: "" };
    expect(restoreExtraCaCerts(unset)).toBeUndefined();
    expect(unset).toEqual({});
    // plain `node bin/vigil.mjs`: nothing was moved, nothing is touched
    const plain: Record<string, string> = { NODE_EXTRA_CA_CERTS: "/etc/x.pem" };
    expect(restoreExtraCaCerts(plain)).toBeUndefined();
    expect(plain).toEqual({ NODE_EXTRA_CA_CERTS: "/etc/x.pem" });
  });

  it("lets only an offline simulate run without the certificates", () => {
    expect(runsWithoutTls(["simulate", "-x", "f.xml", "-S"])).toBe(true);
    expect(runsWithoutTls(["simulate", "-Ssx", "L.xml"])).toBe(true);
    expect(runsWithoutTls(["simulate", "--help"])).toBe(true);
    expect(runsWithoutTls(["simulate", "-L", "-S"])).toBe(false);
    expect(runsWithoutTls(["simulate", "-SL"])).toBe(false);
    expect(runsWithoutTls(["simulate", "--live-check"])).toBe(false);
    expect(runsWithoutTls(["simulate", "-x-L"])).toBe(false); // might be -L: the exact path
    expect(runsWithoutTls(["status"])).toBe(false);
    expect(runsWithoutTls(["-f", "cib.xml", "simulate"])).toBe(false);
    expect(runsWithoutTls([])).toBe(false);
  });

  it("starts node with the certificates for an HTTPS controller, or when the file is not one node could read", () => {
    const simulate = ["simulate", "-x", "f.xml", "-S"];
    const http = "http://127.0.0.1:2224";
    const https = "https://10.0.0.1:2224";
    expect(mustStartWithCerts(simulate, goodPem, statSync, https)).toBe(false);
    expect(mustStartWithCerts(["status"], goodPem, statSync, http)).toBe(false);
    expect(mustStartWithCerts(["--help"], goodPem, statSync, http)).toBe(false);
    expect(mustStartWithCerts(["status"], goodPem, statSync, https)).toBe(true);
    expect(mustStartWithCerts(["status"], goodPem, statSync, "HTTPS://x")).toBe(true);
    expect(mustStartWithCerts(["status"], goodPem, statSync, "not a url")).toBe(true);
    expect(mustStartWithCerts(["status"], goodPem, statSync, undefined)).toBe(true);
    expect(mustStartWithCerts(["simulate", "-L"], goodPem, statSync, https)).toBe(true);
    expect(mustStartWithCerts(simulate, path.join(dir, "missing.pem"), statSync, http)).toBe(true);
    expect(mustStartWithCerts(["status"], dir, statSync, http)).toBe(true);
  });

  it("runAgain reports the exit code or the signal of the second node", async () => {
    const exits = path.join(dir, "exits.mjs");
    writeFileSync(exits, "process.exitCode = Number(process.argv[2]);\n");
    expect(await runAgain(exits, ["3"])).toEqual({ code: 3 });
    const killed = path.join(dir, "killed.mjs");
    writeFileSync(killed, 'process.kill(process.pid, "SIGTERM");\nsetTimeout(() => {}, 5000);\n');
    expect(await runAgain(killed, [])).toEqual({ signal: "SIGTERM" });
  });

  it("runAgain passes SIGTERM on to the second node (sent to this process alone, as kill does)", async () => {
    const sleeper = path.join(dir, "sleeper.mjs");
    writeFileSync(sleeper, 'console.log("ready");\nsetTimeout(() => {}, 20_000);\n');
    const waiter = path.join(dir, "waiter.mjs");
    const loader = JSON.stringify(path.join(root, "bin", "extra-ca-certs.mjs"));
    writeFileSync(waiter, `const { runAgain } = await import(${loader});\nconsole.log(JSON.stringify(await runAgain(${JSON.stringify(sleeper)}, [])));\n`);
    const child = spawn(process.execPath, [waiter], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const ended = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      }),
    );
    child.kill("SIGTERM");
    expect(await ended).toBe(0); // the waiter lived on: the signal went to the sleeper
    expect(out).toBe('ready\n{"signal":"SIGTERM"}\n');
  }, 30_000);
});

describe("bin/vigil.mjs with NODE_EXTRA_CA_CERTS", () => {
  it("runs commands that may reach an HTTPS controller in a node that loaded the certificates: the same output, warning and exit code as plain node", () => {
    for (const https of [{ VIGIL_URL: "https://127.0.0.1:9" }, { VIGIL_HOST: "10.0.0.1" }] as Record<string, string>[]) {
      for (const args of [["nosuch"], ["status"], ["simulate", "-L", "-S"], ["--help"]]) {
        const viaShebang = run("shebang", args, badPem, https);
        expect(viaShebang.err, args.join(" ")).toMatch(WARNING);
        expect(viaShebang).toEqual(run("node", args, badPem, https));
      }
    }
  }, 120_000);

  it("runs commands for a plain-HTTP controller in a node started without them, with the same output and exit code", () => {
    for (const args of [["nosuch"], ["status"], ["--help"], ["simulate", "-L", "-S"]]) {
      const viaShebang = run("shebang", args, badPem);
      const plain = run("node", args, badPem);
      expect(viaShebang.err, args.join(" ")).not.toMatch(WARNING);
      expect(viaShebang).toEqual({ ...plain, err: plain.err.replace(WARNING_LINE, "") });
    }
  }, 120_000);

  it("runs an offline simulate in a node started without them, with the same output and exit code", () => {
    for (const certs of [goodPem, badPem, undefined]) {
      for (const args of [["simulate", "-x", cib, "-S"], ["simulate", "-x", path.join(dir, "none.xml"), "-S"]]) {
        const viaShebang = run("shebang", args, certs);
        const plain = run("node", args, certs);
        expect(viaShebang.err).not.toMatch(WARNING); // node never read the file
        expect(viaShebang).toEqual({ ...plain, err: plain.err.replace(WARNING_LINE, "") });
      }
    }
    // a missing file: node's own warning, as without the #! line's help
    const missing = path.join(dir, "missing.pem");
    const r = run("shebang", ["simulate", "-x", cib, "-S"], missing);
    expect(r.err).toContain(`Warning: Ignoring extra certs from \`${missing}\``);
    expect(r).toEqual(run("node", ["simulate", "-x", cib, "-S"], missing));
  }, 120_000);
});
