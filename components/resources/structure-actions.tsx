"use client";
// Group membership and cloning of one resource: pcs resource group add/remove,
// ungroup, clone / promotable / unclone — each previewed before it applies.

import { useState } from "react";
import type { CibConfigView } from "@/server/api/contract";
import type { Resource } from "@/server/cib/types";
import { groupIds, allPrimitiveIds } from "../config-view";
import { useCan } from "../live-store";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkId } from "../validate";

export function StructureActions({ rsc, parent, cib }: { rsc: Resource; parent?: Resource; cib: CibConfigView }) {
  const can = useCan("group-add");
  const propose = useProposeChange();
  const [group, setGroup] = useState("");
  if (!can) return null;
  const groups = groupIds(cib);
  const taken = allPrimitiveIds(cib);
  const groupError = group && !groups.includes(group) ? checkId(group, taken, "group id") : null;
  const inGroup = parent?.kind === "group";
  const inClone = parent?.kind === "clone";
  return (
    <div className="flex flex-wrap items-end gap-2" data-testid="structure-actions">
      {rsc.kind === "primitive" && !inGroup && !inClone && (
        <>
          <label className="text-xs text-slate-600">
            Group
            <input
              aria-label="group"
              list="structure-groups"
              data-testid="group-name"
              placeholder="existing or new group"
              className={`${inputClass} mt-1 w-48`}
              value={group}
              aria-invalid={!!groupError}
              onChange={(e) => setGroup(e.target.value.trim())}
            />
            <datalist id="structure-groups">
              {groups.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </label>
          <Button data-testid="group-add" disabled={!group || !!groupError} onClick={() => propose({ op: "group-add", group, ids: [rsc.id] }, `Add ${rsc.id} to group ${group}`)}>
            Add to group
          </Button>
          {groupError && <span className="text-xs text-red-700">{groupError}</span>}
        </>
      )}
      {rsc.kind === "primitive" && inGroup && (
        <Button data-testid="group-remove" onClick={() => propose({ op: "group-remove", group: parent!.id, ids: [rsc.id] }, `Remove ${rsc.id} from group ${parent!.id}`)}>
          Remove from group {parent!.id}
        </Button>
      )}
      {rsc.kind === "group" && (
        <Button data-testid="ungroup" onClick={() => propose({ op: "group-remove", group: rsc.id }, `Ungroup ${rsc.id} (its members stay as resources)`)}>
          Ungroup
        </Button>
      )}
      {(rsc.kind === "primitive" || rsc.kind === "group") && !inGroup && !inClone && (
        <>
          <Button data-testid="clone" onClick={() => propose({ op: "resource-clone", id: rsc.id, meta: {} }, `Clone ${rsc.id} (one instance per node)`)}>
            Clone
          </Button>
          <Button data-testid="promotable" onClick={() => propose({ op: "resource-clone", id: rsc.id, meta: {}, promotable: true }, `Make ${rsc.id} a promotable clone`)}>
            Promotable clone
          </Button>
        </>
      )}
      {(rsc.kind === "clone" || inClone) && (
        <Button data-testid="unclone" onClick={() => propose({ op: "resource-unclone", id: rsc.kind === "clone" ? rsc.id : parent!.id }, `Unclone ${rsc.kind === "clone" ? rsc.id : parent!.id}`)}>
          Unclone
        </Button>
      )}
    </div>
  );
}
