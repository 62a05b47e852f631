// `vigil host add|remove|list`, `vigil quorum status`, `vigil stonith describe|fence|history`
// (issue 4), registered on the main program by main.ts with one call. They talk to the
// running controller's host API (server/api/hosts-routes.ts).
//
//   vigil host add NAME addr=ADDRESS [port=22] [user=root] [identity=PATH] [host-key="ssh-ed25519 AAAA..."] [--accept-new]
//   vigil host remove NAME [--force]
//   vigil host list
//   vigil quorum status
//   vigil stonith describe AGENT | fence NODE [--off] | history
//
// host add without host-key: the controller reads the host's key and the CLI shows the
// fingerprint; on a terminal it asks (as ssh does), otherwise it refuses unless --accept-new.
// What is pinned is exactly the key that was shown.

import type { Command } from "commander";
import type { HostStatus } from "../hosts/manager";
import { CliError, type ApiClient } from "./client";

export interface HostCliContext {
  api: () => ApiClient;
  out: (s: string) => void;
  errOut: (s: string) => void;
  /** ask yes/no on a terminal; undefined when stdin is not a terminal */
  ask?: (question: string) => Promise<boolean>;
}

function ago(ms: number | null): string {
  if (!ms) return "never";
  const d = Date.now() - ms;
  return d < 1000 ? `${d} ms ago` : `${(d / 1000).toFixed(1)} s ago`;
}

export function formatHostList(hosts: HostStatus[]): string {
  if (!hosts.length) return "No hosts (vigil host add NAME addr=ADDRESS)";
  const rows = hosts.map((h) => [
    h.name,
    h.state + (h.state !== "online" && h.lastError ? ` (${h.lastError})` : ""),
    `${h.user}@${h.address}:${h.port}`,
    `${h.hostKeyType} ${h.hostKeyFingerprint}`,
    ago(h.lastHeardAt),
    h.rttMs === null ? "-" : `${h.rttMs} ms`,
  ]);
  const head = ["NAME", "STATE", "ADDRESS", "HOST KEY", "LAST HEARD", "RTT"];
  const w = head.map((x, i) => Math.max(x.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join("  ")).join("\n");
}

async function ttyAsk(question: string): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises"); // only here: not at every start
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = (await rl.question(`${question} (yes/no) `)).trim().toLowerCase();
    return a === "yes" || a === "y";
  } finally {
    rl.close();
  }
}

export function registerHostCommands(program: Command, ctx: HostCliContext): void {
  const { api, out, errOut } = ctx;
  const ask = ctx.ask ?? (process.stdin.isTTY ? ttyAsk : undefined);

  const host = program.command("host").description("cluster hosts reached over SSH (add, remove, list)");
  host
    .command("add")
    .argument("<name>")
    .argument("[options...]", 'addr=ADDRESS [port=22] [user=root] [identity=PATH] [host-key="TYPE BASE64"]')
    .option("--accept-new", "pin the key the host presents now (ssh's StrictHostKeyChecking=accept-new)")
    .action(async (name: string, options: string[], o: { acceptNew?: boolean }) => {
      // loaded on use: the rest of the CLI (vigil simulate above all) should not load host handling
      const { parseHostAddArgs } = await import("../membership/hosts");
      let input;
      try {
        input = parseHostAddArgs([name, ...options]);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const body = { ...input, acceptNew: !!o.acceptNew };
      let r = await api().request("POST", "/api/hosts", body);
      if (r.status === 409 && (r.json as { needsConfirmation?: boolean })?.needsConfirmation) {
        const j = r.json as { fingerprint: string; keyType: string; hostKey: string };
        errOut(`The authenticity of host '${name} (${input.address})' can't be established.`);
        errOut(`${j.keyType} key fingerprint is ${j.fingerprint}.`);
        if (!ask) throw new CliError(`host key not confirmed: check the fingerprint on the host, then repeat with host-key="${j.hostKey}" or --accept-new`);
        if (!(await ask("Are you sure you want to continue connecting?"))) throw new CliError("host key not confirmed; nothing was added");
        r = await api().request("POST", "/api/hosts", { ...input, hostKey: j.hostKey });
      }
      if (r.status !== 200) throw new CliError((r.json as { error?: string })?.error ?? `the controller answered ${r.status} to POST /api/hosts`);
      const h = (r.json as { host: HostStatus }).host;
      out(`Host ${h.name} added (${h.hostKeyType} ${h.hostKeyFingerprint}), state ${h.state}`);
    });
  host
    .command("remove")
    .alias("delete")
    .argument("<name>")
    .option("--force", "remove it even while resources are active there")
    .action(async (name: string, o: { force?: boolean }) => {
      const force = o.force || (program.opts() as { force?: boolean }).force;
      const r = await api().call<{ message: string }>("DELETE", `/api/hosts/${encodeURIComponent(name)}${force ? "?force=1" : ""}`);
      out(r.message);
    });
  host
    .command("list")
    .alias("status")
    .action(async () => {
      const r = await api().call<{ hosts: HostStatus[] }>("GET", "/api/hosts");
      out(formatHostList(r.hosts));
    });

  const quorum = program.commands.find((c) => c.name() === "quorum") ?? program.command("quorum").description("quorum (votequorum rules over host votes)");
  quorum.command("status").action(async () => {
    const r = await api().call<{ text: string }>("GET", "/api/quorum");
    out(r.text);
  });

  const stonith = program.commands.find((c) => c.name() === "stonith") ?? program.command("stonith").description("fencing devices");
  const has = (n: string) => stonith.commands.some((c) => c.name() === n);
  if (!has("fence"))
    stonith
      .command("fence")
      .argument("<node>")
      .option("--off", "power it off instead of rebooting")
      .action(async (node: string, o: { off?: boolean }) => {
        const r = await api().call<{ record: { state: string; error?: string; device?: string } }>("POST", `/api/fencing/${encodeURIComponent(node)}`, {
          action: o.off ? "off" : "reboot",
        });
        if (r.record.state !== "success") throw new CliError(`unable to fence '${node}': ${r.record.error ?? "failed"}`);
        out(`Node: ${node} fenced`);
      });
  if (!has("history"))
    stonith.command("history").action(async () => {
      const r = await api().call<{ text: string[] }>("GET", "/api/fencing?full=1");
      out(r.text.length ? r.text.join("\n") : "No fencing history");
    });
  if (!has("describe"))
    stonith
      .command("describe")
      .argument("<agent>")
      .action(async (agent: string) => {
        const name = agent.startsWith("stonith:") ? agent : `stonith:${agent}`;
        const r = await api().request("GET", `/api/agents/${encodeURIComponent(name)}`);
        if (r.status !== 200) throw new CliError((r.json as { error?: string })?.error ?? `unknown fence agent ${agent}`);
        const a = (r.json as { agent: { shortdesc?: string; longdesc?: string; params?: { name: string; shortdesc?: string; type?: string; required?: boolean; default?: string }[] } }).agent;
        const lines = [`${agent.replace(/^stonith:/, "")} - ${a.shortdesc ?? ""}`, "", a.longdesc ?? "", "", "Stonith options:"];
        for (const p of a.params ?? [])
          lines.push(`  ${p.name}: ${p.shortdesc ?? ""}${p.required ? " (required)" : ""}${p.default ? ` [default: ${p.default}]` : ""}`);
        out(lines.join("\n"));
      });
}
