// The live store survives a dropped socket and a lost patch: it says it is
// reconnecting, reconnects by itself, and resyncs to the server's state.
import { expect, test, type WebSocketRoute } from "@playwright/test";
import { applyWithPreview, expectNoReload, login, markNoReload, shot } from "./helpers";

test("a dropped WebSocket shows Reconnecting… and comes back live without reload", async ({ page }) => {
  const servers: WebSocketRoute[] = [];
  const pages: WebSocketRoute[] = [];
  let down = false;
  let refused = 0;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    if (down) {
      // the controller is away: the connection attempt fails
      refused++;
      void ws.close({ code: 1006 });
      return;
    }
    pages.push(ws);
    servers.push(ws.connectToServer());
  });
  await login(page);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await markNoReload(page);
  down = true;
  // the connection drops (as when the controller restarts)
  await servers.at(-1)!.close({ code: 1012, reason: "restart" });
  await pages.at(-1)!.close({ code: 1012, reason: "restart" });
  await expect(page.getByTestId("connection-banner")).toContainText("Reconnecting");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "reconnecting");
  await expect.poll(() => refused, { timeout: 10_000 }).toBeGreaterThan(1); // it keeps trying by itself
  await shot(page, "reconnecting");
  const before = servers.length;
  down = false;
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live", { timeout: 10_000 });
  await expect(page.getByTestId("connection-banner")).toHaveCount(0);
  expect(servers.length).toBeGreaterThan(before);
  await expectNoReload(page);
});

test("a lost patch makes the client resync, and it then shows the server's state", async ({ page }) => {
  let dropNext = false;
  let resyncs = 0;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const msg = JSON.parse(String(m));
      if (dropNext && msg.type === "patch") {
        dropNext = false; // the client never sees this version
        return;
      }
      ws.send(m);
    });
    ws.onMessage((m) => {
      if (JSON.parse(String(m)).type === "resync") resyncs++;
      server.send(m);
    });
  });
  await login(page);
  await expect(page.getByTestId("node-state-node1")).toHaveText("online");
  dropNext = true;
  await applyWithPreview(page, "standby-node1");
  // the next patch (from a version the client does not have) triggers a resync
  await expect(page.getByTestId("node-state-node1")).toHaveText("standby", { timeout: 10_000 });
  expect(resyncs).toBeGreaterThan(0);
  await applyWithPreview(page, "unstandby-node1");
  await expect(page.getByTestId("node-state-node1")).toHaveText("online", { timeout: 10_000 });
});

test("a page load opens one WebSocket, before hydration, and the store uses it", async ({ page }) => {
  await login(page);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  const opened: string[] = [];
  page.on("websocket", (ws) => opened.push(ws.url()));
  // a fresh document: the layout's inline script opens /ws while the HTML is parsed
  await page.goto("/");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await expect(page.getByTestId("standby-node1")).toBeEnabled();
  await page.waitForTimeout(500);
  expect(opened.filter((u) => /\/ws(\?|$)/.test(u))).toHaveLength(1);
  // the early socket was adopted, not left behind
  expect(await page.evaluate(() => "__vigilEarlySocket" in window)).toBe(false);
});
