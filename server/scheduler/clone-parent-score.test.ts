import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { cib, dummy, meta, running } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const clone = `<clone id="C">${meta("C", { "resource-stickiness": "INFINITY", "clone-max": "1" })}${dummy("A")}</clone>`;
const summary = (props: Record<string, string> = {}) =>
  schedule(cib({ props, nodes: [{ name: "node1" }, { name: "node2", history: { A: running() } }], resources: clone, constraints: `<rsc_location id="l" rsc="C" node="node2" score="-100"/>` }), { now: 1_700_000_000 }).summary;

describe("a node the clone scores below zero", () => {
  it("takes no instance, however sticky the instance running there", () => {
    expect(summary()).toEqual(["  * Move       A:0     ( node2 -> node1 )"]);
  });

  it("in an opt-in cluster where it is the only node, the instance stops", () => {
    expect(summary({ "symmetric-cluster": "false" })).toEqual(["  * Stop       A:0     ( node2 )  due to node availability"]);
  });
});
