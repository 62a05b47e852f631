"use client";
// The operation editor pcs-web-ui lacks: add, remove and change an operation's
// interval, timeout, on-fail and role, each one change previewed before it is applied.

import { useState } from "react";
import type { Operation } from "@/server/cib/types";
import type { OpSpec } from "@/server/api/contract";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkDuration, checkRequired } from "../validate";
import { TableHead } from "../ui/table-head";

const OP_NAMES = ["monitor", "start", "stop", "promote", "demote", "notify", "migrate_to", "migrate_from", "reload"];
const ON_FAIL = ["", "ignore", "block", "stop", "restart", "standby", "fence", "demote"];

interface Draft {
  name: string;
  interval: string;
  timeout: string;
  onFail: string;
  role: string;
}

const fromOp = (o: Operation): Draft => ({ name: o.name, interval: o.interval, timeout: o.timeout ?? "", onFail: o.onFail ?? "", role: o.role ?? "" });

function spec(d: Draft): OpSpec {
  const attrs: Record<string, string> = { interval: d.interval || "0s" };
  if (d.timeout) attrs.timeout = d.timeout;
  if (d.onFail) attrs["on-fail"] = d.onFail;
  if (d.role) attrs.role = d.role;
  return { name: d.name, attrs };
}

function errorsOf(d: Draft) {
  return {
    name: checkRequired(d.name, "operation name"),
    interval: checkDuration(d.interval, "interval"),
    timeout: checkDuration(d.timeout, "timeout"),
  };
}

function OpForm({ draft, setDraft, testId, fixedName }: { draft: Draft; setDraft: (d: Draft) => void; testId: string; fixedName?: boolean }) {
  const err = errorsOf(draft);
  return (
    <>
      <td className="py-1.5 pr-2 align-top">
        {fixedName ? (
          <span className="font-medium text-slate-800" data-testid={`${testId}-name`} title="the action of an operation is fixed; remove it and add another to change it">
            {draft.name}
          </span>
        ) : (
        <select aria-label="operation" data-testid={`${testId}-name`} className={inputClass} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })}>
          {OP_NAMES.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        )}
      </td>
      <td className="py-1.5 pr-2 align-top">
        <input aria-label="interval" data-testid={`${testId}-interval`} className={inputClass} value={draft.interval} aria-invalid={!!err.interval} onChange={(e) => setDraft({ ...draft, interval: e.target.value.trim() })} placeholder="10s" />
        {err.interval && <span className="text-xs text-red-700">{err.interval}</span>}
      </td>
      <td className="py-1.5 pr-2 align-top">
        <input aria-label="timeout" data-testid={`${testId}-timeout`} className={inputClass} value={draft.timeout} aria-invalid={!!err.timeout} onChange={(e) => setDraft({ ...draft, timeout: e.target.value.trim() })} placeholder="20s" />
        {err.timeout && <span className="text-xs text-red-700">{err.timeout}</span>}
      </td>
      <td className="py-1.5 pr-2 align-top">
        <select aria-label="on-fail" data-testid={`${testId}-onfail`} className={inputClass} value={draft.onFail} onChange={(e) => setDraft({ ...draft, onFail: e.target.value })}>
          {ON_FAIL.map((n) => (
            <option key={n} value={n}>
              {n || "(default)"}
            </option>
          ))}
        </select>
      </td>
      <td className="py-1.5 pr-2 align-top">
        <select aria-label="role" className={inputClass} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
          {["", "Promoted", "Unpromoted"].map((n) => (
            <option key={n} value={n}>
              {n || "(any)"}
            </option>
          ))}
        </select>
      </td>
    </>
  );
}

/** pcs option -> new value for what the admin changed ("" removes the option). */
function changedOptions(op: Operation, d: Draft): Record<string, string> {
  const before = fromOp(op);
  const set: Record<string, string> = {};
  if (d.interval !== before.interval) set.interval = d.interval || "0s";
  if (d.timeout !== before.timeout) set.timeout = d.timeout;
  if (d.onFail !== before.onFail) set["on-fail"] = d.onFail;
  if (d.role !== before.role) set.role = d.role;
  return set;
}

const valid = (d: Draft) => !Object.values(errorsOf(d)).some(Boolean);

export function OperationsEditor({ rscId, ops, editable }: { rscId: string; ops: Operation[]; editable: boolean }) {
  const propose = useProposeChange();
  const [editing, setEditing] = useState<{ id: string; draft: Draft } | null>(null);
  const [adding, setAdding] = useState<Draft | null>(null);

  // One change (resource-op-update): one preview, one Apply, one CIB write.
  async function saveEdit(op: Operation, d: Draft) {
    const set = changedOptions(op, d);
    if (!Object.keys(set).length) return setEditing(null);
    const what = Object.entries(set).map(([k, v]) => (v ? `${k}=${v}` : `no ${k}`)).join(", ");
    if (await propose({ op: "resource-op-update", id: rscId, opId: op.id, set }, `Change operation ${op.name} interval=${op.interval} of ${rscId}: ${what}`)) setEditing(null);
  }

  return (
    <div className="overflow-x-auto" data-testid="operations">
      <table className="w-full text-left text-sm">
        <TableHead columns={["Action", "Interval", "Timeout", "On fail", "Role", ""]} pad="pr-2" />
        <tbody>
          {ops.map((o) =>
            editing?.id === o.id ? (
              <tr key={o.id} className="border-t border-slate-100" data-testid={`op-row-${o.id}`}>
                <OpForm draft={editing.draft} setDraft={(d) => setEditing({ id: o.id, draft: d })} testId="op-edit" fixedName />
                <td className="py-1.5 text-right align-top whitespace-nowrap">
                  <Button onClick={() => setEditing(null)}>Cancel</Button>{" "}
                  <Button variant="primary" data-testid="op-edit-save" disabled={!valid(editing.draft)} onClick={() => saveEdit(o, editing.draft)}>
                    Save…
                  </Button>
                </td>
              </tr>
            ) : (
              <tr key={o.id} className="border-t border-slate-100" data-testid={`op-row-${o.id}`}>
                <td className="py-1.5 pr-2 font-medium text-slate-800">{o.name}</td>
                <td className="py-1.5 pr-2 font-mono text-xs" data-testid={`op-interval-${o.id}`}>
                  {o.interval}
                </td>
                <td className="py-1.5 pr-2 font-mono text-xs">{o.timeout ?? ""}</td>
                <td className="py-1.5 pr-2 font-mono text-xs">{o.onFail ?? ""}</td>
                <td className="py-1.5 pr-2 font-mono text-xs">{o.role ?? ""}</td>
                <td className="py-1.5 text-right whitespace-nowrap">
                  {editable && (
                    <>
                      <Button variant="ghost" data-testid={`op-edit-${o.id}`} onClick={() => setEditing({ id: o.id, draft: fromOp(o) })}>
                        Edit
                      </Button>
                      <Button variant="ghost" data-testid={`op-delete-${o.id}`} onClick={() => propose({ op: "resource-op-delete", id: rscId, opId: o.id }, `Remove operation ${o.name} interval=${o.interval} from ${rscId}`)}>
                        Remove
                      </Button>
                    </>
                  )}
                </td>
              </tr>
            ),
          )}
          {ops.length === 0 && (
            <tr>
              <td colSpan={6} className="py-2 text-sm text-slate-500">
                No operations: the resource is never monitored. Add a monitor so failures are noticed.
              </td>
            </tr>
          )}
          {adding && (
            <tr className="border-t border-slate-100">
              <OpForm draft={adding} setDraft={setAdding} testId="op-add" />
              <td className="py-1.5 text-right align-top whitespace-nowrap">
                <Button onClick={() => setAdding(null)}>Cancel</Button>{" "}
                <Button
                  variant="primary"
                  data-testid="op-add-save"
                  disabled={!valid(adding)}
                  onClick={async () => {
                    if (await propose({ op: "resource-op-add", id: rscId, opSpec: spec(adding) }, `Add operation ${adding.name} interval=${adding.interval} to ${rscId}`)) setAdding(null);
                  }}
                >
                  Add…
                </Button>
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {editable && !adding && (
        <Button className="mt-2" data-testid="op-add" onClick={() => setAdding({ name: "monitor", interval: "10s", timeout: "20s", onFail: "", role: "" })}>
          Add operation
        </Button>
      )}
    </div>
  );
}
