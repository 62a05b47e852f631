// pcs-style argument lists, parsed in one place for every `vigil` command:
// `k=v` options, positional words mixed with options, and the sections of
// `resource create|update` (`op ACTION k=v...`, `meta k=v...`, `clone ...`).
import type { OpSpec } from "../api/contract";
import { CliError } from "./client";

/** marks "-INFINITY" / "-100" so commander does not take them for options */
export const NEG = "\u0001";

export function markNegatives(argv: string[]): string[] {
  return argv.map((a) => (/^-(INFINITY|\d+)$/i.test(a) || /^-\d/.test(a) ? NEG + a : a));
}

export function restore(s: string): string {
  return s.startsWith(NEG) ? s.slice(1) : s;
}

/** an error text with the negative-number marks taken out */
export function restoreText(s: string): string {
  return s.split(NEG).join("");
}

/** k=v tokens -> record (pcs: "Error: missing value of 'x' option"). */
export function parseNv(tokens: string[], what = "option"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tokens) {
    const i = t.indexOf("=");
    if (i <= 0) throw new CliError(i === 0 ? `missing name of ${what} '${t}'` : `missing value of '${t}' ${what}`);
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

/**
 * Words and k=v options in any order (pcs lets `cleanup node=N ID` and
 * `cleanup ID node=N` mean the same). `allowed` names the options the command
 * takes; anything else is "unknown CMD option 'x' (use a=, b=)".
 */
export function splitArgs(tokens: string[], cmd: string, allowed: readonly string[]): { words: string[]; options: Record<string, string> } {
  const words = tokens.filter((t) => !t.includes("="));
  const options = parseNv(tokens.filter((t) => t.includes("=")));
  for (const k of Object.keys(options)) if (!allowed.includes(k)) throw new CliError(`unknown ${cmd} option '${k}' (use ${allowed.map((a) => `${a}=`).join(", ")})`);
  return { words, options };
}

/** The leading options among `names` (location rule: `[score=S] [id=ID] EXPRESSION...`). */
export function takeLeadingOptions(words: string[], names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  while (words.length && names.some((n) => words[0].startsWith(`${n}=`))) Object.assign(out, parseNv([words.shift()!]));
  return out;
}

export interface SectionedArgs {
  params: Record<string, string>;
  ops: OpSpec[];
  meta: Record<string, string>;
  clone?: { id?: string; meta: Record<string, string>; promotable?: boolean };
}

/** `[k=v...] [op ACTION k=v...]... [meta k=v...] [clone|promotable [ID] k=v...]` -> parts. */
export function parseCreateArgs(args: string[]): SectionedArgs {
  let section: "params" | "op" | "meta" | "clone" = "params";
  const params: string[] = [];
  const meta: string[] = [];
  const ops: { name: string; attrs: string[] }[] = [];
  let clone: { id?: string; meta: string[]; promotable?: boolean } | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i];
    if (t === "op") {
      const name = args[++i];
      if (name === undefined || name.includes("=") || name === "op" || name === "meta") throw new CliError("'op' needs an action name, e.g. op monitor interval=10s");
      ops.push({ name, attrs: [] });
      section = "op";
    } else if (t === "meta") section = "meta";
    else if (t === "clone" || t === "promotable") {
      if (clone) throw new CliError("give either clone or promotable, once");
      clone = { meta: [], ...(t === "promotable" ? { promotable: true } : {}) };
      if (args[i + 1] !== undefined && !args[i + 1].includes("=") && !["op", "meta"].includes(args[i + 1])) clone.id = args[++i];
      section = "clone";
    } else if (t === "bundle") {
      throw new CliError("bundles are not supported by Vigil");
    } else if (section === "params") params.push(t);
    else if (section === "meta") meta.push(t);
    else if (section === "clone") clone!.meta.push(t);
    else ops[ops.length - 1].attrs.push(t);
  }
  return {
    params: parseNv(params),
    meta: parseNv(meta, "meta option"),
    ops: ops.map((o) => ({ name: o.name, attrs: parseNv(o.attrs, "op option") })),
    ...(clone ? { clone: { ...(clone.id ? { id: clone.id } : {}), meta: parseNv(clone.meta, "clone option"), ...(clone.promotable ? { promotable: true } : {}) } } : {}),
  };
}

/** `resource defaults|op defaults [update] k=v...` -> the k=v part */
export function dropUpdateWord(args: string[]): string[] {
  return args[0] === "update" ? args.slice(1) : args;
}
