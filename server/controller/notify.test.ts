// Clone notifications on the real demo hosts: an agent that has no notify
// action (Debian's ocf:heartbeat:Dummy answers rc 3) must not stall the
// cluster, because Pacemaker only logs a failed notification.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { Cib } from "../cib/types";
import { demoCib } from "../demo/cib";
import type { Controller } from "./controller";
import { startController } from "./start";
import { freePortBase } from "./test-helpers";

const dirs: string[] = [];
let ctl: Controller | undefined;

afterAll(async () => {
  await ctl?.stop({ stopResources: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function withNotifyClone(base: number): Cib {
  const cib = demoCib({ webPortBase: base });
  cib.configuration.resources.push({
    kind: "clone",
    id: "hb-clone",
    metaAttributes: [
      { id: "hb-clone-meta_attributes", nvpairs: [{ id: "hb-clone-meta_attributes-notify", name: "notify", value: "true" }] },
    ],
    instanceAttributes: [],
    child: {
      kind: "primitive",
      id: "hb",
      class: "ocf",
      provider: "heartbeat",
      type: "Dummy",
      instanceAttributes: [],
      metaAttributes: [],
      utilization: [],
      operations: [{ id: "hb-monitor-interval-10s", name: "monitor", interval: "10s", timeout: "20s", instanceAttributes: [], metaAttributes: [] }],
    },
  });
  return cib;
}

it("a clone with notify=true starts everywhere although its agent cannot notify", async () => {
  const d = mkdtempSync(path.join(tmpdir(), "vigil-notify-"));
  dirs.push(d);
  const base = await freePortBase();
  ctl = await startController({ stateDir: d, demo: true, webPortBase: base, initialCib: () => withNotifyClone(base) });
  await ctl.settled(60000);

  const clone = ctl.snapshot().state.resources.find((r) => r.id === "hb-clone");
  expect(clone).toBeDefined();
  const started = clone!.children.flatMap((c) => c.active.filter((a) => a.role === "Started" && !a.failed).map((a) => a.node));
  expect(started.sort()).toEqual(["node1", "node2", "node3"]);
  expect(ctl.snapshot().state.failedActions).toEqual([]);

  // the notifications did run (and were answered "unimplemented") without failing anything
  const notes = ctl.events().filter((e) => e.kind === "action-result" && /notify/.test(e.message));
  expect(notes.length).toBeGreaterThan(0);
  expect(notes.every((e) => (e.detail as { rc: number }).rc === 3)).toBe(true);
  // no transition was cut short by a notification's answer
  expect(ctl.transitions().map((t) => t.status)).not.toContain("aborted");
  expect(ctl.transitions().map((t) => t.status)).not.toContain("failed");
  // and no notify operation was written to the status, as in Pacemaker
  const ops = ctl.snapshot().cib.status.flatMap((n) => n.lrmResources.flatMap((r) => r.ops.map((o) => o.operation)));
  expect(ops).not.toContain("notify");
}, 120000);
