// Score helpers on top of cib/values: lenient parsing (Pacemaker treats a bad
// score as 0 with a warning instead of refusing the whole CIB).
import { INFINITY, addScores, parseScore, scoreToString } from "../cib/values";

export { INFINITY, addScores, scoreToString };

export function score(s: string | undefined, dflt = 0): number {
  if (s === undefined) return dflt;
  try {
    return parseScore(s);
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
