// Console latency benchmark (issue 5): time from a CIB change (node standby
// through the API) to (a) the patch arriving at raw WebSocket clients and
// (b) the node card changing in the DOM of open Chromium pages, with 1, 20
// and 200 clients. Starts its own Vigil server like the e2e tests do.
//   node --import tsx e2e/console/bench-console.ts [--rounds 5] [--pages 1,20] [--sockets 1,20,200]
// Prints median and p99 per setting. Not a test: numbers depend on the machine.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import WebSocket from "ws";
import { applyPatch } from "../../components/json-patch";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const rounds = Number(arg("rounds", "5"));
const pageCounts = arg("pages", "1,20").split(",").map(Number);
const socketCounts = arg("sockets", "1,20,200").split(",").map(Number);

process.env.VIGIL_E2E_STATE_DIR ??= mkdtempSync(path.join(tmpdir(), "vigil-e2e-"));
process.env.VIGIL_E2E_PORT ??= "3225";
const base = `http://127.0.0.1:${process.env.VIGIL_E2E_PORT}`;
const { default: globalSetup } = await import("./global-setup");
const { initialPassword } = await import("./helpers");

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return `median ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms (n=${s.length})`;
}

async function session() {
  const res = await fetch(`${base}/api/login`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ user: "hacluster", password: initialPassword() }) });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie: cookies.join("; "), csrfToken, cookies };
}

async function standby(s: { cookie: string; csrfToken: string }, on: boolean) {
  const res = await fetch(`${base}/api/changes`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, cookie: s.cookie, "x-csrf-token": s.csrfToken },
    body: JSON.stringify({ op: "node-standby", nodes: ["node1"], on }),
  });
  if (!res.ok) throw new Error(`standby failed: ${res.status} ${await res.text()}`);
}

async function benchSockets(s: Awaited<ReturnType<typeof session>>, n: number): Promise<number[]> {
  // each client keeps its own copy of the document, as the console does
  const clients = await Promise.all(
    Array.from({ length: n }, () => new Promise<{ ws: WebSocket; doc: { state: { nodes: { uname: string; standby: boolean }[] } } }>((resolve, reject) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`, { headers: { cookie: s.cookie, origin: base } });
      ws.once("message", (data) => {
        const c = { ws, doc: JSON.parse(String(data)) };
        ws.on("message", (d) => {
          const m = JSON.parse(String(d));
          if (m.type === "patch") c.doc = applyPatch(c.doc, m.ops);
          else if (m.type === "snapshot") c.doc = m;
        });
        resolve(c);
      });
      ws.once("error", reject);
    })),
  );
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const on = r % 2 === 0;
    const t0 = performance.now();
    const arrivals = clients.map((c) => new Promise<number>((resolve) => {
      const onMsg = () => {
        // listeners run in order: the document was already patched above
        if (c.doc.state.nodes.find((x) => x.uname === "node1")?.standby === on) {
          c.ws.off("message", onMsg);
          resolve(performance.now() - t0);
        }
      };
      c.ws.on("message", onMsg);
    }));
    await standby(s, on);
    out.push(...(await Promise.all(arrivals)));
    await new Promise((r) => setTimeout(r, 1500)); // let the transition settle
  }
  for (const c of clients) c.ws.close();
  if (rounds % 2) await standby(s, false);
  return out;
}

async function benchPages(s: Awaited<ReturnType<typeof session>>, n: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"] });
  const ctx = await browser.newContext();
  await ctx.addCookies(s.cookies.map((c) => { const [name, ...v] = c.split("="); return { name, value: v.join("="), url: base }; }));
  const pages: Page[] = [];
  for (let i = 0; i < n; i++) {
    const p = await ctx.newPage();
    await p.goto(`${base}/`);
    await p.getByTestId("node-state-node1").waitFor({ timeout: 60_000 });
    pages.push(p);
  }
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const want = r % 2 === 0 ? "standby" : "online";
    // each page stamps (wall clock) the moment its node1 badge shows the new state
    await Promise.all(pages.map((p) => p.evaluate((w) => {
      const el = document.querySelector('[data-testid="node-state-node1"]')!;
      (window as unknown as { __seen?: number }).__seen = undefined;
      const obs = new MutationObserver(() => {
        const now = document.querySelector('[data-testid="node-state-node1"]');
        if (now?.textContent === w) {
          (window as unknown as { __seen?: number }).__seen = Date.now();
          obs.disconnect();
        }
      });
      obs.observe(el.closest('[data-testid="node-grid"]') ?? document.body, { subtree: true, childList: true, characterData: true });
    }, want)));
    const t0 = Date.now();
    await standby(s, want === "standby");
    for (const p of pages) {
      await p.waitForFunction(() => (window as unknown as { __seen?: number }).__seen !== undefined, undefined, { timeout: 30_000 });
      out.push((await p.evaluate(() => (window as unknown as { __seen: number }).__seen)) - t0);
    }
    await new Promise((r) => setTimeout(r, 1500));
  }
  if (rounds % 2) await standby(s, false);
  await browser.close();
  return out;
}

const teardown = await globalSetup();
try {
  const s = await session();
  for (const n of socketCounts) console.log(`change -> patch at ${n} WebSocket client(s): ${stats(await benchSockets(s, n))}`);
  for (const n of pageCounts) console.log(`change -> DOM in ${n} Chromium page(s): ${stats(await benchPages(s, n))}`);
} finally {
  await teardown();
}
