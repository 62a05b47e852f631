// Minimal votequorum rule for the local membership, until server/membership
// provides the shared one: one vote per configured member node; quorate while
// more than half of the expected votes are present (two_node: either of two).

export interface QuorumInput {
  expectedVotes: number;
  votes: number;
  twoNode?: boolean;
}

export function hasQuorum({ expectedVotes, votes, twoNode }: QuorumInput): boolean {
  if (expectedVotes <= 0) return votes > 0;
  if (twoNode && expectedVotes === 2) return votes >= 1;
  return votes > Math.floor(expectedVotes / 2);
}
