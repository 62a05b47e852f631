"use client";
import { useLive } from "@/components/live-store";
import { UsersAdmin } from "@/components/users/users-admin";
import { PageTitle } from "@/components/ui/loading";

export default function UsersPage() {
  const { role, user } = useLive();
  return (
    <div data-testid="users-page" className="space-y-5">
      <PageTitle sub="Who may read, operate or configure the cluster; tokens for scripts and NOC screens.">Users</PageTitle>
      {role === "admin" ? (
        <UsersAdmin me={user} />
      ) : (
        <p className="text-sm text-slate-600">Only admins manage users. You are signed in as {user ?? "…"} ({role ?? "…"}).</p>
      )}
    </div>
  );
}
