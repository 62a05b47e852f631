// The scheduler's shortcuts must give exactly what the general code gives:
// the probe-only history path (unpack-status), the best node found without a
// sort (assign), and the allocation scores recorded as snapshots (score-log).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LrmRscOp } from "../cib/types";
import { parseCibXml } from "../cib/xml";
import { opDigest } from "../cib/op-digest";
import { benchCib } from "../../bench/scheduler-cib";
import { generateCib, renderCib } from "./fuzz/generate";
import { schedule, scheduleWithoutFastPaths } from "./index";
import { bestNode, sortNodes } from "./assign";
import { actionKey, customAction, isZeroAction, isZeroKey } from "./actions";
import { emptyRsc } from "./unpack-config";
import { NodeScores, NodeSet, type SNode, type Weights, type WorkingSet } from "./model";
import { isPlainNotRunningProbe } from "./unpack-status";
import { ScoreLog } from "./score-log";
import { INFINITY } from "./score";
import { prng } from "./fuzz/generate";

const sharedDir = path.resolve(__dirname, "../../../shared/pacemaker-scheduler");

/** Everything schedule() returns, as one comparable value. */
function outcome(xml: string, fast: boolean): unknown {
  const cib = parseCibXml(xml);
  const now = Number(cib.attrs["execution-date"] ?? 1_767_225_600);
  try {
    const r = (fast ? schedule : scheduleWithoutFastPaths)(cib, { now });
    return { transition: r.transition, summary: r.summary, scores: r.scores, before: r.before, messages: r.messages };
  } catch (e) {
    return { error: String(e) };
  }
}

describe("fast paths agree with the general code", () => {
  it("on 300 random CIBs (failures, fail-counts, node states, clones, constraints)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const xml = renderCib(generateCib(seed));
      expect(outcome(xml, true), `seed ${seed}`).toEqual(outcome(xml, false));
    }
  });

  it("on the benchmark's warm CIBs, with and without a node down", () => {
    for (const o of [{ nodes: 3, resources: 20 }, { nodes: 8, resources: 200, nodeDown: true }]) {
      const xml = benchCib(o);
      expect(outcome(xml, true)).toEqual(outcome(xml, false));
    }
  });

  it("with a failure-timeout and an expired fail-count beside a probe-only history", () => {
    // the general path clears the expired fail-count; a fast path that skipped the expiry check would not
    const xml = benchCib({ nodes: 3, resources: 20 })
      .replace(
        /(<primitive id="rsc1" [^>]*>)/,
        '$1<meta_attributes id="rsc1-meta"><nvpair id="rsc1-ft" name="failure-timeout" value="60"/></meta_attributes>',
      )
      .replace(
        /(<node_state id="2" [^>]*>)/,
        '$1<transient_attributes id="2"><instance_attributes id="status-2"><nvpair id="fc1" name="fail-count-rsc1" value="1"/>' +
          '<nvpair id="lf1" name="last-failure-rsc1" value="1000"/></instance_attributes></transient_attributes>',
      );
    expect(xml).toContain("failure-timeout");
    expect(xml).toContain("fail-count-rsc1");
    const fast = outcome(xml, true);
    expect(fast).toEqual(outcome(xml, false));
    expect(JSON.stringify(fast)).toContain("clear_failcount");
  });

  it("with a second status entry on the node where the resource runs: a probe-only one, with an old digest", () => {
    // the general path compares that probe's digest (the resource is active on that node) and
    // restarts the resource; the fast path, which leaves probe-only entries out of the history,
    // must notice the second entry and read the status with the general code
    const digests = { start: opDigest({}, 0, 20000), monitor: opDigest({}, 10000, 20000) };
    const warm = benchCib({ nodes: 3, resources: 20, digests });
    expect(JSON.stringify(outcome(warm, true))).not.toContain("rsc1_stop_0");
    const probe =
      '<lrm_resource id="rsc1" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="rsc1_last_0" operation_key="rsc1_monitor_0" ' +
      'operation="monitor" crm_feature_set="3.16.1" transition-key="9:0:7:00000000-0000-0000-0000-000000000000" ' +
      'transition-magic="0:7;9:0:7:00000000-0000-0000-0000-000000000000" on_node="node1" call-id="9" rc-code="7" op-status="0" ' +
      'interval="0" last-rc-change="1767222000" exec-time="10" queue-time="0" op-digest="00000000000000000000000000000000"/></lrm_resource>';
    for (const where of ["before", "after"]) {
      const xml = warm.replace(/(<node_state id="1" [^>]*>\s*<lrm id="1">\s*<lrm_resources>)([\s\S]*?<\/lrm_resource>)/, (_, head, first) =>
        where === "before" ? head + probe + first : head + first + probe,
      );
      expect(xml).toContain('operation_key="rsc1_monitor_0" operation="monitor" crm_feature_set="3.16.1" transition-key="9:0:7');
      const fast = outcome(xml, true);
      expect(fast, where).toEqual(outcome(xml, false));
      expect(JSON.stringify(fast), where).toContain("rsc1_stop_0");
    }
    // the same entry in a second node_state of node1, after the other nodes' (which have rsc1's probes)
    const twice = warm.replace(
      "</status>",
      '<node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>' +
        probe +
        "</lrm_resources></lrm></node_state></status>",
    );
    expect(twice).not.toBe(warm);
    const fast = outcome(twice, true);
    expect(fast).toEqual(outcome(twice, false));
    expect(JSON.stringify(fast)).toContain("rsc1_stop_0");
  });

  it("with probe-only entries that count as failed (expected running, or a last_failure entry), with and without on-fail=block", () => {
    // the fast path takes them without reading what they expected: the same result as the
    // general path, which marks a blocking failure only a failure-timeout reads (and with one,
    // the general path reads them: the fail-count then does not expire)
    const base = benchCib({ nodes: 3, resources: 20 });
    const failedProbes = base
      .replace(/(<lrm_rsc_op id="rsc1_last_0" operation_key="rsc1_monitor_0"[^>]*transition-key="\d+:\d+:)7:/g, "$10:")
      .replace(/<lrm_rsc_op id="rsc2_last_0"( operation_key="rsc2_monitor_0")/g, '<lrm_rsc_op id="rsc2_last_failure_0"$1');
    expect(failedProbes).toMatch(/operation_key="rsc1_monitor_0"[^>]*transition-key="\d+:\d+:0:/);
    expect(failedProbes).toContain('id="rsc2_last_failure_0" operation_key="rsc2_monitor_0"');
    const block = (xml: string, ft: boolean) =>
      xml
        .replace(/(<op id="(rsc1|rsc2)-monitor-10s")/g, '<op id="$2-probe" name="monitor" interval="0" on-fail="block"/>$1')
        .replace(
          /(<primitive id="(rsc1|rsc2)" [^>]*>)/g,
          '$1<meta_attributes id="$2-meta"><nvpair id="$2-mt" name="migration-threshold" value="1"/>' +
            (ft ? '<nvpair id="$2-ft" name="failure-timeout" value="60"/>' : "") +
            "</meta_attributes>",
        );
    const failcounts = (xml: string) =>
      xml.replace(
        /(<node_state id="2" [^>]*>)/,
        '$1<transient_attributes id="2"><instance_attributes id="status-2"><nvpair id="fc1" name="fail-count-rsc1#monitor_0" value="1"/>' +
          '<nvpair id="lf1" name="last-failure-rsc1#monitor_0" value="1000"/><nvpair id="fc2" name="fail-count-rsc2#monitor_0" value="1"/>' +
          '<nvpair id="lf2" name="last-failure-rsc2#monitor_0" value="1000"/></instance_attributes></transient_attributes>',
      );
    const results = [failedProbes, block(failedProbes, false), failcounts(block(failedProbes, false)), failcounts(block(failedProbes, true))].map((xml) => {
      expect(xml).toContain("rsc2_last_failure_0");
      const fast = outcome(xml, true);
      expect(fast).toEqual(outcome(xml, false));
      return JSON.stringify(fast);
    });
    expect(results[3], "with a failure-timeout the blocking failures keep the fail-counts").not.toBe(results[2]);
  });

  it.runIf(existsSync(sharedDir))("on every shared Pacemaker regression CIB", () => {
    const files = readdirSync(path.join(sharedDir, "xml")).filter((f) => f.endsWith(".xml"));
    for (const f of files) {
      const xml = readFileSync(path.join(sharedDir, "xml", f), "utf8");
      expect(outcome(xml, true), f).toEqual(outcome(xml, false));
    }
  });
});

describe("isPlainNotRunningProbe", () => {
  const probe: LrmRscOp = {
    id: "r_last_0",
    operationKey: "r_monitor_0",
    operation: "monitor",
    interval: "0",
    callId: "3",
    rcCode: "7",
    opStatus: "0",
    transitionKey: "1:0:7:abc",
  };
  it("takes a completed probe that found the resource stopped, as expected", () => {
    expect(isPlainNotRunningProbe(probe)).toBe(true);
    expect(isPlainNotRunningProbe({ ...probe, transitionKey: undefined })).toBe(true);
    expect(isPlainNotRunningProbe({ ...probe, interval: "00", rcCode: "07", opStatus: " 0", callId: " 3" })).toBe(true);
  });
  it("takes it whatever it expected and under whatever id (the general path makes the same of it)", () => {
    // without a failure-timeout (which keeps such entries on the general path) a failed rc-7 probe
    // only marks blockingFailureOn, which nothing reads then: see "fast paths agree" below
    expect(isPlainNotRunningProbe({ ...probe, transitionKey: "1:0:0:abc" })).toBe(true);
    expect(isPlainNotRunningProbe({ ...probe, id: "r_last_failure_0" })).toBe(true);
  });
  it("leaves everything else to the general path", () => {
    for (const change of [
      { rcCode: "0" }, // running
      { rcCode: "8" },
      { interval: "10000" }, // a recurring monitor
      { operation: "start" },
      { opStatus: "-1" }, // pending
      { callId: "-1" },
      { callId: "" },
      { opStatus: "4" },
      { callId: "x" },
      { rcCode: "17" },
      { interval: "1" },
    ] as Partial<LrmRscOp>[]) {
      expect(isPlainNotRunningProbe({ ...probe, ...change }), JSON.stringify(change)).toBe(false);
    }
  });
});

function node(i: number, o: Partial<SNode> = {}): SNode {
  return {
    id: String(i), uname: `node${i}`, index: i, type: "member", online: true, unclean: false, pending: false,
    standby: false, standbyOnFail: false, maintenance: false, shutdown: false, expectedUp: true, hasState: true,
    attrs: {}, numResources: 0, running: [], wantFence: false, fixed: false, fenceReason: undefined, ...o,
  };
}

describe("bestNode", () => {
  it("is the first node sortNodes gives, on random weights, loads and node states", () => {
    const rnd = prng(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let k = 0; k < 2000; k++) {
      const nodes = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) =>
        node(i, { numResources: Math.floor(rnd() * 3), online: rnd() > 0.15, standby: rnd() < 0.1, uname: `n${Math.floor(rnd() * 5)}` }),
      );
      const w: Weights = new NodeScores();
      for (const n of [...nodes].sort(() => rnd() - 0.5)) w.set(n, pick([0, 0, 1, 5, 5, -5, INFINITY, -INFINITY, -INFINITY - 1]));
      const active = rnd() < 0.5 ? pick(nodes) : undefined;
      expect(bestNode(w, active)).toBe(sortNodes({} as WorkingSet, w, active)[0]);
    }
    expect(bestNode(new NodeScores(), undefined)).toBeUndefined();
  });
});

describe("NodeScores", () => {
  it("behaves as a Map<SNode, number> without delete: same lookups, order, sizes, copies, iteration that sees additions", () => {
    const rnd = prng(11);
    for (let k = 0; k < 500; k++) {
      const nodes = Array.from({ length: 1 + Math.floor(rnd() * 40) }, (_, i) => node(i));
      const m = new Map<SNode, number>();
      const w = new NodeScores();
      const same = (a: Map<SNode, number>, b: NodeScores) => {
        expect(b.size).toBe(a.size);
        expect([...b.keys()]).toEqual([...a.keys()]);
        expect([...b.values()]).toEqual([...a.values()]);
        expect([...b]).toEqual([...a]);
        const fe: [SNode, number][] = [];
        b.forEach((s, n) => fe.push([n, s]));
        expect(fe).toEqual([...a.entries()]);
        for (const n of nodes) {
          expect(b.has(n)).toBe(a.has(n));
          expect(b.get(n)).toBe(a.get(n));
        }
      };
      let copies: [Map<SNode, number>, NodeScores][] = [];
      for (let j = 0; j < 60; j++) {
        const n = nodes[Math.floor(rnd() * nodes.length)];
        const s = [0, 1, -7, 0.5, INFINITY, -INFINITY, -INFINITY - 1][Math.floor(rnd() * 7)];
        m.set(n, s);
        w.set(n, s);
        if (rnd() < 0.1) copies.push([new Map(m), w.copy()]);
      }
      same(m, w);
      // the copies did not change with the original
      for (const [a, b] of copies) same(a, b);
      // a node set during an iteration is visited by it, as with a Map
      const extra = node(nodes.length);
      const seenM: SNode[] = [];
      for (const n of m.keys()) { seenM.push(n); if (seenM.length === 1) m.set(extra, 3); }
      const seenW: SNode[] = [];
      for (const n of w.keys()) { seenW.push(n); if (seenW.length === 1) w.set(extra, 3); }
      expect(seenW).toEqual(seenM);
      copies = [];
    }
    const f = NodeScores.filled([node(2), node(0), node(1)], 0);
    expect([...f]).toEqual([[node(2), 0], [node(0), 0], [node(1), 0]]);
  });
});

describe("NodeSet", () => {
  it("behaves as a Set<SNode>: membership, size and insertion order, also past 32 and 64 nodes", () => {
    const rnd = prng(13);
    for (let k = 0; k < 300; k++) {
      const nodes = Array.from({ length: 1 + Math.floor(rnd() * 100) }, (_, i) => node(i));
      const s = new Set<SNode>();
      const ns = new NodeSet();
      for (let j = 0; j < 80; j++) {
        const n = nodes[Math.floor(rnd() * nodes.length)];
        s.add(n);
        ns.add(n);
        if (rnd() < 0.2) expect(ns.size).toBe(s.size);
      }
      expect([...ns]).toEqual([...s]);
      for (const n of nodes) expect(ns.has(n), `node ${n.index}`).toBe(s.has(n));
    }
  });
});

describe("isZeroAction", () => {
  it("is isZeroKey(a.key, r.id, task) for actions made with and without their own key, of r and of another resource", () => {
    const ws = { seq: 0, actions: [], actionByKey: new Map(), haveQuorum: true, noQuorumPolicy: "stop" } as unknown as WorkingSet;
    const r = emptyRsc("r", "r", "primitive");
    const other = emptyRsc("r_start", "r_start", "primitive"); // its keys can look like r's: "r_start_start_0"
    const n = node(1);
    const tasks = ["start", "stop", "monitor", "start_start", "running", "cancel"];
    const made = [
      customAction(ws, r, "start", n, true),
      customAction(ws, r, "stop", undefined, true),
      customAction(ws, r, "monitor", n, true, { intervalMs: 10000 }),
      customAction(ws, r, "cancel", n, true, { intervalMs: 10000, key: actionKey(r, "monitor", 10000) + "_cancel" }),
      customAction(ws, r, "stop", n, true, { key: "r_start_0" }), // an own key that reads as another task's
      customAction(ws, other, "start", n, true),
      customAction(ws, undefined, "stonith", n, true, { key: "stonith-node1-reboot" }),
      customAction(ws, undefined, "all_stopped", undefined, true),
    ];
    for (const a of made)
      for (const res of [r, other])
        for (const t of tasks) expect(isZeroAction(a, res, t), `${a.key} ${res.id} ${t}`).toBe(isZeroKey(a.key, res.id, t));
  });
});

describe("ScoreLog", () => {
  it("keeps the scores as they were when recorded, in order, below -INFINITY printed as -INFINITY", () => {
    const [a, b, c] = [node(1), node(2), node(3)];
    const w: Weights = new NodeScores().set(b, 5).set(a, -INFINITY - 1);
    const log = new ScoreLog();
    log.snapshot("assign", "r1", [a, b, c], w);
    w.set(b, 100);
    w.set(c, 1);
    log.push({ scope: "promotion", rsc: "r1", node: "node2", score: 3 });
    log.snapshot("assign", "r2", [a, b, c], w);
    expect(log.toArray()).toEqual([
      { scope: "assign", rsc: "r1", node: "node1", score: -INFINITY },
      { scope: "assign", rsc: "r1", node: "node2", score: 5 },
      { scope: "promotion", rsc: "r1", node: "node2", score: 3 },
      { scope: "assign", rsc: "r2", node: "node1", score: -INFINITY },
      { scope: "assign", rsc: "r2", node: "node2", score: 100 },
      { scope: "assign", rsc: "r2", node: "node3", score: 1 },
    ]);
  });
});
