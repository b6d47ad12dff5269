import type { Database } from "../../db";
import {
  deletePushSubscription,
  markPushSuccess,
  selectPushCandidates,
  selectPushMessageContext,
  selectPushRecipientState,
  selectPushSubscriptionsOfUser,
  type PushCandidate,
} from "../../db/queries/push-subscriptions";
import type { PushSubscriptionRow } from "../../db/schema";
import type { MessageDto } from "../../lib/socket-events";
import type { Audience } from "../services/audience";
import { isDndActive } from "../services/settings";
import { BurstCollapser, type MessageRef, type PendingPush } from "./burst";
import { describeEndpoint, logPushDecisionAsJson, type PushDecision, type PushDecisionLog, type PushSkipReason } from "./decision-log";
import { deliverPush, type DeliveryOutcome } from "./deliver";
import { buildPushPayload } from "./payload";
import type { PushNotifier } from "./registry";
import type { VapidDetails } from "./vapid";
import { WorkQueue, type QueuedTask } from "./work-queue";

export interface PushServiceOptions {
  /** Messages for one user and conversation within this window become one push. */
  collapseWindowMs: number;
  /** Messages sent within this window share one fan-out query. */
  fanOutGatherMs: number;
  /** Queued tasks (fan-outs, flushes, deliveries) beyond this drop the oldest. */
  queueCapacity: number;
  /** Tasks worked at once: database look-ups and requests to push services. */
  concurrency: number;
  /** Attempts per delivery, the first included, for network errors, 5xx and 429. */
  maxAttempts: number;
  /** First retry delay; doubled per attempt, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  requestTimeoutMs: number;
  ttlSeconds: number;
  /** Accept http:// endpoints (a local stand-in push service in tests); real browsers only use https://. */
  allowHttpEndpoints: boolean;
}

export const DEFAULT_PUSH_OPTIONS: PushServiceOptions = {
  collapseWindowMs: 2_000,
  fanOutGatherMs: 50,
  queueCapacity: 10_000,
  concurrency: 8,
  maxAttempts: 3,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  requestTimeoutMs: 10_000,
  ttlSeconds: 24 * 60 * 60,
  allowHttpEndpoints: false,
};

export interface PushService extends PushNotifier {
  /** Drops queued work (logged), cancels retries and waits for requests in flight. */
  stop(): Promise<void>;
}

type Task = QueuedTask & { describe(): Array<Partial<PushDecision>> };

/** At most this many messages share a fan-out query; a full batch goes at once. */
const MAX_FAN_OUT_BATCH = 500;

interface FanOutItem {
  message: MessageDto;
  audience: Audience;
}

function messageFields(message: MessageRef) {
  return { messageId: message.id, conversationId: message.conversationId, seq: message.seq };
}

/**
 * Web Push for users who are not connected (seeds 000/002's third-party channel). Knows nothing about
 * sockets: "is this user connected anywhere?" is a function it is given. The send path only calls
 * `enqueue`, which returns at once; everything else happens on a bounded queue:
 *
 *   fan-out (one query: members with subscriptions, their mute and DND)
 *   → burst window per user and conversation
 *   → flush (re-check mute, DND, read state, connected devices; unread counts)
 *   → one delivery per subscription (retried with backoff; 404/410 deletes the subscription).
 */
export function createPushService({
  db,
  vapid,
  isUserConnected,
  log = logPushDecisionAsJson,
  options: overrides = {},
}: {
  db: Database;
  vapid: VapidDetails;
  isUserConnected: (userId: string) => Promise<boolean>;
  log?: PushDecisionLog;
  options?: Partial<PushServiceOptions>;
}): PushService {
  const options = { ...DEFAULT_PUSH_OPTIONS, ...overrides };
  const retryTimers = new Set<NodeJS.Timeout>();
  let stopped = false;
  /** Messages waiting for their fan-out: a few milliseconds of sends share one query (a push is not in a hurry). */
  const gathering: FanOutItem[] = [];
  let gatherTimer: NodeJS.Timeout | null = null;
  const queue = new WorkQueue<Task>({
    capacity: options.queueCapacity,
    concurrency: options.concurrency,
    onDrop: (task, reason) => {
      for (const fields of task.describe()) log({ ...fields, decision: "dropped", reason });
    },
    onError: (error, task) => {
      console.error("Push task failed", task.describe(), error);
    },
  });
  const bursts = new BurstCollapser(options.collapseWindowMs, (pending) => queue.push(flushTask(pending)));

  function fanOutGathered() {
    if (gatherTimer) clearTimeout(gatherTimer);
    gatherTimer = null;
    queue.push(fanOutTask(gathering.splice(0)));
  }

  const skip = (fields: Partial<PushDecision>, reason: PushSkipReason) => log({ ...fields, decision: "skipped", reason });

  function fanOutTask(items: FanOutItem[]): Task {
    return {
      describe: () => items.map(({ message }) => messageFields(message)),
      async run() {
        const conversationIds = [...new Set(items.map(({ message }) => message.conversationId))];
        const byConversation = new Map<string, PushCandidate[]>();
        for (const candidate of await selectPushCandidates({ db, conversationIds })) {
          const members = byConversation.get(candidate.conversationId);
          if (members) members.push(candidate);
          else byConversation.set(candidate.conversationId, [candidate]);
        }
        for (const { message, audience } of items) fanOut(message, audience, byConversation.get(message.conversationId) ?? []);
      },
    };
  }

  function fanOut(message: MessageDto, audience: Audience, members: PushCandidate[]) {
    const ref: MessageRef = { id: message.id, conversationId: message.conversationId, seq: message.seq };
    const candidates = members.filter((candidate) => candidate.userId !== message.senderId);
    // One-to-one: say so when the peer has no subscription. Groups: members without one are not
    // listed (a 5,000-member group would log 5,000 lines); no line for a member means no subscription.
    if ("userIds" in audience) {
      const withSubscription = new Set(candidates.map((candidate) => candidate.userId));
      for (const userId of audience.userIds) {
        if (userId !== message.senderId && !withSubscription.has(userId)) skip({ ...messageFields(ref), userId }, "no_subscription");
      }
    }
    for (const candidate of candidates) {
      const fields = { ...messageFields(ref), userId: candidate.userId };
      if (candidate.muted) skip(fields, "muted");
      else if (isDndActive({ enabled: candidate.dndEnabled, until: candidate.dndUntil })) skip(fields, "dnd");
      else {
        const burst = bursts.add(candidate.userId, ref);
        if (burst) skip({ ...messageFields(burst.collapsed), userId: candidate.userId, collapsedInto: burst.into.id }, "collapsed");
      }
    }
  }

  function flushTask(pending: PendingPush): Task {
    const fields = { ...messageFields(pending.latest), userId: pending.userId, messages: pending.count };
    return {
      describe: () => [fields],
      async run() {
        const state = await selectPushRecipientState({ db, userId: pending.userId, conversationId: pending.conversationId });
        if (!state?.isMember) return skip(fields, "left");
        // Re-checked here: the user may have muted, started DND or read on another device during the window.
        if (state.muted) return skip(fields, "muted");
        if (isDndActive({ enabled: state.dndEnabled, until: state.dndUntil?.toISOString() ?? null })) return skip(fields, "dnd");
        if (state.conversationUnread === 0) return skip(fields, "read");
        if (await connectedSafely(pending.userId)) return skip(fields, "connected");
        const [context, subscriptions] = await Promise.all([
          selectPushMessageContext({ db, conversationId: pending.conversationId, seq: pending.latest.seq }),
          selectPushSubscriptionsOfUser({ db, userId: pending.userId }),
        ]);
        if (!context) return skip(fields, "message_missing");
        if (subscriptions.length === 0) return skip(fields, "no_subscription");
        for (const subscription of subscriptions) {
          const payload = buildPushPayload({
            context,
            conversationId: pending.conversationId,
            messageId: pending.latest.id,
            seq: pending.latest.seq,
            unread: state.conversationUnread,
            totalUnread: state.totalUnread,
            privatePreviews: subscription.privatePreviews,
          });
          queue.push(
            deliveryTask({
              fields,
              subscription,
              payload: JSON.stringify(payload),
              urgency: context.conversationKind === "direct" ? "high" : "normal",
              topic: topicFor(pending.conversationId),
              attempt: 1,
            }),
          );
        }
      },
    };
  }

  async function connectedSafely(userId: string): Promise<boolean> {
    try {
      return await isUserConnected(userId);
    } catch (error) {
      // Unknown (e.g. another instance did not answer in time): a possibly redundant notification beats a missed one.
      console.warn(`Push: could not tell whether user ${userId} is connected; notifying`, error instanceof Error ? error.message : error);
      return false;
    }
  }

  function deliveryTask(job: {
    fields: Partial<PushDecision>;
    subscription: PushSubscriptionRow;
    payload: string;
    urgency: "high" | "normal";
    topic: string;
    attempt: number;
  }): Task {
    const { subscription } = job;
    const fields = { ...job.fields, ...describeEndpoint(subscription.endpoint), attempt: job.attempt };
    return {
      describe: () => [fields],
      async run() {
        const outcome = await deliverPush({
          target: subscription,
          payload: job.payload,
          vapid,
          headers: { ttlSeconds: options.ttlSeconds, urgency: job.urgency, topic: job.topic },
          timeoutMs: options.requestTimeoutMs,
        });
        await settle(outcome);
      },
    };

    async function settle(outcome: DeliveryOutcome) {
      switch (outcome.kind) {
        case "delivered":
          await markPushSuccess({ db, userId: subscription.userId, endpoint: subscription.endpoint });
          return log({ ...fields, decision: "sent", status: outcome.status });
        case "gone":
          await deletePushSubscription({ db, userId: subscription.userId, endpoint: subscription.endpoint });
          return skip({ ...fields, status: outcome.status }, "expired_deleted");
        case "rejected":
          return skip({ ...fields, status: outcome.status, detail: outcome.detail }, "failed");
        case "retry": {
          if (job.attempt >= options.maxAttempts) return skip({ ...fields, status: outcome.status, detail: outcome.detail ?? outcome.reason }, "failed");
          if (stopped) return log({ ...fields, decision: "dropped", reason: "shutdown" });
          const backoff = Math.min(options.retryBaseMs * 2 ** (job.attempt - 1) * (0.5 + Math.random()), options.retryMaxMs);
          const delay = Math.min(Math.max(backoff, outcome.retryAfterMs ?? 0), options.retryMaxMs);
          log({ ...fields, decision: "retrying", reason: outcome.reason, status: outcome.status, detail: outcome.detail });
          const timer = setTimeout(() => {
            retryTimers.delete(timer);
            queue.push(deliveryTask({ ...job, attempt: job.attempt + 1 }));
          }, delay);
          retryTimers.add(timer);
        }
      }
    }
  }

  return {
    publicKey: vapid.publicKey,
    allowHttpEndpoints: options.allowHttpEndpoints,
    enqueue({ message, audience }) {
      // System messages (membership changes) are not notified; only what people send.
      if (message.kind !== "text") return;
      gathering.push({ message, audience });
      if (gathering.length >= MAX_FAN_OUT_BATCH) fanOutGathered();
      else gatherTimer ??= setTimeout(fanOutGathered, options.fanOutGatherMs);
    },
    async stop() {
      stopped = true;
      if (gatherTimer) clearTimeout(gatherTimer);
      for (const { message } of gathering.splice(0)) log({ ...messageFields(message), decision: "dropped", reason: "shutdown" });
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      for (const pending of bursts.clear()) log({ ...messageFields(pending.latest), userId: pending.userId, decision: "dropped", reason: "shutdown" });
      await queue.stop();
    },
  };
}

/** The push service keeps only the newest undelivered message per topic (≤ 32 URL-safe characters): one per conversation. */
function topicFor(conversationId: string): string {
  return conversationId.replaceAll("-", "");
}
