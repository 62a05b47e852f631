// `vigil`: pcs 0.11 syntax for the commands admins use. Every change is a
// contract Change: sent to the local controller's API (POST /api/changes), or
// with -f FILE applied offline to a CIB file, as `pcs -f` does. Errors are one
// line on stderr ("Error: ..."), exit code 1, nothing changed.

import { readFile, writeFile, rename } from "node:fs/promises";
import { lazyModule } from "../lazy-module";
import { CibError } from "../cib/errors";
import { applyChange, type OpsContext } from "../cib/ops";
import type { Cib, Constraint, NvSet, Operation, Primitive, Resource } from "../cib/types";
import { exportCibXml, parseCibXml } from "../cib/xml";
import type { Change, ChangeResponse, StatusResponse } from "../api/contract";
import type { ClusterState } from "../scheduler/types";
import type { PrefetchedFile } from "./simulate";
import { clusterSummaryInfo, formatClusterStatus } from "../scheduler/format";
import { formatFencingHistory, type FenceRecord } from "../fencing/history";
import { ApiClient, CliError, locateController } from "./client";
import { registerHostCommands } from "./hosts";
import { dropUpdateWord, markNegatives, parseCreateArgs, parseNv, restore, restoreText, splitArgs, takeLeadingOptions } from "./args";

// commander is loaded on first use: `vigil simulate` does not need it (~30 ms of start-up)
const commander = lazyModule<typeof import("commander")>("commander");

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env?: NodeJS.ProcessEnv;
  /** `vigil simulate -x FILE`'s file, already being read (bin/vigil.mjs starts that early) */
  xmlPrefetch?: PrefetchedFile;
}

interface Globals {
  file?: string;
  force?: boolean;
  full?: boolean;
  all?: boolean;
}

// bin/vigil.mjs: does this environment's controller speak HTTPS (then TLS trust matters)?
export { controllerUrl } from "./client";
// parsing lives in args.ts; re-exported for the tests and older importers
export { parseCreateArgs, parseNv } from "./args";

// ---------------------------------------------------------------------------
// text output (pcs 0.11 forms)

function nvLine(sets: NvSet[]): string {
  return sets
    .flatMap((s) => s.nvpairs)
    .map((p) => `${p.name}=${p.value ?? ""}`)
    .join(" ");
}

function agentOf(p: Primitive): string {
  return `${p.class}${p.provider ? `:${p.provider}` : ""}:${p.type}`;
}

function opLine(o: Operation): string {
  const parts = [`interval=${o.interval}`];
  if (o.timeout) parts.push(`timeout=${o.timeout}`);
  if (o.role) parts.push(`role=${o.role}`);
  if (o.onFail) parts.push(`on-fail=${o.onFail}`);
  if (o.enabled) parts.push(`enabled=${o.enabled}`);
  if (o.startDelay) parts.push(`start-delay=${o.startDelay}`);
  for (const s of o.instanceAttributes) for (const p of s.nvpairs) parts.push(`${p.name}=${p.value ?? ""}`);
  return parts.join(" ");
}

export function resourceConfigText(r: Resource, indent = " "): string[] {
  const out: string[] = [];
  const attrs = (label: string, sets: NvSet[], ind: string) => {
    for (const s of sets) {
      out.push(`${ind}${label}: ${s.id}`);
      for (const p of s.nvpairs) out.push(`${ind}  ${p.name}=${p.value ?? ""}`);
    }
  };
  if (r.kind === "primitive") {
    out.push(`${indent}Resource: ${r.id} (class=${r.class}${r.provider ? ` provider=${r.provider}` : ""} type=${r.type})`);
    if (r.description) out.push(`${indent} Description: ${r.description}`);
    attrs("Attributes", r.instanceAttributes, `${indent} `);
    attrs("Meta Attributes", r.metaAttributes, `${indent} `);
    if (r.operations.length) {
      out.push(`${indent} Operations:`);
      for (const o of r.operations) {
        out.push(`${indent}   ${o.name}: ${o.id}`);
        out.push(`${indent}     ${opLine(o)}`);
      }
    }
  } else if (r.kind === "group") {
    out.push(`${indent}Group: ${r.id}`);
    attrs("Meta Attributes", r.metaAttributes, `${indent} `);
    for (const c of r.children) out.push(...resourceConfigText(c, `${indent} `));
  } else if (r.kind === "clone") {
    out.push(`${indent}Clone: ${r.id}`);
    attrs("Meta Attributes", r.metaAttributes, `${indent} `);
    out.push(...resourceConfigText(r.child, `${indent} `));
  } else {
    out.push(`${indent}${r.tag}: ${r.id} (not managed by this version of Vigil)`);
  }
  return out;
}

function resourceConfigCmd(r: Resource): string[] {
  const q = (s: string) => (/^[A-Za-z0-9_.:=/@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  if (r.kind === "primitive") {
    const parts = ["vigil resource create --no-default-ops --force --", q(r.id), q(agentOf(r))];
    for (const s of r.instanceAttributes) for (const p of s.nvpairs) parts.push(q(`${p.name}=${p.value ?? ""}`));
    for (const o of r.operations) parts.push("op", o.name, ...opLine(o).split(" ").map(q), q(`id=${o.id}`));
    const meta = r.metaAttributes.flatMap((s) => s.nvpairs);
    if (meta.length) parts.push("meta", ...meta.map((p) => q(`${p.name}=${p.value ?? ""}`)));
    return [parts.join(" ")];
  }
  if (r.kind === "group") {
    return r.children.flatMap((c) => resourceConfigCmd(c).map((l) => l.replace("--force --", `--force --group ${q(r.id)} --`)));
  }
  if (r.kind === "clone") return [...resourceConfigCmd(r.child), `# clone ${r.id} of ${r.child.id}: not expressible yet`];
  return [`# ${r.tag} ${r.id}: not expressible`];
}

function scoreWord(s?: string): string {
  return s ?? "INFINITY";
}

export function constraintConfigText(cs: Constraint[], full: boolean): string[] {
  const id = (c: { id: string }) => (full ? ` (id:${c.id})` : "");
  const out: string[] = ["Location Constraints:"];
  const locs = cs.filter((c): c is Extract<Constraint, { kind: "location" }> => c.kind === "location");
  const byRsc = new Map<string, typeof locs>();
  for (const c of locs) {
    const key = c.rsc ?? (c.rscPattern ? `pattern ${c.rscPattern}` : c.sets.map((s) => s.resources.join(" ")).join(" "));
    byRsc.set(key, [...(byRsc.get(key) ?? []), c]);
  }
  for (const [rsc, list] of byRsc) {
    out.push(`  Resource: ${rsc}`);
    const on = list.filter((c) => c.node && !(scoreWord(c.score).startsWith("-")));
    const off = list.filter((c) => c.node && scoreWord(c.score).startsWith("-"));
    if (on.length) {
      out.push("    Enabled on:");
      for (const c of on) out.push(`      Node: ${c.node} (score:${scoreWord(c.score)})${c.role ? ` (role:${c.role})` : ""}${id(c)}`);
    }
    if (off.length) {
      out.push("    Disabled on:");
      for (const c of off) out.push(`      Node: ${c.node} (score:${scoreWord(c.score)})${c.role ? ` (role:${c.role})` : ""}${id(c)}`);
    }
    for (const c of list.filter((x) => !x.node)) {
      out.push(`    Constraint${id(c) || ` (id:${c.id})`}:`);
      for (const r of c.rules) {
        const exprs = r.expressions
          .map((e) => (e.kind === "expression" ? `${e.attribute} ${e.operation}${e.value !== undefined ? ` ${e.value}` : ""}` : e.kind === "date_expression" ? `date ${e.operation}${e.start ? ` ${e.start}` : ""}${e.end ? ` ${e.end}` : ""}` : e.kind))
          .join(` ${r.booleanOp ?? "and"} `);
        out.push(`      Rule: ${r.booleanOp ? `boolean-op=${r.booleanOp} ` : ""}score=${r.score ?? r.scoreAttribute ?? "0"}${full ? ` (id:${r.id})` : ""}`);
        out.push(`        Expression: ${exprs}`);
      }
    }
  }
  out.push("Ordering Constraints:");
  for (const c of cs) {
    if (c.kind !== "order") continue;
    if (c.sets.length) {
      out.push(`  Resource Sets:${id(c)}`);
      for (const s of c.sets) out.push(`    set ${s.resources.join(" ")}${s.action ? ` action=${s.action}` : ""}`);
      continue;
    }
    const opts: string[] = [`kind:${c.orderKind ?? (c.score === "0" ? "Optional" : "Mandatory")}`];
    if (c.symmetrical) opts.push(`symmetrical:${c.symmetrical}`);
    out.push(`  ${c.firstAction ?? "start"} ${c.first} then ${c.thenAction ?? c.firstAction ?? "start"} ${c.then} (${opts.join(") (")})${id(c)}`);
  }
  out.push("Colocation Constraints:");
  for (const c of cs) {
    if (c.kind !== "colocation") continue;
    if (c.sets.length) {
      out.push(`  Resource Sets:${id(c)}`);
      for (const s of c.sets) out.push(`    set ${s.resources.join(" ")}${s.role ? ` role=${s.role}` : ""}`);
      continue;
    }
    const roles = [c.rscRole ? `(rsc-role:${c.rscRole})` : "", c.withRscRole ? `(with-rsc-role:${c.withRscRole})` : ""].filter(Boolean).join(" ");
    out.push(`  ${c.rsc} with ${c.withRsc} (score:${scoreWord(c.score)})${roles ? ` ${roles}` : ""}${id(c)}`);
  }
  out.push("Ticket Constraints:");
  for (const c of cs) if (c.kind === "unsupported") out.push(`  ${c.tag}${id(c) || ` (id:${c.id})`}`);
  return out;
}

export function propertyConfigText(cib: Cib): string[] {
  const pairs = cib.configuration.crmConfig.flatMap((s) => s.nvpairs);
  const sorted = [...pairs].sort((a, b) => a.name.localeCompare(b.name));
  return ["Cluster Properties:", ...sorted.map((p) => ` ${p.name}: ${p.value ?? ""}`)];
}

function primitivesOf(list: ClusterState["resources"]): ClusterState["resources"] {
  return list.flatMap((r) => (r.kind === "primitive" ? [r] : primitivesOf(r.children)));
}

function findResourceAnywhere(cib: Cib, id: string): Resource | undefined {
  const walk = (list: Resource[]): Resource | undefined => {
    for (const r of list) {
      if (r.id === id) return r;
      const inner = r.kind === "group" ? walk(r.children) : r.kind === "clone" ? walk([r.child]) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(cib.configuration.resources);
}

// ---------------------------------------------------------------------------

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  const out = (s: string) => io.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
  const errOut = (s: string) => io.stderr.write(s.endsWith("\n") ? s : `${s}\n`);
  let client: ApiClient | undefined;
  const api = () => (client ??= new ApiClient(locateController(env)));
  const globals = (): Globals => program.opts() as Globals;

  // --- the two ways to change things ---------------------------------------------

  async function loadFile(file: string): Promise<Cib> {
    let xml: string;
    try {
      xml = await readFile(file, "utf8");
    } catch (e) {
      throw new CliError(`Unable to read the CIB file '${file}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    return parseCibXml(xml);
  }

  async function agentsCatalog() {
    const { LocalAgentCatalog } = await import("../api/agents");
    return new LocalAgentCatalog();
  }

  async function change(ch: Change, opts: { force?: boolean } = {}): Promise<void> {
    const g = globals();
    const force = !!(g.force || opts.force);
    if (g.file) {
      const cib = await loadFile(g.file);
      const ctx: OpsContext = { agents: await agentsCatalog(), parseXml: parseCibXml, now: Math.floor(Date.now() / 1000), force };
      const r = applyChange(cib, ch, ctx);
      const { validateCib } = await import("../cib/validate");
      validateCib(r.cib);
      const { nextVersion } = await import("../cib/version");
      const next = nextVersion(cib, r.cib, { user: env.USER ?? "root", client: "vigil" });
      const tmp = `${g.file}.vigil-tmp`;
      await writeFile(tmp, exportCibXml(next));
      await rename(tmp, g.file);
      for (const w of r.warnings) errOut(`Warning: ${w}`);
      if (r.message) out(r.message);
      return;
    }
    const res = await api().call<ChangeResponse>("POST", `/api/changes${force ? "?force=1" : ""}`, ch);
    printMessage(res.message);
  }

  function printMessage(message: string): void {
    for (const line of message.split("\n").filter(Boolean)) {
      if (line.startsWith("Warning: ")) errOut(line);
      else out(line);
    }
  }

  async function liveXml(): Promise<string> {
    const r = await api().request("GET", "/api/cib");
    if (r.status !== 200) throw new CliError((r.json as { error?: string })?.error ?? `the controller at ${api().addr.url} answered ${r.status} to GET /api/cib (is it a Vigil controller?)`);
    return r.body;
  }

  async function readCib(): Promise<Cib> {
    const g = globals();
    if (g.file) return loadFile(g.file);
    return parseCibXml(await liveXml());
  }

  async function readState(): Promise<{ state: ClusterState; cib?: Cib; summary?: StatusResponse["summary"]; clusterName?: string }> {
    const g = globals();
    if (g.file) {
      const cib = await loadFile(g.file);
      const core = await import("../scheduler/index");
      return { state: core.unpack(cib, { now: Math.floor(Date.now() / 1000) }), cib, summary: clusterSummaryInfo(cib) };
    }
    const s = await api().call<StatusResponse>("GET", "/api/status");
    return { state: s.state, summary: s.summary, clusterName: s.clusterName };
  }

  const nodesArg = (nodes: string[]) => nodes.map(restore);

  async function showStatus(view: string | undefined, hideInactive: boolean): Promise<void> {
    const o = { hideInactive };
    const { state, cib, summary, clusterName } = await readState();
    if (view !== undefined && !["resources", "nodes", "cluster"].includes(view)) throw new CliError(`unknown status view '${view}' (resources, nodes)`);
    const text = formatClusterStatus(state, {
      mode: "crm_mon",
      full: !!globals().full,
      inactive: !o.hideInactive,
      summary: summary ?? (cib ? clusterSummaryInfo(cib) : undefined),
      now: Math.floor(Date.now() / 1000),
    });
    if (view === "resources") {
      const lines = text.split("\n");
      const i = lines.findIndex((l) => /^(Full List of Resources|Active Resources):/.test(l));
      const rest = i >= 0 ? lines.slice(i + 1) : [];
      const end = rest.findIndex((l) => l.trim() === "");
      out((end >= 0 ? rest.slice(0, end) : rest).join("\n") || "NO resources configured");
      return;
    }
    if (view === "nodes") {
      const lines = text.split("\n");
      const i = lines.findIndex((l) => l.startsWith("Node List:"));
      const rest = lines.slice(i);
      const end = rest.findIndex((l) => l.trim() === "");
      out((end >= 0 ? rest.slice(0, end) : rest).join("\n"));
      return;
    }
    const name = clusterName ?? cib?.configuration.crmConfig.flatMap((s) => s.nvpairs).find((p) => p.name === "cluster-name")?.value;
    if (view !== "cluster" && name) out(`Cluster name: ${name}`);
    if (state.stonithEnabled && !state.resources.some((r) => r.agent?.startsWith("stonith:"))) {
      out("WARNINGS:\nNo stonith devices and stonith-enabled is not false\n");
    }
    out(text.replace(/\n+$/, ""));
    if (!globals().file) for (const line of await fencingSection(!!globals().full)) out(line);
  }

  /**
   * crm_mon's fencing sections from the controller's fence history: with --full
   * "Fencing History:" (everything, newest first); otherwise only failed and pending
   * actions, as crm_mon's default fence-history level shows. The embedded demo has no
   * fencing (the API answers 501): nothing is printed then.
   */
  async function fencingSection(full: boolean): Promise<string[]> {
    const r = await api().request("GET", "/api/fencing");
    if (r.status !== 200) return [];
    const history = ((r.json as { history?: FenceRecord[] })?.history ?? []) as FenceRecord[];
    const section = (title: string, records: FenceRecord[]) => (records.length ? ["", title, ...formatFencingHistory(records, { full: true })] : []);
    if (full) return section("Fencing History:", history);
    return [...section("Failed Fencing Actions:", history.filter((h) => h.state === "failed")), ...section("Pending Fencing Actions:", history.filter((h) => h.state === "pending"))];
  }

  // `vigil simulate ...` takes crm_simulate's flags as they are
  const simIdx = argv.findIndex((a) => !a.startsWith("-"));
  if (simIdx >= 0 && argv[simIdx] === "simulate" && !argv.slice(0, simIdx).includes("-f")) {
    const { runSimulate } = await import("./simulate");
    const core = await import("../scheduler/index");
    try {
      return await runSimulate(argv.slice(simIdx + 1), io, {
        core: { unpack: core.unpack, schedule: core.schedule },
        getLiveCib: async () => parseCibXml(await liveXml()),
        xmlPrefetch: io.xmlPrefetch,
      });
    } catch (e) {
      errOut(`Error: ${(e as Error).message}`);
      return 1;
    }
  }

  // --- program -------------------------------------------------------------------

  // loaded here, not at import: `vigil simulate` (above) runs without commander
  const { Command, CommanderError } = commander();
  const program = new Command("vigil")
    .description("Vigil cluster manager, pcs-compatible command line")
    .option("-f, --file <file>", "work on a CIB file offline instead of the running cluster (like pcs -f)")
    .option("--force", "override checks (unknown agent, unknown option, older CIB)")
    .option("--full", "more detail (status, constraint config)")
    .option("--debug", "print stack traces")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: () => {}, outputError: () => {} })
    .showHelpAfterError(false);
  program.configureHelp({ sortSubcommands: true });

  // status
  program
    .command("status")
    .description("cluster status in crm_mon's layout")
    .argument("[view]", "resources | nodes (default: everything)")
    .option("--hide-inactive", "do not list stopped resources")
    .action(async (view: string | undefined, o: { hideInactive?: boolean }) => showStatus(view, !!o.hideInactive));

  // node
  const node = program.command("node").description("node standby / maintenance / attributes");
  node.action(() => node.help());
  for (const [cmd, op, on] of [
    ["standby", "node-standby", true],
    ["unstandby", "node-standby", false],
    ["maintenance", "node-maintenance", true],
    ["unmaintenance", "node-maintenance", false],
  ] as const) {
    node
      .command(cmd)
      .argument("[nodes...]")
      .option("--all", "every node")
      .option("--wait [seconds]", "accepted for pcs compatibility; Vigil applies at once")
      .description(`${cmd} the named nodes (or --all)`)
      .action(async (nodes: string[], o: { all?: boolean }) => {
        const list = nodesArg(nodes);
        if (!o.all && !list.length) throw new CliError(`no node specified, use 'vigil node ${cmd} NODE' or --all`);
        if (o.all && list.length) throw new CliError("do not name nodes together with --all");
        await change({ op, nodes: list, on, ...(o.all ? { all: true } : {}) });
      });
  }
  node
    .command("attribute")
    .argument("[node]")
    .argument("[attrs...]", "name=value (empty value deletes)")
    .description("show or set node attributes")
    .action(async (n: string | undefined, attrs: string[]) => {
      if (n === undefined || !attrs.length) {
        const cib = await readCib();
        out("Node Attributes:");
        for (const nd of cib.configuration.nodes) {
          if (n !== undefined && nd.uname !== n) continue;
          const line = nvLine(nd.instanceAttributes);
          if (line) out(` ${nd.uname}: ${line}`);
        }
        return;
      }
      for (const [name, value] of Object.entries(parseNv(attrs.map(restore)))) await change({ op: "node-attribute", node: n, name, value });
    });

  // resource
  const resource = program.command("resource").description("create, delete and control resources");
  resource
    .command("create")
    .argument("<id>")
    .argument("<agent>")
    .argument("[args...]", "k=v... [op ACTION k=v...]... [meta k=v...]")
    .option("--group <group>", "put it in this group (created when missing)")
    .option("--before <rsc>", "place it before this group member")
    .option("--after <rsc>", "place it after this group member")
    .option("--disabled", "create it stopped (target-role=Stopped)")
    .option("--no-default-ops", "do not copy the agent's default operations")
    .option("--wait [seconds]", "accepted for pcs compatibility")
    .description("create a primitive (pcs resource create)")
    .action(async (id: string, agent: string, args: string[], o: { group?: string; before?: string; after?: string; disabled?: boolean; defaultOps?: boolean }) => {
      const parsed = parseCreateArgs(args.map(restore));
      const ch: Change = {
        op: "resource-create",
        id,
        agent,
        ...parsed,
        ...(o.group ? { group: o.group } : {}),
        ...(o.before ? { before: o.before } : {}),
        ...(o.after ? { after: o.after } : {}),
        ...(o.disabled ? { disabled: true } : {}),
        ...(o.defaultOps === false ? { noDefaultOps: true } : {}),
        ...(globals().force ? { force: true } : {}),
      };
      await change(ch);
    });
  for (const name of ["delete", "remove"]) {
    resource
      .command(name)
      .argument("<id>")
      .description("delete a resource and the constraints naming it")
      .action(async (id: string) => change({ op: "resource-delete", id }));
  }
  // cleanup and refresh: [ID] [node=NODE], in either order as pcs allows
  const historyCommand = (cmd: "cleanup" | "refresh", op: "resource-cleanup" | "resource-refresh", desc: string) =>
    resource
      .command(cmd)
      .argument("[id]")
      .argument("[opts...]", "node=NODE")
      .description(desc)
      .action(async (id: string | undefined, opts: string[]) => {
        const { words, options } = splitArgs([...(id !== undefined ? [id] : []), ...opts], cmd, ["node"]);
        if (words.length > 1) throw new CliError(`too many arguments: vigil resource ${cmd} [ID] [node=NODE]`);
        await change({ op, ...(words[0] ? { id: words[0] } : {}), ...(options.node ? { node: options.node } : {}) });
      });
  historyCommand("cleanup", "resource-cleanup", "forget failed operations and fail-counts so the resource may run again");
  for (const [cmd, op] of [
    ["enable", "resource-enable"],
    ["disable", "resource-disable"],
  ] as const) {
    resource
      .command(cmd)
      .argument("<ids...>")
      .option("--wait [seconds]", "accepted for pcs compatibility")
      .description(cmd === "enable" ? "allow the resources to start (deletes target-role)" : "stop the resources (target-role=Stopped)")
      .action(async (ids: string[]) => change({ op, ids }));
  }
  for (const [cmd, on] of [
    ["manage", true],
    ["unmanage", false],
  ] as const) {
    resource
      .command(cmd)
      .argument("<ids...>")
      .description(on ? "let the cluster manage the resources again" : "stop managing the resources (is-managed=false)")
      .action(async (ids: string[]) => change({ op: "resource-manage", ids, on }));
  }
  for (const cmd of ["move", "ban"] as const) {
    resource
      .command(cmd)
      .argument("<id>")
      .argument("[args...]", "[NODE] [lifetime=ISO8601]")
      .description(cmd === "move" ? "move to a node (cli-prefer constraint; remove it with resource clear)" : "keep off a node (cli-ban constraint)")
      .action(async (id: string, args: string[]) => {
        const { words: pos, options: kv } = splitArgs(args, cmd, ["lifetime"]);
        if (pos.length > 1) throw new CliError(`too many arguments: vigil resource ${cmd} ID [NODE] [lifetime=...]`);
        await change({ op: cmd === "move" ? "resource-move" : "resource-ban", id, ...(pos[0] ? { node: pos[0] } : {}), ...(kv.lifetime ? { lifetime: kv.lifetime } : {}) });
      });
  }
  resource
    .command("clear")
    .argument("<id>")
    .argument("[node]")
    .description("remove the constraints move/ban created")
    .action(async (id: string, n?: string) => change({ op: "resource-clear", id, ...(n ? { node: n } : {}) }));
  resource
    .command("restart")
    .argument("<id>")
    .description("stop and start a resource")
    .action(async (id: string) => {
      if (globals().file) throw new CliError("restart needs the running cluster, not a CIB file (-f)");
      const r = await api().call<ChangeResponse>("POST", `/api/resources/${encodeURIComponent(id)}/restart`, {});
      printMessage(r.message);
    });
  resource
    .command("meta")
    .argument("<id>")
    .argument("<attrs...>", "name=value (empty value deletes)")
    .description("set meta attributes")
    .action(async (id: string, attrs: string[]) => change({ op: "resource-meta", id, meta: parseNv(attrs.map(restore), "meta option") }));
  resource
    .command("update")
    .argument("<id>")
    .argument("[args...]", "k=v... [op ACTION k=v...]... [meta k=v...]")
    .description("set instance attributes, replace operations (op ACTION ...), set meta attributes")
    .action(async (id: string, args: string[]) => {
      const parsed = parseCreateArgs(args.map(restore));
      if (parsed.clone) throw new CliError("use 'vigil resource clone' to clone a resource");
      // pcs: `op NAME k=v` replaces the operation of that name (adds it when there is none);
      // one change, so a bad operation or meta option leaves the attributes unsaved too
      await change({
        op: "resource-update",
        id,
        params: parsed.params,
        ...(parsed.ops.length ? { ops: parsed.ops.map((o) => ({ name: o.name, set: o.attrs })) } : {}),
        ...(Object.keys(parsed.meta).length ? { meta: parsed.meta } : {}),
      });
    });
  const op = resource.command("op").description("operations and operation defaults");
  op.command("add")
    .argument("<id>")
    .argument("<action>")
    .argument("[attrs...]", "interval=... timeout=...")
    .action(async (id: string, action: string, attrs: string[]) =>
      change({ op: "resource-op-add", id, opSpec: { name: action, attrs: parseNv(attrs, "op option") } }),
    );
  op.command("update")
    .argument("<id>")
    .argument("<which>", "operation id, or ACTION (with interval=... to pick among several)")
    .argument("<attrs...>", "interval=... timeout=... on-fail=... (empty value removes)")
    .description("change one operation in place")
    .action(async (id: string, which: string, attrs: string[]) => {
      const cib = await readCib();
      const prim = findResourceAnywhere(cib, id);
      const byId = prim?.kind === "primitive" && prim.operations.some((o) => o.id === which);
      await change({ op: "resource-op-update", id, ...(byId ? { opId: which } : { name: which }), set: parseNv(attrs.map(restore), "op option") });
    });
  op.command("delete")
    .alias("remove")
    .argument("<opId>", "operation id (see resource config), or resource id")
    .argument("[action]", "with a resource id: the action whose operations go")
    .argument("[attrs...]", "interval=... role=... to pick among several")
    .action(async (opId: string, action: string | undefined, attrs: string[]) => {
      const cib = await readCib();
      if (action !== undefined) {
        // pcs resource op delete RESOURCE ACTION [k=v...]: every operation of that action matching the options
        const prim = findResourceAnywhere(cib, opId);
        if (!prim) throw new CliError(`Resource '${opId}' does not exist`);
        const want = parseNv(attrs.map(restore), "op option");
        const { tryParseDuration } = await import("../cib/values");
        const ms = (v?: string) => (v === undefined ? undefined : (tryParseDuration(v) ?? v));
        const matches = prim.kind === "primitive" ? prim.operations.filter((o) => o.name === action && (want.interval === undefined || ms(o.interval) === ms(want.interval)) && (want.role === undefined || o.role === want.role)) : [];
        if (!matches.length) throw new CliError(`Unable to find operation matching: ${[action, ...attrs].join(" ")}`);
        for (const o of matches) await change({ op: "resource-op-delete", id: prim.id, opId: o.id });
        return;
      }
      const owner = (function find(list: Resource[]): Primitive | undefined {
        for (const r of list) {
          if (r.kind === "primitive" && r.operations.some((o) => o.id === opId)) return r;
          const inner = r.kind === "group" ? find(r.children) : r.kind === "clone" ? find([r.child]) : undefined;
          if (inner) return inner;
        }
        return undefined;
      })(cib.configuration.resources);
      if (!owner) throw new CliError(`Unable to find operation id: ${opId}`);
      await change({ op: "resource-op-delete", id: owner.id, opId });
    });
  op.command("defaults")
    .argument("[args...]", "[update] name=value...")
    .description("show or set operation defaults")
    .action(async (args: string[]) => {
      const kv = dropUpdateWord(args);
      if (!kv.length) {
        const cib = await readCib();
        const line = cib.configuration.opDefaults.flatMap((s) => s.nvpairs.map((p) => `  ${p.name}=${p.value ?? ""}`));
        out(line.length ? `Meta Attrs: ${cib.configuration.opDefaults[0].id}\n${line.join("\n")}` : "No defaults set");
        return;
      }
      await change({ op: "op-defaults", meta: parseNv(kv) });
    });
  resource
    .command("defaults")
    .argument("[args...]", "[update] name=value...")
    .description("show or set resource defaults")
    .action(async (args: string[]) => {
      const kv = dropUpdateWord(args);
      if (!kv.length) {
        const cib = await readCib();
        const line = cib.configuration.rscDefaults.flatMap((s) => s.nvpairs.map((p) => `  ${p.name}=${p.value ?? ""}`));
        out(line.length ? `Meta Attrs: ${cib.configuration.rscDefaults[0].id}\n${line.join("\n")}` : "No defaults set");
        return;
      }
      await change({ op: "rsc-defaults", meta: parseNv(kv.map(restore)) });
    });
  const group = resource.command("group").description("groups: add, remove, list");
  group
    .command("add")
    .argument("<group>")
    .argument("<ids...>")
    .option("--before <rsc>", "place them before this member")
    .option("--after <rsc>", "place them after this member")
    .action(async (g: string, ids: string[], o: { before?: string; after?: string }) =>
      change({ op: "group-add", group: g, ids, ...(o.before ? { before: o.before } : {}), ...(o.after ? { after: o.after } : {}) }),
    );
  group
    .command("remove")
    .alias("delete")
    .argument("<group>")
    .argument("[ids...]")
    .action(async (g: string, ids: string[]) => change({ op: "group-remove", group: g, ...(ids.length ? { ids } : {}) }));
  group.command("list").action(async () => {
    const cib = await readCib();
    for (const r of cib.configuration.resources.flatMap((x) => (x.kind === "clone" ? [x.child] : [x])))
      if (r.kind === "group") out(`${r.id}: ${r.children.map((c) => c.id).join(" ")}`);
  });
  resource
    .command("ungroup")
    .argument("<group>")
    .argument("[ids...]")
    .description("take resources out of a group (all: the group goes)")
    .action(async (g: string, ids: string[]) => change({ op: "group-remove", group: g, ...(ids.length ? { ids } : {}) }));
  for (const kind of ["clone", "promotable"] as const) {
    resource
      .command(kind)
      .argument("<id>")
      .argument("[args...]", "[CLONE-ID] [meta] k=v...")
      .description(kind === "clone" ? "run a primitive or group on several nodes" : "a clone with promoted/unpromoted roles")
      .action(async (id: string, args: string[]) => {
        const rest = args.map(restore).filter((x) => x !== "meta");
        const cloneId = rest[0] && !rest[0].includes("=") ? rest.shift() : undefined;
        await change({ op: "resource-clone", id, ...(cloneId ? { cloneId } : {}), meta: parseNv(rest, "clone option"), ...(kind === "promotable" ? { promotable: true } : {}) });
      });
  }
  resource
    .command("unclone")
    .argument("<id>")
    .description("remove the clone around a resource")
    .action(async (id: string) => change({ op: "resource-unclone", id }));
  historyCommand("refresh", "resource-refresh", "forget all operation history so the resource is probed again");

  resource
    .command("config")
    .argument("[ids...]")
    .option("--output-format <fmt>", "text | cmd | json", "text")
    .description("show the resources' configuration")
    .action(async (ids: string[], o: { outputFormat: string }) => {
      const cib = await readCib();
      let list = cib.configuration.resources;
      if (ids.length) {
        list = ids.map((id) => {
          const r = findResourceAnywhere(cib, id);
          if (!r) throw new CliError(`unable to find resource '${id}'`);
          return r;
        });
      }
      if (o.outputFormat === "json") out(JSON.stringify({ resources: list }, null, 2));
      else if (o.outputFormat === "cmd") out(list.flatMap(resourceConfigCmd).join(";\n"));
      else if (o.outputFormat === "text") out(list.flatMap((r) => resourceConfigText(r)).join("\n"));
      else throw new CliError(`unknown output format '${o.outputFormat}' (text, cmd, json)`);
    });
  resource
    .command("status")
    .description("the resources' status (as vigil status resources)")
    .action(async () => showStatus("resources", false));
  resource.action(async () => showStatus("resources", false));
  resource
    .command("list")
    .alias("agents")
    .argument("[filter]")
    .description("list the resource agents available")
    .action(async (filter?: string) => {
      const cat = await agentsCatalog();
      const names = cat.list().filter((n) => !n.startsWith("stonith:") && (!filter || n.toLowerCase().includes(filter.toLowerCase())));
      out(names.join("\n") || "No resource agents match");
    });
  resource
    .command("describe")
    .argument("<agent>")
    .description("an agent's parameters and default operations")
    .action(async (agent: string) => {
      const cat = await agentsCatalog();
      const matches = agent.includes(":") ? [agent] : cat.list().filter((n) => n.endsWith(`:${agent}`));
      if (matches.length !== 1) throw new CliError(matches.length ? `Multiple agents match '${agent}', please specify full name: ${matches.join(", ")}` : `Unable to find agent '${agent}', try specifying its full name`);
      const info = cat.describe(matches[0]);
      if (!info) throw new CliError(`Agent '${matches[0]}' is not installed or does not provide valid metadata`);
      out(`${info.name} - ${info.shortdesc ?? ""}\n`);
      if (info.longdesc) out(`${info.longdesc}\n`);
      out("Resource options:");
      for (const p of info.params ?? []) {
        const marks = [p.required ? "(required)" : "", p.unique ? "(unique)" : ""].filter(Boolean).join(" ");
        out(`  ${p.name}${marks ? ` ${marks}` : ""}: ${p.shortdesc ?? ""}${p.default !== undefined ? ` [${p.default}]` : ""}`);
      }
      out("\nDefault operations:");
      for (const a of info.actions ?? []) if (!["meta-data", "validate-all"].includes(a.name)) out(`  ${a.name}:\n    ${[a.interval ? `interval=${a.interval}` : "interval=0s", a.timeout ? `timeout=${a.timeout}` : ""].filter(Boolean).join(" ")}`);
    });

  // constraint
  const constraint = program.command("constraint").description("location, colocation and order constraints");
  const showConstraints = async () => {
    const cib = await readCib();
    out(constraintConfigText(cib.configuration.constraints, !!globals().full).join("\n"));
  };
  constraint.command("config").alias("list").description("show all constraints").action(showConstraints);
  constraint
    .command("location")
    .argument("<rsc>")
    .argument("<how>", "prefers | avoids | rule")
    .argument("<nodes...>", "NODE[=SCORE]... | [score=S] EXPRESSION")
    .description("prefer or avoid nodes (default score INFINITY)")
    .action(async (rsc: string, how: string, nodes: string[]) => {
      if (how === "rule") {
        const words = nodes.map(restore);
        const opts = takeLeadingOptions(words, ["id", "score", "score-attribute", "role", "constraint-id"]);
        await change({
          op: "constraint-location-rule",
          rsc,
          expression: words,
          ...(opts.score ? { score: opts.score } : {}),
          ...(opts["score-attribute"] ? { scoreAttribute: opts["score-attribute"] } : {}),
          ...(opts.role ? { role: opts.role } : {}),
          ...(opts.id || opts["constraint-id"] ? { id: opts.id ?? opts["constraint-id"] } : {}),
        });
        return;
      }
      if (how !== "prefers" && how !== "avoids") throw new CliError(`expected 'prefers', 'avoids' or 'rule' after the resource, got '${how}'`);
      for (const spec of nodes.map(restore)) {
        const [n, sc] = spec.split("=", 2);
        if (!n) throw new CliError(`missing node name in '${spec}'`);
        let score = sc === undefined || sc === "" ? "INFINITY" : sc;
        if (how === "avoids") score = score.startsWith("-") ? score.slice(1) : `-${score}`;
        await change({ op: "constraint-location", rsc, node: n, score });
      }
    });
  constraint
    .command("colocation")
    .argument("<sub>", "add | delete")
    .argument("<args...>", "[role] A with [role] B [score] [id=ID]")
    .description("keep resources together (positive score) or apart (negative)")
    .action(async (sub: string, args: string[]) => {
      const a = args.map(restore);
      const roles = new Set(["Started", "Stopped", "Promoted", "Unpromoted", "Master", "Slave"]);
      if (sub === "delete" || sub === "remove") {
        if (a.length !== 2) throw new CliError("use: vigil constraint colocation delete A B");
        const cib = await readCib();
        const c = cib.configuration.constraints.find((x) => x.kind === "colocation" && ((x.rsc === a[0] && x.withRsc === a[1]) || (x.rsc === a[1] && x.withRsc === a[0])));
        if (!c) throw new CliError(`Unable to find colocation constraint with resources '${a[0]}' and '${a[1]}'`);
        await change({ op: "constraint-delete", id: c.id });
        return;
      }
      if (sub !== "add") throw new CliError(`expected 'add' or 'delete' after colocation, got '${sub}'`);
      let i = 0;
      const rscRole = roles.has(a[i]) ? a[i++] : undefined;
      const rsc = a[i++];
      if (a[i++] !== "with") throw new CliError("use: vigil constraint colocation add [role] A with [role] B [score]");
      const withRscRole = roles.has(a[i]) ? a[i++] : undefined;
      const withRsc = a[i++];
      if (!rsc || !withRsc) throw new CliError("use: vigil constraint colocation add [role] A with [role] B [score]");
      const { words: rest, options: kv } = splitArgs(a.slice(i), "colocation", ["id", "score"]);
      if (rest.length > 1) throw new CliError(`unexpected argument '${rest[1]}'`);
      const score = kv.score ?? rest[0];
      await change({
        op: "constraint-colocation",
        rsc,
        withRsc,
        ...(score ? { score } : {}),
        ...(rscRole ? { rscRole } : {}),
        ...(withRscRole ? { withRscRole } : {}),
        ...(kv.id ? { id: kv.id } : {}),
      });
    });
  constraint
    .command("order")
    .argument("<args...>", "[action] A then [action] B [kind=..] [symmetrical=..] [id=..]")
    .description("start (or stop/promote/demote) one resource before another")
    .action(async (args: string[]) => {
      const a = args.map(restore);
      if (a[0] === "delete" || a[0] === "remove") {
        const cib = await readCib();
        const ids = cib.configuration.constraints.filter((x) => x.kind === "order" && (x.first === a[1] || x.then === a[1])).map((x) => x.id);
        if (!ids.length) throw new CliError(`Unable to find an order constraint with resource '${a[1]}'`);
        for (const id of ids) await change({ op: "constraint-delete", id });
        return;
      }
      const actions = new Set(["start", "stop", "promote", "demote"]);
      let i = 0;
      const firstAction = actions.has(a[i]) ? a[i++] : undefined;
      const first = a[i++];
      if (a[i++] !== "then") throw new CliError("use: vigil constraint order [action] A then [action] B");
      const thenAction = actions.has(a[i]) ? a[i++] : undefined;
      const then = a[i++];
      if (!first || !then) throw new CliError("use: vigil constraint order [action] A then [action] B");
      const { words: extra, options: kv } = splitArgs(a.slice(i), "order", ["kind", "symmetrical", "id"]);
      if (extra.length) throw new CliError(`unexpected argument '${extra[0]}'`);
      const kind = kv.kind ? kv.kind.charAt(0).toUpperCase() + kv.kind.slice(1).toLowerCase() : undefined;
      if (kind && !["Mandatory", "Optional", "Serialize"].includes(kind)) throw new CliError(`'${kv.kind}' is not a valid kind value, use Mandatory, Optional, Serialize`);
      await change({
        op: "constraint-order",
        first,
        then,
        ...(firstAction ? { firstAction } : {}),
        ...(thenAction ? { thenAction } : {}),
        ...(kind ? { kind: kind as "Mandatory" | "Optional" | "Serialize" } : {}),
        ...(kv.symmetrical ? { symmetrical: kv.symmetrical } : {}),
        ...(kv.id ? { id: kv.id } : {}),
      });
    });
  for (const name of ["delete", "remove"]) {
    constraint
      .command(name)
      .argument("<ids...>")
      .description("delete constraints by id (see constraint config --full)")
      .action(async (ids: string[]) => {
        for (const id of ids) await change({ op: "constraint-delete", id });
      });
  }
  constraint.action(showConstraints);

  // stonith (devices are primitives of class stonith)
  const stonith = program.command("stonith").description("fencing devices");
  stonith
    .command("create")
    .argument("<id>")
    .argument("<agent>", "fence agent, e.g. fence_ipmilan")
    .argument("[args...]", "k=v... [op ACTION k=v...]... [meta k=v...]")
    .option("--disabled", "create it stopped")
    .action(async (id: string, agent: string, args: string[], o: { disabled?: boolean }) => {
      const parsed = parseCreateArgs(args.map(restore));
      await change({ op: "resource-create", id, agent: agent.startsWith("stonith:") ? agent : `stonith:${agent}`, ...parsed, ...(o.disabled ? { disabled: true } : {}), ...(globals().force ? { force: true } : {}) });
    });
  stonith
    .command("list")
    .argument("[filter]")
    .action(async (filter?: string) => {
      const cat = await agentsCatalog();
      const names = cat.list().filter((n) => n.startsWith("stonith:") && (!filter || n.includes(filter))).map((n) => n.slice(8));
      out(names.join("\n") || "No stonith agents available");
    });
  stonith
    .command("config")
    .argument("[ids...]")
    .action(async (ids: string[]) => {
      const cib = await readCib();
      const devs = cib.configuration.resources.filter((r): r is Primitive => r.kind === "primitive" && r.class === "stonith" && (!ids.length || ids.includes(r.id)));
      out(devs.length ? devs.flatMap((r) => resourceConfigText(r)).join("\n") : "NO stonith devices configured");
    });
  stonith.command("status").action(async () => {
    const { state } = await readState();
    const devs = primitivesOf(state.resources).filter((r) => r.agent?.startsWith("stonith:"));
    out(devs.length ? devs.map((r) => `  * ${r.id}\t(${r.agent}):\t ${r.active.length ? `Started ${r.active.map((x) => x.node).join(" ")}` : "Stopped"}`).join("\n") : "NO stonith devices configured");
  });
  stonith
    .command("delete")
    .alias("remove")
    .argument("<id>")
    .action(async (id: string) => change({ op: "resource-delete", id }));

  // property
  const property = program.command("property").description("cluster properties (crm_config)");
  const showProps = async (): Promise<void> => {
    out(propertyConfigText(await readCib()).join("\n"));
  };
  property
    .command("config")
    .alias("list")
    .argument("[names...]")
    .option("--all", "also the properties that are not set, with their defaults")
    .option("--defaults", "only the defaults")
    .action(async (names: string[], o: { all?: boolean; defaults?: boolean }) => {
    if (o.all || o.defaults) {
      const { CLUSTER_PROPERTIES } = await import("../cib/ops/property");
      const set = new Map((o.defaults ? [] : (await readCib()).configuration.crmConfig.flatMap((s) => s.nvpairs)).map((p) => [p.name, p.value ?? ""]));
      const names2 = [...new Set([...Object.keys(CLUSTER_PROPERTIES), ...set.keys()])].sort();
      const lines = names2
        .map((n) => [n, set.get(n) ?? CLUSTER_PROPERTIES[n]?.default] as const)
        .filter(([, v]) => v !== undefined)
        .map(([n, v]) => ` ${n}: ${v}`);
      out(["Cluster Properties:", ...lines].join("\n"));
      return;
    }
    if (!names.length) return showProps();
    const cib = await readCib();
    const pairs = cib.configuration.crmConfig.flatMap((s) => s.nvpairs).filter((p) => names.includes(p.name));
    out(["Cluster Properties:", ...pairs.map((p) => ` ${p.name}: ${p.value ?? ""}`)].join("\n"));
  });
  property
    .command("set")
    .argument("<assignments...>", "NAME=VALUE...")
    .action(async (as: string[]) => {
      for (const [name, value] of Object.entries(parseNv(as.map(restore), "property"))) await change({ op: "property-set", name, value });
    });
  property
    .command("unset")
    .argument("<names...>")
    .action(async (names: string[]) => {
      for (const name of names) await change({ op: "property-unset", name });
    });
  property.action(showProps);

  // cluster
  const cluster = program.command("cluster").description("the CIB as a whole");
  cluster.action(() => cluster.help());
  cluster
    .command("cib")
    .argument("[file]", "write to this file instead of standard output")
    .description("print the live CIB as XML")
    .action(async (file?: string) => {
      const g = globals();
      const xml = g.file ? await readFile(g.file, "utf8").catch(() => Promise.reject(new CliError(`Unable to read the CIB file '${g.file}'`))) : await liveXml();
      if (file) await writeFile(file, xml);
      else io.stdout.write(xml.endsWith("\n") ? xml : `${xml}\n`);
    });
  cluster
    .command("cib-push")
    .argument("<file>")
    .option("--config", "push only the configuration section (always the case in Vigil)")
    .description("replace the configuration with the one in FILE, after validation")
    .action(async (file: string) => {
      let xml: string;
      try {
        xml = await readFile(file, "utf8");
      } catch (e) {
        throw new CliError(`Unable to read file '${file}': ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
      }
      // parse locally first: a malformed file is reported with its line without a round trip
      parseCibXml(xml);
      const g = globals();
      if (g.file) {
        await change({ op: "cib-replace", xml });
        return;
      }
      const r = await api().call<ChangeResponse>("PUT", `/api/cib${g.force ? "?force=1" : ""}`, xml, "application/xml");
      printMessage(r.message || "CIB updated");
    });
  cluster
    .command("status")
    .description("as pcs cluster status")
    .action(async () => {
      const { state, summary } = await readState();
      const text = formatClusterStatus(state, { mode: "crm_mon", summary, now: Math.floor(Date.now() / 1000) });
      out(`Cluster Status:\n${text.replace(/\n+$/, "").split("\n").map((l) => (l ? ` ${l}` : l)).join("\n")}`);
    });

  // simulate (crm_simulate flags; the simulate helper's runSimulate)
  program
    .command("simulate")
    .description("run the scheduler offline on a CIB (crm_simulate flags: -x FILE, -L, -S, -s ...)")
    .helpOption(false)
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .argument("[args...]")
    .action(async () => {
      /* dispatched before commander, see below */
    });

  program
    .command("daemon")
    .description("run the controller here (as npm start: builds the console when needed)")
    .action(async () => {
      // @ts-expect-error plain JS without types
      await import("../../scripts/start.mjs");
      await new Promise(() => {}); // start.mjs exits with the controller
    });

  program
    .command("cert")
    .description("the controller's HTTPS certificate")
    .command("install")
    .argument("<cert>", "PEM certificate (chain)")
    .argument("<key>", "PEM private key")
    .description("replace the self-signed certificate (takes effect at the next controller start)")
    .action(async (certFile: string, keyFile: string) => {
      const { X509Certificate, createPrivateKey } = await import("node:crypto");
      const { copyFile, chmod } = await import("node:fs/promises");
      const { stateDirFromEnv } = await import("./client");
      let cert: InstanceType<typeof X509Certificate>;
      try {
        cert = new X509Certificate(await readFile(certFile));
      } catch (e) {
        throw new CliError(`'${certFile}' is not a PEM certificate (${(e as Error).message})`);
      }
      let key: ReturnType<typeof createPrivateKey>;
      try {
        key = createPrivateKey(await readFile(keyFile));
      } catch (e) {
        throw new CliError(`'${keyFile}' is not a PEM private key (${(e as Error).message})`);
      }
      if (!cert.checkPrivateKey(key)) throw new CliError(`the key in '${keyFile}' does not belong to the certificate in '${certFile}'`);
      const dir = stateDirFromEnv(env);
      const path = await import("node:path");
      await copyFile(keyFile, path.join(dir, "key.pem"));
      await chmod(path.join(dir, "key.pem"), 0o600);
      await copyFile(certFile, path.join(dir, "cert.pem"));
      out(`Certificate for ${cert.subject.replace(/\n/g, ", ")} installed in ${dir}; restart the controller to use it`);
    });

  // users (issue 5)
  const user = program.command("user").description("console users (admin, operator, read-only)");
  user.command("list").action(async () => {
    const r = await api().call<{ users: { name: string; role: string }[] }>("GET", "/api/users");
    for (const u of r.users) out(`${u.name}: ${u.role}`);
  });
  user
    .command("add")
    .argument("<name>")
    .argument("[opts...]", "role=admin|operator|read-only password=...")
    .action(async (name: string, opts: string[]) => {
      const { words, options: kv } = splitArgs(opts, "user add", ["role", "password"]);
      if (words.length) throw new CliError(`unexpected argument '${words[0]}' (use role=, password=)`);
      const password = kv.password ?? env.VIGIL_PASSWORD;
      if (!password) throw new CliError("give password=... (or VIGIL_PASSWORD in the environment)");
      await api().call("POST", "/api/users", { name, password, role: kv.role ?? "read-only" });
    });
  user
    .command("delete")
    .alias("remove")
    .argument("<name>")
    .action(async (name: string) => {
      await api().call("DELETE", `/api/users/${encodeURIComponent(name)}`);
    });
  user
    .command("passwd")
    .argument("<name>")
    .argument("[opts...]", "password=...")
    .action(async (name: string, opts: string[]) => {
      const password = splitArgs(opts, "user passwd", ["password"]).options.password ?? env.VIGIL_PASSWORD;
      if (!password) throw new CliError("give password=... (or VIGIL_PASSWORD in the environment)");
      await api().call("PUT", `/api/users/${encodeURIComponent(name)}/password`, { password });
    });

  registerHostCommands(program, { api, out, errOut }); // host, quorum, stonith fence/history/describe (server/cli/hosts.ts)

  // --- run -----------------------------------------------------------------------

  const debug = argv.includes("--debug");
  const marked = markNegatives(argv);
  try {
    await program.parseAsync(marked, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      if (e.code === "commander.executeSubCommandAsync") return 0;
      const msg = e.message.replace(/^error: /, "").split("\n")[0];
      if (e.code === "commander.missingMandatoryOptionValue" || e.code === "commander.missingArgument" || e.code === "commander.unknownCommand" || e.code === "commander.unknownOption" || e.code === "commander.excessArguments" || e.code === "commander.optionMissingArgument") {
        errOut(`Error: ${restoreText(msg)} (see vigil --help)`);
      } else errOut(`Error: ${restoreText(msg)}`);
      return 1;
    }
    if (e instanceof CliError || e instanceof CibError) {
      errOut(`Error: ${e.message}`);
      return 1;
    }
    if (debug) errOut((e as Error).stack ?? String(e));
    errOut(`Error: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

// run when executed directly (bin/vigil.mjs imports this file)
const invoked = process.argv[1] ? import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/")) : false;
if (invoked) {
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
