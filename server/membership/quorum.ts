// Quorum: corosync votequorum's rules over host votes, as a pure function.
//
//   const { status, memory } = computeQuorum(members, { twoNode: true }, memory, now);
//   status.quorate, status.quorum, status.flags  // e.g. ["2Node", "Quorate", "WaitForAll"]
//
// Rules (votequorum(5)):
// - expected votes: the configured expected_votes, else the sum of every configured node's votes;
//   "highest expected" is never below the votes currently present (a bigger membership raises it).
// - quorum = floor(highest expected / 2) + 1; quorate while total votes (online members) >= quorum.
// - two_node: only with exactly 2 expected votes; quorum is 1; it turns wait_for_all on unless
//   wait_for_all is set to false explicitly.
// - wait_for_all: not quorate until every expected vote has been present at the same time once
//   (remembered in `memory`; a controller restart forgets it, like a full corosync restart).
// - last_man_standing: after the membership has been stable and quorate for the window
//   (default 10 s), expected votes drop to the votes present (never below 2), so the
//   cluster can shrink one step at a time down to two nodes.
// Nothing here reads a clock: `now` is an argument and the memory is returned.

export interface QuorumOptions {
  /** votequorum expected_votes; default: the sum of configured votes */
  expectedVotes?: number;
  twoNode?: boolean;
  /** default: twoNode */
  waitForAll?: boolean;
  lastManStanding?: boolean;
  /** last_man_standing_window [10000] */
  lastManStandingWindowMs?: number;
}

export interface QuorumMember {
  id: number;
  name: string;
  /** quorum votes [1] */
  votes?: number;
  online: boolean;
}

/** What votequorum remembers between membership changes. */
export interface QuorumMemory {
  waitForAllSatisfied: boolean;
  /** expected votes lowered by last_man_standing */
  lmsExpected?: number;
  /** membership (set of online ids) at the last call, and since when it has been so */
  membershipKey?: string;
  stableSince?: number;
}

export interface QuorumStatus {
  /** online members */
  nodes: number;
  expectedVotes: number;
  highestExpected: number;
  totalVotes: number;
  quorum: number;
  quorate: boolean;
  twoNode: boolean;
  waitForAll: boolean;
  /** wait_for_all is still waiting for every node */
  waitingForAll: boolean;
  lastManStanding: boolean;
  /** corosync-quorumtool's order: 2Node Quorate WaitForAll LastManStanding */
  flags: string[];
  /** ms until last_man_standing may lower expected votes (undefined: nothing pending) */
  lmsRecheckInMs?: number;
}

export const EMPTY_QUORUM_MEMORY: QuorumMemory = { waitForAllSatisfied: false };

function votesOf(m: QuorumMember): number {
  const v = m.votes ?? 1;
  if (!Number.isInteger(v) || v < 0) throw new Error(`quorum: node ${m.name} has invalid votes ${m.votes} (a whole number >= 0)`);
  return v;
}

export function validateQuorumOptions(o: QuorumOptions): void {
  if (o.expectedVotes !== undefined && (!Number.isInteger(o.expectedVotes) || o.expectedVotes < 1)) {
    throw new Error(`quorum: expected_votes must be a whole number >= 1 (got ${o.expectedVotes})`);
  }
  if (o.lastManStandingWindowMs !== undefined && !(o.lastManStandingWindowMs >= 0)) {
    throw new Error(`quorum: last_man_standing_window must be >= 0 (got ${o.lastManStandingWindowMs})`);
  }
}

export function computeQuorum(
  members: QuorumMember[],
  opts: QuorumOptions = {},
  memory: QuorumMemory = EMPTY_QUORUM_MEMORY,
  now = 0,
): { status: QuorumStatus; memory: QuorumMemory } {
  validateQuorumOptions(opts);
  const configured = members.reduce((s, m) => s + votesOf(m), 0);
  const online = members.filter((m) => m.online);
  const totalVotes = online.reduce((s, m) => s + votesOf(m), 0);
  let expectedVotes = opts.expectedVotes ?? configured;
  const twoNode = !!opts.twoNode && expectedVotes === 2;
  const waitForAll = opts.waitForAll ?? twoNode;
  const mem: QuorumMemory = { ...memory };

  // last_man_standing: track how long this exact membership has lasted
  const key = online.map((m) => m.id).sort((a, b) => a - b).join(",");
  if (mem.membershipKey !== key) {
    mem.membershipKey = key;
    mem.stableSince = now;
  }
  if (opts.lastManStanding && mem.lmsExpected !== undefined) {
    // a bigger membership raises expected votes again
    expectedVotes = Math.min(expectedVotes, Math.max(mem.lmsExpected, totalVotes));
  } else if (!opts.lastManStanding) {
    delete mem.lmsExpected;
  }

  const highestExpected = Math.max(expectedVotes, totalVotes);
  const quorum = twoNode ? 1 : Math.floor(highestExpected / 2) + 1;

  if (totalVotes >= highestExpected && highestExpected > 0) mem.waitForAllSatisfied = true;
  const waitingForAll = waitForAll && !mem.waitForAllSatisfied;
  let quorate = totalVotes >= quorum && totalVotes > 0 && !waitingForAll;

  let lmsRecheckInMs: number | undefined;
  if (opts.lastManStanding && quorate && totalVotes < expectedVotes && totalVotes >= 2) {
    const window = opts.lastManStandingWindowMs ?? 10000;
    const stableFor = now - (mem.stableSince ?? now);
    if (stableFor >= window) {
      mem.lmsExpected = totalVotes;
      expectedVotes = totalVotes;
    } else {
      lmsRecheckInMs = window - stableFor;
    }
  }
  const highest2 = Math.max(expectedVotes, totalVotes);
  const quorum2 = twoNode ? 1 : Math.floor(highest2 / 2) + 1;
  quorate = totalVotes >= quorum2 && totalVotes > 0 && !waitingForAll;

  const flags: string[] = [];
  if (twoNode) flags.push("2Node");
  if (quorate) flags.push("Quorate");
  if (waitForAll) flags.push("WaitForAll");
  if (opts.lastManStanding) flags.push("LastManStanding");
  return {
    status: {
      nodes: online.length,
      expectedVotes,
      highestExpected: highest2,
      totalVotes,
      quorum: quorum2,
      quorate,
      twoNode,
      waitForAll,
      waitingForAll,
      lastManStanding: !!opts.lastManStanding,
      flags,
      lmsRecheckInMs,
    },
    memory: mem,
  };
}
