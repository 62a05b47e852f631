// Lookups in the configuration part of the live document (cib.configuration).

import type { CibConfigView } from "@/server/api/contract";
import type { NvSet, Primitive, Resource } from "@/server/cib/types";

export function findConfigResource(cib: CibConfigView, id: string): { rsc: Resource; parent?: Resource } | undefined {
  for (const r of cib.configuration.resources) {
    if (r.id === id) return { rsc: r };
    if (r.kind === "group") {
      const c = r.children.find((x) => x.id === id);
      if (c) return { rsc: c, parent: r };
    }
    if (r.kind === "clone") {
      if (r.child.id === id) return { rsc: r.child, parent: r };
      if (r.child.kind === "group") {
        const c = r.child.children.find((x) => x.id === id);
        if (c) return { rsc: c, parent: r.child };
      }
    }
  }
  return undefined;
}

/** name -> value of the first (unconditional) set, as pcs shows them. */
export function nvMap(sets: NvSet[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) for (const p of s.nvpairs) if (!(p.name in out)) out[p.name] = p.value ?? "";
  return out;
}

export function agentOf(p: Primitive): string {
  return [p.class, p.provider, p.type].filter(Boolean).join(":");
}

export function allPrimitiveIds(cib: CibConfigView): string[] {
  const ids: string[] = [];
  for (const r of cib.configuration.resources) {
    ids.push(r.id);
    if (r.kind === "group") ids.push(...r.children.map((c) => c.id));
    if (r.kind === "clone") {
      ids.push(r.child.id);
      if (r.child.kind === "group") ids.push(...r.child.children.map((c) => c.id));
    }
  }
  return ids;
}

export function groupIds(cib: CibConfigView): string[] {
  return cib.configuration.resources.filter((r) => r.kind === "group").map((r) => r.id);
}

/** The group and/or clone a resource sits in, innermost first. */
export function ancestorIds(cib: CibConfigView, id: string): string[] {
  const out: string[] = [];
  let cur = findConfigResource(cib, id);
  while (cur?.parent) {
    out.push(cur.parent.id);
    cur = findConfigResource(cib, cur.parent.id);
  }
  return out;
}
