import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml } from "../cib/xml";
import { cibXml, dummy, meta } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const two = [{ name: "node1" }, { name: "node2" }];
const abcd = dummy("A") + dummy("B", meta("B", { "target-role": "Stopped" })) + dummy("C") + dummy("D");
const set = (ordering: string) =>
  `<rsc_colocation id="cs" score="INFINITY"><resource_set id="cs1" ordering="${ordering}"><resource_ref id="A"/><resource_ref id="B"/><resource_ref id="C"/><resource_ref id="D"/></resource_set></rsc_colocation>`;
const summary = (ordering: string) =>
  schedule(parseCibXml(cibXml({ nodes: two, resources: abcd, constraints: set(ordering) })), { now: 1_700_000_000 }).summary.map((l) => l.replace(/\s+/g, " ").trim());

describe("a colocation set's ordering attribute", () => {
  it("group (the default): each member is placed with the previous one, so members after a stopped one stay stopped", () => {
    expect(summary("group")).toEqual(["* Start A ( node1 )"]);
  });

  it("listed: each member is placed with the next one, so members before a stopped one stay stopped", () => {
    expect(summary("listed")).toEqual(["* Start C ( node1 )", "* Start D ( node1 )"]);
  });
});
