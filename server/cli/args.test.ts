import { describe, expect, it } from "vitest";
import { dropUpdateWord, markNegatives, parseNv, restore, splitArgs, takeLeadingOptions } from "./args";

describe("CLI argument lists (server/cli/args.ts)", () => {
  it("k=v lists keep '=' inside values and name a missing value or name", () => {
    expect(parseNv(["a=1", "url=http://x/?q=1", "empty="])).toEqual({ a: "1", url: "http://x/?q=1", empty: "" });
    expect(() => parseNv(["ip"])).toThrow("missing value of 'ip' option");
    expect(() => parseNv(["=5"], "meta option")).toThrow("missing name of meta option '=5'");
  });

  it("words and options in any order; an unknown option lists the allowed ones", () => {
    expect(splitArgs(["node=n1", "web"], "cleanup", ["node"])).toEqual({ words: ["web"], options: { node: "n1" } });
    expect(() => splitArgs(["web", "nod=n1"], "cleanup", ["node"])).toThrow("unknown cleanup option 'nod' (use node=)");
  });

  it("leading rule options stop at the expression", () => {
    const words = ["score=50", "id=r1", "pingd", "gt", "0"];
    expect(takeLeadingOptions(words, ["id", "score"])).toEqual({ score: "50", id: "r1" });
    expect(words).toEqual(["pingd", "gt", "0"]);
  });

  it("negative scores survive commander and come back unchanged", () => {
    const marked = markNegatives(["colocation", "add", "a", "with", "b", "-INFINITY", "-100", "--force"]);
    expect(marked.slice(-3).map(restore)).toEqual(["-INFINITY", "-100", "--force"]);
    expect(marked[5]).not.toBe("-INFINITY"); // hidden from the option parser
    expect(dropUpdateWord(["update", "a=1"])).toEqual(["a=1"]);
  });
});
