// `vigil simulate`: run the scheduler offline on a CIB and print what
// crm_simulate 2.1.5 prints (same sections, same line forms).
import { isAscii } from "node:buffer";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import type { Cib } from "../cib/types";
import { CibError } from "../cib/errors";
import { exportCibXml, parseCibXml } from "../cib/xml";
import type { ClusterState, ScheduleOptions, ScheduleResult } from "../scheduler/types";
import { UnsupportedFeatureError } from "../scheduler/types";
import { MAINTENANCE_BANNER, disabledBlockedLine, formatClusterStatus, formatExecutedActions, formatScores, isoUtcString } from "../scheduler/format";
import { applyTransition } from "../scheduler/simulate";
import { schedule, unpack } from "../scheduler/index";
import { type PhaseTimer, phaseTimer } from "./phase-timing";

export interface SimulateIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** The scheduler entry points `vigil simulate` needs (server/scheduler/index.ts). */
export interface SchedulerCore {
  unpack(cib: Cib, opts: ScheduleOptions): ClusterState;
  schedule(cib: Cib, opts: ScheduleOptions): ScheduleResult;
}

export interface SimulateDeps {
  /** the live CIB from the running controller (for -L); wired by the CLI */
  getLiveCib?: () => Promise<Cib>;
  /** the scheduler; default: server/scheduler/index.ts */
  core?: SchedulerCore;
  /** wall clock in epoch seconds, used when the CIB has no execution-date and -t is not given */
  clock?: () => number;
  /** print per-phase times on stderr; default: VIGIL_SIMULATE_TIMING=1 in the environment */
  timing?: boolean;
  /** the -x file's bytes, when the caller started reading it before this ran */
  xmlPrefetch?: PrefetchedFile;
}

/**
 * A file whose reading was started early: `bytes` resolves to its content, or to undefined when
 * it could not be read (then it is read again the usual way, which reports the error).
 */
export interface PrefetchedFile {
  file: string;
  bytes: Promise<Buffer | undefined>;
}

export interface SimulateOptions {
  xmlFile?: string;
  live: boolean;
  simulate: boolean;
  run: boolean;
  showScores: boolean;
  quiet: boolean;
  /** -V: also print the scheduler's configuration warnings/errors on stderr (crm_simulate logs them only then) */
  verbose: boolean;
  date?: string;
  saveGraph?: string;
  saveOutput?: string;
  help: boolean;
}

export class UsageError extends Error {}

const HELP = `Usage: vigil simulate [OPTION...]

Run Vigil's scheduler offline on a CIB and print what it would do, in the
layout of Pacemaker's crm_simulate.

  -x, --xml-file FILE      read the CIB from FILE ("-" for standard input)
  -L, --live-check         use the live CIB of the running controller
  -R, --run                compute the transition and print its summary
  -S, --simulate           also pretend every action succeeds and print the result
  -s, --show-scores        print allocation and promotion scores
  -Q, --quiet              print only what was asked for with -s (nothing else)
  -V, --verbose            also print configuration warnings and errors on stderr
  -t, --set-datetime DATE  take DATE (ISO 8601) as "now" instead of the CIB's execution-date
  -G, --save-graph FILE    write the transition (actions and orderings) to FILE as JSON
  -O, --save-output FILE   write the CIB after the simulated transition to FILE (with -S)
  -h, --help               this text
`;

/** Parses crm_simulate-style arguments (short flags may be bundled: -sSQ). */
export function parseSimulateArgs(argv: string[]): SimulateOptions {
  const o: SimulateOptions = { live: false, simulate: false, run: false, showScores: false, quiet: false, verbose: false, help: false };
  const takesValue: Record<string, keyof SimulateOptions> = {
    x: "xmlFile", "xml-file": "xmlFile", t: "date", "set-datetime": "date",
    G: "saveGraph", "save-graph": "saveGraph", O: "saveOutput", "save-output": "saveOutput",
  };
  const flags: Record<string, keyof SimulateOptions> = {
    L: "live", "live-check": "live", S: "simulate", simulate: "simulate", R: "run", run: "run",
    s: "showScores", "show-scores": "showScores", Q: "quiet", quiet: "quiet", V: "verbose", verbose: "verbose", h: "help", help: "help", "?": "help",
  };
  const setValue = (key: keyof SimulateOptions, name: string, v: string | undefined) => {
    if (v === undefined || v === "") throw new UsageError(`option '${name}' needs a value`);
    (o as unknown as Record<string, unknown>)[key] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (name in takesValue) setValue(takesValue[name], `--${name}`, eq >= 0 ? arg.slice(eq + 1) : argv[++i]);
      else if (name in flags && eq < 0) (o as unknown as Record<string, unknown>)[flags[name]] = true;
      else throw new UsageError(`unknown option '${arg}'`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j];
        if (c in takesValue) {
          const rest = arg.slice(j + 1);
          setValue(takesValue[c], `-${c}`, rest !== "" ? rest : argv[++i]);
          break;
        } else if (c in flags) (o as unknown as Record<string, unknown>)[flags[c]] = true;
        else throw new UsageError(`unknown option '-${c}'`);
      }
    } else {
      throw new UsageError(`unexpected argument '${arg}'`);
    }
  }
  if (!o.help) {
    if (o.xmlFile !== undefined && o.live) throw new UsageError("use either -x FILE or -L, not both");
    if (o.xmlFile === undefined && !o.live) throw new UsageError("no CIB given: use -x FILE or -L");
    if (o.saveOutput && !o.simulate) throw new UsageError("-O/--save-output needs -S/--simulate");
    if (o.saveGraph) o.run = true;
  }
  return o;
}

/** Parses -t values: "2019-10-22 20:53:06", "2019-10-22T20:53:06Z", or epoch seconds. */
export function parseDateTime(s: string): number {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  let iso = t.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00:00";
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new UsageError(`cannot parse date '${s}' (use ISO 8601, e.g. 2024-03-04 10:15:00)`);
  return Math.floor(ms / 1000);
}

/** Line of the first element whose id attribute is `id` in the XML text (for error messages). */
export function lineOfId(xml: string, id: string): number | undefined {
  const esc = id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/&/g, "&amp;");
  const m = new RegExp(`\\sid\\s*=\\s*["']${esc}["']`).exec(xml);
  if (!m) return undefined;
  let line = 1;
  for (let i = 0; i < m.index; i++) if (xml.charCodeAt(i) === 10) line++;
  return line;
}

const defaultCore: SchedulerCore = { unpack, schedule };

export const SCHEMA_DISABLED = "Schema validation of configuration is disabled (enabling is encouraged and prevents common misconfigurations)";

/** Renders the crm_simulate output for a CIB. Throws CibError / UnsupportedFeatureError on bad input. */
export function simulateText(
  cib: Cib,
  o: Pick<SimulateOptions, "simulate" | "run" | "showScores" | "quiet"> & { verbose?: boolean },
  now: number,
  core: SchedulerCore,
  usingExecutionDate: boolean,
  timer: PhaseTimer = phaseTimer(false),
  /** false: unpack the revised CIB even when the transition recorded nothing (tests compare both paths) */
  reuseUnchangedStatus = true,
): { out: string; err: string; result?: ScheduleResult; revised?: Cib } {
  const out: string[] = [];
  const err: string[] = [];
  // crm_simulate warns on stderr (also with -Q) when the CIB turns schema validation off
  if ((cib.attrs["validate-with"] ?? "").toLowerCase() === "none") err.push(SCHEMA_DISABLED);
  const usingLine = usingExecutionDate ? `Using the original execution date of: ${isoUtcString(now)}` : undefined;
  const wantsRun = o.run || o.simulate || o.showScores;
  // schedule() unpacks the status itself and returns that view: no second unpack of a large CIB
  let result: ScheduleResult | undefined = wantsRun ? core.schedule(cib, { now }) : undefined;
  const before = result ? result.before : core.unpack(cib, { now });
  timer.phase(result ? "schedule" : "unpack");
  if (o.verbose) for (const m of before.messages) err.push(m);
  const quiet = o.quiet;
  let statusText = "";
  if (!quiet) {
    if (usingLine) out.push(usingLine);
    const db = disabledBlockedLine(before);
    if (db) out.push(db, "");
    if (before.maintenanceMode) out.push("", ...MAINTENANCE_BANNER, "");
    out.push("Current cluster status:");
    statusText = formatClusterStatus(before, { mode: "simulate" }).replace(/\n$/, "");
    out.push(statusText);
    timer.phase("status");
  }
  let revised: Cib | undefined;
  if (result) {
    if (o.verbose) for (const m of result.messages) err.push(m);
    if (o.showScores) {
      if (!quiet) out.push("");
      out.push(...formatScores(result.scores));
      timer.phase("scores");
    }
    if (!quiet) {
      out.push("", "Transition Summary:", ...result.summary);
    }
    if (o.simulate) {
      revised = applyTransition(cib, result.transition, { now });
      timer.phase("apply");
      if (!quiet) {
        out.push("", "Executing Cluster Transition:", ...formatExecutedActions(result.transition));
        if (usingLine) out.push(usingLine);
        out.push("", "Revised Cluster Status:");
        if (revised === cib && reuseUnchangedStatus) {
          // nothing was recorded: the revised status is the current one (a large CIB's unpack
          // is a fifth of the run; the empty transition is the common case of a settled cluster)
          out.push(statusText);
        } else {
          const after = core.unpack(revised, { now });
          timer.phase("unpack-revised");
          out.push(formatClusterStatus(after, { mode: "simulate" }).replace(/\n$/, ""));
        }
        timer.phase("revised-status");
      }
    }
  }
  return { out: out.length ? out.join("\n") + "\n" : "", err: err.length ? err.join("\n") + "\n" : "", result, revised };
}

/** Describes a rejected CIB in one line: what is wrong, which element, which line. */
export function describeInputError(e: unknown, source: string, xml: string | undefined): string | undefined {
  if (e instanceof UnsupportedFeatureError) {
    const line = xml !== undefined ? lineOfId(xml, e.elementId) : undefined;
    return `${source}: ${e.message}${line !== undefined ? ` at line ${line}` : ""}`;
  }
  if (e instanceof CibError) {
    const d = e.details;
    let msg = e.message;
    if (d.line === undefined && d.elementId && xml !== undefined) {
      const line = lineOfId(xml, d.elementId);
      if (line !== undefined) msg += ` (line ${line})`;
    }
    return `${source}: ${msg}`;
  }
  return undefined;
}

/** `vigil simulate ARGS`: returns the exit code (0 ok, 1 bad input or failure, 2 usage). */
export async function runSimulate(argv: string[], io: SimulateIo, deps: SimulateDeps = {}): Promise<number> {
  let o: SimulateOptions;
  try {
    o = parseSimulateArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`vigil simulate: ${e.message} (see vigil simulate --help)\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    io.stdout.write(HELP);
    return 0;
  }

  const timer = phaseTimer(deps.timing ?? process.env.VIGIL_SIMULATE_TIMING === "1");
  let xml: string | undefined;
  let cib: Cib;
  const source = o.live ? "live CIB" : o.xmlFile === "-" ? "<stdin>" : o.xmlFile!;
  try {
    if (o.live) {
      if (!deps.getLiveCib) throw new Error("no controller connection is available for -L");
      cib = await deps.getLiveCib();
    } else {
      try {
        const early = deps.xmlPrefetch?.file === o.xmlFile ? await deps.xmlPrefetch!.bytes : undefined;
        xml = o.xmlFile === "-" ? await readStdin() : early ? decodeText(early) : readTextFile(o.xmlFile!);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        io.stderr.write(`vigil simulate: cannot read ${source}: ${code === "ENOENT" ? "no such file" : (e as Error).message}\n`);
        return 1;
      }
      timer.phase("read");
      cib = parseCibXml(xml);
      timer.phase("parse");
    }
  } catch (e) {
    const line = describeInputError(e, source, xml);
    io.stderr.write(`vigil simulate: ${line ?? (e as Error).message}\n`);
    return 1;
  }

  let now: number;
  let usingExecutionDate = false;
  try {
    if (o.date !== undefined) now = parseDateTime(o.date);
    else if (cib.attrs["execution-date"] !== undefined && /^\d+$/.test(cib.attrs["execution-date"])) {
      now = Number(cib.attrs["execution-date"]);
      usingExecutionDate = true;
    } else now = (deps.clock ?? (() => Math.floor(Date.now() / 1000)))();
  } catch (e) {
    io.stderr.write(`vigil simulate: ${(e as Error).message}\n`);
    return 2;
  }

  try {
    const core = deps.core ?? defaultCore;
    const r = simulateText(cib, o, now, core, usingExecutionDate, timer);
    if (r.err) io.stderr.write(r.err);
    io.stdout.write(r.out);
    timer.phase("print");
    if (o.saveGraph && r.result) await writeFile(o.saveGraph, JSON.stringify(r.result.transition, null, 2) + "\n");
    if (o.saveOutput && r.revised) await writeFile(o.saveOutput, exportCibXml(r.revised));
    if (o.saveGraph || o.saveOutput) timer.phase("save");
    io.stderr.write(await timer.report());
    return 0;
  } catch (e) {
    const line = describeInputError(e, source, xml);
    if (line) {
      io.stderr.write(`vigil simulate: ${line}\n`);
      return 1;
    }
    io.stderr.write(`vigil simulate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/**
 * The file as UTF-8 text. Node 20's readFileSync(f, "utf8") takes about twice as long as
 * reading the bytes and decoding them (~300 ms against ~160 ms CPU for an 18 MB CIB here).
 */
function readTextFile(file: string): string {
  return decodeText(readFileSync(file));
}

/**
 * UTF-8 bytes as text. Bytes that are all ASCII (a CIB usually is) are the same characters in
 * Latin-1, which Node copies without decoding: an 18 MB CIB ~50 -> ~12-28 ms here (isAscii
 * included). Anything else (a byte order mark, other characters, invalid sequences) is decoded
 * as UTF-8, as before.
 */
export function decodeText(bytes: Uint8Array): string {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(b) ? b.toString("latin1") : b.toString("utf8");
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return decodeText(Buffer.concat(chunks));
}
