"use client";
import { useState } from "react";
import type { ChangeInput } from "@/server/api/contract";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { checkId, checkScore } from "../validate";

type Kind = "location" | "colocation" | "order";

function Select({ value, onChange, options, testId, blank }: { value: string; onChange: (v: string) => void; options: string[]; testId: string; blank?: string }) {
  return (
    <select data-testid={testId} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{blank ?? "choose…"}</option>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
}

/** Forms for the three constraint kinds, each previewed before it is added. */
export function ConstraintForms({ resources, nodes, takenIds }: { resources: string[]; nodes: string[]; takenIds: string[] }) {
  const propose = useProposeChange();
  const [kind, setKind] = useState<Kind>("location");
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [score, setScore] = useState("");
  const [orderKind, setOrderKind] = useState<"Mandatory" | "Optional" | "Serialize">("Mandatory");
  const [id, setId] = useState("");
  const scoreError = checkScore(score);
  const idError = id ? checkId(id, takenIds, "constraint id") : null;
  const sameError = kind !== "location" && a && a === b ? "a resource cannot be constrained against itself" : null;
  const ready = a && b && !scoreError && !idError && !sameError;

  function change(): { change: ChangeInput; title: string } {
    const cid = id || undefined;
    const sc = score || undefined;
    if (kind === "location") return { change: { op: "constraint-location", rsc: a, node: b, score: sc, id: cid }, title: `${a} ${score.startsWith("-") ? "avoids" : "prefers"} ${b} (score ${score || "INFINITY"})` };
    if (kind === "colocation") return { change: { op: "constraint-colocation", rsc: a, withRsc: b, score: sc, id: cid }, title: `Colocate ${a} with ${b} (score ${score || "INFINITY"})` };
    return { change: { op: "constraint-order", first: a, then: b, kind: orderKind, id: cid }, title: `Start ${a} before ${b} (${orderKind})` };
  }

  const labels = { location: ["Resource", "Node"], colocation: ["Resource", "With resource"], order: ["First", "Then"] }[kind];
  return (
    <div data-testid="constraint-forms" className="space-y-4">
      <div className="flex gap-1 rounded-md bg-slate-100 p-1 text-sm" role="tablist">
        {(["location", "colocation", "order"] as Kind[]).map((k) => (
          <button
            key={k}
            role="tab"
            aria-selected={kind === k}
            data-testid={`constraint-kind-${k}`}
            onClick={() => {
              setKind(k);
              setB("");
            }}
            className={`flex-1 rounded px-3 py-1 capitalize ${kind === k ? "bg-white font-medium shadow-sm" : "text-slate-600"}`}
          >
            {k}
          </button>
        ))}
      </div>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <Field label={labels[0]}>
          <Select testId="constraint-a" value={a} onChange={setA} options={resources} />
        </Field>
        <Field label={labels[1]} error={sameError}>
          <Select testId="constraint-b" value={b} onChange={setB} options={kind === "location" ? nodes : resources} />
        </Field>
        {kind === "order" ? (
          <Field label="Kind" hint="Mandatory: then waits for first, and stops with it">
            <select data-testid="constraint-order-kind" className={inputClass} value={orderKind} onChange={(e) => setOrderKind(e.target.value as typeof orderKind)}>
              <option>Mandatory</option>
              <option>Optional</option>
              <option>Serialize</option>
            </select>
          </Field>
        ) : (
          <Field label="Score" error={scoreError} hint="empty = INFINITY; negative = keep apart / avoid">
            <input data-testid="constraint-score" className={inputClass} value={score} placeholder="INFINITY" aria-invalid={!!scoreError} onChange={(e) => setScore(e.target.value.trim())} />
          </Field>
        )}
        <Field label="Id" error={idError} hint="optional; generated like pcs does">
          <input data-testid="constraint-id" className={inputClass} value={id} onChange={(e) => setId(e.target.value.trim())} />
        </Field>
      </div>
      <div className="flex justify-end">
        <Button
          variant="primary"
          size="md"
          data-testid="constraint-add"
          disabled={!ready}
          onClick={async () => {
            const { change: c, title } = change();
            if (await propose(c, `Add constraint: ${title}`)) {
              setA("");
              setB("");
              setScore("");
              setId("");
            }
          }}
        >
          Preview and add…
        </Button>
      </div>
    </div>
  );
}
