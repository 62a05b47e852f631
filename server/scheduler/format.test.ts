import { describe, expect, it } from "vitest";
import type { Action, ClusterState, NodeView, ResourceView } from "./types";
import {
  clusterSummaryInfo,
  formatActionLine,
  formatClusterStatus,
  formatExecutedActions,
  formatScores,
  readableInterval,
  compareNodeNames,
} from "./format";
import { ctimeString } from "./format-util";

function node(uname: string, over: Partial<NodeView> = {}): NodeView {
  return {
    id: uname, uname, type: "member", online: true, unclean: false, pending: false, standby: false,
    standbyOnFail: false, maintenance: false, shutdown: false, expectedUp: true, attributes: {}, resourceCount: 0, ...over,
  };
}

function prim(id: string, agent: string, on: [string, ResourceView["active"][number]["role"]][] = [], over: Partial<ResourceView> = {}): ResourceView {
  return {
    id, kind: "primitive", agent, children: [], managed: true, blocked: false, failed: false, orphan: false,
    active: on.map(([n, role]) => ({ node: n, role, failed: false })), ...over,
  };
}

function state(nodes: NodeView[], resources: ResourceView[], over: Partial<ClusterState> = {}): ClusterState {
  return {
    nodes, resources, failedActions: [], failCounts: [], haveQuorum: true, stonithEnabled: true, symmetricCluster: true,
    maintenanceMode: false, noQuorumPolicy: "stop", counts: { nodes: nodes.length, resourceInstances: 0, disabled: 0, blocked: 0 },
    messages: [], ...over,
  };
}

const APACHE = "ocf:heartbeat:apache";

describe("formatClusterStatus, simulate mode", () => {
  it("prints the node list and primitives the way crm_simulate does", () => {
    const s = state(
      [node("node2"), node("node1", { online: false, unclean: true }), node("node3", { online: false })],
      [prim("rsc1", APACHE, [["node2", "Started"]]), prim("rsc2", APACHE), prim("rsc3", APACHE, [["node1", "Started"]])],
    );
    expect(formatClusterStatus(s, { mode: "simulate" })).toBe(
      [
        "  * Node List:",
        "    * Node node1: UNCLEAN (offline)",
        "    * Online: [ node2 ]",
        "    * OFFLINE: [ node3 ]",
        "",
        "  * Full List of Resources:",
        "    * rsc1\t(ocf:heartbeat:apache):\t Started node2",
        "    * rsc2\t(ocf:heartbeat:apache):\t Stopped",
        "    * rsc3\t(ocf:heartbeat:apache):\t Started node1 (UNCLEAN)",
        "",
      ].join("\n"),
    );
  });

  it("words every individual node state", () => {
    const s = state(
      [
        node("a", { standby: true }),
        node("b", { standby: true, resourceCount: 2 }),
        node("c", { maintenance: true }),
        node("d", { maintenance: true, online: false }),
        node("e", { pending: true }),
        node("f", { unclean: true }),
        node("g", { standby: true, online: false }),
      ],
      [],
    );
    const lines = formatClusterStatus(s, { mode: "simulate" }).split("\n");
    expect(lines.slice(1, 8)).toEqual([
      "    * Node a: standby",
      "    * Node b: standby (with active resources)",
      "    * Node c: maintenance",
      "    * Node d: OFFLINE (maintenance)",
      "    * Node e: pending",
      "    * Node f: UNCLEAN (online)",
      "    * Node g: OFFLINE (standby)",
    ]);
    expect(lines).toContain("    * No resources");
  });

  it("sorts node names naturally (node9 before node10)", () => {
    const s = state([node("node10"), node("node9"), node("Node1")], []);
    expect(formatClusterStatus(s, { mode: "simulate" })).toContain("    * Online: [ Node1 node9 node10 ]");
    expect(["pcmk-10", "pcmk-9", "pcmk-1"].sort(compareNodeNames)).toEqual(["pcmk-1", "pcmk-9", "pcmk-10"]);
  });

  it("prints flags: FAILED, blocked, unmanaged, disabled, ORPHANED, multiply active, failure ignored", () => {
    const s = state(
      [node("n1"), node("n2")],
      [
        prim("a", APACHE, [["n1", "Started"]], { failed: true, blocked: true }),
        prim("b", APACHE, [["n1", "Started"]], { managed: false }),
        prim("c", APACHE, [], { targetRole: "Stopped" }),
        prim("d", APACHE, [["n2", "Started"]], { orphan: true }),
        prim("e", APACHE, [["n1", "Started"], ["n2", "Started"]]),
        prim("f", APACHE, [["n2", "Started"]], { failureIgnored: true }),
        prim("g", APACHE, [["n1", "Started"]], { targetRole: "Stopped", managed: false }),
      ],
    );
    const out = formatClusterStatus(s, { mode: "simulate" });
    expect(out).toContain("    * a\t(ocf:heartbeat:apache):\t FAILED n1 (blocked)\n");
    expect(out).toContain("    * b\t(ocf:heartbeat:apache):\t Started n1 (unmanaged)\n");
    expect(out).toContain("    * c\t(ocf:heartbeat:apache):\t Stopped (disabled)\n");
    expect(out).toContain("    * d\t(ocf:heartbeat:apache):\t ORPHANED Started n2\n");
    expect(out).toContain("    * e\t(ocf:heartbeat:apache):\t Started [ n1 n2 ]\n");
    expect(out).toContain("    * f\t(ocf:heartbeat:apache):\t Started n2 (failure ignored)\n");
    expect(out).toContain("    * g\t(ocf:heartbeat:apache):\t Started n1 (disabled, unmanaged)\n");
  });

  it("prints groups with their members indented and group flags", () => {
    const g: ResourceView = {
      id: "web", kind: "group", active: [], managed: false, blocked: false, failed: false, orphan: false, targetRole: "Stopped",
      children: [prim("vip", "ocf:heartbeat:IPaddr2", [["n1", "Started"]]), prim("site", APACHE)],
    };
    const out = formatClusterStatus(state([node("n1")], [g]), { mode: "simulate" });
    expect(out).toContain(
      "    * Resource Group: web (unmanaged, disabled):\n" +
        "      * vip\t(ocf:heartbeat:IPaddr2):\t Started n1\n" +
        "      * site\t(ocf:heartbeat:apache):\t Stopped\n",
    );
  });

  const instances = (base: string, n: number, on: (i: number) => [string, ResourceView["active"][number]["role"]][]) =>
    Array.from({ length: n }, (_, i) => prim(`${base}:${i}`, "ocf:pacemaker:Stateful", on(i)));

  it("collapses anonymous clones to Started/Stopped node lists", () => {
    const c: ResourceView = {
      id: "dlm-clone", kind: "clone", active: [], managed: true, blocked: false, failed: false, orphan: false,
      children: instances("dlm", 3, (i) => (i < 2 ? [[i === 0 ? "n2" : "n1", "Started"]] : [])),
    };
    const out = formatClusterStatus(state([node("n1"), node("n2"), node("n3", { online: false })], [c]), { mode: "simulate" });
    expect(out).toContain(
      "    * Clone Set: dlm-clone [dlm]:\n      * Started: [ n1 n2 ]\n      * Stopped: [ n3 ]\n",
    );
  });

  it("shows promotable clones as Promoted/Unpromoted and prints failed instances on their own", () => {
    const children = instances("st", 3, (i) => [[`n${i + 1}`, i === 0 ? "Promoted" : "Unpromoted"]]);
    children[2].failed = true;
    const c: ResourceView = {
      id: "st-clone", kind: "clone", active: [], managed: true, blocked: false, failed: false, orphan: false, promotable: true, children,
    };
    const out = formatClusterStatus(state([node("n1"), node("n2"), node("n3")], [c]), { mode: "simulate" });
    expect(out).toContain(
      "    * Clone Set: st-clone [st] (promotable):\n" +
        "      * st\t(ocf:pacemaker:Stateful):\t FAILED n3\n" +
        "      * Promoted: [ n1 ]\n" +
        "      * Unpromoted: [ n2 ]\n",
    );
  });

  it("lists every instance of a unique clone with its number", () => {
    const c: ResourceView = {
      id: "rsc1", kind: "clone", active: [], managed: true, blocked: false, failed: false, orphan: false,
      promotable: true, globallyUnique: true, children: instances("child", 2, (i) => (i === 0 ? [["n1", "Promoted"]] : [])),
    };
    const out = formatClusterStatus(state([node("n1")], [c]), { mode: "simulate" });
    expect(out).toContain(
      "    * Clone Set: rsc1 [child] (promotable, unique):\n" +
        "      * child:0\t(ocf:pacemaker:Stateful):\t Promoted n1\n" +
        "      * child:1\t(ocf:pacemaker:Stateful):\t Stopped\n",
    );
  });

  it("marks the Stopped list of a disabled clone", () => {
    const c: ResourceView = {
      id: "k-clone", kind: "clone", active: [], managed: true, blocked: false, failed: false, orphan: false, targetRole: "Stopped",
      children: instances("k", 2, () => []),
    };
    const out = formatClusterStatus(state([node("n1"), node("n2")], [c]), { mode: "simulate" });
    expect(out).toContain("    * Clone Set: k-clone [k] (disabled):\n      * Stopped (disabled): [ n1 n2 ]\n");
  });
});

describe("formatClusterStatus, crm_mon mode", () => {
  const failed = {
    rsc: "Web", node: "node1", task: "monitor", intervalMs: 10000, rc: 7, rcText: "not running", opStatus: 0,
    opStatusText: "complete", exitReason: "gone", callId: 4, lastRcChange: 1700000000, execMs: 0, queueMs: 0, opId: "Web_last_failure_0",
  };
  const s = state(
    [node("node1"), node("node2")],
    [prim("Web", APACHE, [["node1", "Started"]], { failed: true })],
    {
      dc: "node1",
      counts: { nodes: 2, resourceInstances: 1, disabled: 0, blocked: 1 },
      failedActions: [failed],
      failCounts: [{ rsc: "Web", node: "node1", failCount: 1, lastFailure: 1700000000, migrationThreshold: 1000000 }],
    },
  );
  const summary = clusterSummaryInfo({
    attrs: { "cib-last-written": "Mon Mar  4 10:15:02 2024", "update-user": "root", "update-client": "cibadmin", "update-origin": "node1" },
    configuration: { crmConfig: [{ nvpairs: [{ name: "cluster-infrastructure", value: "corosync" }, { name: "dc-version", value: "2.1.5-1" }] }] },
  });

  it("prints the Cluster Summary, node list, resources and short failed actions", () => {
    const out = formatClusterStatus(s, { mode: "crm_mon", summary, now: 1700000000, utc: true });
    expect(out).toBe(
      [
        "Cluster Summary:",
        "  * Stack: corosync",
        "  * Current DC: node1 (version 2.1.5-1) - partition with quorum",
        "  * Last updated: Tue Nov 14 22:13:20 2023",
        "  * Last change:  Mon Mar  4 10:15:02 2024 by root via cibadmin on node1",
        "  * 2 nodes configured",
        "  * 1 resource instance configured (1 BLOCKED from further action due to failure)",
        "",
        "Node List:",
        "  * Online: [ node1 node2 ]",
        "",
        "Full List of Resources:",
        "  * Web\t(ocf:heartbeat:apache):\t FAILED node1",
        "",
        "Failed Resource Actions:",
        "  * Web 10s-interval monitor on node1 returned 'not running' (gone) at Tue Nov 14 22:13:20 2023",
        "",
      ].join("\n"),
    );
  });

  it("full adds the Migration Summary and the detailed failure form", () => {
    const out = formatClusterStatus(s, { mode: "crm_mon", summary, now: 0, utc: true, full: true });
    expect(out).toContain(
      "Migration Summary:\n  * Node: node1:\n    * Web: migration-threshold=1000000 fail-count=1 last-failure='Tue Nov 14 22:13:20 2023'\n",
    );
    expect(out).toContain(
      "  * Web_monitor_10000 on node1 'not running' (7): call=4, status='complete', exitreason='gone', last-rc-change='Tue Nov 14 22:13:20 2023', queued=0ms, exec=0ms\n",
    );
  });

  it("without a DC and quorum, and as the active-only list", () => {
    const out = formatClusterStatus({ ...s, dc: undefined, resources: [prim("x", APACHE)] }, { mode: "crm_mon", inactive: false, now: 0 });
    expect(out).toContain("  * Stack: unknown\n  * Current DC: NONE\n");
    expect(out).toContain("Active Resources:\n  * No active resources\n");
    const noq = formatClusterStatus({ ...s, haveQuorum: false }, { mode: "crm_mon", now: 0 });
    expect(noq).toContain("(version unknown) - partition WITHOUT quorum");
  });

  it("words failures that could not be executed and probes", () => {
    const out = formatClusterStatus(
      { ...s, failedActions: [{ ...failed, opStatus: 2, opStatusText: "Timed Out", exitReason: undefined }, { ...failed, intervalMs: 0, rc: 5, rcText: "not installed", exitReason: undefined, lastRcChange: undefined }] },
      { mode: "crm_mon", now: 0, utc: true },
    );
    expect(out).toContain("  * Web 10s-interval monitor on node1 could not be executed (Timed Out) at Tue Nov 14 22:13:20 2023\n");
    expect(out).toContain("  * Web probe on node1 returned 'not installed'\n");
  });

  it("shows the maintenance-mode banner", () => {
    expect(formatClusterStatus({ ...s, maintenanceMode: true }, { mode: "crm_mon", now: 0 })).toContain(
      "\n              *** Resource management is DISABLED ***\n  The cluster will not attempt to start, stop or recover services\n",
    );
  });
});

describe("readableInterval and ctime", () => {
  it("matches crm_mon's interval words", () => {
    expect(readableInterval(10000)).toBe("10s");
    expect(readableInterval(1000)).toBe("1000ms");
    expect(readableInterval(1500)).toBe("1.500s");
    expect(readableInterval(61000)).toBe("1m1000ms");
    expect(readableInterval(3600000)).toBe("60m");
    expect(readableInterval(90061001)).toBe("1d1h1m1.001s");
    expect(readableInterval(0)).toBe("0s");
  });
  it("pads the day like ctime", () => {
    expect(ctimeString(Date.UTC(2026, 11, 2, 2, 52, 34) / 1000, true)).toBe("Wed Dec  2 02:52:34 2026");
  });
});

describe("formatExecutedActions", () => {
  const base = { params: {}, meta: {}, timeoutMs: 20000, intervalMs: 0, pseudo: false };
  const a = (o: Partial<Action> & { id: number; key: string; task: string }): Action => ({ ...base, ...o });

  it("prints each kind of action as crm_simulate does", () => {
    expect(formatActionLine(a({ id: 1, key: "rsc1_monitor_0", task: "monitor", rsc: "rsc1", node: "node1" }))).toBe(
      "  * Resource action: rsc1            monitor on node1",
    );
    expect(formatActionLine(a({ id: 2, key: "rsc1_monitor_10000", task: "monitor", rsc: "rsc1", node: "node1", intervalMs: 10000 }))).toBe(
      "  * Resource action: rsc1            monitor=10000 on node1",
    );
    expect(formatActionLine(a({ id: 3, key: "rsc1_cancel_10000", task: "cancel", rsc: "rsc1", node: "node1", intervalMs: 10000 }))).toBe(
      "  * Resource action: rsc1            cancel=10000 on node1",
    );
    expect(formatActionLine(a({ id: 4, key: "grp_start_0", task: "start", rsc: "grp", pseudo: true }))).toBe("  * Pseudo action:   grp_start_0");
    expect(formatActionLine(a({ id: 5, key: "stonith-node2-reboot", task: "stonith", node: "node2", fenceAction: "reboot" }))).toBe(
      "  * Fencing node2 (reboot)",
    );
    expect(formatActionLine(a({ id: 6, key: "do_shutdown-node1", task: "do_shutdown", node: "node1" }))).toBe("  * Cluster action:  do_shutdown on node1");
    expect(formatActionLine(a({ id: 7, key: "clear_failcount", task: "clear_failcount", rsc: "rsc2", node: "node1" }))).toBe(
      "  * Cluster action:  clear_failcount for rsc2 on node1",
    );
    expect(formatActionLine(a({ id: 8, key: "k", task: "stop", rsc: "ebe3fb6e-7778-426e-be58-190ab1ff3dd3:1", node: "puma1" }))).toBe(
      "  * Resource action: ebe3fb6e-7778-426e-be58-190ab1ff3dd3:1 stop on puma1",
    );
  });

  it("orders actions so that every action comes after its inputs", () => {
    const actions = [
      a({ id: 1, key: "g_running_0", task: "running", rsc: "g", pseudo: true }),
      a({ id: 2, key: "r_start_0", task: "start", rsc: "r", node: "n1" }),
      a({ id: 3, key: "g_start_0", task: "start", rsc: "g", pseudo: true }),
    ];
    const lines = formatExecutedActions({ actions, edges: [{ first: 3, then: 2 }, { first: 2, then: 1 }] });
    expect(lines).toEqual([
      "  * Pseudo action:   g_start_0",
      "  * Resource action: r               start on n1",
      "  * Pseudo action:   g_running_0",
    ]);
  });
});

describe("formatScores", () => {
  it("prints allocation and promotion scores with INFINITY words", () => {
    expect(
      formatScores([
        { scope: "pcmk__primitive_assign", rsc: "rsc1", node: "node1", score: 1000000 },
        { scope: "pcmk__group_assign", rsc: "g", node: "node2", score: -1000000 },
        { scope: "promotion", rsc: "child:1", node: "node2", score: 198 },
        { scope: "promotion", rsc: "child:4", node: "", score: 0 },
      ]),
    ).toEqual([
      "pcmk__primitive_assign: rsc1 allocation score on node1: INFINITY",
      "pcmk__group_assign: g allocation score on node2: -INFINITY",
      "child:1 promotion score on node2: 198",
      "child:4 promotion score on none: 0",
    ]);
  });
});

describe("resource order", () => {
  it("lists higher-priority resources first, configuration order among equals", () => {
    const s = state([node("n1")], [prim("a", APACHE), prim("b", APACHE, [], { priority: 10 }), prim("c", APACHE), prim("d", APACHE, [], { priority: 10 })]);
    const names = formatClusterStatus(s, { mode: "simulate" })
      .split("\n")
      .filter((l) => l.includes("\t("))
      .map((l) => l.trim().slice(2, 3));
    expect(names).toEqual(["b", "d", "a", "c"]);
  });
});
