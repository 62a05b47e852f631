// Ordered resource sets with `require-all="false"`: the next set may start once
// ANY member of this set can. As in crm_simulate, a pseudo action
// `one-or-more:SET-ID` stands for "one member can run": every member's action
// comes before it (one-or-more) and it comes before every member of the next
// set, whatever either set's `sequential`. The relaxation applies to the
// start/promote direction only; stops keep ordinary orderings. Behaviour
// checked with crm_simulate 2.1.5 on our own CIBs (set-one-or-more.test.ts).
import type { SRsc, WorkingSet } from "./model";
import { orderAfterSome } from "./clone-min";

/** Whether a set's require-all="false" relaxes the ordering from its action `firstTask`. */
export function relaxesOrdering(requireAll: boolean, firstTask: string): boolean {
  return !requireAll && firstTask !== "stop" && firstTask !== "demote";
}

/** Order each of `thens`' `thenTask` after any one of `firsts`' `firstTask`. */
export function oneOrMoreSetOrdering(
  ws: WorkingSet,
  orderId: string,
  setId: string,
  firsts: SRsc[],
  firstTask: string,
  thens: SRsc[],
  thenTask: string,
  flags: number,
): void {
  orderAfterSome(ws, orderId, `one-or-more:${setId}`, firsts, firstTask, thens, thenTask, flags, 1);
}
