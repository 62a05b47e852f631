// The Hosts page for real: a second Vigil server in host mode (server.ts with
// VIGIL_HOSTS=1, production build, its own state dir and port) and a throwaway
// sshd on 127.0.0.1 with its own host key and authorized key in a temp dir.
// The admin adds the host in the console, sees the fingerprint ssh-keygen -lf
// prints for that host key, confirms, and sees the host online; a wrong pinned
// key is refused loudly; read-only users see no actions; fence and remove ask
// first. Everything started here is stopped here. The demo server (global
// setup) shows the page's demo note instead of a form.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { freePort } from "../../server/executor/test-helpers";
import { login, shot } from "./helpers";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function waitFor(what: string, ok: () => Promise<boolean>, child: ChildProcess, timeoutMs: number, log: () => string) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}:\n${log()}`);
    if (await ok().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000}s:\n${log()}`);
}

/** pids of every process below pid (sshd's per-connection children call setsid, so a process-group kill misses them) */
function descendants(pid: number): number[] {
  const kids = new Map<number, number[]>();
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(p)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (q: number) => {
    for (const c of kids.get(q) ?? []) out.push(c), walk(c);
  };
  walk(pid);
  return out;
}

/** stop a child, its process group and everything below it */
async function stopGroup(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM") {
  if (!child?.pid || child.exitCode !== null) return;
  for (const pid of descendants(child.pid)) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
  const gone = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
  const t = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }, 12_000);
  await gone;
  clearTimeout(t);
}

const fingerprintOf = (pub: string) => {
  const r = spawnSync("ssh-keygen", ["-lf", pub], { encoding: "utf8" });
  const m = /(SHA256:\S+)/.exec(r.stdout);
  if (!m) throw new Error(`ssh-keygen -lf ${pub}: ${r.stderr}`);
  return m[1];
};

let dir: string;
let sshd: ChildProcess | undefined;
let server: ChildProcess | undefined;
let sshPort: number;
let url: string;
let stateDir: string;
const serverLog: string[] = [];

/** sshd on sshPort presenting dir/KEY (copied to current_host_key, which sshd_config names) */
async function startSshd(key: string) {
  writeFileSync(path.join(dir, "current_host_key"), readFileSync(path.join(dir, key)), { mode: 0o600 });
  // sshd insists on its privilege separation directory (Debian creates it at boot only when sshd is enabled)
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const sshdLog: string[] = [];
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", path.join(dir, "sshd_config")], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  sshd.stderr!.on("data", (d: Buffer) => sshdLog.push(d.toString()));
  await waitFor(
    "sshd",
    () => new Promise<boolean>((resolve) => {
      const s = net.connect(sshPort, "127.0.0.1", () => (s.end(), resolve(true)));
      s.on("error", () => resolve(false));
    }),
    sshd,
    10_000,
    () => sshdLog.join(""),
  );
}

test.describe("Hosts page on a controller that manages SSH hosts", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    dir = mkdtempSync(path.join(tmpdir(), "vigil-e2e-hosts-"));
    stateDir = path.join(dir, "state");
    mkdirSync(stateDir);
    for (const k of ["host_key", "client_key", "other_key"]) {
      const r = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", k, "-f", path.join(dir, k)]);
      if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
    }
    writeFileSync(path.join(dir, "authorized_keys"), readFileSync(path.join(dir, "client_key.pub")));
    sshPort = await freePort();
    writeFileSync(
      path.join(dir, "sshd_config"),
      [
        `Port ${sshPort}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${dir}/current_host_key`,
        `PidFile ${dir}/sshd.pid`,
        `AuthorizedKeysFile ${dir}/authorized_keys`,
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "LogLevel ERROR",
      ].join("\n") + "\n",
    );
    await startSshd("host_key");

    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", VIGIL_HOSTS: "1", VIGIL_STATE_DIR: stateDir, VIGIL_PORT: String(port), VIGIL_HOST: "127.0.0.1" } as NodeJS.ProcessEnv;
    server = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (d: Buffer) => serverLog.push(d.toString()));
    server.stderr!.on("data", (d: Buffer) => serverLog.push(d.toString()));
    await waitFor("the host-mode Vigil server", async () => (await fetch(`${url}/login`)).ok, server, 90_000, () => serverLog.join(""));
  });

  test.afterAll(async () => {
    await stopGroup(server);
    await stopGroup(sshd);
    mkdirSync(path.join(root, "e2e/artifacts"), { recursive: true });
    writeFileSync(path.join(root, "e2e/artifacts/hosts-server.log"), serverLog.join(""));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(page: Page, user = "hacluster", password = readFileSync(path.join(stateDir, "initial-admin-password"), "utf8").trim()) {
    await page.goto(`${url}/login`);
    await page.getByTestId("login-user").fill(user);
    await page.getByTestId("login-password").fill(password);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("dashboard")).toBeVisible({ timeout: 20_000 });
    await page.getByTestId("nav-hosts").click();
    await expect(page.getByTestId("hosts-card")).toBeVisible({ timeout: 10_000 });
  }

  async function fillHost(page: Page, name: string, hostKey = "") {
    await page.getByTestId("host-add").click();
    await page.getByTestId("host-name").fill(name);
    await page.getByTestId("host-address").fill("127.0.0.1");
    await page.getByTestId("host-port").fill(String(sshPort));
    await page.getByTestId("host-user").fill("root");
    await page.getByTestId("host-identity").fill(path.join(dir, "client_key"));
    if (hostKey) await page.getByTestId("host-hostKey").fill(hostKey);
    await page.getByTestId("host-probe").click();
  }

  test("add a host: the fingerprint shown is ssh-keygen's, confirm, the host comes online", async ({ page }) => {
    await signIn(page);
    await expect(page.getByTestId("hosts-empty")).toBeVisible();
    await fillHost(page, "e2ehost1");
    const expected = fingerprintOf(path.join(dir, "host_key.pub"));
    await expect(page.getByTestId("host-confirm")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("host-fingerprint")).toHaveText(expected);
    await shot(page, "hosts-confirm-key");
    // nothing is added before the admin confirms
    expect((await (await page.request.get(`${url}/api/hosts`)).json()).hosts).toEqual([]);
    await page.getByTestId("host-confirm-add").click();
    await expect(page.getByTestId("host-added")).toContainText(`Host e2ehost1 added with ssh-ed25519 key ${expected} pinned`, { timeout: 30_000 });
    await expect(page.getByTestId("host-fingerprint-e2ehost1")).toHaveText(`ssh-ed25519 ${expected}`);
    await expect(page.getByTestId("host-state-e2ehost1")).toHaveText("online", { timeout: 20_000 });
    // the node is in the cluster now, as the live store shows it
    await page.getByTestId("nav-nodes").click();
    await expect(page.getByTestId("nodes-page")).toContainText("e2ehost1");
    await page.getByTestId("nav-hosts").click();
    await expect(page.getByTestId("host-rtt-e2ehost1")).toHaveText(/\d+ ms|–/);
    await shot(page, "hosts");
  });

  test("a wrong pinned host key is refused loudly, by the console and by the API", async ({ page }) => {
    await signIn(page);
    const wrong = readFileSync(path.join(dir, "other_key.pub"), "utf8").trim();
    await fillHost(page, "e2ehost2", wrong);
    const alert = page.getByTestId("host-key-changed");
    await expect(alert).toBeVisible({ timeout: 15_000 });
    await expect(alert).toContainText("The host presents a different key");
    await expect(alert).toContainText(fingerprintOf(path.join(dir, "host_key.pub")));
    await expect(page.getByTestId("host-confirm-add")).toHaveCount(0);
    await shot(page, "hosts-key-changed");
    // the controller itself refuses a pinned key the host does not present, and adds nothing
    const session = await (await page.request.get(`${url}/api/session`)).json();
    const r = await page.request.post(`${url}/api/hosts`, {
      data: { name: "e2ehost2", address: "127.0.0.1", port: String(sshPort), user: "root", identity: path.join(dir, "client_key"), hostKey: wrong },
      headers: { "x-csrf-token": session.csrfToken, origin: url },
    });
    expect(r.status()).toBe(400);
    expect((await r.json()).error).toMatch(/HOST KEY CHANGED for e2ehost2 .*pinned SHA256:\S+, host presented SHA256:/);
    const names = ((await (await page.request.get(`${url}/api/hosts`)).json()).hosts as { name: string }[]).map((h) => h.name);
    expect(names).toEqual(["e2ehost1"]);
  });

  test("read-only users see the hosts but no actions", async ({ page, browser }) => {
    await signIn(page);
    const session = await (await page.request.get(`${url}/api/session`)).json();
    const made = await page.request.post(`${url}/api/users`, { data: { name: "noc", password: "read-only-pass", role: "read-only" }, headers: { "x-csrf-token": session.csrfToken, origin: url } });
    expect(made.ok()).toBe(true);
    const ctx = await browser.newContext();
    const ro = await ctx.newPage();
    await signIn(ro, "noc", "read-only-pass");
    await expect(ro.getByTestId("host-row-e2ehost1")).toBeVisible();
    await expect(ro.getByTestId("host-add")).toHaveCount(0);
    await expect(ro.getByTestId("host-fence-e2ehost1")).toHaveCount(0);
    await expect(ro.getByTestId("host-remove-e2ehost1")).toHaveCount(0);
    await ctx.close();
  });

  test("a host whose key changes later (reinstalled, or impersonated) is shown as HOST KEY CHANGED", async ({ page }) => {
    await signIn(page);
    await expect(page.getByTestId("host-state-e2ehost1")).toHaveText("online");
    await stopGroup(sshd); // the connection drops ...
    await startSshd("other_key"); // ... and the host comes back with another key
    // the node goes offline (live store), the list is read again; Refresh reads it at once
    await expect(async () => {
      await page.getByTestId("hosts-refresh").click();
      await expect(page.getByTestId("host-state-e2ehost1")).toHaveText("HOST KEY CHANGED", { timeout: 1_000 });
    }).toPass({ timeout: 45_000 });
    await expect(page.getByTestId("host-row-e2ehost1")).toContainText(`pinned ${fingerprintOf(path.join(dir, "host_key.pub"))}, host presented ${fingerprintOf(path.join(dir, "other_key.pub"))}`);
    await shot(page, "hosts-key-changed-later");
  });

  test("fence now asks first and reports the result; the fencing history shows it; remove asks first", async ({ page }) => {
    await signIn(page);
    await page.getByTestId("host-fence-e2ehost1").click();
    await expect(page.getByTestId("host-action-confirm")).toContainText("Reboot e2ehost1 through its fence device now?");
    await page.getByTestId("host-action-yes").click();
    // no fence device is configured: the request fails, and says why
    await expect(page.getByTestId("host-action-result")).toContainText("Fencing e2ehost1 failed:", { timeout: 30_000 });
    await expect(page.locator('[data-testid^="fence-record-"]').first()).toHaveAttribute("data-state", "failed");
    await expect(page.getByTestId("fencing-history")).toContainText("reboot of e2ehost1");
    await page.getByTestId("nav-history").click();
    await page.getByTestId("history-tab-fencing").click();
    await expect(page.getByTestId("fencing-history")).toContainText("reboot of e2ehost1");
    await page.getByTestId("nav-hosts").click();

    await page.getByTestId("host-remove-e2ehost1").click();
    await expect(page.getByTestId("host-action-confirm")).toContainText("Remove e2ehost1?");
    await page.getByTestId("host-action-yes").click();
    await expect(page.getByTestId("host-action-result")).toHaveText("Host e2ehost1 removed.", { timeout: 30_000 });
    await expect(page.getByTestId("host-row-e2ehost1")).toHaveCount(0);
  });
});

test("on the embedded demo the Hosts page explains that its nodes are built in", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-hosts").click();
  await expect(page.getByTestId("hosts-demo")).toContainText("nodes (node1, node2, node3) are built in");
  await expect(page.getByTestId("hosts-demo")).toContainText("VIGIL_HOSTS=1");
  await expect(page.getByTestId("add-host-form")).toHaveCount(0);
  await page.getByTestId("nav-history").click();
  await page.getByTestId("history-tab-fencing").click();
  await expect(page.getByTestId("fencing-demo")).toBeVisible();
});
