import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml } from "../cib/xml";
import { formatClusterStatus } from "./format";
import { cibXml, dummy, meta } from "./test-helpers";

// Expected text checked with crm_simulate 2.1.5 on these same CIBs (our own).
const started: [string, number, number, number][] = [["start", 0, 0, 5]];
const status = (m: Record<string, string>) => {
  const c = parseCibXml(cibXml({ nodes: [{ name: "node1", history: { A: started } }, { name: "node2", history: { A: started } }], resources: dummy("A", meta("A", m), false) }));
  return formatClusterStatus(schedule(c, { now: 1_700_000_000 }).before, { mode: "simulate" });
};

describe("a primitive active on several nodes", () => {
  it("lists the nodes after its flags", () => {
    expect(status({ "is-managed": "false" })).toContain("* A\t(ocf:heartbeat:Dummy):\t Started (unmanaged) [ node1 node2 ]");
    expect(status({ "target-role": "Stopped" })).toContain("* A\t(ocf:heartbeat:Dummy):\t Started (disabled) [ node1 node2 ]");
  });
});
