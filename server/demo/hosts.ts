// The demo's three hosts: local transports, each a directory under
// $STATE/hosts/nodeN whose agents run as child processes on this machine.

import path from "node:path";
import { LocalTransport } from "../executor/local-transport";
import { DEMO_NODES } from "./cib";
import { LocalHostFencer } from "./fencer";

export interface DemoHosts {
  transports: Map<string, LocalTransport>;
  fencer: LocalHostFencer;
}

export function createDemoHosts(stateDir: string): DemoHosts {
  const transports = new Map<string, LocalTransport>();
  for (const node of DEMO_NODES) {
    transports.set(node, new LocalTransport({ node, hostDir: path.join(stateDir, "hosts", node) }));
  }
  return { transports, fencer: new LocalHostFencer(transports) };
}
