"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ClusterState } from "@/server/scheduler/types";
import type { Resource } from "@/server/cib/types";
import { applyChange, post } from "../api";
import { useCan } from "../live-store";
import { nvMap } from "../config-view";
import { useProposeChange } from "../preview/change-runner";
import { ActionButton, Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkDuration } from "../validate";

/** Enable/disable, manage, cleanup, move/ban/clear and delete for one configured resource. */
export function ResourceActions({ rsc, state }: { rsc: Resource; state: ClusterState }) {
  const propose = useProposeChange();
  const router = useRouter();
  const canOperate = useCan("resource-move");
  const canDelete = useCan("resource-delete");
  const [node, setNode] = useState("");
  const [lifetime, setLifetime] = useState("");
  if (!canOperate) return null;
  const meta = nvMap(rsc.metaAttributes);
  const disabled = meta["target-role"] === "Stopped";
  const unmanaged = meta["is-managed"] === "false";
  const lifetimeError = checkDuration(lifetime, "lifetime");
  const target = { node: node || undefined, lifetime: lifetime || undefined };
  const id = rsc.id;
  return (
    <div className="space-y-3" data-testid="resource-actions">
      <div className="flex flex-wrap gap-2">
        {disabled ? (
          <Button data-testid="resource-enable" onClick={() => propose({ op: "resource-enable", ids: [id] }, `Enable ${id}`)}>
            Enable
          </Button>
        ) : (
          <Button data-testid="resource-disable" onClick={() => propose({ op: "resource-disable", ids: [id] }, `Disable (stop) ${id}`)}>
            Disable
          </Button>
        )}
        <Button data-testid={unmanaged ? "resource-manage" : "resource-unmanage"} onClick={() => propose({ op: "resource-manage", ids: [id], on: unmanaged }, `${unmanaged ? "Manage" : "Unmanage"} ${id}`)}>
          {unmanaged ? "Manage" : "Unmanage"}
        </Button>
        <ActionButton testId="resource-cleanup" run={() => applyChange({ op: "resource-cleanup", id })} title="Forget failures and fail-counts, re-check the resource">
          Cleanup
        </ActionButton>
        <ActionButton testId="resource-refresh" run={() => applyChange({ op: "resource-refresh", id })} title="Forget the operation history and re-probe the resource on every node">
          Refresh
        </ActionButton>
        {!disabled && (
          <ActionButton testId="resource-restart" run={() => post(`/api/resources/${encodeURIComponent(id)}/restart`)} title="Stop the resource, wait until it is stopped, then start it again">
            Restart
          </ActionButton>
        )}
        {canDelete && (
          <Button
            variant="danger"
            data-testid="resource-delete"
            onClick={async () => {
              if (await propose({ op: "resource-delete", id }, `Delete ${id} (it is stopped first)`)) router.push("/resources");
            }}
          >
            Delete
          </Button>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-3">
        <label className="text-xs text-slate-600">
          Node
          <select aria-label="node" data-testid="move-node" className={`${inputClass} mt-1 w-40`} value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">(current / any)</option>
            {state.nodes.map((n) => (
              <option key={n.uname}>{n.uname}</option>
            ))}
          </select>
        </label>
        <label className="text-xs text-slate-600">
          Lifetime
          <input aria-label="lifetime" data-testid="move-lifetime" placeholder="e.g. 1h (optional)" className={`${inputClass} mt-1 w-40`} value={lifetime} aria-invalid={!!lifetimeError} onChange={(e) => setLifetime(e.target.value.trim())} />
        </label>
        <Button data-testid="resource-move" disabled={!!lifetimeError} onClick={() => propose({ op: "resource-move", id, ...target }, `Move ${id}${node ? ` to ${node}` : " away from its node"}`)}>
          Move
        </Button>
        <Button data-testid="resource-ban" disabled={!!lifetimeError} onClick={() => propose({ op: "resource-ban", id, ...target }, `Ban ${id}${node ? ` from ${node}` : " from its current node"}`)}>
          Ban
        </Button>
        <Button data-testid="resource-clear" onClick={() => propose({ op: "resource-clear", id, node: node || undefined }, `Clear move/ban constraints of ${id}`)}>
          Clear
        </Button>
        {lifetimeError && <span className="text-xs text-red-700">{lifetimeError}</span>}
        <p className="w-full text-xs text-slate-500">Move and ban add a location constraint (cli-prefer / cli-ban); Clear removes them.</p>
      </div>
    </div>
  );
}
