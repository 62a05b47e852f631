// Parsers for the string values the CIB keeps: scores, durations, booleans.
// Pure functions shared by validation, the scheduler and the controller, so
// every layer reads "INFINITY" or "1min" the same way Pacemaker does.
import { CibError } from "./errors";

/** Pacemaker's INFINITY: scores are clamped to +/- this value. */
export const INFINITY = 1_000_000;

const INTEGER_RE = /^[+-]?\d+$/;

export interface ScoreOptions {
  /** node-health-red / yellow / green values, used when a score is "red", "yellow" or "green". */
  red?: number;
  yellow?: number;
  green?: number;
}

/** True when s is a score Pacemaker accepts: an integer, INFINITY, +INFINITY, -INFINITY (or red/yellow/green). */
export function isValidScore(s: string): boolean {
  const t = s.trim();
  if (t === "") return false;
  if (/^[+-]?INFINITY$/i.test(t)) return true;
  if (/^(red|yellow|green)$/i.test(t)) return true;
  return INTEGER_RE.test(t);
}

/**
 * Score string -> number. "INFINITY"/"+INFINITY" = 1000000, "-INFINITY" = -1000000,
 * integers are clamped to that range. "red"/"yellow"/"green" map to the node-health
 * values (defaults: red = -INFINITY, yellow = 0, green = 0, as Pacemaker's defaults).
 * Anything else is a CibError naming the value.
 */
export function parseScore(s: string, opts: ScoreOptions = {}): number {
  if (typeof s !== "string") throw new CibError(`invalid score: ${String(s)}`, { field: "score", code: "bad-score" });
  const t = s.trim();
  if (/^\+?INFINITY$/i.test(t)) return INFINITY;
  if (/^-INFINITY$/i.test(t)) return -INFINITY;
  const lower = t.toLowerCase();
  if (lower === "red") return clampScore(opts.red ?? -INFINITY);
  if (lower === "yellow") return clampScore(opts.yellow ?? 0);
  if (lower === "green") return clampScore(opts.green ?? 0);
  if (!INTEGER_RE.test(t)) {
    throw new CibError(`invalid score "${s}": expected an integer, INFINITY, +INFINITY or -INFINITY`, {
      field: "score",
      code: "bad-score",
    });
  }
  // Number() of a huge digit string is still finite or Infinity; both clamp correctly.
  return clampScore(Number(t));
}

/** Clamp to [-INFINITY, INFINITY]; -0 becomes 0. */
export function clampScore(n: number): number {
  if (Number.isNaN(n)) return 0;
  if (n >= INFINITY) return INFINITY;
  if (n <= -INFINITY) return -INFINITY;
  return Math.trunc(n) + 0;
}

/**
 * Score addition with INFINITY arithmetic: -INFINITY wins over everything,
 * then +INFINITY; otherwise the clamped sum.
 */
export function addScores(a: number, b: number): number {
  if (a <= -INFINITY || b <= -INFINITY) return -INFINITY;
  if (a >= INFINITY || b >= INFINITY) return INFINITY;
  return clampScore(a + b);
}

/** Number -> score string as Pacemaker prints it ("INFINITY", "-INFINITY", "42"). */
export function scoreToString(n: number): string {
  const c = clampScore(n);
  if (c === INFINITY) return "INFINITY";
  if (c === -INFINITY) return "-INFINITY";
  return String(c);
}

// Units a Pacemaker duration may carry (case-insensitive), as milliseconds per unit.
const UNIT_MS: Record<string, number> = {
  "": 1000, // bare numbers are seconds
  s: 1000,
  sec: 1000,
  ms: 1,
  msec: 1,
  us: 0.001,
  usec: 0.001,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
};

const PLAIN_DURATION_RE = /^\s*(\d+)\s*([a-z]*)\s*$/i;
// ISO 8601 duration: PnYnMnWnDTnHnMnS (fractions allowed on the last field's seconds).
const ISO_DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Parse a Pacemaker duration (op interval/timeout, failure-timeout, ...) to milliseconds.
 * "10" and "10s" are 10000, "500ms" is 500, "1min" / "1m" is 60000, "2h" / "2hr" is 7200000,
 * "250us" rounds down to whole ms; ISO 8601 "PT10S", "P1DT2H" also work
 * (a year counts 365 days, a month 30 days). Throws CibError on anything else.
 */
export function parseDuration(s: string): number {
  const r = tryParseDuration(s);
  if (r === undefined) {
    throw new CibError(
      `invalid duration "${s}": expected a whole number with an optional unit (ms, s, min, h) or ISO 8601 (PT10S)`,
      { code: "bad-duration" },
    );
  }
  return r;
}

/** Like parseDuration, but undefined instead of an error. */
export function tryParseDuration(s: string | undefined): number | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  const plain = PLAIN_DURATION_RE.exec(t);
  if (plain) {
    const unit = UNIT_MS[plain[2].toLowerCase()];
    if (unit === undefined) return undefined;
    return Math.floor(Number(plain[1]) * unit);
  }
  if (/^P/i.test(t) && t.length > 1 && !/T$/i.test(t)) {
    const m = ISO_DURATION_RE.exec(t);
    if (!m) return undefined;
    const [, y, mo, w, d, h, mi, sec] = m;
    const days = num(y) * 365 + num(mo) * 30 + num(w) * 7 + num(d);
    const ms = ((days * 24 + num(h)) * 60 + num(mi)) * 60_000 + Math.round(num(sec) * 1000);
    return ms;
  }
  return undefined;
}

function num(x: string | undefined): number {
  return x === undefined ? 0 : Number(x);
}

/** True when s is a duration parseDuration accepts. */
export function isValidDuration(s: string): boolean {
  return tryParseDuration(s) !== undefined;
}

const TRUE_WORDS = new Set(["true", "on", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "off", "no", "n", "0"]);

/** Pacemaker's boolean words: true/on/yes/y/1 and false/off/no/n/0 (case-insensitive). */
export function isValidBoolean(s: string): boolean {
  const t = s.trim().toLowerCase();
  return TRUE_WORDS.has(t) || FALSE_WORDS.has(t);
}

/** Parse a boolean word; undefined or unrecognised values give the default. */
export function parseBoolean(s: string | undefined, dflt = false): boolean {
  if (s === undefined) return dflt;
  const t = s.trim().toLowerCase();
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return dflt;
}
