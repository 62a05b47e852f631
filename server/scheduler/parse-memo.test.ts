// The parsers remembered by text (durations, scores) and the op de-duplication without a Set
// give what the plain code gives, for repeated texts, texts past the cache size and bad texts.
import { describe, expect, it } from "vitest";
import { parseScore, tryParseDuration } from "../cib/values";
import { DURATION_CACHE_SIZE, durationMs } from "./durations";
import { INFINITY, SCORE_CACHE_SIZE, score } from "./score";
import { sameEarlierOp } from "./actions";
import type { OpConfig } from "./model";
import { prng } from "./fuzz/generate";

/** score() as it was before its cache */
function plainScore(s: string | undefined, dflt = 0): number {
  if (s === undefined) return dflt;
  try {
    return parseScore(s);
  } catch {
    const m = /^\s*([+-]?\d+)/.exec(s);
    return m ? Math.max(-INFINITY, Math.min(INFINITY, Number(m[1]))) : dflt;
  }
}

describe("durationMs", () => {
  it("is tryParseDuration, for repeats, past the cache size and for bad texts", () => {
    const texts = ["10s", "20s", "0", "", "  5 ", "1m", "2h", "PT1M", "P1D", "bad", "10x", "-1", "1.5s", "P", "PT", "10S", "3ms"];
    for (let i = 0; i < DURATION_CACHE_SIZE * 3; i++) texts.push(`${i}s`, `${i}`);
    for (let round = 0; round < 3; round++) {
      for (const t of texts) expect(durationMs(t), t).toBe(tryParseDuration(t));
    }
    expect(durationMs(undefined)).toBeUndefined();
  });
});

describe("score", () => {
  it("is the plain parse with Pacemaker's fallback, for repeats, past the cache size and for bad texts with any default", () => {
    const texts = ["100", "INFINITY", "+INFINITY", "-INFINITY", "-inf", "red", "yellow", "green", "  7 ", "12abc", "abc", "", "+5", "99999999"];
    for (let i = 0; i < SCORE_CACHE_SIZE * 3; i++) texts.push(String(i - SCORE_CACHE_SIZE));
    for (let round = 0; round < 3; round++) {
      for (const t of texts) for (const d of [0, 5, -INFINITY]) expect(score(t, d), `${t} ${d}`).toBe(plainScore(t, d));
    }
    expect(score(undefined, 3)).toBe(3);
  });
});

describe("sameEarlierOp", () => {
  it("is a Set of the earlier recurring ops' name_interval (skipping Stopped-role ops or not)", () => {
    const rnd = prng(5);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let k = 0; k < 2000; k++) {
      const ops: OpConfig[] = Array.from({ length: Math.floor(rnd() * 6) }, () => ({
        name: pick(["monitor", "start", "notify"]),
        intervalMs: pick([0, 0, 10000, 20000]),
        role: pick([undefined, "Stopped", "Promoted"] as const),
        enabled: true,
      }) as OpConfig);
      for (const skipStopped of [true, false]) {
        const seen = new Set<string>();
        ops.forEach((op, i) => {
          if (op.intervalMs === 0 || (skipStopped && op.role === "Stopped")) return;
          const dup = `${op.name}_${op.intervalMs}`;
          expect(sameEarlierOp(ops, i, skipStopped)).toBe(seen.has(dup));
          seen.add(dup);
        });
      }
    }
  });
});
