// `vigil status` prints crm_mon's fencing sections from a real controller in host mode
// (server/hosts startHostCluster + the real API server): a real fence agent
// (fence-agents' fence_dummy) fences a node, another request fails for want of a device.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyCib } from "../cib/empty";
import { applyChange } from "../cib/ops";
import { addNodes } from "../hosts/manager";
import { startHostModeServer, type HostModeServer } from "../api/test-host-server";

let h: HostModeServer;


beforeAll(async () => {
  // two configured nodes without SSH hosts: fencing needs only the CIB and a device
  const initialCib = (dir: string) => {
    let cib = addNodes(emptyCib(), ["fnode1", "fnode2"]);
    // no automatic fencing of never-seen nodes: the test asks for each fencing itself
    cib = applyChange(cib, { op: "property-set", name: "startup-fencing", value: "false" }, { force: true }).cib;
    cib = applyChange(cib, {
      op: "resource-create",
      id: "fence-dummy",
      agent: "stonith:fence_dummy",
      params: { pcmk_host_list: "fnode1", status_file: path.join(dir, "fence_dummy.status") },
      ops: [],
      meta: {},
      noDefaultOps: true,
      force: true,
    }, { force: true }).cib;
    return cib;
  };
  h = await startHostModeServer({ initialCib, fenceAgentDirs: ["/usr/sbin"] });
}, 60_000);

afterAll(async () => h?.stop());

describe("vigil status: fencing history (crm_mon layout)", () => {
  it("prints no fencing section before any fencing", async () => {
    const r = await h.vigil("status", "--full");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Node List:");
    expect(r.stdout).not.toContain("Fencing");
  });

  it("status --full lists a successful and a failed fencing; plain status only the failed one", async () => {
    const ok = await h.vigil("stonith", "fence", "fnode1");
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toBe("Node: fnode1 fenced\n");
    const bad = await h.vigil("stonith", "fence", "fnode2");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: unable to fence 'fnode2'/);

    const full = (await h.vigil("status", "--full")).stdout;
    const lines = full.split("\n");
    const at = lines.indexOf("Fencing History:");
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe(""); // its own section, after a blank line, as crm_mon prints it
    const when = String.raw`'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d'`;
    // newest first: the failed request came last
    expect(lines[at + 1]).toMatch(new RegExp(String.raw`^  \* reboot of fnode2 failed: delegate=none, client=vigil, origin=cli:\S+, last-failed=${when}`));
    expect(lines[at + 2]).toMatch(new RegExp(String.raw`^  \* reboot of fnode1 successful: delegate=controller, client=vigil, origin=cli:\S+, completed=${when}$`));

    const plain = (await h.vigil("status")).stdout;
    expect(plain).not.toContain("Fencing History:");
    expect(plain).toContain("Failed Fencing Actions:\n  * reboot of fnode2 failed:");
    expect(plain).not.toContain("fnode1 successful");
  }, 60_000);
});
