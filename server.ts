// The Vigil controller's entry point (`npm start`, `npm run dev`): the
// controller with the embedded demo cluster, the API and the console on one
// port. Configuration: VIGIL_STATE_DIR [./.vigil], VIGIL_PORT [2224],
// VIGIL_HOST [127.0.0.1; any other address serves HTTPS]. Real SSH hosts instead of
// the demo: VIGIL_HOSTS=1, or a state dir whose hosts.json lists hosts (server/hosts).
import path from "node:path";
import { startServer } from "./server/api/server";
import { startHostCluster, wantsHostCluster } from "./server/hosts/cluster";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const dev = process.env.NODE_ENV !== "production";
const stateDir = path.resolve(process.env.VIGIL_STATE_DIR || ".vigil");
const port = Number(process.env.VIGIL_PORT || 2224);
const host = process.env.VIGIL_HOST || "127.0.0.1";

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Error: VIGIL_PORT must be a port number (0-65535), got '${process.env.VIGIL_PORT}'`);
  process.exit(1);
}

try {
  const real = wantsHostCluster(stateDir) ? await startHostCluster({ stateDir }) : undefined;
  const srv = await startServer({ stateDir, port, host, dev, log: (l) => console.log(l), service: real?.controller, hosts: real?.hosts });
  console.log(`State directory: ${stateDir}`);
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    // Real hosts keep their resources when the controller stops (the next start
    // adopts them); the embedded demo's hosts are this process's children, so
    // a clean stop stops them too and frees their ports.
    console.log(real
      ? `${sig}: stopping the controller (resources keep running on the hosts; the next start adopts them)`
      : `${sig}: stopping the demo cluster's resources and the controller`);
    const t = setTimeout(() => process.exit(1), 30_000);
    t.unref();
    await srv.close({ stopResources: !real }).catch((e) => console.error(e));
    await real?.stop().catch((e) => console.error(e));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "EADDRINUSE") console.error(`Error: port ${port} on ${host} is in use (another Vigil? set VIGIL_PORT)`);
  else console.error(`Error: ${err.message ?? String(e)}`);
  process.exit(1);
}
