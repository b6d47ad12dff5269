import { createHash } from "node:crypto";

export type PushSkipReason =
  | "muted"
  | "dnd"
  | "connected"
  | "no_subscription"
  | "collapsed"
  | "expired_deleted"
  | "failed"
  /** The user read the conversation (on a device since gone) before the push went out. */
  | "read"
  /** The user left or was removed from the conversation before the push went out. */
  | "left"
  | "message_missing";

/**
 * One line per decision, so "why didn't I get notified?" is a grep for the user or message id.
 * `sent`/`skipped` are final for a message and user (per subscription where one is involved);
 * `retrying` and `dropped` describe the queue.
 */
export type PushDecision = {
  messageId?: string;
  conversationId?: string;
  seq?: number;
  userId?: string;
  /** The push service's origin and a short hash of the endpoint (the full URL is a capability). */
  pushService?: string;
  subscription?: string;
  status?: number;
  attempt?: number;
  /** How many messages this push stands for (a burst collapsed into one). */
  messages?: number;
  /** For a collapsed message: the message whose push carries it. */
  collapsedInto?: string;
  detail?: string;
} & (
  | { decision: "sent" }
  | { decision: "skipped"; reason: PushSkipReason }
  | { decision: "retrying"; reason: "network" | "server_error" | "rate_limited" }
  | { decision: "dropped"; reason: "queue_full" | "shutdown" }
);

export type PushDecisionLog = (decision: PushDecision) => void;

let unwritten: string[] = [];

/** The lines of one tick go out in one write: stdout to a file or pipe is a blocking syscall per write. */
function writeDecisionLines() {
  const lines = unwritten;
  unwritten = [];
  process.stdout.write(`${lines.join("\n")}\n`);
}

export const logPushDecisionAsJson: PushDecisionLog = (decision) => {
  if (unwritten.length === 0) setImmediate(writeDecisionLines);
  unwritten.push(JSON.stringify({ event: "push", at: new Date().toISOString(), ...decision }));
};

export function describeEndpoint(endpoint: string): { pushService: string; subscription: string } {
  let pushService = "invalid";
  try {
    pushService = new URL(endpoint).origin;
  } catch {
    // Endpoints are validated when stored; this only keeps logging from throwing.
  }
  return { pushService, subscription: createHash("sha256").update(endpoint).digest("base64url").slice(0, 12) };
}
