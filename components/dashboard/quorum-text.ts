// Words for quorum with votes, shared by the dashboard and the NOC wall:
// "Quorate · 3 of 3 votes, quorum 2" (corosync-quorumtool's Total votes /
// Expected votes / Quorum). Without the numbers (an older controller) only the state.
import type { ClusterState } from "@/server/scheduler/types";

export function quorumWord(state: ClusterState): string {
  return state.haveQuorum ? "Quorate" : "No quorum";
}

/** "3 of 3 votes, quorum 2"; "" when the controller sent no votes */
export function quorumVotesText(state: ClusterState): string {
  const q = state.quorum;
  if (!q) return "";
  const extra = q.flags.filter((f) => f !== "Quorate");
  return `${q.votes} of ${q.expectedVotes} vote${q.expectedVotes === 1 ? "" : "s"}, quorum ${q.quorum}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}
