// Pacemaker CIB XML <-> typed model. Import keeps every attribute and element it
// does not model (extraAttrs / unknown / raw) so that export gives back what came in;
// export writes XML that Pacemaker 2.1's tools (crm_simulate, crm_verify) accept.
import { lazyModule } from "../lazy-module";
import { CibError } from "./errors";
import { type El, MAX_DEPTH, fastParseTree } from "./xml-fast";
import type {
  Cib,
  CibNode,
  Clone,
  ColocationConstraint,
  Configuration,
  Constraint,
  DateExpression,
  DateSpec,
  Expression,
  ExtraAttrs,
  Group,
  LocationConstraint,
  LrmResource,
  LrmRscOp,
  NodeState,
  NvPair,
  NvSet,
  Operation,
  OrderConstraint,
  Primitive,
  RawXml,
  Resource,
  ResourceSet,
  RscOpExpression,
  Rule,
  UnsupportedConstraint,
  UnsupportedResource,
} from "./types";

// ---------------------------------------------------------------------------
// Generic element tree (with line numbers), built in one pass by saxes, a strict
// (well-formedness checking) streaming XML parser: it decodes the five entities and
// character references, refuses undeclared entities and characters XML forbids, and
// normalises attribute values as libxml2 (hence Pacemaker) reads them: literal line
// ends and tabs become spaces, only character references (&#10;) give real newlines.

const SAX_ERROR = /^(?:.*?:)?(\d+):(\d+): (.*?)\.?$/s;

function badXml(xml: string, err: Error, position: number): CibError {
  const m = SAX_ERROR.exec(err.message);
  const line = m ? Number(m[1]) : undefined;
  let msg = m ? m[3] : err.message;
  if (/entity/.test(msg)) {
    // name the reference itself, as the reader of the error will search for it
    const amp = xml.lastIndexOf("&", Math.max(0, position - 1));
    if (amp >= 0) {
      const semi = xml.indexOf(";", amp);
      const end = semi >= 0 && semi - amp < 40 ? semi + 1 : Math.min(xml.length, amp + 20);
      msg += ` "${xml.slice(amp, end)}"`;
    }
  }
  const where = m ? `line ${m[1]}, column ${m[2]}` : "unknown line";
  return new CibError(`malformed XML at ${where}: ${msg}`, { line, code: "bad-xml" });
}

// saxes is loaded only when the fast reader declines a document (rare): not at every CLI start.
const saxes = lazyModule<typeof import("saxes")>("saxes");

/** Most CIBs take the fast reader (xml-fast.ts); whatever it declines, saxes reads (or rejects). */
function parseTree(xml: string, nodeState?: (el: El) => NodeState): El[] {
  return fastParseTree(xml, nodeState) ?? saxesParseTree(xml);
}

/** The strict reader alone (exported for the tests that compare both readers). */
export function saxesParseTree(xml: string): El[] {
  const p = new (saxes().SaxesParser)({ position: true });
  const roots: El[] = [];
  const stack: El[] = [];
  const texts: string[] = [];
  let line = 1;
  let error: CibError | undefined;
  const onText = (t: string) => {
    if (stack.length) texts[stack.length - 1] += t;
  };
  p.on("opentagstart", () => {
    line = p.line; // the line of "<name", where the tag begins
  });
  p.on("opentag", (tag) => {
    const el: El = { tag: tag.name, attrs: tag.attributes as Record<string, string>, children: [], line };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else roots.push(el);
    if (stack.length >= MAX_DEPTH)
      throw new CibError(`malformed XML at line ${line}: elements nest deeper than ${MAX_DEPTH} levels`, { line, code: "bad-xml" });
    texts[stack.length] = "";
    stack.push(el); // a self-closing tag gets its closetag event too
  });
  p.on("closetag", () => {
    const el = stack.pop();
    if (!el) return;
    const t = texts[stack.length];
    if (t) {
      const trimmed = t.trim();
      if (trimmed) el.text = trimmed;
    }
  });
  p.on("text", onText);
  p.on("cdata", onText);
  p.on("error", (e) => {
    error ??= badXml(xml, e, p.position);
    throw error;
  });
  try {
    p.write(xml).close();
  } catch (e) {
    if (e instanceof CibError) throw e;
    throw error ?? new CibError(`unreadable XML: ${(e as Error).message}`, { code: "bad-xml" });
  }
  return roots;
}

// ---------------------------------------------------------------------------
// Errors and attribute reading

function describe(el: El): string {
  const id = el.attrs.id ?? el.attrs["id-ref"];
  return id !== undefined ? `<${el.tag} id="${id}">` : `<${el.tag}>`;
}

function fail(el: El, msg: string, field?: string, code = "bad-element"): never {
  throw new CibError(`${describe(el)} at line ${el.line}: ${msg}`, {
    elementId: el.attrs.id ?? el.attrs["id-ref"],
    field,
    line: el.line,
    code,
  });
}

/** Reads the attributes an element is known to have; what is left over becomes extraAttrs.
 *  (Hot path: runs for every element of an 18 MB status section, so no Sets or entry arrays.) */
class Attrs {
  private used: string[] = [];
  private found = 0;
  constructor(private el: El) {}
  opt(name: string): string | undefined {
    this.used.push(name);
    const v = this.el.attrs[name];
    if (v !== undefined) this.found++;
    return v;
  }
  req(name: string): string {
    this.used.push(name);
    const v = this.el.attrs[name];
    if (v === undefined) fail(this.el, `missing required attribute "${name}"`, name, "missing-attribute");
    this.found++;
    return v;
  }
  extras(): ExtraAttrs | undefined {
    const attrs = this.el.attrs;
    let n = 0;
    for (const _ in attrs) n++;
    if (n === this.found) return undefined; // every attribute was a known one
    let out: ExtraAttrs | undefined;
    for (const k in attrs) {
      if (this.used.includes(k)) continue;
      (out ??= {})[k] = attrs[k];
    }
    return out;
  }
}

/** Assign only defined values, so parsed objects never carry `key: undefined`. */
function def<T extends object>(obj: T, extra: Record<string, unknown>): T {
  for (const k in extra) {
    const v = extra[k];
    if (v !== undefined) (obj as Record<string, unknown>)[k] = v;
  }
  return obj;
}

function toRaw(el: El): RawXml {
  const r: RawXml = { tag: el.tag, attrs: { ...el.attrs }, children: el.children.map(toRaw) };
  if (el.text !== undefined) r.text = el.text;
  return r;
}

function rawList(list: El[]): RawXml[] | undefined {
  return list.length ? list.map(toRaw) : undefined;
}

function noChildren(el: El): void {
  if (el.children.length) fail(el, `unexpected child element <${el.children[0].tag}> (line ${el.children[0].line})`);
}

// ---------------------------------------------------------------------------
// Parsing: configuration pieces

function parseNvPair(el: El): NvPair {
  const a = new Attrs(el);
  const idRef = a.opt("id-ref");
  const id = idRef !== undefined ? (a.opt("id") ?? "") : a.req("id");
  const name = idRef !== undefined ? (a.opt("name") ?? "") : a.req("name");
  noChildren(el);
  return def<NvPair>({ id, name }, { value: a.opt("value"), idRef, extraAttrs: a.extras() });
}

function parseNvSet(el: El): NvSet {
  const a = new Attrs(el);
  const idRef = a.opt("id-ref");
  const id = idRef !== undefined ? (a.opt("id") ?? "") : a.req("id");
  const nvpairs: NvPair[] = [];
  const unknown: El[] = [];
  let rule: Rule | undefined;
  for (const c of el.children) {
    if (c.tag === "nvpair") nvpairs.push(parseNvPair(c));
    else if (c.tag === "rule" && !rule) rule = parseRule(c);
    else unknown.push(c);
  }
  return def<NvSet>({ id, nvpairs }, { score: a.opt("score"), rule, idRef, extraAttrs: a.extras(), unknown: rawList(unknown) });
}

function parseDateSpec(el: El): DateSpec {
  const { id, ...rest } = el.attrs;
  if (id === undefined) fail(el, 'missing required attribute "id"', "id", "missing-attribute");
  noChildren(el);
  return { id, attrs: rest };
}

function parseRule(el: El): Rule {
  const a = new Attrs(el);
  const idRef = a.opt("id-ref");
  const id = idRef !== undefined ? (a.opt("id") ?? "") : a.req("id");
  const expressions: Rule["expressions"] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    switch (c.tag) {
      case "expression":
        expressions.push(parseExpression(c));
        break;
      case "date_expression":
        expressions.push(parseDateExpression(c));
        break;
      case "rule":
        expressions.push(parseRule(c));
        break;
      case "rsc_expression":
      case "op_expression": {
        const { id: eid, ...rest } = c.attrs;
        if (eid === undefined) fail(c, 'missing required attribute "id"', "id", "missing-attribute");
        noChildren(c);
        expressions.push({ kind: c.tag, id: eid, attrs: rest } satisfies RscOpExpression);
        break;
      }
      default:
        unknown.push(c);
    }
  }
  return def<Rule>(
    { kind: "rule", id, expressions },
    {
      score: a.opt("score"),
      scoreAttribute: a.opt("score-attribute"),
      booleanOp: a.opt("boolean-op"),
      role: a.opt("role"),
      idRef,
      extraAttrs: a.extras(),
      unknown: rawList(unknown),
    },
  );
}

function parseExpression(el: El): Expression {
  const a = new Attrs(el);
  const id = a.req("id");
  const attribute = a.req("attribute");
  const operation = a.req("operation");
  noChildren(el);
  return def<Expression>(
    { kind: "expression", id, attribute, operation },
    { value: a.opt("value"), type: a.opt("type"), valueSource: a.opt("value-source"), extraAttrs: a.extras() },
  );
}

function parseDateExpression(el: El): DateExpression {
  const a = new Attrs(el);
  const id = a.req("id");
  const operation = a.req("operation");
  let dateSpec: DateSpec | undefined;
  let duration: DateSpec | undefined;
  for (const c of el.children) {
    if (c.tag === "date_spec" && !dateSpec) dateSpec = parseDateSpec(c);
    else if (c.tag === "duration" && !duration) duration = parseDateSpec(c);
    else fail(el, `unexpected child element <${c.tag}> (line ${c.line})`);
  }
  return def<DateExpression>(
    { kind: "date_expression", id, operation },
    { start: a.opt("start"), end: a.opt("end"), dateSpec, duration, extraAttrs: a.extras() },
  );
}

function parseOp(el: El): Operation {
  const a = new Attrs(el);
  const id = a.req("id");
  const name = a.req("name");
  const interval = a.req("interval");
  const instanceAttributes: NvSet[] = [];
  const metaAttributes: NvSet[] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "instance_attributes") instanceAttributes.push(parseNvSet(c));
    else if (c.tag === "meta_attributes") metaAttributes.push(parseNvSet(c));
    else unknown.push(c);
  }
  return def<Operation>(
    { id, name, interval, instanceAttributes, metaAttributes },
    {
      timeout: a.opt("timeout"),
      role: a.opt("role"),
      onFail: a.opt("on-fail"),
      enabled: a.opt("enabled"),
      recordPending: a.opt("record-pending"),
      startDelay: a.opt("start-delay"),
      intervalOrigin: a.opt("interval-origin"),
      description: a.opt("description"),
      extraAttrs: a.extras(),
      unknown: rawList(unknown),
    },
  );
}

function parsePrimitive(el: El): Primitive {
  const a = new Attrs(el);
  const id = a.req("id");
  const template = a.opt("template");
  // A primitive built from a template takes class/type from it; the scheduler rejects templates.
  const cls = template !== undefined ? (a.opt("class") ?? "") : a.req("class");
  const type = template !== undefined ? (a.opt("type") ?? "") : a.req("type");
  const p: Primitive = {
    kind: "primitive",
    id,
    class: cls,
    type,
    metaAttributes: [],
    instanceAttributes: [],
    utilization: [],
    operations: [],
  };
  const unknown: El[] = [];
  let operationsAttrs: ExtraAttrs | undefined;
  for (const c of el.children) {
    switch (c.tag) {
      case "meta_attributes":
        p.metaAttributes.push(parseNvSet(c));
        break;
      case "instance_attributes":
        p.instanceAttributes.push(parseNvSet(c));
        break;
      case "utilization":
        p.utilization.push(parseNvSet(c));
        break;
      case "operations":
        if (Object.keys(c.attrs).length) operationsAttrs = { ...(operationsAttrs ?? {}), ...c.attrs };
        for (const o of c.children) {
          if (o.tag !== "op") fail(c, `unexpected child element <${o.tag}> (line ${o.line})`);
          p.operations.push(parseOp(o));
        }
        break;
      default:
        unknown.push(c);
    }
  }
  return def(p, {
    provider: a.opt("provider"),
    template,
    description: a.opt("description"),
    operationsAttrs,
    extraAttrs: a.extras(),
    unknown: rawList(unknown),
  });
}

function parseGroup(el: El): Group {
  const a = new Attrs(el);
  const id = a.req("id");
  const g: Group = { kind: "group", id, children: [], metaAttributes: [], instanceAttributes: [] };
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "primitive") g.children.push(parsePrimitive(c));
    else if (c.tag === "meta_attributes") g.metaAttributes.push(parseNvSet(c));
    else if (c.tag === "instance_attributes") g.instanceAttributes.push(parseNvSet(c));
    else if (RESOURCE_TAGS.has(c.tag))
      fail(c, `a group may only contain primitives, not <${c.tag}> (group "${id}")`, "children", "bad-group-member");
    else unknown.push(c);
  }
  return def(g, { description: a.opt("description"), extraAttrs: a.extras(), unknown: rawList(unknown) });
}

function parseClone(el: El): Clone {
  const a = new Attrs(el);
  const id = a.req("id");
  const metaAttributes: NvSet[] = [];
  const instanceAttributes: NvSet[] = [];
  const children: (Primitive | Group)[] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "primitive") children.push(parsePrimitive(c));
    else if (c.tag === "group") children.push(parseGroup(c));
    else if (c.tag === "meta_attributes") metaAttributes.push(parseNvSet(c));
    else if (c.tag === "instance_attributes") instanceAttributes.push(parseNvSet(c));
    else if (RESOURCE_TAGS.has(c.tag))
      fail(c, `a ${el.tag} may only contain a primitive or a group, not <${c.tag}>`, "child", "bad-clone-child");
    else unknown.push(c);
  }
  if (children.length !== 1)
    fail(el, `a ${el.tag} must contain exactly one primitive or group (found ${children.length})`, "child", "bad-clone-child");
  const clone: Clone = { kind: "clone", id, child: children[0], metaAttributes, instanceAttributes };
  return def(clone, {
    legacyMaster: el.tag === "master" ? true : undefined,
    description: a.opt("description"),
    extraAttrs: a.extras(),
    unknown: rawList(unknown),
  });
}

const RESOURCE_TAGS = new Set(["primitive", "group", "clone", "master", "bundle", "template"]);

function parseUnsupportedResource(el: El): UnsupportedResource {
  const id = el.attrs.id;
  if (id === undefined) fail(el, 'missing required attribute "id"', "id", "missing-attribute");
  // meta/instance attributes are read for display only; export writes `raw` as it was.
  const metaAttributes: NvSet[] = [];
  const instanceAttributes: NvSet[] = [];
  for (const c of el.children) {
    if (c.tag === "meta_attributes") metaAttributes.push(parseNvSet(c));
    else if (c.tag === "instance_attributes") instanceAttributes.push(parseNvSet(c));
  }
  return def<UnsupportedResource>(
    { kind: "unsupported", tag: el.tag, id, raw: toRaw(el), metaAttributes, instanceAttributes },
    { description: el.attrs.description },
  );
}

function parseResource(el: El): Resource {
  switch (el.tag) {
    case "primitive":
      return parsePrimitive(el);
    case "group":
      return parseGroup(el);
    case "clone":
    case "master":
      return parseClone(el);
    default:
      return parseUnsupportedResource(el);
  }
}

function parseResourceSet(el: El): ResourceSet {
  const a = new Attrs(el);
  const idRef = a.opt("id-ref");
  const id = idRef !== undefined ? (a.opt("id") ?? "") : a.req("id");
  const resources: string[] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "resource_ref") {
      if (c.attrs.id === undefined) fail(c, 'missing required attribute "id"', "id", "missing-attribute");
      // the model keeps only the id; refuse (rather than drop) anything else, as Pacemaker's schema does
      const other = Object.keys(c.attrs).find((k) => k !== "id");
      if (other !== undefined) fail(c, `unexpected attribute "${other}"`, other, "bad-element");
      noChildren(c);
      resources.push(c.attrs.id);
    } else unknown.push(c);
  }
  return def<ResourceSet>(
    { id, resources },
    {
      idRef,
      sequential: a.opt("sequential"),
      requireAll: a.opt("require-all"),
      ordering: a.opt("ordering"),
      action: a.opt("action"),
      role: a.opt("role"),
      score: a.opt("score"),
      kind: a.opt("kind"),
      extraAttrs: a.extras(),
      unknown: rawList(unknown),
    },
  );
}

function setsAndUnknown(el: El, allowRules: boolean): { sets: ResourceSet[]; rules: Rule[]; unknown?: RawXml[] } {
  const sets: ResourceSet[] = [];
  const rules: Rule[] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "resource_set") sets.push(parseResourceSet(c));
    else if (allowRules && c.tag === "rule") rules.push(parseRule(c));
    else unknown.push(c);
  }
  return { sets, rules, unknown: rawList(unknown) };
}

function parseConstraint(el: El): Constraint {
  if (el.tag === "rsc_location") {
    const a = new Attrs(el);
    const id = a.req("id");
    const { sets, rules, unknown } = setsAndUnknown(el, true);
    return def<LocationConstraint>(
      { kind: "location", id, rules, sets },
      {
        rsc: a.opt("rsc"),
        rscPattern: a.opt("rsc-pattern"),
        node: a.opt("node"),
        score: a.opt("score"),
        role: a.opt("role"),
        resourceDiscovery: a.opt("resource-discovery"),
        extraAttrs: a.extras(),
        unknown,
      },
    );
  }
  if (el.tag === "rsc_colocation") {
    const a = new Attrs(el);
    const id = a.req("id");
    const { sets, unknown } = setsAndUnknown(el, false);
    return def<ColocationConstraint>(
      { kind: "colocation", id, sets },
      {
        rsc: a.opt("rsc"),
        withRsc: a.opt("with-rsc"),
        score: a.opt("score"),
        rscRole: a.opt("rsc-role"),
        withRscRole: a.opt("with-rsc-role"),
        nodeAttribute: a.opt("node-attribute"),
        influence: a.opt("influence"),
        extraAttrs: a.extras(),
        unknown,
      },
    );
  }
  if (el.tag === "rsc_order") {
    const a = new Attrs(el);
    const id = a.req("id");
    const { sets, unknown } = setsAndUnknown(el, false);
    return def<OrderConstraint>(
      { kind: "order", id, sets },
      {
        first: a.opt("first"),
        then: a.opt("then"),
        firstAction: a.opt("first-action"),
        thenAction: a.opt("then-action"),
        orderKind: a.opt("kind"),
        score: a.opt("score"),
        symmetrical: a.opt("symmetrical"),
        extraAttrs: a.extras(),
        unknown,
      },
    );
  }
  const id = el.attrs.id;
  if (id === undefined) fail(el, 'missing required attribute "id"', "id", "missing-attribute");
  return { kind: "unsupported", id, tag: el.tag, raw: toRaw(el) } satisfies UnsupportedConstraint;
}

function parseNode(el: El): CibNode {
  const a = new Attrs(el);
  const id = a.req("id");
  const uname = a.req("uname");
  const instanceAttributes: NvSet[] = [];
  const utilization: NvSet[] = [];
  const unknown: El[] = [];
  for (const c of el.children) {
    if (c.tag === "instance_attributes") instanceAttributes.push(parseNvSet(c));
    else if (c.tag === "utilization") utilization.push(parseNvSet(c));
    else unknown.push(c);
  }
  return def<CibNode>(
    { id, uname, instanceAttributes, utilization },
    {
      type: a.opt("type"),
      description: a.opt("description"),
      score: a.opt("score"),
      extraAttrs: a.extras(),
      unknown: rawList(unknown),
    },
  );
}

/** Container elements carry no attributes in Pacemaker's schema; refuse rather than drop them. */
function noAttrs(el: El): El {
  const k = Object.keys(el.attrs)[0];
  if (k !== undefined) fail(el, `unexpected attribute "${k}"`, k);
  return el;
}

function expectOnly(el: El, tag: string): El[] {
  for (const c of el.children)
    if (c.tag !== tag) fail(el, `unexpected child element <${c.tag}> (line ${c.line}); only <${tag}> belongs here`);
  return el.children;
}

function parseConfiguration(el: El): Configuration {
  const conf: Configuration = {
    crmConfig: [],
    nodes: [],
    resources: [],
    constraints: [],
    rscDefaults: [],
    opDefaults: [],
    unknown: [],
  };
  noAttrs(el);
  for (const c of el.children) {
    if (["crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults"].includes(c.tag)) noAttrs(c);
    switch (c.tag) {
      case "crm_config":
        for (const s of expectOnly(c, "cluster_property_set")) conf.crmConfig.push(parseNvSet(s));
        break;
      case "nodes":
        for (const n of expectOnly(c, "node")) conf.nodes.push(parseNode(n));
        break;
      case "resources":
        for (const r of c.children) conf.resources.push(parseResource(r));
        break;
      case "constraints":
        for (const k of c.children) conf.constraints.push(parseConstraint(k));
        break;
      case "rsc_defaults":
        for (const s of expectOnly(c, "meta_attributes")) conf.rscDefaults.push(parseNvSet(s));
        break;
      case "op_defaults":
        for (const s of expectOnly(c, "meta_attributes")) conf.opDefaults.push(parseNvSet(s));
        break;
      default:
        conf.unknown.push(toRaw(c));
    }
  }
  return conf;
}

// ---------------------------------------------------------------------------
// Parsing: status

/** Optional attributes of <lrm_rsc_op>, in the order the model lists them. */
/** The optional attributes of <lrm_rsc_op> and their model fields (parseLrmRscOp reads them in this order). */
export const LRM_OP_OPTIONAL: [string, keyof LrmRscOp][] = [
  ["operation_key", "operationKey"],
  ["transition-key", "transitionKey"],
  ["transition-magic", "transitionMagic"],
  ["crm-debug-origin", "crmDebugOrigin"],
  ["crm_feature_set", "crmFeatureSet"],
  ["last-run", "lastRun"],
  ["last-rc-change", "lastRcChange"],
  ["exec-time", "execTime"],
  ["queue-time", "queueTime"],
  ["op-digest", "opDigest"],
  ["op-force-restart", "opForceRestart"],
  ["op-restart-digest", "opRestartDigest"],
  ["op-secure-params", "opSecureParams"],
  ["op-secure-digest", "opSecureDigest"],
  ["on_node", "onNode"],
  ["exit-reason", "exitReason"],
];
const LRM_OP_KNOWN = new Set(["id", "operation", "interval", "call-id", "rc-code", "op-status", ...LRM_OP_OPTIONAL.map(([a]) => a)]);

// The status section is mostly <lrm_rsc_op>: read it without the generic Attrs helper
// (same result, same errors in the same order, far fewer temporary objects). The optional
// fields are written out one by one, in LRM_OP_OPTIONAL's order (so the objects keep the same
// field order): named loads and stores are several times cheaper than a loop over the table
// with computed keys, and this runs for every operation record of a large status section.
function parseLrmRscOp(el: El): LrmRscOp {
  const at = el.attrs;
  const id = at.id ?? missing(el, "id");
  const operation = at.operation ?? missing(el, "operation");
  noChildren(el);
  const interval = at.interval ?? missing(el, "interval");
  const callId = at["call-id"] ?? missing(el, "call-id");
  const rcCode = at["rc-code"] ?? missing(el, "rc-code");
  const opStatus = at["op-status"] ?? missing(el, "op-status");
  return new OpRecord(at, id, operation, interval, callId, rcCode, opStatus);
}

/**
 * Builds a parsed operation record: a plain object (its prototype is Object.prototype, as a
 * literal's) with the same fields in the same order as `{ id, ..., opStatus }` followed by
 * the optional fields that are present. Made through `new` because V8 then sizes the objects
 * by the fields this constructor can set (the `this.x =` lines) and keeps them all inside the
 * object; a 6-field literal that then gets ten more fields carries them in a separate
 * property array, reallocated three or four times while it grows (at 32x1000: 32 000 records,
 * 2.5 MB of arrays that live on, and as much garbage).
 */
const OpRecord = function (this: LrmRscOp, at: Record<string, string>, id: string, operation: string, interval: string, callId: string, rcCode: string, opStatus: string) {
  this.id = id;
  this.operation = operation;
  this.interval = interval;
  this.callId = callId;
  this.rcCode = rcCode;
  this.opStatus = opStatus;
  let found = 6;
  let v: string | undefined;
  if ((v = at["operation_key"]) !== undefined) (this.operationKey = v), found++;
  if ((v = at["transition-key"]) !== undefined) (this.transitionKey = v), found++;
  if ((v = at["transition-magic"]) !== undefined) (this.transitionMagic = v), found++;
  if ((v = at["crm-debug-origin"]) !== undefined) (this.crmDebugOrigin = v), found++;
  if ((v = at["crm_feature_set"]) !== undefined) (this.crmFeatureSet = v), found++;
  if ((v = at["last-run"]) !== undefined) (this.lastRun = v), found++;
  if ((v = at["last-rc-change"]) !== undefined) (this.lastRcChange = v), found++;
  if ((v = at["exec-time"]) !== undefined) (this.execTime = v), found++;
  if ((v = at["queue-time"]) !== undefined) (this.queueTime = v), found++;
  if ((v = at["op-digest"]) !== undefined) (this.opDigest = v), found++;
  if ((v = at["op-force-restart"]) !== undefined) (this.opForceRestart = v), found++;
  if ((v = at["op-restart-digest"]) !== undefined) (this.opRestartDigest = v), found++;
  if ((v = at["op-secure-params"]) !== undefined) (this.opSecureParams = v), found++;
  if ((v = at["op-secure-digest"]) !== undefined) (this.opSecureDigest = v), found++;
  if ((v = at["on_node"]) !== undefined) (this.onNode = v), found++;
  if ((v = at["exit-reason"]) !== undefined) (this.exitReason = v), found++;
  const extra = extraAttrsOf(at, found, LRM_OP_KNOWN);
  if (extra) this.extraAttrs = extra;
} as unknown as new (at: Record<string, string>, id: string, operation: string, interval: string, callId: string, rcCode: string, opStatus: string) => LrmRscOp;
OpRecord.prototype = Object.prototype;

function missing(el: El, name: string): never {
  fail(el, `missing required attribute "${name}"`, name, "missing-attribute");
}

/** attributes outside `known`, kept for the round trip; only looked for when `at` has more than the `found` known ones */
function extraAttrsOf(at: Record<string, string>, found: number, known: Set<string>): ExtraAttrs | undefined {
  let total = 0;
  for (const _ in at) total++;
  if (total === found) return undefined;
  let extra: ExtraAttrs | undefined;
  for (const k in at) if (!known.has(k)) (extra ??= {})[k] = at[k];
  return extra;
}

const LRM_RSC_KNOWN = new Set(["id", "class", "provider", "type", "container"]);

// One per resource and node: like parseLrmRscOp, without the generic helpers.
function parseLrmResource(el: El): LrmResource {
  const at = el.attrs;
  const id = at.id;
  if (id === undefined) fail(el, `missing required attribute "id"`, "id", "missing-attribute");
  const children = el.children;
  let onlyOps = true;
  for (const c of children) if (c.tag !== "lrm_rsc_op") onlyOps = false;
  // (map gives a list of exactly this length; pushing onto [] gives room for 17 at the first push)
  const ops: LrmRscOp[] = onlyOps ? children.map(parseLrmRscOp) : [];
  let unknown: El[] | undefined;
  if (!onlyOps) {
    for (const c of children) {
      if (c.tag === "lrm_rsc_op") ops.push(parseLrmRscOp(c));
      else (unknown ??= []).push(c);
    }
  }
  return new ResourceRecord(at, id, ops, unknown);
}

/** Builds a parsed lrm_resource: a plain object, made through `new` for the reason given at OpRecord. */
const ResourceRecord = function (this: LrmResource, at: Record<string, string>, id: string, ops: LrmRscOp[], unknown: El[] | undefined) {
  this.id = id;
  this.ops = ops;
  let found = 1;
  const cls = at.class;
  if (cls !== undefined) (this.class = cls), found++;
  const provider = at.provider;
  if (provider !== undefined) (this.provider = provider), found++;
  const type = at.type;
  if (type !== undefined) (this.type = type), found++;
  const container = at.container;
  if (container !== undefined) (this.container = container), found++;
  const extra = extraAttrsOf(at, found, LRM_RSC_KNOWN);
  if (extra) this.extraAttrs = extra;
  if (unknown) this.unknown = unknown.map(toRaw);
} as unknown as new (at: Record<string, string>, id: string, ops: LrmRscOp[], unknown: El[] | undefined) => LrmResource;
ResourceRecord.prototype = Object.prototype;

function parseNodeState(el: El): NodeState {
  const a = new Attrs(el);
  // crm_simulate reads a node_state without an id (and then ignores it); its id is "" here,
  // which the scheduler ignores too and the writer leaves out
  const id = el.attrs.uname !== undefined && el.attrs.id === undefined ? (a.opt("id"), "") : a.req("id");
  const ns: NodeState = { id, transientAttributes: [], lrmResources: [] };
  const unknown: El[] = [];
  let transientId: string | undefined;
  let lrmId: string | undefined;
  for (const c of el.children) {
    if (c.tag === "transient_attributes" && transientId === undefined && Object.keys(c.attrs).every((k) => k === "id")) {
      transientId = c.attrs.id ?? "";
      for (const s of expectOnly(c, "instance_attributes")) ns.transientAttributes.push(parseNvSet(s));
    } else if (c.tag === "lrm" && lrmId === undefined) {
      lrmId = c.attrs.id ?? "";
      // Pacemaker reads the history whatever else the element carries (some CIBs have a uname here)
      for (const k in c.attrs) if (k !== "id") (ns.lrmAttrs ??= {})[k] = c.attrs[k];
      for (const lr of expectOnly(c, "lrm_resources")) {
        if (Object.keys(lr.attrs).length) ns.lrmResourcesAttrs = { ...(ns.lrmResourcesAttrs ?? {}), ...lr.attrs };
        for (const r of expectOnly(lr, "lrm_resource")) ns.lrmResources.push(parseLrmResource(r));
      }
    } else unknown.push(c);
  }
  return def(ns, {
    uname: a.opt("uname"),
    inCcm: a.opt("in_ccm"),
    crmd: a.opt("crmd"),
    join: a.opt("join"),
    expected: a.opt("expected"),
    crmDebugOrigin: a.opt("crm-debug-origin"),
    ha: a.opt("ha"),
    transientId,
    lrmId,
    extraAttrs: a.extras(),
    unknown: rawList(unknown),
  });
}

/** A node_state the fast reader already turned into the model (or failed on), else parse it now. */
function nodeStateOf(el: El): NodeState {
  const early = el.early;
  if (!early) return parseNodeState(el);
  if ("error" in early) throw early.error;
  return early.value as NodeState;
}

// ---------------------------------------------------------------------------
// Public: parse

/**
 * Parse a Pacemaker cib.xml. Throws CibError naming the line for malformed XML, and the
 * element, id and line for a missing required attribute or a misplaced element.
 */
export function parseCibXml(xml: string): Cib {
  if (typeof xml !== "string" || !/\S/.test(xml)) throw new CibError("empty CIB XML", { code: "bad-xml" });
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1); // byte order mark
  const roots = parseTree(xml, parseNodeState);
  if (roots.length !== 1) throw new CibError("XML must have exactly one root element", { code: "bad-xml" });
  const root = roots[0];
  if (root.tag !== "cib") fail(root, "the root element must be <cib>", undefined, "not-a-cib");
  const confEl = root.children.find((c) => c.tag === "configuration");
  if (!confEl) fail(root, "missing <configuration>", "configuration", "missing-element");
  const cib: Cib = { attrs: { ...root.attrs }, configuration: parseConfiguration(confEl), status: [] };
  const unknown: El[] = [];
  let seenConf = false;
  let seenStatus = false;
  for (const c of root.children) {
    if (c.tag === "configuration" && !seenConf) seenConf = true;
    else if (c.tag === "status" && !seenStatus) {
      seenStatus = true;
      for (const ns of expectOnly(noAttrs(c), "node_state")) cib.status.push(nodeStateOf(ns));
    } else unknown.push(c);
  }
  const u = rawList(unknown);
  if (u) cib.unknown = u;
  return cib;
}

// ---------------------------------------------------------------------------
// Export

// What XML cannot carry at all: control characters, U+FFFE/U+FFFF, unpaired surrogates.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

function unwritable(what: string, label: string, elementId?: string): never {
  throw new CibError(`cannot write ${label} as XML: ${what}`, { code: "unwritable", elementId });
}

function escAttr(v: string, label: string, name: string): string {
  // numbers and booleans are tolerated (written as text); anything else is a bug in the caller
  const s = typeof v === "number" || typeof v === "boolean" ? String(v) : v;
  if (typeof s !== "string") unwritable(`attribute "${name}" is ${v === null ? "null" : typeof v}, not a string`, label);
  if (NOT_XML.test(s)) unwritable(`attribute "${name}" holds a character XML does not allow`, label);
  return s.replace(/[&<>"\n\r\t]/g, (ch) =>
    ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch === '"' ? "&quot;" : ch === "\n" ? "&#10;" : ch === "\r" ? "&#13;" : "&#9;",
  );
}

function escText(s: string, tag: string): string {
  if (typeof s !== "string") unwritable(`text is ${typeof s}, not a string`, `<${tag}>`);
  if (NOT_XML.test(s)) unwritable("text holds a character XML does not allow", `<${tag}>`);
  return s.replace(/[&<>]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : "&gt;"));
}

type AttrList = [string, string | undefined][];

// Hot path at scale (an 18 MB status section): every piece goes into one flat array of
// small strings joined once at the end, so no per-element concatenation chains.
const INDENT: string[] = [];
const indent = (d: number): string => (INDENT[d] ??= "  ".repeat(d));

class Writer {
  private out: string[] = [];
  private depth = 0;

  private open(tag: string, attrs: AttrList, extra?: ExtraAttrs): void {
    if (typeof tag !== "string" || !XML_NAME.test(tag)) unwritable(`"${String(tag)}" is not an XML element name`, "an element");
    let id: string | undefined;
    for (const [k, v] of attrs) if (k === "id") id = v;
    id ??= extra?.id;
    const label = typeof id === "string" && id !== "" ? `<${tag} id="${id}">` : `<${tag}>`;
    const out = this.out;
    out.push(indent(this.depth), "<", tag);
    for (const [k, v] of attrs) {
      if (v === undefined) continue;
      out.push(" ", k, '="', escAttr(v, label, k), '"');
    }
    if (extra) {
      for (const k in extra) {
        if (attrs.some(([m, v]) => m === k && v !== undefined)) continue; // a modelled field wins over a stray duplicate
        if (!XML_NAME.test(k)) unwritable(`"${k}" is not an XML attribute name`, label);
        out.push(" ", k, '="', escAttr(extra[k], label, k), '"');
      }
    }
  }

  /** Element with children written by `body`; self-closing when body writes nothing. */
  el(tag: string, attrs: AttrList, extra: ExtraAttrs | undefined, body?: () => void, text?: string): void {
    this.open(tag, attrs, extra);
    const out = this.out;
    const mark = out.length;
    out.push(""); // becomes the end of the start tag once we know whether children follow
    this.depth++;
    body?.();
    this.depth--;
    const hasChildren = out.length > mark + 1;
    if (!hasChildren && text === undefined) {
      out[mark] = "/>\n";
    } else if (!hasChildren) {
      out[mark] = ">";
      out.push(escText(text!, tag), "</", tag, ">\n");
    } else {
      out[mark] = text === undefined ? ">\n" : `>${escText(text, tag)}\n`;
      out.push(indent(this.depth), "</", tag, ">\n");
    }
  }

  raw(x: RawXml): void {
    this.el(x.tag, [], x.attrs, () => x.children.forEach((c) => this.raw(c)), x.text);
  }

  toString(): string {
    return this.out.join("");
  }
}

function idAttrs(id: string, idRef: string | undefined): AttrList {
  return [
    ["id", idRef !== undefined && id === "" ? undefined : id],
    ["id-ref", idRef],
  ];
}

function writeNvSet(w: Writer, tag: string, s: NvSet): void {
  w.el(tag, [...idAttrs(s.id, s.idRef), ["score", s.score]], s.extraAttrs, () => {
    if (s.rule) writeRule(w, s.rule);
    for (const p of s.nvpairs) {
      w.el(
        "nvpair",
        [...idAttrs(p.id, p.idRef), ["name", p.idRef !== undefined && p.name === "" ? undefined : p.name], ["value", p.value]],
        p.extraAttrs,
      );
    }
    for (const u of s.unknown ?? []) w.raw(u);
  });
}

function writeDateSpec(w: Writer, tag: string, d: DateSpec): void {
  w.el(tag, [["id", d.id]], d.attrs);
}

function writeRule(w: Writer, r: Rule): void {
  w.el(
    "rule",
    [
      ...idAttrs(r.id, r.idRef),
      ["score", r.score],
      ["score-attribute", r.scoreAttribute],
      ["boolean-op", r.booleanOp],
      ["role", r.role],
    ],
    r.extraAttrs,
    () => {
      for (const e of r.expressions) {
        if (e.kind === "rule") writeRule(w, e);
        else if (e.kind === "expression")
          w.el(
            "expression",
            [
              ["id", e.id],
              ["attribute", e.attribute],
              ["operation", e.operation],
              ["value", e.value],
              ["type", e.type],
              ["value-source", e.valueSource],
            ],
            e.extraAttrs,
          );
        else if (e.kind === "date_expression")
          w.el(
            "date_expression",
            [
              ["id", e.id],
              ["operation", e.operation],
              ["start", e.start],
              ["end", e.end],
            ],
            e.extraAttrs,
            () => {
              if (e.dateSpec) writeDateSpec(w, "date_spec", e.dateSpec);
              if (e.duration) writeDateSpec(w, "duration", e.duration);
            },
          );
        else w.el(e.kind, [["id", e.id]], e.attrs);
      }
      for (const u of r.unknown ?? []) w.raw(u);
    },
  );
}

function writeOp(w: Writer, o: Operation): void {
  w.el(
    "op",
    [
      ["id", o.id],
      ["name", o.name],
      ["interval", o.interval],
      ["timeout", o.timeout],
      ["role", o.role],
      ["on-fail", o.onFail],
      ["enabled", o.enabled],
      ["record-pending", o.recordPending],
      ["start-delay", o.startDelay],
      ["interval-origin", o.intervalOrigin],
      ["description", o.description],
    ],
    o.extraAttrs,
    () => {
      for (const s of o.instanceAttributes) writeNvSet(w, "instance_attributes", s);
      for (const s of o.metaAttributes) writeNvSet(w, "meta_attributes", s);
      for (const u of o.unknown ?? []) w.raw(u);
    },
  );
}

function writePrimitive(w: Writer, p: Primitive): void {
  const fromTemplate = p.template !== undefined;
  w.el(
    "primitive",
    [
      ["id", p.id],
      ["class", fromTemplate && p.class === "" ? undefined : p.class],
      ["provider", p.provider],
      ["type", fromTemplate && p.type === "" ? undefined : p.type],
      ["template", p.template],
      ["description", p.description],
    ],
    p.extraAttrs,
    () => {
      for (const s of p.instanceAttributes) writeNvSet(w, "instance_attributes", s);
      for (const s of p.metaAttributes) writeNvSet(w, "meta_attributes", s);
      for (const s of p.utilization) writeNvSet(w, "utilization", s);
      if (p.operations.length || p.operationsAttrs) {
        w.el("operations", [], p.operationsAttrs, () => p.operations.forEach((o) => writeOp(w, o)));
      }
      for (const u of p.unknown ?? []) w.raw(u);
    },
  );
}

function writeResource(w: Writer, r: Resource): void {
  switch (r.kind) {
    case "primitive":
      writePrimitive(w, r);
      return;
    case "group":
      w.el("group", [["id", r.id], ["description", r.description]], r.extraAttrs, () => {
        for (const s of r.instanceAttributes) writeNvSet(w, "instance_attributes", s);
        for (const s of r.metaAttributes) writeNvSet(w, "meta_attributes", s);
        for (const c of r.children) writePrimitive(w, c);
        for (const u of r.unknown ?? []) w.raw(u);
      });
      return;
    case "clone":
      w.el(r.legacyMaster ? "master" : "clone", [["id", r.id], ["description", r.description]], r.extraAttrs, () => {
        for (const s of r.instanceAttributes) writeNvSet(w, "instance_attributes", s);
        for (const s of r.metaAttributes) writeNvSet(w, "meta_attributes", s);
        writeResource(w, r.child);
        for (const u of r.unknown ?? []) w.raw(u);
      });
      return;
    case "unsupported":
      w.raw(r.raw);
      return;
  }
}

function writeResourceSet(w: Writer, s: ResourceSet): void {
  w.el(
    "resource_set",
    [
      ...idAttrs(s.id, s.idRef),
      ["sequential", s.sequential],
      ["require-all", s.requireAll],
      ["ordering", s.ordering],
      ["action", s.action],
      ["role", s.role],
      ["score", s.score],
      ["kind", s.kind],
    ],
    s.extraAttrs,
    () => {
      for (const id of s.resources) w.el("resource_ref", [["id", id]], undefined);
      for (const u of s.unknown ?? []) w.raw(u);
    },
  );
}

function writeConstraint(w: Writer, c: Constraint): void {
  switch (c.kind) {
    case "location":
      w.el(
        "rsc_location",
        [
          ["id", c.id],
          ["rsc", c.rsc],
          ["rsc-pattern", c.rscPattern],
          ["role", c.role],
          ["score", c.score],
          ["node", c.node],
          ["resource-discovery", c.resourceDiscovery],
        ],
        c.extraAttrs,
        () => {
          for (const s of c.sets) writeResourceSet(w, s);
          for (const r of c.rules) writeRule(w, r);
          for (const u of c.unknown ?? []) w.raw(u);
        },
      );
      return;
    case "colocation":
      w.el(
        "rsc_colocation",
        [
          ["id", c.id],
          ["score", c.score],
          ["rsc", c.rsc],
          ["with-rsc", c.withRsc],
          ["rsc-role", c.rscRole],
          ["with-rsc-role", c.withRscRole],
          ["node-attribute", c.nodeAttribute],
          ["influence", c.influence],
        ],
        c.extraAttrs,
        () => {
          for (const s of c.sets) writeResourceSet(w, s);
          for (const u of c.unknown ?? []) w.raw(u);
        },
      );
      return;
    case "order":
      w.el(
        "rsc_order",
        [
          ["id", c.id],
          ["score", c.score],
          ["kind", c.orderKind],
          ["first", c.first],
          ["then", c.then],
          ["first-action", c.firstAction],
          ["then-action", c.thenAction],
          ["symmetrical", c.symmetrical],
        ],
        c.extraAttrs,
        () => {
          for (const s of c.sets) writeResourceSet(w, s);
          for (const u of c.unknown ?? []) w.raw(u);
        },
      );
      return;
    case "unsupported":
      w.raw(c.raw);
      return;
  }
}

function writeNode(w: Writer, n: CibNode): void {
  w.el(
    "node",
    [
      ["id", n.id],
      ["uname", n.uname],
      ["type", n.type],
      ["description", n.description],
      ["score", n.score],
    ],
    n.extraAttrs,
    () => {
      for (const s of n.instanceAttributes) writeNvSet(w, "instance_attributes", s);
      for (const s of n.utilization) writeNvSet(w, "utilization", s);
      for (const u of n.unknown ?? []) w.raw(u);
    },
  );
}

function writeLrmRscOp(w: Writer, o: LrmRscOp): void {
  w.el(
    "lrm_rsc_op",
    [
      ["id", o.id],
      ["operation_key", o.operationKey],
      ["operation", o.operation],
      ["crm-debug-origin", o.crmDebugOrigin],
      ["crm_feature_set", o.crmFeatureSet],
      ["transition-key", o.transitionKey],
      ["transition-magic", o.transitionMagic],
      ["exit-reason", o.exitReason],
      ["on_node", o.onNode],
      ["call-id", o.callId],
      ["rc-code", o.rcCode],
      ["op-status", o.opStatus],
      ["interval", o.interval],
      ["last-run", o.lastRun],
      ["last-rc-change", o.lastRcChange],
      ["exec-time", o.execTime],
      ["queue-time", o.queueTime],
      ["op-digest", o.opDigest],
      ["op-force-restart", o.opForceRestart],
      ["op-restart-digest", o.opRestartDigest],
      ["op-secure-params", o.opSecureParams],
      ["op-secure-digest", o.opSecureDigest],
    ],
    o.extraAttrs,
  );
}

function writeNodeState(w: Writer, s: NodeState): void {
  w.el(
    "node_state",
    [
      ["id", s.id === "" ? undefined : s.id],
      ["uname", s.uname],
      ["in_ccm", s.inCcm],
      ["crmd", s.crmd],
      ["crm-debug-origin", s.crmDebugOrigin],
      ["join", s.join],
      ["expected", s.expected],
      ["ha", s.ha],
    ],
    s.extraAttrs,
    () => {
      // An element that existed is written back even when empty; sets without one get it.
      if (s.transientId !== undefined || s.transientAttributes.length) {
        const tid = s.transientId ?? s.id;
        w.el("transient_attributes", [["id", tid === "" ? undefined : tid]], undefined, () => {
          for (const t of s.transientAttributes) writeNvSet(w, "instance_attributes", t);
        });
      }
      if (s.lrmId !== undefined || s.lrmResources.length || s.lrmResourcesAttrs) {
        const lid = s.lrmId ?? s.id;
        w.el("lrm", [["id", lid === "" ? undefined : lid]], s.lrmAttrs, () => {
          w.el("lrm_resources", [], s.lrmResourcesAttrs, () => {
            for (const r of s.lrmResources)
              w.el(
                "lrm_resource",
                [
                  ["id", r.id],
                  ["type", r.type],
                  ["class", r.class],
                  ["provider", r.provider],
                  ["container", r.container],
                ],
                r.extraAttrs,
                () => {
                  for (const o of r.ops) writeLrmRscOp(w, o);
                  for (const u of r.unknown ?? []) w.raw(u);
                },
              );
          });
        });
      }
      for (const u of s.unknown ?? []) w.raw(u);
    },
  );
}

/** Write the CIB as Pacemaker XML (2-space indent, no XML declaration, as cibadmin prints it). */
export function exportCibXml(cib: Cib): string {
  const w = new Writer();
  const c = cib.configuration;
  w.el("cib", [], cib.attrs, () => {
    w.el("configuration", [], undefined, () => {
      w.el("crm_config", [], undefined, () => c.crmConfig.forEach((s) => writeNvSet(w, "cluster_property_set", s)));
      if (c.rscDefaults.length)
        w.el("rsc_defaults", [], undefined, () => c.rscDefaults.forEach((s) => writeNvSet(w, "meta_attributes", s)));
      if (c.opDefaults.length)
        w.el("op_defaults", [], undefined, () => c.opDefaults.forEach((s) => writeNvSet(w, "meta_attributes", s)));
      w.el("nodes", [], undefined, () => c.nodes.forEach((n) => writeNode(w, n)));
      w.el("resources", [], undefined, () => c.resources.forEach((r) => writeResource(w, r)));
      w.el("constraints", [], undefined, () => c.constraints.forEach((k) => writeConstraint(w, k)));
      for (const u of c.unknown) w.raw(u);
    });
    w.el("status", [], undefined, () => cib.status.forEach((s) => writeNodeState(w, s)));
    for (const u of cib.unknown ?? []) w.raw(u);
  });
  return w.toString();
}
