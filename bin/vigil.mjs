#!/usr/bin/env node
// `vigil` / `npx vigil`: the pcs-compatible CLI (server/cli/main.ts), run
// through tsx in this process.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../server/cli/main.ts");
const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
// flush before exit (pipes)
process.stdout.write("", () => process.exit(code));
