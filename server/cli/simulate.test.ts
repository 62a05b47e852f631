import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeText, lineOfId, parseDateTime, parseSimulateArgs, runSimulate, describeInputError, simulateText } from "./simulate";
import { parseCibXml } from "../cib/xml";
import { schedule, unpack } from "../scheduler/index";
import { benchCib } from "../../bench/scheduler-cib";
import { UnsupportedFeatureError } from "../scheduler/types";
import { TIMING_PREFIX } from "./phase-timing";

function io() {
  const o = { out: "", err: "" };
  return { o, io: { stdout: { write: (s: string) => (o.out += s) }, stderr: { write: (s: string) => (o.err += s) } } };
}

const tmp = mkdtempSync(path.join(tmpdir(), "vigil-sim-"));

describe("vigil simulate: decoding the file", () => {
  it("gives the text toString('utf8') gives, for ASCII and for everything else", () => {
    const samples: Buffer[] = [
      Buffer.from(""),
      Buffer.from(`<cib a="x\ty"/>\n`),
      Buffer.from(Array.from({ length: 128 }, (_, i) => i)), // every ASCII byte
      Buffer.from("\uFEFF<cib/>"), // byte order mark
      Buffer.from(`<cib x="été €"/>`),
      Buffer.from([0x3c, 0x61, 0x20, 0xff, 0xc3, 0x28, 0x80, 0x2f, 0x3e]), // invalid UTF-8: replacement characters
      Buffer.from([0x41, 0xe9, 0x42]), // a Latin-1 byte: not the same text in Latin-1 and UTF-8
    ];
    for (const b of samples) {
      expect(decodeText(b), JSON.stringify([...b])).toBe(b.toString("utf8"));
      expect(decodeText(new Uint8Array(b)), "Uint8Array").toBe(b.toString("utf8"));
    }
    // a view into a larger buffer decodes only its own bytes
    const big = Buffer.from("xx<cib/>yy");
    expect(decodeText(new Uint8Array(big.buffer, big.byteOffset + 2, 6))).toBe("<cib/>");
  });
});

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
  it("parses the bytes read early for the -x file (bin/vigil.mjs's prefetch), and reads the file itself when there are none", async () => {
    const f = path.join(tmp, "prefetched.xml");
    writeFileSync(f, benchCib({ nodes: 3, resources: 20 }));
    const other = Buffer.from(benchCib({ nodes: 3, resources: 20, nodeDown: true }));
    const run = async (file: string, bytes: Buffer | undefined) => {
      const { o, io: sio } = io();
      expect(await runSimulate(["-x", f, "-S"], sio, { xmlPrefetch: { file, bytes: Promise.resolve(bytes) } })).toBe(0);
      return o.out;
    };
    const fromFile = await run(f, undefined);
    expect(fromFile).not.toMatch(/\* (Move|Start|Recover)/);
    expect(await run(path.join(tmp, "another.xml"), other)).toBe(fromFile); // not this file's bytes
    expect(await run(f, other)).toMatch(/\* (Move|Start|Recover)/); // the early bytes are what was read
  });

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

describe("vigil simulate output", () => {
  const shared = path.resolve(__dirname, "../../../shared/pacemaker-scheduler");
  const run = async (argv: string[]) => {
    const { o, io: sio } = io();
    const code = await runSimulate(argv, sio);
    return { code, ...o };
  };

  it.each(["simple1", "asymmetrical-order-move"])("prints %s exactly as crm_simulate 2.1.5 did", async (name) => {
    const r = await run(["-x", path.join(shared, "xml", `${name}.xml`), "-S"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toBe(readFileSync(path.join(shared, "summary", `${name}.summary`), "utf8"));
  });

  it("without -S/-R prints only the current status; -R adds the Transition Summary", async () => {
    const f = path.join(shared, "xml", "group1.xml");
    const plain = await run(["-x", f]);
    expect(plain.out.startsWith("Current cluster status:\n")).toBe(true);
    expect(plain.out).not.toContain("Transition Summary:");
    const r = await run(["-x", f, "-R"]);
    expect(r.out).toContain("Transition Summary:\n  * Start      child_rsc1     ( node1 )\n");
    expect(r.out).not.toContain("Executing Cluster Transition:");
  });

  it("-sQ prints only the allocation scores", async () => {
    const r = await run(["-x", path.join(shared, "xml", "group1.xml"), "-sQ"]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^(pcmk__\w+: \S+ allocation score on \S+|\S+ promotion score on \S+): -?(\d+|INFINITY)$/);
  });

  it("-O writes the simulated CIB, which reads back with everything started", async () => {
    const out = path.join(tmp, "after.xml");
    const r = await run(["-x", path.join(shared, "xml", "group1.xml"), "-S", "-O", out]);
    expect(r.code).toBe(0);
    const again = await run(["-x", out]);
    expect(again.out).toContain("      * child_rsc1\t(ocf:heartbeat:apache):\t Started node1\n");
  });

  it("refuses an unsupported feature with its element id and line", async () => {
    const f = path.join(tmp, "bundle.xml");
    writeFileSync(
      f,
      `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7">\n  <configuration>\n    <crm_config/>\n` +
        `    <nodes><node id="1" uname="node1"/></nodes>\n    <resources>\n      <bundle id="httpd-bundle">\n        <docker image="pcmk:httpd"/>\n` +
        `      </bundle>\n    </resources>\n    <constraints/>\n  </configuration>\n  <status/>\n</cib>\n`,
    );
    const r = await run(["-x", f, "-S"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe(`vigil simulate: ${f}: unsupported feature: bundle (element id "httpd-bundle") at line 6\n`);
  });
});

describe("vigil simulate phase timing (VIGIL_SIMULATE_TIMING=1)", () => {
  const f = path.resolve(__dirname, "../../../shared/pacemaker-scheduler/xml/group1.xml");

  it("prints one timing line on stderr naming every phase that ran, and leaves stdout as it is", async () => {
    const plain = io();
    expect(await runSimulate(["-x", f, "-S"], plain.io)).toBe(0);
    const timed = io();
    expect(await runSimulate(["-x", f, "-S"], timed.io, { timing: true })).toBe(0);
    expect(timed.o.out).toBe(plain.o.out);
    expect(plain.o.err).toBe("");
    const lines = timed.o.err.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(TIMING_PREFIX)).toBe(true);
    const names = [...lines[0].matchAll(/([a-z-]+) [\d.]+(?: \(cpu \d+\))?[,;]/g)].map((m) => m[1]);
    expect(names).toEqual(["node", "load", "read", "parse", "schedule", "status", "apply", "unpack-revised", "revised-status", "print"]);
    expect(lines[0]).toMatch(/; total [\d.]+ ms \(cpu \d+ ms, \d+ of it before the first mark; /);
    expect(lines[0]).toMatch(/gc pauses [\d.]+ ms in \d+ after it\)$/);
  });

  it("is off unless asked for", async () => {
    const { o, io: sio } = io();
    expect(await runSimulate(["-x", f, "-sQ"], sio, { timing: false })).toBe(0);
    expect(o.err).toBe("");
  });
});

/** The op-digests of a parameterless ocf:pacemaker:Dummy's start and 10 s monitor (as crm_simulate records them). */
const DUMMY_DIGESTS = { start: "f2317cad3d54cec5d7d7aa7d0bf35cf8", monitor: "4811cef7f7f94e3a35a70be7916cb2fd" };

describe("vigil simulate: the revised status of a transition that records nothing", () => {
  const xmlDir = path.resolve(__dirname, "../../../shared/pacemaker-scheduler/xml");
  const cibs: [string, string][] = readdirSync(xmlDir)
    .filter((f) => f.endsWith(".xml"))
    .map((f) => [f, readFileSync(path.join(xmlDir, f), "utf8")]);
  cibs.push(["bench 3x20", benchCib({ nodes: 3, resources: 20 })]);
  cibs.push(["bench 8x200, node1 down", benchCib({ nodes: 8, resources: 200, nodeDown: true })]);
  cibs.push(["bench 8x200 with the real op-digests (nothing to do)", benchCib({ nodes: 8, resources: 200, digests: DUMMY_DIGESTS })]);

  it("is printed from the current status exactly as unpacking the revised CIB prints it", () => {
    let reused = 0;
    let unpacked = 0;
    for (const [name, xml] of cibs) {
      let cib;
      try {
        cib = parseCibXml(xml);
      } catch {
        continue; // the CIBs Vigil rejects have their own tests
      }
      const now = Number(cib.attrs["execution-date"] ?? 0) || 1_700_000_000;
      const o = { simulate: true, run: true, showScores: false, quiet: false };
      let fast, general;
      try {
        fast = simulateText(cib, o, now, { schedule, unpack }, true);
        general = simulateText(cib, o, now, { schedule, unpack }, true, undefined, false);
      } catch (e) {
        if (e instanceof UnsupportedFeatureError) continue;
        throw e;
      }
      expect(fast.out, name).toBe(general.out);
      if (fast.revised === cib) reused++;
      else unpacked++;
    }
    // both paths are exercised: settled clusters (the bench CIB with digests) and real transitions
    expect(reused).toBeGreaterThanOrEqual(10);
    expect(unpacked).toBeGreaterThanOrEqual(100);
  });
});
