"use client";
import { useLive } from "../live-store";

/** Says plainly when what you see may be stale. */
export function ConnectionBanner() {
  const { connection, problem, doc } = useLive();
  let text: string | null = null;
  if (connection === "reconnecting")
    text = doc ? "Reconnecting… the view below may be out of date until the connection to the controller is back." : "Reconnecting… cannot reach the controller yet. Check that it is running.";
  else if (connection === "resyncing") text = "Catching up with the controller…";
  else if (connection === "connecting" && !doc) text = null; // the pages show their own loading state
  const msg = text ?? problem;
  if (!msg) return null;
  return (
    <div
      role="status"
      data-testid="connection-banner"
      data-connection={connection}
      className="flex items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900"
    >
      <span className="h-2 w-2 animate-pulse rounded-full bg-amber-500" aria-hidden />
      {msg}
    </div>
  );
}
