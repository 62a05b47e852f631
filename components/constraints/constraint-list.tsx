"use client";
import type { Constraint } from "@/server/cib/types";
import { useCan } from "../live-store";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { describeConstraint } from "./describe";

const kindStyle: Record<Constraint["kind"], string> = {
  location: "bg-sky-50 text-sky-800",
  colocation: "bg-violet-50 text-violet-800",
  order: "bg-amber-50 text-amber-800",
  unsupported: "bg-slate-100 text-slate-600",
};

export function ConstraintList({ constraints, editable = false }: { constraints: Constraint[]; editable?: boolean }) {
  const can = useCan("constraint-delete");
  const propose = useProposeChange();
  if (!constraints.length) return <p className="text-sm text-slate-500">No constraints: resources may run on any node.</p>;
  return (
    <ul data-testid="constraint-list" className="divide-y divide-slate-100">
      {constraints.map((c) => (
        <li key={c.id} data-testid={`constraint-${c.id}`} className="flex items-center gap-3 py-2">
          <span className={`w-20 shrink-0 rounded px-1.5 py-0.5 text-center text-xs font-medium ${kindStyle[c.kind]}`}>{c.kind}</span>
          <span className="min-w-0 flex-1">
            <span className="block text-sm text-slate-700">{describeConstraint(c)}</span>
            <span className="block truncate font-mono text-[11px] text-slate-400">{c.id}</span>
          </span>
          {editable && can && (
            <Button
              variant="danger"
              data-testid={`constraint-delete-${c.id}`}
              onClick={() => propose({ op: "constraint-delete", id: c.id }, `Delete constraint ${c.id}`)}
            >
              Delete
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
