"use client";
import { useState } from "react";
import type { ChangeInput } from "@/server/api/contract";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkBoolean, checkDuration, checkScore } from "../validate";
import type { PropInfo } from "./catalog";

function check(p: PropInfo | undefined, v: string): string | null {
  if (!p || v === "") return null;
  switch (p.type) {
    case "boolean":
      return checkBoolean(v);
    case "duration":
      return checkDuration(v, p.name);
    case "integer":
      return checkScore(v);
    case "enum":
      return p.values?.includes(v) ? null : `${p.name} must be one of ${p.values?.join(", ")}`;
    default:
      return null;
  }
}

function Row({
  name,
  info,
  value,
  editable,
  onSet,
  onUnset,
}: {
  name: string;
  info?: PropInfo;
  value: string | undefined;
  editable: boolean;
  onSet: (v: string) => void;
  onUnset: () => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? value ?? "";
  const err = check(info, shown);
  const dirty = draft !== null && draft !== (value ?? "");
  return (
    <tr className="border-t border-slate-100 align-top" data-testid={`prop-row-${name}`}>
      <td className="py-2 pr-3">
        <div className="font-mono text-xs font-medium text-slate-800">{name}</div>
        {info && <div className="mt-0.5 max-w-xl text-xs text-slate-500">{info.description}</div>}
      </td>
      <td className="w-28 py-2 pr-3 font-mono text-xs text-slate-400">{info?.default || ""}</td>
      <td className="w-64 py-2 pr-3">
        {editable ? (
          info?.type === "enum" || info?.type === "boolean" ? (
            <select data-testid={`prop-value-${name}`} className={inputClass} value={shown} onChange={(e) => setDraft(e.target.value)}>
              <option value="">(default)</option>
              {(info.type === "boolean" ? ["true", "false"] : info.values ?? []).map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          ) : (
            <input data-testid={`prop-value-${name}`} className={inputClass} value={shown} placeholder="(default)" aria-invalid={!!err} onChange={(e) => setDraft(e.target.value.trim())} />
          )
        ) : (
          <span className="font-mono text-xs">{value ?? ""}</span>
        )}
        {err && <span className="text-xs text-red-700">{err}</span>}
      </td>
      <td className="w-40 py-2 text-right whitespace-nowrap">
        {editable && dirty && (
          <Button
            variant="primary"
            data-testid={`prop-save-${name}`}
            disabled={!!err}
            onClick={() => {
              if (shown === "") onUnset();
              else onSet(shown);
              setDraft(null);
            }}
          >
            Save…
          </Button>
        )}
        {editable && !dirty && value !== undefined && (
          <Button variant="ghost" data-testid={`prop-unset-${name}`} onClick={onUnset}>
            Reset
          </Button>
        )}
      </td>
    </tr>
  );
}

/** A table of known options (with descriptions and defaults) plus any other set ones. */
export function PropertyTable({
  catalog,
  values,
  editable,
  toChange,
  what,
  testId,
}: {
  catalog: PropInfo[];
  values: Record<string, string>;
  editable: boolean;
  toChange: (name: string, value: string | null) => ChangeInput;
  what: string;
  testId: string;
}) {
  const propose = useProposeChange();
  const extra = Object.keys(values).filter((n) => !catalog.some((c) => c.name === n) && !["dc-version", "cluster-infrastructure", "have-watchdog", "last-lrm-refresh"].includes(n));
  return (
    <table className="w-full text-left text-sm" data-testid={testId}>
      <thead className="text-xs tracking-wide text-slate-500 uppercase">
        <tr>
          <th className="py-1.5 pr-3 font-medium">Name</th>
          <th className="py-1.5 pr-3 font-medium">Default</th>
          <th className="py-1.5 pr-3 font-medium">Value</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {[...catalog.map((c) => c.name), ...extra].map((name) => (
          <Row
            key={name}
            name={name}
            info={catalog.find((c) => c.name === name)}
            value={values[name]}
            editable={editable}
            onSet={(v) => propose(toChange(name, v), `Set ${what} ${name}=${v}`)}
            onUnset={() => propose(toChange(name, null), `Reset ${what} ${name} to its default`)}
          />
        ))}
      </tbody>
    </table>
  );
}
