// `node --import tsx scripts/simulate.ts -x FILE -S`: vigil simulate without the full CLI.
import { runSimulate } from "../server/cli/simulate";

process.exitCode = await runSimulate(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
