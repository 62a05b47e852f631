// Reload support from meta-data, by Pacemaker 2.1's rules (checked against
// crm_simulate in controller.test.ts, where a live CIB gets these fields).
import { describe, expect, it } from "vitest";
import { restartDigest } from "../cib/op-digest";
import type { AgentMetadata, AgentParameter } from "../executor/metadata";
import type { AgentOp, OpResult } from "../executor/types";
import { ReloadSupportCache, reloadSupportOf, restartFields } from "./reload-support";

const param = (name: string, o: Partial<AgentParameter> = {}): AgentParameter => ({
  name,
  required: false,
  unique: false,
  type: "string",
  shortdesc: "",
  longdesc: "",
  reloadable: false,
  deprecated: false,
  ...o,
});
const md = (version: string | undefined, actions: string[], parameters: AgentParameter[]): AgentMetadata => ({
  name: "X",
  version,
  shortdesc: "",
  longdesc: "",
  parameters,
  actions: actions.map((name) => ({ name })),
});
const params = [param("state", { unique: true }), param("fake", { reloadable: true }), param("op_sleep")];

describe("reloadSupportOf", () => {
  it("OCF 1.1 with reload-agent: parameters not marked reloadable force a restart", () => {
    expect(reloadSupportOf(md("1.1", ["start", "stop", "reload-agent"], params))).toEqual({ action: "reload-agent", names: ["state", "op_sleep"], forceRestart: " state op_sleep " });
  });
  it("before OCF 1.1 with reload: only unique parameters force a restart, and `reload` is the action", () => {
    expect(reloadSupportOf(md("1.0", ["start", "stop", "reload"], params))).toEqual({ action: "reload", names: ["state"], forceRestart: " state " });
    expect(reloadSupportOf(md(undefined, ["reload"], [param("a")]))).toEqual({ action: "reload", names: [], forceRestart: "" });
  });
  it("no reload for 1.1 agents with only `reload`, 1.0 agents with only `reload-agent`, or neither", () => {
    expect(reloadSupportOf(md("1.1", ["reload"], params))).toBeUndefined();
    expect(reloadSupportOf(md("1.0", ["reload-agent"], params))).toBeUndefined();
    expect(reloadSupportOf(md("1.1", ["start", "stop", "monitor"], params))).toBeUndefined();
  });
  it("the restart digest covers only the listed parameters", () => {
    const s = reloadSupportOf(md("1.0", ["reload"], params))!;
    const a = restartFields(s, { state: "/run/x", fake: "1", CRM_meta_timeout: "20000" });
    const b = restartFields(s, { state: "/run/x", fake: "2" });
    expect(a).toEqual(b); // fake is reloadable: same digest
    expect(a.opRestartDigest).toBe(restartDigest({ state: "/run/x" }, 0, 0, " state "));
    expect(restartFields(s, { state: "/run/y", fake: "1" }).opRestartDigest).not.toBe(a.opRestartDigest);
  });
});

describe("ReloadSupportCache", () => {
  const xml = `<?xml version="1.0"?><resource-agent name="X"><version>1.0</version><shortdesc>x</shortdesc><longdesc>x</longdesc>
<parameters><parameter name="state" unique="1"><shortdesc>s</shortdesc><content type="string"/></parameter></parameters>
<actions><action name="start"/><action name="reload"/></actions></resource-agent>`;
  const result = (rc: number, output: string): OpResult => ({ rc, opStatus: 0, output, stderr: "", startedAt: 0, execMs: 1, queueMs: 0 });
  const op: Pick<AgentOp, "standard" | "provider" | "type"> = { standard: "ocf", provider: "p", type: "X" };

  it("reads meta-data once per node and agent; non-OCF agents never reload", async () => {
    const calls: string[] = [];
    const cache = new ReloadSupportCache(async (node, o) => {
      calls.push(`${node} ${o.action} ${o.type}`);
      return result(0, xml);
    });
    expect((await cache.get("n1", op))?.forceRestart).toBe(" state ");
    await cache.get("n1", op);
    await cache.get("n2", op);
    expect(await cache.get("n1", { standard: "systemd", type: "haproxy" })).toBeUndefined();
    expect(calls).toEqual(["n1 meta-data X", "n2 meta-data X"]);
  });

  it("a failed or garbled meta-data read means no reload, and is tried again next time", async () => {
    const answers = [result(1, ""), result(0, "<not-xml"), result(0, xml)];
    const cache = new ReloadSupportCache(async () => answers.shift()!);
    expect(await cache.get("n1", op)).toBeUndefined();
    expect(await cache.get("n1", op)).toBeUndefined();
    expect((await cache.get("n1", op))?.action).toBe("reload");
  });
});
