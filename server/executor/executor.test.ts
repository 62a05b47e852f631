import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Executor } from "./executor";
import { LocalTransport } from "./local-transport";
import { OcfRc, OpStatus, type AgentOp, type OpResult, type RunRequest, type RunResult } from "./types";
import { freePort, pidAlive, tempDir, waitFor, dummyOp } from "./test-helpers";

let tmp: ReturnType<typeof tempDir>;
let n1: LocalTransport;
let n2: LocalTransport;
let ex: Executor;

const op = (over: Partial<AgentOp>): AgentOp => dummyOp("d1", over);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  tmp = tempDir();
  n1 = new LocalTransport({ node: "node1", hostDir: path.join(tmp.dir, "node1"), killGraceMs: 300 });
  n2 = new LocalTransport({ node: "node2", hostDir: path.join(tmp.dir, "node2"), killGraceMs: 300 });
  await n1.connect();
  await n2.connect();
  ex = new Executor({ nodeLimit: 2 });
  ex.addTransport(n1);
  ex.addTransport(n2);
});

afterEach(() => {
  ex.stop();
  n1.crash();
  n2.crash();
  tmp.cleanup();
});

describe("Executor.exec", () => {
  it("runs an operation on the node's transport", async () => {
    const r = await ex.exec("node1", op({ action: "start" }));
    expect(r).toMatchObject({ rc: 0, opStatus: OpStatus.DONE });
    expect((await ex.exec("node1", op({}))).rc).toBe(0);
    expect((await ex.exec("node2", op({}))).rc).toBe(OcfRc.NOT_RUNNING); // each node has its own state
  });

  it("runs at most nodeLimit operations per node at once; the rest wait in a queue and say how long", async () => {
    const slow = (rsc: string) => op({ rsc, action: "start", params: { op_sleep: "1" } });
    const all = ["a", "b", "c", "d"].map((r) => ex.exec("node1", slow(r)));
    const other = ex.exec("node2", slow("e")); // another node is not held up
    await sleep(100);
    expect(ex.load("node1")).toEqual({ running: 2, queued: 2 });
    const res = await Promise.all(all);
    expect(res.map((r) => r.rc)).toEqual([0, 0, 0, 0]);
    expect(res[0].queueMs).toBeLessThan(200);
    expect(res[1].queueMs).toBeLessThan(200);
    expect(res[2].queueMs).toBeGreaterThanOrEqual(800);
    expect(res[3].queueMs).toBeGreaterThanOrEqual(800);
    expect((await other).queueMs).toBeLessThan(200);
  });

  it("ends running and queued operations with NOT_CONNECTED when the node goes down", async () => {
    const slow = (rsc: string) => op({ rsc, action: "start", params: { op_sleep: "20" } });
    const started = Date.now();
    const all = ["a", "b", "c"].map((r) => ex.exec("node1", slow(r)));
    await sleep(150);
    n1.crash();
    const res = await Promise.all(all);
    expect(res.map((r) => r.opStatus)).toEqual([OpStatus.NOT_CONNECTED, OpStatus.NOT_CONNECTED, OpStatus.NOT_CONNECTED]);
    expect(res[2].exitReason).toMatch(/node1 went down/);
    expect(Date.now() - started).toBeLessThan(3000);
    const after = await ex.exec("node1", op({}));
    expect(after.opStatus).toBe(OpStatus.NOT_CONNECTED);
    expect((await ex.exec("node9", op({}))).exitReason).toMatch(/unknown node node9/);
  });
});

describe("Executor recurring monitors", () => {
  it("report the first result and then only changes; a WebServer killed by hand reports 7", async () => {
    const port = await freePort();
    const web = op({ rsc: "web", type: "WebServer", params: { port: String(port) } });
    expect((await ex.exec("node1", { ...web, action: "start" })).rc).toBe(0);
    const seen: OpResult[] = [];
    const mon = { ...web, action: "monitor", intervalMs: 200 };
    ex.startRecurring("node1", mon, (r, o) => {
      expect(o.intervalMs).toBe(200);
      seen.push(r);
    });
    await waitFor(() => (ex.recurring("node1")[0]?.runs ?? 0) >= 4, 10000, "four monitor runs");
    expect(seen.map((r) => r.rc)).toEqual([0]);

    const pid = Number(readFileSync(path.join(n1.rscTmp, "WebServer-web.pid"), "utf8"));
    process.kill(pid, "SIGKILL");
    await waitFor(() => seen.length === 2, 5000, "the failure to be reported");
    expect(seen[1].rc).toBe(OcfRc.NOT_RUNNING);
    const runsAtFailure = ex.recurring("node1")[0].runs;
    await waitFor(() => ex.recurring("node1")[0].runs >= runsAtFailure + 2, 5000, "more runs");
    expect(seen.length).toBe(2); // still failed: no new report

    expect((await ex.exec("node1", { ...web, action: "start" })).rc).toBe(0);
    await waitFor(() => seen.length === 3, 5000, "the recovery to be reported");
    expect(seen[2].rc).toBe(0);

    expect(ex.cancelRecurring("node1", "web", 200)).toBe(true);
    expect(ex.recurring("node1")).toEqual([]);
    expect(ex.cancelRecurring("node1", "web", 200)).toBe(false);
    expect((await ex.exec("node1", { ...web, action: "stop" })).rc).toBe(0);
    await sleep(500);
    expect(seen.length).toBe(3); // cancelled: no callback for the stop
  });

  it("pause while the node is down (no report) and resume when it is back", async () => {
    expect((await ex.exec("node1", op({ action: "start" }))).rc).toBe(0);
    const seen: OpResult[] = [];
    ex.startRecurring("node1", op({ intervalMs: 150 }), (r) => seen.push(r));
    await waitFor(() => seen.length === 1, 3000, "first result");
    expect(seen[0].rc).toBe(0);
    n1.crash();
    await sleep(500);
    expect(seen.length).toBe(1); // the node is lost, not the resource: nothing to report
    await n1.revive(); // a reboot clears /run: the Dummy's state is gone
    await waitFor(() => seen.length === 2, 3000, "result after revive");
    expect(seen[1].rc).toBe(OcfRc.NOT_RUNNING);
    expect(seen.every((r) => r.opStatus === OpStatus.DONE)).toBe(true);
  });

  it("keep running on a replacement transport of the same node (a reconnect)", async () => {
    expect((await ex.exec("node1", op({ action: "start" }))).rc).toBe(0);
    const seen: OpResult[] = [];
    ex.startRecurring("node1", op({ intervalMs: 100 }), (r) => seen.push(r));
    await waitFor(() => seen.length === 1, 3000, "first result");
    const again = new LocalTransport({ node: "node1", hostDir: n1.hostDir });
    await again.connect();
    ex.addTransport(again);
    expect(ex.transport("node1")).toBe(again);
    const runs = ex.recurring("node1")[0].runs;
    await waitFor(() => ex.recurring("node1")[0].runs >= runs + 2, 3000, "runs on the new transport");
    expect((await ex.exec("node1", op({ action: "stop" }))).rc).toBe(0);
    await waitFor(() => seen.length === 2, 3000, "the stop to show");
    expect(seen[1].rc).toBe(OcfRc.NOT_RUNNING);
  });

  it("cancelAll stops every recurring op of a node; other nodes keep theirs", async () => {
    ex.startRecurring("node1", op({ rsc: "a", intervalMs: 100 }), () => {});
    ex.startRecurring("node1", op({ rsc: "b", intervalMs: 100 }), () => {});
    ex.startRecurring("node2", op({ rsc: "a", intervalMs: 100 }), () => {});
    // same rsc, action and interval replaces
    ex.startRecurring("node1", op({ rsc: "a", intervalMs: 100 }), () => {});
    expect(ex.recurring("node1").length).toBe(2);
    expect(ex.cancelAll("node1")).toBe(2);
    expect(ex.recurring("node1")).toEqual([]);
    expect(ex.recurring("node2").map((r) => r.rsc)).toEqual(["a"]);
    expect(() => ex.startRecurring("node1", op({ intervalMs: 0 }), () => {})).toThrow(/needs an interval/);
    expect(() => ex.startRecurring("node7", op({ intervalMs: 100 }), () => {})).toThrow(/unknown node node7/);
  });
});

describe("Executor and crashed hosts", () => {
  it("a crash kills what agents started on the host (the web server dies with it)", async () => {
    const port = await freePort();
    const web = op({ rsc: "web", type: "WebServer", params: { port: String(port) } });
    expect((await ex.exec("node2", { ...web, action: "start" })).rc).toBe(0);
    const pid = Number(readFileSync(path.join(n2.rscTmp, "WebServer-web.pid"), "utf8"));
    n2.crash();
    await waitFor(() => !pidAlive(pid), 3000, "web server to die with its host");
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

/** a host whose agents hang until their run is cancelled (what a transport sees of a cancel) */
class HangingTransport {
  readonly kind = "ssh" as const;
  readonly node = "hang1";
  runs = 0;
  aborted = 0;
  async connect() {}
  state() {
    return "up" as const;
  }
  onStateChange() {
    return () => {};
  }
  async close() {}
  run(req: RunRequest): Promise<RunResult> {
    this.runs++;
    return new Promise((_resolve, reject) => {
      req.signal?.addEventListener("abort", () => {
        this.aborted++;
        reject(new Error("cancelled"));
      });
    });
  }
}

describe("Executor: cancelling a recurring op that hangs", () => {
  it("kills the run in flight at once (the transport sees the abort) and reports nothing", async () => {
    const t = new HangingTransport();
    const hex = new Executor({ nodeLimit: 1 });
    hex.addTransport(t);
    const seen: OpResult[] = [];
    hex.startRecurring("hang1", dummyOp("h", { action: "monitor", intervalMs: 1000, timeoutMs: 60000 }), (r) => seen.push(r));
    await waitFor(() => t.runs === 1, 2000, "the monitor to run");
    // a one-shot op waits behind it (node limit 1)
    const queued = hex.exec("hang1", dummyOp("h", { action: "stop", timeoutMs: 60000 }), { signal: AbortSignal.abort() });
    expect(hex.cancelRecurring("hang1", "h", 1000)).toBe(true);
    expect(t.aborted).toBe(1);
    // the cancelled one-shot never reached the host
    expect((await queued).opStatus).toBe(OpStatus.CANCELLED);
    expect(t.runs).toBe(1);
    await sleep(50);
    expect(seen).toEqual([]);
    hex.stop();
  });
});
