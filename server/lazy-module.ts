// A package loaded on first use instead of at import: the CLI bundle imports
// modules (CIB XML, agent meta-data) whose heavier parsers most commands never
// call, and loading them at start-up cost every `vigil` call 40-150 ms.
import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

/** `const saxes = lazyModule<typeof import("saxes")>("saxes"); saxes().SaxesParser` */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
