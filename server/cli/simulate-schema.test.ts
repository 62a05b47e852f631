import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runSimulate, SCHEMA_DISABLED } from "./simulate";
import { cibXml, dummy } from "../scheduler/test-helpers";

// crm_simulate 2.1.5 on this same CIB: the warning first on stderr, with or without -Q.
async function run(validateWith: string, argv: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "vigil-schema-"));
  const f = path.join(dir, "cib.xml");
  writeFileSync(f, cibXml({ nodes: [{ name: "node1" }], resources: dummy("A") }).replace('validate-with="pacemaker-3.7"', `validate-with="${validateWith}"`));
  const o = { out: "", err: "" };
  const code = await runSimulate(["-x", f, ...argv], { stdout: { write: (s: string) => (o.out += s) }, stderr: { write: (s: string) => (o.err += s) } });
  return { code, ...o };
}

describe("vigil simulate with schema validation turned off", () => {
  it("warns that validation is disabled when validate-with is none", async () => {
    for (const argv of [["-S"], ["-S", "-Q"]]) {
      const r = await run("none", argv);
      expect(r.code).toBe(0);
      expect(r.err).toBe(`${SCHEMA_DISABLED}\n`);
    }
  });

  it("says nothing for a schema version", async () => {
    expect((await run("pacemaker-3.7", ["-S"])).err).toBe("");
  });
});
