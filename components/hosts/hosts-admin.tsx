"use client";
// The Hosts page: the SSH hosts of a real cluster, adding them (with the host
// key shown and confirmed), removing and fencing them, and the fence history.
// On the embedded demo there are no SSH hosts: the page says so instead of
// offering a form that could only fail.

import { useState } from "react";
import { useLive } from "../live-store";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { AddHostForm } from "./add-host-form";
import { FencingHistory } from "./fencing-history";
import { HostList } from "./host-list";
import { useFencing, useHosts } from "./use-hosts";

export function DemoHostsNote() {
  const names = useLive().doc?.state.nodes.map((n) => n.uname) ?? [];
  return (
    <div data-testid="hosts-demo" className="rounded-lg border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-950">
      <p className="font-medium">
        This is the embedded demo cluster: its nodes{names.length ? ` (${names.join(", ")})` : ""} are built in and run on this machine, so there are no SSH hosts to add here.
      </p>
      <p className="mt-1">
        To manage real hosts, start the controller with <code className="rounded bg-white px-1 font-mono">VIGIL_HOSTS=1 npm start</code>; then add each host on this page (or
        with <code className="rounded bg-white px-1 font-mono">vigil host add NAME addr=ADDRESS</code>).
      </p>
    </div>
  );
}

export function HostsAdmin() {
  const { role } = useLive();
  const admin = role === "admin";
  const hosts = useHosts();
  const fencing = useFencing();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const reloadAll = () => {
    void hosts.reload();
    void fencing.reload();
  };

  if (hosts.mode === "loading") return <p className="text-sm text-slate-500" data-testid="hosts-loading">Reading the host list…</p>;
  if (hosts.mode === "demo") return <DemoHostsNote />;
  return (
    <div className="space-y-5">
      <Card
        title="Hosts"
        testId="hosts-card"
        actions={
          <>
            <Button onClick={reloadAll} data-testid="hosts-refresh" title="read the list again (it is also read whenever membership changes)">
              Refresh
            </Button>
            {admin && !adding && (
              <Button variant="primary" data-testid="host-add" onClick={() => (setAdded(null), setAdding(true))}>
                Add host
              </Button>
            )}
          </>
        }
      >
        {hosts.error && (
          <p role="alert" className="mb-2 text-sm text-red-700">
            Could not read the host list: {hosts.error}
          </p>
        )}
        {added && (
          <p role="status" data-testid="host-added" className="mb-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {added}
          </p>
        )}
        <HostList hosts={hosts.hosts} readAt={hosts.readAt} admin={admin} onChanged={reloadAll} />
      </Card>
      {admin && adding && (
        <Card title="Add host" testId="add-host-card">
          <AddHostForm
            onCancel={() => setAdding(false)}
            onAdded={(h) => {
              setAdding(false);
              setAdded(`Host ${h.name} added with ${h.hostKeyType} key ${h.hostKeyFingerprint} pinned.`);
              reloadAll();
            }}
          />
        </Card>
      )}
      <Card title="Fencing history" testId="fencing-card">
        {fencing.error && <p role="alert" className="mb-2 text-sm text-red-700">Could not read the fence history: {fencing.error}</p>}
        <FencingHistory history={fencing.history} />
      </Card>
    </div>
  );
}
