import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";

export const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts");

/** The password the server generated at first start, as an admin would read it. */
export function initialPassword(): string {
  const dir = process.env.VIGIL_E2E_STATE_DIR;
  if (!dir) throw new Error("VIGIL_E2E_STATE_DIR is not set (run through playwright.config.ts)");
  return readFileSync(path.join(dir, "initial-admin-password"), "utf8").trim();
}

export async function login(page: Page, user = "hacluster", password = initialPassword()) {
  await page.goto("/login");
  await page.getByTestId("login-user").fill(user);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  // the first snapshot on a loaded CI machine can take a few seconds
  await expect(page.getByTestId("dashboard")).toBeVisible({ timeout: 20_000 });
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** Ids of the resources the node card lists. */
export async function resourcesOn(page: Page, node: string): Promise<string[]> {
  const prefix = `node-resource-${node}-`;
  const ids = await page.locator(`[data-testid^="${prefix}"]`).evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
  return ids.map((id) => id.slice(prefix.length));
}

/** Marks the document so a test can prove later that the page was not reloaded. */
export async function markNoReload(page: Page) {
  await page.evaluate(() => ((window as unknown as { __vigilNoReload: boolean }).__vigilNoReload = true));
}
export async function expectNoReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __vigilNoReload?: boolean }).__vigilNoReload)).toBe(true);
}

/** Clicks a change button, checks the what-if preview appears, and applies. */
export async function applyWithPreview(page: Page, testId: string) {
  await page.getByTestId(testId).click();
  const dialog = page.getByTestId("preview-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("preview-apply")).toBeEnabled();
  await page.getByTestId("preview-apply").click();
  // the dialog closes when the API answers (it waits for the CIB fsync: >20 s seen on the loaded shared machine)
  await expect(dialog).toBeHidden({ timeout: 45_000 });
}

/** A REST call with the page's session (cookie + CSRF header), as the console makes it. */
export async function apiCall(page: Page, method: "GET" | "POST" | "PUT" | "DELETE", url: string, data?: unknown) {
  const session = await page.request.get("/api/session");
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const origin = new URL(page.url()).origin;
  return page.request.fetch(url, { method, data, headers: { "x-csrf-token": csrfToken, origin } });
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs the `vigil` CLI against the test server, as an admin on the controller's machine would. */
export function vigil(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin/vigil.mjs"), ...args], {
    cwd: repoRoot,
    env: { ...process.env, VIGIL_STATE_DIR: process.env.VIGIL_E2E_STATE_DIR, VIGIL_PORT: process.env.VIGIL_E2E_PORT ?? "3224", VIGIL_HOST: "127.0.0.1" } as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** pids of the demo web server processes of this test run (to make a resource fail for real). */
export function demoWebServerPids(): number[] {
  const dir = process.env.VIGIL_E2E_STATE_DIR!;
  const pids: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
      if (!cmd.includes("webserver.mjs")) continue;
      const env = readFileSync(`/proc/${p}/environ`, "utf8");
      if (cmd.includes(dir) || env.includes(dir)) pids.push(Number(p));
    } catch {
      /* gone */
    }
  }
  return pids;
}
