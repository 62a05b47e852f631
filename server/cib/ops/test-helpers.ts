// Shared by the ops tests: run f and return the CibError it throws.
import { CibError } from "../errors";

export function err(f: () => unknown): CibError {
  try {
    f();
  } catch (e) {
    if (e instanceof CibError) return e;
    throw e;
  }
  throw new Error("expected a CibError");
}
