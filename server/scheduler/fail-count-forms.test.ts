import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { cib, dummy, meta, probedStopped, running } from "./test-helpers";

// Expected results checked with crm_simulate 2.1.5 on these same CIBs (our own).
const NOW = { now: 1_700_000_000 };
function summary(attr: string, featureSet?: string) {
  const nodes = [{ name: "node1", history: { A: running() }, transient: { [attr]: "3" } }, { name: "node2", history: { A: probedStopped() } }];
  const extraAttrs = featureSet ? `crm_feature_set="${featureSet}"` : "";
  return schedule(cib({ nodes, extraAttrs, resources: dummy("A", meta("A", { "migration-threshold": "3" })) }), NOW).summary;
}
const move = ["  * Move       A       ( node1 -> node2 )"];

describe("which fail-count attributes count", () => {
  it("a CIB of crm_feature_set 3.0.13 or later counts the per-operation ones only", () => {
    expect(summary("fail-count-A#monitor_10000", "3.16.1")).toEqual(move);
    expect(summary("fail-count-A", "3.16.1")).toEqual([]);
  });

  it("an older CIB, or one without crm_feature_set, counts the per-resource ones only", () => {
    expect(summary("fail-count-A")).toEqual(move);
    expect(summary("fail-count-A#monitor_10000")).toEqual([]);
    expect(summary("fail-count-A#monitor_10000", "3.0.12")).toEqual([]);
  });
});
