// The live store's state machine (no browser): snapshot, versioned patches,
// gaps that must trigger a resync, and structural sharing of unchanged parts.
import { expect, test } from "@playwright/test";
import { initialView, receive, type LiveView } from "../../components/live-core";
import { applyPatch, PatchError } from "../../components/json-patch";
import type { ClusterState } from "../../server/scheduler/types";

const state = (dc: string): ClusterState => ({
  nodes: [
    { id: "1", uname: "node1", type: "member", online: true, unclean: false, pending: false, standby: false, standbyOnFail: false, maintenance: false, shutdown: false, expectedUp: true, attributes: {}, resourceCount: 1 },
  ],
  resources: [],
  failedActions: [],
  failCounts: [],
  haveQuorum: true,
  dc,
  stonithEnabled: true,
  symmetricCluster: true,
  maintenanceMode: false,
  noQuorumPolicy: "stop",
  counts: { nodes: 1, resourceInstances: 0, disabled: 0, blocked: 0 },
  messages: [],
});
const cib = { attrs: { epoch: "1" }, configuration: { crmConfig: [], nodes: [], resources: [], constraints: [], rscDefaults: [], opDefaults: [], unknown: [] } };

function live(version = 5): LiveView {
  return receive(initialView, { type: "snapshot", version, state: state("node1"), cib, user: "hacluster", role: "admin" }).view;
}

test("a snapshot makes the view live at its version", () => {
  const v = live(5);
  expect(v.connection).toBe("live");
  expect(v.version).toBe(5);
  expect(v.doc?.state.dc).toBe("node1");
  expect(v.role).toBe("admin");
});

test("a patch from the held version applies and keeps unchanged parts identical", () => {
  const v = live(5);
  const step = receive(v, { type: "patch", from: 5, to: 6, ops: [{ op: "replace", path: "/state/nodes/0/standby", value: true }] });
  expect(step.resync).toBe(false);
  expect(step.view.version).toBe(6);
  expect(step.view.doc?.state.nodes[0].standby).toBe(true);
  expect(v.doc?.state.nodes[0].standby).toBe(false); // the old view is untouched
  expect(step.view.doc?.cib).toBe(v.doc?.cib); // shared, not copied
});

test("a gap in versions asks for one resync and waits for the snapshot", () => {
  const v = live(5);
  const gap = receive(v, { type: "patch", from: 7, to: 8, ops: [] });
  expect(gap.resync).toBe(true);
  expect(gap.view.connection).toBe("resyncing");
  expect(gap.view.version).toBe(5);
  const again = receive(gap.view, { type: "patch", from: 8, to: 9, ops: [] });
  expect(again.resync).toBe(false); // already asked
  const snap = receive(again.view, { type: "snapshot", version: 9, state: state("node2"), cib });
  expect(snap.view.connection).toBe("live");
  expect(snap.view.doc?.state.dc).toBe("node2");
});

test("a patch that does not fit the document resyncs instead of rendering garbage", () => {
  const v = live(5);
  const step = receive(v, { type: "patch", from: 5, to: 6, ops: [{ op: "remove", path: "/state/nodes/3" }] });
  expect(step.resync).toBe(true);
  expect(step.view.doc).toBe(v.doc);
});

test("json-patch covers add, remove, move, copy and test, and rejects bad pointers", () => {
  const doc = { a: [1, 2, 3], b: { c: "x" } };
  const out = applyPatch(doc, [
    { op: "add", path: "/a/-", value: 4 },
    { op: "add", path: "/a/0", value: 0 },
    { op: "remove", path: "/a/1" },
    { op: "move", from: "/b/c", path: "/d" },
    { op: "copy", from: "/a", path: "/e" },
    { op: "test", path: "/d", value: "x" },
    { op: "add", path: "/b/x~1y", value: 1 },
  ]);
  expect(out).toEqual({ a: [0, 2, 3, 4], b: { "x/y": 1 }, d: "x", e: [0, 2, 3, 4] });
  expect(doc).toEqual({ a: [1, 2, 3], b: { c: "x" } });
  expect(() => applyPatch(doc, [{ op: "test", path: "/b/c", value: "y" }])).toThrow(PatchError);
  expect(() => applyPatch(doc, [{ op: "replace", path: "a", value: 1 }])).toThrow(PatchError);
  expect(() => applyPatch(doc, [{ op: "add", path: "/a/9", value: 1 }])).toThrow(PatchError);
});
