// Server CPU of the WebSocket fan-out, independent of the machine's load:
// CPU time (process.cpuUsage) the sending process spends to hand one message
// to N connected clients, the old way (JSON.stringify per client / ws.send of
// a string, which ws encodes again per client) against the hub's way (one
// serialisation, one Buffer for all). Real ws server and clients on loopback;
// the receiving clients run in a child process so their work is not counted.
//   node --import tsx e2e/console/bench-hub.ts [--clients 200] [--rounds 20]
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocketServer, WebSocket } from "ws";
import { unpack } from "../../server/scheduler/index";
import { bigCib } from "./bench-big-cluster";

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

if (process.argv[2] === "--receiver") {
  // child: open N sockets, count bytes, report when told
  const [port, n] = [Number(process.argv[3]), Number(process.argv[4])];
  let got = 0;
  const socks = Array.from({ length: n }, () => new WebSocket(`ws://127.0.0.1:${port}/`));
  let open = 0;
  for (const s of socks) {
    s.on("open", () => ++open === n && process.send!({ ready: true }));
    s.on("message", () => {
      got++;
      if (got % n === 0) process.send!({ got });
    });
  }
} else {
  const clients = Number(arg("clients", "200"));
  const rounds = Number(arg("rounds", "20"));
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => wss.once("listening", r));
  const port = (wss.address() as { port: number }).port;
  const child = fork(fileURLToPath(import.meta.url), ["--receiver", String(port), String(clients)], { execArgv: ["--import", "tsx"] });
  const waitMsg = (pred: (m: { ready?: boolean; got?: number }) => boolean) =>
    new Promise<void>((resolve) => {
      const on = (m: { ready?: boolean; got?: number }) => {
        if (pred(m)) {
          child.off("message", on);
          resolve();
        }
      };
      child.on("message", on);
    });
  await waitMsg((m) => !!m.ready);
  const socks = [...wss.clients];

  const state = unpack(bigCib(100, 2000), { now: 1_767_225_600 });
  const messages = {
    "standby patch (demo size)": { type: "patch", from: 1, to: 2, ops: [{ op: "replace", path: "/state/nodes/0/standby", value: true }, { op: "replace", path: "/cib/attrs/num_updates", value: "12" }] },
    "snapshot at 100x2000": { type: "snapshot", version: 2, state, user: "hacluster", role: "admin" },
  };
  let received = 0;
  const cpuOf = async (send: () => void) => {
    const c0 = process.cpuUsage();
    for (let r = 0; r < rounds; r++) {
      send();
      received += clients;
      const want = received;
      await waitMsg((m) => (m.got ?? 0) >= want);
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000 / rounds;
  };
  for (const [name, msg] of Object.entries(messages)) {
    const perClient = await cpuOf(() => {
      for (const s of socks) s.send(JSON.stringify(msg));
    });
    const once = await cpuOf(() => {
      const buf = Buffer.from(JSON.stringify(msg));
      for (const s of socks) s.send(buf, { binary: false });
    });
    console.log(`${name} to ${clients} clients: server CPU per message ${perClient.toFixed(1)} ms serialised per client, ${once.toFixed(1)} ms serialised once (${(perClient / once).toFixed(1)}x)`);
  }
  child.kill();
  wss.close();
}
