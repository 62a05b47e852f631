// The browser the suite and the benchmark run (e2e/chromium.ts): no omnibox
// WebUI renderer per tab, and Playwright's own disabled features kept.
import { readFileSync, readdirSync } from "node:fs";
import { chromium, expect, test } from "@playwright/test";
import { CHROMIUM, chromiumArgs, playwrightDisabledFeatures } from "../chromium";

/** Command lines of every descendant of the browser started with `marker`. */
function browserTree(marker: string): string[] {
  const procs = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
        return [{ pid, ppid, cmd: readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ") }];
      } catch {
        return []; // gone meanwhile
      }
    });
  const root = procs.find((p) => p.cmd.includes(marker) && !p.cmd.includes("--type="));
  if (!root) throw new Error(`no browser process with ${marker}`);
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!tree.has(p.pid) && tree.has(p.ppid)) (tree.add(p.pid), (grew = true));
  }
  return procs.filter((p) => tree.has(p.pid)).map((p) => p.cmd);
}

async function renderersAfterTwoTabs(browserUi: boolean): Promise<string[]> {
  const marker = `--vigil-launch-probe=${process.pid}-${browserUi ? 1 : 0}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [marker, ...chromiumArgs({ browserUi })] });
  try {
    const ctx = await browser.newContext();
    for (let i = 0; i < 2; i++) await (await ctx.newPage()).setContent(`<p>tab ${i}</p>`);
    await new Promise((r) => setTimeout(r, 1000)); // the popup's renderer starts shortly after the tab
    return browserTree(marker).filter((c) => c.includes("--type=renderer"));
  } finally {
    await browser.close();
  }
}

test("the suite's Chromium opens no omnibox WebUI renderer, and keeps Playwright's disabled features", async () => {
  const ours = await renderersAfterTwoTabs(false);
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.filter((c) => c.includes("--top-chrome-webui"))).toEqual([]);
  // the check sees the popup when it is not turned off (Debian's Chromium 156 builds one)
  const stock = await renderersAfterTwoTabs(true);
  expect(stock.filter((c) => c.includes("--top-chrome-webui")).length).toBeGreaterThan(0);

  const args = chromiumArgs();
  const features = args.filter((a) => a.startsWith("--disable-features="));
  expect(features).toHaveLength(1); // Chromium honours only the last one
  expect(features[0].split("=")[1].split(",")).toEqual(expect.arrayContaining([...playwrightDisabledFeatures(), "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]));
  expect(playwrightDisabledFeatures()).toContain("PaintHolding");
});
