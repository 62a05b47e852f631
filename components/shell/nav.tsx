"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { Logo } from "./logo";
import { useLiveSelect } from "../live-store";
import { post } from "../api";

const items = [
  { href: "/", label: "Dashboard" },
  { href: "/nodes", label: "Nodes" },
  { href: "/hosts", label: "Hosts" },
  { href: "/resources", label: "Resources" },
  { href: "/constraints", label: "Constraints" },
  { href: "/properties", label: "Properties" },
  { href: "/history", label: "History" },
  { href: "/users", label: "Users" },
];

/**
 * The other pages are prefetched once the first snapshot is on screen and the
 * page is idle, not as soon as the links are visible: right after hydration
 * eight route prefetches (RSC payloads and their chunks) took the main thread
 * while the dashboard was rendering the snapshot.
 */
function usePrefetchWhenLive() {
  const router = useRouter();
  const live = useLiveSelect((v) => v.doc !== null);
  useEffect(() => {
    if (!live) return;
    const prefetch = () => items.forEach((it) => router.prefetch(it.href));
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(prefetch, { timeout: 2000 });
      return () => cancelIdleCallback(id);
    }
    const t = setTimeout(prefetch, 200);
    return () => clearTimeout(t);
  }, [live, router]);
}

const selectConnection = (v: { connection: string }) => v.connection;
const selectUser = (v: { user?: string }) => v.user;
const selectRole = (v: { role?: string }) => v.role;

function LiveDot() {
  const connection = useLiveSelect(selectConnection);
  const live = connection === "live";
  return (
    <span data-testid="live-indicator" data-connection={connection} className="flex items-center gap-1.5 text-xs text-slate-400">
      <span className={`h-2 w-2 rounded-full ${live ? "bg-emerald-400" : "animate-pulse bg-amber-400"}`} aria-hidden />
      {live ? "live" : connection === "reconnecting" ? "reconnecting" : "connecting"}
    </span>
  );
}

export function Nav() {
  const path = usePathname();
  // only what the nav shows: it does not re-render on every patch and event
  const user = useLiveSelect(selectUser);
  const role = useLiveSelect(selectRole);
  usePrefetchWhenLive();
  return (
    <aside className="flex w-52 shrink-0 flex-col bg-slate-900 text-slate-200">
      <div className="flex items-center gap-2 px-4 py-4">
        <Logo />
        <span className="text-lg font-semibold tracking-tight text-white">Vigil</span>
      </div>
      <div className="px-4 pb-3">
        <LiveDot />
      </div>
      <nav className="flex-1 space-y-0.5 px-2">
        {items.map((it) => {
          const active = it.href === "/" ? path === "/" : path.startsWith(it.href);
          return (
            <Link
              key={it.href}
              href={it.href}
              prefetch={false}
              data-testid={`nav-${it.label.toLowerCase()}`}
              className={`block rounded-md px-3 py-1.5 text-sm ${active ? "bg-slate-700/70 font-medium text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white"}`}
            >
              {it.label}
            </Link>
          );
        })}
        <a href="/noc" target="_blank" rel="noreferrer" className="block rounded-md px-3 py-1.5 text-sm text-slate-300 hover:bg-slate-800 hover:text-white">
          NOC screen ↗
        </a>
      </nav>
      <div className="border-t border-slate-800 px-4 py-3 text-xs text-slate-400">
        {user && (
          <div className="mb-2" data-testid="current-user">
            <span className="text-slate-200">{user}</span> · {role}
          </div>
        )}
        <button
          data-testid="logout"
          className="text-slate-300 underline-offset-2 hover:underline"
          onClick={async () => {
            try {
              await post("/api/logout");
            } finally {
              location.assign("/login");
            }
          }}
        >
          Sign out
        </button>
      </div>
    </aside>
  );
}
