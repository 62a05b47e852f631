// Orderings after a clone that need only some of its instances: the clone's
// `clone-min` meta attribute, or the older `require-all="false"` on the
// ordering (the same as clone-min=1). The "then" action may run once that many
// instances' "first" actions can run; the instances are not paired with the
// dependent's (no interleaving). A pseudo action `clone-one-or-more:ORDER-ID`
// stands for "enough instances", as in crm_simulate's output. Behaviour
// checked with crm_simulate 2.1.5 on our own CIBs (clone-min.test.ts).
import { O, type SAction, type SRsc, type WorkingSet } from "./model";
import { customAction } from "./actions";
import { F_OPTIONAL, F_RUNNABLE, flagsOf } from "./graph";
import { isTrue } from "./score";

/** How many instances of `first` an ordering after it needs (0: an ordinary ordering). */
export function minimumFirstInstances(first: SRsc, requireAll: string | undefined): number {
  if (first.variant !== "clone") return 0;
  const cloneMin = first.meta["clone-min"];
  // a clone-min that is set decides, even when it is not a positive number
  if (cloneMin !== undefined) return Math.max(0, Number.parseInt(cloneMin, 10) || 0);
  if (requireAll !== undefined && !isTrue(requireAll)) return 1;
  return 0;
}

/** Order `then`'s action after `min` instances of clone `first` can do `firstTask`. */
export function cloneMinOrdering(ws: WorkingSet, id: string, first: SRsc, firstTask: string, then: SRsc, thenTask: string, flags: number, min: number): void {
  orderAfterSome(ws, id, `clone-one-or-more:${id}`, first.children, firstTask, [then], thenTask, flags, min);
}

/**
 * Order each of `thens`' `thenTask` after `min` of `firsts`' `firstTask` can run, through the
 * pseudo action `task` (clone-min here, require-all=false sets in set-one-or-more.ts).
 */
export function orderAfterSome(
  ws: WorkingSet,
  orderId: string,
  task: string,
  firsts: SRsc[],
  firstTask: string,
  thens: SRsc[],
  thenTask: string,
  flags: number,
  min: number,
): void {
  const met = customAction(ws, undefined, task, undefined, true, { pseudo: true, key: task });
  met.requiredRunnableBefore = min;
  met.oneOrMoreMet = true;
  for (const f of firsts) ws.orders.push({ id: orderId, firstRsc: f, firstTask, thenAction: met, thenTask: task, flags: O.oneOrMore });
  for (const t of thens) ws.orders.push({ id: orderId, firstAction: met, firstTask: task, thenRsc: t, thenTask, flags: flags | O.runnableLeft });
}

/** Such a pseudo action is shown in the transition once an instance's action before it is required. */
export function showOneOrMoreMet(actions: SAction[]): void {
  for (const a of actions) {
    if (a.oneOrMoreMet && a.before.some((e) => (flagsOf(e.first) & (F_OPTIONAL | F_RUNNABLE)) === F_RUNNABLE)) a.printAlways = true;
  }
}
