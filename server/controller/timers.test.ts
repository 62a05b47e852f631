// When the controller wakes up for failure-timeout (pure part).
import { describe, expect, it } from "vitest";
import { demoCib } from "../demo/cib";
import type { Cib } from "../cib/types";
import { nextFailureExpiry } from "./controller";
import { wakeAt } from "./wake-at";
import { recordFailCount, setNodeMembership } from "./record";

function withFailureTimeout(cib: Cib, rsc: string, value: string): Cib {
  const walk = (r: Cib["configuration"]["resources"][number]) => {
    if (r.id === rsc) r.metaAttributes = [{ id: `${rsc}-meta_attributes`, nvpairs: [{ id: `${rsc}-ft`, name: "failure-timeout", value }] }];
    if (r.kind === "group") r.children.forEach(walk);
  };
  cib.configuration.resources.forEach(walk);
  return cib;
}

describe("nextFailureExpiry", () => {
  const failed = (cib: Cib) => {
    let c = setNodeMembership(cib, "1", "node1", "online", "t");
    c = recordFailCount(c, "1", "node1", "web-server", "monitor", 5000, "increment", 1000);
    c = recordFailCount(c, "1", "node1", "dummy1", "monitor", 10000, "increment", 1010);
    return c;
  };

  it("is undefined without failure-timeout", () => {
    expect(nextFailureExpiry(failed(demoCib()), 0)).toBeUndefined();
  });

  it("is last-failure + failure-timeout of the earliest failure after the given moment", () => {
    let cib = withFailureTimeout(demoCib(), "web-server", "1min");
    cib = withFailureTimeout(cib, "dummy1", "20s");
    cib = failed(cib);
    expect(nextFailureExpiry(cib, 0)).toBe(1030); // dummy1: 1010 + 20
    expect(nextFailureExpiry(cib, 1030)).toBe(1060); // then web-server: 1000 + 60
    expect(nextFailureExpiry(cib, 1060)).toBeUndefined();
  });

  it("takes failure-timeout from rsc_defaults and from the group", () => {
    let cib = demoCib();
    cib.configuration.rscDefaults[0].nvpairs.push({ id: "d-ft", name: "failure-timeout", value: "30s" });
    cib = withFailureTimeout(cib, "web", "5s");
    cib = failed(cib);
    expect(nextFailureExpiry(cib, 0)).toBe(1005); // web-server inherits 5s from its group
    expect(nextFailureExpiry(cib, 1005)).toBe(1040); // dummy1: rsc_defaults 30s
  });
});

describe("wakeAt", () => {
  it("runs only once the controller's clock has reached the moment, even when timers fire early by that clock", async () => {
    // a clock that runs at 80 % of timer speed: every plain setTimeout(delay) fires early by it
    const t0 = Date.now();
    const base = 5_000_000;
    const clock = () => base + (Date.now() - t0) * 0.8;
    const at = base + 200;
    const seen = await new Promise<number>((resolve) => wakeAt(clock, at, () => resolve(clock())));
    expect(seen).toBeGreaterThanOrEqual(at);
  });

  it("runs once, and not at all when cancelled", async () => {
    let runs = 0;
    wakeAt(Date.now, Date.now() + 20, () => runs++);
    const cancelled = wakeAt(Date.now, Date.now() + 20, () => runs++);
    cancelled.cancel();
    await new Promise((r) => setTimeout(r, 120));
    expect(runs).toBe(1);
  });
});
