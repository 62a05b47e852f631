import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CibError } from "./errors";
import { findResource } from "./find";
import type { Clone, Group, LocationConstraint, Primitive, Rule, UnsupportedResource } from "./types";
import { LRM_OP_OPTIONAL, exportCibXml, parseCibXml } from "./xml";

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "fixtures", name), "utf8");

function errorOf(fn: () => unknown): CibError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CibError);
    return e as CibError;
  }
  throw new Error("expected a CibError");
}

const wrap = (resources: string, status = "") =>
  `<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">\n` +
  `  <configuration>\n    <crm_config/>\n    <nodes/>\n    <resources>\n${resources}\n    </resources>\n    <constraints/>\n  </configuration>\n` +
  `  <status>${status}</status>\n</cib>\n`;

describe("parseCibXml: web group fixture", () => {
  const cib = parseCibXml(fixture("web-group.xml"));

  it("reads cib attributes and cluster properties", () => {
    expect(cib.attrs.epoch).toBe("12");
    expect(cib.attrs["validate-with"]).toBe("pacemaker-3.9");
    expect(cib.attrs["cib-last-written"]).toBe("Tue Dec  1 10:00:00 2026");
    const props = cib.configuration.crmConfig[0];
    expect(props.id).toBe("cib-bootstrap-options");
    expect(props.nvpairs.find((p) => p.name === "cluster-name")?.value).toBe("web & more");
  });

  it("reads the group, its primitives, attributes and operations", () => {
    const web = cib.configuration.resources[0] as Group;
    expect(web.kind).toBe("group");
    expect(web.children.map((c) => c.id)).toEqual(["VIP", "apache"]);
    const vip = web.children[0];
    expect([vip.class, vip.provider, vip.type]).toEqual(["ocf", "heartbeat", "IPaddr2"]);
    expect(vip.instanceAttributes[0].nvpairs.map((p) => [p.name, p.value])).toEqual([
      ["ip", "192.168.122.120"],
      ["cidr_netmask", "24"],
    ]);
    expect(vip.operations.map((o) => [o.name, o.interval, o.timeout])).toEqual([
      ["monitor", "10s", "20s"],
      ["start", "0s", "20s"],
      ["stop", "0s", "20s"],
    ]);
    const apache = web.children[1];
    expect(apache.description).toBe("the web server");
    expect(apache.operations[0].onFail).toBe("restart");
    expect(apache.instanceAttributes[0].nvpairs[1].value).toBe('http://127.0.0.1/server-status?a=1&b="2"');
    expect(web.metaAttributes[0].nvpairs[0]).toEqual({
      id: "web-meta_attributes-target-role",
      name: "target-role",
      value: "Started",
    });
  });

  it("reads constraints, defaults and nodes", () => {
    expect(cib.configuration.constraints).toEqual([
      { kind: "location", id: "location-web-node1-100", rsc: "web", node: "node1", score: "100", rules: [], sets: [] },
      { kind: "location", id: "location-web-node3", rsc: "web", node: "node3", score: "-INFINITY", rules: [], sets: [] },
    ]);
    expect(cib.configuration.rscDefaults[0].nvpairs[0].name).toBe("resource-stickiness");
    expect(cib.configuration.nodes.map((n) => n.uname)).toEqual(["node1", "node2", "node3"]);
    expect(cib.configuration.nodes[0].instanceAttributes[0].nvpairs[0].value).toBe("east");
    expect(cib.configuration.nodes[2].description).toBe("spare");
  });

  it("reads node states, transient attributes and operation history", () => {
    const [n1, n2, n3] = cib.status;
    expect([n1.id, n1.uname, n1.inCcm, n1.crmd, n1.join, n1.expected, n1.crmDebugOrigin]).toEqual([
      "1", "node1", "true", "online", "member", "member", "do_update_resource",
    ]);
    expect(n1.transientId).toBe("1");
    expect(n1.transientAttributes[0].nvpairs[0].name).toBe("fail-count-apache#monitor_30000");
    expect(n1.lrmId).toBe("1");
    const apache = n1.lrmResources[1];
    expect([apache.id, apache.class, apache.provider, apache.type]).toEqual(["apache", "ocf", "heartbeat", "apache"]);
    const fail = apache.ops[1];
    expect(fail).toMatchObject({
      id: "apache_last_failure_0",
      operationKey: "apache_monitor_30000",
      operation: "monitor",
      interval: "30000",
      callId: "13",
      rcCode: "7",
      opStatus: "0",
      onNode: "node1",
      lastRcChange: "1764583200",
      execTime: "30",
      queueTime: "0",
      crmFeatureSet: "3.16.1",
      transitionMagic: "0:7;6:1:0:5b1c2d3e-aaaa-bbbb-cccc-0123456789ab",
      exitReason: "apache is not running\n(pid file gone)",
      extraAttrs: { "some-future-attr": "x" },
    });
    expect(n2.lrmId).toBe("2");
    expect(n2.lrmResources).toEqual([]);
    expect(n3.lrmId).toBeUndefined();
    expect(n3.transientId).toBeUndefined();
  });

  it("exports escaped values that read back the same", () => {
    const out = exportCibXml(cib);
    expect(out).toContain('value="web &amp; more"');
    expect(out).toContain('exit-reason="apache is not running&#10;(pid file gone)"');
    expect(out).toContain('some-future-attr="x"');
    expect(out.startsWith("<cib ")).toBe(true);
    expect(parseCibXml(out)).toStrictEqual(cib);
  });
});

describe("parseCibXml: clones, rules and raw sections", () => {
  it("reads clones, promotable and legacy master, sets", () => {
    const cib = parseCibXml(fixture("clones.xml"));
    const legacy = findResource(cib, "legacy-ms") as Clone;
    expect(legacy.kind).toBe("clone");
    expect(legacy.legacyMaster).toBe(true);
    expect(legacy.child.id).toBe("legacy");
    const db = findResource(cib, "db-clone") as Clone;
    expect(db.legacyMaster).toBeUndefined();
    expect((db.child as Primitive).operations.map((o) => o.role)).toEqual(["Promoted", "Unpromoted"]);
    const svc = findResource(cib, "svc-clone") as Clone;
    expect(svc.child.kind).toBe("group");
    expect((svc.child as Group).children.map((c) => c.class)).toEqual(["ocf", "systemd", "lsb"]);
    expect((svc.child as Group).children[1].provider).toBeUndefined();
    const order = cib.configuration.constraints.find((c) => c.id === "set-order");
    expect(order).toEqual({
      kind: "order",
      id: "set-order",
      orderKind: "Serialize",
      sets: [
        { id: "set-order-0", sequential: "false", resources: ["svc-clone", "ping-clone"] },
        { id: "set-order-1", requireAll: "false", action: "start", resources: ["app"] },
      ],
    });
    expect(exportCibXml(cib)).toContain('<master id="legacy-ms">');
  });

  it("reads rules with every expression kind, id-refs and raw sections", () => {
    const cib = parseCibXml(fixture("rules.xml"));
    const night = cib.configuration.crmConfig[1];
    expect(night.rule?.booleanOp).toBe("or");
    expect(night.rule?.expressions[0]).toEqual({
      kind: "date_expression",
      id: "night-expr",
      operation: "date_spec",
      dateSpec: { id: "night-spec", attrs: { hours: "0-6", weekdays: "1-5" } },
    });
    expect(cib.configuration.crmConfig[0].score).toBe("100");
    const loc = cib.configuration.constraints[0] as LocationConstraint;
    expect(loc.rules[0].scoreAttribute).toBe("rack");
    expect(loc.rules[0].expressions[0]).toEqual({
      kind: "expression", id: "worker-prefer-rack-e", attribute: "rack", operation: "defined",
    });
    const window = loc.rules[1];
    expect(window.expressions[0]).toMatchObject({ kind: "date_expression", operation: "in_range", start: "2026-01-01", duration: { id: "worker-window-dur", attrs: { months: "1" } } });
    const inner = window.expressions[1] as Rule;
    expect(inner.kind).toBe("rule");
    expect(inner.expressions.map((e) => e.kind)).toEqual(["expression", "expression", "date_expression"]);
    expect(inner.expressions[1]).toMatchObject({ type: "number", value: "2", operation: "gte" });
    const refLoc = cib.configuration.constraints[1] as LocationConstraint;
    expect(refLoc.rules[0]).toEqual({ kind: "rule", id: "", idRef: "worker-prefer-rack", expressions: [] });
    expect(cib.configuration.constraints[2]).toMatchObject({ rscPattern: "^fence-", resourceDiscovery: "always" });
    expect(cib.configuration.constraints[3]).toMatchObject({ kind: "unsupported", tag: "rsc_ticket", id: "worker-ticket" });
    const helper = findResource(cib, "helper") as Primitive;
    expect(helper.metaAttributes).toEqual([{ id: "", idRef: "worker-meta-2", nvpairs: [] }]);
    const worker = findResource(cib, "worker") as Primitive;
    expect(worker.operationsAttrs).toEqual({ id: "worker-ops" });
    expect(worker.metaAttributes[0].rule?.expressions[0]).toMatchObject({ attribute: "#uname", value: "n1" });
    expect(worker.utilization[0].nvpairs[0]).toMatchObject({ name: "cpu", value: "2" });
    const mon = worker.operations[0];
    expect(mon).toMatchObject({ interval: "1min", recordPending: "true", startDelay: "0s", enabled: "true" });
    expect(mon.instanceAttributes[0].nvpairs[0]).toMatchObject({ name: "OCF_CHECK_LEVEL", value: "10" });
    expect(mon.metaAttributes[0].nvpairs[0]).toMatchObject({ name: "timeout", value: "45s" });
    expect(worker.operations[1].description).toBe("quick");
    expect(cib.configuration.rscDefaults[0].rule?.expressions[0]).toEqual({
      kind: "rsc_expression", id: "rsc-defaults-dummy-expr", attrs: { class: "ocf", provider: "pacemaker", type: "Dummy" },
    });
    expect(cib.configuration.opDefaults[0].rule?.expressions[0]).toEqual({
      kind: "op_expression", id: "op-defaults-monitor-expr", attrs: { name: "monitor", interval: "1min" },
    });
    expect(cib.configuration.unknown.map((u) => u.tag)).toEqual(["fencing-topology", "acls", "tags", "alerts"]);
    expect(cib.configuration.nodes[0].utilization[0].nvpairs.map((p) => p.name)).toEqual(["cpu", "memory"]);
    const out = exportCibXml(cib);
    expect(out).toContain('<meta_attributes id-ref="worker-meta-2"/>');
    expect(out).toContain('<rule id-ref="worker-prefer-rack"/>');
    expect(out).toContain('<fencing-level id="fl-n1-1" target="n1" index="1" devices="fence-n1"/>');
  });

  it("keeps bundles, templates and template-based primitives", () => {
    const cib = parseCibXml(fixture("unsupported.xml"));
    const [tmpl, fromTmpl, bundle] = cib.configuration.resources;
    expect(tmpl).toMatchObject({ kind: "unsupported", tag: "template", id: "dummy-template" });
    expect(fromTmpl).toMatchObject({ kind: "primitive", id: "from-template", template: "dummy-template", class: "", type: "" });
    expect((bundle as UnsupportedResource).raw.children.map((c) => c.tag)).toEqual(["docker", "network", "primitive"]);
    const out = exportCibXml(cib);
    expect(out).toContain('<primitive id="from-template" template="dummy-template"/>');
    expect(out).toContain('<port-mapping id="httpd-port" port="80"/>');
  });

  it("keeps unknown attributes and elements anywhere", () => {
    const xml = wrap(
      `      <primitive id="p1" class="ocf" provider="pacemaker" type="Dummy" future="yes">
        <weird a="1"><inner b="2"/>some text</weird>
        <operations><op id="p1-mon" name="monitor" interval="10" odd="1"><gizmo/></op></operations>
      </primitive>`,
      `<node_state id="1" uname="n1" newattr="v"><lrm id="1"><lrm_resources><lrm_resource id="p1" class="ocf" type="Dummy" x="y"><extra/></lrm_resource></lrm_resources></lrm><mystery z="1"/></node_state>`,
    ).replace("<cib ", '<cib foo="bar" ') + "";
    const cib = parseCibXml(xml);
    const p = cib.configuration.resources[0] as Primitive;
    expect(p.extraAttrs).toEqual({ future: "yes" });
    expect(p.unknown).toEqual([
      { tag: "weird", attrs: { a: "1" }, children: [{ tag: "inner", attrs: { b: "2" }, children: [] }], text: "some text" },
    ]);
    expect(p.operations[0].extraAttrs).toEqual({ odd: "1" });
    expect(p.operations[0].unknown?.[0].tag).toBe("gizmo");
    expect(cib.attrs.foo).toBe("bar");
    expect(cib.status[0].extraAttrs).toEqual({ newattr: "v" });
    expect(cib.status[0].unknown?.[0]).toEqual({ tag: "mystery", attrs: { z: "1" }, children: [] });
    expect(cib.status[0].lrmResources[0]).toMatchObject({ extraAttrs: { x: "y" }, unknown: [{ tag: "extra", attrs: {}, children: [] }] });
    const out = exportCibXml(cib);
    expect(out).toContain("<weird a=\"1\">some text");
    expect(parseCibXml(out)).toStrictEqual(cib);
  });

  it("normalises literal line ends and tabs in attribute values as XML does, and accepts a BOM", () => {
    const cib = parseCibXml(
      "\uFEFF" + wrap(`<primitive id="p" class="ocf" provider="x" type="y" description="two\r\nlines\tand&#10;one"/>`),
    );
    expect((cib.configuration.resources[0] as Primitive).description).toBe("two lines and\none");
  });

  it("decodes numeric character references and keeps attribute spaces", () => {
    const cib = parseCibXml(
      wrap(`<primitive id="p" class="ocf" provider="x" type="y"><instance_attributes id="ia"><nvpair id="n" name="list" value=" a&#9;b&#x41; "/></instance_attributes></primitive>`),
    );
    expect((cib.configuration.resources[0] as Primitive).instanceAttributes[0].nvpairs[0].value).toBe(" a\tbA ");
  });
});

describe("exportCibXml: refuses what XML cannot carry", () => {
  it("names the element and attribute", () => {
    const cib = parseCibXml(fixture("web-group.xml"));
    const vip = (cib.configuration.resources[0] as Group).children[0];
    vip.instanceAttributes[0].nvpairs[0].value = "bad\u0001char";
    expect(() => exportCibXml(cib)).toThrow('cannot write <nvpair id="VIP-instance_attributes-ip"> as XML: attribute "value" holds a character XML does not allow');
    vip.instanceAttributes[0].nvpairs[0].value = null as never;
    expect(() => exportCibXml(cib)).toThrow(/attribute "value" is null/);
    vip.instanceAttributes[0].nvpairs[0].value = 42 as never;
    expect(exportCibXml(cib)).toContain('name="ip" value="42"');
    vip.extraAttrs = { "bad name": "x" };
    expect(() => exportCibXml(cib)).toThrow(/"bad name" is not an XML attribute name/);
    delete vip.extraAttrs;
    vip.unknown = [{ tag: "1x", attrs: {}, children: [] }];
    expect(() => exportCibXml(cib)).toThrow(CibError);
  });
});

describe("parseCibXml: errors", () => {
  it("names the line of malformed XML", () => {
    const e = errorOf(() => parseCibXml('<cib>\n  <configuration>\n    <nodes>\n  </configuration>\n</cib>'));
    expect(e.details.line).toBe(4);
    expect(e.message).toMatch(/line 4/);
    expect(e.details.code).toBe("bad-xml");
  });
  it("rejects undeclared entities and character references XML forbids, naming the line", () => {
    for (const v of ["&foo;", "&#0;", "&#xFFFFFFFF;", "&#55296;"]) {
      const e = errorOf(() => parseCibXml(wrap(`<primitive id="p" class="ocf" provider="x" type="y" description="a${v}"/>`)));
      expect(e.details).toMatchObject({ line: 6, code: "bad-xml" });
      expect(e.message).toContain(v);
    }
  });
  it("refuses duplicate attributes, a second root and nesting deeper than 100 elements", () => {
    expect(errorOf(() => parseCibXml('<cib a="1" a="2"><configuration/></cib>')).message).toMatch(/line 1.*duplicate attribute: a/);
    expect(errorOf(() => parseCibXml("<cib><configuration/></cib><cib/>")).message).toMatch(/only one root/);
    const deep = "<cib><configuration>" + "<x>".repeat(120) + "</x>".repeat(120) + "</configuration></cib>";
    expect(errorOf(() => parseCibXml(deep)).details).toMatchObject({ code: "bad-xml", line: 1 });
    expect(errorOf(() => parseCibXml(deep)).message).toMatch(/deeper than 100/);
  });
  it("rejects empty input and non-CIB roots", () => {
    expect(errorOf(() => parseCibXml("")).message).toMatch(/empty/);
    expect(errorOf(() => parseCibXml("<foo/>")).message).toMatch(/<cib>/);
    expect(errorOf(() => parseCibXml("<cib/>")).message).toMatch(/configuration/);
  });
  it("names tag, id and line of a primitive without type", () => {
    const e = errorOf(() => parseCibXml(wrap(`      <primitive id="web1" class="ocf" provider="heartbeat"/>`)));
    expect(e.message).toContain('<primitive id="web1">');
    expect(e.message).toContain('"type"');
    expect(e.details).toMatchObject({ elementId: "web1", field: "type", line: 6 });
  });
  it("names a primitive without class", () => {
    const e = errorOf(() => parseCibXml(wrap(`      <primitive id="web2" type="apache"/>`)));
    expect(e.details).toMatchObject({ elementId: "web2", field: "class" });
  });
  it("names an nvpair without name", () => {
    const e = errorOf(() =>
      parseCibXml(wrap(`      <primitive id="p" class="ocf" provider="x" type="y">\n<meta_attributes id="m">\n<nvpair id="m-1" value="1"/></meta_attributes></primitive>`)),
    );
    expect(e.message).toContain('<nvpair id="m-1">');
    expect(e.details).toMatchObject({ elementId: "m-1", field: "name", line: 8 });
  });
  it("names an lrm_rsc_op without operation", () => {
    const e = errorOf(() =>
      parseCibXml(
        wrap(
          "",
          `\n<node_state id="1"><lrm id="1"><lrm_resources><lrm_resource id="r" class="ocf" type="D">\n<lrm_rsc_op id="r_last_0" call-id="1" rc-code="0" op-status="0" interval="0"/></lrm_resource></lrm_resources></lrm></node_state>`,
        ),
      ),
    );
    expect(e.message).toContain('<lrm_rsc_op id="r_last_0">');
    expect(e.details).toMatchObject({ elementId: "r_last_0", field: "operation", line: 12 });
  });
  it("refuses attributes on resource_ref it could not keep", () => {
    const xml = wrap(`<primitive id="p" class="ocf" provider="x" type="y"/>`).replace(
      "<constraints/>",
      `<constraints><rsc_order id="o"><resource_set id="s"><resource_ref id="p" weight="2"/></resource_set></rsc_order></constraints>`,
    );
    const e = errorOf(() => parseCibXml(xml));
    expect(e.message).toContain('<resource_ref id="p">');
    expect(e.details).toMatchObject({ field: "weight" });
  });
  it("rejects groups holding non-primitives and clones without exactly one child", () => {
    const g = errorOf(() =>
      parseCibXml(wrap(`<group id="g"><clone id="c"><primitive id="p" class="ocf" provider="x" type="y"/></clone></group>`)),
    );
    expect(g.message).toMatch(/group may only contain primitives/);
    expect(g.details.code).toBe("bad-group-member");
    const c0 = errorOf(() => parseCibXml(wrap(`<clone id="c"/>`)));
    expect(c0.message).toMatch(/exactly one/);
    const c2 = errorOf(() =>
      parseCibXml(
        wrap(`<clone id="c"><primitive id="p" class="ocf" provider="x" type="y"/><primitive id="q" class="ocf" provider="x" type="y"/></clone>`),
      ),
    );
    expect(c2.message).toMatch(/found 2/);
  });
});

describe("parseCibXml: <lrm_rsc_op> fields", () => {
  const cibWith = (opAttrs: string) =>
    `<cib><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status>` +
    `<node_state id="1" uname="n1"><lrm id="1"><lrm_resources><lrm_resource id="r" class="ocf" provider="heartbeat" type="Dummy">` +
    `<lrm_rsc_op ${opAttrs}/></lrm_resource></lrm_resources></lrm></node_state></status></cib>`;
  const required = `id="r_last_0" operation="start" interval="0" call-id="3" rc-code="0" op-status="0"`;

  it("reads every optional attribute into its field, in the table's order, and keeps unknown ones", () => {
    const optional = LRM_OP_OPTIONAL.map(([attr], i) => `${attr}="v${i}"`).join(" ");
    const op = parseCibXml(cibWith(`${required} ${optional} x-extra="e"`)).status[0].lrmResources[0].ops[0];
    expect(Object.keys(op)).toEqual(["id", "operation", "interval", "callId", "rcCode", "opStatus", ...LRM_OP_OPTIONAL.map(([, f]) => f), "extraAttrs"]);
    LRM_OP_OPTIONAL.forEach(([, field], i) => expect(op[field]).toBe(`v${i}`));
    expect(op.extraAttrs).toEqual({ "x-extra": "e" });
  });

  it("leaves absent optional attributes out (no undefined fields)", () => {
    const op = parseCibXml(cibWith(`${required} on_node="n1"`)).status[0].lrmResources[0].ops[0];
    expect(op).toStrictEqual({ id: "r_last_0", operation: "start", interval: "0", callId: "3", rcCode: "0", opStatus: "0", onNode: "n1" });
  });

  it("builds plain objects (Object.prototype, as a literal) for operations and lrm_resources", () => {
    const lr = parseCibXml(cibWith(`${required} on_node="n1"`)).status[0].lrmResources[0];
    for (const o of [lr, lr.ops[0]]) {
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
      expect(o.constructor).toBe(Object);
    }
    expect(Object.keys(lr)).toEqual(["id", "ops", "class", "provider", "type"]);
    expect(lr).toStrictEqual({ id: "r", ops: [lr.ops[0]], class: "ocf", provider: "heartbeat", type: "Dummy" });
    expect(structuredClone(lr)).toStrictEqual(lr);
  });

  it("keeps the operations' order and the unknown children of an lrm_resource", () => {
    const xml =
      `<cib><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status>` +
      `<node_state id="1" uname="n1"><lrm id="1"><lrm_resources><lrm_resource id="r" x-extra="e" container="c">` +
      `<lrm_rsc_op ${required.replace("r_last_0", "a")}/><odd id="o"/><lrm_rsc_op ${required.replace("r_last_0", "b")}/>` +
      `</lrm_resource><lrm_resource id="s"/></lrm_resources></lrm></node_state></status></cib>`;
    const [lr, empty] = parseCibXml(xml).status[0].lrmResources;
    expect(lr.ops.map((o) => o.id)).toEqual(["a", "b"]);
    expect(Object.keys(lr)).toEqual(["id", "ops", "container", "extraAttrs", "unknown"]);
    expect(lr.unknown?.map((u) => u.tag)).toEqual(["odd"]);
    expect(lr.extraAttrs).toEqual({ "x-extra": "e" });
    expect(empty).toStrictEqual({ id: "s", ops: [] });
  });

  it.each(["id", "operation", "interval", "call-id", "rc-code", "op-status"])("names a missing required %s", (attr) => {
    const attrs = required.replace(new RegExp(`(^| )${attr}="[^"]*"`), "");
    expect(() => parseCibXml(cibWith(attrs))).toThrow(`missing required attribute "${attr}"`);
  });
});
