// The fencer with Debian's real fence_dummy agent (runs on this machine; type=file keeps a
// power state in a file, type=fail always fails). Test-bed fencing: fencer.testbed.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FenceDevice, FencingLevel } from "./devices";
import { Fencer } from "./fencer";
import { FenceHistory, formatFencingHistory, formatStonithHistory } from "./history";

const tmp = mkdtempSync(path.join(os.tmpdir(), "vigil-fence-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dummy = (id: string, params: Record<string, string>, priority = 0): FenceDevice => ({
  id,
  agent: "fence_dummy",
  params: { status_file: path.join(tmp, `${id}.status`), ...params },
  priority,
  enabled: true,
});

describe("Fencer with fence_dummy", () => {
  it("fences a listed node with the agent on the controller and records the result", async () => {
    const devs = [dummy("fd1", { pcmk_host_list: "node1 node2" })];
    writeFileSync(path.join(tmp, "fd1.status"), "on"); // fence_dummy's power state: on
    const fencer = new Fencer({ devices: () => devs });
    const rec = await fencer.fence("node2", "off", { origin: "cli:admin", client: "vigil-cli" });
    expect(rec).toMatchObject({ state: "success", target: "node2", action: "off", delegate: "controller", device: "fd1", origin: "cli:admin" });
    expect(readFileSync(path.join(tmp, "fd1.status"), "utf8").trim()).toBe("off");
    expect(rec.attempts).toHaveLength(1);
    expect(rec.attempts[0]).toMatchObject({ device: "fd1", via: "controller", rc: 0, timedOut: false });
    const lines = formatFencingHistory(fencer.history.list(), { full: true });
    expect(lines[0]).toMatch(/^  \* off of node2 successful: delegate=controller, client=vigil-cli, origin=cli:admin, completed='\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d'$/);
    expect(formatStonithHistory(fencer.history.list())[0]).toMatch(/^controller was able to off node node2 on behalf of vigil-cli from cli:admin at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
  });

  it("fails clearly when no device can fence the target, without running anything", async () => {
    const fencer = new Fencer({ devices: () => [dummy("fd2", { pcmk_host_list: "node1" })] });
    const rec = await fencer.fence("node3", "reboot");
    expect(rec.state).toBe("failed");
    expect(rec.error).toBe("none of the 1 fence device(s) can fence node3 (check pcmk_host_list / pcmk_host_map)");
    expect(rec.attempts).toEqual([]);
    expect((await new Fencer({ devices: () => [] }).fence("node3")).error).toBe("no fence devices are configured");
  });

  it("retries a failing device pcmk_<action>_retries times, then tries the next device by priority", async () => {
    const devs = [dummy("bad", { pcmk_host_list: "node1", type: "fail", power_timeout: "1", pcmk_reboot_retries: "1" }, 10), dummy("good", { pcmk_host_list: "node1" }, 1)];
    const fencer = new Fencer({ devices: () => devs });
    const rec = await fencer.fence("node1", "reboot");
    expect(rec.state).toBe("success");
    expect(rec.device).toBe("good");
    expect(rec.attempts.map((a) => [a.device, a.rc === 0])).toEqual([
      ["bad", false],
      ["bad", false],
      ["good", true],
    ]);
  });

  it("follows fencing-topology: a failed level falls through to the next one", async () => {
    const devs = [dummy("lvl1", { type: "fail", power_timeout: "1", pcmk_off_retries: "0" }), dummy("lvl2a", {}), dummy("lvl2b", {})];
    const topo: FencingLevel[] = [
      { id: "l1", index: 1, target: "node2", devices: ["lvl1"] },
      { id: "l2", index: 2, target: "node2", devices: ["lvl2a", "lvl2b"] },
    ];
    const fencer = new Fencer({ devices: () => devs, topology: () => topo });
    const rec = await fencer.fence("node2", "off");
    expect(rec).toMatchObject({ state: "success", device: "lvl2a,lvl2b" });
    expect(rec.attempts.map((a) => a.device)).toEqual(["lvl1", "lvl2a", "lvl2b"]);
  });

  it("a device whose agent hangs is killed at its timeout and the failure says so", async () => {
    const dir = path.join(tmp, "agents");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "fence_hang"), "#!/bin/sh\ncase \"$(cat)\" in *metadata*) echo '<resource-agent><actions><action name=\"off\"/></actions></resource-agent>'; exit 0;; esac\nsleep 60\n");
    chmodSync(path.join(dir, "fence_hang"), 0o755);
    const devs: FenceDevice[] = [{ id: "hang", agent: "fence_hang", params: { pcmk_host_list: "node1", pcmk_off_timeout: "700ms", pcmk_off_retries: "3" }, priority: 0, enabled: true }];
    const fencer = new Fencer({ devices: () => devs, agentDirs: [dir] });
    const t0 = Date.now();
    const rec = await fencer.fence("node1", "off");
    expect(Date.now() - t0).toBeLessThan(3000); // the timeout covers all attempts
    expect(rec.state).toBe("failed");
    expect(rec.error).toMatch(/^hang: timed out after \d+ ms on controller/);
    expect(rec.attempts[0].timedOut).toBe(true);
  });

  it("an agent that is nowhere is reported by name; duplicate requests share one run", async () => {
    const devs: FenceDevice[] = [{ id: "ghost", agent: "fence_nowhere", params: { pcmk_host_list: "node1" }, priority: 0, enabled: true }];
    const fencer = new Fencer({ devices: () => devs });
    const [a, b] = await Promise.all([fencer.fence("node1", "off"), fencer.fence("node1", "off")]);
    expect(a).toBe(b);
    expect(a.error).toMatch(/ghost: agent fence_nowhere is not available on the controller \(\/usr\/sbin\) or on any online host other than node1/);
    expect(fencer.history.list()).toHaveLength(1);
    await expect(fencer.fence("node 1", "off")).rejects.toThrow(/invalid target/);
    await expect(fencer.fence("node1", "explode" as never)).rejects.toThrow(/action must be reboot, off or on/);
  });
});

describe("fencing history", () => {
  it("crm_mon shows failures and pending, and only the latest success per node unless --full", () => {
    const h = new FenceHistory();
    const a = h.begin({ target: "node1", action: "reboot", origin: "controller", client: "vigil-controller", at: 1000 });
    h.finish(a.id, { state: "success", delegate: "controller", at: 2000 });
    const b = h.begin({ target: "node1", action: "reboot", origin: "controller", client: "vigil-controller", at: 3000 });
    h.finish(b.id, { state: "success", delegate: "node3", at: 4000 });
    const c = h.begin({ target: "node2", action: "off", origin: "cli:root", client: "vigil-cli", at: 5000 });
    h.finish(c.id, { state: "failed", delegate: "controller", error: "fd: agent fence_x returned 1", at: 6000 });
    h.begin({ target: "node3", action: "reboot", origin: "controller", client: "vigil-controller", at: 7000 });
    const short = formatFencingHistory(h.list());
    expect(short).toHaveLength(3);
    expect(short[0]).toBe("  * reboot of node3 pending: client=vigil-controller, origin=controller");
    expect(short[1]).toMatch(/^  \* off of node2 failed: delegate=controller, client=vigil-cli, origin=cli:root, last-failed='.*' \(fd: agent fence_x returned 1\)$/);
    expect(short[2]).toMatch(/^  \* reboot of node1 successful: delegate=node3,/);
    expect(formatFencingHistory(h.list(), { full: true })).toHaveLength(4);
    expect(h.lastSuccess("node1")?.delegate).toBe("node3");
    expect(h.cleanup("node1")).toBe(2);
    const copy = new FenceHistory();
    copy.load(h.toJSON());
    expect(copy.list().map((r) => r.target)).toEqual(["node2", "node3"]);
    expect(copy.begin({ target: "x", action: "off", origin: "o", client: "c" }).id).toBe(5);
  });
});
