"use client";
import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import type { CibConfigView, ChangeInput } from "@/server/api/contract";
import { api } from "../api";
import { allPrimitiveIds, groupIds } from "../config-view";
import { useProposeChange } from "../preview/change-runner";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { Field, inputClass } from "../ui/field";
import { checkDuration, checkId } from "../validate";
import { PRESETS, checkParam, type Preset } from "./presets";
import { AgentParams, checkAgentParam, useAgentInfo } from "./agent-params";

interface Draft {
  id: string;
  agent: string;
  params: Record<string, string>;
  monitor: string;
}

function draftsFor(p: Preset, taken: string[]): Draft[] {
  return p.resources.map((r) => {
    let id = r.id;
    for (let i = 2; taken.includes(id); i++) id = `${r.id}${i}`;
    return {
      id,
      agent: r.agent,
      params: Object.fromEntries(r.params.map((x) => [x.name, x.default ?? ""])),
      monitor: r.ops.find((o) => o.name === "monitor")?.attrs.interval ?? "10s",
    };
  });
}

/** "name=value" lines -> map, with the first bad line reported. */
function parseParamLines(text: string): { params: Record<string, string>; error: string | null } {
  const params: Record<string, string> = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const [i, l] of lines.entries()) {
    const m = l.match(/^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/);
    if (!m) return { params, error: `line ${i + 1}: write name=value (got "${l}")` };
    params[m[1]] = m[2];
  }
  return { params, error: null };
}

export function CreateWizard({ cib }: { cib: CibConfigView }) {
  const router = useRouter();
  const propose = useProposeChange();
  const taken = useMemo(() => allPrimitiveIds(cib), [cib]);
  const groups = useMemo(() => groupIds(cib), [cib]);
  const [presetKey, setPresetKey] = useState<string>("vip");
  const preset = PRESETS.find((p) => p.key === presetKey);
  const [drafts, setDrafts] = useState<Draft[]>(() => draftsFor(PRESETS[0], taken));
  const [group, setGroup] = useState(PRESETS[0].group ?? "");
  const [disabled, setDisabled] = useState(false);
  const [cloneMode, setCloneMode] = useState<"" | "clone" | "promotable">("");
  const [customText, setCustomText] = useState("");
  const [agents, setAgents] = useState<string[]>([]);

  useEffect(() => {
    api<{ agents: string[] }>("GET", "/api/agents").then(
      (r) => setAgents(r.agents),
      () => setAgents([]),
    );
  }, []);

  function choose(key: string) {
    setPresetKey(key);
    const p = PRESETS.find((x) => x.key === key);
    if (p) {
      setDrafts(draftsFor(p, taken));
      setGroup(p.group ?? "");
    } else {
      setDrafts([{ id: "", agent: "", params: {}, monitor: "10s" }]);
      setGroup("");
      setMetaValues({});
    }
  }

  const [metaValues, setMetaValues] = useState<Record<string, string>>({});
  const agentInfo = useAgentInfo(preset ? "" : (drafts[0]?.agent ?? ""));
  const extra = parseParamLines(customText);
  const metaMonitor = agentInfo.info?.actions?.find((a) => a.name === "monitor" && !a.role)?.interval;
  useEffect(() => {
    // operations prefilled from the agent's meta-data
    if (metaMonitor) setDrafts((ds) => ds.map((d, i) => (i === 0 ? { ...d, monitor: metaMonitor } : d)));
  }, [metaMonitor]);
  const metaErrors = (agentInfo.info?.params ?? []).map((p) => checkAgentParam(p, metaValues[p.name] ?? "")).filter(Boolean);
  const custom = {
    params: { ...Object.fromEntries(Object.entries(metaValues).filter(([, v]) => v !== "")), ...extra.params },
    error: extra.error ?? (metaErrors[0] as string | undefined) ?? null,
  };
  const ids = drafts.map((d) => d.id);
  const errors = drafts.map((d, i) => ({
    id: checkId(d.id, [...taken, ...ids.slice(0, i)], "resource id"),
    agent: d.agent ? (/^[a-z]+(:[A-Za-z0-9_.-]+){1,2}$|^[A-Za-z0-9_.-]+$/.test(d.agent) ? null : `agent "${d.agent}": write class:provider:type, e.g. ocf:heartbeat:IPaddr2`) : "agent is required",
    monitor: checkDuration(d.monitor, "monitor interval"),
    params: preset ? Object.fromEntries(preset.resources[i].params.map((p) => [p.name, checkParam(p, d.params[p.name] ?? "")])) : {},
  }));
  const groupError = group ? (ids.includes(group) ? "the group needs its own id" : groups.includes(group) ? null : checkId(group, taken, "group id")) : null;
  const invalid =
    errors.some((e) => e.id || e.agent || e.monitor || Object.values(e.params).some(Boolean)) || !!groupError || (!preset && !!custom.error);

  async function submit() {
    for (const [i, d] of drafts.entries()) {
      const params = preset ? Object.fromEntries(Object.entries(d.params).filter(([, v]) => v !== "")) : custom.params;
      const change: ChangeInput = {
        op: "resource-create",
        id: d.id,
        agent: d.agent,
        params,
        ops: d.monitor ? [{ name: "monitor", attrs: { interval: d.monitor } }] : [],
        group: group || undefined,
        disabled: disabled || undefined,
        clone: cloneMode && !group ? { meta: {}, promotable: cloneMode === "promotable" || undefined } : undefined,
      };
      const n = drafts.length > 1 ? ` (${i + 1} of ${drafts.length})` : "";
      if (!(await propose(change, `Create ${d.id} (${d.agent})${group ? ` in group ${group}` : ""}${n}`))) return;
    }
    router.push(`/resources/${encodeURIComponent(group || drafts[0].id)}`);
  }

  const set = (i: number, patch: Partial<Draft>) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  return (
    <div className="space-y-5" data-testid="create-wizard">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-3 xl:grid-cols-6">
        {[...PRESETS, { key: "custom", title: "Custom", description: "Any agent; you fill in the parameters." }].map((p) => (
          <button
            key={p.key}
            data-testid={`preset-${p.key}`}
            aria-pressed={presetKey === p.key}
            onClick={() => choose(p.key)}
            className={`rounded-lg border p-3 text-left transition ${presetKey === p.key ? "border-accent-500 bg-accent-50 ring-2 ring-accent-100" : "border-slate-200 bg-white hover:border-slate-300"}`}
          >
            <div className="text-sm font-semibold text-slate-800">{p.title}</div>
            <div className="mt-1 text-xs text-slate-500">{p.description}</div>
          </button>
        ))}
      </div>

      {drafts.map((d, i) => (
        <Card key={i} title={preset ? `${preset.resources[i].agent}` : "Resource"}>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
            <Field label="Resource id" error={errors[i].id}>
              <input data-testid={`create-id-${i}`} className={inputClass} value={d.id} aria-invalid={!!errors[i].id} onChange={(e) => set(i, { id: e.target.value.trim() })} />
            </Field>
            {!preset && (
              <Field label="Agent" error={errors[i].agent} hint="class:provider:type">
                <input data-testid="create-agent" list="agent-list" className={inputClass} value={d.agent} onChange={(e) => set(i, { agent: e.target.value.trim() })} placeholder="ocf:heartbeat:IPaddr2" />
                <datalist id="agent-list">
                  {agents.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </Field>
            )}
            <Field label="Monitor interval" error={errors[i].monitor} hint="empty = no recurring monitor">
              <input data-testid={`create-monitor-${i}`} className={inputClass} value={d.monitor} onChange={(e) => set(i, { monitor: e.target.value.trim() })} />
            </Field>
            {preset?.resources[i].params.map((p) => (
              <Field key={p.name} label={`${p.label}${p.required ? " *" : ""} (${p.name})`} error={errors[i].params[p.name]} hint={p.hint}>
                <input
                  data-testid={`create-param-${i}-${p.name}`}
                  className={inputClass}
                  value={d.params[p.name] ?? ""}
                  aria-invalid={!!errors[i].params[p.name]}
                  onChange={(e) => set(i, { params: { ...d.params, [p.name]: e.target.value.trim() } })}
                />
              </Field>
            ))}
          </div>
          {!preset && agentInfo.error && (
            <p role="alert" className="mt-3 text-sm text-amber-800" data-testid="agent-error">
              {agentInfo.error}
            </p>
          )}
          {!preset && agentInfo.info && (
            <div className="mt-4">
              <AgentParams info={agentInfo.info} values={metaValues} onChange={setMetaValues} />
            </div>
          )}
          {!preset && (
            <div className="mt-4">
              <Field label={agentInfo.info ? "Other instance attributes" : "Instance attributes"} error={extra.error} hint="one name=value per line (OCF_RESKEY_name)">
                <textarea data-testid="create-params" rows={4} className={`${inputClass} font-mono`} value={customText} onChange={(e) => setCustomText(e.target.value)} />
              </Field>
            </div>
          )}
        </Card>
      ))}

      <Card title="Placement">
        <div className="grid grid-cols-1 items-end gap-4 md:grid-cols-3">
          <Field label="Group" error={groupError} hint={preset?.group ? "members run on one node, started in order" : "optional: an existing group or a new one"}>
            <input data-testid="create-group" list="group-list" className={inputClass} value={group} onChange={(e) => setGroup(e.target.value.trim())} />
            <datalist id="group-list">
              {groups.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </Field>
          <Field label="Run on" hint={group ? "a grouped resource cannot be cloned on its own" : "clone: one instance on every node"}>
            <select data-testid="create-clone" className={inputClass} value={group ? "" : cloneMode} disabled={!!group} onChange={(e) => setCloneMode(e.target.value as typeof cloneMode)}>
              <option value="">one node</option>
              <option value="clone">every node (clone)</option>
              <option value="promotable">every node, one promoted (promotable clone)</option>
            </select>
          </Field>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" data-testid="create-disabled" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
            Create disabled (do not start yet)
          </label>
        </div>
      </Card>

      <div className="flex justify-end gap-2">
        <Button size="md" onClick={() => router.push("/resources")}>
          Cancel
        </Button>
        <Button size="md" variant="primary" data-testid="create-submit" disabled={invalid} onClick={submit}>
          Preview and create…
        </Button>
      </div>
    </div>
  );
}
