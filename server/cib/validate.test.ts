import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CibError } from "./errors";
import type { Cib, Clone, Group, Primitive } from "./types";
import { listCibProblems, validateCib } from "./validate";
import { parseCibXml } from "./xml";

const fixturesDir = path.resolve(import.meta.dirname, "fixtures");
const sharedDir = path.resolve(import.meta.dirname, "../..", "../shared/pacemaker-scheduler/xml");
const load = (f: string) => parseCibXml(readFileSync(path.join(fixturesDir, f), "utf8"));

function errorOf(cib: Cib): CibError {
  try {
    validateCib(cib);
  } catch (e) {
    expect(e).toBeInstanceOf(CibError);
    return e as CibError;
  }
  throw new Error("expected validateCib to throw");
}

const web = () => load("web-group.xml");
const group = (cib: Cib) => cib.configuration.resources[0] as Group;
const vip = (cib: Cib) => group(cib).children[0];

describe("validateCib", () => {
  it("accepts the fixtures and every shared Pacemaker case", () => {
    for (const f of readdirSync(fixturesDir)) expect(() => validateCib(load(f)), f).not.toThrow();
    for (const f of readdirSync(sharedDir))
      expect(listCibProblems(parseCibXml(readFileSync(path.join(sharedDir, f), "utf8"))), f).toEqual([]);
  });

  it("names both places of a duplicate id", () => {
    const cib = web();
    group(cib).children[1].operations[0].id = "VIP-instance_attributes-ip";
    const e = errorOf(cib);
    expect(e.message).toBe(
      'duplicate id "VIP-instance_attributes-ip": used by <nvpair> in "VIP-instance_attributes" and by <op> in "apache"',
    );
    expect(e.details).toMatchObject({ elementId: "VIP-instance_attributes-ip", code: "duplicate-id" });
  });

  it("finds duplicates between resources and raw sections", () => {
    const cib = load("rules.xml");
    cib.configuration.resources[0].id = "fl-n1-1"; // same id as a fencing-level
    expect(errorOf(cib).message).toMatch(/duplicate id "fl-n1-1".*<primitive>.*<fencing-level>/);
  });

  it("rejects constraints naming unknown resources but not unknown nodes", () => {
    const cib = web();
    cib.configuration.constraints.push(
      { kind: "location", id: "loc-ghost-node", rsc: "web", node: "no-such-node", score: "10", rules: [], sets: [] },
    );
    expect(() => validateCib(cib)).not.toThrow();
    cib.configuration.constraints.push({ kind: "colocation", id: "c1", rsc: "VIP", withRsc: "ghost", score: "INFINITY", sets: [] });
    const e = errorOf(cib);
    expect(e.message).toBe('rsc_colocation "c1": resource "ghost" does not exist');
    expect(e.details).toMatchObject({ elementId: "c1", field: "with-rsc", code: "unknown-resource" });
    const cib2 = web();
    cib2.configuration.constraints.push({ kind: "order", id: "o1", sets: [{ id: "o1-set", resources: ["VIP", "nope"] }] });
    expect(errorOf(cib2).message).toMatch(/resource_set "o1-set".*"nope" does not exist/);
  });

  it("accepts tag names in constraints", () => {
    const cib = load("rules.xml");
    cib.configuration.constraints.push({ kind: "location", id: "tag-loc", rsc: "fencing", node: "n2", score: "-10", rules: [], sets: [] });
    expect(() => validateCib(cib)).not.toThrow();
  });

  it("requires primitives in groups and exactly one clone child", () => {
    const cib = load("clones.xml");
    const svc = (cib.configuration.resources.find((r) => r.id === "svc-clone") as Clone).child as Group;
    (svc.children as unknown[]).push(cib.configuration.resources[0]);
    expect(errorOf(cib).message).toMatch(/group "svc": member "ping-clone" is a clone, but group members must be primitives/);
    const cib2 = load("clones.xml");
    const c = cib2.configuration.resources[0] as Clone;
    (c as unknown as { child: unknown }).child = undefined;
    expect(errorOf(cib2).message).toMatch(/clone "ping-clone" must have exactly one child \(has 0\)/);
  });

  it("rejects unknown resource classes and ocf without provider", () => {
    const cib = web();
    vip(cib).class = "ocff";
    expect(errorOf(cib).message).toMatch(/primitive "VIP": unknown resource class "ocff"/);
    const cib2 = web();
    delete vip(cib2).provider;
    expect(errorOf(cib2).details).toMatchObject({ elementId: "VIP", field: "provider" });
  });

  it("rejects bad scores anywhere", () => {
    for (const score of ["INF", "1.5", "ten", ""]) {
      const cib = web();
      cib.configuration.constraints[0] = { ...cib.configuration.constraints[0], score } as never;
      const e = errorOf(cib);
      expect(e.message).toContain(`invalid score "${score}"`);
      expect(e.details).toMatchObject({ elementId: "location-web-node1-100", field: "score", code: "bad-score" });
    }
    for (const score of ["INFINITY", "+INFINITY", "-INFINITY", "-5", "0"]) {
      const cib = web();
      cib.configuration.constraints[0] = { ...cib.configuration.constraints[0], score } as never;
      expect(() => validateCib(cib)).not.toThrow();
    }
    const cib = load("rules.xml");
    cib.configuration.crmConfig[1].rule!.score = "always";
    expect(errorOf(cib).message).toMatch(/rule "night-rule": invalid score "always"/);
  });

  it("rejects bad intervals and timeouts, accepts Pacemaker's forms", () => {
    for (const good of ["10", "10s", "500ms", "1min", "2h", "PT10S"]) {
      const cib = web();
      vip(cib).operations[0].interval = good;
      vip(cib).operations[0].timeout = good;
      expect(() => validateCib(cib), good).not.toThrow();
    }
    const cib = web();
    vip(cib).operations[0].interval = "10 seconds";
    const e = errorOf(cib);
    expect(e.message).toMatch(/operation "VIP-monitor-interval-10s" of "VIP": invalid interval "10 seconds"/);
    expect(e.details).toMatchObject({ field: "interval", code: "bad-duration" });
    const cib2 = web();
    (group(cib2).children[1] as Primitive).operations[0].timeout = "soon";
    expect(errorOf(cib2).details).toMatchObject({ elementId: "apache-monitor-interval-30s", field: "timeout" });
  });

  it("rejects bad order kinds and boolean-op values", () => {
    const cib = load("clones.xml");
    const o = cib.configuration.constraints.find((c) => c.id === "db-then-app")!;
    (o as { orderKind?: string }).orderKind = "Sometimes";
    expect(errorOf(cib).message).toMatch(/rsc_order "db-then-app": invalid kind "Sometimes" \(expected Mandatory, Optional, Serialize\)/);
    const cib2 = load("rules.xml");
    cib2.configuration.crmConfig[1].rule!.booleanOp = "xor";
    expect(errorOf(cib2).details).toMatchObject({ elementId: "night-rule", field: "boolean-op" });
  });

  it("lists every problem when there are several", () => {
    const cib = web();
    vip(cib).class = "bogus";
    vip(cib).operations[0].timeout = "x";
    const e = errorOf(cib);
    expect(e.message.split("\n")).toEqual([
      "2 problems in the CIB:",
      '- primitive "VIP": unknown resource class "bogus" (expected ocf, lsb, systemd, service, stonith, upstart, nagios)',
      '- operation "VIP-monitor-interval-10s" of "VIP": invalid timeout "x" (e.g. "20", "20s", "1min")',
    ]);
    expect(e.details.elementId).toBe("VIP");
  });
});

describe("validateCib: id-refs", () => {
  it("accepts nvpair id-refs (they define no id)", () => {
    const cib = load("rules.xml");
    cib.configuration.crmConfig[0].nvpairs.push({ id: "", name: "", idRef: "night-batch" });
    expect(() => validateCib(cib)).not.toThrow();
    cib.configuration.crmConfig[0].nvpairs.push({ id: "", name: "", idRef: "ghost-pair" });
    expect(errorOf(cib).message).toBe('nvpair id-ref "ghost-pair" in "cib-bootstrap-options" names no nvpair');
  });

  it("rejects id-refs that name nothing", () => {
    const cib = load("rules.xml");
    const helper = cib.configuration.resources.find((r) => r.id === "helper") as Primitive;
    helper.metaAttributes[0].idRef = "no-such-set";
    expect(errorOf(cib).message).toBe('id-ref "no-such-set" names no attribute set');
    const cib2 = load("rules.xml");
    const loc = cib2.configuration.constraints.find((c) => c.id === "helper-rules");
    if (loc?.kind === "location") loc.rules[0].idRef = "nope";
    expect(errorOf(cib2).details).toMatchObject({ code: "unknown-id-ref", elementId: "nope" });
  });
});
