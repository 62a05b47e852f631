// The controller as the API sees it. The API (REST, WebSocket, CLI through the
// API) depends only on this interface; the controller owns the CIB, runs the
// scheduler and executes transitions.

import type { Cib } from "../cib/types";
import type { ClusterState, ScheduleResult, Transition } from "../scheduler/types";

export interface Actor {
  user: string; // "hacluster", "cli", "controller"
  role: "admin" | "operator" | "read-only" | "system";
  from?: string; // remote address
}

/** A CIB change: a pure function of the current CIB that returns the new CIB (or throws CibError). */
export type CibMutation = (cib: Cib) => Cib;

export interface ClusterEvent {
  seq: number;
  at: number; // epoch ms
  kind:
    | "cib-change" // a user changed the configuration
    | "transition-start"
    | "transition-end"
    | "action-result"
    | "node-lost"
    | "node-joined"
    | "fence"
    | "monitor-failed"
    | "quorum";
  message: string;
  actor?: string;
  node?: string;
  rsc?: string;
  detail?: Record<string, unknown>;
}

export interface TransitionRecord {
  id: number;
  startedAt: number;
  endedAt?: number;
  trigger: string;
  status: "running" | "complete" | "aborted" | "failed";
  summary: string[];
  transition: Transition;
  results: { actionId: number; rc: number; opStatus: number; startedAt: number; execMs: number }[];
}

export interface Snapshot {
  /** increases by one on every published change (CIB write, status update, transition progress) */
  version: number;
  cib: Cib;
  state: ClusterState;
}

export interface ClusterService {
  snapshot(): Snapshot;
  /** validate, persist atomically, publish, reschedule. Throws CibError (cib unchanged) on bad input. */
  update(mutation: CibMutation, actor: Actor, description: string): Promise<Snapshot>;
  /** run the scheduler on a hypothetical CIB without applying it (what-if preview) */
  preview(mutation: CibMutation): ScheduleResult;
  subscribe(listener: (snap: Snapshot) => void): () => void;
  events(): ClusterEvent[];
  onEvent(listener: (ev: ClusterEvent) => void): () => void;
  transitions(): TransitionRecord[];
  /** resolves when no transition is running and none is pending */
  settled(timeoutMs: number): Promise<void>;
  /** stopResources: stop every resource before the controller itself (embedded demo shutdown) */
  stop(opts?: { stopResources?: boolean }): Promise<void>;
}
