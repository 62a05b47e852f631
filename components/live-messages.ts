// Runtime checks of what arrives on /ws. Patches, events and errors are checked
// with the contract's schemas as they are. A snapshot of a large cluster is
// checked at its frame (type, version, state and cib shapes, nodes, counts)
// with every resource and configuration element checked for its id and kind
// only: the full recursive check of 2000 resources cost ~0.5 s of main thread
// per snapshot in Chromium, longer than rendering them.

import { z } from "zod";
import {
  ClusterStateSchema,
  CibConfigViewSchema,
  ConfigurationSchema,
  WsErrorSchema,
  WsEventSchema,
  WsPatchSchema,
  WsSnapshotSchema,
  type WsServerMessage,
} from "../server/api/contract";

const element = z.looseObject({ id: z.string(), kind: z.string() });

const LightSnapshotSchema = WsSnapshotSchema.extend({
  state: ClusterStateSchema.extend({ resources: z.array(element) }),
  cib: CibConfigViewSchema.extend({
    configuration: ConfigurationSchema.extend({ resources: z.array(element), constraints: z.array(element) }),
  }),
});

const LightMessageSchema = z.discriminatedUnion("type", [LightSnapshotSchema, WsPatchSchema, WsEventSchema, WsErrorSchema]);

export type ParsedMessage = { ok: true; msg: WsServerMessage } | { ok: false; problem: string };

export function parseServerMessage(raw: unknown): ParsedMessage {
  const r = LightMessageSchema.safeParse(raw);
  if (r.success) return { ok: true, msg: r.data as WsServerMessage };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${issue?.path.join(".") || "message"}: ${issue?.message}` };
}
