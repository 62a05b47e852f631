import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { History } from "./history";
import type { TransitionRecord } from "./types";

const dir = mkdtempSync(path.join(tmpdir(), "vigil-history-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tr(id: number): TransitionRecord {
  return { id, startedAt: id, endedAt: id + 1, trigger: "t", status: "complete", summary: [], transition: { actions: [], edges: [] }, results: [] };
}

describe("History", () => {
  it("keeps the newest records in memory and appends every one to the file", async () => {
    const f = path.join(dir, "a.jsonl");
    const h = new History(f, 3);
    for (let i = 0; i < 5; i++) h.event({ kind: "cib-change", message: `change ${i}` });
    h.addTransition(tr(0));
    h.transitionEnded(tr(0));
    await h.flush();
    expect(h.events().map((e) => e.message)).toEqual(["change 2", "change 3", "change 4"]);
    const lines = readFileSync(f, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatchObject({ type: "transition", id: 0, status: "complete" });
  });

  it("reads the newest records back after a restart, skipping a torn last line, and numbers on", async () => {
    const f = path.join(dir, "b.jsonl");
    const h = new History(f, 10);
    h.event({ kind: "node-lost", node: "node2", message: "lost" });
    h.event({ kind: "node-joined", node: "node2", message: "joined" });
    h.transitionEnded(tr(7));
    await h.flush();
    appendFileSync(f, '{"type":"event","seq":3,"kin'); // killed mid-write
    const again = new History(f, 10);
    expect(again.events().map((e) => e.message)).toEqual(["lost", "joined"]);
    expect(again.lastTransitionId).toBe(7);
    expect(again.event({ kind: "quorum", message: "next" }).seq).toBe(3);
  });

  it("rotates the file when it grows past the limit", async () => {
    const f = path.join(dir, "c.jsonl");
    const h = new History(f, 10, 300);
    for (let i = 0; i < 10; i++) h.event({ kind: "cib-change", message: `a fairly long message number ${i}` });
    await h.flush();
    expect(existsSync(f + ".1")).toBe(true);
    expect(readFileSync(f, "utf8").length).toBeLessThanOrEqual(300);
  });
});
