// Issue 2's end-to-end path: log in with the generated password, see the three
// demo nodes online, put node1 in standby and watch its resources move off
// without a reload, then bring it back.
import { expect, test } from "@playwright/test";
import { applyWithPreview, expectNoReload, initialPassword, login, markNoReload, resourcesOn, shot } from "./helpers";

test("a wrong password is refused with a message that says what to do", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByTestId("login-password").fill("not-the-password");
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("login-error")).toContainText("initial-admin-password");
  await expect(page).toHaveURL(/\/login/);
  await shot(page, "login-error");
});

test("standby on node1 moves its resources off live, unstandby brings it back", async ({ page }) => {
  await login(page, "hacluster", initialPassword());
  for (const n of ["node1", "node2", "node3"]) await expect(page.getByTestId(`node-state-${n}`)).toHaveText("online");
  // The demo places resources on every node once it has started them.
  await expect.poll(() => resourcesOn(page, "node1"), { timeout: 10_000 }).not.toEqual([]);
  const moved = await resourcesOn(page, "node1");
  await shot(page, "dashboard");

  await markNoReload(page);
  await applyWithPreview(page, "standby-node1");
  await expect(page.getByTestId("node-state-node1")).toHaveText("standby");
  await expect(page.getByTestId("node-resources-node1")).toHaveText("No resources", { timeout: 5_000 });
  for (const id of moved) {
    // each resource that was on node1 now runs on another node, listed in the resource table
    await expect(page.getByTestId(`resource-node-${id}`)).toHaveText(/node[23]/, { timeout: 5_000 });
  }
  await expectNoReload(page);
  await shot(page, "dashboard-node1-standby");

  await applyWithPreview(page, "unstandby-node1");
  await expect(page.getByTestId("node-state-node1")).toHaveText("online");
  await expect(page.getByTestId("standby-node1")).toBeVisible();
  await expectNoReload(page);
});
