// The remote wrapper and host-key helpers, exercised locally (the wrapper is plain sh; here it
// runs on this machine instead of through sshd — ssh-transport.test.ts covers the SSH path).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildRemoteScript, parseRemoteOutput } from "./ssh-command";
import { fingerprint, HostKeyFormatError, parseHostKey } from "./ssh-hostkey";
import { keepaliveFor, parseBootId } from "./ssh-transport";

const dir = mkdtempSync(path.join(os.tmpdir(), "vigil-ops-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runWrapped(id: string, req: Parameters<typeof buildRemoteScript>[1]) {
  const script = buildRemoteScript(id, req, dir);
  const r = spawnSync("/bin/sh", ["-c", script], { input: req.stdin ?? "" });
  return parseRemoteOutput(r.stdout, id);
}

/** the state letter of the process whose pid a file holds: "gone", or e.g. "Z" for a zombie waiting for init to reap it (killed either way) */
function processState(pidFile: string): string {
  const pid = readFileSync(pidFile, "utf8").trim();
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1][0];
  } catch {
    return "gone";
  }
}

/**
 * The state once a SIGKILL had time to act: a killed process still shows "R" until the kernel
 * schedules it to exit, which on a loaded machine can be after the wrapper has answered. A
 * process that was not killed (a `sleep 60`) is still there after the wait.
 */
async function stateAfterKill(pidFile: string): Promise<string> {
  for (const t0 = Date.now(); Date.now() - t0 < 2000; await new Promise((r) => setTimeout(r, 20))) {
    const st = processState(pidFile);
    if (st === "gone" || st === "Z") return st;
  }
  return processState(pidFile);
}

describe("remote command wrapper", () => {
  it("returns exit code, stdout and stderr exactly, with env and stdin", () => {
    const r = runWrapped("a1", {
      argv: ["/bin/sh", "-c", 'printf "%s;%s;" "$1" "$X"; cat; printf "no newline" >&2; exit 3', "sh", "a 'b' \"c\" $d\n"],
      env: { X: "it's", PATH: "/usr/bin:/bin" },
      stdin: "in\n",
      timeoutMs: 5000,
    });
    expect(r).toEqual({ code: 3, signal: null, timedOut: false, stdout: "a 'b' \"c\" $d\n;it's;in\n", stderr: "no newline" });
  });

  it("stdin carried inside the script (a spare's sh -s reads the script from its stdin) arrives byte for byte", () => {
    // quotes, $, backquotes, backslashes, a line that a naive heredoc would take as its end, no final newline
    const input = "action=off\nport='node2' \"$HOME\" `id` $(id) \\n \\\nEOF\nVIGIL\n'\n\n  trailing  ";
    const req = { argv: ["cat"], stdin: input, timeoutMs: 5000 };
    const script = buildRemoteScript("a6", req, dir, { stdinInScript: true });
    const r = spawnSync("/bin/sh", ["-s"], { input: script + "\n" });
    expect(parseRemoteOutput(r.stdout, "a6")).toEqual({ code: 0, signal: null, timedOut: false, stdout: input, stderr: "" });
    expect(buildRemoteScript("a7", { ...req, stdin: "" }, dir, { stdinInScript: true })).toContain(`printf '%s' '' >"$f.in"`);
    expect(() => buildRemoteScript("a8", { ...req, stdin: "a\0b" }, dir, { stdinInScript: true })).toThrow(/NUL/);
  });

  it("an agent that opens /dev/stderr again (HA_LOGFILE) appends to its stderr, nothing is overwritten", () => {
    const r = runWrapped("a5", { argv: ["/bin/sh", "-c", "echo one >&2; echo two >>/dev/stderr; echo three >&2"], timeoutMs: 5000 });
    expect(r?.stderr).toBe("one\ntwo\nthree\n");
  });

  it("passes variables whose names are no shell names (OCF_RESKEY_a-b) to the program", () => {
    const r = runWrapped("a0", { argv: ["/usr/bin/env"], env: { "OCF_RESKEY_a-b.c": "dash", OCF_ROOT: "/usr/lib/ocf" }, timeoutMs: 5000 });
    expect(r?.stdout.split("\n")).toEqual(expect.arrayContaining(["OCF_RESKEY_a-b.c=dash", "OCF_ROOT=/usr/lib/ocf"]));
  });

  it("an output that contains the header or separator text of another run is not confused", () => {
    const r = runWrapped("a2", { argv: ["printf", "VIGILRUN 0 0\n\n--VIGIL-STDERR-other--\nx"], timeoutMs: 5000 });
    expect(r?.stdout).toBe("VIGILRUN 0 0\n\n--VIGIL-STDERR-other--\nx");
  });

  it("kills the whole process group at the timeout and says so", async () => {
    const t0 = Date.now();
    const r = runWrapped("a3", { argv: ["/bin/sh", "-c", `sleep 60 & echo $! >${dir}/child; sleep 60`], timeoutMs: 400 });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(r).toMatchObject({ code: null, signal: "SIGKILL", timedOut: true });
    expect(["gone", "Z"]).toContain(await stateAfterKill(`${dir}/child`));
  });

  it("a command killed by SIGKILL before its deadline is not a timeout", () => {
    const r = runWrapped("a9", { argv: ["/bin/sh", "-c", "kill -KILL $$"], timeoutMs: 5000 });
    expect(r).toMatchObject({ code: null, signal: "SIGKILL", timedOut: false });
  });

  it("without timeout(1) on the host, the wrapper's own watchdog kills the group at the deadline", async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), "vigil-bin-"));
    try {
      for (const tool of ["sh", "setsid", "sleep", "cat", "rm", "mkdir", "kill"]) {
        const where = execFileSync("sh", ["-c", `command -v ${tool} || true`]).toString().trim();
        if (where.startsWith("/")) execFileSync("ln", ["-s", where, path.join(bin, tool)]);
      }
      const script = buildRemoteScript("w1", { argv: ["/bin/sh", "-c", `sleep 60 & echo $! >${dir}/wchild; sleep 60`], timeoutMs: 400 }, dir);
      expect(execFileSync("/bin/sh", ["-c", "command -v timeout || echo none"], { env: { ...process.env, PATH: bin } }).toString().trim()).toBe("none");
      const t0 = Date.now();
      const out = spawnSync("/bin/sh", ["-c", script], { input: "", env: { ...process.env, PATH: bin } });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(parseRemoteOutput(out.stdout, "w1")).toMatchObject({ code: null, signal: "SIGKILL", timedOut: true });
      expect(["gone", "Z"]).toContain(await stateAfterKill(`${dir}/wchild`));
    } finally {
      rmSync(bin, { recursive: true, force: true });
      rmSync(`${dir}/wchild`, { force: true });
    }
  });

  it("a long-lived session's run keeps its files; a later run removes them with one rm", async () => {
    const req = { argv: ["echo", "kept"], timeoutMs: 5000 };
    const a = spawnSync("/bin/sh", ["-c", buildRemoteScript("k1", req, dir, { keepFiles: true })], { input: "" });
    expect(parseRemoteOutput(a.stdout, "k1")).toMatchObject({ code: 0, stdout: "kept\n" });
    const files = () => execFileSync("ls", ["-A", dir]).toString().split("\n").filter((f) => f.startsWith("k1."));
    expect(files().length).toBeGreaterThan(0);
    const b = spawnSync("/bin/sh", ["-c", buildRemoteScript("k2", req, dir, { cleanup: ["k1"] })], { input: "" });
    expect(parseRemoteOutput(b.stdout, "k2")).toMatchObject({ code: 0, stdout: "kept\n" });
    for (const t0 = Date.now(); files().length && Date.now() - t0 < 2000; ) await new Promise((r) => setTimeout(r, 20));
    expect(files()).toEqual([]);
  });

  it("reports death by a signal and leaves no files behind", () => {
    const r = runWrapped("a4", { argv: ["/bin/sh", "-c", "kill -TERM $$"], timeoutMs: 5000 });
    expect(r).toMatchObject({ code: null, signal: "SIGTERM", timedOut: false });
    expect(execFileSync("ls", ["-A", dir]).toString().trim()).toBe("child");
  });

  it("a user who cannot write the ops folder falls back to ~/.vigil-ops", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "vigil-home-"));
    try {
      chmodSync(home, 0o777);
      const script = buildRemoteScript("u1", { argv: ["id", "-un"], timeoutMs: 5000 }, dir); // dir: root's, mode 0700
      const r = spawnSync("runuser", ["-u", "nobody", "--", "env", `HOME=${home}`, "/bin/sh", "-c", script], { input: "" });
      expect(parseRemoteOutput(r.stdout, "u1")).toMatchObject({ code: 0, stdout: "nobody\n" });
      expect(execFileSync("ls", ["-A", path.join(home, ".vigil-ops")]).toString()).toBe(""); // cleaned up
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("refuses bad requests before anything runs", () => {
    expect(() => buildRemoteScript("x", { argv: [], timeoutMs: 1 })).toThrow(/argv must name a program/);
    expect(() => buildRemoteScript("x", { argv: ["true"], env: { "A=B": "1" }, timeoutMs: 1 })).toThrow(/invalid environment variable name "A=B"/);
    expect(() => buildRemoteScript("x", { argv: ["true"], timeoutMs: 0 })).toThrow(/timeoutMs must be > 0/);
  });

  it("a truncated answer (connection died) is not a result", () => {
    expect(parseRemoteOutput(Buffer.from("VIGILRUN 0 0\npartial"), "zz")).toBeNull();
    expect(parseRemoteOutput(Buffer.from(""), "zz")).toBeNull();
  });
});

describe("host keys", () => {
  it("fingerprints match ssh-keygen -l", () => {
    const kd = mkdtempSync(path.join(os.tmpdir(), "vigil-key-"));
    try {
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${kd}/k`]);
      const pub = readFileSync(`${kd}/k.pub`, "utf8");
      const expected = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${kd}/k.pub`]).toString().split(" ")[1];
      expect(fingerprint(pub)).toBe(expected);
      expect(parseHostKey(pub).line).toBe(pub.split(" ").slice(0, 2).join(" "));
      // a known_hosts line works too
      expect(parseHostKey(`node1,10.0.0.1 ${pub}`).type).toBe("ssh-ed25519");
    } finally {
      rmSync(kd, { recursive: true, force: true });
    }
  });

  it("names what is wrong with a bad key", () => {
    expect(() => parseHostKey("ssh-foo AAAA")).toThrow(HostKeyFormatError);
    expect(() => parseHostKey("ssh-foo AAAA")).toThrow(/unknown key type "ssh-foo"/);
    expect(() => parseHostKey("ssh-ed25519 !!!")).toThrow(/is not base64/);
  });

  it("a host's boot identity is its kernel boot_id plus the start time of its PID 1", () => {
    const boot = "0f5e6c1a-8c1b-4b7e-9d55-2b8f3c1d9e11";
    const stat = "1 (bash) S 0 1 1 0 -1 4194560 1209 17337 0 0 1 2 9 12 20 0 1 0 1206048 4538368 839 18446744073709551615";
    expect(parseBootId(`${boot}\n${stat}\n`)).toBe(`${boot}/1206048`);
    expect(parseBootId(`${boot}\n1 (my init) S 0 1 1 0 -1 4194560 1209 17337 0 0 1 2 9 12 20 0 1 0 777 1\n`)).toBe(`${boot}/777`);
    expect(parseBootId(`${boot}\n`)).toBe(boot);
    expect(parseBootId("")).toBeUndefined();
  });

  it("keepalive comes from host-timeout (every host-timeout/4); ssh2 itself never gives up, Liveness judges", () => {
    expect(keepaliveFor(1000).keepaliveInterval).toBe(250);
    expect(keepaliveFor(6000).keepaliveInterval).toBe(1500);
    expect(keepaliveFor(1000).keepaliveCountMax).toBeGreaterThan(1000);
  });
});
