// Presets of the create wizard: the stacks admins build most often. Each
// preset is a list of resources created in order (a stack shares one group,
// which makes its members run together on one node, started in order).

export interface ParamSpec {
  name: string;
  label: string;
  required?: boolean;
  default?: string;
  hint?: string;
  check?: "ipv4" | "integer" | "url" | "path";
}

export interface ResourceTemplate {
  id: string;
  agent: string;
  params: ParamSpec[];
  ops: { name: string; attrs: Record<string, string> }[];
}

export interface Preset {
  key: string;
  title: string;
  description: string;
  /** group the resources are put in (stacks) */
  group?: string;
  resources: ResourceTemplate[];
}

const monitor = (interval = "10s", timeout = "20s") => ({ name: "monitor", attrs: { interval, timeout } });

const vip: ResourceTemplate = {
  id: "vip",
  agent: "ocf:heartbeat:IPaddr2",
  params: [
    { name: "ip", label: "IP address", required: true, check: "ipv4", hint: "The floating address clients connect to, e.g. 192.168.122.200" },
    { name: "cidr_netmask", label: "Netmask (CIDR bits)", default: "24", check: "integer" },
  ],
  ops: [monitor()],
};

const apache: ResourceTemplate = {
  id: "web",
  agent: "ocf:heartbeat:apache",
  params: [
    { name: "configfile", label: "Config file", default: "/etc/apache2/apache2.conf", check: "path" },
    { name: "statusurl", label: "Status URL", default: "http://127.0.0.1/server-status", check: "url", hint: "mod_status URL the monitor checks" },
  ],
  ops: [monitor("20s", "40s")],
};

const haproxy: ResourceTemplate = { id: "haproxy", agent: "systemd:haproxy", params: [], ops: [monitor()] };

export const PRESETS: Preset[] = [
  { key: "vip", title: "Virtual IP", description: "A floating IP address (IPaddr2) that moves with the service.", resources: [vip] },
  { key: "apache", title: "Apache web server", description: "Apache httpd with its status URL monitored.", resources: [apache] },
  { key: "haproxy", title: "HAProxy", description: "The haproxy systemd unit.", resources: [haproxy] },
  {
    key: "vip-web",
    title: "VIP + web server",
    description: "A group: the IP first, then Apache, always on the same node.",
    group: "web-stack",
    resources: [vip, apache],
  },
  {
    key: "dummy",
    title: "Dummy (demo)",
    description: "ocf:vigil:Dummy: does nothing, but starts, stops and is monitored like a real service.",
    resources: [{ id: "dummy", agent: "ocf:vigil:Dummy", params: [], ops: [monitor()] }],
  },
];

export function checkParam(p: ParamSpec, v: string): string | null {
  if (!v) return p.required ? `${p.label} is required` : null;
  switch (p.check) {
    case "ipv4":
      return /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v) ? null : `${p.label}: "${v}" is not an IPv4 address`;
    case "integer":
      return /^\d+$/.test(v) ? null : `${p.label}: "${v}" is not a whole number`;
    case "url":
      return /^https?:\/\/\S+$/.test(v) ? null : `${p.label}: "${v}" is not an http(s) URL`;
    case "path":
      return v.startsWith("/") ? null : `${p.label}: use an absolute path`;
    default:
      return null;
  }
}
