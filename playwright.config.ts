// Playwright runs the console tests in Debian's Chromium against the real
// Vigil server (server.ts, production build) on the embedded demo cluster,
// with a fresh state directory so every run starts from a first start.
// e2e/console/global-setup.ts starts and stops that server.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM, chromiumArgs } from "./e2e/chromium";

const port = Number(process.env.VIGIL_E2E_PORT ?? 3224);
// Workers inherit the runner's environment, so the directory is made once.
process.env.VIGIL_E2E_STATE_DIR ??= mkdtempSync(path.join(tmpdir(), "vigil-e2e-"));
const stateDir = process.env.VIGIL_E2E_STATE_DIR;
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  reporter: "list",
  // One demo cluster is shared by all tests; they change it, so one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 5_000 },
  retries: 0,
  // starts the real server (and stops it, with the demo agents it leaves running)
  globalSetup: "./e2e/console/global-setup.ts",
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: CHROMIUM,
      // e2e/chromium.ts: also turns off the omnibox WebUI popup Debian's Chromium builds for every tab
      args: chromiumArgs({ extra: ["--disable-background-networking", "--disable-component-update", "--disable-sync"] }),
    },
  },
});
