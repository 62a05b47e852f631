// What the controller records must read in Pacemaker's own tools as it does in
// Vigil: a healthy history gives an empty transition (every op-digest matches
// what crm_simulate computes for the configured parameters), a failed monitor
// gives "Recover", and crm_mon shows the fail-count.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportCibXml } from "../cib/xml";
import type { Cib } from "../cib/types";
import { demoCib } from "../demo/cib";
import { CRM_FEATURE_SET, recordFailCount, recordOp, setNodeMembership, targetRcFor, type OpRecord } from "./record";

const dir = mkdtempSync(path.join(tmpdir(), "vigil-record-"));
afterAll(() => { if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); });

const NODES: [string, string][] = [
  ["1", "node1"],
  ["2", "node2"],
  ["3", "node3"],
];
const PLACEMENT: Record<string, string> = { dummy1: "node2", dummy2: "node1", "demo-vip": "node1", "web-server": "node1" };
const NOW = 1_764_644_000_000;

function liveCib(): Cib {
  let cib = demoCib({ webPortBase: 18081 });
  cib.attrs["have-quorum"] = "1";
  cib.attrs["crm_feature_set"] = CRM_FEATURE_SET; // as the controller stamps it
  cib.attrs["dc-uuid"] = "1";
  let call = 0;
  for (const [id, uname] of NODES) cib = setNodeMembership(cib, id, uname, "online", "test");
  for (const [id, uname] of NODES)
    for (const rsc of Object.keys(PLACEMENT)) {
      const web = rsc === "web-server";
      const r = (o: Partial<OpRecord>): OpRecord => ({
        nodeId: id,
        uname,
        rsc,
        standard: "ocf",
        provider: "vigil",
        agentType: web ? "WebServer" : "Dummy",
        task: "monitor",
        intervalMs: 0,
        params: web ? { ports: "node1:18081,node2:18082,node3:18083" } : {},
        timeoutMs: 20000,
        targetRc: targetRcFor("monitor", 0),
        actionId: 1,
        transitionId: 0,
        dcUuid: "0b9d6a57-7d4e-4d8e-9a55-3c1d2a2d0f00",
        callId: ++call,
        rc: 7,
        opStatus: 0,
        at: NOW,
        execMs: 5,
        queueMs: 0,
        ...o,
      });
      cib = recordOp(cib, r({}));
      if (PLACEMENT[rsc] === uname) {
        cib = recordOp(cib, r({ task: "start", targetRc: 0, rc: 0, callId: ++call }));
        cib = recordOp(cib, r({ task: "monitor", intervalMs: web ? 5000 : 10000, targetRc: 0, rc: 0, callId: ++call }));
      }
    }
  return cib;
}

function crmSimulate(cib: Cib, name: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, exportCibXml(cib));
  return execFileSync("crm_simulate", ["-x", f, "-S"], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
}

function transitionSummary(out: string): string[] {
  const m = /Transition Summary:\n([\s\S]*?)\n\s*\nExecuting/.exec(out + "\n");
  return (m?.[1] ?? "").split("\n").filter((l) => l.trim());
}

describe("recorded status read by Pacemaker 2.1's crm_simulate and crm_mon", () => {
  it("a healthy history needs no action (digests and placement agree)", () => {
    const out = crmSimulate(liveCib(), "healthy.xml");
    expect(out).toContain("web-server\t(ocf:vigil:WebServer):\t Started node1");
    expect(out).toContain("dummy1\t(ocf:vigil:Dummy):\t Started node2");
    expect(transitionSummary(out)).toEqual([]);
  });

  it("a failed monitor with its fail-count is recovered, and crm_mon shows the failure", () => {
    let cib = liveCib();
    cib = recordOp(cib, {
      nodeId: "1",
      uname: "node1",
      rsc: "web-server",
      standard: "ocf",
      provider: "vigil",
      agentType: "WebServer",
      task: "monitor",
      intervalMs: 5000,
      params: { ports: "node1:18081,node2:18082,node3:18083" },
      timeoutMs: 20000,
      targetRc: 0,
      actionId: 9,
      transitionId: 1,
      dcUuid: "0b9d6a57-7d4e-4d8e-9a55-3c1d2a2d0f00",
      callId: 99,
      rc: 7,
      opStatus: 0,
      exitReason: "not answering",
      at: NOW + 5000,
      execMs: 3,
      queueMs: 0,
    });
    cib = recordFailCount(cib, "1", "node1", "web-server", "monitor", 5000, "increment", Math.floor(NOW / 1000) + 5);
    const out = crmSimulate(cib, "failed.xml");
    expect(transitionSummary(out).map((l) => l.replace(/\s+/g, " ").trim())).toEqual(["* Recover web-server ( node1 )"]);
    const mon = execFileSync("crm_mon", ["-1", "-f"], {
      encoding: "utf8",
      env: { ...process.env, LC_ALL: "C", CIB_file: path.join(dir, "failed.xml") },
    });
    expect(mon).toContain("web-server: migration-threshold=1000000 fail-count=1");
    expect(mon).toMatch(/web-server 5s-interval monitor on node1 returned 'not running' \(not answering\)/);
  });
});
