import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const artifacts = path.resolve(__dirname, "../artifacts");

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
  await expect(page.getByTestId("dashboard")).toBeVisible();
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
  await expect(dialog).toBeHidden();
}
