"use client";
import { useState } from "react";
import type { NodeView } from "@/server/scheduler/types";
import { useCan } from "../live-store";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { checkId } from "../validate";

/** Node attributes (configured and transient) with add / change / delete. */
export function NodeAttributes({ node }: { node: NodeView }) {
  const can = useCan("node-attribute");
  const propose = useProposeChange();
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const entries = Object.entries(node.attributes).sort(([a], [b]) => a.localeCompare(b));
  const nameError = name ? checkId(name, [], "attribute name") : null;
  return (
    <div data-testid={`node-attributes-${node.uname}`}>
      {entries.length ? (
        <table className="w-full text-sm">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k} data-testid={`node-attr-${node.uname}-${k}`} className="border-t border-slate-100">
                <td className="py-1 pr-3 font-mono text-xs text-slate-600">{k}</td>
                <td className="py-1 pr-3 font-mono text-xs text-slate-800">{v}</td>
                <td className="py-1 text-right">
                  {can && !k.startsWith("#") && !k.startsWith("fail-count-") && !k.startsWith("last-failure-") && (
                    <Button variant="ghost" onClick={() => propose({ op: "node-attribute", node: node.uname, name: k, value: "" }, `Delete attribute ${k} of ${node.uname}`)}>
                      Delete
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-xs text-slate-400">No node attributes.</p>
      )}
      {can && (
        <form
          className="mt-2 flex items-start gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!name || nameError) return;
            const ok = await propose({ op: "node-attribute", node: node.uname, name, value }, `Set attribute ${name}=${value} on ${node.uname}`);
            if (ok) {
              setName("");
              setValue("");
            }
          }}
        >
          <div className="flex-1">
            <input aria-label="attribute name" data-testid={`node-attr-name-${node.uname}`} placeholder="name" className={inputClass} value={name} aria-invalid={!!nameError} onChange={(e) => setName(e.target.value.trim())} />
            {nameError && <span className="text-xs text-red-700">{nameError}</span>}
          </div>
          <input aria-label="attribute value" data-testid={`node-attr-value-${node.uname}`} placeholder="value" className={`${inputClass} flex-1`} value={value} onChange={(e) => setValue(e.target.value)} />
          <Button type="submit" disabled={!name || !!nameError} data-testid={`node-attr-set-${node.uname}`}>
            Set
          </Button>
        </form>
      )}
    </div>
  );
}
