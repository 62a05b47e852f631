// Versioning parity with Pacemaker: the same change made by Pacemaker's cibadmin (on a CIB
// file, CIB_file=...) and by us (model edit + nextVersion) gives the same CIB, version included.
// It also checks that our parser reads what libxml2/Pacemaker writes back.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findResource } from "./find";
import type { Cib, Primitive } from "./types";
import { nextVersion } from "./version";
import { exportCibXml, parseCibXml } from "./xml";

const CIBADMIN = "/usr/sbin/cibadmin";
const tmp = mkdtempSync(path.join(tmpdir(), "vigil-cib-version-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = () => parseCibXml(readFileSync(path.resolve(import.meta.dirname, "fixtures/rules.xml"), "utf8"));

function cibadmin(file: string, args: string[]): void {
  execFileSync(CIBADMIN, args, { env: { ...process.env, LC_ALL: "C", CIB_file: file }, stdio: ["ignore", "pipe", "pipe"] });
}

interface Case {
  name: string;
  args: string[];
  edit: (cib: Cib) => void;
  expect: string; // epoch.num_updates after the change
}

const cases: Case[] = [
  {
    name: "status-only change bumps num_updates",
    args: ["--modify", "--scope", "status", "--xml-text", '<node_state id="2" expected="down"/>'],
    edit: (c) => {
      c.status[1].expected = "down";
    },
    expect: "7.3",
  },
  {
    name: "configuration change bumps epoch and resets num_updates",
    args: ["--modify", "--xml-text", '<nvpair id="opt-stonith" value="false"/>'],
    edit: (c) => {
      c.configuration.crmConfig[0].nvpairs[0].value = "false";
    },
    expect: "8.0",
  },
  {
    name: "a modify that changes nothing keeps the version",
    args: ["--modify", "--xml-text", '<nvpair id="opt-stonith" value="true"/>'],
    edit: () => {},
    expect: "7.2",
  },
  {
    name: "creating a resource is a configuration change",
    args: ["--create", "--scope", "resources", "--xml-text", '<primitive id="new" class="ocf" provider="pacemaker" type="Dummy"/>'],
    edit: (c) => {
      c.configuration.resources.push({
        kind: "primitive", id: "new", class: "ocf", provider: "pacemaker", type: "Dummy",
        metaAttributes: [], instanceAttributes: [], utilization: [], operations: [],
      });
    },
    expect: "8.0",
  },
  {
    name: "deleting a constraint is a configuration change",
    args: ["--delete", "--xml-text", '<rsc_location id="pattern-loc"/>'],
    edit: (c) => {
      c.configuration.constraints = c.configuration.constraints.filter((k) => k.id !== "pattern-loc");
    },
    expect: "8.0",
  },
  {
    name: "changing an op attribute deep in a primitive",
    args: ["--modify", "--xml-text", '<op id="worker-monitor" timeout="40s"/>'],
    edit: (c) => {
      (findResource(c, "worker") as Primitive).operations[0].timeout = "40s";
    },
    expect: "8.0",
  },
];

describe("versioning matches cibadmin", () => {
  it.each(cases)("$name", (c) => {
    const file = path.join(tmp, `${c.name.replace(/\W+/g, "-")}.xml`);
    const before = fixture();
    writeFileSync(file, exportCibXml(before));
    cibadmin(file, c.args);
    const theirs = parseCibXml(readFileSync(file, "utf8"));

    const edited = structuredClone(before);
    c.edit(edited);
    const ours = nextVersion(before, edited);
    expect(`${ours.attrs.epoch}.${ours.attrs.num_updates}`).toBe(c.expect);
    expect(ours).toStrictEqual(theirs);
  });
});
