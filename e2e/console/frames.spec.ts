// Compressed frames in the browser. The demo's snapshot is smaller than the
// threshold (WS_COMPRESS_FROM), so here the route compresses every snapshot the
// way the server does for a large cluster: the console must inflate it, keep
// the order with the text patches that follow, and never render a binary frame
// that does not inflate (it asks for a fresh snapshot instead).
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { expect, test } from "@playwright/test";
import { apiCall, login } from "./helpers";

test("snapshots as DEFLATE binary frames render, patches after them apply, and a frame that does not inflate is replaced by a resync", async ({ page }) => {
  let binarySnapshots = 0;
  let resyncs = 0;
  let dropNextPatch = false;
  let corruptNextSnapshot = false;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const text = typeof m === "string" ? m : inflateRawSync(m).toString();
      const msg = JSON.parse(text) as { type: string };
      if (msg.type === "snapshot") {
        if (corruptNextSnapshot) {
          corruptNextSnapshot = false;
          ws.send(Buffer.from("this is not raw deflate"));
          return;
        }
        binarySnapshots++;
        ws.send(deflateRawSync(Buffer.from(text)));
        return;
      }
      if (msg.type === "patch" && dropNextPatch) {
        dropNextPatch = false; // a gap: the client resyncs, and that snapshot comes corrupted
        corruptNextSnapshot = true;
        return;
      }
      ws.send(text);
    });
    ws.onMessage((m) => {
      if (JSON.parse(String(m)).type === "resync") resyncs++;
      server.send(m);
    });
  });
  await login(page);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await expect(page.getByTestId("node-state-node1")).toHaveText("online");
  expect(binarySnapshots).toBeGreaterThan(0);
  // the standby's patch is lost: the transition's next patch shows a gap, the client resyncs, that snapshot
  // comes corrupted (not rendered; the client asks again), the next one shows the server's state
  dropNextPatch = true;
  const before = { resyncs, binarySnapshots };
  expect((await apiCall(page, "POST", "/api/changes", { op: "node-standby", nodes: ["node1"], on: true })).status()).toBe(200);
  await expect.poll(() => resyncs - before.resyncs, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("node-state-node1")).toHaveText("standby", { timeout: 10_000 });
  expect(binarySnapshots).toBeGreaterThan(before.binarySnapshots);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  // a text patch after a binary snapshot applies to it
  expect((await apiCall(page, "POST", "/api/changes", { op: "node-standby", nodes: ["node1"], on: false })).status()).toBe(200);
  await expect(page.getByTestId("node-state-node1")).toHaveText("online", { timeout: 10_000 });
});

test("a first snapshot that does not inflate, taken over from the page's early socket, is not rendered: the console asks again and shows the next one", async ({ page }) => {
  await login(page);
  let snapshots = 0;
  let resyncs = 0;
  await page.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const text = typeof m === "string" ? m : inflateRawSync(m).toString();
      if ((JSON.parse(text) as { type: string }).type !== "snapshot") return ws.send(text);
      // the first snapshot of the page (the one the early socket receives, inflating it before hydration) is corrupt
      ws.send(snapshots++ === 0 ? Buffer.from("this is not raw deflate either") : deflateRawSync(Buffer.from(text)));
    });
    ws.onMessage((m) => {
      if (JSON.parse(String(m)).type === "resync") resyncs++;
      server.send(m);
    });
  });
  // a full page load: the socket is the one the page's HTML opens before hydration (components/early-socket.ts)
  await page.goto("/");
  await expect(page.getByTestId("node-state-node1")).toHaveText(/online|standby/);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  expect(snapshots).toBeGreaterThanOrEqual(2);
  expect(resyncs).toBeGreaterThanOrEqual(1);
  expect(await page.evaluate(() => "__vigilEarlySocket" in window)).toBe(false);
});
