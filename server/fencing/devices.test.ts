import { describe, expect, it } from "vitest";
import { parseCibXml } from "../cib/xml";
import {
  actionRetries,
  actionTimeoutMs,
  agentInput,
  canFenceStatic,
  devicesFromCib,
  fenceDelayMs,
  hostCheck,
  levelsFor,
  parseAgentMeta,
  parseHostMap,
  parseListOutput,
  portFor,
  stdinFor,
  topologyFromCib,
  type FenceDevice,
} from "./devices";

const CIB = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config/>
    <nodes/>
    <resources>
      <primitive id="ipmi-n1" class="stonith" type="fence_ipmilan">
        <instance_attributes id="ipmi-n1-instance_attributes">
          <nvpair id="ipmi-n1-ip" name="ip" value="10.0.0.201"/>
          <nvpair id="ipmi-n1-username" name="username" value="admin"/>
          <nvpair id="ipmi-n1-pcmk_host_list" name="pcmk_host_list" value="node1"/>
          <nvpair id="ipmi-n1-pcmk_reboot_timeout" name="pcmk_reboot_timeout" value="90s"/>
        </instance_attributes>
        <meta_attributes id="ipmi-n1-meta_attributes">
          <nvpair id="ipmi-n1-priority" name="priority" value="10"/>
        </meta_attributes>
      </primitive>
      <primitive id="pdu" class="stonith" type="fence_apc">
        <instance_attributes id="pdu-instance_attributes">
          <nvpair id="pdu-pcmk_host_map" name="pcmk_host_map" value="node1:1;node2:2,3 node3:port\\ 4"/>
        </instance_attributes>
        <meta_attributes id="pdu-meta_attributes">
          <nvpair id="pdu-target-role" name="target-role" value="Stopped"/>
        </meta_attributes>
      </primitive>
      <primitive id="VIP" class="ocf" provider="heartbeat" type="IPaddr2"/>
    </resources>
    <constraints/>
    <fencing-topology>
      <fencing-level id="fl-node1-1" target="node1" index="1" devices="ipmi-n1"/>
      <fencing-level id="fl-node1-2" target="node1" index="2" devices="pdu,ipmi-n1"/>
      <fencing-level id="fl-rack" target-pattern="^node[23]$" index="1" devices="pdu"/>
    </fencing-topology>
  </configuration>
  <status/>
</cib>`;

const dev = (params: Record<string, string>, agent = "fence_x"): FenceDevice => ({ id: "d", agent, params, priority: 0, enabled: true });

describe("fence devices from the CIB", () => {
  it("reads stonith primitives with their parameters, priority and target-role", () => {
    const devs = devicesFromCib(parseCibXml(CIB));
    expect(devs.map((d) => [d.id, d.agent, d.priority, d.enabled])).toEqual([
      ["ipmi-n1", "fence_ipmilan", 10, true],
      ["pdu", "fence_apc", 0, false],
    ]);
    expect(devs[0].params).toMatchObject({ ip: "10.0.0.201", pcmk_host_list: "node1" });
  });

  it("reads fencing-topology levels and matches targets by name and pattern", () => {
    const levels = topologyFromCib(parseCibXml(CIB));
    expect(levelsFor(levels, "node1").map((l) => [l.index, l.devices])).toEqual([
      [1, ["ipmi-n1"]],
      [2, ["pdu", "ipmi-n1"]],
    ]);
    expect(levelsFor(levels, "node3").map((l) => l.id)).toEqual(["fl-rack"]);
    expect(levelsFor(levels, "node4")).toEqual([]);
  });
});

describe("which device fences which node", () => {
  it("parses pcmk_host_map with ; , and space separators and backslash escapes", () => {
    expect([...parseHostMap("node1:1;node2:2,3 node3:port\\ 4")]).toEqual([
      ["node1", "1"],
      ["node2", "2,3"],
      ["node3", "port 4"],
    ]);
    expect(() => parseHostMap("node1")).toThrow(/"node1" is not node:port/);
  });

  it("pcmk_host_check defaults: static-list with a list or map, else dynamic-list, status, none", () => {
    expect(hostCheck(dev({ pcmk_host_list: "node1" }))).toBe("static-list");
    expect(hostCheck(dev({ pcmk_host_map: "node1:1" }))).toBe("static-list");
    expect(hostCheck(dev({}), { actions: ["off", "list", "status"] })).toBe("dynamic-list");
    expect(hostCheck(dev({}), { actions: ["off", "status"] })).toBe("status");
    expect(hostCheck(dev({}), { actions: ["off"] })).toBe("none");
    expect(hostCheck(dev({ pcmk_host_check: "none", pcmk_host_list: "node1" }))).toBe("none");
    expect(() => hostCheck(dev({ pcmk_host_check: "sometimes" }))).toThrow(/pcmk_host_check "sometimes" must be/);
  });

  it("static lists decide at once; others must ask the agent", () => {
    expect(canFenceStatic(dev({ pcmk_host_list: "node1,node2" }), "node2")).toBe(true);
    expect(canFenceStatic(dev({ pcmk_host_list: "node1 node2" }), "node3")).toBe(false);
    expect(canFenceStatic(dev({ pcmk_host_map: "node3:7" }), "node3")).toBe(true);
    expect(canFenceStatic(dev({ pcmk_host_check: "none" }), "anything")).toBe(true);
    expect(canFenceStatic(dev({}), "node1", { actions: ["list"] })).toBe("ask");
    expect(canFenceStatic({ ...dev({ pcmk_host_list: "node1" }), enabled: false }, "node1")).toBe(false);
  });

  it("builds the agent's input: no pcmk_* keys, the port from the map, plug when the agent has it", () => {
    const d = dev({ ip: "10.0.0.9", pcmk_host_map: "node2:7", pcmk_reboot_action: "off" });
    expect(agentInput(d, "reboot", "node2", { parameters: ["ip", "plug", "port"] })).toEqual({ ip: "10.0.0.9", action: "off", nodename: "node2", plug: "7" });
    expect(agentInput(dev({}), "off", "node1", { parameters: ["port"] })).toEqual({ action: "off", nodename: "node1", port: "node1" });
    expect(agentInput(dev({}), "off", "node1", { parameters: ["status_file"] })).toEqual({ action: "off", nodename: "node1" });
    expect(agentInput(dev({ pcmk_host_argument: "uuid" }), "off", "node1")).toMatchObject({ uuid: "node1" });
    expect(agentInput(dev({ pcmk_host_argument: "none" }), "off", "node1")).toEqual({ action: "off", nodename: "node1" });
    expect(portFor(dev({ pcmk_host_map: "node2:7" }), "node1")).toBe("node1");
    expect(stdinFor({ action: "off", port: "node1" })).toBe("action=off\nport=node1\n");
    expect(() => stdinFor({ ip: "a\nb" })).toThrow(/ip contains a line break/);
  });

  it("timeouts, retries and delays per action", () => {
    const d = dev({ pcmk_reboot_timeout: "90s", pcmk_off_retries: "0", pcmk_delay_base: "node1:2s;node2:0s", pcmk_delay_max: "5s" });
    expect(actionTimeoutMs(d, "reboot", 60000)).toBe(90000);
    expect(actionTimeoutMs(d, "off", 60000)).toBe(60000);
    expect(actionRetries(d, "reboot")).toBe(2);
    expect(actionRetries(d, "off")).toBe(0);
    expect(fenceDelayMs(d, "node1", () => 0)).toBe(2000);
    expect(fenceDelayMs(d, "node1", () => 0.5)).toBe(3500);
    expect(fenceDelayMs(dev({ pcmk_delay_base: "1s" }), "node9")).toBe(1000);
    expect(() => actionTimeoutMs(dev({ pcmk_reboot_timeout: "soon" }), "reboot")).toThrow(/pcmk_reboot_timeout "soon" is not a duration/);
  });

  it("reads list answers and meta-data", () => {
    expect(parseListOutput("node1,node1\nnode2,alias2\n\nnode3\n")).toEqual(["node1", "node2", "alias2", "node3"]);
    expect(parseAgentMeta('<resource-agent><parameters><parameter name="plug"/></parameters><actions><action name="list"/></actions></resource-agent>')).toEqual({ parameters: ["plug"], actions: ["list"] });
    expect(() => parseAgentMeta("garbage")).toThrow(/no <parameter> or <action>/);
  });
});
