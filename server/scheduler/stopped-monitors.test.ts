import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml } from "../cib/xml";
import { formatActionLine, formatClusterStatus } from "./format";
import { cibXml, meta, type NodeSpec } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const NOW = { now: 1_700_000_000 };
const ops = `<operations><op id="A-mon-10" name="monitor" interval="10s"/><op id="A-mon-20" name="monitor" interval="20s" role="Stopped"/></operations>`;
const A = (extra = "") => `<primitive id="A" class="ocf" provider="heartbeat" type="Dummy">${extra}${ops}</primitive>`;
const running: [string, number, number, number][] = [["start", 0, 0, 5], ["monitor", 10000, 0, 6]];
const probed: [string, number, number, number][] = [["monitor", 0, 7, 1]];

function run(nodes: NodeSpec[], resources: string, constraints = "", edit = (x: string) => x) {
  const r = schedule(parseCibXml(edit(cibXml({ nodes, resources, constraints }))), NOW);
  const lines = r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim());
  const id = (line: string) => r.transition.actions[lines.indexOf(line)]?.id;
  const before = (a: string, b: string) => r.transition.edges.some((e) => e.first === id(a) && e.then === id(b));
  return { r, lines, before, summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()) };
}

describe("recurring monitors for the Stopped role", () => {
  it("run on the nodes the resource is not on, after the probe there", () => {
    const { lines, before } = run([{ name: "node1", history: { A: running } }, { name: "node2", history: { A: probed } }, { name: "node3" }], A());
    expect(lines).toContain("* Resource action: A monitor=20000 on node2");
    expect(lines).toContain("* Resource action: A monitor=20000 on node3");
    expect(lines).not.toContain("* Resource action: A monitor=20000 on node1");
    expect(before("* Resource action: A monitor on node3", "* Resource action: A monitor=20000 on node3")).toBe(true);
  });

  it("run on the node a resource leaves once it has stopped there, and expect 'not running'", () => {
    const { r, lines, before, summary } = run([{ name: "node1", history: { A: running } }, { name: "node2", history: { A: probed } }], A(), `<rsc_location id="l" rsc="A" node="node2" score="INFINITY"/>`);
    expect(summary).toEqual(["* Move A ( node1 -> node2 )"]);
    expect(lines).toContain("* Resource action: A monitor=20000 on node1");
    expect(lines).not.toContain("* Resource action: A monitor=20000 on node2");
    expect(before("* Resource action: A stop on node1", "* Resource action: A monitor=20000 on node1")).toBe(true);
    expect(r.transition.actions.find((a) => a.key === "A_monitor_20000")?.meta["op_target_rc"]).toBe("7");
  });

  it("run everywhere once a resource is disabled", () => {
    const { lines } = run([{ name: "node1", history: { A: running } }, { name: "node2", history: { A: probed } }], A(meta("A", { "target-role": "Stopped" })));
    expect(lines.filter((l) => l.includes("monitor=20000")).sort()).toEqual(["* Resource action: A monitor=20000 on node1", "* Resource action: A monitor=20000 on node2"]);
  });

  it("are not run on an offline node", () => {
    const { lines } = run([{ name: "node1", history: { A: running } }, { name: "node2", online: false }], A(meta("A", { "is-managed": "false" })));
    expect(lines).toEqual(["* Resource action: A monitor=10000 on node1"]);
  });

  it("run per instance of a unique clone, but not for an anonymous clone", () => {
    const two = [{ name: "node1" }, { name: "node2" }];
    const unique = run(two, `<clone id="C">${meta("C", { "globally-unique": "true", "clone-max": "2" })}${A()}</clone>`).lines;
    expect(unique).toContain("* Resource action: A:0 monitor=20000 on node2");
    expect(unique).toContain("* Resource action: A:1 monitor=20000 on node1");
    const anonymous = run(two, `<clone id="C">${A()}</clone>`).lines;
    expect(anonymous.some((l) => l.includes("monitor=20000"))).toBe(false);
  });

  it("are cancelled before the resource starts where one runs", () => {
    // history: the Stopped-role monitor ran with expected result 7 on both nodes
    const expect7 = (x: string) => x.replace(/(operation="monitor" crm-debug-origin="test" crm_feature_set="3.16.1" transition-key="1:1:)0(:[^"]*" transition-magic="0:7;1:1:)0/g, "$17$27");
    const hist: [string, number, number, number][] = [["monitor", 0, 7, 1], ["monitor", 20000, 7, 2]];
    const { lines, before } = run([{ name: "node1", history: { A: hist } }, { name: "node2", history: { A: hist } }], A(), `<rsc_location id="l" rsc="A" node="node1" score="10"/>`, expect7);
    expect([...lines].sort()).toEqual(["* Resource action: A cancel=20000 on node1", "* Resource action: A monitor=10000 on node1", "* Resource action: A start on node1"]);
    expect(before("* Resource action: A cancel=20000 on node1", "* Resource action: A start on node1")).toBe(true);
  });

  it("that find the resource running count as a failure (expected 'not running', got 'running')", () => {
    // node2's Stopped-role monitor (expected rc 7) returned 0: the resource is active there, and failed
    const toExpect7 = (x: string) => x.replace(/(transition-key="1:1:)0(:[^"]*" transition-magic="0:0;1:1:0:[^"]*" call-id="2")/, "$17$2");
    const { r } = run(
      [{ name: "node1", history: { A: running } }, { name: "node2", history: { A: [["monitor", 0, 7, 1], ["monitor", 20000, 0, 2]] } }],
      A(meta("A", { "is-managed": "false" })),
      "",
      toExpect7,
    );
    expect(formatClusterStatus(r.before, { mode: "simulate" })).toContain("* A\t(ocf:heartbeat:Dummy):\t FAILED (unmanaged) [ node1 node2 ]");
  });
});
