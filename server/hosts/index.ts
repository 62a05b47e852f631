// Real hosts over SSH, end to end: hosts.json -> transports -> membership -> controller (see cluster.ts, manager.ts).
export { startHostCluster, fenceAgentDirsFromEnv, type HostCluster, type HostClusterOptions } from "./cluster";
export { HostManager, HostKeyConfirmationError, addNodes, removeNode, type HostService, type HostStatus, type HostAddRequest, type HostAddOptions } from "./manager";
export { MemberTransport } from "./member-transport";
