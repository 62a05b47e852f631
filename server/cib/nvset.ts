// Helpers for name/value sets (meta_attributes, instance_attributes, utilization,
// cluster_property_set). They never evaluate rules: the scheduler does that with
// the node and the time it knows. All helpers return new arrays; inputs are not mutated.
import type { NvPair, NvSet } from "./types";

export type NvSetKind = "meta_attributes" | "instance_attributes" | "utilization" | "cluster_property_set";

/** Value of `name` from the first set (document order) holding an nvpair with that name. */
export function nvGet(sets: readonly NvSet[] | undefined, name: string): string | undefined {
  const p = nvFind(sets, name);
  return p?.pair.value;
}

/** The first nvpair called `name` and the set holding it. */
export function nvFind(
  sets: readonly NvSet[] | undefined,
  name: string,
): { set: NvSet; setIndex: number; pair: NvPair } | undefined {
  if (!sets) return undefined;
  for (let i = 0; i < sets.length; i++) {
    const pair = sets[i].nvpairs.find((p) => p.name === name);
    if (pair) return { set: sets[i], setIndex: i, pair };
  }
  return undefined;
}

/** All name -> value of the sets, first set winning (as nvGet), nvpairs without value skipped. */
export function nvToRecord(sets: readonly NvSet[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const s of sets ?? []) {
    for (const p of s.nvpairs) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      if (p.value !== undefined) out[p.name] = p.value;
    }
  }
  return out;
}

/** An id that is not in `used`: base, then base-1, base-2 ... (pcs' rule). */
export function uniqueId(base: string, used?: ReadonlySet<string>): string {
  if (!used || !used.has(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base}-${i}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** pcs-style set id: `<owner>-meta_attributes`. cluster_property_set uses pcs' "cib-bootstrap-options". */
export function nvSetIdFor(ownerId: string, setKind: NvSetKind): string {
  if (setKind === "cluster_property_set") return ownerId || "cib-bootstrap-options";
  return `${ownerId}-${setKind}`;
}

/**
 * Set `name` to `value`. If some set already holds `name`, that nvpair changes (in place of
 * the first one, keeping its id). Otherwise the nvpair goes into the first plain set (no rule,
 * no id-ref), created as `<owner>-<setKind>` if needed, with id `<set id>-<name>`
 * (pcs: `<owner>-meta_attributes-<name>`). `usedIds` (all ids of the CIB) keeps new ids unique;
 * new ids are added to it.
 */
export function nvSet(
  sets: readonly NvSet[],
  ownerId: string,
  setKind: NvSetKind,
  name: string,
  value: string,
  usedIds?: Set<string>,
): NvSet[] {
  const found = nvFind(sets, name);
  if (found) {
    return sets.map((s, i) =>
      i !== found.setIndex
        ? s
        : { ...s, nvpairs: s.nvpairs.map((p) => (p === found.pair ? { ...p, value } : p)) },
    );
  }
  const target = sets.findIndex((s) => !s.rule && !s.idRef);
  const out = [...sets];
  let set: NvSet;
  if (target >= 0) {
    set = out[target];
  } else {
    const id = uniqueId(nvSetIdFor(ownerId, setKind), usedIds);
    usedIds?.add(id);
    set = { id, nvpairs: [] };
  }
  const pairId = uniqueId(sanitizeId(`${set.id}-${name}`), usedIds);
  usedIds?.add(pairId);
  const updated: NvSet = { ...set, nvpairs: [...set.nvpairs, { id: pairId, name, value }] };
  if (target >= 0) out[target] = updated;
  else out.push(updated);
  return out;
}

/** Remove every nvpair called `name` from the sets (the sets themselves stay, keeping their ids). */
export function nvUnset(sets: readonly NvSet[], name: string): NvSet[] {
  return sets.map((s) =>
    s.nvpairs.some((p) => p.name === name) ? { ...s, nvpairs: s.nvpairs.filter((p) => p.name !== name) } : s,
  );
}

/** XML ids may not hold spaces and some punctuation; pcs replaces them. */
export function sanitizeId(id: string): string {
  let s = id.replace(/[^A-Za-z0-9_.\-]/g, "_");
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  return s;
}
