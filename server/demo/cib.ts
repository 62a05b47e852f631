// The demo cluster's first CIB: three local hosts and a few resources that
// really run as processes on them, configured as `pcs` would have written it
// (same id conventions), so the console, `vigil status` and `pcs cluster cib`
// habits all match.

import { emptyCib } from "../cib/empty";
import type { Cib, NvSet, Operation, Primitive } from "../cib/types";

export const DEMO_NODES = ["node1", "node2", "node3"] as const;

export interface DemoCibOptions {
  /** WebServer port on node1; node2 and node3 use the next ports. Default 8081. */
  webPortBase?: number;
  /** monitor intervals (seconds); defaults: Dummy 10, WebServer 5 */
  dummyMonitorSec?: number;
  webMonitorSec?: number;
}

function nvset(id: string, pairs: Record<string, string>, extra: Partial<NvSet> = {}): NvSet {
  return {
    id,
    nvpairs: Object.entries(pairs).map(([name, value]) => ({ id: `${id}-${name}`, name, value })),
    ...extra,
  };
}

function op(rsc: string, name: string, interval: string, timeout: string): Operation {
  return {
    id: `${rsc}-${name}-interval-${interval}`,
    name,
    interval,
    timeout,
    instanceAttributes: [],
    metaAttributes: [],
  };
}

function primitive(
  id: string,
  type: string,
  params: NvSet[],
  monitorSec: number,
  description?: string,
): Primitive {
  return {
    kind: "primitive",
    id,
    class: "ocf",
    provider: "vigil",
    type,
    description,
    instanceAttributes: params,
    metaAttributes: [],
    utilization: [],
    operations: [
      op(id, "monitor", `${monitorSec}s`, "20s"),
      op(id, "start", "0s", "20s"),
      op(id, "stop", "0s", "20s"),
    ],
  };
}

/** One WebServer parameter gives each host its own port ("node1:8081,node2:8082,..."), as the agent documents. */
function perNodePorts(rsc: string, base: number): NvSet[] {
  const ports = DEMO_NODES.map((node, i) => `${node}:${base + i}`).join(",");
  return [nvset(`${rsc}-instance_attributes`, { ports })];
}

export function demoCib(opts: DemoCibOptions = {}): Cib {
  const base = opts.webPortBase ?? 8081;
  const dm = opts.dummyMonitorSec ?? 10;
  const wm = opts.webMonitorSec ?? 5;
  const cib = emptyCib();
  cib.attrs["epoch"] = "1";
  cib.configuration.crmConfig = [
    nvset("cib-bootstrap-options", {
      "cluster-name": "vigil-demo",
      "stonith-enabled": "false",
      "no-quorum-policy": "stop",
    }),
  ];
  cib.configuration.nodes = DEMO_NODES.map((uname, i) => ({
    id: String(i + 1),
    uname,
    instanceAttributes: [],
    utilization: [],
  }));
  cib.configuration.rscDefaults = [nvset("rsc_defaults-meta_attributes", { "resource-stickiness": "1" })];
  cib.configuration.resources = [
    primitive("dummy1", "Dummy", [], dm, "demo: a resource that only keeps a state file"),
    primitive("dummy2", "Dummy", [], dm, "demo: placed with the web group"),
    {
      kind: "group",
      id: "web",
      description: "demo: an address and a web server that move together",
      instanceAttributes: [],
      metaAttributes: [],
      children: [
        primitive("demo-vip", "Dummy", [], dm, "demo: stands in for an IP address"),
        primitive("web-server", "WebServer", perNodePorts("web-server", base), wm, "demo: curl http://127.0.0.1:PORT/"),
      ],
    },
  ];
  cib.configuration.constraints = [
    { kind: "location", id: "location-web-node1-100", rsc: "web", node: "node1", score: "100", rules: [], sets: [] },
    {
      kind: "colocation",
      id: "colocation-dummy2-web-INFINITY",
      rsc: "dummy2",
      withRsc: "web",
      score: "INFINITY",
      sets: [],
    },
  ];
  return cib;
}

/** The port the demo web server listens on, on a node. */
export function demoWebPort(node: string, webPortBase = 8081): number {
  const i = DEMO_NODES.indexOf(node as (typeof DEMO_NODES)[number]);
  if (i < 0) throw new Error(`not a demo node: ${node}`);
  return webPortBase + i;
}
