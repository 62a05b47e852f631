// `vigil quorum status`: corosync-quorumtool's layout (what `pcs quorum status` prints).
//
//   formatQuorumStatus({ status, members, ringId: "1.7", date: new Date() }) -> text
//
// The controller is not a cluster node, so there is no "(local)" member; the Node ID line
// names the DC's view ("Node ID: controller") unless localNodeId is given.

import type { QuorumMember, QuorumStatus } from "./quorum";

export interface QuorumReport {
  status: QuorumStatus;
  members: QuorumMember[];
  /** "<lowest online node id>.<membership generation>" as corosync's ring id */
  ringId?: string;
  date?: Date;
  localNodeId?: number;
}

function corosyncDate(d: Date): string {
  // ctime(3) without the newline, e.g. "Wed Dec  2 02:51:56 2026"
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getDay()]} ${months[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}`;
}

export function formatQuorumStatus(r: QuorumReport): string {
  const s = r.status;
  const L: string[] = [];
  L.push("Quorum information", "------------------");
  L.push(`Date:             ${corosyncDate(r.date ?? new Date())}`);
  L.push("Quorum provider:  corosync_votequorum");
  L.push(`Nodes:            ${s.nodes}`);
  L.push(`Node ID:          ${r.localNodeId ?? "controller"}`);
  L.push(`Ring ID:          ${r.ringId ?? "0.0"}`);
  L.push(`Quorate:          ${s.quorate ? "Yes" : "No"}`);
  L.push("");
  L.push("Votequorum information", "----------------------");
  L.push(`Expected votes:   ${s.expectedVotes}`);
  L.push(`Highest expected: ${s.highestExpected}`);
  L.push(`Total votes:      ${s.totalVotes}`);
  L.push(`Quorum:           ${String(s.quorum).padEnd(3)} ${s.quorate ? "" : "Activity blocked"}`.trimEnd());
  L.push(`Flags:            ${s.flags.join(" ")}`.trimEnd());
  L.push("");
  L.push("Membership information", "----------------------");
  L.push(`${"Nodeid".padStart(10)} ${"Votes".padStart(10)} Name`);
  for (const m of [...r.members].filter((x) => x.online).sort((a, b) => a.id - b.id)) {
    L.push(`${String(m.id).padStart(10)} ${String(m.votes ?? 1).padStart(10)} ${m.name}${r.localNodeId === m.id ? " (local)" : ""}`);
  }
  return L.join("\n") + "\n";
}
