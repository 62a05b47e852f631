import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { targetRcOf } from "./unpack-status";

/** The definition: the third ":"-field of the key (transition-key, else the part of
 *  transition-magic after its first ";"), as parseInt reads it; -1 without one. */
function reference(op: { transitionKey?: string; transitionMagic?: string }): number {
  let key = op.transitionKey;
  if (key === undefined) {
    if (!op.transitionMagic) return -1;
    const parts = op.transitionMagic.split(";");
    if (parts.length < 2) return -1;
    key = parts[1];
  }
  if (key === "") return -1;
  const f = key.split(":");
  if (f.length < 4) return -1;
  const t = Number.parseInt(f[2], 10);
  return Number.isNaN(t) ? -1 : t;
}

describe("targetRcOf", () => {
  it("reads the usual keys", () => {
    expect(targetRcOf({ transitionKey: "3:0:7:00000000-0000-0000-0000-000000000000" })).toBe(7);
    expect(targetRcOf({ transitionKey: "12:345:0:uuid" })).toBe(0);
    expect(targetRcOf({ transitionMagic: "0:8;4:1:8:uuid" })).toBe(8);
    expect(targetRcOf({ transitionKey: "1:2:07:u" })).toBe(7);
    expect(targetRcOf({ transitionKey: "1:2:3" })).toBe(-1);
    expect(targetRcOf({ transitionKey: "" })).toBe(-1);
    expect(targetRcOf({ transitionKey: "a:b: 5x:u" })).toBe(5);
    expect(targetRcOf({ transitionKey: "1:2:-3:u" })).toBe(-3);
    expect(targetRcOf({ transitionKey: "1:2:12345678901:u" })).toBe(12345678901);
    expect(targetRcOf({ transitionKey: "1:2::u" })).toBe(-1);
  });

  it("agrees with splitting on ';' and ':' for any key", () => {
    const piece = fc.stringMatching(/^[0-9:;a +-]{0,14}$/);
    fc.assert(
      fc.property(fc.option(piece, { nil: undefined }), fc.option(piece, { nil: undefined }), (transitionKey, transitionMagic) => {
        expect(targetRcOf({ transitionKey, transitionMagic })).toBe(reference({ transitionKey, transitionMagic }));
      }),
      { numRuns: 5000 },
    );
  });
});
