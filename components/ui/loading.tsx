"use client";
import { useEffect } from "react";
import { useLive } from "../live-store";

/** Shown until the first snapshot arrives. */
export function Loading() {
  const { connection } = useLive();
  return (
    <div data-testid="loading" className="flex items-center gap-3 py-16 text-sm text-slate-500">
      <span className="h-4 w-4 animate-spin rounded-full border-2 border-slate-400 border-r-transparent" aria-hidden />
      {connection === "reconnecting"
        ? "Cannot reach the controller. Retrying… check that `vigil daemon` (or `npm start`) is running."
        : "Connecting to the controller…"}
    </div>
  );
}

export function PageTitle({ children, sub }: { children: React.ReactNode; sub?: React.ReactNode }) {
  useEffect(() => {
    if (typeof children === "string") document.title = `${children} · Vigil`;
  }, [children]);
  return (
    <div className="mb-5">
      <h1 className="text-xl font-semibold tracking-tight text-slate-800">{children}</h1>
      {sub && <p className="mt-0.5 text-sm text-slate-500">{sub}</p>}
    </div>
  );
}
