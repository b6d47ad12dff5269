import type { HistogramJson } from "../lib/histogram";

/** Requests the orchestrator sends to a load worker, and what the worker answers. */
export type Target = "app" | "bare";

export interface FleetUser {
  id: string;
  /** Bare relay only (the app reads these from the database): group ids and direct conversation → peer. */
  groups?: string[];
  peers?: Record<string, string>;
}

export interface ConnectRequest {
  fleet: string;
  url: string;
  target: Target;
  users: FleetUser[];
  authSecret: string;
  concurrency: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  errors: string[];
  elapsedMs: number;
}

export interface Sender {
  userId: string;
  conversationId: string;
}

export interface LoadRequest {
  fleet: string;
  phase: string;
  /** open: sends on a fixed schedule whatever the server does; closed: each sender keeps `window` sends in flight. */
  mode: "open" | "closed";
  startAt: number;
  warmupMs: number;
  measureMs: number;
  /** Open loop: this worker's share of the offered rate. */
  ratePerSec?: number;
  /** Closed loop: sends in flight per sender. */
  window?: number;
  /**
   * Open loop: this worker's cap on unacknowledged sends. A send due while the cap is reached is skipped
   * (counted): past saturation the backlog stays bounded, so a phase cannot spill into the next one.
   */
  maxInFlight?: number;
  senders: Sender[];
  bodyChars: number;
  ackTimeoutMs: number;
}

export interface LoadResult {
  sent: number;
  sentMeasured: number;
  /** Sends due on the schedule but not emitted because `maxInFlight` were unacknowledged. */
  skipped: number;
  acked: number;
  ackedMeasured: number;
  /** Acknowledgements that arrived inside the measured window, whenever sent. */
  ackedInWindow: number;
  failed: number;
  errors: Record<string, number>;
  /** Sender emit → acknowledgement (the commit, for the app), measured sends only. */
  ack: HistogramJson;
  /** How late the generator emitted against its schedule (open loop): its own saturation. */
  lag: HistogramJson;
}

export interface GroupRequest {
  fleet: string;
  phase: string;
  sender: Sender;
  count: number;
  warmupCount: number;
  intervalMs: number;
  bodyChars: number;
  ackTimeoutMs: number;
}

export interface ProgressResult {
  received: number;
  stray: number;
}

/** [conversationId, seq, clientMsgId, senderId] */
export type AckRecord = [string, number, string, string];

export interface CollectResult {
  /** Sender emit → recipient receive, measured messages only. */
  latency: HistogramJson;
  receivedMeasured: number;
  receivedInWindow: number;
  received: number;
  echoes: number;
  stray: number;
  disconnects: number;
  acks: AckRecord[];
  /** "userId conversationId" → seqs in arrival order, for the checker. */
  receipts: Record<string, number[]>;
  /** Group sends: clientMsgId → [sentAt, recipients reached here, last arrival here]. */
  group: Record<string, [number, number, number]>;
}

export interface RpcRequest {
  fleet: string;
  event: string;
  calls: Array<{ userId: string; input: unknown }>;
  ackTimeoutMs: number;
}

export interface RpcResult {
  latency: HistogramJson;
  errors: Record<string, number>;
  sample: unknown;
}
