// Runs bin/vigil.mjs's CommonJS bundle through V8's code cache.
//
// Node 20 has no compile cache for modules, but `vm.Script` takes the code cache V8 made of the
// same source earlier (`cachedData`): V8 then skips parsing and compiling what the cache holds
// (the bundle's top level, and every function that had run when the cache was made).
//
// V8 itself checks little: its version and flags and the source's length, not its text, and
// (in release builds) no checksum: a cache of another bundle of the same length is taken, and a
// damaged one can crash node. So the cache file starts with an MD5 of the bundle's bytes and of
// the cache after it; a file that does not match (stale, damaged, cut short, none) is not given
// to V8, the bundle is compiled from its source as without a cache, and a new cache is written.
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

const DIGEST_BYTES = 16;

function digest(bundle, cache) {
  return createHash("md5").update(bundle).update(cache).digest();
}

/** The code cache in `file` when it was made for `bundle` (its bytes) and is intact. */
function readCache(file, bundle) {
  try {
    const stored = readFileSync(file);
    if (stored.length <= DIGEST_BYTES) return undefined;
    const cache = stored.subarray(DIGEST_BYTES);
    return digest(bundle, cache).equals(stored.subarray(0, DIGEST_BYTES)) ? cache : undefined;
  } catch {
    return undefined; // none yet, unreadable, or no MD5 here
  }
}

/**
 * Loads the CommonJS bundle `file` (as node's own loader would: with require, module, exports,
 * __filename and __dirname; strict, as esbuild's output says) using the code cache in
 * `cacheFile` when it fits. Returns its exports and `saveCache`: a function that writes a new
 * cache (call it when the work is done, so that the functions that ran are in it), or
 * undefined when the cache was used.
 */
export function loadWithCodeCache(file, cacheFile) {
  const bytes = readFileSync(file);
  const cachedData = readCache(cacheFile, bytes);
  // one line, as node's wrapper: line numbers in stack traces stay the file's
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${bytes.toString("utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  const used = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    saveCache: used
      ? undefined
      : () => {
          const tmp = `${cacheFile}.${process.pid}.tmp`;
          let fd;
          try {
            fd = openSync(tmp, "w"); // first: where the directory is not writable, make no cache at all
            const cache = script.createCachedData();
            writeSync(fd, Buffer.concat([digest(bytes, cache), cache]));
            closeSync(fd);
            fd = undefined;
            renameSync(tmp, cacheFile); // atomic: another vigil reads the old cache or this one
          } catch {
            // no cache then: the next start compiles again
            if (fd !== undefined) closeSync(fd);
            rmSync(tmp, { force: true });
          }
        },
  };
}
