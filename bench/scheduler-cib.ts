// Synthetic CIBs for the scheduler benchmark: N nodes, M primitives in
// realistic proportions (plain primitives, groups of three, a few anonymous
// clones), location/colocation/order constraints, and a warm status: everything
// already runs on its home node (start + monitor records) and has been probed
// (rc 7) on every other node, so the right answer is an empty transition.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface BenchCibOptions {
  nodes: number;
  resources: number;
  /** op-digests Pacemaker computes for a parameterless ocf:pacemaker:Dummy's start and 10 s
   *  monitor (learned from a one-resource crm_simulate run; without them Pacemaker restarts all) */
  digests?: { start: string; monitor: string };
  /** take node1 down (resources there must move) */
  nodeDown?: boolean;
}

const EXEC_DATE = 1_767_225_600; // 2026-01-01T00:00:00Z, pinned so both schedulers use the same "now"

export function benchCib(o: BenchCibOptions): string {
  const N = o.nodes;
  const nodes = Array.from({ length: N }, (_, i) => `node${i + 1}`);
  type R = { id: string; home: number; group?: string; clone?: string };
  const rs: R[] = [];
  const groups: { id: string; members: R[] }[] = [];
  const clones: { id: string; child: string }[] = [];
  const top: { kind: "p" | "g" | "c"; id: string }[] = [];
  let i = 0;
  let home = 0;
  while (rs.length < o.resources) {
    i++;
    if (i % 100 === 0 && N > 1) {
      const id = `clone${i}`;
      clones.push({ id, child: `${id}-rsc` });
      top.push({ kind: "c", id });
      rs.push({ id: `${id}-rsc`, home: -1, clone: id });
    } else if (i % 7 === 0) {
      const id = `grp${i}`;
      const members = [1, 2, 3].map((k) => ({ id: `${id}-m${k}`, home, group: id }));
      groups.push({ id, members });
      top.push({ kind: "g", id });
      rs.push(...members);
      home = (home + 1) % N;
    } else {
      const id = `rsc${i}`;
      rs.push({ id, home });
      top.push({ kind: "p", id });
      home = (home + 1) % N;
    }
  }
  const byId = new Map(rs.map((r) => [r.id, r]));
  const cons: string[] = [];
  let prevPrim: R | undefined;
  for (const t of top) {
    if (t.kind !== "p") continue;
    const r = byId.get(t.id)!;
    const n = Number(t.id.slice(3));
    if (n % 10 === 0) cons.push(`<rsc_location id="loc-${t.id}" rsc="${t.id}" node="${nodes[r.home]}" score="100"/>`);
    if (n % 50 === 0 && N > 1) cons.push(`<rsc_location id="ban-${t.id}" rsc="${t.id}" node="${nodes[(r.home + 1) % N]}" score="-INFINITY"/>`);
    if (n % 25 === 0 && prevPrim) {
      r.home = prevPrim.home; // colocated: lives where its partner lives
      cons.push(`<rsc_colocation id="col-${t.id}" rsc="${t.id}" with-rsc="${prevPrim.id}" score="INFINITY"/>`);
      cons.push(`<rsc_order id="ord-${t.id}" first="${prevPrim.id}" then="${t.id}" kind="Mandatory"/>`);
    }
    prevPrim = r;
  }
  const prim = (id: string, ind: string) =>
    `${ind}<primitive id="${id}" class="ocf" provider="pacemaker" type="Dummy">\n${ind}  <operations>\n` +
    `${ind}    <op id="${id}-monitor-10s" name="monitor" interval="10s" timeout="20s"/>\n${ind}  </operations>\n${ind}</primitive>\n`;
  let res = "";
  for (const t of top) {
    if (t.kind === "p") res += prim(t.id, "      ");
    else if (t.kind === "g") res += `      <group id="${t.id}">\n${groups.find((g) => g.id === t.id)!.members.map((m) => prim(m.id, "        ")).join("")}      </group>\n`;
    else {
      const c = clones.find((x) => x.id === t.id)!;
      res += `      <clone id="${c.id}">\n${prim(c.child, "        ")}      </clone>\n`;
    }
  }
  let call = 1;
  const op = (rid: string, opId: string, key: string, task: string, interval: number, rc: number, node: string) => {
    const target = task === "monitor" && interval === 0 ? 7 : 0;
    const d = o.digests ? (interval > 0 ? o.digests.monitor : o.digests.start) : undefined;
    const digest = d ? ` op-digest="${d}"` : "";
    const tk = `${call}:0:${target}:00000000-0000-0000-0000-000000000000`;
    const s =
      `<lrm_rsc_op id="${opId}" operation_key="${key}" operation="${task}" crm-debug-origin="bench" crm_feature_set="3.16.1" ` +
      `transition-key="${tk}" transition-magic="0:${rc};${tk}" exit-reason="" on_node="${node}" call-id="${call}" rc-code="${rc}" ` +
      `op-status="0" interval="${interval}" last-rc-change="${EXEC_DATE - 3600}" exec-time="10" queue-time="0"${digest}/>`;
    call++;
    return s;
  };
  const status: string[] = [];
  nodes.forEach((name, ni) => {
    const down = o.nodeDown && ni === 0;
    if (down) {
      status.push(`    <node_state id="${ni + 1}" uname="${name}" in_ccm="false" crmd="offline" join="down" expected="down"/>`);
      return;
    }
    const lines: string[] = [];
    for (const r of rs) {
      const running = r.clone ? true : r.home === ni;
      const hist = r.clone ? `${r.id}:${ni}` : r.id;
      const rid = hist;
      const ops = running
        ? op(rid, `${hist}_last_0`, `${hist}_start_0`, "start", 0, 0, name) + op(rid, `${hist}_monitor_10000`, `${hist}_monitor_10000`, "monitor", 10000, 0, name)
        : op(rid, `${hist}_last_0`, `${hist}_monitor_0`, "monitor", 0, 7, name);
      lines.push(`          <lrm_resource id="${hist}" class="ocf" provider="pacemaker" type="Dummy">${ops}</lrm_resource>`);
    }
    status.push(
      `    <node_state id="${ni + 1}" uname="${name}" in_ccm="true" crmd="online" join="member" expected="member">\n` +
        `      <lrm id="${ni + 1}">\n        <lrm_resources>\n${lines.join("\n")}\n        </lrm_resources>\n      </lrm>\n    </node_state>`,
    );
  });
  return (
    `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" execution-date="${EXEC_DATE}" have-quorum="1" dc-uuid="${o.nodeDown ? 2 : 1}">\n` +
    `  <configuration>\n    <crm_config>\n      <cluster_property_set id="cib-bootstrap-options">\n` +
    `        <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>\n` +
    `      </cluster_property_set>\n    </crm_config>\n    <nodes>\n` +
    nodes.map((n, k) => `      <node id="${k + 1}" uname="${n}"/>`).join("\n") +
    `\n    </nodes>\n    <resources>\n${res}    </resources>\n    <constraints>\n${cons.map((c) => `      ${c}`).join("\n")}\n    </constraints>\n` +
    `    <rsc_defaults>\n      <meta_attributes id="rsc-options">\n        <nvpair id="rsc-options-stickiness" name="resource-stickiness" value="100"/>\n` +
    `      </meta_attributes>\n    </rsc_defaults>\n  </configuration>\n  <status>\n${status.join("\n")}\n  </status>\n</cib>\n`
  );
}

/** The op-digests crm_simulate computes for a parameterless Dummy (start, 10 s monitor). */
export function learnDigests(dir: string): { start: string; monitor: string } | undefined {
  const f = path.join(dir, "digest.xml");
  const out = path.join(dir, "digest-out.xml");
  writeFileSync(f, benchCib({ nodes: 1, resources: 1 }));
  const r = spawnSync("crm_simulate", ["-x", f, "-S", "-O", out], { encoding: "utf8", env: { ...process.env, CIB_shadow_dir: dir } });
  if (r.error) return undefined;
  const xml = readFileSync(out, "utf8");
  const start = /operation="start"[^>]*op-digest="([0-9a-f]+)"/.exec(xml)?.[1];
  const monitor = /operation="monitor"[^>]*interval="10000"[^>]*op-digest="([0-9a-f]+)"/.exec(xml)?.[1];
  return start && monitor ? { start, monitor } : undefined;
}
