// VIGIL_DEMO_WEB_PORT moves the demo web servers, so two demo clusters (or a
// demo and the e2e tests) can run side by side on one machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { startController } from "./start";
import { freePortBase } from "./test-helpers";

const dirs: string[] = [];
afterEach(() => {
  delete process.env.VIGIL_DEMO_WEB_PORT;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it("the demo web server answers on the ports VIGIL_DEMO_WEB_PORT names", async () => {
  const base = await freePortBase();
  process.env.VIGIL_DEMO_WEB_PORT = String(base);
  const d = mkdtempSync(path.join(tmpdir(), "vigil-ports-"));
  dirs.push(d);
  const ctl = await startController({ stateDir: d, demo: true });
  try {
    await ctl.settled(60000);
    const web = ctl.snapshot().state.resources.find((r) => r.id === "web")!.children.find((c) => c.id === "web-server")!;
    const node = web.active[0].node;
    const port = base + Number(node.replace("node", "")) - 1;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(node);
  } finally {
    await ctl.stop({ stopResources: true });
  }
}, 120000);

it("a VIGIL_DEMO_WEB_PORT that is no port is refused with its name", async () => {
  process.env.VIGIL_DEMO_WEB_PORT = "http";
  const d = mkdtempSync(path.join(tmpdir(), "vigil-ports-"));
  dirs.push(d);
  await expect(startController({ stateDir: d, demo: true })).rejects.toThrow(/VIGIL_DEMO_WEB_PORT must be a port number, got 'http'/);
});
