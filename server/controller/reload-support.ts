// Which parameter changes an agent can take without a restart, read from its
// meta-data the way Pacemaker 2.1's controller reads it, and the two history
// fields (op-force-restart, op-restart-digest) that tell the scheduler so.
//
// - OCF 1.1 (or later) agents that advertise `reload-agent`: every parameter
//   not marked reloadable="1" forces a restart.
// - Older agents that advertise `reload` (the pre-1.1 convention): parameters
//   marked unique="1" force a restart; the controller runs `reload` for the
//   scheduler's reload-agent action.
// - Any other agent cannot reload: no fields, every change restarts it.
import { restartDigest, versionLess } from "../cib/op-digest";
import { agentName } from "../executor/agents";
import { metadataOp } from "../executor/discovery";
import { parseAgentMetadata, type AgentMetadata } from "../executor/metadata";
import type { AgentOp, OpResult } from "../executor/types";
import { OcfRc, OpStatus } from "../executor/types";

export interface ReloadSupport {
  /** the agent action that reloads */
  action: "reload-agent" | "reload";
  /** op-force-restart: " name name " (the scheduler looks for " NAME ") */
  forceRestart: string;
  /** the names in forceRestart */
  names: string[];
}

export function reloadSupportOf(md: AgentMetadata): ReloadSupport | undefined {
  // an agent that names no OCF version is taken as 1.0
  const ocf11 = !versionLess(md.version ?? "1.0", "1.1");
  const has = (name: string) => md.actions.some((a) => a.name.toLowerCase() === name);
  let names: string[];
  let action: ReloadSupport["action"];
  if (ocf11 && has("reload-agent")) {
    action = "reload-agent";
    names = md.parameters.filter((p) => !p.reloadable).map((p) => p.name);
  } else if (!ocf11 && has("reload")) {
    action = "reload";
    names = md.parameters.filter((p) => p.unique).map((p) => p.name);
  } else {
    return undefined;
  }
  return { action, names, forceRestart: names.length ? ` ${names.join(" ")} ` : "" };
}

/** The history fields of a non-recurring operation of an agent that can reload. */
export function restartFields(s: ReloadSupport, params: Record<string, string>): { opForceRestart: string; opRestartDigest: string } {
  return { opForceRestart: s.forceRestart, opRestartDigest: restartDigest(params, 0, 0, s.forceRestart) };
}

type Exec = (node: string, op: AgentOp) => Promise<OpResult>;

/**
 * Reload support per node and agent, from one meta-data run each (kept for the
 * controller's life, as Pacemaker's controller caches meta-data; a failed read
 * is not kept, so the next operation tries again). Only OCF agents can reload.
 */
export class ReloadSupportCache {
  private readonly known = new Map<string, Promise<ReloadSupport | undefined>>();
  constructor(private readonly exec: Exec) {}

  get(node: string, op: Pick<AgentOp, "standard" | "provider" | "type">): Promise<ReloadSupport | undefined> {
    if (op.standard !== "ocf") return Promise.resolve(undefined);
    const key = `${node}\u0000${op.provider ?? ""}\u0000${op.type}`;
    let p = this.known.get(key);
    if (!p) {
      p = this.read(node, op).catch(() => {
        this.known.delete(key);
        return undefined;
      });
      this.known.set(key, p);
    }
    return p;
  }

  private async read(node: string, op: Pick<AgentOp, "standard" | "provider" | "type">): Promise<ReloadSupport | undefined> {
    const agent = { standard: "ocf", provider: op.provider, type: op.type };
    const name = agentName(agent);
    const res = await this.exec(node, metadataOp(agent, 10_000));
    if (res.rc !== OcfRc.SUCCESS || res.opStatus !== OpStatus.DONE) throw new Error(`meta-data of ${name} on ${node}: rc ${res.rc}`);
    return reloadSupportOf(parseAgentMetadata(res.output, name));
  }
}
