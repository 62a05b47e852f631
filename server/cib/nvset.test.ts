import { describe, expect, it } from "vitest";
import type { NvSet } from "./types";
import { nvGet, nvSet, nvToRecord, nvUnset, uniqueId } from "./nvset";

const sets: NvSet[] = [
  { id: "r-meta_attributes", rule: { kind: "rule", id: "r1", expressions: [] }, nvpairs: [{ id: "a1", name: "target-role", value: "Stopped" }] },
  { id: "r-meta_attributes-1", nvpairs: [{ id: "a2", name: "target-role", value: "Started" }, { id: "a3", name: "is-managed", value: "false" }] },
];

describe("nvGet", () => {
  it("returns the first set's value in document order", () => {
    expect(nvGet(sets, "target-role")).toBe("Stopped");
    expect(nvGet(sets, "is-managed")).toBe("false");
    expect(nvGet(sets, "nope")).toBeUndefined();
    expect(nvGet(undefined, "x")).toBeUndefined();
    expect(nvToRecord(sets)).toEqual({ "target-role": "Stopped", "is-managed": "false" });
  });
});

describe("nvSet", () => {
  it("creates a pcs-style set and nvpair when none exists", () => {
    const out = nvSet([], "VIP", "meta_attributes", "target-role", "Stopped");
    expect(out).toEqual([
      { id: "VIP-meta_attributes", nvpairs: [{ id: "VIP-meta_attributes-target-role", name: "target-role", value: "Stopped" }] },
    ]);
    const inst = nvSet([], "VIP", "instance_attributes", "ip", "10.0.0.5");
    expect(inst[0].id).toBe("VIP-instance_attributes");
    expect(inst[0].nvpairs[0].id).toBe("VIP-instance_attributes-ip");
  });
  it("changes an existing nvpair in place and does not mutate the input", () => {
    const out = nvSet(sets, "r", "meta_attributes", "is-managed", "true");
    expect(out[1].nvpairs[1]).toEqual({ id: "a3", name: "is-managed", value: "true" });
    expect(sets[1].nvpairs[1].value).toBe("false");
    expect(out[0]).toBe(sets[0]);
  });
  it("adds new names to the first set without a rule, with unique ids", () => {
    const used = new Set(["r-meta_attributes-1-priority"]);
    const out = nvSet(sets, "r", "meta_attributes", "priority", "5", used);
    expect(out[1].nvpairs.at(-1)).toEqual({ id: "r-meta_attributes-1-priority-1", name: "priority", value: "5" });
    expect(used.has("r-meta_attributes-1-priority-1")).toBe(true);
  });
  it("makes a new set when only rule sets exist, avoiding used ids", () => {
    const out = nvSet([sets[0]], "r", "meta_attributes", "priority", "5", new Set(["r-meta_attributes"]));
    expect(out).toHaveLength(2);
    expect(out[1].id).toBe("r-meta_attributes-1");
  });
});

describe("nvUnset and uniqueId", () => {
  it("removes the name everywhere and keeps the sets", () => {
    const out = nvUnset(sets, "target-role");
    expect(out.map((s) => s.nvpairs.map((p) => p.name))).toEqual([[], ["is-managed"]]);
    expect(out.map((s) => s.id)).toEqual(["r-meta_attributes", "r-meta_attributes-1"]);
  });
  it("numbers ids like pcs", () => {
    expect(uniqueId("x", new Set(["x", "x-1"]))).toBe("x-2");
    expect(uniqueId("x")).toBe("x");
  });
});
