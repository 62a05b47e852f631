// Reads a Pacemaker transition graph (crm_simulate -G FILE) into Vigil's
// Transition, so that Vigil's graph tooling (formatExecutedActions,
// applyTransition) can be checked against what Pacemaker itself produced.
import { XMLParser } from "fast-xml-parser";
import type { Action, Edge, Transition } from "../types";

interface El {
  tag: string;
  attrs: Record<string, string>;
  children: El[];
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true });

function toTree(nodes: Record<string, unknown>[]): El[] {
  const out: El[] = [];
  for (const n of nodes) {
    const tag = Object.keys(n).find((k) => k !== ":@");
    if (!tag || tag === "#text") continue;
    out.push({ tag, attrs: (n[":@"] as Record<string, string>) ?? {}, children: toTree((n[tag] as Record<string, unknown>[]) ?? []) });
  }
  return out;
}

const ACTION_TAGS = new Set(["rsc_op", "pseudo_event", "crm_event"]);

function toAction(e: El, known: Set<string>): Action {
  const a = e.attrs;
  const attrs = e.children.find((c) => c.tag === "attributes")?.attrs ?? {};
  const prim = e.children.find((c) => c.tag === "primitive")?.attrs;
  const meta: Record<string, string> = {};
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("CRM_meta_")) meta[k.slice(9)] = v;
    else if (k !== "crm_feature_set") params[k] = v;
  }
  const task = a.operation;
  return {
    id: Number(a.id),
    key: a.operation_key ?? `${task}-${a.on_node ?? ""}`,
    task,
    // crm_simulate's choice of name: the graph's id (the bare id for anonymous clone
    // instances, or the name the instance was found under) when the status knows a
    // resource by that name, else long-id (the instance id)
    // (cluster actions always print the graph's id)
    rsc: e.tag !== "crm_event" && prim?.["long-id"] && !known.has(prim.id) ? prim["long-id"] : prim?.id,
    configRsc: prim?.id?.replace(/:\d+$/, ""),
    node: a.on_node,
    intervalMs: Number(meta.interval ?? 0),
    pseudo: e.tag === "pseudo_event",
    fenceAction: task === "stonith" ? meta.stonith_action ?? "reboot" : undefined,
    standard: prim?.class,
    provider: prim?.provider,
    agentType: prim?.type,
    params,
    meta,
    timeoutMs: Number(meta.timeout ?? 0),
  };
}

/** `historyIds`: every lrm_resource id in the input CIB's status (see the naming rule in toAction). */
export function parsePacemakerGraph(xml: string, historyIds: Iterable<string> = []): Transition {
  const known = new Set(historyIds);
  const root = toTree(parser.parse(xml) as Record<string, unknown>[]).find((t) => t.tag === "transition_graph");
  if (!root) throw new Error("not a transition_graph document");
  const actions = new Map<number, Action>();
  const edges: Edge[] = [];
  for (const syn of root.children.filter((c) => c.tag === "synapse")) {
    const set = syn.children.find((c) => c.tag === "action_set");
    const mine = (set?.children ?? []).filter((c) => ACTION_TAGS.has(c.tag)).map((e) => toAction(e, known));
    for (const a of mine) actions.set(a.id, a);
    const inputs = syn.children.find((c) => c.tag === "inputs");
    for (const trig of inputs?.children ?? []) {
      for (const i of trig.children.filter((c) => ACTION_TAGS.has(c.tag))) for (const a of mine) edges.push({ first: Number(i.attrs.id), then: a.id });
    }
  }
  return { actions: [...actions.values()].sort((x, y) => x.id - y.id), edges };
}
