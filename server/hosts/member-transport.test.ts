// MemberTransport over a real LocalTransport and Membership: the controller sees the
// membership state (host-timeout grace), and fence agents found on the controller run here.
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LocalTransport } from "../executor/local-transport";
import { Membership } from "../membership/membership";
import { emptyCib } from "../cib/empty";
import { MemberTransport } from "./member-transport";
import { addNodes, removeNode } from "./manager";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "vigil-mt-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("MemberTransport", () => {
  it("stays up through a short drop within host-timeout, goes down once the member is lost", async () => {
    const m = new Membership({ hostTimeoutMs: 1500 });
    const inner = new LocalTransport({ node: "n1", hostDir: tmp() });
    m.add("n1", inner);
    const t = new MemberTransport(inner, m);
    const seen: string[] = [];
    t.onStateChange((s) => seen.push(s));
    await t.connect();
    expect(t.state()).toBe("up");
    inner.crash("test");
    expect(inner.state()).toBe("down");
    expect(t.state()).toBe("up"); // suspect: heard from < host-timeout ago
    await inner.revive();
    await sleep(300);
    expect(t.state()).toBe("up");
    expect(seen).toEqual(["up"]); // the drop never reached the controller
    await sleep(1600); // the last sign of life is now older than host-timeout
    inner.crash("test again");
    await sleep(100);
    expect(m.node("n1")?.state).toBe("lost");
    expect(t.state()).toBe("down");
    expect(seen).toEqual(["up", "down"]);
    await t.close();
    m.close();
  });

  it("runs fence agents found on the controller locally, everything else on the host", async () => {
    const m = new Membership({ hostTimeoutMs: 400 });
    const hostDir = tmp();
    const inner = new LocalTransport({ node: "n1", hostDir });
    m.add("n1", inner);
    const local = tmp();
    mkdirSync(local, { recursive: true });
    writeFileSync(path.join(local, "fence_here"), "#!/bin/sh\ncat >/dev/null; echo ran-on-controller\n");
    chmodSync(path.join(local, "fence_here"), 0o755);
    const t = new MemberTransport(inner, m, { localFenceAgent: (n) => (n === "fence_here" ? path.join(local, n) : undefined) });
    await t.connect();
    const r = await t.run({ argv: ["/usr/sbin/fence_here"], stdin: "action=monitor\n", timeoutMs: 5000 });
    expect(r.stdout).toBe("ran-on-controller\n");
    const other = await t.run({ argv: ["/usr/sbin/fence_missing_everywhere"], timeoutMs: 5000 });
    expect(other.code).not.toBe(0); // went to the host, where it does not exist
    await t.close();
    m.close();
  });
});

describe("CIB nodes for hosts", () => {
  it("adds member nodes with the next free numeric ids and removes a node with its status", () => {
    let cib = addNodes(emptyCib(), ["node1", "node2"]);
    expect(cib.configuration.nodes.map((n) => [n.id, n.uname])).toEqual([
      ["1", "node1"],
      ["2", "node2"],
    ]);
    cib = addNodes(cib, ["node2", "node3"]);
    expect(cib.configuration.nodes.map((n) => n.id)).toEqual(["1", "2", "3"]);
    cib.status = [{ id: "2", uname: "node2", lrmResources: [], transientAttributes: [] } as never];
    cib = removeNode(cib, "node2");
    expect(cib.configuration.nodes.map((n) => n.uname)).toEqual(["node1", "node3"]);
    expect(cib.status).toEqual([]);
  });
});
