// Score helpers on top of cib/values: lenient parsing (Pacemaker treats a bad
// score as 0 with a warning instead of refusing the whole CIB).
import { INFINITY, addScores, parseScore, scoreToString } from "../cib/values";

export { INFINITY, addScores, scoreToString };

// scores parsed once per text: the same few (a default stickiness, constraint scores) come
// back for every resource, and each parse ran four regular expressions
const parsedScores = new Map<string, number>();
export const SCORE_CACHE_SIZE = 512;

export function score(s: string | undefined, dflt = 0): number {
  if (s === undefined) return dflt;
  const known = parsedScores.get(s);
  if (known !== undefined) return known;
  try {
    const v = parseScore(s);
    if (parsedScores.size >= SCORE_CACHE_SIZE) parsedScores.clear();
    parsedScores.set(s, v);
    return v;
  } catch {
    // Pacemaker's char2score: leading integer part, or 0
    const m = /^\s*([+-]?\d+)/.exec(s);
    return m ? Math.max(-INFINITY, Math.min(INFINITY, Number(m[1]))) : dflt;
  }
}

export function isTrue(s: string | undefined, dflt = false): boolean {
  if (s === undefined) return dflt;
  switch (s.trim().toLowerCase()) {
    case "true":
    case "on":
    case "yes":
    case "y":
    case "1":
      return true;
    case "false":
    case "off":
    case "no":
    case "n":
    case "0":
      return false;
    default:
      return dflt;
  }
}
