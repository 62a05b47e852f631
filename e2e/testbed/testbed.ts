// TypeScript handle on e2e/testbed/testbed.sh for tests and benchmarks.
//
//   const bed = new Testbed();                 // default bed: vg-br0, 10.215.0.0/24, /tmp/vigil-testbed
//   const bed = new Testbed({ id: 2 });        // a second, independent bed: vg2-*, 10.215.2.0/24, /tmp/vigil-testbed-2
//   const info = await bed.up(3);              // nodes.json: { privateKeyPath, knownHostsPath, clientAddress, nodes[] }
//   await bed.crash("node2"); await bed.partition("node3"); await bed.heal("node3"); await bed.boot("node2");
//   await bed.exec("node1", ["ip", "-br", "addr"]);   // inside the host's namespaces
//   await bed.down();                          // always, also after a failed test (afterAll)
//
// Test files that run at the same time must use different ids (vitest runs files in parallel).
// Everything here needs root (network namespaces), which CI and the dev machines have.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TESTBED_DIR = path.dirname(fileURLToPath(import.meta.url));
export const TESTBED_SH = path.join(TESTBED_DIR, "testbed.sh");
export const FENCE_TESTBED = path.join(TESTBED_DIR, "fence_testbed");

export interface TestbedNode {
  name: string;
  host: string;
  port: number;
  netns: string;
  hostKey: string;
}

export interface TestbedInfo {
  privateKeyPath: string;
  knownHostsPath: string;
  sshConfigPath: string;
  clientAddress: string;
  bridge: string;
  nodes: TestbedNode[];
}

export interface TestbedOptions {
  /** 0 (default): the names from the brief; N: vgN-*, 10.215.N.0/24, /tmp/vigil-testbed-N */
  id?: number;
  dir?: string;
}

export class Testbed {
  readonly env: Record<string, string>;
  readonly dir: string;
  /** first three octets, e.g. "10.215.0" */
  readonly net: string;

  constructor(opts: TestbedOptions = {}) {
    const id = opts.id ?? 0;
    if (!Number.isInteger(id) || id < 0 || id > 254) throw new Error(`testbed id must be 0..254 (got ${id})`);
    this.dir = opts.dir ?? (id === 0 ? "/tmp/vigil-testbed" : `/tmp/vigil-testbed-${id}`);
    this.net = `10.215.${id}`;
    this.env = {
      TB_DIR: this.dir,
      TB_PREFIX: id === 0 ? "vg" : `vg${id}`,
      TB_BR: id === 0 ? "vg-br0" : `vg${id}-br0`,
      TB_NET: this.net,
    };
  }

  /** address of nodeK, or of the Kth extra address (e.g. a VIP: addr(100)) */
  addr(last: number): string {
    return `${this.net}.${last}`;
  }

  sh(args: string[], timeoutMs = 150000): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(TESTBED_SH, args, { env: { ...process.env, ...this.env }, timeout: timeoutMs, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`testbed.sh ${args.join(" ")} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  async up(n: number): Promise<TestbedInfo> {
    await this.sh(["up", String(n)]);
    return this.info();
  }

  info(): TestbedInfo {
    return JSON.parse(readFileSync(path.join(this.dir, "nodes.json"), "utf8")) as TestbedInfo;
  }

  down(): Promise<string> {
    return this.sh(["down"]);
  }
  crash(node: string) {
    return this.sh(["crash", node]);
  }
  partition(node: string) {
    return this.sh(["partition", node]);
  }
  heal(node: string) {
    return this.sh(["heal", node]);
  }
  boot(node: string) {
    return this.sh(["boot", node]);
  }
  status() {
    return this.sh(["status"]);
  }
  exec(node: string, argv: string[], timeoutMs = 30000) {
    return this.sh(["exec", node, ...argv], timeoutMs);
  }
  /** "up" | "partitioned" | "off" | "link-down" */
  async state(node: string): Promise<string> {
    return (await this.sh(["state", node])).trim();
  }
}

/** ping once from the root namespace; true when the address answers */
export function pingOnce(addr: string, waitSeconds = 1): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("ping", ["-c", "1", "-W", String(waitSeconds), addr], (err) => resolve(!err));
  });
}
