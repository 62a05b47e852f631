import { describe, expect, it } from "vitest";
import { CibError } from "./errors";
import {
  INFINITY,
  addScores,
  isValidBoolean,
  isValidDuration,
  isValidScore,
  parseBoolean,
  parseDuration,
  parseScore,
  scoreToString,
  tryParseDuration,
} from "./values";

describe("parseScore", () => {
  it("reads INFINITY forms", () => {
    expect(parseScore("INFINITY")).toBe(INFINITY);
    expect(parseScore("+INFINITY")).toBe(1_000_000);
    expect(parseScore("-INFINITY")).toBe(-1_000_000);
    expect(parseScore("infinity")).toBe(INFINITY);
  });
  it("reads integers and clamps them", () => {
    expect(parseScore("0")).toBe(0);
    expect(parseScore("-0")).toBe(0);
    expect(parseScore("100")).toBe(100);
    expect(parseScore("+5")).toBe(5);
    expect(parseScore("-2000")).toBe(-2000);
    expect(parseScore("5000000")).toBe(INFINITY);
    expect(parseScore("-99999999999999999999999")).toBe(-INFINITY);
    expect(parseScore(" 7 ")).toBe(7);
  });
  it("maps health colours", () => {
    expect(parseScore("red")).toBe(-INFINITY);
    expect(parseScore("yellow")).toBe(0);
    expect(parseScore("yellow", { yellow: -10 })).toBe(-10);
  });
  it("rejects junk with a CibError naming the value", () => {
    for (const bad of ["", "abc", "1.5", "10s", "INF", "++1"]) {
      expect(() => parseScore(bad)).toThrow(CibError);
      expect(isValidScore(bad)).toBe(false);
    }
    expect(() => parseScore("abc")).toThrow(/"abc"/);
  });
  it("adds with INFINITY arithmetic", () => {
    expect(addScores(INFINITY, -INFINITY)).toBe(-INFINITY);
    expect(addScores(INFINITY, 5)).toBe(INFINITY);
    expect(addScores(999_999, 5)).toBe(INFINITY);
    expect(addScores(-10, 5)).toBe(-5);
    expect(scoreToString(INFINITY)).toBe("INFINITY");
    expect(scoreToString(-2e6)).toBe("-INFINITY");
    expect(scoreToString(12)).toBe("12");
  });
});

describe("parseDuration", () => {
  it("treats bare numbers as seconds", () => {
    expect(parseDuration("10")).toBe(10_000);
    expect(parseDuration("0")).toBe(0);
  });
  it("reads units", () => {
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("10sec")).toBe(10_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("500msec")).toBe(500);
    expect(parseDuration("1min")).toBe(60_000);
    expect(parseDuration("1m")).toBe(60_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("2hr")).toBe(7_200_000);
    expect(parseDuration("2500us")).toBe(2);
    expect(parseDuration(" 20 s ")).toBe(20_000);
    expect(parseDuration("20S")).toBe(20_000);
  });
  it("reads ISO 8601 durations", () => {
    expect(parseDuration("PT10S")).toBe(10_000);
    expect(parseDuration("PT1M")).toBe(60_000);
    expect(parseDuration("P1D")).toBe(86_400_000);
    expect(parseDuration("P1DT2H30M")).toBe(86_400_000 + 2 * 3_600_000 + 30 * 60_000);
    expect(parseDuration("PT0.5S")).toBe(500);
    expect(parseDuration("P1W")).toBe(7 * 86_400_000);
  });
  it("rejects junk", () => {
    for (const bad of ["", "s", "ten", "10 parsecs", "1.5s", "-5s", "P", "PT", "P1X", "10s5"]) {
      expect(tryParseDuration(bad)).toBeUndefined();
      expect(isValidDuration(bad)).toBe(false);
      expect(() => parseDuration(bad)).toThrow(CibError);
    }
  });
});

describe("booleans", () => {
  it("knows Pacemaker's words", () => {
    for (const t of ["true", "on", "YES", "y", "1"]) expect(parseBoolean(t)).toBe(true);
    for (const f of ["false", "Off", "no", "n", "0"]) expect(parseBoolean(f, true)).toBe(false);
    expect(parseBoolean(undefined, true)).toBe(true);
    expect(parseBoolean("maybe", true)).toBe(true);
    expect(isValidBoolean("maybe")).toBe(false);
    expect(isValidBoolean("on")).toBe(true);
  });
});
