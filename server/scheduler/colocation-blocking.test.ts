// A primary whose start becomes unrunnable blocks the starts of its mandatory
// colocation dependents. Expected lines were checked with crm_simulate 2.1.5 on
// the same CIBs.
import { describe, expect, it } from "vitest";
import { schedule } from "./index";
import { cib, dummy, meta, probedStopped, running } from "./test-helpers";

const NOW = { now: 1_700_000_000 };

function run(colocationScore: string) {
  const c = cib({
    nodes: [
      { name: "n1", history: { A: running(10), B: running(20), C: running(30) } },
      { name: "n2", history: { A: probedStopped(1), B: probedStopped(2), C: probedStopped(3) } },
    ],
    // A is disabled; B must start after A; C must run with B
    resources: dummy("A", meta("A", { "target-role": "Stopped" })) + dummy("B") + dummy("C"),
    constraints: `<rsc_order id="o1" first="A" then="B" kind="Mandatory"/><rsc_colocation id="c1" rsc="C" with-rsc="B" score="${colocationScore}"/>`,
  });
  const r = schedule(c, NOW);
  return { summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()), ran: r.transition.actions.map((a) => `${a.task} ${a.rsc} ${a.node}`) };
}

describe("colocation with a primary that cannot start", () => {
  it("stops the dependent too, naming the colocation", () => {
    const { summary, ran } = run("INFINITY");
    expect(summary).toContain("* Stop C ( n1 ) due to colocation with B");
    expect(summary.filter((l) => l.startsWith("* Stop")).map((l) => l.split(" ")[2])).toEqual(["A", "B", "C"]);
    expect(ran.sort()).toEqual(["stop A n1", "stop B n1", "stop C n1"]);
  });

  it("an advisory colocation does not stop the dependent", () => {
    const { summary } = run("500");
    expect(summary.some((l) => l.startsWith("* Stop C "))).toBe(false);
  });
});
