#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 VIGIL_MOVED_NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} NODE_EXTRA_CA_CERTS= node
// (The tunable lets glibc's malloc ask for transparent huge pages on systems where THP is
// "madvise": the large buffers and strings of a big CIB then cost a fraction of their page
// faults; `vigil simulate` at 32x1000 ~50 ms less here. Where glibc or THP lacks it, no effect.
// NODE_EXTRA_CA_CERTS is handed to node empty and kept in VIGIL_MOVED_NODE_EXTRA_CA_CERTS:
// loading it costs node ~40 ms before any JavaScript runs; bin/extra-ca-certs.mjs.)
// `vigil` / `npx vigil`: the pcs-compatible CLI (server/cli/main.ts).
//
// Start-up time matters for a CLI (scripts call it in loops), so the TypeScript
// sources are bundled once with esbuild (it comes with tsx) into
// node_modules/.cache/vigil-cli/<checkout>/main.cjs and rebuilt when a source is newer;
// plain node then runs the bundle, through V8's code cache of it (main.cjs.v8cache beside it,
// bin/code-cache.mjs: ~6 ms less compiling per start). If bundling is impossible, tsx runs the
// sources directly (also with VIGIL_CLI_TSX=1).
import { close, fstat, mkdirSync, open, read, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadWithCodeCache } from "./code-cache.mjs";
import { mustStartWithCerts, restoreExtraCaCerts, runAgain } from "./extra-ca-certs.mjs";

const argv = process.argv.slice(2);
// Through the #! line node started without the user's NODE_EXTRA_CA_CERTS (see below)
const extraCaCerts = restoreExtraCaCerts(process.env);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "server/cli/main.ts");
// One bundle per checkout: git worktrees may share one node_modules (a symlink), and a bundle
// built from another checkout's sources must never be run here. (The directory is named after
// the checkout's path; no hash, so that node:crypto is not loaded at every start.)
const checkout = root.replace(/[^A-Za-z0-9.-]+/g, "_").replace(/^_+/, "");
// CommonJS: a vm.Script, which takes a code cache (Node 20 has none for ES modules)
const bundle = path.join(root, "node_modules/.cache/vigil-cli", checkout, "main.cjs");
// V8's code cache of the bundle (bin/code-cache.mjs checks that it belongs to this bundle)
const codeCache = `${bundle}.v8cache`;
// the checkout's files the bundle was built from (esbuild's metafile), one path a line
const inputsFile = `${bundle}.inputs`;
// files that change the build without being bundled
const buildFiles = ["package.json", "tsconfig.json", "bin/vigil.mjs"].map((f) => path.join(root, f));

/**
 * Newest mtime of the files the bundle was built from; Infinity when one is gone or the list
 * is missing (rebuild). Only these can change the bundle: a new source file gets into it only
 * through an edit of one of them. Stat-ing this list costs far less than walking server/.
 */
function newestSource() {
  let list;
  try {
    list = readFileSync(inputsFile, "utf8").split("\n").filter(Boolean);
  } catch {
    return Infinity;
  }
  let newest = 0;
  for (const f of [...list, ...buildFiles]) {
    const st = statSync(f, { throwIfNoEntry: false });
    if (!st) {
      if (buildFiles.includes(f)) continue;
      return Infinity;
    }
    if (st.mtimeMs > newest) newest = st.mtimeMs;
  }
  return newest;
}

function bundleTime() {
  try {
    return statSync(bundle).mtimeMs;
  } catch {
    return 0;
  }
}

// Inside the bundle every module keeps its own import.meta.url (paths to agents/, scripts/ ...).
const keepImportMeta = {
  name: "vigil-keep-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.(ts|mts|mjs|js)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let src = readFileSync(args.path, "utf8");
      if (src.includes("import.meta")) {
        src = src
          .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
          .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
          .replaceAll("import.meta.filename", JSON.stringify(args.path));
      }
      return { contents: src, loader: /\.m?ts$/.test(args.path) ? "ts" : "js" };
    });
  },
};

async function ensureBundle() {
  if (bundleTime() >= newestSource()) return true;
  const esbuild = await import("esbuild");
  mkdirSync(path.dirname(bundle), { recursive: true });
  const tmp = `${bundle}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    // import() of node's modules becomes require(): a vm.Script has no module loader for import()
    supported: { "dynamic-import": false },
    target: "node20",
    packages: "external",
    outfile: tmp,
    logLevel: "silent",
    tsconfig: path.join(root, "tsconfig.json"),
    plugins: [keepImportMeta],
    metafile: true,
    absWorkingDir: root, // metafile paths are relative to it
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((f) => path.resolve(root, f))
    .filter((f) => !f.includes(`${path.sep}node_modules${path.sep}`));
  // bundle first, then its list: a list newer than an old bundle is never paired with it,
  // since the check compares every listed file with the bundle's own mtime
  renameSync(tmp, bundle); // atomic: a concurrent vigil sees the old or the new bundle
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, inputs.join("\n") + "\n");
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  return true;
}

/**
 * `vigil simulate -x FILE` (crm_simulate's flags, first word "simulate"): FILE is read now, on
 * libuv's thread pool, while the bundle below loads on the main thread (a fresh 18 MB buffer
 * costs ~50 ms of page faults on this VM: they go to the other core). One read(2) for the whole
 * file, so that the main thread need not come back between pieces. Any problem: undefined, and
 * simulate reads the file itself (and reports the error).
 */
function prefetchXml(argv) {
  if (argv[0] !== "simulate") return undefined;
  let file;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === "-x" || argv[i] === "--xml-file") file = argv[i + 1];
    else if (argv[i].startsWith("--xml-file=")) file = argv[i].slice("--xml-file=".length);
  }
  if (!file || file === "-") return undefined;
  const bytes = new Promise((resolve) => {
    open(file, "r", (err, fd) => {
      if (err) return resolve(undefined);
      const done = (value) => close(fd, () => resolve(value));
      fstat(fd, (err, st) => {
        if (err || !st.isFile() || st.size === 0 || st.size > 0x3fffffff) return done(undefined);
        const buf = Buffer.allocUnsafeSlow(st.size);
        read(fd, buf, 0, st.size, 0, (err, n) => done(err || n !== st.size ? undefined : buf));
      });
    });
  });
  return { file, bytes };
}
const xmlPrefetch = prefetchXml(argv);

let runCli;
let controllerUrl;
let saveCache;
if (!process.env.VIGIL_CLI_TSX) {
  try {
    await ensureBundle();
    let exports;
    ({ exports, saveCache } = loadWithCodeCache(bundle, codeCache));
    ({ runCli, controllerUrl } = exports);
  } catch (e) {
    if (process.env.VIGIL_DEBUG) console.error("vigil: bundling failed, running through tsx:", e);
  }
}
if (!runCli) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ runCli, controllerUrl } = await import("../server/cli/main.ts"));
}
// A command that may need TLS trust (an HTTPS controller) runs again in a node that starts with
// the user's NODE_EXTRA_CA_CERTS, as without the #! line's help.
if (extraCaCerts !== undefined && mustStartWithCerts(argv, extraCaCerts, statSync, controllerUrl?.(process.env))) {
  const ended = await runAgain(fileURLToPath(import.meta.url), argv);
  if (ended?.signal) {
    // end the same way; should the signal not end this process, the shell's code for it
    process.kill(process.pid, ended.signal);
    const { constants } = await import("node:os");
    process.exit(128 + (constants.signals[ended.signal] ?? 0));
  }
  if (ended) process.exit(ended.code);
  // could not start a node: go on here (only TLS trust can differ)
}
const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, xmlPrefetch });
// after the run: the cache then holds the functions it compiled, too
saveCache?.();
// flush before exit (pipes)
process.stdout.write("", () => process.exit(code));
