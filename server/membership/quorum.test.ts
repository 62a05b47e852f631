import { describe, expect, it } from "vitest";
import { computeQuorum, EMPTY_QUORUM_MEMORY, type QuorumMember, type QuorumMemory, type QuorumOptions } from "./quorum";
import { formatQuorumStatus } from "./quorum-format";

const nodes = (online: boolean[], votes?: number[]): QuorumMember[] =>
  online.map((o, i) => ({ id: i + 1, name: `node${i + 1}`, online: o, votes: votes?.[i] }));

/** feed a sequence of memberships through computeQuorum, carrying the memory */
function run(seq: { online: boolean[]; at?: number }[], opts: QuorumOptions = {}) {
  let mem: QuorumMemory = EMPTY_QUORUM_MEMORY;
  return seq.map((s) => {
    const r = computeQuorum(nodes(s.online), opts, mem, s.at ?? 0);
    mem = r.memory;
    return r.status;
  });
}

describe("votequorum rules", () => {
  it("three nodes: quorum is 2; one lost keeps quorum, two lost lose it", () => {
    const [all, one, two] = run([{ online: [true, true, true] }, { online: [true, true, false] }, { online: [true, false, false] }]);
    expect(all).toMatchObject({ expectedVotes: 3, highestExpected: 3, totalVotes: 3, quorum: 2, quorate: true, flags: ["Quorate"] });
    expect(one).toMatchObject({ totalVotes: 2, quorum: 2, quorate: true });
    expect(two).toMatchObject({ totalVotes: 1, quorum: 2, quorate: false, flags: [] });
  });

  it("an even split has no quorum (4 nodes, 2 online)", () => {
    const [s] = run([{ online: [true, true, false, false] }]);
    expect(s).toMatchObject({ expectedVotes: 4, quorum: 3, quorate: false });
  });

  it("two_node: quorum 1 and wait_for_all implied, so one node alone at start is not quorate", () => {
    const [start, both, alone] = run([{ online: [true, false] }, { online: [true, true] }, { online: [false, true] }], { twoNode: true });
    expect(start).toMatchObject({ quorum: 1, quorate: false, waitingForAll: true, flags: ["2Node", "WaitForAll"] });
    expect(both).toMatchObject({ quorate: true, flags: ["2Node", "Quorate", "WaitForAll"] });
    expect(alone).toMatchObject({ totalVotes: 1, quorum: 1, quorate: true, flags: ["2Node", "Quorate", "WaitForAll"] });
  });

  it("two_node with wait_for_all explicitly off: one node is quorate at once", () => {
    const [s] = run([{ online: [true, false] }], { twoNode: true, waitForAll: false });
    expect(s).toMatchObject({ quorate: true, flags: ["2Node", "Quorate"] });
  });

  it("two_node is ignored unless exactly two votes are expected", () => {
    const [s] = run([{ online: [true, false, false] }], { twoNode: true });
    expect(s).toMatchObject({ twoNode: false, quorum: 2, quorate: false });
  });

  it("wait_for_all on three nodes: not quorate until all were seen together", () => {
    const [two, all, twoAgain] = run([{ online: [true, true, false] }, { online: [true, true, true] }, { online: [true, false, true] }], { waitForAll: true });
    expect(two).toMatchObject({ quorate: false, waitingForAll: true, flags: ["WaitForAll"] });
    expect(all.quorate).toBe(true);
    expect(twoAgain).toMatchObject({ quorate: true, waitingForAll: false });
  });

  it("expected_votes overrides the node count, and more votes present raise highest expected", () => {
    const [s] = run([{ online: [true, true, true] }], { expectedVotes: 5 });
    expect(s).toMatchObject({ expectedVotes: 5, highestExpected: 5, quorum: 3, quorate: true });
    const [t] = run([{ online: [true, true, true] }], { expectedVotes: 1 });
    expect(t).toMatchObject({ expectedVotes: 1, highestExpected: 3, quorum: 2 });
  });

  it("votes per node count, and bad votes are refused by name", () => {
    const r = computeQuorum(nodes([true, false, false], [3, 1, 1]), {}, EMPTY_QUORUM_MEMORY, 0);
    expect(r.status).toMatchObject({ expectedVotes: 5, totalVotes: 3, quorum: 3, quorate: true });
    expect(() => computeQuorum(nodes([true], [-1]), {})).toThrow(/node1 has invalid votes -1/);
    expect(() => computeQuorum(nodes([true]), { expectedVotes: 0 })).toThrow(/expected_votes must be/);
  });

  it("last_man_standing lowers expected votes after a stable window, never below 2", () => {
    const o: QuorumOptions = { lastManStanding: true, lastManStandingWindowMs: 10000 };
    const s = run(
      [
        { online: [true, true, true, true], at: 0 },
        { online: [true, true, true, false], at: 1000 }, // 3 of 4: quorate, window starts
        { online: [true, true, true, false], at: 11000 }, // window over: expected 3
        { online: [true, true, false, false], at: 12000 }, // 2 of 3: still quorate (quorum 2)
        { online: [true, true, false, false], at: 22000 }, // expected 2
        { online: [true, false, false, false], at: 23000 }, // 1 of 2: quorum 2 -> not quorate
        { online: [true, true, true, true], at: 24000 }, // everybody back: expected 4 again
      ],
      o,
    );
    expect(s[1]).toMatchObject({ expectedVotes: 4, quorum: 3, quorate: true, lmsRecheckInMs: 10000, flags: ["Quorate", "LastManStanding"] });
    expect(s[2]).toMatchObject({ expectedVotes: 3, quorum: 2, quorate: true });
    expect(s[3]).toMatchObject({ expectedVotes: 3, quorum: 2, quorate: true });
    expect(s[4]).toMatchObject({ expectedVotes: 2, quorum: 2, quorate: true });
    expect(s[5]).toMatchObject({ expectedVotes: 2, quorum: 2, quorate: false });
    expect(s[6]).toMatchObject({ expectedVotes: 4, quorum: 3, quorate: true });
    // without last_man_standing the same history leaves 2 of 4 without quorum
    const plain = run([{ online: [true, true, true, true] }, { online: [true, true, false, false], at: 60000 }]);
    expect(plain[1].quorate).toBe(false);
  });
});

describe("formatQuorumStatus", () => {
  it("prints corosync-quorumtool's layout", () => {
    const members = nodes([true, true, false]);
    const { status } = computeQuorum(members, {}, EMPTY_QUORUM_MEMORY, 0);
    const text = formatQuorumStatus({ status, members, ringId: "1.5", date: new Date(2026, 11, 2, 2, 51, 56) });
    expect(text).toBe(
      [
        "Quorum information",
        "------------------",
        "Date:             Wed Dec  2 02:51:56 2026",
        "Quorum provider:  corosync_votequorum",
        "Nodes:            2",
        "Node ID:          controller",
        "Ring ID:          1.5",
        "Quorate:          Yes",
        "",
        "Votequorum information",
        "----------------------",
        "Expected votes:   3",
        "Highest expected: 3",
        "Total votes:      2",
        "Quorum:           2",
        "Flags:            Quorate",
        "",
        "Membership information",
        "----------------------",
        "    Nodeid      Votes Name",
        "         1          1 node1",
        "         2          1 node2",
        "",
      ].join("\n"),
    );
  });

  it("says Activity blocked without quorum and shows 2Node flags", () => {
    const members = nodes([false, false]);
    const { status } = computeQuorum(members, { twoNode: true });
    const text = formatQuorumStatus({ status, members });
    expect(text).toContain("Quorate:          No\n");
    expect(text).toContain("Quorum:           1   Activity blocked\n");
    expect(text).toContain("Flags:            2Node WaitForAll\n");
  });
});
