// OCF meta-data XML -> typed AgentMetadata (for `vigil resource describe` and
// the console's create forms). Accepts the OCF 1.0/1.1 layout and the fence
// agents' variant (shortdesc as an attribute, <content type="select"> with
// options). Garbage in gives a MetadataError that names the agent.

import { lazyModule } from "../lazy-module";

// fast-xml-parser is loaded on first use, not at import: every `vigil` command's bundle imports
// this module, and loading the package costs 40-150 ms of start-up that `vigil simulate` never needs.
const fastXmlParser = lazyModule<typeof import("fast-xml-parser")>("fast-xml-parser");

export interface AgentParameter {
  name: string;
  required: boolean;
  unique: boolean;
  /** string, integer, boolean, time, select, ... as the agent says [string] */
  type: string;
  default?: string;
  shortdesc: string;
  longdesc: string;
  /** OCF 1.1: changing it needs only reload-agent, not a restart */
  reloadable: boolean;
  deprecated: boolean;
  /** allowed values of a select parameter */
  values?: string[];
}

export interface AgentAction {
  name: string;
  timeout?: string;
  interval?: string;
  depth?: string;
  role?: string;
  startDelay?: string;
}

export interface AgentMetadata {
  name: string;
  version?: string;
  shortdesc: string;
  longdesc: string;
  parameters: AgentParameter[];
  actions: AgentAction[];
}

export class MetadataError extends Error {
  readonly agent: string;
  constructor(agent: string, problem: string) {
    super(`meta-data of ${agent}: ${problem}`);
    this.name = "MetadataError";
    this.agent = agent;
  }
}

let parser: import("fast-xml-parser").XMLParser | undefined;
function metadataParser(): import("fast-xml-parser").XMLParser {
  return (parser ??= new (fastXmlParser().XMLParser)({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    isArray: (name) => ["parameter", "action", "shortdesc", "longdesc", "option", "resource-agent"].includes(name),
  }));
}

type Node = Record<string, unknown>;

/** Parse meta-data XML printed by agent `agent` (e.g. "ocf:heartbeat:IPaddr2"). */
export function parseAgentMetadata(xml: string, agent: string): AgentMetadata {
  const text = xml.trim();
  if (!text) throw new MetadataError(agent, "the agent printed nothing");
  if (!text.startsWith("<")) throw new MetadataError(agent, `not XML (starts with "${text.slice(0, 40).split("\n")[0]}")`);
  const valid = fastXmlParser().XMLValidator.validate(text);
  if (valid !== true) {
    throw new MetadataError(agent, `malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  let doc: Node;
  try {
    doc = metadataParser().parse(text) as Node;
  } catch (e) {
    throw new MetadataError(agent, `malformed XML: ${(e as Error).message}`);
  }
  const roots = doc["resource-agent"] as Node[] | undefined;
  if (!roots?.length) throw new MetadataError(agent, "no <resource-agent> element");
  const ra = roots[0];
  if (typeof ra !== "object" || ra === null) throw new MetadataError(agent, "empty <resource-agent> element");
  const name = attr(ra, "name");
  if (!name) throw new MetadataError(agent, "<resource-agent> has no name attribute");

  const params = (((ra.parameters as Node | undefined)?.parameter as Node[] | undefined) ?? []).map((p, i) => {
    const pname = attr(p, "name");
    if (!pname) throw new MetadataError(agent, `parameter #${i + 1} has no name`);
    const content = (p.content ?? {}) as Node;
    const options = (content.option as Node[] | undefined)?.map((o) => attr(o, "value")).filter((v): v is string => !!v);
    const out: AgentParameter = {
      name: pname,
      required: truthy(attr(p, "required")),
      unique: truthy(attr(p, "unique")),
      type: attr(content, "type") || "string",
      default: attr(content, "default"),
      shortdesc: desc(p, "shortdesc"),
      longdesc: desc(p, "longdesc"),
      reloadable: truthy(attr(p, "reloadable")),
      deprecated: truthy(attr(p, "deprecated")) || p.deprecated !== undefined,
    };
    if (options?.length) out.values = options;
    return out;
  });

  const actions = (((ra.actions as Node | undefined)?.action as Node[] | undefined) ?? []).map((a, i) => {
    const aname = attr(a, "name");
    if (!aname) throw new MetadataError(agent, `action #${i + 1} has no name`);
    const out: AgentAction = { name: aname };
    const set = (k: keyof AgentAction, xmlName: string) => {
      const v = attr(a, xmlName);
      if (v !== undefined) out[k] = v;
    };
    set("timeout", "timeout");
    set("interval", "interval");
    set("depth", "depth");
    set("role", "role");
    set("startDelay", "start-delay");
    return out;
  });

  const version = typeof ra.version === "string" ? ra.version : attr(ra, "version");
  return {
    name,
    version: version || undefined,
    shortdesc: desc(ra, "shortdesc"),
    longdesc: desc(ra, "longdesc"),
    parameters: params,
    actions,
  };
}

function attr(n: Node, k: string): string | undefined {
  const v = n?.[`@_${k}`];
  return v === undefined || v === null ? undefined : String(v);
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ["1", "true", "yes", "on"].includes(v.toLowerCase());
}

/** English (or language-less) description, from an element or, as fence agents do, an attribute */
function desc(n: Node, k: "shortdesc" | "longdesc"): string {
  const els = n[k] as unknown[] | undefined;
  if (els?.length) {
    const pick = els.find((e) => lang(e) === "en") ?? els.find((e) => lang(e) === undefined) ?? els[0];
    return squash(textOf(pick));
  }
  return squash(attr(n, k) ?? "");
}

function lang(e: unknown): string | undefined {
  return typeof e === "object" && e !== null ? attr(e as Node, "lang") : undefined;
}

function textOf(e: unknown): string {
  if (e === null || e === undefined) return "";
  if (typeof e !== "object") return String(e);
  const n = e as Node;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (k.startsWith("@_")) continue;
    if (Array.isArray(v)) v.forEach((x) => parts.push(textOf(x)));
    else parts.push(textOf(v));
  }
  return parts.join(" ");
}

/** descriptions are wrapped for an 80-column source; keep paragraphs, join lines */
function squash(s: string): string {
  return s
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

// ---- synthesized meta-data for classes whose agents print none (lsb, systemd)

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** OCF-style meta-data XML for an agent that has no parameters (LSB script, systemd unit) */
export function syntheticMetadataXml(opts: {
  name: string;
  shortdesc: string;
  longdesc: string;
  actions: AgentAction[];
}): string {
  const acts = opts.actions
    .map((a) => {
      const at = [`name="${esc(a.name)}"`];
      if (a.timeout) at.push(`timeout="${esc(a.timeout)}"`);
      if (a.interval) at.push(`interval="${esc(a.interval)}"`);
      return `    <action ${at.join(" ")} />`;
    })
    .join("\n");
  return [
    `<?xml version="1.0"?>`,
    `<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">`,
    `<resource-agent name="${esc(opts.name)}" version="1.0">`,
    `  <version>1.1</version>`,
    `  <longdesc lang="en">${esc(opts.longdesc)}</longdesc>`,
    `  <shortdesc lang="en">${esc(opts.shortdesc)}</shortdesc>`,
    `  <parameters/>`,
    `  <actions>`,
    acts,
    `  </actions>`,
    `</resource-agent>`,
    ``,
  ].join("\n");
}

/** The LSB "INIT INFO" header fields of an init script (Short-Description, Description, Provides, ...) */
export function parseLsbHeader(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  const m = /^### BEGIN INIT INFO\s*$([\s\S]*?)^### END INIT INFO/m.exec(script);
  if (!m) return out;
  let last: string | undefined;
  for (const line of m[1].split("\n")) {
    const kv = /^#\s*([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (kv) {
      last = kv[1];
      out[last] = kv[2].trim();
    } else if (last && /^#(\t| {2,})/.test(line)) {
      out[last] += " " + line.replace(/^#\s*/, "").trim(); // continuation line
    }
  }
  return out;
}
