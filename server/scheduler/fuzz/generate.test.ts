import { describe, expect, it } from "vitest";
import { parseCibXml } from "../../cib/xml";
import { generateCib, renderCib, shrinkSpec } from "./generate";
import { pacemakerPlacement } from "./differential";

describe("random CIB generator", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    expect(renderCib(generateCib(42))).toBe(renderCib(generateCib(42)));
    expect(renderCib(generateCib(42))).not.toBe(renderCib(generateCib(43)));
  });

  it("covers node states, resource kinds, constraint kinds and failures over a batch", () => {
    const specs = Array.from({ length: 200 }, (_, i) => generateCib(i + 1));
    const modes = new Set(specs.flatMap((s) => s.nodes.map((n) => n.mode)));
    expect([...modes].sort()).toEqual(["maintenance", "offline", "online", "standby", "unclean"]);
    const kinds = new Set(specs.flatMap((s) => s.resources.map((r) => (r.kind === "clone" && r.promotable ? "promotable" : r.kind))));
    expect([...kinds].sort()).toEqual(["clone", "group", "primitive", "promotable"]);
    const cons = new Set(specs.flatMap((s) => s.constraints.map((c) => c.kind)));
    expect([...cons].sort()).toEqual(["colocation", "location", "order"]);
    expect(specs.some((s) => s.constraints.some((c) => c.kind === "location" && c.score === "-INFINITY"))).toBe(true);
    expect(specs.some((s) => s.failures.length > 0)).toBe(true);
    expect(specs.some((s) => s.history.some((h) => h.ops.some((o) => o.rc === 1)))).toBe(true);
  });

  it("makes no ordering loops (crm_simulate cannot run them), but still chains orders", () => {
    let chains = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const orders = generateCib(seed).constraints.filter((c) => c.kind === "order") as { first: string; then: string }[];
      const next = (x: string) => orders.filter((o) => o.first === x).map((o) => o.then);
      for (const o of orders) {
        // nothing reachable from o.then leads back to o.first
        const seen = new Set<string>();
        const todo = [o.then];
        while (todo.length) {
          const x = todo.pop()!;
          expect(x, `seed ${seed}: ordering loop through ${o.first}`).not.toBe(o.first);
          if (seen.has(x)) continue;
          seen.add(x);
          todo.push(...next(x));
        }
        if (next(o.then).length) chains++;
      }
    }
    expect(chains).toBeGreaterThan(0);
  });

  it("renders CIBs that Vigil's parser and Pacemaker's crm_simulate both accept", () => {
    for (let seed = 1; seed <= 15; seed++) {
      const xml = renderCib(generateCib(seed));
      expect(() => parseCibXml(xml)).not.toThrow();
      expect(Array.isArray(pacemakerPlacement(xml))).toBe(true);
    }
  });

  it("shrinks to strictly smaller specs that stay consistent", () => {
    const spec = generateCib(7, { maxResources: 6 });
    for (const s of shrinkSpec(spec)) {
      const ids = new Set(s.resources.map((r) => (r.kind === "primitive" ? r.prim.id : r.id)));
      for (const c of s.constraints) {
        const refs = c.kind === "location" ? [c.rsc] : c.kind === "colocation" ? [c.rsc, c.withRsc] : [c.first, c.then];
        for (const r of refs) expect(ids.has(r)).toBe(true);
      }
      expect(JSON.stringify(s)).not.toBe(JSON.stringify(spec));
    }
  });
});
