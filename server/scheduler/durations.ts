// Durations (op intervals, timeouts, failure-timeouts) parsed once per text: the same few
// values ("10s", "20s", "0") come back for every resource and operation of a schedule, and
// each parse of them ran a regular expression and made a match array.
import { tryParseDuration } from "../cib/values";

const parsed = new Map<string, number | undefined>();
/** how many texts are kept (then the table starts again: it only ever holds repeats) */
export const DURATION_CACHE_SIZE = 512;

/** tryParseDuration(s), remembered by text */
export function durationMs(s: string | undefined): number | undefined {
  if (typeof s !== "string") return undefined;
  const known = parsed.get(s);
  if (known !== undefined || parsed.has(s)) return known;
  const v = tryParseDuration(s);
  if (parsed.size >= DURATION_CACHE_SIZE) parsed.clear();
  parsed.set(s, v);
  return v;
}
