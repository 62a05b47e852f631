// The allocation scores recorded during assignment (what `-s` prints), kept compact:
// one record holds a snapshot of a resource's node scores, and the AllocationScore
// objects are made only when the scores are read. Most schedules never read them,
// and at 32 nodes × 1000 resources they are 60 000 objects.
import type { AllocationScore } from "./types";
import type { SNode, Weights } from "./model";
import { INFINITY } from "./score";

interface Snapshot {
  scope: string;
  rsc: string;
  /** nodes in the order they are printed */
  nodes: readonly SNode[];
  /** score per node of `nodes` at the time of recording; undefined: no score for that node */
  values: (number | undefined)[];
}

export class ScoreLog {
  private readonly entries: (Snapshot | AllocationScore)[] = [];

  /** The scores `weights` has for `nodes` now (nodes without a score are left out when read). */
  snapshot(scope: string, rsc: string, nodes: readonly SNode[], weights: Weights): void {
    const values = new Array<number | undefined>(nodes.length);
    for (let i = 0; i < nodes.length; i++) values[i] = weights.get(nodes[i]);
    this.entries.push({ scope, rsc, nodes, values });
  }

  push(score: AllocationScore): void {
    this.entries.push(score);
  }

  /** Every score in the order recorded, as the scores of a ScheduleResult. */
  toArray(): AllocationScore[] {
    const out: AllocationScore[] = [];
    for (const e of this.entries) {
      if (!("values" in e)) {
        out.push(e);
        continue;
      }
      for (let i = 0; i < e.nodes.length; i++) {
        const s = e.values[i];
        // below -INFINITY only as a marker during merges: printed as -INFINITY
        if (s !== undefined) out.push({ scope: e.scope, rsc: e.rsc, node: e.nodes[i].uname, score: Math.max(s, -INFINITY) });
      }
    }
    return out;
  }
}
