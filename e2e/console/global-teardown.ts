import { rmSync } from "node:fs";

// The demo cluster's hosts live in the temp state dir; remove it after the run.
export default function globalTeardown() {
  const dir = process.env.VIGIL_E2E_STATE_DIR;
  if (dir && dir.includes("vigil-e2e-")) rmSync(dir, { recursive: true, force: true });
}
