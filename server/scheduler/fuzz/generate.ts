// Seeded generator of random but valid CIBs for differential testing against
// Pacemaker's scheduler. A CIB is first built as a small spec (easy to shrink),
// then rendered to cib.xml text that Pacemaker 2.1's tools accept.

/** mulberry32: a tiny, fast, seedable PRNG (same seed -> same CIBs everywhere). */
/** Whether the order constraints put `from` before `to`, directly or through others. */
function orderedBefore(constraints: ConstraintSpec[], from: string, to: string): boolean {
  const seen = new Set<string>();
  const walk = (x: string): boolean => {
    if (x === to) return true;
    if (seen.has(x)) return false;
    seen.add(x);
    return constraints.some((c) => c.kind === "order" && c.first === x && walk(c.then));
  };
  return walk(from);
}

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type NodeMode = "online" | "offline" | "standby" | "maintenance" | "unclean";

export interface NodeSpec {
  name: string;
  mode: NodeMode;
}

export interface PrimSpec {
  id: string;
  /** "Dummy" (ocf:pacemaker:Dummy) or "Stateful" (ocf:pacemaker:Stateful, promotable clones only) */
  agent: "Dummy" | "Stateful";
  meta: Record<string, string>;
}

export type RscSpec =
  | { kind: "primitive"; prim: PrimSpec }
  | { kind: "group"; id: string; meta: Record<string, string>; members: PrimSpec[] }
  | { kind: "clone"; id: string; meta: Record<string, string>; child: PrimSpec; promotable: boolean };

export type ConstraintSpec =
  | { kind: "location"; id: string; rsc: string; node: string; score: string; role?: string }
  | { kind: "colocation"; id: string; rsc: string; withRsc: string; score: string; rscRole?: string; withRole?: string }
  | { kind: "order"; id: string; first: string; then: string; orderKind: "Mandatory" | "Optional" | "Serialize"; symmetrical?: boolean };

/** One lrm_rsc_op in the status: what ran where and how it ended. */
export interface HistorySpec {
  node: string;
  /** lrm_resource id: primitive id, or "child:N" for clone instances */
  rsc: string;
  prim: string;
  ops: { task: string; intervalMs: number; rc: number; status?: number }[];
}

export interface FailSpec {
  node: string;
  rsc: string;
  count: string; // number or INFINITY
}

export interface CibSpec {
  seed: number;
  executionDate: number;
  props: Record<string, string>;
  haveQuorum: boolean;
  nodes: NodeSpec[];
  resources: RscSpec[];
  constraints: ConstraintSpec[];
  history: HistorySpec[];
  failures: FailSpec[];
  rscDefaults: Record<string, string>;
}

export interface GenerateOptions {
  maxNodes?: number;
  maxResources?: number;
}

const SCORES = ["INFINITY", "-INFINITY", "0", "10", "50", "100", "-100", "200", "1000", "-10", "5"];

/** Top-level resource ids that constraints can name. */
export function constraintTargets(spec: CibSpec): string[] {
  return spec.resources.map((r) => (r.kind === "primitive" ? r.prim.id : r.id));
}

export function generateCib(seed: number, opts: GenerateOptions = {}): CibSpec {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;

  const nNodes = int(2, opts.maxNodes ?? 4);
  const nodes: NodeSpec[] = [];
  for (let i = 1; i <= nNodes; i++) {
    const mode: NodeMode = chance(0.7) ? "online" : pick(["offline", "standby", "maintenance", "unclean"] as const);
    nodes.push({ name: `node${i}`, mode });
  }
  if (!nodes.some((n) => n.mode === "online")) nodes[0].mode = "online";

  const stonith = chance(0.5);
  const props: Record<string, string> = {
    "stonith-enabled": String(stonith),
    "no-quorum-policy": pick(["stop", "ignore", "freeze", "stop", "ignore"]),
  };
  if (chance(0.15)) props["symmetric-cluster"] = "false";
  const rscDefaults: Record<string, string> = {};
  if (chance(0.5)) rscDefaults["resource-stickiness"] = pick(["0", "1", "50", "100", "INFINITY"]);

  const meta = (clone = false): Record<string, string> => {
    const m: Record<string, string> = {};
    if (chance(0.1)) m["target-role"] = clone && chance(0.3) ? "Unpromoted" : "Stopped";
    if (chance(0.2)) m["resource-stickiness"] = pick(["0", "10", "100", "INFINITY"]);
    if (chance(0.15)) m["migration-threshold"] = pick(["1", "2", "3"]);
    if (chance(0.05)) m["is-managed"] = "false";
    if (chance(0.1)) m["priority"] = pick(["1", "5", "10"]);
    return m;
  };

  const resources: RscSpec[] = [];
  if (stonith) resources.push({ kind: "primitive", prim: { id: "fencing", agent: "Dummy", meta: {} } });
  const nRsc = int(1, opts.maxResources ?? 6);
  let n = 0;
  for (let i = 0; i < nRsc; i++) {
    const k = rnd();
    if (k < 0.5) resources.push({ kind: "primitive", prim: { id: `rsc${++n}`, agent: "Dummy", meta: meta() } });
    else if (k < 0.7) {
      const id = `grp${++n}`;
      const members = Array.from({ length: int(2, 3) }, (_, j) => ({ id: `${id}-m${j + 1}`, agent: "Dummy" as const, meta: chance(0.1) ? meta() : {} }));
      resources.push({ kind: "group", id, meta: meta(), members });
    } else if (k < 0.85) {
      const id = `cl${++n}`;
      const m = meta();
      if (chance(0.3)) m["clone-max"] = String(int(1, nNodes));
      if (chance(0.2)) m["interleave"] = "true";
      resources.push({ kind: "clone", id, meta: m, child: { id: `${id}-c`, agent: "Dummy", meta: {} }, promotable: false });
    } else {
      const id = `ms${++n}`;
      const m = meta(true);
      m["promotable"] = "true";
      if (chance(0.3)) m["promoted-max"] = String(int(1, 2));
      resources.push({ kind: "clone", id, meta: m, child: { id: `${id}-c`, agent: "Stateful", meta: {} }, promotable: true });
    }
  }

  const spec: CibSpec = {
    seed,
    executionDate: 1_700_000_000 + int(0, 1_000_000),
    props,
    haveQuorum: chance(0.85),
    nodes,
    resources,
    constraints: [],
    history: [],
    failures: [],
    rscDefaults,
  };

  const targets = constraintTargets(spec).filter((t) => t !== "fencing");
  const promotable = new Set(resources.filter((r) => r.kind === "clone" && r.promotable).map((r) => (r as { id: string }).id));
  const nCons = targets.length ? int(0, Math.min(6, targets.length * 2)) : 0;
  for (let i = 0; i < nCons; i++) {
    const k = rnd();
    const a = pick(targets);
    if (k < 0.45) {
      const c: ConstraintSpec = { kind: "location", id: `loc${i}`, rsc: a, node: pick(nodes).name, score: pick(SCORES) };
      if (promotable.has(a) && chance(0.5)) c.role = "Promoted";
      spec.constraints.push(c);
    } else {
      const others = targets.filter((t) => t !== a);
      if (!others.length) continue;
      const b = pick(others);
      if (k < 0.75) {
        const c: ConstraintSpec = { kind: "colocation", id: `col${i}`, rsc: a, withRsc: b, score: pick(SCORES) };
        if (promotable.has(b) && chance(0.5)) c.withRole = "Promoted";
        spec.constraints.push(c);
      } else {
        const c: ConstraintSpec = {
          kind: "order", id: `ord${i}`, first: a, then: b,
          orderKind: pick(["Mandatory", "Mandatory", "Optional", "Serialize"] as const),
          ...(chance(0.2) ? { symmetrical: false } : {}),
        };
        // An ordering loop (b already ordered before a) is a configuration error:
        // crm_simulate reports "An invalid transition was produced" and runs nothing,
        // so there is nothing to compare. Drop it (after the same random draws, so
        // the other CIBs of a seed stay as they were).
        if (!orderedBefore(spec.constraints, b, a)) spec.constraints.push(c);
      }
    }
  }

  // Operation history: what is already running where (and what failed).
  const up = nodes.filter((x) => x.mode !== "offline");
  const instCount = new Map<string, number>();
  const addRun = (node: string, rsc: string, prim: string, promoted: boolean, promotable = false) => {
    const ops: HistorySpec["ops"] = [];
    const r = rnd();
    if (r < 0.08) ops.push({ task: "start", intervalMs: 0, rc: 1 }); // failed start
    else if (r < 0.12) ops.push({ task: "stop", intervalMs: 0, rc: 1 }); // failed stop
    else {
      ops.push({ task: promoted ? "promote" : "start", intervalMs: 0, rc: 0 });
      if (chance(0.15)) ops.push({ task: "monitor", intervalMs: 10000, rc: pick([1, 7]) }); // failed monitor
      // the configured intervals: 10 s (Promoted or plain), 11 s (Unpromoted)
      else ops.push({ task: "monitor", intervalMs: promotable && !promoted ? 11000 : 10000, rc: promoted ? 8 : 0 });
    }
    spec.history.push({ node, rsc, prim, ops });
  };
  for (const r of resources) {
    if (!up.length) break;
    if (r.kind === "primitive") {
      if (chance(0.5)) addRun(pick(up).name, r.prim.id, r.prim.id, false);
    } else if (r.kind === "group") {
      if (chance(0.5)) {
        const where = pick(up).name;
        for (const m of r.members) if (chance(0.85)) addRun(where, m.id, m.id, false);
      }
    } else {
      for (const x of up) {
        if (!chance(0.5)) continue;
        const i = instCount.get(r.id) ?? 0;
        instCount.set(r.id, i + 1);
        const histId = r.promotable ? `${r.child.id}:${i}` : chance(0.5) ? r.child.id : `${r.child.id}:${i}`;
        addRun(x.name, histId, r.child.id, r.promotable && i === 0 && chance(0.6), r.promotable);
      }
    }
  }
  // Probes that found things stopped, and a few fail-counts.
  for (const h of [...spec.history]) {
    if (chance(0.3)) {
      const other = pick(nodes.filter((x) => x.mode !== "offline"));
      if (other && other.name !== h.node && !spec.history.some((y) => y.node === other.name && y.rsc === h.rsc))
        spec.history.push({ node: other.name, rsc: h.rsc, prim: h.prim, ops: [{ task: "monitor", intervalMs: 0, rc: 7 }] });
    }
    const failed = h.ops.some((o) => (o.rc !== 0 && o.rc !== 8 && !(o.task === "monitor" && o.intervalMs === 0)));
    if (failed && chance(0.7)) spec.failures.push({ node: h.node, rsc: h.prim, count: pick(["1", "2", "INFINITY"]) });
  }
  return spec;
}

// ---------------------------------------------------------------------------
// Rendering

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function metaXml(owner: string, meta: Record<string, string>, indent: string): string {
  const keys = Object.keys(meta);
  if (!keys.length) return "";
  const pairs = keys.map((k) => `${indent}  <nvpair id="${owner}-meta-${k}" name="${k}" value="${esc(meta[k])}"/>`).join("\n");
  return `${indent}<meta_attributes id="${owner}-meta">\n${pairs}\n${indent}</meta_attributes>\n`;
}

function primXml(p: PrimSpec, indent: string, promotable = false): string {
  const ops = promotable
    ? `${indent}  <operations>\n${indent}    <op id="${p.id}-mon-p" name="monitor" interval="10s" role="Promoted"/>\n${indent}    <op id="${p.id}-mon-u" name="monitor" interval="11s" role="Unpromoted"/>\n${indent}  </operations>\n`
    : `${indent}  <operations>\n${indent}    <op id="${p.id}-mon" name="monitor" interval="10s"/>\n${indent}  </operations>\n`;
  if (p.id === "fencing")
    return `${indent}<primitive id="fencing" class="stonith" type="fence_dummy">\n${indent}  <operations>\n${indent}    <op id="fencing-mon" name="monitor" interval="60s"/>\n${indent}  </operations>\n${indent}</primitive>\n`;
  return `${indent}<primitive id="${p.id}" class="ocf" provider="pacemaker" type="${p.agent}">\n${metaXml(p.id, p.meta, indent + "  ")}${ops}${indent}</primitive>\n`;
}

function agentOf(spec: CibSpec, prim: string): { cls: string; provider?: string; type: string } {
  if (prim === "fencing") return { cls: "stonith", type: "fence_dummy" };
  for (const r of spec.resources) if (r.kind === "clone" && r.child.id === prim) return { cls: "ocf", provider: "pacemaker", type: r.child.agent };
  return { cls: "ocf", provider: "pacemaker", type: "Dummy" };
}

/** op-digests by "Agent_task_intervalMs" (e.g. "Dummy_monitor_10000"); see learnDigests(). */
export type Digests = Record<string, string>;

/** Renders a spec to cib.xml text; with `digests`, history records carry the op-digests
 *  Pacemaker computes for this configuration, so it does not restart everything. */
export function renderCib(spec: CibSpec, digests: Digests = {}): string {
  const L: string[] = [];
  const dc = spec.nodes.find((n) => n.mode === "online")!;
  L.push(
    `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" ` +
      `execution-date="${spec.executionDate}" have-quorum="${spec.haveQuorum ? 1 : 0}" dc-uuid="${spec.nodes.indexOf(dc) + 1}">`,
  );
  L.push("  <configuration>", "    <crm_config>", '      <cluster_property_set id="cib-bootstrap-options">');
  for (const [k, v] of Object.entries(spec.props)) L.push(`        <nvpair id="opt-${k}" name="${k}" value="${v}"/>`);
  L.push("      </cluster_property_set>", "    </crm_config>", "    <nodes>");
  spec.nodes.forEach((n, i) => {
    const attrs: string[] = [];
    if (n.mode === "standby") attrs.push(`<nvpair id="n${i + 1}-standby" name="standby" value="on"/>`);
    if (n.mode === "maintenance") attrs.push(`<nvpair id="n${i + 1}-maintenance" name="maintenance" value="true"/>`);
    if (attrs.length) L.push(`      <node id="${i + 1}" uname="${n.name}">`, `        <instance_attributes id="n${i + 1}-attrs">`, ...attrs.map((a) => `          ${a}`), "        </instance_attributes>", "      </node>");
    else L.push(`      <node id="${i + 1}" uname="${n.name}"/>`);
  });
  L.push("    </nodes>", "    <resources>");
  let body = "";
  for (const r of spec.resources) {
    if (r.kind === "primitive") body += primXml(r.prim, "      ");
    else if (r.kind === "group") body += `      <group id="${r.id}">\n${metaXml(r.id, r.meta, "        ")}${r.members.map((m) => primXml(m, "        ")).join("")}      </group>\n`;
    else body += `      <clone id="${r.id}">\n${metaXml(r.id, r.meta, "        ")}${primXml(r.child, "        ", r.promotable)}      </clone>\n`;
  }
  L.push(body.replace(/\n$/, ""));
  L.push("    </resources>", "    <constraints>");
  for (const c of spec.constraints) {
    if (c.kind === "location") L.push(`      <rsc_location id="${c.id}" rsc="${c.rsc}" node="${c.node}" score="${c.score}"${c.role ? ` role="${c.role}"` : ""}/>`);
    else if (c.kind === "colocation")
      L.push(`      <rsc_colocation id="${c.id}" rsc="${c.rsc}" with-rsc="${c.withRsc}" score="${c.score}"${c.rscRole ? ` rsc-role="${c.rscRole}"` : ""}${c.withRole ? ` with-rsc-role="${c.withRole}"` : ""}/>`);
    else L.push(`      <rsc_order id="${c.id}" first="${c.first}" then="${c.then}" kind="${c.orderKind}"${c.symmetrical === false ? ' symmetrical="false"' : ""}/>`);
  }
  L.push("    </constraints>");
  if (Object.keys(spec.rscDefaults).length) {
    L.push("    <rsc_defaults>", '      <meta_attributes id="rsc-options">');
    for (const [k, v] of Object.entries(spec.rscDefaults)) L.push(`        <nvpair id="rsc-options-${k}" name="${k}" value="${v}"/>`);
    L.push("      </meta_attributes>", "    </rsc_defaults>");
  }
  L.push("  </configuration>", "  <status>");
  let call = 10;
  spec.nodes.forEach((n, i) => {
    const id = String(i + 1);
    if (n.mode === "offline") {
      L.push(`    <node_state id="${id}" uname="${n.name}" in_ccm="false" crmd="offline" join="down" expected="down"/>`);
      return;
    }
    const state =
      n.mode === "unclean"
        ? `in_ccm="false" crmd="offline" join="down" expected="member"`
        : `in_ccm="true" crmd="online" join="member" expected="member"`;
    L.push(`    <node_state id="${id}" uname="${n.name}" ${state}>`);
    const fails = spec.failures.filter((f) => f.node === n.name);
    if (fails.length) {
      L.push(`      <transient_attributes id="${id}">`, `        <instance_attributes id="status-${id}">`);
      for (const f of fails) {
        L.push(`          <nvpair id="status-${id}-fail-count-${f.rsc}" name="fail-count-${f.rsc}#start_0" value="${f.count}"/>`);
        L.push(`          <nvpair id="status-${id}-last-failure-${f.rsc}" name="last-failure-${f.rsc}#start_0" value="${spec.executionDate - 60}"/>`);
      }
      L.push("        </instance_attributes>", "      </transient_attributes>");
    }
    const hist = spec.history.filter((h) => h.node === n.name);
    L.push(`      <lrm id="${id}">`, "        <lrm_resources>");
    for (const h of hist) {
      const ag = agentOf(spec, h.prim);
      L.push(`          <lrm_resource id="${h.rsc}" class="${ag.cls}"${ag.provider ? ` provider="${ag.provider}"` : ""} type="${ag.type}">`);
      for (const o of h.ops) {
        const key = `${h.rsc}_${o.task}_${o.intervalMs}`;
        const failed = o.rc !== 0 && !(o.task === "monitor" && (o.rc === 7 && o.intervalMs === 0)) && !(o.rc === 8);
        const opId = o.intervalMs > 0 ? key : failed ? `${h.rsc}_last_failure_0` : `${h.rsc}_last_0`;
        const target = o.task === "monitor" && o.intervalMs === 0 ? 7 : o.rc === 8 ? 8 : 0;
        const t = `${call}:1:${target}:00000000-0000-0000-0000-000000000000`;
        L.push(
          `            <lrm_rsc_op id="${opId}" operation_key="${key}" operation="${o.task}" crm-debug-origin="fuzz" crm_feature_set="3.16.1" ` +
            `transition-key="${t}" transition-magic="${o.status ?? 0}:${o.rc};${t}" exit-reason="" on_node="${n.name}" call-id="${call}" ` +
            `rc-code="${o.rc}" op-status="${o.status ?? 0}" interval="${o.intervalMs}" last-rc-change="${spec.executionDate - 120}" ` +
            `exec-time="1" queue-time="0"${digestAttr(digests, ag.type, o.task, o.intervalMs)}/>`,
        );
        call++;
      }
      L.push("          </lrm_resource>");
    }
    L.push("        </lrm_resources>", "      </lrm>", "    </node_state>");
  });
  L.push("  </status>", "</cib>", "");
  return L.join("\n");
}

function digestAttr(d: Digests, type: string, task: string, intervalMs: number): string {
  const k = intervalMs > 0 ? `${type}_${task}_${intervalMs}` : `${type}_start_0`;
  // parameterless agents: every recurring monitor shares one digest, every other op another
  const v = d[k] ?? (intervalMs > 0 ? Object.entries(d).find(([x]) => /_monitor_\d+$/.test(x))?.[1] : d["Dummy_start_0"]);
  return v ? ` op-digest="${v}"` : "";
}

/** A CIB whose simulation (crm_simulate -S -O) records every op-digest the generator needs. */
export function digestProbeCib(): string {
  const spec: CibSpec = {
    seed: 0, executionDate: 1_700_000_000, props: { "stonith-enabled": "true" }, haveQuorum: true,
    nodes: [{ name: "node1", mode: "online" }, { name: "node2", mode: "online" }],
    resources: [
      { kind: "primitive", prim: { id: "fencing", agent: "Dummy", meta: {} } },
      { kind: "primitive", prim: { id: "d", agent: "Dummy", meta: {} } },
      { kind: "clone", id: "ms", meta: { promotable: "true" }, child: { id: "ms-c", agent: "Stateful", meta: {} }, promotable: true },
    ],
    constraints: [], history: [], failures: [], rscDefaults: {},
  };
  return renderCib(spec);
}

/** Reads "Agent_task_interval" -> op-digest out of a simulated CIB's status. */
export function digestsFromCib(xml: string): Digests {
  const out: Digests = {};
  const resRe = /<lrm_resource id="[^"]*"[^>]*type="([^"]+)"[^>]*>([\s\S]*?)<\/lrm_resource>/g;
  for (const m of xml.matchAll(resRe)) {
    for (const op of m[2].matchAll(/<lrm_rsc_op [^>]*>/g)) {
      const task = /operation="([^"]+)"/.exec(op[0])?.[1];
      const interval = /interval="(\d+)"/.exec(op[0])?.[1];
      const digest = /op-digest="([0-9a-f]+)"/.exec(op[0])?.[1];
      if (task && interval && digest) out[`${m[1]}_${Number(interval) > 0 ? task : "start"}_${interval}`] = digest;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Shrinking

/** Smaller variants of a spec, most aggressive first (for minimizing a disagreement). */
export function* shrinkSpec(spec: CibSpec): Generator<CibSpec> {
  const clone = (): CibSpec => JSON.parse(JSON.stringify(spec));
  for (let i = 0; i < spec.constraints.length; i++) {
    const s = clone();
    s.constraints.splice(i, 1);
    yield s;
  }
  for (let i = 0; i < spec.resources.length; i++) {
    const r = spec.resources[i];
    const id = r.kind === "primitive" ? r.prim.id : r.id;
    if (id === "fencing") continue;
    const prims = r.kind === "primitive" ? [r.prim.id] : r.kind === "group" ? r.members.map((m) => m.id) : [r.child.id];
    const s = clone();
    s.resources.splice(i, 1);
    s.constraints = s.constraints.filter((c) =>
      c.kind === "location" ? c.rsc !== id : c.kind === "colocation" ? c.rsc !== id && c.withRsc !== id : c.first !== id && c.then !== id,
    );
    s.history = s.history.filter((h) => !prims.includes(h.prim));
    s.failures = s.failures.filter((f) => !prims.includes(f.rsc));
    yield s;
  }
  for (let i = 0; i < spec.history.length; i++) {
    const s = clone();
    s.history.splice(i, 1);
    yield s;
  }
  for (let i = 0; i < spec.failures.length; i++) {
    const s = clone();
    s.failures.splice(i, 1);
    yield s;
  }
  for (let i = 0; i < spec.resources.length; i++) {
    const r = spec.resources[i];
    const metas = r.kind === "primitive" ? r.prim.meta : r.meta;
    for (const k of Object.keys(metas)) {
      if (k === "promotable") continue;
      const s = clone();
      const sr = s.resources[i];
      delete (sr.kind === "primitive" ? sr.prim.meta : sr.meta)[k];
      yield s;
    }
  }
  for (const k of Object.keys(spec.rscDefaults)) {
    const s = clone();
    delete s.rscDefaults[k];
    yield s;
  }
  for (let i = 0; i < spec.nodes.length; i++) {
    if (spec.nodes[i].mode !== "online") {
      const s = clone();
      s.nodes[i].mode = "online";
      yield s;
    }
  }
}
