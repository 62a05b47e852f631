// Test helper for store.test.ts: saves CIBs in a tight loop until it is killed.
// Usage: node --import tsx store.crash-writer.ts DIR
// Prints "ready" once loaded, waits for a line on stdin (so the test can boot the next writer
// while it checks the last one), then prints "saved <epoch>" after each save has returned.
import { writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { emptyCib } from "./empty";
import { CibStore } from "./store";
import type { Cib } from "./types";

/** The CIB saved with a given epoch: deterministic, and its size varies with the epoch. */
export function crashTestCib(epoch: number): Cib {
  const cib = emptyCib();
  cib.attrs.epoch = String(epoch);
  cib.attrs.num_updates = String(epoch % 7);
  cib.configuration.crmConfig.push({
    id: "cib-bootstrap-options",
    nvpairs: [{ id: "cib-bootstrap-options-stonith-enabled", name: "stonith-enabled", value: "false" }],
  });
  for (let n = 1; n <= 3; n++) {
    cib.configuration.nodes.push({ id: String(n), uname: `node${n}`, instanceAttributes: [], utilization: [] });
  }
  const count = 80 + (epoch % 60);
  for (let r = 0; r < count; r++) {
    cib.configuration.resources.push({
      kind: "primitive",
      id: `rsc${r}`,
      class: "ocf",
      provider: "pacemaker",
      type: "Dummy",
      metaAttributes: [],
      instanceAttributes: [
        {
          id: `rsc${r}-instance_attributes`,
          nvpairs: [{ id: `rsc${r}-instance_attributes-state`, name: "state", value: `/run/rsc${r}-${epoch}.state` }],
        },
      ],
      utilization: [],
      operations: [{ id: `rsc${r}-monitor-interval-10s`, name: "monitor", interval: "10s", timeout: "20s", instanceAttributes: [], metaAttributes: [] }],
    });
  }
  cib.status.push({
    id: "1",
    uname: "node1",
    inCcm: "true",
    crmd: "online",
    join: "member",
    expected: "member",
    transientAttributes: [],
    lrmId: "1",
    lrmResources: Array.from({ length: count }, (_, r) => ({
      id: `rsc${r}`,
      class: "ocf",
      provider: "pacemaker",
      type: "Dummy",
      ops: [
        {
          id: `rsc${r}_last_0`,
          operationKey: `rsc${r}_start_0`,
          operation: "start",
          interval: "0",
          callId: String(epoch * 1000 + r),
          rcCode: "0",
          opStatus: "0",
          onNode: "node1",
        },
      ],
    })),
  });
  return cib;
}

async function main(dir: string): Promise<void> {
  // verify (re-reading each XML before writing) is off: it is CPU work outside the write,
  // and this writer is about kills landing inside writes.
  const store = new CibStore(dir, { warn: (m) => writeSync(2, `${m}\n`), verify: false });
  const start = Number(store.load()?.attrs.epoch ?? 0) + 1;
  for (let epoch = start; ; epoch++) {
    if (epoch % 2) store.saveSync(crashTestCib(epoch));
    else await store.save(crashTestCib(epoch));
    writeSync(1, `saved ${epoch}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeSync(1, "ready\n");
  process.stdin.once("data", () => {
    main(process.argv[2]).catch((e) => {
      writeSync(2, `${(e as Error).stack}\n`);
      process.exit(1);
    });
  });
}
