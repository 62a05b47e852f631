// What a pcs-semantics operation may know besides the CIB. Everything here is
// passed in, so the operations stay pure functions (API, CLI -f, preview).
import type { Cib } from "../types";
import type { ClusterState } from "../../scheduler/types";

export interface AgentParam {
  name: string;
  required: boolean;
  unique?: boolean;
  type?: string;
  default?: string;
  shortdesc?: string;
  longdesc?: string;
  values?: string[];
}

export interface AgentInfo {
  /** "ocf:heartbeat:IPaddr2" */
  name: string;
  shortdesc?: string;
  longdesc?: string;
  /** from the agent's meta-data, when it could be read */
  params?: AgentParam[];
  /** default operations from the meta-data (name, interval, timeout ...) */
  actions?: { name: string; interval?: string; timeout?: string; role?: string; depth?: string }[];
}

/** Which agents exist (on the demo/local hosts: the agent directories). */
export interface AgentCatalog {
  /** full names of every known agent */
  list(): string[];
  /** meta-data of one agent, or undefined when unknown */
  describe(fullName: string): AgentInfo | undefined;
}

export interface OpsContext {
  agents?: AgentCatalog;
  /** the cluster state now (needed by ban/move without a node) */
  state?: ClusterState;
  /** parses CIB XML (server/cib/xml.ts parseCibXml), for cib-replace */
  parseXml?: (xml: string) => Cib;
  /** epoch seconds, for lifetimes of move/ban */
  now?: number;
  /** --force: skip the checks pcs lets you override */
  force?: boolean;
}

export interface OpResult {
  cib: Cib;
  /** what pcs would print on success ("" when it prints nothing) */
  message: string;
  /** non-fatal remarks pcs prints as "Warning: ..." */
  warnings: string[];
}
