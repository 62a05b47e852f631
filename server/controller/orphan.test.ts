// Deleting a resource from the configuration: the scheduler stops it and
// plans a "delete" of its history; the controller must forget the history,
// not send "delete" to the agent (which would answer rc 3, a failed action).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { Controller } from "./controller";
import { startController } from "./start";
import { freePortBase } from "./test-helpers";

const dir = mkdtempSync(path.join(tmpdir(), "vigil-orphan-"));
let ctl: Controller | undefined;

afterAll(async () => {
  await ctl?.stop({ stopResources: true });
  rmSync(dir, { recursive: true, force: true });
});

it("a deleted resource is stopped and its history forgotten, with no failed action", async () => {
  ctl = await startController({ stateDir: dir, demo: true, webPortBase: await freePortBase() });
  await ctl.settled(60000);
  const where = ctl.snapshot().state.resources.find((r) => r.id === "dummy1")!.active[0].node;
  const nodeId = ctl.snapshot().cib.configuration.nodes.find((n) => n.uname === where)!.id;
  // the node it ran on keeps its start history until the delete
  const hasHistory = () =>
    ctl!.snapshot().cib.status.some((n) => n.id === nodeId && n.lrmResources.some((r) => r.id === "dummy1"));
  expect(hasHistory()).toBe(true);

  await ctl.update(
    (cib) => ({
      ...cib,
      configuration: {
        ...cib.configuration,
        resources: cib.configuration.resources.filter((r) => r.id !== "dummy1"),
        constraints: cib.configuration.constraints.filter((c) => !JSON.stringify(c).includes('"dummy1"')),
      },
    }),
    { user: "hacluster", role: "admin" },
    "delete dummy1",
  );
  await ctl.settled(60000);

  expect(ctl.snapshot().state.failedActions).toEqual([]);
  expect(hasHistory()).toBe(false);
  expect(ctl.snapshot().state.resources.map((r) => r.id)).not.toContain("dummy1");
  const tasks = ctl.transitions().flatMap((t) => t.transition.actions.filter((a) => a.rsc === "dummy1").map((a) => a.task));
  expect(tasks).toContain("stop");
  expect(tasks).toContain("delete");
}, 120000);
