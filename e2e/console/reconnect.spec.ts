// The live store survives a dropped socket and a lost patch: it says it is
// reconnecting, reconnects by itself, and resyncs to the server's state.
import { inflateRawSync } from "node:zlib";
import { expect, test, type WebSocketRoute } from "@playwright/test";
import { apiCall, applyWithPreview, expectNoReload, login, markNoReload, shot } from "./helpers";

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
      // large messages come as raw DEFLATE binary frames (the console asks for them, see ws-frames.ts)
      const msg = JSON.parse(typeof m === "string" ? m : inflateRawSync(m).toString());
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

test("a full page load opens the WebSocket from the HTML, before the bundle, and the live store keeps that one socket", async ({ page }) => {
  await login(page);
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));
  await page.goto("/");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live", { timeout: 20_000 });
  // the early socket was taken over (components/early-socket.ts), not left open beside a second one
  expect(await page.evaluate(() => "__vigilEarlySocket" in window)).toBe(false);
  expect(sockets).toHaveLength(1);
  expect(sockets[0]).toMatch(/\/ws\?compress=deflate-raw$/);
  // and it is live: a change made elsewhere shows up on it
  expect((await apiCall(page, "POST", "/api/changes", { op: "node-standby", nodes: ["node3"], on: true })).status()).toBe(200);
  await expect(page.getByTestId("node-state-node3")).toHaveText("standby");
  expect((await apiCall(page, "POST", "/api/changes", { op: "node-standby", nodes: ["node3"], on: false })).status()).toBe(200);
  await expect(page.getByTestId("node-state-node3")).toHaveText("online");
  expect(sockets).toHaveLength(1);
});
