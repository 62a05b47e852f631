// The hosts API parses its bodies with the contract's schemas: a bad body is a 400
// naming the field, and nothing is probed or stored. (Adding a host over a real
// sshd is e2e/console/hosts.spec.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../executor/test-helpers";
import { startHostModeServer, type HostModeServer } from "./test-host-server";

let h: HostModeServer;
beforeAll(async () => {
  h = await startHostModeServer();
}, 60_000);
afterAll(async () => h?.stop());


describe("hosts API input", () => {
  it("refuses a bad name, a missing address and a bad port, naming the field", async () => {
    expect(await h.call("POST", "/api/hosts/probe", { name: "-bad", address: "127.0.0.1" })).toMatchObject({ status: 400, json: { field: "name" } });
    expect(await h.call("POST", "/api/hosts", { name: "n1" })).toMatchObject({ status: 400, json: { error: "address is required", field: "address" } });
    expect(await h.call("POST", "/api/hosts", { name: "n1", address: "127.0.0.1", port: "22x" })).toMatchObject({ status: 400, json: { field: "port" } });
    expect((await h.call("GET", "/api/hosts")).json?.hosts).toEqual([]);
  });

  it("a probe of a port where nothing listens says so, under address", async () => {
    const port = await freePort();
    const r = await h.call("POST", "/api/hosts/probe", { name: "n1", address: "127.0.0.1", port: String(port) });
    expect(r.status).toBe(400);
    expect(r.json?.field).toBe("address");
    expect(r.json?.error).toMatch(/^host n1: /);
  });
});
