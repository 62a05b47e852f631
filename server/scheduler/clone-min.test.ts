import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml } from "../cib/xml";
import { formatActionLine } from "./format";
import { cibXml, dummy, meta, type NodeSpec } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const NOW = { now: 1_700_000_000 };
const three: NodeSpec[] = [{ name: "node1" }, { name: "node2" }, { name: "node3" }];
const cloneOf = (id: string, rsc: string, m: Record<string, string>) => `<clone id="${id}">${meta(id, m)}${dummy(rsc)}</clone>`;
const ban = (rsc: string, node: string) => `<rsc_location id="ban-${rsc}-${node}" rsc="${rsc}" node="${node}" score="-INFINITY"/>`;

function run(nodes: NodeSpec[], resources: string, constraints: string) {
  const r = schedule(parseCibXml(cibXml({ nodes, resources, constraints })), NOW);
  return {
    summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()),
    lines: r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim()),
  };
}

describe("orderings after a clone with clone-min or require-all=false", () => {
  it("start the dependent once clone-min instances can start, shown by a clone-one-or-more pseudo action", () => {
    const { summary, lines } = run(three, cloneOf("A-clone", "A", { "clone-min": "2" }) + dummy("B"), `<rsc_order id="o1" first="A-clone" then="B"/>`);
    expect(summary).toContain("* Start B ( node1 )");
    expect(lines).toContain("* Pseudo action: clone-one-or-more:o1");
  });

  it("block the dependent when fewer instances can run than clone-min, naming the pseudo action", () => {
    const { summary, lines } = run(three, cloneOf("A-clone", "A", { "clone-min": "3" }) + dummy("B"), `<rsc_order id="o1" first="A-clone" then="B"/>` + ban("A-clone", "node3"));
    expect(summary).toContain("* Start B ( node3 ) due to unrunnable clone-one-or-more:o1 (blocked)");
    expect(lines.some((l) => l.includes("B start"))).toBe(false);
    expect(lines).not.toContain("* Pseudo action: clone-one-or-more:o1");
  });

  it("clone-min decides over require-all on the ordering", () => {
    const { summary } = run(three, cloneOf("A-clone", "A", { "clone-min": "2" }) + dummy("B"), `<rsc_order id="o1" first="A-clone" then="B" require-all="true"/>` + ban("A-clone", "node2") + ban("A-clone", "node3"));
    expect(summary).toContain("* Start B ( node2 ) due to unrunnable clone-one-or-more:o1 (blocked)");
  });

  it("require-all=false lets interleaved clone instances start where the first clone cannot run", () => {
    const { summary } = run(
      three,
      cloneOf("A-clone", "A", { interleave: "true" }) + cloneOf("B-clone", "B", { interleave: "true" }),
      `<rsc_order id="o1" first="A-clone" then="B-clone" require-all="false"/>` + ban("A-clone", "node3") + ban("B-clone", "node1"),
    );
    // with require-all (the default) B:0 could not start on node3, where no A instance runs
    expect(summary).toEqual(["* Start A:0 ( node1 )", "* Start A:1 ( node2 )", "* Start B:0 ( node3 )", "* Start B:1 ( node2 )"]);
  });
});
