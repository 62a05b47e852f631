// Exported XML must be accepted by Pacemaker 2.1's own tools, and Pacemaker's scheduler
// must see exactly the same cluster in it as in the original (identical crm_simulate output).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emptyCib } from "./empty";
import { exportCibXml, parseCibXml } from "./xml";

const CRM_VERIFY = "/usr/sbin/crm_verify";
const CRM_SIMULATE = "/usr/sbin/crm_simulate";
const repoRoot = path.resolve(import.meta.dirname, "../..");
const sharedDir = path.resolve(repoRoot, "../shared/pacemaker-scheduler/xml");
const fixturesDir = path.resolve(import.meta.dirname, "fixtures");

const tmp = mkdtempSync(path.join(tmpdir(), "vigil-cib-pcmk-"));
const shadow = mkdtempSync(path.join(tmpdir(), "vigil-cib-shadow-"));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(shadow, { recursive: true, force: true });
});
const env = { ...process.env, LC_ALL: "C", CIB_shadow_dir: shadow };

// Async runners, so the tests below run concurrently (each tool call is a separate process).
function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ rc: number; stdout: string; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...env, ...extraEnv }, encoding: "utf8", maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const rc = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ rc, stdout, out: `${stdout}${stderr}` });
    });
  });
}

async function verify(file: string): Promise<{ rc: number; out: string }> {
  const r = await run(CRM_VERIFY, ["-V", "-x", file]);
  return { rc: r.rc, out: r.out };
}

async function simulate(file: string): Promise<string> {
  const r = await run(CRM_SIMULATE, ["-x", file, "-S"]);
  if (r.rc !== 0) throw new Error(`crm_simulate failed (${r.rc}) on ${file}: ${r.out}`);
  return r.stdout;
}

function exportTo(src: string, name: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, exportCibXml(parseCibXml(readFileSync(src, "utf8"))));
  return file;
}

const SHARED_CASES = [
  "1360", "group10", "promoted-4", "promoted-group", "stonith-0", "interleave-2", "on-fail-ignore", "managed-1",
  "rsc-sets-seq-false", "attrs4", "rule-int-as-auto-integer-match", "clone-interleave-1", "rec-node-7",
  "failcount", "bug-cl-5213", "node-maintenance-1",
];

describe.concurrent("exported XML and Pacemaker's tools", { timeout: 180_000 }, () => {
  it.each(["web-group.xml", "clones.xml", "rules.xml", "unsupported.xml"])("crm_verify accepts fixture %s", async (f) => {
    const exported = exportTo(path.join(fixturesDir, f), `fixture-${f}`);
    const r = await verify(exported);
    expect(r.out).not.toMatch(/schema|did not pass|not valid/i);
    expect(r.rc).toBe(0);
  });

  it.each(["web-group.xml", "clones.xml", "rules.xml", "unsupported.xml"])("crm_simulate sees fixture %s unchanged", async (f) => {
    const orig = path.join(fixturesDir, f);
    const exported = exportTo(orig, `sim-${f}`);
    const a = await simulate(orig);
    expect(a).toContain("Transition Summary:");
    expect(await simulate(exported)).toBe(a);
  });

  it.each(SHARED_CASES)("shared case %s: same crm_verify verdict and crm_simulate output", async (c) => {
    const orig = path.join(sharedDir, `${c}.xml`);
    const exported = exportTo(orig, `${c}.xml`);
    const vo = await verify(orig);
    const ve = await verify(exported);
    expect(ve.out).not.toMatch(/schema|did not pass/i);
    expect(ve.rc).toBe(vo.rc);
    const a = await simulate(orig);
    expect(a).toContain("Revised Cluster Status:");
    expect(await simulate(exported)).toBe(a);
  });

  it.each([...SHARED_CASES.map((c) => `shared:${c}`), "fixture:web-group", "fixture:rules", "fixture:clones", "fixture:unsupported"])(
    "%s reads the same as Pacemaker re-writes it (cibadmin -Q)",
    async (name) => {
      const [kind, base] = name.split(":");
      const src = kind === "shared" ? path.join(sharedDir, `${base}.xml`) : path.join(fixturesDir, `${base}.xml`);
      const ours = parseCibXml(readFileSync(src, "utf8"));
      // cibadmin loads the file through libxml2 and the schema, then prints it again
      const copy = path.join(tmp, `q-${kind}-${base}.xml`);
      writeFileSync(copy, exportCibXml(ours));
      const q = await run("/usr/sbin/cibadmin", ["-Q"], { CIB_file: copy });
      expect(q.rc).toBe(0);
      const printed = q.stdout;
      // Pacemaker's writer turns a newline (CR) inside an attribute into the two characters \n (\r)
      const asPacemakerWrites = JSON.parse(JSON.stringify(ours).replaceAll("\\n", "\\\\n").replaceAll("\\r", "\\\\r"));
      expect(parseCibXml(printed)).toStrictEqual(asPacemakerWrites);
    },
  );

  it("an empty CIB is schema-valid; Pacemaker only complains about missing STONITH", async () => {
    const file = path.join(tmp, "empty.xml");
    writeFileSync(file, exportCibXml(emptyCib()));
    const r = await verify(file);
    expect(r.out).not.toMatch(/schema|did not pass/i);
    expect(r.out).toMatch(/no STONITH resources have been defined/);
    const noStonith = emptyCib();
    noStonith.configuration.crmConfig.push({
      id: "cib-bootstrap-options",
      nvpairs: [{ id: "cib-bootstrap-options-stonith-enabled", name: "stonith-enabled", value: "false" }],
    });
    writeFileSync(file, exportCibXml(noStonith));
    expect(await verify(file)).toEqual({ rc: 0, out: "" });
    expect(await simulate(file)).toContain("No resources");
  });

  it("crm_verify rejects what is really broken (the check can fail)", async () => {
    const file = path.join(tmp, "broken.xml");
    const cib = parseCibXml(readFileSync(path.join(fixturesDir, "clones.xml"), "utf8"));
    cib.configuration.constraints.push({ kind: "order", id: "bad-order", first: "app", then: "ping-clone", orderKind: "Sometimes", sets: [] });
    writeFileSync(file, exportCibXml(cib));
    expect((await verify(file)).rc).not.toBe(0);
  });
});
