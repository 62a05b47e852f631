// Histories recorded under another resource agent are deleted, and a resource
// still running under the old agent is restarted. Expected lines were checked
// with crm_simulate 2.1.5 on the same CIBs.
import { describe, expect, it } from "vitest";
import { formatActionLine } from "./format";
import { schedule } from "./index";
import { cib } from "./test-helpers";

const NOW = { now: 1_700_000_000 };
// the test histories are recorded as ocf:heartbeat:Dummy
const nodes = [
  { name: "n1", history: { A: [["start", 0, 0, 10], ["monitor", 10000, 0, 11]], B: [["monitor", 0, 7, 12]] } },
  { name: "n2", history: { A: [["monitor", 0, 7, 2]], B: [["monitor", 0, 7, 3]] } },
] as Parameters<typeof cib>[0]["nodes"];

function run(provider: string) {
  const resources = `<primitive id="A" class="ocf" provider="${provider}" type="Dummy"><operations><op id="A-m" name="monitor" interval="10s"/></operations></primitive><primitive id="B" class="ocf" provider="${provider}" type="Dummy"/>`;
  const r = schedule(cib({ nodes, resources }), NOW);
  const line = (i: number) => formatActionLine(r.transition.actions[i]).replace(/\s+/g, " ").trim();
  const idOf = (l: string) => r.transition.actions.findIndex((_, i) => line(i) === l);
  return { r, lines: r.transition.actions.map((_, i) => line(i)), idOf, summary: r.summary.map((l) => l.replace(/\s+/g, " ").trim()) };
}

describe("resource agent changed since the history was recorded", () => {
  it("deletes the old history on every node and restarts the resource where it runs", () => {
    const { r, lines, idOf, summary } = run("pacemaker");
    expect(summary).toEqual(["* Restart A ( n1 )", "* Start B ( n2 )"]);
    for (const l of ["A delete on n1", "A delete on n2", "B delete on n1", "B delete on n2"]) expect(lines).toContain(`* Resource action: ${l}`);
    // stop (old agent) -> delete -> start (new agent)
    const edge = (a: string, b: string) => r.transition.edges.some((e) => e.first === idOf(`* Resource action: ${a}`) && e.then === idOf(`* Resource action: ${b}`));
    expect(edge("A stop on n1", "A delete on n1")).toBe(true);
    expect(edge("A delete on n1", "A start on n1")).toBe(true);
    expect(edge("B delete on n2", "B start on n2")).toBe(true);
  });

  it("with two agents configured, checks each entry against its own resource's agent", () => {
    // A keeps the agent its history was recorded with; B's agent changed (an entry recorded
    // with an agent some resource has is not thereby unchanged for its own resource)
    const resources = `<primitive id="A" class="ocf" provider="heartbeat" type="Dummy"><operations><op id="A-m" name="monitor" interval="10s"/></operations></primitive><primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/>`;
    const r = schedule(cib({ nodes, resources }), NOW);
    const lines = r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim());
    for (const l of ["B delete on n1", "B delete on n2"]) expect(lines).toContain(`* Resource action: ${l}`);
    expect(lines.some((l) => l.includes("A delete"))).toBe(false);
  });

  it("leaves histories of the configured agent alone", () => {
    const { lines } = run("heartbeat");
    expect(lines.some((l) => l.includes("delete"))).toBe(false);
  });

  it("finds an entry of another agent after entries of the one configured agent (the name table is made then)", () => {
    // all resources configured as ocf:heartbeat:Dummy, as the test histories are recorded; the
    // last entry of each node is rewritten to another provider
    const resources = ["A", "B", "C"].map((id) => `<primitive id="${id}" class="ocf" provider="heartbeat" type="Dummy"/>`).join("");
    const history = { A: [["monitor", 0, 7, 2]], B: [["monitor", 0, 7, 3]], C: [["monitor", 0, 7, 4]] } as Parameters<typeof cib>[0]["nodes"][0]["history"];
    const c = cib({ nodes: [{ name: "n1", history }, { name: "n2", history }], resources });
    for (const st of c.status) {
      const last = st.lrmResources[st.lrmResources.length - 1];
      expect(last.id).toBe("C");
      last.provider = "pacemaker";
    }
    const r = schedule(c, NOW);
    const lines = r.transition.actions.map((a) => formatActionLine(a).replace(/\s+/g, " ").trim());
    for (const l of ["C delete on n1", "C delete on n2"]) expect(lines).toContain(`* Resource action: ${l}`);
    expect(lines.some((l) => l.includes("A delete") || l.includes("B delete"))).toBe(false);
  });
});
