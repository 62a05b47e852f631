import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprint } from "../executor/ssh-hostkey";
import { HostConfigError, HostStore, parseHostAddArgs, publicView } from "./hosts";

// a real ed25519 public key (generated once with ssh-keygen)
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPMffIVh0WhL2Ka6X836B113vU5mACHTSRdW3mib8V2w";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "vigil-hosts-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("HostStore", () => {
  it("stores host settings in hosts.json with mode 0600 and reads them back", () => {
    const idFile = path.join(dir, "id_ed25519");
    writeFileSync(idFile, "not read here");
    const s = new HostStore(dir);
    s.add({ name: "node1", address: "10.215.0.11", identity: idFile, hostKey: `${KEY} root@node1` });
    s.add({ name: "node10", address: "node10.example.com", port: "2222", user: "admin", hostKey: KEY });
    s.add({ name: "node2", address: "10.215.0.12", hostKey: KEY });
    const file = path.join(dir, "hosts.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = new HostStore(dir);
    expect(again.list().map((h) => h.name)).toEqual(["node1", "node2", "node10"]);
    expect(again.get("node1")).toMatchObject({ address: "10.215.0.11", port: 22, user: "root", identity: idFile, hostKey: KEY });
    expect(again.get("node10")).toMatchObject({ port: 2222, user: "admin" });
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(1);
  });

  it("the public view shows the fingerprint, never the identity path or the key itself", () => {
    const s = new HostStore(dir);
    const rec = s.add({ name: "node1", address: "10.215.0.11", hostKey: KEY });
    const v = publicView(rec);
    expect(v).toEqual({ name: "node1", address: "10.215.0.11", port: 22, user: "root", hostKeyType: "ssh-ed25519", hostKeyFingerprint: fingerprint(KEY), addedAt: rec.addedAt });
    expect(JSON.stringify(v)).not.toContain("AAAAC3");
  });

  it("rejects bad input with the field named and leaves the file unchanged", () => {
    const s = new HostStore(dir);
    s.add({ name: "node1", address: "10.215.0.11", hostKey: KEY });
    const before = readFileSync(path.join(dir, "hosts.json"), "utf8");
    const cases: [Parameters<HostStore["add"]>[0], RegExp, string][] = [
      [{ name: "node1", address: "10.0.0.1", hostKey: KEY }, /already exists/, "name"],
      [{ name: "bad name", address: "10.0.0.1", hostKey: KEY }, /host name "bad name" is invalid/, "name"],
      [{ name: "n2", address: "", hostKey: KEY }, /addr= is required/, "address"],
      [{ name: "n2", address: "10.0.0.1", port: "99999", hostKey: KEY }, /port "99999" must be 1..65535/, "port"],
      [{ name: "n2", address: "10.0.0.1", identity: "/nonexistent/key", hostKey: KEY }, /identity file \/nonexistent\/key does not exist/, "identity"],
      [{ name: "n2", address: "10.0.0.1", hostKey: "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ" }, /the key data is a "ssh-rsa" key, but the line says "ssh-ed25519"|not an SSH public key/, "host-key"],
      [{ name: "n2", address: "10.0.0.1", hostKey: "hello" }, /expected "TYPE BASE64"/, "host-key"],
    ];
    for (const [input, msg, field] of cases) {
      let err: unknown;
      try {
        s.add(input);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(input)).toBeInstanceOf(HostConfigError);
      expect((err as HostConfigError).message).toMatch(msg);
      expect((err as HostConfigError).field).toBe(field);
    }
    expect(readFileSync(path.join(dir, "hosts.json"), "utf8")).toBe(before);
  });

  it("update pins a new key; remove deletes; a corrupt file is reported with its path", () => {
    const s = new HostStore(dir);
    s.add({ name: "node1", address: "10.215.0.11", hostKey: KEY });
    expect(s.update("node1", { port: 2200 }).port).toBe(2200);
    expect(s.remove("node1")).toBe(true);
    expect(s.remove("node1")).toBe(false);
    expect(new HostStore(dir).list()).toEqual([]);
    writeFileSync(path.join(dir, "hosts.json"), "{oops");
    expect(() => new HostStore(dir)).toThrow(new RegExp(`${dir}/hosts.json: not valid JSON`));
  });
});

describe("vigil host add arguments", () => {
  it("parses pcs-style key=value arguments", () => {
    expect(parseHostAddArgs(["node1", "addr=10.0.0.1", "port=2222", "user=root", `host-key=${KEY}`])).toEqual({ name: "node1", address: "10.0.0.1", port: "2222", user: "root", hostKey: KEY });
    expect(parseHostAddArgs(["node2", "addr=10.0.0.2"])).toEqual({ name: "node2", address: "10.0.0.2" });
    expect(() => parseHostAddArgs(["node1"])).toThrow(/addr= is required/);
    expect(() => parseHostAddArgs(["node1", "addr=x", "color=red"])).toThrow(/unknown option "color"/);
    expect(() => parseHostAddArgs(["addr=10.0.0.1"])).toThrow(/usage: vigil host add NAME/);
  });
});
