"use client";
import { useState } from "react";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkId } from "../validate";

/**
 * Key/value editor for instance or meta attributes. `onSave` gets only the
 * changed names ("" = delete), so one save is one change.
 */
export function NvEditor({
  values,
  editable,
  testId,
  validate,
  onSave,
}: {
  values: Record<string, string>;
  editable: boolean;
  testId: string;
  validate?: (name: string, value: string) => string | null;
  onSave: (changed: Record<string, string>) => Promise<boolean>;
}) {
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [newName, setNewName] = useState("");
  const [newValue, setNewValue] = useState("");
  const rows = draft ?? values;
  const names = Object.keys(rows).sort();
  const errors: Record<string, string | null> = Object.fromEntries(names.map((n) => [n, validate?.(n, rows[n]) ?? null]));
  const newNameError = newName ? checkId(newName, names, "name") : null;
  const newValueError = newName && validate ? validate(newName, newValue) : null;
  const changed = (): Record<string, string> => {
    const out: Record<string, string> = {};
    const d = draft ?? values;
    for (const [k, v] of Object.entries(d)) if (values[k] !== v) out[k] = v;
    for (const k of Object.keys(values)) if (!(k in d)) out[k] = "";
    if (newName && !newNameError) out[newName] = newValue;
    return out;
  };
  const dirty = Object.keys(changed()).length > 0;
  const hasErrors = Object.values(errors).some(Boolean) || !!newNameError || !!newValueError;

  return (
    <div data-testid={testId}>
      {names.length === 0 && !editable && <p className="text-sm text-slate-500">None set.</p>}
      <table className="w-full text-sm">
        <tbody>
          {names.map((n) => (
            <tr key={n} className="border-t border-slate-100 first:border-t-0" data-testid={`${testId}-row-${n}`}>
              <td className="w-1/3 py-1.5 pr-3 align-top font-mono text-xs text-slate-600">{n}</td>
              <td className="py-1.5 pr-2">
                {editable ? (
                  <>
                    <input
                      aria-label={n}
                      data-testid={`${testId}-value-${n}`}
                      className={inputClass}
                      value={rows[n]}
                      aria-invalid={!!errors[n]}
                      onChange={(e) => setDraft({ ...rows, [n]: e.target.value })}
                    />
                    {errors[n] && <span className="text-xs text-red-700">{errors[n]}</span>}
                  </>
                ) : (
                  <span className="font-mono text-xs text-slate-800">{rows[n]}</span>
                )}
              </td>
              {editable && (
                <td className="w-16 py-1.5 text-right align-top">
                  <Button
                    variant="ghost"
                    aria-label={`remove ${n}`}
                    onClick={() => {
                      const next = { ...rows };
                      delete next[n];
                      setDraft(next);
                    }}
                  >
                    Remove
                  </Button>
                </td>
              )}
            </tr>
          ))}
          {editable && (
            <tr className="border-t border-slate-100">
              <td className="py-1.5 pr-3 align-top">
                <input aria-label="new name" data-testid={`${testId}-new-name`} placeholder="add name" className={inputClass} value={newName} aria-invalid={!!newNameError} onChange={(e) => setNewName(e.target.value.trim())} />
                {newNameError && <span className="text-xs text-red-700">{newNameError}</span>}
              </td>
              <td className="py-1.5 pr-2 align-top">
                <input aria-label="new value" data-testid={`${testId}-new-value`} placeholder="value" className={inputClass} value={newValue} aria-invalid={!!newValueError} onChange={(e) => setNewValue(e.target.value)} />
                {newValueError && <span className="text-xs text-red-700">{newValueError}</span>}
              </td>
              <td />
            </tr>
          )}
        </tbody>
      </table>
      {editable && (
        <div className="mt-2 flex justify-end gap-2">
          {dirty && (
            <Button
              onClick={() => {
                setDraft(null);
                setNewName("");
                setNewValue("");
              }}
            >
              Revert
            </Button>
          )}
          <Button
            variant="primary"
            data-testid={`${testId}-save`}
            disabled={!dirty || hasErrors}
            onClick={async () => {
              if (await onSave(changed())) {
                setDraft(null);
                setNewName("");
                setNewValue("");
              }
            }}
          >
            Save…
          </Button>
        </div>
      )}
    </div>
  );
}
