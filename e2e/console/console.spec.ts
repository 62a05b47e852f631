// Issue 5's console flows on the embedded demo cluster: preview before apply,
// changes from the CLI appearing live in another browser, creating from a
// preset, the operation editor, move/ban/clear, cleanup of a real failure,
// the NOC screen with a read-only token, and read-only users.
import { expect, test, type Page } from "@playwright/test";
import { apiCall, applyWithPreview, demoWebServerPids, expectNoReload, login, markNoReload, resourcesOn, shot, vigil } from "./helpers";

test.describe.configure({ mode: "serial" });

async function allNodesOnline(page: Page) {
  for (const n of ["node1", "node2", "node3"]) await expect(page.getByTestId(`node-state-${n}`)).toHaveText("online", { timeout: 10_000 });
}

test("the preview shows what standby would move, and Cancel changes nothing", async ({ page }) => {
  await login(page);
  await allNodesOnline(page);
  // the demo's web group prefers node1
  await expect.poll(() => resourcesOn(page, "node1"), { timeout: 10_000 }).not.toEqual([]);
  const on1 = await resourcesOn(page, "node1");
  await page.getByTestId("standby-node1").click();
  const lines = page.getByTestId("preview-summary-line");
  await expect(lines.first()).toBeVisible();
  // every resource on node2 appears in the plan
  for (const id of on1) await expect(page.getByTestId("preview-summary")).toContainText(id);
  await shot(page, "preview-standby-node1");
  await page.getByTestId("preview-cancel").click();
  await expect(page.getByTestId("preview-dialog")).toBeHidden();
  await page.waitForTimeout(1000);
  await expect(page.getByTestId("node-state-node1")).toHaveText("online");
  expect(await resourcesOn(page, "node1")).toEqual(on1);
});

test("standby from the CLI and from another browser shows up live", async ({ page, browser }) => {
  await login(page);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await login(page2);
  await markNoReload(page);
  await markNoReload(page2);

  const r = vigil("node", "standby", "node3");
  expect(r.code, r.stderr).toBe(0);
  await expect(page.getByTestId("node-state-node3")).toHaveText("standby", { timeout: 5_000 });
  await expect(page2.getByTestId("node-state-node3")).toHaveText("standby", { timeout: 5_000 });
  await expect(page2.getByTestId("node-resources-node3")).toHaveText("No resources", { timeout: 5_000 });

  // a click in the first browser appears in the second
  await applyWithPreview(page, "unstandby-node3");
  await expect(page2.getByTestId("node-state-node3")).toHaveText("online", { timeout: 5_000 });
  await expectNoReload(page);
  await expectNoReload(page2);
  await other.close();
});

test("create a resource from the Dummy preset, edit its monitor interval, move, ban and clear it", async ({ page }) => {
  await login(page);
  await page.getByTestId("nav-resources").click();
  await page.getByTestId("create-resource").click();
  await page.getByTestId("preset-dummy").click();
  await page.getByTestId("create-id-0").fill("e2e-dummy");
  await shot(page, "create-wizard");
  await page.getByTestId("create-submit").click();
  await expect(page.getByTestId("preview-summary")).toContainText("e2e-dummy");
  await page.getByTestId("preview-apply").click();
  await expect(page).toHaveURL(/\/resources\/e2e-dummy$/, { timeout: 20_000 });
  await expect(page.getByTestId("resource-detail-status")).toHaveText("Started", { timeout: 20_000 });

  // operation editor: 10s -> 20s in ONE change (one preview, one Apply), then the CIB has the new monitor
  const row = page.locator('[data-testid^="op-row-"]', { hasText: "monitor" });
  const opId = (await row.first().getAttribute("data-testid"))!.slice("op-row-".length);
  await page.getByTestId(`op-edit-${opId}`).click();
  await page.getByTestId("op-edit-interval").fill("20s");
  await page.getByTestId("op-edit-save").click();
  await expect(page.getByTestId("preview-dialog")).toContainText("interval=20s");
  await page.getByTestId("preview-apply").click();
  await expect(page.getByTestId("preview-dialog")).toBeHidden(); // no second step
  const monitorIntervals = () =>
    page.locator('[data-testid^="op-row-"]', { hasText: "monitor" }).evaluateAll((rows) => rows.map((r) => r.querySelector('[data-testid^="op-interval-"]')?.textContent?.trim()));
  await expect.poll(monitorIntervals, { timeout: 20_000 }).toEqual(["20s"]);
  const cib = await (await apiCall(page, "GET", "/api/cib")).text();
  expect(cib).toMatch(/e2e-dummy[^]*interval="20s"/);
  // changed in place: the pcs-style id follows the interval, the old monitor is gone
  expect(cib).toContain('<op id="e2e-dummy-monitor-interval-20s" name="monitor" interval="20s"');
  expect(cib).not.toContain("e2e-dummy-monitor-interval-10s");
  await shot(page, "resource-detail");

  // move to another node
  const from = (await page.getByTestId("resource-detail-nodes").textContent())!.replace("on ", "").trim();
  const to = ["node1", "node2", "node3"].find((n) => n !== from)!;
  await page.getByTestId("move-node").selectOption(to);
  await applyWithPreview(page, "resource-move");
  await expect(page.getByTestId("resource-detail-nodes")).toHaveText(`on ${to}`, { timeout: 10_000 });
  // ban from that node: it leaves it
  await applyWithPreview(page, "resource-ban");
  await expect(page.getByTestId("resource-detail-nodes")).not.toHaveText(`on ${to}`, { timeout: 10_000 });
  // clear removes the cli-prefer / cli-ban constraints
  await page.getByTestId("move-node").selectOption("");
  await applyWithPreview(page, "resource-clear");
  await page.getByTestId("nav-constraints").click();
  await expect(page.getByTestId("constraints-page")).toBeVisible();
  await expect(page.locator('[data-testid^="constraint-cli-"]')).toHaveCount(0);
  await shot(page, "constraints");

  // delete it again
  await page.goto("/resources/e2e-dummy");
  await applyWithPreview(page, "resource-delete");
  await expect(page).toHaveURL(/\/resources$/, { timeout: 20_000 });
  await expect(page.getByTestId("resource-row-e2e-dummy")).toHaveCount(0, { timeout: 10_000 });
});

test("the VIP + web server preset validates as you type and previews both starts", async ({ page }) => {
  await login(page);
  await page.goto("/resources/new");
  await page.getByTestId("preset-vip-web").click();
  const submit = page.getByTestId("create-submit");
  await expect(submit).toBeDisabled(); // the IP is required
  await page.getByTestId("create-param-0-ip").fill("10.0.0.300");
  await expect(page.getByText('"10.0.0.300" is not an IPv4 address')).toBeVisible();
  await expect(submit).toBeDisabled();
  await page.getByTestId("create-param-0-ip").fill("127.0.0.77");
  await expect(submit).toBeEnabled();
  await expect(page.getByTestId("create-group")).toHaveValue("web-stack");
  await submit.click();
  // step 1 of 2: the address; the preview names it and where it would start
  await expect(page.getByTestId("preview-dialog")).toContainText("1 of 2");
  await expect(page.getByTestId("preview-summary")).toContainText("vip");
  await shot(page, "preview-create-vip");
  await page.getByTestId("preview-cancel").click();
  await expect(page.getByTestId("preview-dialog")).toBeHidden();
  await expect(page).toHaveURL(/\/resources\/new$/); // nothing was created
  const cib = await (await apiCall(page, "GET", "/api/cib")).text();
  expect(cib).not.toContain('id="web-stack"');
});

test("why is it here: the web server's scores favour node1, and clone / unclone work", async ({ page }) => {
  await login(page);
  await page.goto("/resources/web-server");
  await page.getByTestId("why-here-toggle").click();
  const table = page.getByTestId("scores-table");
  await expect(table).toBeVisible({ timeout: 10_000 });
  await expect(table).toContainText("node1");
  await expect(page.getByTestId("why-here")).toContainText("web prefers node1");
  await shot(page, "why-here");

  // clone dummy1 (one instance per node), then unclone it
  await page.goto("/resources/dummy1");
  await applyWithPreview(page, "clone");
  await page.goto("/resources");
  await expect(page.getByTestId("resource-row-dummy1-clone")).toHaveAttribute("data-kind", "clone", { timeout: 10_000 });
  await page.goto("/resources/dummy1-clone");
  await applyWithPreview(page, "unclone");
  await page.goto("/resources");
  await expect(page.getByTestId("resource-row-dummy1")).toHaveAttribute("data-kind", "primitive", { timeout: 10_000 });
  await expect(page.getByTestId("resource-row-dummy1-clone")).toHaveCount(0);
});

test("a killed web server shows as a failed action, is recovered, and Cleanup clears it", async ({ page }) => {
  await login(page);
  const pids = demoWebServerPids();
  expect(pids.length, "the demo runs a web server process").toBeGreaterThan(0);
  await markNoReload(page);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  const rsc = "web-server"; // the demo's WebServer resource
  await expect(page.getByTestId(`failed-action-${rsc}`)).toBeVisible({ timeout: 30_000 });
  // "not running" as a rule; "does not answer" if the monitor ran while the killed server was still exiting
  await expect(page.getByTestId(`failed-action-${rsc}`)).toContainText(/not running|runs but does not answer/);
  await expect(page.getByTestId(`resource-status-${rsc}`)).toHaveText(/Started/, { timeout: 30_000 });
  await shot(page, "failed-action");
  await page.getByTestId(`cleanup-${rsc}`).click();
  await expect(page.getByTestId(`failed-action-${rsc}`)).toHaveCount(0, { timeout: 10_000 });
  await expectNoReload(page);
});

test("the NOC screen works with a read-only token and shows a failure within a second", async ({ page, browser }) => {
  await login(page);
  const res = await apiCall(page, "POST", "/api/tokens", { name: `noc-${Date.now()}`, role: "read-only" });
  expect(res.ok(), await res.text()).toBe(true);
  const { token } = (await res.json()) as { token: string };
  const wall = await browser.newContext(); // no session: only the token
  const noc = await wall.newPage();
  await noc.goto(`/noc?token=${encodeURIComponent(token)}`);
  await expect(noc.getByTestId("noc-board")).toBeVisible();
  for (const n of ["node1", "node2", "node3"]) await expect(noc.getByTestId(`noc-node-${n}`)).toBeVisible();
  await expect(noc.locator("button")).toHaveCount(0);
  await shot(noc, "noc");

  // the token can read but not change
  const denied = await wall.request.post("/api/changes", { data: { op: "node-standby", nodes: ["node1"], on: true }, headers: { authorization: `Bearer ${token}` } });
  expect(denied.status()).toBe(403);

  // a standby shows on the wall within a second of the change
  const r = vigil("node", "standby", "node2");
  expect(r.code, r.stderr).toBe(0);
  await expect(noc.getByTestId("noc-node-node2")).toHaveAttribute("data-tone", "warn", { timeout: 1_500 });
  expect(vigil("node", "unstandby", "node2").code).toBe(0);
  await expect(noc.getByTestId("noc-node-node2")).toHaveAttribute("data-tone", "ok", { timeout: 5_000 });
  await wall.close();
});

test("a read-only user sees no action buttons and the API refuses changes", async ({ page, browser }) => {
  await login(page);
  const name = `viewer${Date.now() % 100000}`;
  const created = await apiCall(page, "POST", "/api/users", { name, password: "viewer-password-1", role: "read-only" });
  expect(created.ok(), await created.text()).toBe(true);
  const ctx = await browser.newContext();
  const ro = await ctx.newPage();
  await login(ro, name, "viewer-password-1");
  await expect(ro.getByTestId("node-card-node1")).toBeVisible();
  await expect(ro.locator('[data-testid^="standby-"], [data-testid^="unstandby-"], [data-testid^="cleanup-"]')).toHaveCount(0);
  await ro.getByTestId("nav-resources").click();
  await expect(ro.getByTestId("create-resource")).toHaveCount(0);
  const refused = await apiCall(ro, "POST", "/api/changes", { op: "node-standby", nodes: ["node1"], on: true });
  expect(refused.status()).toBe(403);
  await ctx.close();
});

test("screenshots of every page", async ({ page }) => {
  await login(page);
  for (const [nav, name] of [
    ["nav-nodes", "nodes"],
    ["nav-resources", "resources"],
    ["nav-constraints", "constraints"],
    ["nav-properties", "properties"],
    ["nav-history", "history"],
    ["nav-users", "users"],
  ] as const) {
    await page.getByTestId(nav).click();
    await expect(page.getByTestId(`${name}-page`)).toBeVisible();
    if (name === "history") await expect(page.getByTestId("transition-list")).toBeVisible();
    await shot(page, name);
  }
});
