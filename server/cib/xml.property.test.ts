// Property: for any model the parser could produce, exporting and parsing again gives it back,
// whatever characters the values hold (markup characters, quotes, newlines, tabs, non-ASCII).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  Cib,
  CibNode,
  Constraint,
  ExtraAttrs,
  LrmRscOp,
  NodeState,
  NvSet,
  Operation,
  Primitive,
  RawXml,
  Resource,
  ResourceSet,
  Rule,
} from "./types";
import { exportCibXml, parseCibXml } from "./xml";

const chars = ["a", "Z", "0", " ", "&", "<", ">", '"', "'", "\n", "\t", "\r", "é", "€", "😀", ";", "#", "=", "&amp;", "]]>", "-"];
const value = fc.array(fc.constantFrom(...chars), { maxLength: 10 }).map((a) => a.join(""));
const id = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/);
const extra: fc.Arbitrary<ExtraAttrs> = fc.dictionary(fc.stringMatching(/^x-[a-z]{1,5}$/), value, { minKeys: 1, maxKeys: 3 });
// Text of raw elements is kept trimmed, without carriage returns (XML normalises them).
const text = value.map((s) => s.replace(/\r/g, "").trim()).filter((s) => s.length > 0);

// Raw elements nest at most three levels here (real unknown sections are shallow).
const rawLevel = (children: fc.Arbitrary<RawXml[]>): fc.Arbitrary<RawXml> =>
  fc.record(
    {
      tag: fc.stringMatching(/^u-[a-z]{1,6}$/),
      attrs: fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,5}$/), value, { maxKeys: 3 }),
      children,
      text,
    },
    { requiredKeys: ["tag", "attrs", "children"] },
  );
const rawLeaf = rawLevel(fc.constant([]));
const rawMid = rawLevel(fc.array(rawLeaf, { maxLength: 2 }));
const raw: fc.Arbitrary<RawXml> = fc.oneof(rawLeaf, rawMid, rawLevel(fc.array(rawMid, { maxLength: 2 })));
const unknown = fc.array(raw, { minLength: 1, maxLength: 2 });

const nvpair = fc.record({ id, name: value.filter((s) => s !== ""), value, extraAttrs: extra }, { requiredKeys: ["id", "name"] });

const expression = fc.record(
  {
    kind: fc.constant("expression" as const),
    id,
    attribute: value,
    operation: fc.constantFrom("eq", "ne", "lt", "defined"),
    value,
    type: fc.constantFrom("string", "integer", "number", "version"),
    valueSource: fc.constantFrom("literal", "param"),
    extraAttrs: extra,
  },
  { requiredKeys: ["kind", "id", "attribute", "operation"] },
);
const dateSpec = fc.record({ id, attrs: fc.dictionary(fc.constantFrom("hours", "weekdays", "months", "years"), value, { maxKeys: 3 }) });
const dateExpression = fc.record(
  { kind: fc.constant("date_expression" as const), id, operation: fc.constantFrom("gt", "lt", "in_range", "date_spec"), start: value, end: value, dateSpec, duration: dateSpec },
  { requiredKeys: ["kind", "id", "operation"] },
);
const rscOpExpression = fc.record({
  kind: fc.constantFrom("rsc_expression" as const, "op_expression" as const),
  id,
  attrs: fc.dictionary(fc.constantFrom("class", "provider", "type", "name", "interval"), value, { maxKeys: 3 }),
});
const ruleLevel = (inner: fc.Arbitrary<Rule> | undefined): fc.Arbitrary<Rule> =>
  fc.record(
    {
      kind: fc.constant("rule" as const),
      id,
      score: fc.constantFrom("INFINITY", "-INFINITY", "10"),
      booleanOp: fc.constantFrom("and", "or"),
      role: fc.constantFrom("Promoted", "Started"),
      expressions: fc.array(inner ? fc.oneof(expression, dateExpression, rscOpExpression, inner) : fc.oneof(expression, dateExpression, rscOpExpression), {
        maxLength: 3,
      }),
      extraAttrs: extra,
      unknown,
    },
    { requiredKeys: ["kind", "id", "expressions"] },
  );
const rule: fc.Arbitrary<Rule> = ruleLevel(ruleLevel(undefined));

const nvset: fc.Arbitrary<NvSet> = fc.record(
  { id, score: fc.constantFrom("1", "INFINITY"), rule, nvpairs: fc.array(nvpair, { maxLength: 3 }), extraAttrs: extra, unknown },
  { requiredKeys: ["id", "nvpairs"] },
);
const sets = fc.array(nvset, { maxLength: 2 });

const op: fc.Arbitrary<Operation> = fc.record(
  {
    id,
    name: fc.constantFrom("monitor", "start", "stop"),
    interval: fc.constantFrom("0", "10s", "PT1M"),
    timeout: value,
    role: value,
    onFail: value,
    enabled: value,
    recordPending: value,
    startDelay: value,
    intervalOrigin: value,
    description: value,
    instanceAttributes: sets,
    metaAttributes: sets,
    extraAttrs: extra,
    unknown,
  },
  { requiredKeys: ["id", "name", "interval", "instanceAttributes", "metaAttributes"] },
);

const primitive: fc.Arbitrary<Primitive> = fc.record(
  {
    kind: fc.constant("primitive" as const),
    id,
    class: fc.constantFrom("ocf", "lsb", "systemd", "stonith"),
    provider: value,
    type: value.filter((s) => s !== ""),
    description: value,
    metaAttributes: sets,
    instanceAttributes: sets,
    utilization: sets,
    operations: fc.array(op, { maxLength: 2 }),
    operationsAttrs: fc.dictionary(fc.constantFrom("id", "x-a"), value, { minKeys: 1, maxKeys: 2 }),
    extraAttrs: extra,
    unknown,
  },
  { requiredKeys: ["kind", "id", "class", "type", "metaAttributes", "instanceAttributes", "utilization", "operations"] },
);
const group = fc.record(
  { kind: fc.constant("group" as const), id, children: fc.array(primitive, { minLength: 1, maxLength: 2 }), metaAttributes: sets, instanceAttributes: sets, description: value, extraAttrs: extra, unknown },
  { requiredKeys: ["kind", "id", "children", "metaAttributes", "instanceAttributes"] },
);
const clone = fc.record(
  { kind: fc.constant("clone" as const), id, child: fc.oneof(primitive, group), legacyMaster: fc.constant(true), metaAttributes: sets, instanceAttributes: sets, extraAttrs: extra, unknown },
  { requiredKeys: ["kind", "id", "child", "metaAttributes", "instanceAttributes"] },
);
const resource: fc.Arbitrary<Resource> = fc.oneof(primitive, group, clone);

const resourceSet: fc.Arbitrary<ResourceSet> = fc.record(
  {
    id,
    resources: fc.array(id, { maxLength: 3 }),
    sequential: value,
    requireAll: value,
    ordering: value,
    action: value,
    role: value,
    score: value,
    kind: value,
    extraAttrs: extra,
    unknown,
  },
  { requiredKeys: ["id", "resources"] },
);
const rsets = fc.array(resourceSet, { maxLength: 2 });
const constraint: fc.Arbitrary<Constraint> = fc.oneof(
  fc.record(
    { kind: fc.constant("location" as const), id, rsc: value, rscPattern: value, node: value, score: value, role: value, resourceDiscovery: value, rules: fc.array(rule, { maxLength: 2 }), sets: rsets, extraAttrs: extra, unknown },
    { requiredKeys: ["kind", "id", "rules", "sets"] },
  ),
  fc.record(
    { kind: fc.constant("colocation" as const), id, rsc: value, withRsc: value, score: value, rscRole: value, withRscRole: value, nodeAttribute: value, influence: value, sets: rsets, extraAttrs: extra, unknown },
    { requiredKeys: ["kind", "id", "sets"] },
  ),
  fc.record(
    { kind: fc.constant("order" as const), id, first: value, then: value, firstAction: value, thenAction: value, orderKind: value, score: value, symmetrical: value, sets: rsets, extraAttrs: extra, unknown },
    { requiredKeys: ["kind", "id", "sets"] },
  ),
  raw.map((r) => ({ kind: "unsupported" as const, id: "t1", tag: "rsc_ticket", raw: { ...r, tag: "rsc_ticket", attrs: { ...r.attrs, id: "t1" } } })),
);

const node: fc.Arbitrary<CibNode> = fc.record(
  { id, uname: value, type: value, description: value, score: value, instanceAttributes: sets, utilization: sets, extraAttrs: extra, unknown },
  { requiredKeys: ["id", "uname", "instanceAttributes", "utilization"] },
);

const lrmOp: fc.Arbitrary<LrmRscOp> = fc.record(
  {
    id,
    operation: value,
    interval: value,
    callId: value,
    rcCode: value,
    opStatus: value,
    operationKey: value,
    transitionKey: value,
    transitionMagic: value,
    lastRcChange: value,
    execTime: value,
    opDigest: value,
    onNode: value,
    exitReason: value,
    extraAttrs: extra,
  },
  { requiredKeys: ["id", "operation", "interval", "callId", "rcCode", "opStatus"] },
);
const nodeState: fc.Arbitrary<NodeState> = fc.record(
  {
    id,
    uname: value,
    inCcm: value,
    crmd: value,
    join: value,
    expected: value,
    crmDebugOrigin: value,
    transientAttributes: sets,
    transientId: id,
    lrmId: id,
    lrmResources: fc.array(
      fc.record(
        { id, class: value, provider: value, type: value, container: value, ops: fc.array(lrmOp, { maxLength: 3 }), extraAttrs: extra, unknown },
        { requiredKeys: ["id", "ops"] },
      ),
      { maxLength: 2 },
    ),
    extraAttrs: extra,
    unknown,
  },
  { requiredKeys: ["id", "transientAttributes", "lrmResources"] },
).map((s) => {
  // the parser reports the wrapper element ids only when the elements exist
  const out = { ...s };
  if (out.transientId === undefined && out.transientAttributes.length) out.transientId = out.id;
  if (out.lrmId === undefined && out.lrmResources.length) out.lrmId = out.id;
  return out;
});

const cib: fc.Arbitrary<Cib> = fc.record({
  attrs: fc.dictionary(fc.constantFrom("epoch", "num_updates", "admin_epoch", "validate-with", "x-custom"), value),
  configuration: fc.record({
    crmConfig: sets,
    nodes: fc.array(node, { maxLength: 2 }),
    resources: fc.array(resource, { maxLength: 3 }),
    constraints: fc.array(constraint, { maxLength: 3 }),
    rscDefaults: sets,
    opDefaults: sets,
    unknown: fc.array(raw, { maxLength: 2 }),
  }),
  status: fc.array(nodeState, { maxLength: 2 }),
});

describe("export/parse round trip (property)", () => {
  it("gives back any model, whatever its values hold", () => {
    fc.assert(
      fc.property(cib, (generated) => {
        const model = JSON.parse(JSON.stringify(generated)) as Cib; // plain objects (fast-check makes null-prototype ones)
        const xml = exportCibXml(model);
        expect(parseCibXml(xml)).toStrictEqual(model);
      }),
      { numRuns: 40 },
    );
  });
});
