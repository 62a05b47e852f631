import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LocalTransport } from "./local-transport";
import { describeAgent, listAgents, listProviders, listStandards, parseAgentName, refName } from "./discovery";
import { MetadataError } from "./metadata";
import { tempDir } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
let t: LocalTransport;
let noSystemd: { systemdRunDir: string };

function script(file: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  chmodSync(file, 0o755);
}

beforeAll(async () => {
  tmp = tempDir();
  const initDir = path.join(tmp.dir, "init.d");
  script(path.join(initDir, "haproxy"), "#!/bin/sh\n### BEGIN INIT INFO\n# Short-Description: load balancer\n### END INIT INFO\nexit 0\n");
  script(path.join(initDir, "apache2"), "#!/bin/sh\nexit 0\n");
  script(path.join(initDir, "README"), "not a service\n");
  const ocfRoot = path.join(tmp.dir, "ocf");
  // the real resource-agents tree, plus a provider whose agent prints garbage meta-data
  mkdirSync(path.join(ocfRoot, "resource.d"), { recursive: true });
  script(path.join(ocfRoot, "resource.d", "broken", "Garbage"), "#!/bin/sh\necho 'this is not <xml'\nexit 0\n");
  noSystemd = { systemdRunDir: path.join(tmp.dir, "no-systemd") };
  t = new LocalTransport({ node: "node1", hostDir: path.join(tmp.dir, "node1"), agentPaths: { initDir, ocfRoot, ...noSystemd } });
  await t.connect();
});

afterAll(() => {
  t.crash();
  tmp.cleanup();
});

describe("agent discovery", () => {
  it("lists standards and providers (vigil from the repo, others from the host's OCF root)", async () => {
    expect(await listStandards(t)).toEqual(["lsb", "ocf", "service", "systemd"]);
    expect(await listProviders(t)).toEqual(["broken", "vigil"]);
    const real = await listProviders(t, { ocfRoot: "/usr/lib/ocf" });
    expect(real).toEqual(expect.arrayContaining(["heartbeat", "pacemaker", "vigil"]));
  });

  it("lists agents per class and provider", async () => {
    expect((await listAgents(t, "ocf", "vigil")).map(refName)).toEqual(["ocf:vigil:Dummy", "ocf:vigil:Stateful", "ocf:vigil:WebServer"]);
    expect((await listAgents(t, "ocf")).map(refName)).toEqual(["ocf:broken:Garbage", "ocf:vigil:Dummy", "ocf:vigil:Stateful", "ocf:vigil:WebServer"]);
    const heartbeat = (await listAgents(t, "ocf", "heartbeat", { ocfRoot: "/usr/lib/ocf" })).map(refName);
    expect(heartbeat).toEqual(expect.arrayContaining(["ocf:heartbeat:IPaddr2", "ocf:heartbeat:apache"]));
    expect((await listAgents(t, "lsb")).map(refName)).toEqual(["lsb:apache2", "lsb:haproxy"]);
    // no systemd on this host: systemd agents are the init scripts it would fall back to
    expect((await listAgents(t, "systemd")).map(refName)).toEqual(["systemd:apache2", "systemd:haproxy"]);
    expect((await listAgents(t, "stonith")).map(refName)).toContain("stonith:fence_dummy");
    await expect(listAgents(t, "ocf", "nosuch")).rejects.toThrow(/no ocf agents of provider "nosuch" on node1/);
    await expect(listAgents(t, "upstart")).rejects.toThrow(/unknown resource class "upstart"/);
  });

  it("describes an agent from its meta-data", async () => {
    const d = await describeAgent(t, parseAgentName("ocf:vigil:WebServer"));
    expect(d.name).toBe("ocf:vigil:WebServer");
    expect(d.metadata.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["port", "ports", "address"]));
    expect(d.fallback).toBeUndefined();
    const ip = await describeAgent(t, parseAgentName("ocf:heartbeat:IPaddr2"), { ocfRoot: "/usr/lib/ocf" });
    expect(ip.metadata.parameters.find((p) => p.name === "ip")?.required).toBe(true);
  });

  it("says when a systemd agent runs as an init script on this host", async () => {
    const d = await describeAgent(t, parseAgentName("systemd:haproxy"));
    expect(d.metadata.shortdesc).toBe("load balancer");
    expect(d.fallback?.effective).toBe("lsb");
    expect(d.fallback?.message).toMatch(/node1 has no systemd.*systemd:haproxy runs as the LSB init script .*init\.d\/haproxy/);
  });

  it("gives clear errors for missing agents and garbage meta-data", async () => {
    await expect(describeAgent(t, parseAgentName("ocf:vigil:Nope"))).rejects.toThrow(
      /cannot read the meta-data of ocf:vigil:Nope on node1: agent ocf:vigil:Nope is not installed/,
    );
    const err = await describeAgent(t, parseAgentName("ocf:broken:Garbage")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetadataError);
    expect((err as Error).message).toMatch(/^meta-data of ocf:broken:Garbage: not XML/);
  });

  it("parses agent names as pcs writes them", () => {
    expect(parseAgentName("ocf:heartbeat:IPaddr2")).toEqual({ standard: "ocf", provider: "heartbeat", type: "IPaddr2" });
    expect(parseAgentName("systemd:haproxy")).toEqual({ standard: "systemd", type: "haproxy" });
    expect(parseAgentName("IPaddr2")).toEqual({ standard: "ocf", provider: "heartbeat", type: "IPaddr2" });
    expect(() => parseAgentName("ocf:Dummy")).toThrow(/needs a provider/);
    expect(() => parseAgentName("a:b:c:d")).toThrow(/invalid agent name/);
    expect(() => parseAgentName("ocf::Dummy")).toThrow(/invalid agent name/);
  });
});
