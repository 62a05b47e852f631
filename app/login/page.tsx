"use client";
import { Suspense, useState } from "react";
import { useSearchParams } from "next/navigation";
import { ApiError, post, setCsrfToken } from "@/components/api";
import { Button } from "@/components/ui/button";
import { Logo } from "@/components/shell/logo";
import type { SessionResponse } from "@/server/api/contract";

function loginError(e: unknown): string {
  if (!(e instanceof ApiError)) return "Something went wrong while signing in. Reload the page and try again.";
  if (e.status === 401)
    return "Wrong user name or password. The first admin is \"hacluster\"; its generated password is in $VIGIL_STATE_DIR/initial-admin-password on the controller.";
  if (e.status === 429) return e.message || "Too many failed attempts. Wait a minute, then try again.";
  return e.message;
}

/** Only same-site paths, so a crafted link cannot send the user elsewhere after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

function LoginForm() {
  const params = useSearchParams();
  const [user, setUser] = useState("hacluster");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!user.trim() || !password) {
      setError("Enter both a user name and a password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await post<SessionResponse>("/api/login", { user: user.trim(), password });
      setCsrfToken(s.csrfToken);
      location.assign(safeNext(params.get("next")));
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="login-form" noValidate>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">User</span>
        <input
          name="user"
          data-testid="login-user"
          autoComplete="username"
          value={user}
          onChange={(e) => setUser(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Password</span>
        <input
          name="password"
          type="password"
          data-testid="login-password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-accent-500 focus:ring-2 focus:ring-accent-100 focus:outline-none"
        />
      </label>
      {error && (
        <p role="alert" data-testid="login-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" size="md" className="w-full" disabled={busy} data-testid="login-submit">
        {busy ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-100 to-slate-200 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <Logo className="h-9 w-9" />
          <span className="text-2xl font-semibold tracking-tight text-slate-800">Vigil</span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-md">
          <h1 className="mb-1 text-lg font-semibold text-slate-800">Sign in to the cluster console</h1>
          <p className="mb-5 text-sm text-slate-500">Use a Vigil user, e.g. the admin created at first start.</p>
          <Suspense>
            <LoginForm />
          </Suspense>
        </div>
      </div>
    </main>
  );
}
