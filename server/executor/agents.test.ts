import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LocalTransport, REPO_AGENTS_DIR } from "./local-transport";
import { describeFallback, fenceStdin, mapHost, mapLsbCode, ocfAgentPath, parseExitReason, resolvePaths, runAgentOp } from "./agents";
import { parseAgentMetadata } from "./metadata";
import { OcfRc, OpStatus, type AgentOp, type Transport } from "./types";
import { freePort, pidAlive, tempDir, waitFor, dummyOp } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
let t: LocalTransport;
let ocfRoot: string;
let initDir: string;

const op = (over: Partial<AgentOp>): AgentOp => dummyOp("r1", over);

function script(file: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  chmodSync(file, 0o755);
}

beforeAll(async () => {
  tmp = tempDir();
  ocfRoot = path.join(tmp.dir, "ocf");
  initDir = path.join(tmp.dir, "init.d");
  // a test provider whose agent shows what it was given
  script(
    path.join(ocfRoot, "resource.d", "test", "Env"),
    `#!/bin/sh
env | grep -E '^(OCF_|HA_RSCTMP|VIGIL_NODE=)' | sort > "$OCF_RESKEY_out"
[ -n "$OCF_RESKEY_reason" ] && echo "ocf-exit-reason:$OCF_RESKEY_reason" >&2
exit \${OCF_RESKEY_rc:-0}
`,
  );
  // an LSB init script whose state lives in a file; status can be forced
  script(
    path.join(initDir, "testsvc"),
    `#!/bin/sh
### BEGIN INIT INFO
# Provides:          testsvc
# Required-Start:    $remote_fs
# Short-Description: Test service for Vigil
# Description:       A test service that keeps its state
#                    in a file.
### END INIT INFO
STATE="$VIGIL_HOST_DIR/testsvc.running"
case "$1" in
start) touch "$STATE"; exit 0 ;;
stop) rm -f "$STATE"; exit 0 ;;
status)
  [ -f "$VIGIL_HOST_DIR/testsvc.status" ] && exit "$(cat "$VIGIL_HOST_DIR/testsvc.status")"
  [ -f "$STATE" ] && { echo running; exit 0; }
  echo stopped; exit 3 ;;
restart) exit 150 ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
`,
  );
  t = new LocalTransport({
    node: "node1",
    hostDir: path.join(tmp.dir, "hosts", "node1"),
    agentPaths: { ocfRoot, initDir },
    killGraceMs: 300,
  });
  await t.connect();
});

afterAll(() => {
  t.crash();
  tmp.cleanup();
});

describe("ocf class", () => {
  it("runs ocf:vigil:Dummy through its life cycle, its state under the host's HA_RSCTMP", async () => {
    const d = op({ rsc: "dummy-life" });
    const stateFile = path.join(t.rscTmp, "Dummy-dummy-life.state");
    expect((await runAgentOp(t, { ...d, action: "monitor" })).rc).toBe(OcfRc.NOT_RUNNING);
    const start = await runAgentOp(t, { ...d, action: "start" });
    expect(start).toMatchObject({ rc: 0, opStatus: OpStatus.DONE });
    expect(start.execMs).toBeGreaterThanOrEqual(0);
    expect(start.startedAt).toBeGreaterThan(Date.now() - 60000);
    expect(existsSync(stateFile)).toBe(true);
    expect((await runAgentOp(t, { ...d, action: "monitor", intervalMs: 10000 })).rc).toBe(0);
    expect((await runAgentOp(t, { ...d, action: "stop" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...d, action: "stop" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...d, action: "monitor" })).rc).toBe(OcfRc.NOT_RUNNING);
    expect(existsSync(stateFile)).toBe(false);
  });

  it("gives the agent the OCF environment: OCF_ROOT, instance, params, meta in ms, check level", async () => {
    const out = path.join(tmp.dir, "env.out");
    const r = await runAgentOp(
      t,
      op({
        rsc: "vip",
        provider: "test",
        type: "Env",
        action: "monitor",
        intervalMs: 10000,
        timeoutMs: 25000,
        params: { out, ip: "10.0.0.1" },
        meta: { "clone-max": "3", notify: "true", OCF_CHECK_LEVEL: "10" },
      }),
    );
    expect(r.rc).toBe(0);
    const env = Object.fromEntries(
      readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(env).toMatchObject({
      OCF_ROOT: ocfRoot,
      OCF_RA_VERSION_MAJOR: "1",
      OCF_RA_VERSION_MINOR: "1",
      OCF_RESOURCE_INSTANCE: "vip",
      OCF_RESOURCE_TYPE: "Env",
      OCF_RESOURCE_PROVIDER: "test",
      OCF_RESKEY_ip: "10.0.0.1",
      OCF_RESKEY_CRM_meta_timeout: "25000",
      OCF_RESKEY_CRM_meta_interval: "10000",
      OCF_RESKEY_CRM_meta_clone_max: "3",
      OCF_RESKEY_CRM_meta_notify: "true",
      OCF_RESKEY_CRM_meta_on_node: "node1",
      OCF_CHECK_LEVEL: "10",
      OCF_EXIT_REASON_PREFIX: "ocf-exit-reason:",
      HA_RSCTMP: t.rscTmp,
      VIGIL_NODE: "node1",
    });
    expect(env.OCF_RESKEY_CRM_meta_OCF_CHECK_LEVEL).toBeUndefined();
  });

  it("runs provider vigil from the vigil OCF root (repo agents/ locally, /usr/lib/ocf on SSH hosts)", async () => {
    expect(t.agentPaths.vigilOcfRoot).toBe(REPO_AGENTS_DIR);
    const vigilRoot = path.join(tmp.dir, "vigil-root");
    script(path.join(vigilRoot, "resource.d", "vigil", "Env"), readFileSync(path.join(ocfRoot, "resource.d", "test", "Env"), "utf8"));
    const out = path.join(tmp.dir, "vigil-root.out");
    const r = await runAgentOp(t, op({ provider: "vigil", type: "Env", params: { out } }), { paths: { vigilOcfRoot: vigilRoot } });
    expect(r.rc).toBe(0);
    expect(readFileSync(out, "utf8")).toContain(`OCF_ROOT=${vigilRoot}\n`);
    // a transport that sets no paths (as the SSH transport): everything under /usr/lib/ocf
    const plain = { agentPaths: undefined } as unknown as Transport;
    const paths = resolvePaths(plain);
    expect(ocfAgentPath("vigil", "Dummy", paths)).toBe("/usr/lib/ocf/resource.d/vigil/Dummy");
    expect(ocfAgentPath("heartbeat", "IPaddr2", paths)).toBe("/usr/lib/ocf/resource.d/heartbeat/IPaddr2");
    expect(ocfAgentPath("heartbeat", "IPaddr2", resolvePaths(t))).toBe(`${ocfRoot}/resource.d/heartbeat/IPaddr2`);
  });

  it("runs resource-agents' own ocf:heartbeat:Dummy unmodified, its state under the host's HA_RSCTMP", async () => {
    const hb = op({ rsc: "hb1", provider: "heartbeat", type: "Dummy" });
    const paths = { ocfRoot: "/usr/lib/ocf" };
    expect((await runAgentOp(t, { ...hb, action: "monitor" }, { paths })).rc).toBe(OcfRc.NOT_RUNNING);
    const start = await runAgentOp(t, { ...hb, action: "start" }, { paths });
    expect(start.rc, start.stderr).toBe(0);
    expect(existsSync(path.join(t.rscTmp, "Dummy-hb1.state"))).toBe(true);
    expect((await runAgentOp(t, { ...hb, action: "monitor", intervalMs: 10000 }, { paths })).rc).toBe(0);
    expect((await runAgentOp(t, { ...hb, action: "stop" }, { paths })).rc).toBe(0);
    expect((await runAgentOp(t, { ...hb, action: "monitor" }, { paths })).rc).toBe(OcfRc.NOT_RUNNING);
  });

  it("resource-agents' ocf_log lines reach the result's stderr, each with one `date` and no `logger`", async () => {
    // a PATH shim counts the logging helpers ocf-shellfuncs starts (date, tty, logger)
    const shim = path.join(tmp.dir, "log-shim");
    const calls = path.join(tmp.dir, "log-shim.calls");
    for (const prog of ["date", "tty", "logger"]) script(path.join(shim, prog), `#!/bin/sh\necho ${prog} >>${calls}\nexec /usr/bin/${prog} "$@"\n`);
    script(
      path.join(ocfRoot, "resource.d", "test", "Log"),
      `#!/bin/sh
OCF_FUNCTIONS_DIR=/usr/lib/ocf/lib/heartbeat
. \${OCF_FUNCTIONS_DIR}/ocf-shellfuncs
env | grep -E '^HA_(LOG|DEBUG)' | sort >&2
ocf_log info "first line of $OCF_RESOURCE_INSTANCE"
echo "plain stderr" >&2
ocf_log warn "second line"
ocf_exit_reason "it broke"
exit $OCF_ERR_GENERIC
`,
    );
    const lt = new LocalTransport({ node: "node1", hostDir: path.join(tmp.dir, "hosts", "log1"), agentPaths: { ocfRoot }, env: { PATH: `${shim}:${process.env.PATH}` } });
    await lt.connect();
    try {
      const r = await runAgentOp(lt, op({ rsc: "vip", provider: "test", type: "Log" }));
      expect(r).toMatchObject({ rc: OcfRc.ERR_GENERIC, exitReason: "it broke" });
      const lines = r.stderr.trim().split("\n");
      expect(lines.slice(0, 2)).toEqual(["HA_DEBUGLOG=/dev/stderr", "HA_LOGFILE=/dev/stderr"]);
      // in order, tagged with the agent and instance as in Pacemaker's log
      expect(lines[2]).toMatch(/^\w{3} \d\d \d\d:\d\d:\d\d +Log\(vip\)\[\d+\]: +INFO: first line of vip$/);
      expect(lines[3]).toBe("plain stderr");
      expect(lines[4]).toMatch(/Log\(vip\)\[\d+\]: +WARNING: second line$/);
      expect(lines[5]).toBe("ocf-exit-reason:it broke");
      expect(lines[6]).toMatch(/ERROR: it broke$/);
      // three log lines: one date and one tty check each (HA_DEBUGLOG's default would add a date each)
      expect(readFileSync(calls, "utf8").trim().split("\n").sort()).toEqual(["date", "date", "date", "tty", "tty", "tty"]);
    } finally {
      lt.crash();
    }
  });

  it("returns the agent's exit code and its last ocf-exit-reason line", async () => {
    const out = path.join(tmp.dir, "rc.out");
    const r = await runAgentOp(t, op({ provider: "test", type: "Env", params: { out, rc: "6", reason: "ip is not an address" } }));
    expect(r).toMatchObject({ rc: OcfRc.ERR_CONFIGURED, opStatus: OpStatus.DONE, exitReason: "ip is not an address" });
    const degraded = await runAgentOp(t, op({ provider: "test", type: "Env", params: { out, rc: "191" } }));
    expect(degraded.rc).toBe(OcfRc.DEGRADED_PROMOTED);
  });

  it("maps an exit code outside OCF's to a generic error that says so", async () => {
    const r = await runAgentOp(t, op({ provider: "test", type: "Env", params: { out: path.join(tmp.dir, "x"), rc: "42" } }));
    expect(r.rc).toBe(OcfRc.ERR_GENERIC);
    expect(r.exitReason).toMatch(/exited with 42/);
  });

  it("kills an agent that runs past its timeout: opStatus TIMEOUT, rc 1", async () => {
    const started = Date.now();
    const r = await runAgentOp(t, op({ rsc: "slow", action: "start", timeoutMs: 400, params: { op_sleep: "30" } }));
    expect(r).toMatchObject({ rc: OcfRc.ERR_GENERIC, opStatus: OpStatus.TIMEOUT });
    expect(r.exitReason).toMatch(/timed out after 400 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports a missing agent as not installed (rc 5), naming where it looked", async () => {
    const r = await runAgentOp(t, op({ type: "NoSuchAgent", action: "start" }));
    expect(r).toMatchObject({ rc: OcfRc.ERR_INSTALLED, opStatus: OpStatus.NOT_INSTALLED });
    expect(r.exitReason).toContain("ocf:vigil:NoSuchAgent is not installed on node1");
    expect(r.exitReason).toContain(path.join(REPO_AGENTS_DIR, "resource.d", "vigil", "NoSuchAgent"));
  });

  it("refuses agent names that would leave the agent directory", async () => {
    const r = await runAgentOp(t, op({ type: "../../../bin/sh" }));
    expect(r.rc).toBe(OcfRc.ERR_CONFIGURED);
    expect(r.exitReason).toMatch(/invalid agent type/);
    const noProv = await runAgentOp(t, op({ provider: undefined }));
    expect(noProv.exitReason).toMatch(/needs a provider/);
  });

  it("promotes and demotes ocf:vigil:Stateful; monitor says 8 while promoted", async () => {
    const s = op({ rsc: "ms1", type: "Stateful" });
    expect((await runAgentOp(t, { ...s, action: "promote" })).rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, { ...s, action: "start" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...s, action: "monitor" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...s, action: "promote" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...s, action: "monitor" })).rc).toBe(OcfRc.RUNNING_PROMOTED);
    expect((await runAgentOp(t, { ...s, action: "demote" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...s, action: "monitor" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...s, action: "stop" })).rc).toBe(0);
  });

  it("starts ocf:vigil:WebServer on this host's port from the ports map, detached; monitor finds a killed server", async () => {
    const port = await freePort();
    const w = op({ rsc: "web", type: "WebServer", params: { ports: `node0:1,node1:${port}` }, timeoutMs: 20000 });
    const start = await runAgentOp(t, { ...w, action: "start" });
    expect(start.rc, start.exitReason).toBe(0);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain("Served by node1");
    expect((await runAgentOp(t, { ...w, action: "monitor", intervalMs: 10000 })).rc).toBe(0);
    const pid = Number(readFileSync(path.join(t.rscTmp, "WebServer-web.pid"), "utf8"));
    expect(pidAlive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    await waitFor(() => !pidAlive(pid), 3000, "server to die");
    const mon = await runAgentOp(t, { ...w, action: "monitor", intervalMs: 10000 });
    expect(mon.rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, { ...w, action: "start" })).rc).toBe(0);
    expect((await runAgentOp(t, { ...w, action: "stop" })).rc).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    expect((await runAgentOp(t, { ...w, action: "monitor" })).rc).toBe(OcfRc.NOT_RUNNING);
  });

  it("fails WebServer's start with a clear reason when its port is taken", async () => {
    const port = await freePort();
    const a = op({ rsc: "webA", type: "WebServer", params: { port: String(port) } });
    const b = op({ rsc: "webB", type: "WebServer", params: { port: String(port) } });
    expect((await runAgentOp(t, { ...a, action: "start" })).rc).toBe(0);
    const r = await runAgentOp(t, { ...b, action: "start" });
    expect(r.rc).toBe(OcfRc.ERR_GENERIC);
    expect(r.exitReason).toMatch(/EADDRINUSE|in use/);
    expect((await runAgentOp(t, { ...a, action: "stop" })).rc).toBe(0);
    const none = await runAgentOp(t, op({ rsc: "webC", type: "WebServer", action: "start", params: { ports: "node2:8082" } }));
    expect(none.rc).toBe(OcfRc.ERR_CONFIGURED);
    expect(none.exitReason).toMatch(/no port for host node1/);
  });

  it("says NOT_CONNECTED when the host is down", async () => {
    const down = new LocalTransport({ node: "nodeX", hostDir: path.join(tmp.dir, "hosts", "nodeX") });
    const r = await runAgentOp(down, op({}));
    expect(r).toMatchObject({ rc: OcfRc.ERR_GENERIC, opStatus: OpStatus.NOT_CONNECTED });
    expect(r.exitReason).toMatch(/nodeX/);
  });
});

describe("lsb class", () => {
  const lsb = (action: string) => op({ standard: "lsb", provider: undefined, type: "testsvc", action });
  const statusFile = () => path.join(t.hostDir, "testsvc.status");

  it("starts, monitors (status) and stops an init script", async () => {
    expect((await runAgentOp(t, lsb("monitor"))).rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, lsb("start"))).rc).toBe(0);
    expect((await runAgentOp(t, lsb("monitor"))).rc).toBe(0);
    expect((await runAgentOp(t, lsb("stop"))).rc).toBe(0);
    expect((await runAgentOp(t, lsb("monitor"))).rc).toBe(OcfRc.NOT_RUNNING);
  });

  it("maps LSB status codes: 1, 2, 3 not running; 4 an error", async () => {
    for (const [code, rc] of [
      [1, 7],
      [2, 7],
      [3, 7],
      [4, 1],
    ]) {
      writeFileSync(statusFile(), String(code));
      const r = await runAgentOp(t, lsb("monitor"));
      expect(r.rc, `status ${code}`).toBe(rc);
      if (code === 4) expect(r.exitReason).toMatch(/status unknown/);
    }
    writeFileSync(statusFile(), "");
    await import("node:fs").then((fs) => fs.rmSync(statusFile()));
    expect(mapLsbCode("start", 150)).toBe(1);
    expect(mapLsbCode("stop", 5)).toBe(5);
    expect(mapLsbCode("status", 0)).toBe(0);
  });

  it("maps other actions' codes above 7 to a generic error", async () => {
    const r = await runAgentOp(t, lsb("restart"));
    expect(r.rc).toBe(OcfRc.ERR_GENERIC);
  });

  it("builds meta-data from the INIT INFO header", async () => {
    const r = await runAgentOp(t, lsb("meta-data"));
    expect(r.rc).toBe(0);
    const md = parseAgentMetadata(r.output, "lsb:testsvc");
    expect(md.name).toBe("testsvc");
    expect(md.shortdesc).toBe("Test service for Vigil");
    expect(md.longdesc).toBe("A test service that keeps its state in a file.");
    expect(md.actions.map((a) => a.name)).toContain("monitor");
  });

  it("reports a missing init script as not installed", async () => {
    const r = await runAgentOp(t, op({ standard: "lsb", provider: undefined, type: "nosuchsvc", action: "start" }));
    expect(r).toMatchObject({ rc: OcfRc.ERR_INSTALLED, opStatus: OpStatus.NOT_INSTALLED });
    expect(r.exitReason).toContain(path.join(initDir, "nosuchsvc"));
  });
});

describe("systemd and service classes", () => {
  it("fall back to the LSB init script on a host without systemd, and describeFallback says so", async () => {
    const noSystemd = { systemdRunDir: path.join(tmp.dir, "no-such-run-systemd") };
    for (const standard of ["systemd", "service"]) {
      const s = (action: string) => op({ standard, provider: undefined, type: "testsvc", action });
      expect((await runAgentOp(t, s("start"), { paths: noSystemd })).rc).toBe(0);
      expect((await runAgentOp(t, s("monitor"), { paths: noSystemd })).rc).toBe(0);
      expect((await runAgentOp(t, s("stop"), { paths: noSystemd })).rc).toBe(0);
      expect((await runAgentOp(t, s("monitor"), { paths: noSystemd })).rc).toBe(OcfRc.NOT_RUNNING);
    }
    const fb = await describeFallback(t, "systemd", "testsvc", noSystemd);
    expect(fb).toMatchObject({ effective: "lsb", target: path.join(initDir, "testsvc") });
    expect(fb!.message).toMatch(/has no systemd .*systemd:testsvc runs as the LSB init script/);
    expect(await describeFallback(t, "ocf", "Dummy")).toBeUndefined();
  });

  it("drive systemctl start / is-active / stop when the host runs systemd", async () => {
    // a stand-in for systemctl that keeps unit states in files, to check the
    // commands Vigil sends and how it reads the answers
    const sysDir = path.join(tmp.dir, "systemd");
    mkdirSync(path.join(sysDir, "run"), { recursive: true });
    mkdirSync(path.join(sysDir, "units"), { recursive: true });
    writeFileSync(path.join(sysDir, "units", "web.service"), "Demo web unit\n");
    const ctl = path.join(sysDir, "systemctl");
    script(
      ctl,
      `#!/bin/sh
U="${sysDir}/units"
echo "$*" >> "${sysDir}/calls"
cmd=$1; shift
case "$cmd" in
start|stop)
  [ -f "$U/$1" ] || { echo "Failed to $cmd $1: Unit $1 not found." >&2; exit 5; }
  [ "$cmd" = start ] && echo active > "$U/$1.state" || echo inactive > "$U/$1.state"; exit 0 ;;
is-active)
  s=$(cat "$U/$1.state" 2>/dev/null || echo inactive); echo "$s"; [ "$s" = active ] ;;
show)
  shift 3; [ -f "$U/$1" ] && head -n 1 "$U/$1" || echo; exit 0 ;;
esac
exit 1
`,
    );
    const paths = { systemdRunDir: path.join(sysDir, "run"), systemctl: ctl };
    const s = (action: string, type = "web") => op({ standard: "systemd", provider: undefined, type, action });
    expect((await runAgentOp(t, s("monitor"), { paths })).rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, s("start"), { paths })).rc).toBe(0);
    expect((await runAgentOp(t, s("monitor"), { paths })).rc).toBe(0);
    expect((await runAgentOp(t, s("stop"), { paths })).rc).toBe(0);
    expect((await runAgentOp(t, s("monitor"), { paths })).rc).toBe(OcfRc.NOT_RUNNING);
    const missing = await runAgentOp(t, s("start", "nope"), { paths });
    expect(missing).toMatchObject({ rc: OcfRc.ERR_INSTALLED, opStatus: OpStatus.NOT_INSTALLED });
    expect(missing.exitReason).toMatch(/nope\.service is not installed/);
    const md = parseAgentMetadata((await runAgentOp(t, s("meta-data"), { paths })).output, "systemd:web");
    expect(md.shortdesc).toBe("Demo web unit");
    const calls = readFileSync(path.join(sysDir, "calls"), "utf8").trim().split("\n");
    expect(calls.slice(0, 4)).toEqual(["is-active web.service", "start web.service", "is-active web.service", "is-active web.service"]);
    expect(await describeFallback(t, "systemd", "web", paths)).toEqual({ effective: "systemd", target: "web.service" });
  });
});

describe("stonith class (Debian's fence_dummy)", () => {
  const fence = (action: string, params: Record<string, string> = {}) =>
    op({ rsc: "fence1", standard: "stonith", provider: undefined, type: "fence_dummy", action, params });

  it("reads the fence agent's meta-data with -o metadata", async () => {
    const r = await runAgentOp(t, fence("meta-data"));
    expect(r.rc).toBe(0);
    const md = parseAgentMetadata(r.output, "stonith:fence_dummy");
    expect(md.name).toBe("fence_dummy");
    expect(md.shortdesc).toBe("Dummy fence agent");
    expect(md.parameters.find((p) => p.name === "status_file")?.default).toBe("/tmp/fence_dummy.status");
    expect(md.actions.map((a) => a.name)).toEqual(expect.arrayContaining(["on", "off", "reboot", "status", "monitor"]));
  });

  it("is not running until started; start checks the device; fence off/on/status through stdin", async () => {
    const statusFile = path.join(tmp.dir, "fence.status");
    const p = { status_file: statusFile, pcmk_host_list: "node1 node2", pcmk_host_argument: "none" };
    expect((await runAgentOp(t, fence("monitor", p))).rc).toBe(OcfRc.NOT_RUNNING);
    expect((await runAgentOp(t, fence("start", p))).rc).toBe(0);
    expect((await runAgentOp(t, { ...fence("monitor", p), intervalMs: 60000 })).rc).toBe(0);
    expect((await runAgentOp(t, fence("on", { ...p, nodename: "node2" }))).rc).toBe(0);
    expect(readFileSync(statusFile, "utf8").trim()).toBe("on");
    expect((await runAgentOp(t, fence("status", { ...p, nodename: "node2" }))).rc).toBe(0);
    expect((await runAgentOp(t, fence("off", { ...p, nodename: "node2" }))).rc).toBe(0);
    expect(readFileSync(statusFile, "utf8").trim()).toBe("off");
    const st = await runAgentOp(t, fence("status", { ...p, nodename: "node2" }));
    expect(st.rc).toBe(OcfRc.NOT_RUNNING);
    expect(st.exitReason).toBe("the target is off");
    expect((await runAgentOp(t, fence("stop", p))).rc).toBe(0);
    expect((await runAgentOp(t, fence("monitor", p))).rc).toBe(OcfRc.NOT_RUNNING);
  });

  it("reports a failing fence action as rc 1 with the agent's message", async () => {
    const r = await runAgentOp(t, fence("off", { type: "fail", power_timeout: "1", nodename: "node2", pcmk_host_argument: "none" }));
    expect(r.rc).toBe(OcfRc.ERR_GENERIC);
    expect(r.exitReason).toMatch(/Timed out waiting to power OFF/);
    const missing = await runAgentOp(t, op({ standard: "stonith", provider: undefined, type: "fence_nosuch", action: "off" }));
    expect(missing.opStatus).toBe(OpStatus.NOT_INSTALLED);
  });

  it("writes key=value lines without Pacemaker's own attributes, mapping the target to a port", () => {
    const s = fenceStdin("reboot", { ipaddr: "10.0.0.9", pcmk_host_map: "node1:vm-1;node2:vm-2", nodename: "node2" });
    expect(s).toBe("action=reboot\nipaddr=10.0.0.9\nnodename=node2\nport=vm-2\n");
    expect(fenceStdin("off", { nodename: "n3", pcmk_host_argument: "plug" })).toBe("action=off\nnodename=n3\nplug=n3\n");
    expect(mapHost("a=1, b=2", "b")).toBe("2");
    expect(mapHost(undefined, "b")).toBe("b");
  });
});

describe("parseExitReason", () => {
  it("takes the last ocf-exit-reason line", () => {
    expect(parseExitReason("noise\nocf-exit-reason:first\nocf-exit-reason: second \nmore\n")).toBe("second");
    expect(parseExitReason("no reason here")).toBeUndefined();
  });
});
