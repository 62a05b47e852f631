// A node_state without an id: crm_simulate 2.1.5 reads the CIB but ignores that node_state,
// so its node counts as offline and its history as unknown (our own CIB; the expected
// summary is crm_simulate's on the same CIB).
import { describe, expect, it } from "vitest";
import { exportCibXml, parseCibXml } from "../cib/xml";
import { CibError } from "../cib/errors";
import { lastOp, memberState, pcmkCib, summaryLines } from "./test-helpers";

const CIB = pcmkCib({
  nodes: ["alpha", "beta"],
  resources: `<primitive id="web" class="ocf" provider="pacemaker" type="Dummy"/>`,
  constraints: '<rsc_location id="web-prefers-alpha" rsc="web" node="alpha" score="50"/>',
  status: `
    ${memberState(1, "alpha")}
    <node_state uname="beta" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm><lrm_resources>
        <lrm_resource id="web" class="ocf" provider="pacemaker" type="Dummy">${lastOp("web", "beta", { task: "start", call: 5 })}</lrm_resource>
      </lrm_resources></lrm>
    </node_state>`,
});

describe("node_state without an id", () => {
  it("is read and ignored: beta counts as offline, web (active there per that history) starts on alpha", () => {
    expect(summaryLines(CIB)).toEqual(["* Start web ( alpha )"]);
  });

  it("is written back without an id", () => {
    const out = exportCibXml(parseCibXml(CIB));
    expect(out).toMatch(/<node_state uname="beta" in_ccm="true"/);
    expect(out).not.toMatch(/id=""/);
  });

  it("is refused when it has no uname either", () => {
    const bad = CIB.replace('<node_state uname="beta"', "<node_state");
    expect(() => parseCibXml(bad)).toThrow(CibError);
    expect(() => parseCibXml(bad)).toThrow(/node_state.*missing required attribute "id"|missing required attribute "id".*node_state/);
  });
});

// The history inside an <lrm> that carries more than its id (some CIBs add a uname there):
// Pacemaker reads it, so web is known to run on alpha and stays.
const LRM_WITH_UNAME = pcmkCib({
  nodes: ["alpha", "beta"],
  resources: `<primitive id="web" class="ocf" provider="pacemaker" type="Dummy"/>`,
  constraints: "",
  status: `
    <node_state id="1" uname="alpha" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1" uname="alpha"><lrm_resources>
        <lrm_resource id="web" class="ocf" provider="pacemaker" type="Dummy">${lastOp("web", "alpha", { task: "start", call: 5 })}</lrm_resource>
      </lrm_resources></lrm>
    </node_state>
    ${memberState(2, "beta")}`,
});

describe("lrm element with attributes besides its id", () => {
  it("its history counts: web stays on alpha (crm_simulate: nothing started or moved, a probe on beta)", () => {
    expect(summaryLines(LRM_WITH_UNAME)).toEqual([]);
  });

  it("keeps the extra attribute when written back", () => {
    expect(exportCibXml(parseCibXml(LRM_WITH_UNAME))).toMatch(/<lrm id="1" uname="alpha">/);
  });
});
