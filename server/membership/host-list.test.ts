import { describe, expect, it } from "vitest";
import { fingerprint } from "../executor/ssh-hostkey";
import type { SshTransportStats } from "../executor/ssh-transport";
import { formatHostList, hostListRows } from "./host-list";
import type { HostRecord } from "./hosts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPMffIVh0WhL2Ka6X836B113vU5mACHTSRdW3mib8V2w";
const rec = (name: string, address: string, port = 22): HostRecord => ({ name, address, port, user: "root", hostKey: KEY, identity: "/root/.ssh/id_ed25519", addedAt: "2026-12-02T00:00:00Z" });

describe("vigil host list", () => {
  it("shows state, address, fingerprint, last heartbeat and RTT, and why a host is down", () => {
    const stats = (s: Partial<SshTransportStats>) => ({ stats: () => s as SshTransportStats });
    const transports = new Map([
      ["node1", stats({ state: "up", lastHeardAt: 9_700, rttMs: 1 })],
      ["node2", stats({ state: "down", lastHeardAt: 1_000, rttMs: 2, reason: "connection lost: Keepalive timeout" })],
    ]);
    const rows = hostListRows([rec("node1", "10.0.0.11"), rec("node2", "10.0.0.12", 2222), rec("node3", "10.0.0.13")], { transports, now: 10_000 });
    expect(rows[0]).toEqual({ name: "node1", state: "up", address: "root@10.0.0.11", fingerprint: fingerprint(KEY), lastHeartbeatAgoMs: 300, rttMs: 1, reason: undefined });
    const text = formatHostList(rows);
    const fp = fingerprint(KEY);
    expect(text.split("\n")).toEqual([
      `NAME   STATE    ADDRESS              HOST KEY${" ".repeat(fp.length - 8)}  LAST HEARTBEAT  RTT`,
      `node1  up       root@10.0.0.11       ${fp}  300 ms ago      1 ms`,
      `node2  down     root@10.0.0.12:2222  ${fp}  9.0 s ago       2 ms`,
      `node3  unknown  root@10.0.0.13       ${fp}  never           -`,
      "  node2: connection lost: Keepalive timeout",
      "",
    ]);
    expect(text).not.toContain("id_ed25519");
    expect(formatHostList([])).toMatch(/^No hosts configured/);
  });
});
