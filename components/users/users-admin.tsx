"use client";
// Users (admin / operator / read-only) and API tokens, e.g. the read-only
// token behind a NOC wall-screen link. Lists are fetched once and after each
// change made here; they are not part of the live cluster document.

import { useCallback, useEffect, useState } from "react";
import type { UserRole } from "@/server/api/contract";
import { api } from "../api";
import { Button, ActionButton, errorText } from "../ui/button";
import { Card } from "../ui/card";
import { Field, inputClass } from "../ui/field";

interface Named {
  name: string;
  role: UserRole;
  createdAt: number;
}

const ROLES: UserRole[] = ["admin", "operator", "read-only"];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function useList(path: string, key: "users" | "tokens") {
  const [items, setItems] = useState<Named[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<Record<string, Named[]>>("GET", path).then(
      (r) => (setItems(r[key] ?? []), setError(null)),
      (e) => setError(errorText(e)),
    );
  }, [path, key]);
  useEffect(reload, [reload]);
  return { items, error, reload };
}

function when(ms: number) {
  // createdAt may be seconds or ms
  return new Date(ms < 1e12 ? ms * 1000 : ms).toLocaleString();
}

export function UsersAdmin({ me }: { me?: string }) {
  const users = useList("/api/users", "users");
  const tokens = useList("/api/tokens", "tokens");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<UserRole>("operator");
  const [formError, setFormError] = useState<string | null>(null);
  const [tokenName, setTokenName] = useState("noc-wall");
  const [newToken, setNewToken] = useState<{ name: string; token: string } | null>(null);
  const nameError = name && !NAME_RE.test(name) ? "letters, digits, _ . - (start with a letter or _)" : users.items.some((u) => u.name === name) ? `user ${name} already exists` : null;
  const pwError = password && password.length < 8 ? "at least 8 characters" : null;

  return (
    <div className="space-y-5">
      <Card title="Users">
        {users.error && <p role="alert" className="mb-2 text-sm text-red-700">{users.error}</p>}
        <table className="w-full text-left text-sm" data-testid="users-table">
          <thead className="text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="py-1.5 pr-3 font-medium">User</th>
              <th className="py-1.5 pr-3 font-medium">Role</th>
              <th className="py-1.5 pr-3 font-medium">Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.items.map((u) => (
              <tr key={u.name} className="border-t border-slate-100" data-testid={`user-${u.name}`}>
                <td className="py-1.5 pr-3 font-medium">{u.name}</td>
                <td className="py-1.5 pr-3">{u.role}</td>
                <td className="py-1.5 pr-3 text-xs text-slate-500">{when(u.createdAt)}</td>
                <td className="py-1.5 text-right">
                  {u.name !== me && (
                    <ActionButton variant="danger" testId={`user-delete-${u.name}`} run={async () => (await api("DELETE", `/api/users/${encodeURIComponent(u.name)}`), users.reload())}>
                      Delete
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          className="mt-4 grid grid-cols-1 items-start gap-3 md:grid-cols-4"
          onSubmit={async (e) => {
            e.preventDefault();
            setFormError(null);
            try {
              await api("POST", "/api/users", { name, password, role });
              setName("");
              setPassword("");
              users.reload();
            } catch (err) {
              setFormError(errorText(err));
            }
          }}
        >
          <Field label="New user" error={nameError}>
            <input data-testid="user-new-name" className={inputClass} value={name} onChange={(e) => setName(e.target.value.trim())} />
          </Field>
          <Field label="Password" error={pwError}>
            <input data-testid="user-new-password" type="password" autoComplete="new-password" className={inputClass} value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <Field label="Role" hint="operators run the cluster; admins also configure it">
            <select data-testid="user-new-role" className={inputClass} value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </Field>
          <div className="pt-5">
            <Button type="submit" variant="primary" size="md" data-testid="user-add" disabled={!name || !password || !!nameError || !!pwError}>
              Add user
            </Button>
          </div>
          {formError && (
            <p role="alert" className="text-sm text-red-700 md:col-span-4">
              {formError}
            </p>
          )}
        </form>
      </Card>

      <Card title="API tokens">
        {tokens.error && <p role="alert" className="mb-2 text-sm text-red-700">{tokens.error}</p>}
        {tokens.items.length === 0 ? (
          <p className="text-sm text-slate-500">No API tokens.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="tokens">
            {tokens.items.map((t) => (
              <li key={t.name} className="flex items-center gap-3 py-1.5 text-sm">
                <span className="flex-1 font-medium">{t.name}</span>
                <span className="text-slate-600">{t.role}</span>
                <span className="text-xs text-slate-500">{when(t.createdAt)}</span>
                <ActionButton variant="danger" run={async () => (await api("DELETE", `/api/tokens/${encodeURIComponent(t.name)}`), tokens.reload())}>
                  Revoke
                </ActionButton>
              </li>
            ))}
          </ul>
        )}
        <div className="mt-4 flex items-end gap-3">
          <Field label="Read-only token for a NOC screen">
            <input data-testid="token-new-name" className={inputClass} value={tokenName} onChange={(e) => setTokenName(e.target.value.trim())} />
          </Field>
          <ActionButton
            testId="token-add"
            disabled={!/^[A-Za-z0-9_.-]{1,64}$/.test(tokenName)}
            run={async () => {
              const r = await api<{ name: string; token: string }>("POST", "/api/tokens", { name: tokenName, role: "read-only" });
              setNewToken(r);
              tokens.reload();
            }}
          >
            Create NOC link
          </ActionButton>
        </div>
        {newToken && (
          <div className="mt-3 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="token-link">
            Open this link on the wall screen (shown once; revoke the token to disable it):
            <code className="mt-1 block break-all select-all">{`${location.origin}/noc?token=${encodeURIComponent(newToken.token)}`}</code>
          </div>
        )}
      </Card>
    </div>
  );
}
