// As-you-type checks for console forms, using the same value parsers the
// server uses (server/cib/values). The server validates again on submit.

import { isValidBoolean, isValidDuration, isValidScore } from "@/server/cib/values";

const XML_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function checkId(v: string, taken: readonly string[] = [], what = "id"): string | null {
  if (!v) return `${what} is required`;
  if (!XML_ID.test(v)) return `${what} must start with a letter or _ and contain only letters, digits, _ . -`;
  if (taken.includes(v)) return `${what} "${v}" is already used in the configuration`;
  return null;
}

export function checkScore(v: string): string | null {
  if (!v) return null;
  return isValidScore(v) ? null : `"${v}" is not a score: use an integer, INFINITY or -INFINITY`;
}

export function checkDuration(v: string, what = "value"): string | null {
  if (!v) return null;
  return isValidDuration(v) ? null : `${what} "${v}" is not a duration: use e.g. 10s, 500ms, 1min, 2h`;
}

export function checkBoolean(v: string): string | null {
  if (!v) return null;
  return isValidBoolean(v) ? null : `"${v}" is not a boolean: use true or false`;
}

export function checkRequired(v: string, what: string): string | null {
  return v.trim() ? null : `${what} is required`;
}
