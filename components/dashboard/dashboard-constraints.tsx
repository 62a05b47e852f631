"use client";
// The dashboard's constraint card: the first few, with a link to all of them.
// A big cluster has hundreds; the dashboard is a summary, /constraints lists them all.
import { memo } from "react";
import Link from "next/link";
import type { Constraint } from "@/server/cib/types";
import { ConstraintList } from "../constraints/constraint-list";

export const DASHBOARD_CONSTRAINTS = 20;

export const DashboardConstraints = memo(function DashboardConstraints({ constraints }: { constraints: Constraint[] }) {
  const shown = constraints.length > DASHBOARD_CONSTRAINTS ? constraints.slice(0, DASHBOARD_CONSTRAINTS) : constraints;
  return (
    <div data-testid="dashboard-constraints" data-total={constraints.length}>
      <ConstraintList constraints={shown} />
      {constraints.length > DASHBOARD_CONSTRAINTS && (
        <Link href="/constraints" data-testid="dashboard-constraints-more" className="mt-2 inline-block text-xs text-accent-700 hover:underline">
          All {constraints.length} constraints →
        </Link>
      )}
    </div>
  );
});
