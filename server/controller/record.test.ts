import { describe, expect, it } from "vitest";
import { emptyCib } from "../cib/empty";
import type { Cib } from "../cib/types";
import { OpStatus } from "../executor/types";
import { demoCib } from "../demo/cib";
import {
  cleanupResource,
  failCountChange,
  getTransientAttr,
  opDigest,
  recordFailCount,
  recordOp,
  setNodeMembership,
  targetRcFor,
  type OpRecord,
} from "./record";

const UUID = "0b9d6a57-7d4e-4d8e-9a55-3c1d2a2d0f00";

function rec(over: Partial<OpRecord>): OpRecord {
  return {
    nodeId: "1",
    uname: "node1",
    rsc: "dummy1",
    standard: "ocf",
    provider: "vigil",
    agentType: "Dummy",
    task: "start",
    intervalMs: 0,
    params: {},
    timeoutMs: 20000,
    targetRc: 0,
    actionId: 4,
    transitionId: 2,
    dcUuid: UUID,
    callId: 7,
    rc: 0,
    opStatus: OpStatus.DONE,
    at: 1_700_000_000_000,
    execMs: 12,
    queueMs: 1,
    ...over,
  };
}

function ops(cib: Cib, node = "1", rsc = "dummy1") {
  return cib.status.find((n) => n.id === node)!.lrmResources.find((r) => r.id === rsc)!.ops;
}

describe("op-digest", () => {
  // digests taken from lrm_rsc_op entries Pacemaker 2.1.5 wrote (shared scheduler cases)
  it("matches Pacemaker's for an agent without parameters", () => {
    expect(opDigest({}, 0, 20000)).toBe("f2317cad3d54cec5d7d7aa7d0bf35cf8");
  });
  it("includes the timeout for recurring operations", () => {
    expect(opDigest({}, 10000, 20000)).toBe("4811cef7f7f94e3a35a70be7916cb2fd");
  });
  it("sorts parameters by name", () => {
    const p = { pcmk_host_list: "node1 node2", multicast_address: "239.255.100.100", key_file: "/etc/pacemaker/fence_xvm.key" };
    expect(opDigest(p, 0, 20000)).toBe("d0ecced094a226a0aa38fbde1316160f");
    expect(opDigest(p, 120000, 120000)).toBe("d0a362070301042f83d1a341e91b21d7");
  });
});

describe("recordOp", () => {
  const base = setNodeMembership(demoCib(), "1", "node1", "online", "test");

  it("writes a successful start as RSC_last_0 in Pacemaker's form", () => {
    const cib = recordOp(base, rec({}));
    const [op] = ops(cib);
    expect(op).toMatchObject({
      id: "dummy1_last_0",
      operationKey: "dummy1_start_0",
      operation: "start",
      crmFeatureSet: "3.16.1",
      transitionKey: `4:2:0:${UUID}`,
      transitionMagic: `0:0;4:2:0:${UUID}`,
      callId: "7",
      rcCode: "0",
      opStatus: "0",
      interval: "0",
      lastRcChange: "1700000000",
      execTime: "12",
      queueTime: "1",
      onNode: "node1",
      opDigest: "f2317cad3d54cec5d7d7aa7d0bf35cf8",
    });
    const res = cib.status[0].lrmResources[0];
    expect(res).toMatchObject({ id: "dummy1", class: "ocf", provider: "vigil", type: "Dummy" });
    expect(base.status[0].lrmResources).toHaveLength(0); // input untouched
  });

  it("writes a successful recurring monitor under its own key", () => {
    const cib = recordOp(recordOp(base, rec({})), rec({ task: "monitor", intervalMs: 10000, callId: 8, actionId: 5 }));
    expect(ops(cib).map((o) => o.id)).toEqual(["dummy1_last_0", "dummy1_monitor_10000"]);
  });

  it("a failed recurring monitor goes to RSC_last_failure_0 and leaves last_0 alone", () => {
    let cib = recordOp(base, rec({}));
    cib = recordOp(cib, rec({ task: "monitor", intervalMs: 10000, callId: 8 }));
    cib = recordOp(cib, rec({ task: "monitor", intervalMs: 10000, callId: 9, rc: 7, exitReason: "gone" }));
    const byId = Object.fromEntries(ops(cib).map((o) => [o.id, o]));
    expect(byId["dummy1_last_0"].operation).toBe("start");
    expect(byId["dummy1_monitor_10000"].rcCode).toBe("0");
    expect(byId["dummy1_last_failure_0"]).toMatchObject({
      operationKey: "dummy1_monitor_10000",
      rcCode: "7",
      interval: "10000",
      exitReason: "gone",
      callId: "9",
    });
  });

  it("a failed start is written to both last_failure_0 and last_0", () => {
    const cib = recordOp(base, rec({ rc: 1 }));
    expect(ops(cib).map((o) => [o.id, o.rcCode])).toEqual([
      ["dummy1_last_failure_0", "1"],
      ["dummy1_last_0", "1"],
    ]);
  });

  it("a probe that finds the resource stopped is its last_0 (target rc 7)", () => {
    const cib = recordOp(base, rec({ task: "monitor", rc: 7, targetRc: targetRcFor("monitor", 0) }));
    expect(ops(cib)).toHaveLength(1);
    expect(ops(cib)[0]).toMatchObject({ id: "dummy1_last_0", transitionKey: `4:2:7:${UUID}`, rcCode: "7" });
  });

  it("a successful stop drops the recurring monitor entries", () => {
    let cib = recordOp(base, rec({}));
    cib = recordOp(cib, rec({ task: "monitor", intervalMs: 10000 }));
    cib = recordOp(cib, rec({ task: "stop", callId: 10 }));
    expect(ops(cib).map((o) => o.id)).toEqual(["dummy1_last_0"]);
    expect(ops(cib)[0].operation).toBe("stop");
  });
});

describe("fail-counts", () => {
  it("use Pacemaker 2.1's per-operation attribute names and add up", () => {
    let cib = setNodeMembership(emptyCib(), "2", "node2", "online", "t");
    cib = recordFailCount(cib, "2", "node2", "web", "monitor", 10000, "increment", 1666730942);
    cib = recordFailCount(cib, "2", "node2", "web", "monitor", 10000, "increment", 1666730950);
    expect(getTransientAttr(cib, "2", "fail-count-web#monitor_10000")).toBe("2");
    expect(getTransientAttr(cib, "2", "last-failure-web#monitor_10000")).toBe("1666730950");
    const pairs = cib.status[0].transientAttributes[0];
    expect(pairs.id).toBe("status-2");
    expect(pairs.nvpairs.map((p) => p.id)).toEqual(["status-2-fail-count-web.monitor_10000", "status-2-last-failure-web.monitor_10000"]);
  });

  it("a failed start is INFINITY when start-failure-is-fatal, a failed probe does not count", () => {
    expect(failCountChange("start", 0, true)).toBe("infinity");
    expect(failCountChange("start", 0, false)).toBe("increment");
    expect(failCountChange("stop", 0, false)).toBe("infinity");
    expect(failCountChange("monitor", 5000, true)).toBe("increment");
    expect(failCountChange("monitor", 0, true)).toBeNull();
    let cib = recordFailCount(emptyCib(), "1", "node1", "r", "start", 0, "infinity", 1);
    cib = recordFailCount(cib, "1", "node1", "r", "start", 0, "increment", 2);
    expect(getTransientAttr(cib, "1", "fail-count-r#start_0")).toBe("INFINITY");
  });
});

describe("cleanupResource", () => {
  function failed(): Cib {
    let cib = demoCib();
    for (const [id, uname] of [
      ["1", "node1"],
      ["2", "node2"],
    ]) {
      cib = setNodeMembership(cib, id, uname, "online", "t");
      cib = recordOp(cib, rec({ nodeId: id, uname, rsc: "web-server", agentType: "WebServer" }));
      cib = recordOp(cib, rec({ nodeId: id, uname, rsc: "dummy1" }));
    }
    cib = recordOp(cib, rec({ rsc: "web-server", agentType: "WebServer", task: "monitor", intervalMs: 5000, rc: 7 }));
    cib = recordFailCount(cib, "1", "node1", "web-server", "monitor", 5000, "increment", 100);
    return cib;
  }
  const lrmIds = (cib: Cib, node: string) => cib.status.find((n) => n.id === node)!.lrmResources.map((r) => r.id);

  it("without a resource cleans only what failed", () => {
    const cib = cleanupResource(failed());
    expect(lrmIds(cib, "1")).toEqual(["dummy1"]);
    expect(lrmIds(cib, "2")).toEqual(["web-server", "dummy1"]);
    expect(getTransientAttr(cib, "1", "fail-count-web-server#monitor_5000")).toBeUndefined();
    expect(getTransientAttr(cib, "1", "last-failure-web-server#monitor_5000")).toBeUndefined();
  });

  it("a group stands for its members; node= limits it to one node", () => {
    const cib = cleanupResource(failed(), "web", "node2");
    expect(lrmIds(cib, "2")).toEqual(["dummy1"]);
    expect(lrmIds(cib, "1")).toEqual(["web-server", "dummy1"]);
    expect(getTransientAttr(cib, "1", "fail-count-web-server#monitor_5000")).toBe("1");
  });

  it("changes only status", () => {
    const before = failed();
    const after = cleanupResource(before, "dummy1");
    expect(after.configuration).toEqual(before.configuration);
    expect(lrmIds(after, "1")).toEqual(["web-server"]);
    expect(lrmIds(before, "1")).toEqual(["web-server", "dummy1"]);
  });
});
