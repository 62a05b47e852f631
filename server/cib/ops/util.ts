// Small immutable helpers shared by the operations.
import { CibError } from "../errors";
import { allConfigIds, findNodeByUname, findResourceHit } from "../find";
import type { Cib, CibNode, Configuration, Resource } from "../types";
import { isValidScore } from "../values";

export function withConfig(cib: Cib, patch: Partial<Configuration>): Cib {
  return { ...cib, configuration: { ...cib.configuration, ...patch } };
}

/** XML NCName-ish id check, as Pacemaker's schema requires. */
export function checkId(id: string, field: string, what = "id"): void {
  if (!/^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(id)) {
    throw new CibError(
      `invalid ${what} '${id}': it must start with a letter or '_' and contain only letters, digits, '_', '.', '-'`,
      { field, elementId: id, code: "bad-id" },
    );
  }
}

export function checkNewId(cib: Cib, id: string, field: string, what = "id"): void {
  checkId(id, field, what);
  if (allConfigIds(cib).has(id)) {
    throw new CibError(`'${id}' already exists`, { field, elementId: id, code: "duplicate-id" });
  }
}

export function requireResource(cib: Cib, id: string, field = "id") {
  const hit = findResourceHit(cib, id);
  if (!hit) throw new CibError(`Resource '${id}' does not exist`, { field, elementId: id, code: "unknown-resource" });
  return hit;
}

export function requireNode(cib: Cib, uname: string, field = "node"): CibNode {
  const n = findNodeByUname(cib, uname);
  if (!n) {
    throw new CibError(`Node '${uname}' does not appear to exist in configuration`, {
      field,
      elementId: uname,
      code: "unknown-node",
    });
  }
  return n;
}

export function checkScore(score: string, field = "score"): void {
  if (!isValidScore(score)) {
    throw new CibError(`invalid score '${score}': use an integer, INFINITY or -INFINITY`, { field, code: "bad-score" });
  }
}

/** Replaces the resource with this id (at any depth) by f(resource); f returning null removes it. */
export function mapResource(resources: Resource[], id: string, f: (r: Resource) => Resource | null): Resource[] {
  const out: Resource[] = [];
  for (const r of resources) {
    if (r.id === id) {
      const n = f(r);
      if (n) out.push(n);
      continue;
    }
    if (r.kind === "group") {
      const children = mapResource(r.children, id, f) as typeof r.children;
      out.push(children === r.children ? r : { ...r, children });
    } else if (r.kind === "clone") {
      const mapped = mapResource([r.child], id, f);
      if (mapped.length === 0) continue; // clone of a deleted child goes too
      out.push(mapped[0] === r.child ? r : { ...r, child: mapped[0] as typeof r.child });
    } else out.push(r);
  }
  // keep identity when nothing changed (cheap change detection upstream)
  return out.length === resources.length && out.every((r, i) => r === resources[i]) ? resources : out;
}

/** "INFINITY" / "-INFINITY" / "100" normalised the way pcs writes ids and scores. */
export function normScore(s: string): string {
  const t = s.trim();
  if (/^\+?INFINITY$/i.test(t)) return "INFINITY";
  if (/^-INFINITY$/i.test(t)) return "-INFINITY";
  return t.replace(/^\+/, "");
}
