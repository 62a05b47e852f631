// pcs node standby|unstandby|maintenance|unmaintenance|attribute: permanent
// node attributes in nodes/node/instance_attributes (id nodes-<nodeid>, as
// crm_attribute writes them).
import { CibError } from "../errors";
import { uniqueId } from "../nvset";
import { allConfigIds } from "../find";
import type { Cib, CibNode } from "../types";
import type { OpResult } from "./context";
import { requireNode, withConfig } from "./util";

function setNodeAttr(n: CibNode, name: string, value: string | undefined, used: Set<string>): CibNode {
  const sets = n.instanceAttributes;
  if (value === undefined) {
    return { ...n, instanceAttributes: sets.map((s) => ({ ...s, nvpairs: s.nvpairs.filter((p) => p.name !== name) })) };
  }
  for (let i = 0; i < sets.length; i++) {
    const p = sets[i].nvpairs.find((x) => x.name === name);
    if (p) {
      const copy = [...sets];
      copy[i] = { ...sets[i], nvpairs: sets[i].nvpairs.map((x) => (x === p ? { ...x, value } : x)) };
      return { ...n, instanceAttributes: copy };
    }
  }
  const ti = sets.findIndex((s) => !s.rule && !s.idRef);
  const copy = [...sets];
  const set = ti >= 0 ? copy[ti] : { id: uniqueId(`nodes-${n.id}`, used), nvpairs: [] };
  used.add(set.id);
  const pid = uniqueId(`${set.id}-${name}`, used);
  used.add(pid);
  const updated = { ...set, nvpairs: [...set.nvpairs, { id: pid, name, value }] };
  if (ti >= 0) copy[ti] = updated;
  else copy.push(updated);
  return { ...n, instanceAttributes: copy };
}

export function nodeAttribute(cib: Cib, nodes: string[], name: string, value: string | undefined): OpResult {
  if (!/^[A-Za-z_#][A-Za-z0-9_.\-#]*$/.test(name)) throw new CibError(`invalid node attribute name '${name}'`, { field: "name" });
  const targets = new Set(nodes.map((u) => requireNode(cib, u).uname));
  const used = allConfigIds(cib);
  const list = cib.configuration.nodes.map((n) => (targets.has(n.uname) ? setNodeAttr(n, name, value, used) : n));
  return { cib: withConfig(cib, { nodes: list }), message: "", warnings: [] };
}

function targetsOf(cib: Cib, nodes: string[], all?: boolean): string[] {
  if (all) return cib.configuration.nodes.map((n) => n.uname);
  if (!nodes.length) throw new CibError("no node specified: name a node or use --all", { field: "node" });
  return nodes;
}

export function nodeStandby(cib: Cib, nodes: string[], on: boolean, all?: boolean): OpResult {
  return nodeAttribute(cib, targetsOf(cib, nodes, all), "standby", on ? "on" : undefined);
}

export function nodeMaintenance(cib: Cib, nodes: string[], on: boolean, all?: boolean): OpResult {
  return nodeAttribute(cib, targetsOf(cib, nodes, all), "maintenance", on ? "on" : undefined);
}
