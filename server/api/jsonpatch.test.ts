import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { applyPatch, diff, JsonPatchError } from "./jsonpatch";

describe("jsonpatch", () => {
  it("diff then apply reproduces the target (property)", () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)));
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(applyPatch(a, diff(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
  it("one insert into a long list is one operation", () => {
    const a = { list: Array.from({ length: 2000 }, (_, i) => ({ id: `r${i}` })) };
    const b = { list: [...a.list.slice(0, 1000), { id: "new" }, ...a.list.slice(1000)] };
    const ops = diff(a, b);
    expect(ops).toEqual([{ op: "add", path: "/list/1000", value: { id: "new" } }]);
    expect(diff(b, a)).toEqual([{ op: "remove", path: "/list/1000" }]);
  });
  it("escapes ~ and / in keys", () => {
    const ops = diff({}, { "a/b~c": 1 });
    expect(ops[0].path).toBe("/a~1b~0c");
    expect(applyPatch({}, ops)).toEqual({ "a/b~c": 1 });
  });
  it("rejects a patch for a path that does not exist", () => {
    expect(() => applyPatch({ a: 1 }, [{ op: "replace", path: "/b/c", value: 1 }])).toThrow(JsonPatchError);
    expect(() => applyPatch({ a: [1] }, [{ op: "remove", path: "/a/3" }])).toThrow(JsonPatchError);
  });
  it("does not modify its input", () => {
    const a = { x: [1, 2] };
    applyPatch(a, [{ op: "add", path: "/x/-", value: 3 }]);
    expect(a).toEqual({ x: [1, 2] });
  });
});
