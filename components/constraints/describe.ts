// One readable sentence per constraint, in the words pcs uses.

import type { Constraint, ResourceSet, Rule } from "@/server/cib/types";

function setText(s: ResourceSet): string {
  const opts = [s.role && `role=${s.role}`, s.action && `action=${s.action}`, s.sequential && `sequential=${s.sequential}`].filter(Boolean);
  return `(${s.resources.join(" ")}${opts.length ? ` ${opts.join(" ")}` : ""})`;
}

function ruleText(r: Rule): string {
  const parts = r.expressions.map((e) => {
    if (e.kind === "expression") return `${e.attribute} ${e.operation}${e.value !== undefined ? ` ${e.value}` : ""}`;
    if (e.kind === "date_expression") return `date ${e.operation}${e.start ? ` ${e.start}` : ""}${e.end ? ` .. ${e.end}` : ""}`;
    if (e.kind === "rule") return `(${ruleText(e)})`;
    return e.kind;
  });
  return parts.join(` ${r.booleanOp ?? "and"} `) || "(empty rule)";
}

export function describeConstraint(c: Constraint): string {
  switch (c.kind) {
    case "location": {
      const who = c.rsc ?? (c.rscPattern ? `pattern ${c.rscPattern}` : c.sets.map(setText).join(" "));
      const role = c.role ? ` (role ${c.role})` : "";
      if (c.node) {
        const sc = c.score ?? "0";
        const verb = sc.startsWith("-") ? "avoids" : "prefers";
        return `${who}${role} ${verb} ${c.node} (score ${sc})`;
      }
      return `${who}${role} where ${c.rules.map((r) => `${ruleText(r)} (score ${r.score ?? r.scoreAttribute ?? "0"})`).join("; ")}`;
    }
    case "colocation": {
      if (c.sets.length) return `colocated set ${c.sets.map(setText).join(" ")} (score ${c.score ?? "INFINITY"})`;
      const a = `${c.rsc}${c.rscRole ? ` (${c.rscRole})` : ""}`;
      const b = `${c.withRsc}${c.withRscRole ? ` (${c.withRscRole})` : ""}`;
      const sc = c.score ?? "INFINITY";
      return `${a} ${sc.startsWith("-") ? "apart from" : "with"} ${b} (score ${sc})`;
    }
    case "order": {
      const kind = c.orderKind ?? (c.score === "0" ? "Optional" : "Mandatory");
      if (c.sets.length) return `ordered set ${c.sets.map(setText).join(" then ")} (${kind})`;
      return `${c.firstAction ?? "start"} ${c.first} then ${c.thenAction ?? c.firstAction ?? "start"} ${c.then} (${kind}${c.symmetrical === "false" ? ", not symmetrical" : ""})`;
    }
    default:
      return `${c.tag} (not supported by Vigil's scheduler)`;
  }
}
