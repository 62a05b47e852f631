// The executor's public surface, for the controller, fencing, CLI and API.

export * from "./types";
export { Executor, type ExecutorOptions, type RecurringCallback, type RecurringInfo } from "./executor";
export {
  runAgentOp,
  agentName,
  describeFallback,
  hasSystemd,
  resolvePaths,
  ocfAgentPath,
  ocfEnv,
  parseExitReason,
  fenceStdin,
  mapHost,
  DEFAULT_PATHS,
  type RunAgentOptions,
  type ClassFallback,
} from "./agents";
export { parseAgentMetadata, MetadataError, type AgentMetadata, type AgentParameter, type AgentAction } from "./metadata";
export { listStandards, listProviders, listAgents, describeAgent, parseAgentName, refName, type AgentRef, type AgentDescription } from "./discovery";
export { LocalTransport, HostDownError, createLocalHosts, REPO_AGENTS_DIR, type LocalTransportOptions } from "./local-transport";
