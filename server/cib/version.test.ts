import { describe, expect, it } from "vitest";
import { emptyCib } from "./empty";
import type { Cib } from "./types";
import {
  bumpEpoch,
  bumpNumUpdates,
  changeKind,
  cibVersion,
  compareVersions,
  deepEqual,
  formatVersion,
  nextVersion,
} from "./version";

function base(): Cib {
  const cib = emptyCib();
  cib.attrs.admin_epoch = "2";
  cib.attrs.epoch = "10";
  cib.attrs.num_updates = "7";
  cib.configuration.nodes.push({ id: "1", uname: "n1", instanceAttributes: [], utilization: [] });
  cib.status.push({ id: "1", uname: "n1", transientAttributes: [], lrmResources: [] });
  return cib;
}

describe("CIB versions", () => {
  it("reads and formats versions", () => {
    expect(cibVersion(base())).toEqual({ adminEpoch: 2, epoch: 10, numUpdates: 7 });
    expect(formatVersion(base())).toBe("2.10.7");
    expect(cibVersion({ ...emptyCib(), attrs: {} })).toEqual({ adminEpoch: 0, epoch: 0, numUpdates: 0 });
  });

  it("compares admin_epoch, then epoch, then num_updates", () => {
    const v = (adminEpoch: number, epoch: number, numUpdates: number) => ({ adminEpoch, epoch, numUpdates });
    expect(compareVersions(v(1, 0, 0), v(0, 99, 99))).toBe(1);
    expect(compareVersions(v(0, 5, 0), v(0, 4, 100))).toBe(1);
    expect(compareVersions(v(0, 5, 1), v(0, 5, 2))).toBe(-1);
    expect(compareVersions(base(), base())).toBe(0);
    expect(compareVersions(bumpNumUpdates(base()), base())).toBe(1);
  });

  it("bumps epoch and resets num_updates on a configuration change", () => {
    const prev = base();
    const next = structuredClone(prev);
    next.configuration.nodes[0].uname = "renamed";
    const out = nextVersion(prev, next, { lastWritten: "Wed Dec  2 03:00:00 2026", origin: "n1", client: "vigil" });
    expect(formatVersion(out)).toBe("2.11.0");
    expect(out.attrs["cib-last-written"]).toBe("Wed Dec  2 03:00:00 2026");
    expect(out.attrs["update-origin"]).toBe("n1");
    expect(out.attrs["update-client"]).toBe("vigil");
    expect(prev.attrs.epoch).toBe("10"); // pure
    expect(changeKind(prev, next)).toBe("configuration");
  });

  it("bumps num_updates on a status-only change and leaves cib-last-written alone", () => {
    const prev = base();
    prev.attrs["cib-last-written"] = "old";
    const next = structuredClone(prev);
    next.status[0].crmd = "online";
    const out = nextVersion(prev, next, { lastWritten: "new" });
    expect(formatVersion(out)).toBe("2.10.8");
    expect(out.attrs["cib-last-written"]).toBe("old");
    expect(changeKind(prev, next)).toBe("status");
  });

  it("keeps the version when nothing changed, and ignores a stale epoch in next", () => {
    const prev = base();
    const next = structuredClone(prev);
    next.attrs.epoch = "3";
    expect(formatVersion(nextVersion(prev, next))).toBe("2.10.7");
    expect(changeKind(prev, next)).toBe("none");
  });

  it("leaves admin_epoch as the admin set it", () => {
    const prev = base();
    const next = structuredClone(prev);
    next.attrs.admin_epoch = "5";
    next.configuration.crmConfig.push({ id: "o", nvpairs: [] });
    expect(formatVersion(nextVersion(prev, next))).toBe("5.11.0");
    expect(formatVersion(bumpEpoch(prev))).toBe("2.11.0");
  });

  it("deepEqual treats undefined keys as absent", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: [1, { c: "x" }] }, { a: [1, { c: "y" }] })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });
});
