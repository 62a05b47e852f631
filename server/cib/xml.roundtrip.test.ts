// Round trip over every shared Pacemaker regression CIB and the project's own fixtures:
// parse -> export -> parse must give the same model.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exportCibXml, parseCibXml } from "./xml";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const sharedDir = path.resolve(repoRoot, "../shared/pacemaker-scheduler/xml");
const fixturesDir = path.resolve(import.meta.dirname, "fixtures");

const sharedFiles = readdirSync(sharedDir).filter((f) => f.endsWith(".xml")).sort();
const fixtureFiles = readdirSync(fixturesDir).filter((f) => f.endsWith(".xml")).sort();

describe("round trip", () => {
  it("has the shared corpus", () => {
    expect(sharedFiles.length).toBeGreaterThanOrEqual(150);
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(3);
  });
  it.each(sharedFiles)("shared %s", (f) => {
    const a = parseCibXml(readFileSync(path.join(sharedDir, f), "utf8"));
    const out = exportCibXml(a);
    const b = parseCibXml(out);
    expect(b).toStrictEqual(a);
    // exporting again is stable byte for byte
    expect(exportCibXml(b)).toBe(out);
  });
  it.each(fixtureFiles)("fixture %s", (f) => {
    const a = parseCibXml(readFileSync(path.join(fixturesDir, f), "utf8"));
    const b = parseCibXml(exportCibXml(a));
    expect(b).toStrictEqual(a);
  });
});
