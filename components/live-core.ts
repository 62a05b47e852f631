// The live store's state machine, free of React and of the WebSocket so that it
// can be tested on its own: a snapshot replaces everything, a patch applies only
// when it starts at the version we hold; anything else asks for a resync.

import { applyPatch } from "./json-patch";
import type { ClusterEvent, LiveDocument, UserRole, WsServerMessage } from "../server/api/contract";

/** The document the server keeps in sync: {state, cib}. */
export type LiveDoc = LiveDocument;

export type Connection = "connecting" | "live" | "reconnecting" | "resyncing" | "signed-out";

export interface LiveView {
  connection: Connection;
  /** version of `doc`; 0 before the first snapshot */
  version: number;
  doc: LiveDoc | null;
  /** newest last, bounded */
  events: ClusterEvent[];
  /** a short human sentence when something is wrong with the feed */
  problem?: string;
  /** who this socket belongs to (from the snapshot) */
  user?: string;
  role?: UserRole;
}

export const MAX_EVENTS = 500;

export const initialView: LiveView = { connection: "connecting", version: 0, doc: null, events: [] };

export type ServerMessage = WsServerMessage;

export interface Step {
  view: LiveView;
  /** the client must ask the server for a fresh snapshot */
  resync: boolean;
}

export function receive(view: LiveView, msg: ServerMessage): Step {
  switch (msg.type) {
    case "snapshot": {
      const doc: LiveDoc = { state: msg.state, cib: msg.cib };
      const who = { user: msg.user ?? view.user, role: msg.role ?? view.role };
      return { view: { ...view, ...who, connection: "live", version: msg.version, doc, problem: undefined }, resync: false };
    }
    case "patch": {
      if (!view.doc || msg.from !== view.version) {
        // A gap (or a patch before any snapshot): our copy cannot be trusted.
        return { view: { ...view, connection: "resyncing" }, resync: view.connection !== "resyncing" };
      }
      try {
        const doc = applyPatch(view.doc, msg.ops);
        return { view: { ...view, connection: "live", version: msg.to, doc }, resync: false };
      } catch {
        return { view: { ...view, connection: "resyncing" }, resync: true };
      }
    }
    case "event":
      return { view: { ...view, events: [...view.events, msg.event].slice(-MAX_EVENTS) }, resync: false };
    case "error":
      return { view: { ...view, problem: msg.error }, resync: false };
    default:
      return { view, resync: false };
  }
}
