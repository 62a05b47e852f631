// Rule evaluation (Pacemaker Explained 2.1, "Rules"): node attribute
// expressions with types and operations, date expressions and date specs,
// resource and operation expressions, nested rules with and/or.
// "now" always comes from the caller so evaluation stays pure.
import type { DateExpression, DateSpec, Expression, RscOpExpression, Rule } from "../cib/types";
import { durationMs } from "./durations";

export interface RuleContext {
  /** node attributes (incl. #uname, #id, #kind) when evaluated for a node */
  nodeAttrs?: Record<string, string>;
  /** seconds since the epoch */
  now: number;
  /** resource agent, for rsc_expression */
  rsc?: { class?: string; provider?: string; type?: string };
  /** operation, for op_expression */
  op?: { name: string; intervalMs: number };
  /** resource instance attributes and meta attributes for value-source=param/meta */
  params?: Record<string, string>;
  meta?: Record<string, string>;
  /** rules by id, to resolve id-ref */
  ruleById?: Map<string, Rule>;
}

export function evaluateRule(rule: Rule, ctx: RuleContext): boolean {
  if (rule.idRef) {
    const target = ctx.ruleById?.get(rule.idRef);
    if (!target) return false;
    return evaluateRule(target, ctx);
  }
  const or = (rule.booleanOp ?? "and").toLowerCase() === "or";
  if (rule.expressions.length === 0) return true;
  for (const e of rule.expressions) {
    const r = evaluateExpression(e, ctx);
    if (or && r) return true;
    if (!or && !r) return false;
  }
  return !or;
}

function evaluateExpression(e: Expression | DateExpression | RscOpExpression | Rule, ctx: RuleContext): boolean {
  switch (e.kind) {
    case "rule":
      return evaluateRule(e, ctx);
    case "expression":
      return evaluateAttrExpression(e, ctx);
    case "date_expression":
      return evaluateDateExpression(e, ctx.now);
    case "rsc_expression": {
      const a = e.attrs;
      const r = ctx.rsc;
      if (!r) return false;
      if (a.class !== undefined && a.class !== r.class) return false;
      if (a.provider !== undefined && a.provider !== r.provider) return false;
      if (a.type !== undefined && a.type !== r.type) return false;
      return true;
    }
    case "op_expression": {
      const a = e.attrs;
      const o = ctx.op;
      if (!o) return false;
      if (a.name !== undefined && a.name !== o.name) return false;
      if (a.interval !== undefined && (durationMs(a.interval) ?? -1) !== o.intervalMs) return false;
      return true;
    }
  }
}

function evaluateAttrExpression(e: Expression, ctx: RuleContext): boolean {
  const attrs = ctx.nodeAttrs ?? {};
  const actual = attrs[e.attribute];
  const op = (e.operation ?? "").toLowerCase();
  if (op === "defined") return actual !== undefined;
  if (op === "not_defined") return actual === undefined;
  let expected = e.value;
  const src = (e.valueSource ?? "literal").toLowerCase();
  if (src === "param") expected = expected !== undefined ? ctx.params?.[expected] : undefined;
  else if (src === "meta") expected = expected !== undefined ? ctx.meta?.[expected] : undefined;
  if (actual === undefined || expected === undefined) {
    // a missing value only satisfies "ne"
    return op === "ne" && !(actual === undefined && expected === undefined);
  }
  let type = e.type?.toLowerCase();
  if (!type) {
    if (op === "lt" || op === "lte" || op === "gt" || op === "gte") {
      type = actual.includes(".") || expected.includes(".") ? "number" : "integer";
    } else {
      type = "string";
    }
  }
  const cmp = compareTyped(actual, expected, type);
  switch (op) {
    case "eq":
      return cmp === 0;
    case "ne":
      return cmp !== 0;
    case "lt":
      return cmp < 0;
    case "lte":
      return cmp <= 0;
    case "gt":
      return cmp > 0;
    case "gte":
      return cmp >= 0;
    default:
      return false;
  }
}

function isIntegerText(s: string): boolean {
  return /^\s*[+-]?\d+\s*$/.test(s);
}
function isNumberText(s: string): boolean {
  return /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(s);
}

function compareTyped(a: string, b: string, type: string): number {
  if (type === "integer") {
    if (isIntegerText(a) && isIntegerText(b)) return Math.sign(Number(a) - Number(b));
    if (isNumberText(a) && isNumberText(b)) return Math.sign(Math.trunc(Number(a)) - Math.trunc(Number(b)));
    return compareStrings(a, b);
  }
  if (type === "number") {
    if (isNumberText(a) && isNumberText(b)) return Math.sign(Number(a) - Number(b));
    return compareStrings(a, b);
  }
  if (type === "version") return compareVersions(a, b);
  return compareStrings(a, b);
}

function compareStrings(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(".").map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Dates. Pacemaker evaluates dates in the local time zone of the machine; Vigil
// evaluates them in UTC (documented in docs/scheduler.md).

/** Parse an ISO 8601 date/time (calendar, ordinal or week date; optional time and zone) to epoch seconds. */
export function parseIsoDate(text: string): number | undefined {
  const t = text.trim();
  const m = /^(\d{4})(?:-?(\d{2})-?(\d{2})|-?(\d{3})|-?W(\d{2})-?(\d))?(?:[T ](\d{2})(?::?(\d{2})(?::?(\d{2}))?)?(?:\.\d+)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(t);
  if (!m) return undefined;
  const year = Number(m[1]);
  let dayMs: number;
  if (m[2] !== undefined) {
    dayMs = Date.UTC(year, Number(m[2]) - 1, Number(m[3]));
  } else if (m[4] !== undefined) {
    dayMs = Date.UTC(year, 0, 1) + (Number(m[4]) - 1) * 86_400_000;
  } else if (m[5] !== undefined) {
    // ISO week date: week 1 holds the year's first Thursday
    const jan4 = Date.UTC(year, 0, 4);
    const jan4Dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
    const week1Monday = jan4 - jan4Dow * 86_400_000;
    dayMs = week1Monday + ((Number(m[5]) - 1) * 7 + (Number(m[6]) - 1)) * 86_400_000;
  } else {
    dayMs = Date.UTC(year, 0, 1);
  }
  let secs = dayMs / 1000;
  secs += Number(m[7] ?? 0) * 3600 + Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0);
  const zone = m[10];
  if (zone && zone.toUpperCase() !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z) {
      const off = Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60;
      secs -= z[1] === "+" ? off : -off;
    }
  }
  return secs;
}

function addDuration(start: number, d: DateSpec): number {
  const a = d.attrs;
  const date = new Date(start * 1000);
  if (a.years) date.setUTCFullYear(date.getUTCFullYear() + Number(a.years));
  if (a.months) date.setUTCMonth(date.getUTCMonth() + Number(a.months));
  let secs = date.getTime() / 1000;
  secs += Number(a.weeks ?? 0) * 7 * 86400;
  secs += Number(a.days ?? 0) * 86400;
  secs += Number(a.hours ?? 0) * 3600;
  secs += Number(a.minutes ?? 0) * 60;
  secs += Number(a.seconds ?? 0);
  return secs;
}

export function evaluateDateExpression(e: DateExpression, now: number): boolean {
  const op = (e.operation ?? "in_range").toLowerCase();
  const start = e.start !== undefined ? parseIsoDate(e.start) : undefined;
  let end = e.end !== undefined ? parseIsoDate(e.end) : undefined;
  switch (op) {
    case "gt":
      return start !== undefined && now > start;
    case "lt":
      return end !== undefined && now < end;
    case "in_range": {
      if (end === undefined && start !== undefined && e.duration) end = addDuration(start, e.duration);
      if (start !== undefined && now < start) return false;
      if (end !== undefined && now > end) return false;
      return start !== undefined || end !== undefined;
    }
    case "date_spec":
      return e.dateSpec ? matchDateSpec(e.dateSpec, now) : false;
    default:
      return false;
  }
}

function inRanges(value: number, spec: string | undefined): boolean {
  if (spec === undefined) return true;
  for (const part of spec.split(",")) {
    const p = part.trim();
    const m = /^(\d+)(?:-(\d+))?$/.exec(p);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (value >= lo && value <= hi) return true;
  }
  return false;
}

function matchDateSpec(spec: DateSpec, now: number): boolean {
  const d = new Date(now * 1000);
  const a = spec.attrs;
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const yday = Math.floor((d.getTime() - yearStart) / 86_400_000) + 1;
  const wday = ((d.getUTCDay() + 6) % 7) + 1; // Monday = 1
  const { week, weekYear } = isoWeek(d);
  return (
    inRanges(d.getUTCHours(), a.hours) &&
    inRanges(d.getUTCMinutes(), a.minutes) &&
    inRanges(d.getUTCSeconds(), a.seconds) &&
    inRanges(d.getUTCDate(), a.monthdays) &&
    inRanges(wday, a.weekdays) &&
    inRanges(yday, a.yeardays) &&
    inRanges(d.getUTCMonth() + 1, a.months) &&
    inRanges(week, a.weeks) &&
    inRanges(d.getUTCFullYear(), a.years) &&
    inRanges(weekYear, a.weekyears)
  );
}

function isoWeek(d: Date): { week: number; weekYear: number } {
  const t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - dow) * 86_400_000;
  const wy = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(wy, 0, 1)) / (7 * 86_400_000)) + 1;
  return { week, weekYear: wy };
}
