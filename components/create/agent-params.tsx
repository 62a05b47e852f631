"use client";
// A form built from an agent's meta-data (GET /api/agents/:name): one field per
// parameter, required ones marked, defaults as placeholders, descriptions as hints.

import { useEffect, useState } from "react";
import type { AgentDescription, AgentParamDescription } from "@/server/api/contract";
import { api } from "../api";
import { errorText } from "../ui/button";
import { Field, inputClass } from "../ui/field";

// the API contract's types: the form reads exactly what GET /api/agents/:name sends
export type AgentParamInfo = AgentParamDescription;
export type AgentInfo = AgentDescription;

export function useAgentInfo(agent: string): { info: AgentInfo | null; error: string | null } {
  const [state, setState] = useState<{ agent: string; info: AgentInfo | null; error: string | null }>({ agent: "", info: null, error: null });
  useEffect(() => {
    if (!/^[a-z]+:/.test(agent)) return;
    let alive = true;
    const t = setTimeout(() => {
      api<{ agent: AgentInfo }>("GET", `/api/agents/${encodeURIComponent(agent)}`).then(
        (r) => alive && setState({ agent, info: r.agent, error: null }),
        (e) => alive && setState({ agent, info: null, error: errorText(e) }),
      );
    }, 250); // wait until the user stops typing
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [agent]);
  return state.agent === agent ? state : { info: null, error: null };
}

export function checkAgentParam(p: AgentParamInfo, v: string): string | null {
  if (!v) return p.required ? `${p.name} is required by the agent` : null;
  if ((p.type === "integer" || p.type === "int") && !/^-?\d+$/.test(v)) return `${p.name} must be a whole number`;
  if (p.type === "boolean" && !/^(true|false|yes|no|1|0|on|off)$/i.test(v)) return `${p.name} must be true or false`;
  if (p.values?.length && !p.values.includes(v)) return `${p.name} must be one of ${p.values.join(", ")}`;
  return null;
}

export function AgentParams({ info, values, onChange }: { info: AgentInfo; values: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const params = [...(info.params ?? [])].sort((a, b) => Number(b.required) - Number(a.required));
  if (!params.length) return <p className="text-sm text-slate-500">This agent takes no parameters.</p>;
  return (
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2" data-testid="agent-params">
      {params.map((p) => (
        <Field
          key={p.name}
          label={
            <>
              {p.name}
              {p.required && <span className="text-red-600"> *</span>}
              {p.unique && <span className="ml-1 text-slate-400">(unique)</span>}
              {p.shortdesc && <span className="ml-1 font-normal text-slate-500">— {p.shortdesc}</span>}
            </>
          }
          error={checkAgentParam(p, values[p.name] ?? "")}
          hint={p.longdesc && p.longdesc !== p.shortdesc ? p.longdesc.slice(0, 240) : undefined}
        >
          {p.values?.length ? (
            <select data-testid={`agent-param-${p.name}`} className={inputClass} value={values[p.name] ?? ""} onChange={(e) => onChange({ ...values, [p.name]: e.target.value })}>
              <option value="">{p.default ? `(default: ${p.default})` : "(not set)"}</option>
              {p.values.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          ) : (
            <input data-testid={`agent-param-${p.name}`} className={inputClass} placeholder={p.default ?? ""} value={values[p.name] ?? ""} onChange={(e) => onChange({ ...values, [p.name]: e.target.value })} />
          )}
        </Field>
      ))}
    </div>
  );
}
