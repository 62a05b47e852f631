import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { lineOfId, parseDateTime, parseSimulateArgs, runSimulate, describeInputError } from "./simulate";
import { UnsupportedFeatureError } from "../scheduler/types";

function io() {
  const o = { out: "", err: "" };
  return { o, io: { stdout: { write: (s: string) => (o.out += s) }, stderr: { write: (s: string) => (o.err += s) } } };
}

const tmp = mkdtempSync(path.join(tmpdir(), "vigil-sim-"));

describe("vigil simulate arguments", () => {
  it("takes crm_simulate's flags, bundled or long", () => {
    expect(parseSimulateArgs(["-x", "f.xml", "-sSQ"])).toMatchObject({ xmlFile: "f.xml", showScores: true, simulate: true, quiet: true });
    expect(parseSimulateArgs(["--xml-file=f.xml", "--simulate", "--set-datetime", "2024-01-01 10:00:00"])).toMatchObject({
      xmlFile: "f.xml", simulate: true, date: "2024-01-01 10:00:00",
    });
    expect(parseSimulateArgs(["-L", "-R"])).toMatchObject({ live: true, run: true });
    expect(parseSimulateArgs(["-xf.xml", "-G", "g.json"])).toMatchObject({ xmlFile: "f.xml", saveGraph: "g.json", run: true });
  });

  it("parses -t dates as UTC unless a zone is given", () => {
    expect(parseDateTime("2019-10-22 20:53:06")).toBe(1571777586);
    expect(parseDateTime("2019-10-22T22:53:06+02:00")).toBe(1571777586);
    expect(parseDateTime("1571777586")).toBe(1571777586);
  });

  it.each([
    [["-S"], "no CIB given: use -x FILE or -L"],
    [["-x", "a", "-L"], "use either -x FILE or -L, not both"],
    [["-x"], "option '-x' needs a value"],
    [["-x", "a", "--bogus"], "unknown option '--bogus'"],
    [["-x", "a", "-Z"], "unknown option '-Z'"],
    [["-x", "a", "extra"], "unexpected argument 'extra'"],
    [["-x", "a", "-O", "out.xml"], "-O/--save-output needs -S/--simulate"],
  ])("rejects %j with one line and exit code 2", async (argv, msg) => {
    const { o, io: sio } = io();
    expect(await runSimulate(argv as string[], sio)).toBe(2);
    expect(o.err).toBe(`vigil simulate: ${msg} (see vigil simulate --help)\n`);
    expect(o.out).toBe("");
  });

  it("prints help", async () => {
    const { o, io: sio } = io();
    expect(await runSimulate(["--help"], sio)).toBe(0);
    expect(o.out).toContain("-x, --xml-file FILE");
  });
});

describe("vigil simulate input errors", () => {
  it("names a missing file", async () => {
    const { o, io: sio } = io();
    const f = path.join(tmp, "nope.xml");
    expect(await runSimulate(["-x", f, "-S"], sio)).toBe(1);
    expect(o.err).toBe(`vigil simulate: cannot read ${f}: no such file\n`);
  });

  it("names the line of malformed XML", async () => {
    const f = path.join(tmp, "bad.xml");
    writeFileSync(f, `<cib>\n  <configuration>\n    <nodes>\n  </configuration>\n</cib>\n`);
    const { o, io: sio } = io();
    expect(await runSimulate(["-x", f, "-S"], sio)).toBe(1);
    expect(o.err.split("\n").filter(Boolean)).toHaveLength(1);
    expect(o.err).toMatch(/^vigil simulate: .*bad\.xml: malformed XML at line \d+/);
  });

  it("reports -L without a controller connection", async () => {
    const { o, io: sio } = io();
    expect(await runSimulate(["-L", "-S"], sio)).toBe(1);
    expect(o.err).toBe("vigil simulate: no controller connection is available for -L\n");
  });

  it("names the element id and line of an unsupported feature", () => {
    const xml = `<cib>\n<configuration>\n<resources>\n  <bundle id="httpd-bundle">\n</bundle></resources></configuration></cib>`;
    expect(lineOfId(xml, "httpd-bundle")).toBe(4);
    expect(describeInputError(new UnsupportedFeatureError("bundle", "httpd-bundle"), "f.xml", xml)).toBe(
      'f.xml: unsupported feature: bundle (element id "httpd-bundle") at line 4',
    );
  });
});
