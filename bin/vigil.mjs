#!/usr/bin/env node
// `vigil` / `npx vigil`: the pcs-compatible CLI (server/cli/main.ts).
//
// Start-up time matters for a CLI (scripts call it in loops), so the TypeScript
// sources are bundled once with esbuild (it comes with tsx) into
// node_modules/.cache/vigil-cli/<checkout>/main.mjs and rebuilt when a source is newer;
// plain node then runs the bundle. If bundling is impossible, tsx runs the
// sources directly (also with VIGIL_CLI_TSX=1).
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "server/cli/main.ts");
// One bundle per checkout: git worktrees may share one node_modules (a symlink), and a bundle
// built from another checkout's sources must never be run here.
const checkout = createHash("sha1").update(root).digest("hex").slice(0, 12);
const bundle = path.join(root, "node_modules/.cache/vigil-cli", checkout, "main.mjs");

/** newest mtime of the sources the CLI is built from */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let names;
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      if (d.name.startsWith(".") || d.name === "node_modules") continue;
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js|json)$/.test(d.name) && !d.name.includes(".test.")) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(root, "server"));
  for (const f of ["scripts/start.mjs", "package.json", "tsconfig.json", "bin/vigil.mjs"]) {
    try {
      newest = Math.max(newest, statSync(path.join(root, f)).mtimeMs);
    } catch {
      /* absent */
    }
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
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: tmp,
    logLevel: "silent",
    tsconfig: path.join(root, "tsconfig.json"),
    plugins: [keepImportMeta],
  });
  renameSync(tmp, bundle); // atomic: a concurrent vigil sees the old or the new bundle
  return true;
}

let runCli;
if (!process.env.VIGIL_CLI_TSX) {
  try {
    await ensureBundle();
    ({ runCli } = await import(pathToFileURL(bundle).href));
  } catch (e) {
    if (process.env.VIGIL_DEBUG) console.error("vigil: bundling failed, running through tsx:", e);
  }
}
if (!runCli) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ runCli } = await import("../server/cli/main.ts"));
}
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// flush before exit (pipes)
process.stdout.write("", () => process.exit(code));
