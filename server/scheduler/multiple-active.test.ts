import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml } from "../cib/xml";
import { cibXml, dummy, meta } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const started: [string, number, number, number][] = [["start", 0, 0, 5]];
const stopOnly = meta("A", { "multiple-active": "stop_only" });
const summary = (xml: string) => schedule(parseCibXml(xml), { now: 1_700_000_000 }).summary.map((l) => l.replace(/\s+/g, " ").trim());

describe("multiple-active=stop_only", () => {
  it("stops a resource active on two nodes everywhere, even where a location wants it", () => {
    const xml = cibXml({
      nodes: [{ name: "node1", history: { A: started } }, { name: "node2", history: { A: started } }, { name: "node3" }],
      resources: dummy("A", stopOnly, false),
      constraints: `<rsc_location id="l" rsc="A" node="node3" score="INFINITY"/>`,
    });
    expect(summary(xml)).toEqual(["* Stop A ( node1 ) due to node availability", "* Stop A ( node2 ) due to node availability"]);
  });

  it("takes the rest of its group down with it", () => {
    const xml = cibXml({
      nodes: [{ name: "node1", history: { A: started, B: started } }, { name: "node2", history: { A: started } }],
      resources: `<group id="G">${dummy("A", stopOnly, false)}${dummy("B", "", false)}</group>`,
    });
    expect(summary(xml)).toEqual(["* Stop A ( node1 ) due to node availability", "* Stop A ( node2 ) due to node availability", "* Stop B ( node1 ) due to node availability"]);
  });

  it("keeps a resource active on one node where it is", () => {
    // (restarted in place: this history records no parameter digests)
    expect(summary(cibXml({ nodes: [{ name: "node1", history: { A: started } }, { name: "node2" }], resources: dummy("A", stopOnly, false) }))).toEqual(["* Restart A ( node1 )"]);
  });
});
