import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { MetadataError, parseAgentMetadata, parseLsbHeader, syntheticMetadataXml } from "./metadata";
import { REPO_AGENTS_DIR } from "./local-transport";

const OCF11 = `<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Thing" version="2.3">
  <version>1.1</version>
  <longdesc lang="de">Ein Ding.</longdesc>
  <longdesc lang="en">A thing
    over two lines.

    Second paragraph.</longdesc>
  <shortdesc lang="en">Thing &amp; more</shortdesc>
  <parameters>
    <parameter name="ip" unique="1" required="1">
      <longdesc lang="en">The address</longdesc>
      <shortdesc lang="en">IP</shortdesc>
      <content type="string" />
    </parameter>
    <parameter name="level" reloadable="1">
      <longdesc lang="en">How much</longdesc>
      <shortdesc lang="en">Level</shortdesc>
      <content type="integer" default="3" />
    </parameter>
    <parameter name="mode" deprecated="true">
      <shortdesc lang="en">Mode</shortdesc>
      <content type="select" default="a"><option value="a"/><option value="b"/></content>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="20s" />
    <action name="monitor" timeout="20s" interval="10s" depth="0" role="Promoted" />
    <action name="reload-agent" timeout="10s" />
  </actions>
</resource-agent>`;

describe("parseAgentMetadata", () => {
  it("reads name, descriptions, parameters and actions", () => {
    const md = parseAgentMetadata(OCF11, "ocf:test:Thing");
    expect(md).toMatchObject({ name: "Thing", version: "1.1", shortdesc: "Thing & more", longdesc: "A thing over two lines.\n\nSecond paragraph." });
    expect(md.parameters).toEqual([
      { name: "ip", required: true, unique: true, type: "string", default: undefined, shortdesc: "IP", longdesc: "The address", reloadable: false, deprecated: false },
      { name: "level", required: false, unique: false, type: "integer", default: "3", shortdesc: "Level", longdesc: "How much", reloadable: true, deprecated: false },
      { name: "mode", required: false, unique: false, type: "select", default: "a", shortdesc: "Mode", longdesc: "", reloadable: false, deprecated: true, values: ["a", "b"] },
    ]);
    expect(md.actions).toEqual([
      { name: "start", timeout: "20s" },
      { name: "monitor", timeout: "20s", interval: "10s", depth: "0", role: "Promoted" },
      { name: "reload-agent", timeout: "10s" },
    ]);
  });

  it("parses every agent Vigil ships", () => {
    for (const agent of ["Dummy", "Stateful", "WebServer"]) {
      const xml = execFileSync(path.join(REPO_AGENTS_DIR, "resource.d", "vigil", agent), ["meta-data"], { encoding: "utf8" });
      const md = parseAgentMetadata(xml, `ocf:vigil:${agent}`);
      expect(md.name).toBe(agent);
      expect(md.actions.map((a) => a.name)).toEqual(expect.arrayContaining(["start", "stop", "monitor", "meta-data"]));
      expect(md.shortdesc.length).toBeGreaterThan(5);
    }
  });

  it("parses the real IPaddr2 meta-data from resource-agents", () => {
    const agent = "/usr/lib/ocf/resource.d/heartbeat/IPaddr2";
    expect(existsSync(agent)).toBe(true);
    const xml = execFileSync(agent, ["meta-data"], { encoding: "utf8", env: { ...process.env, OCF_ROOT: "/usr/lib/ocf" } });
    const md = parseAgentMetadata(xml, "ocf:heartbeat:IPaddr2");
    const ip = md.parameters.find((p) => p.name === "ip");
    expect(ip).toMatchObject({ required: true, unique: true, type: "string" });
    expect(md.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(["nic", "cidr_netmask"]));
  });

  it("rejects garbage with an error that names the agent and the problem", () => {
    const cases: [string, RegExp][] = [
      ["", /ocf:x:Bad: the agent printed nothing/],
      ["usage: Bad {start|stop}", /ocf:x:Bad: not XML/],
      ["<resource-agent name='a'><shortdesc>x</resource-agent>", /ocf:x:Bad: malformed XML at line 1/],
      ["<something/>", /no <resource-agent> element/],
      ["<resource-agent><version>1</version></resource-agent>", /has no name attribute/],
      ["<resource-agent name='a'><parameters><parameter><content/></parameter></parameters></resource-agent>", /parameter #1 has no name/],
    ];
    for (const [xml, re] of cases) {
      let err: unknown;
      try {
        parseAgentMetadata(xml, "ocf:x:Bad");
      } catch (e) {
        err = e;
      }
      expect(err, xml).toBeInstanceOf(MetadataError);
      expect((err as Error).message, xml).toMatch(re);
      expect((err as MetadataError).agent).toBe("ocf:x:Bad");
    }
  });
});

describe("LSB header and synthetic meta-data", () => {
  it("reads INIT INFO with continuation lines and round-trips through the parser", () => {
    const h = parseLsbHeader(`#!/bin/sh
### BEGIN INIT INFO
# Provides:          haproxy
# Short-Description: fast and reliable load balancing reverse proxy
# Description:       This file should be used to start and stop
#                    haproxy.
### END INIT INFO
`);
    expect(h).toEqual({
      Provides: "haproxy",
      "Short-Description": "fast and reliable load balancing reverse proxy",
      Description: "This file should be used to start and stop haproxy.",
    });
    const xml = syntheticMetadataXml({ name: "haproxy", shortdesc: h["Short-Description"], longdesc: "<&>", actions: [{ name: "start", timeout: "15s" }] });
    const md = parseAgentMetadata(xml, "lsb:haproxy");
    expect(md).toMatchObject({ name: "haproxy", longdesc: "<&>", parameters: [], actions: [{ name: "start", timeout: "15s" }] });
    expect(parseLsbHeader("#!/bin/sh\necho hi\n")).toEqual({});
  });
});
