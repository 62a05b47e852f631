// The graph walker alone, with a dispatcher that records what it was asked to
// run (the controller's integration tests run real agents).
import { describe, expect, it } from "vitest";
import type { Action, Transition } from "../scheduler/types";
import { GraphRun, type ActionOutcome } from "./graph";

function act(id: number, key: string, extra: Partial<Action> = {}): Action {
  return { id, key, task: key.split("_")[1] ?? key, intervalMs: 0, pseudo: false, params: {}, meta: {}, timeoutMs: 20000, node: "n1", rsc: key.split("_")[0], ...extra };
}

function deferred() {
  let resolve!: (o: ActionOutcome) => void;
  const promise = new Promise<ActionOutcome>((r) => (resolve = r));
  return { promise, resolve };
}

/** A dispatcher whose actions finish only when the test says so. */
function controlled() {
  const pending = new Map<string, ReturnType<typeof deferred>>();
  const order: string[] = [];
  const dispatch = (a: Action) => {
    order.push(a.key);
    const d = deferred();
    pending.set(a.key, d);
    return d.promise;
  };
  const finish = async (key: string, ok = true) => {
    const d = pending.get(key);
    if (!d) throw new Error(`${key} was not dispatched (dispatched: ${order.join(" ")})`);
    pending.delete(key);
    d.resolve({ ok });
    await tick();
  };
  return { dispatch, finish, order, pending };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("GraphRun", () => {
  it("dispatches an action only after every input completed", async () => {
    const t: Transition = {
      actions: [act(1, "a_stop_0"), act(2, "a_start_0", { node: "n2" }), act(3, "a_monitor_10000", { node: "n2", intervalMs: 10000 })],
      edges: [
        { first: 1, then: 2 },
        { first: 2, then: 3 },
      ],
    };
    const c = controlled();
    const run = new GraphRun(t, { batchLimit: 10, dispatch: c.dispatch });
    const result = run.start();
    await tick();
    expect(c.order).toEqual(["a_stop_0"]);
    await c.finish("a_stop_0");
    expect(c.order).toEqual(["a_stop_0", "a_start_0"]);
    await c.finish("a_start_0");
    await c.finish("a_monitor_10000");
    expect(await result).toBe("complete");
  });

  it("never has more than batch-limit actions in flight", async () => {
    const actions = Array.from({ length: 7 }, (_, i) => act(i + 1, `r${i}_start_0`));
    const c = controlled();
    let max = 0;
    const run = new GraphRun(
      { actions, edges: [] },
      {
        batchLimit: 3,
        dispatch: (a) => {
          const p = c.dispatch(a);
          max = Math.max(max, c.pending.size);
          return p;
        },
      },
    );
    const result = run.start();
    await tick();
    expect(c.pending.size).toBe(3);
    while (c.pending.size) await c.finish([...c.pending.keys()][0]);
    expect(await result).toBe("complete");
    expect(max).toBe(3);
    expect(c.order).toHaveLength(7);
  });

  it("completes pseudo actions at once, without dispatching them", async () => {
    const t: Transition = {
      actions: [
        act(1, "m1_start_0"),
        act(2, "g_running_0", { pseudo: true, node: undefined, rsc: "g", task: "running" }),
        act(3, "after_start_0"),
      ],
      edges: [
        { first: 1, then: 2 },
        { first: 2, then: 3 },
      ],
    };
    const c = controlled();
    const pseudo: string[] = [];
    const run = new GraphRun(t, { batchLimit: 0, dispatch: c.dispatch, onPseudo: (a) => pseudo.push(a.key) });
    const result = run.start();
    await tick();
    await c.finish("m1_start_0");
    expect(pseudo).toEqual(["g_running_0"]);
    expect(c.order).toEqual(["m1_start_0", "after_start_0"]);
    await c.finish("after_start_0");
    expect(await result).toBe("complete");
  });

  it("on an unexpected result dispatches nothing new, lets running actions finish, and ends aborted", async () => {
    const t: Transition = {
      actions: [act(1, "a_start_0"), act(2, "b_start_0"), act(3, "a_monitor_10000", { intervalMs: 10000 })],
      edges: [{ first: 1, then: 3 }],
    };
    const c = controlled();
    const run = new GraphRun(t, { batchLimit: 10, dispatch: c.dispatch });
    const result = run.start();
    await tick();
    expect(c.order).toEqual(["a_start_0", "b_start_0"]);
    await c.finish("a_start_0", false);
    expect(c.order).toEqual(["a_start_0", "b_start_0"]); // the monitor is not dispatched
    let ended = false;
    void result.then(() => (ended = true));
    await tick();
    expect(ended).toBe(false); // b is still running
    await c.finish("b_start_0");
    expect(await result).toBe("aborted");
    expect(run.abortReason).toContain("a_start_0");
  });

  it("abort() from outside stops dispatching; a graph with nothing in flight ends at once", async () => {
    const t: Transition = { actions: [act(1, "a_stop_0"), act(2, "a_start_0")], edges: [{ first: 1, then: 2 }] };
    const c = controlled();
    const run = new GraphRun(t, { batchLimit: 10, dispatch: c.dispatch });
    const result = run.start();
    await tick();
    run.abort("configuration changed");
    await c.finish("a_stop_0");
    expect(await result).toBe("aborted");
    expect(c.order).toEqual(["a_stop_0"]);
    expect(run.abortReason).toBe("configuration changed");
  });

  it("reports a graph whose ordering loops as failed instead of hanging", async () => {
    const t: Transition = {
      actions: [act(1, "a_start_0"), act(2, "b_start_0")],
      edges: [
        { first: 1, then: 2 },
        { first: 2, then: 1 },
      ],
    };
    const c = controlled();
    const run = new GraphRun(t, { batchLimit: 10, dispatch: c.dispatch });
    expect(await run.start()).toBe("failed");
    expect(c.order).toEqual([]);
  });

  it("an empty graph is complete", async () => {
    const run = new GraphRun({ actions: [], edges: [] }, { batchLimit: 1, dispatch: async () => ({ ok: true }) });
    expect(await run.start()).toBe("complete");
  });
});
