"use client";
import Link from "next/link";
import { useTransitions } from "../history/use-history";
import { TransitionList } from "../history/transition-list";

export function RecentTransitions() {
  const { transitions, error } = useTransitions();
  return (
    <div data-testid="recent-transitions">
      {error ? <p className="text-sm text-amber-800">Could not load transitions: {error}</p> : <TransitionList transitions={transitions} limit={5} />}
      <Link href="/history" className="mt-2 inline-block text-xs text-accent-700 hover:underline">
        Full history →
      </Link>
    </div>
  );
}
