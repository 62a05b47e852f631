// Small CIB builders for the scheduler's unit tests (our own fixtures).
import { parseCibXml } from "../cib/xml";
import type { Cib, Primitive, Resource } from "../cib/types";
import { opDigest } from "../cib/op-digest";
import { tryParseDuration } from "../cib/values";
import { schedule, type ScheduleResult } from "./index";

export interface NodeSpec {
  name: string;
  online?: boolean;
  standby?: boolean;
  attrs?: Record<string, string>;
  /** lrm_resource entries: id -> ops [task, interval ms, rc, call-id, op-status?] */
  history?: Record<string, [string, number, number, number, number?][]>;
  transient?: Record<string, string>;
  /** node_state without in_ccm etc. (lost) */
  lost?: boolean;
}

export function cibXml(opts: {
  props?: Record<string, string>;
  nodes: NodeSpec[];
  resources: string;
  constraints?: string;
  rscDefaults?: Record<string, string>;
  quorum?: boolean;
  extraAttrs?: string;
}): string {
  const props = { "stonith-enabled": "false", "no-quorum-policy": "ignore", ...opts.props };
  const nv = (id: string, rec: Record<string, string>) =>
    Object.entries(rec).map(([k, v]) => `<nvpair id="${id}-${k}" name="${k}" value="${v}"/>`).join("");
  const nodes = opts.nodes
    .map((n, i) => {
      const attrs = { ...(n.standby ? { standby: "on" } : {}), ...n.attrs };
      return `<node id="${i + 1}" uname="${n.name}">${Object.keys(attrs).length ? `<instance_attributes id="na-${i + 1}">${nv(`na-${i + 1}`, attrs)}</instance_attributes>` : ""}</node>`;
    })
    .join("");
  const states = opts.nodes
    .map((n, i) => {
      const online = n.online !== false;
      const st = n.lost
        ? `in_ccm="false" crmd="offline" join="down" expected="member"`
        : online
          ? `in_ccm="true" crmd="online" join="member" expected="member"`
          : `in_ccm="false" crmd="offline" join="down" expected="down"`;
      const lrm = Object.entries(n.history ?? {})
        .map(
          ([rid, ops]) =>
            `<lrm_resource id="${rid}" class="ocf" provider="heartbeat" type="Dummy">${ops
              .map(
                ([task, interval, rc, call, status], k) =>
                  `<lrm_rsc_op id="${rid}_${task}_${interval}_${k}" operation_key="${rid}_${task}_${interval}" operation="${task}" crm-debug-origin="test" crm_feature_set="3.16.1" transition-key="1:1:${task === "monitor" && interval === 0 ? 7 : 0}:00000000-0000-0000-0000-000000000000" transition-magic="0:${rc};1:1:0:00000000-0000-0000-0000-000000000000" call-id="${call}" rc-code="${rc}" op-status="${status ?? 0}" interval="${interval}" last-rc-change="1600000000" exec-time="10" queue-time="0"/>`,
              )
              .join("")}</lrm_resource>`,
        )
        .join("");
      const tr = n.transient
        ? `<transient_attributes id="${i + 1}"><instance_attributes id="status-${i + 1}">${nv(`status-${i + 1}`, n.transient)}</instance_attributes></transient_attributes>`
        : "";
      return `<node_state id="${i + 1}" uname="${n.name}" ${st}>${tr}<lrm id="${i + 1}"><lrm_resources>${lrm}</lrm_resources></lrm></node_state>`;
    })
    .join("");
  const defaults = opts.rscDefaults ? `<rsc_defaults><meta_attributes id="rsc-options">${nv("rsc-options", opts.rscDefaults)}</meta_attributes></rsc_defaults>` : "";
  return `<cib admin_epoch="0" epoch="1" num_updates="1" validate-with="pacemaker-3.7" have-quorum="${opts.quorum === false ? "0" : "1"}" dc-uuid="1" ${opts.extraAttrs ?? ""}><configuration><crm_config><cluster_property_set id="cib-bootstrap-options">${nv("opt", props)}</cluster_property_set></crm_config><nodes>${nodes}</nodes><resources>${opts.resources}</resources><constraints>${opts.constraints ?? ""}</constraints>${defaults}</configuration><status>${states}</status></cib>`;
}

/**
 * The CIB, with every history entry that has no op-digest given the digest of
 * the configured definition (the resource's own instance attributes, the op's
 * timeout), as a controller records it: a healthy history, so that nothing is
 * restarted for a "definition change" unless a test asks for one.
 */
export function cib(opts: Parameters<typeof cibXml>[0]): Cib {
  return withDigests(parseCibXml(cibXml(opts)));
}

function withDigests(c: Cib): Cib {
  const prims = new Map<string, Primitive>();
  const walk = (r: Resource) => {
    if (r.kind === "primitive") prims.set(r.id, r);
    else if (r.kind === "group") r.children.forEach(walk);
    else if (r.kind === "clone") walk(r.child);
  };
  c.configuration.resources.forEach(walk);
  for (const st of c.status) {
    for (const lr of st.lrmResources) {
      const p = prims.get(lr.id.replace(/:\d+$/, ""));
      if (!p) continue;
      const params: Record<string, string> = {};
      for (const set of p.instanceAttributes) for (const nv of set.nvpairs) if (nv.value !== undefined) params[nv.name] = nv.value;
      for (const op of lr.ops) {
        if (op.opDigest !== undefined) continue;
        const interval = Number(op.interval) || 0;
        const task = interval === 0 && op.operation === "monitor" ? "start" : op.operation;
        const cfg = p.operations.find((o) => o.name === task && (tryParseDuration(o.interval) ?? 0) === interval);
        op.opDigest = opDigest(params, interval, (cfg?.timeout ? tryParseDuration(cfg.timeout) : undefined) ?? 20000);
      }
    }
  }
  return c;
}

export function dummy(id: string, extra = "", monitor = true): string {
  return `<primitive id="${id}" class="ocf" provider="heartbeat" type="Dummy">${extra}${monitor ? `<operations><op id="${id}-monitor-10s" name="monitor" interval="10s" timeout="15s"/></operations>` : ""}</primitive>`;
}

export function meta(id: string, rec: Record<string, string>): string {
  return `<meta_attributes id="${id}-meta">${Object.entries(rec).map(([k, v]) => `<nvpair id="${id}-meta-${k}" name="${k}" value="${v}"/>`).join("")}</meta_attributes>`;
}

/** History of a resource started and monitored on a node. */
export function running(call = 10): [string, number, number, number][] {
  return [
    ["start", 0, 0, call],
    ["monitor", 10000, 0, call + 1],
  ];
}

export function probedStopped(call = 1): [string, number, number, number][] {
  return [["monitor", 0, 7, call]];
}

/** The execution-date of the hand-written CIBs below: "now" for schedule(). */
export const TEST_NOW = 1700000000;

/**
 * A hand-written CIB in the form these tests hand to crm_simulate 2.1.5 as well:
 * stonith off, quorum, execution-date TEST_NOW, nodes numbered from 1.
 * `status` is the node_state elements as written.
 */
export function pcmkCib(o: { nodes: string[]; resources: string; constraints: string; status: string }): string {
  return `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="${TEST_NOW}" have-quorum="1">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>${o.nodes.map((n, i) => `<node id="${i + 1}" uname="${n}"/>`).join("")}</nodes>
    <resources>${o.resources}</resources>
    <constraints>${o.constraints}</constraints>
  </configuration>
  <status>${o.status}</status>
</cib>`;
}

/**
 * One last-operation entry as the controller records it for a parameterless agent
 * (the digest is that of an empty parameter set). `key` numbers the transition key.
 */
export function lastOp(rsc: string, node: string, o: { task: string; call: number; rc?: number; key?: number }): string {
  const rc = o.rc ?? 0;
  const tk = `${o.key ?? 1}:1:0:00000000-0000-0000-0000-000000000000`;
  return `<lrm_rsc_op id="${rsc}_last_0" operation_key="${rsc}_${o.task}_0" operation="${o.task}" call-id="${o.call}" rc-code="${rc}" op-status="0" interval="0" last-rc-change="1699999000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8" transition-key="${tk}" transition-magic="0:${rc};${tk}" on_node="${node}"/>`;
}

/**
 * A node_state of an online member with the given lrm_resource elements (none: no <lrm>).
 * `id` is the node's number in pcmkCib's list.
 */
export function memberState(id: number, uname: string, lrmResources?: string): string {
  const open = `<node_state id="${id}" uname="${uname}" in_ccm="true" crmd="online" join="member" expected="member"`;
  return lrmResources === undefined ? `${open}/>` : `${open}><lrm id="${id}"><lrm_resources>${lrmResources}</lrm_resources></lrm></node_state>`;
}

/** An lrm_resource of a pacemaker-provided agent with its history entries. */
export function lrmResource(id: string, type: string, ops: string): string {
  return `<lrm_resource id="${id}" class="ocf" provider="pacemaker" type="${type}">${ops}</lrm_resource>`;
}

/** schedule()'s Transition Summary lines with whitespace collapsed (of a CIB, or of a result already computed). */
export function summaryLines(cibOrResult: string | ScheduleResult): string[] {
  const res = typeof cibOrResult === "string" ? schedule(parseCibXml(cibOrResult), { now: TEST_NOW }) : cibOrResult;
  return res.summary.map((l) => l.replace(/\s+/g, " ").trim());
}
