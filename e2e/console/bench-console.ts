// Console benchmark (issue 5):
// 1. time from a CIB change (node standby through the API) to (a) the patch
//    arriving at raw WebSocket clients and (b) the node card changing in the
//    DOM of open Chromium pages, with 1, 20 and 200 clients, on the demo;
// 2. the dashboard at 100 nodes x 2000 resources (bench-big-cluster.ts): time
//    from navigation to the dashboard interactive (node cards rendered, the
//    standby button clickable) in Chromium, and change-to-DOM at that size.
// Starts its own servers (port VIGIL_E2E_PORT [3225], build VIGIL_NEXT_DIST [.next-bench]).
//   node --import tsx e2e/console/bench-console.ts [--rounds 5] [--pages 1,20] [--sockets 1,20,200]
//        [--big 100x2000] [--big-rounds 5]     (--pages "" / --sockets "" / --big "" skip a part)
// Prints median and p99 per setting, and the load average. Not a test: numbers depend on the machine.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "@playwright/test";
import WebSocket from "ws";
import { applyPatch } from "../../components/json-patch";
import { CHROMIUM, chromiumArgs } from "../chromium";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const list = (v: string) => v.split(",").filter(Boolean).map(Number);
const rounds = Number(arg("rounds", "5"));
const pageCounts = list(arg("pages", "1,20"));
const socketCounts = list(arg("sockets", "1,20,200"));
const big = arg("big", "100x2000");
const bigRounds = Number(arg("big-rounds", "5"));

process.env.VIGIL_E2E_STATE_DIR ??= mkdtempSync(path.join(tmpdir(), "vigil-e2e-"));
process.env.VIGIL_E2E_PORT ??= "3225";
// never the e2e suite's .next/: the benchmark has its own build folder
process.env.VIGIL_NEXT_DIST ??= ".next-bench";
const base = `http://127.0.0.1:${process.env.VIGIL_E2E_PORT}`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const load = () => `load ${loadavg().map((x) => x.toFixed(2)).join(" ")}`;
const { default: globalSetup } = await import("./global-setup");
const { initialPassword } = await import("./helpers");

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return `median ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length}; ${load()})`;
}

async function session(password = initialPassword()) {
  const res = await fetch(`${base}/api/login`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ user: "hacluster", password }) });
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

// VIGIL_BENCH_CHROMIUM_UI=1 keeps the omnibox popup that e2e/chromium.ts turns off (~1 s of CPU per new tab here)
const browserUi = process.env.VIGIL_BENCH_CHROMIUM_UI === "1";
const launch = () => chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs({ browserUi }) });

async function contextWith(browser: Browser, s: Awaited<ReturnType<typeof session>>) {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await ctx.addCookies(s.cookies.map((c) => { const [name, ...v] = c.split("="); return { name, value: v.join("="), url: base }; }));
  return ctx;
}

async function benchPages(s: Awaited<ReturnType<typeof session>>, n: number, settleMs = 1500): Promise<number[]> {
  const browser = await launch();
  const ctx = await contextWith(browser, s);
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
    await new Promise((r) => setTimeout(r, settleMs));
  }
  if (rounds % 2) await standby(s, false);
  await browser.close();
  return out;
}

// Stamps, in page time (ms since navigation start), the first WebSocket message
// and the moment node1's card and its standby button are in the DOM.
const stampScript = () => {
  const w = window as unknown as { __firstMsg?: number; __cards?: number; __marks?: boolean };
  const W = window.WebSocket;
  window.WebSocket = class extends W {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", () => (w.__firstMsg ??= performance.now()), { once: true });
    }
  };
  const obs = new MutationObserver(() => {
    if (w.__cards === undefined && document.querySelector('[data-testid="standby-node1"]')) {
      w.__cards = performance.now();
      obs.disconnect();
    }
  });
  document.addEventListener("DOMContentLoaded", () => obs.observe(document.body, { subtree: true, childList: true }));
};

/** Navigation -> dashboard interactive, n fresh pages one after the other (the first one with a cold cache). */
async function benchDashboard(s: Awaited<ReturnType<typeof session>>, n: number) {
  const browser = await launch();
  const ctx = await contextWith(browser, s);
  await ctx.addInitScript(stampScript);
  const interactive: number[] = [];
  const firstMsg: number[] = [];
  const cards: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = await ctx.newPage();
    const cdp = await ctx.newCDPSession(p);
    await cdp.send("Performance.enable");
    const t0 = Date.now();
    await p.goto(`${base}/`);
    // Watch for the button every frame: Playwright's own retries back off to 500 ms
    // between checks, which would add up to half a second that no user waits.
    await p.waitForFunction(() => {
      const b = document.querySelector('[data-testid="standby-node1"]') as HTMLButtonElement | null;
      return !!b && !b.disabled && b.getClientRects().length > 0;
    }, undefined, { polling: "raf", timeout: 60_000 });
    // then actionable: attached, visible, stable, enabled and hit by a click at its centre
    await p.getByTestId("standby-node1").click({ trial: true, timeout: 60_000 });
    interactive.push(Date.now() - t0);
    // CPU time of the page's main thread so far: much less sensitive to the machine's load than wall time
    const { metrics } = await cdp.send("Performance.getMetrics");
    cpu.push((metrics.find((x) => x.name === "ThreadTime")?.value ?? NaN) * 1000);
    const m = await p.evaluate(() => {
      const w = window as unknown as { __firstMsg?: number; __cards?: number };
      return { firstMsg: w.__firstMsg ?? NaN, cards: w.__cards ?? NaN, rows: document.querySelectorAll('[data-testid^="resource-row-"]').length, nodeCards: document.querySelectorAll('[data-testid^="node-card-"]').length };
    });
    firstMsg.push(m.firstMsg);
    cards.push(m.cards);
    if (i === 0) console.log(`  dashboard DOM: ${m.nodeCards} node cards and ${m.rows} resource rows mounted`);
    await p.close();
  }
  await browser.close();
  return { interactive, firstMsg, cards, cpu };
}

async function startBig(nodes: number, resources: number) {
  const stateDir = mkdtempSync(path.join(tmpdir(), "vigil-e2e-big-"));
  const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", VIGIL_STATE_DIR: stateDir, VIGIL_PORT: process.env.VIGIL_E2E_PORT, VIGIL_BENCH_NODES: String(nodes), VIGIL_BENCH_RESOURCES: String(resources) } as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, ["--import", "tsx", "e2e/console/bench-big-cluster.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready ")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`bench-big-cluster exited with ${code}: ${out}`)));
  });
  const password = readFileSync(path.join(stateDir, "initial-admin-password"), "utf8").trim();
  return {
    password,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

if (socketCounts.length || pageCounts.length) {
  const teardown = await globalSetup();
  try {
    const s = await session();
    for (const n of socketCounts) console.log(`change -> patch at ${n} WebSocket client(s): ${stats(await benchSockets(s, n))}`);
    for (const n of pageCounts) console.log(`change -> DOM in ${n} Chromium page(s): ${stats(await benchPages(s, n))}`);
  } finally {
    await teardown();
  }
}

if (big) {
  const [nodes, resources] = big.split("x").map(Number);
  const t = Date.now();
  const srv = await startBig(nodes, resources);
  console.log(`${nodes} nodes x ${resources} resources server up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  console.log(`Chromium: ${browserUi ? "with" : "without"} its omnibox WebUI popup per tab (VIGIL_BENCH_CHROMIUM_UI=${browserUi ? 1 : 0}, see e2e/chromium.ts)`);
  try {
    const s = await session(srv.password);
    const d = await benchDashboard(s, bigRounds);
    console.log(`dashboard interactive at ${nodes}x${resources} (navigation -> standby button actionable): ${stats(d.interactive)}`);
    console.log(`  of which: first WebSocket message at ${stats(d.firstMsg)}; node cards in the DOM at ${stats(d.cards)} (page time)`);
    console.log(`  main-thread CPU of the page until interactive: ${stats(d.cpu)}`);
    console.log(`change -> DOM at ${nodes}x${resources} in 1 Chromium page: ${stats(await benchPages(s, 1, 300))}`);
    console.log(`change -> patch at ${nodes}x${resources}, 20 WebSocket clients: ${stats(await benchSockets(s, 20))}`);
  } finally {
    await srv.stop();
  }
}
