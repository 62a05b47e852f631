import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { parseCibXml, exportCibXml } from "../cib/xml";
import { formatActionLine } from "./format";
import { cib, dummy, probedStopped, running, type NodeSpec } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const fs = 'crm_feature_set="3.16.1"';
const nodes = (transient: Record<string, string>): NodeSpec[] => [{ name: "node1", history: { A: running() }, transient }, { name: "node2", history: { A: probedStopped() } }];
const failed = { "fail-count-A#monitor_10000": "1", "last-failure-A#monitor_10000": "1600000000" };
// the history records the digests of A without parameters; the configuration then gains one
const changed = (transient: Record<string, string>) =>
  exportCibXml(cib({ nodes: nodes(transient), extraAttrs: fs, resources: dummy("A") })).replace(
    '<primitive id="A" class="ocf" provider="heartbeat" type="Dummy">',
    '<primitive id="A" class="ocf" provider="heartbeat" type="Dummy"><instance_attributes id="A-ia"><nvpair id="A-ia-x" name="x" value="1"/></instance_attributes>',
  );
const run = (xml: string) => {
  const r = schedule(parseCibXml(xml), { now: 1_700_000_000 });
  return { summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()), actions: r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim()) };
};

describe("a changed resource definition", () => {
  it("clears the resource's fail-count on the node where it restarts", () => {
    const r = run(changed(failed));
    expect(r.summary).toEqual(["* Restart A ( node1 )"]);
    expect(r.actions).toContain("* Cluster action: clear_failcount for A on node1");
  });

  it("schedules no clear when there is no fail-count", () => {
    expect(run(changed({})).actions.some((l) => l.includes("clear_failcount"))).toBe(false);
  });
});
