import { and, desc, eq, ne, notInArray, sql } from "drizzle-orm";
import type { Database } from "../index";
import { queryPrepared } from "../raw";
import { conversationMembers, conversations, messages, pushSubscriptions, users, type PushSubscriptionRow } from "../schema";
import { isoOf } from "./message-rows";

export interface PushSubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
  privatePreviews: boolean;
}

/**
 * Stores (or refreshes) a browser's subscription for a user, keeping at most `maxPerUser` (the newest).
 * A push endpoint belongs to one browser profile, so if another user had registered it (a shared
 * computer, a sign-out without unsubscribing), it moves to this user: their notifications stop there.
 */
export async function upsertPushSubscription({
  db,
  userId,
  subscription,
  maxPerUser,
}: {
  db: Database;
  userId: string;
  subscription: PushSubscriptionInput;
  maxPerUser: number;
}): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(pushSubscriptions).where(and(eq(pushSubscriptions.endpoint, subscription.endpoint), ne(pushSubscriptions.userId, userId)));
    await tx
      .insert(pushSubscriptions)
      .values({ userId, ...subscription, createdAt: sql`now()` })
      .onConflictDoUpdate({
        target: [pushSubscriptions.userId, pushSubscriptions.endpoint],
        set: { p256dh: subscription.p256dh, auth: subscription.auth, privatePreviews: subscription.privatePreviews, createdAt: sql`now()` },
      });
    const newest = tx
      .select({ endpoint: pushSubscriptions.endpoint })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
      .orderBy(desc(pushSubscriptions.createdAt))
      .limit(maxPerUser);
    await tx.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), notInArray(pushSubscriptions.endpoint, newest)));
  });
}

/** Returns whether a subscription was removed. */
export async function deletePushSubscription({ db, userId, endpoint }: { db: Database; userId: string; endpoint: string }): Promise<boolean> {
  const removed = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ endpoint: pushSubscriptions.endpoint });
  return removed.length > 0;
}

export async function selectPushSubscriptionsOfUser({ db, userId }: { db: Database; userId: string }): Promise<PushSubscriptionRow[]> {
  return db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
}

export async function markPushSuccess({ db, userId, endpoint }: { db: Database; userId: string; endpoint: string }): Promise<void> {
  await db
    .update(pushSubscriptions)
    .set({ lastSuccessAt: sql`now()` })
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)));
}

export interface PushCandidate {
  conversationId: string;
  userId: string;
  muted: boolean;
  dndEnabled: boolean;
  /** ISO 8601, UTC. */
  dndUntil: string | null;
}

const PUSH_CANDIDATES_SQL = /* sql */ `select cm.conversation_id as "conversationId", cm.user_id as "userId", cm.muted,
    u.dnd_enabled as "dndEnabled", ${isoOf("u.dnd_until")} as "dndUntil"
  from conversation_members cm
  join users u on u.id = cm.user_id
  where cm.conversation_id = any($1::text::uuid[])
    and cm.left_seq is null
    and exists (select 1 from push_subscriptions ps where ps.user_id = cm.user_id)`;

/**
 * The current members of the given conversations who have at least one push subscription, with what
 * decides whether to notify them (mute, DND). One query for a whole batch of messages, whatever the group
 * sizes: members without subscriptions (most of a large group) never leave the database. The ids go in as
 * one array parameter (a probe of the conversation index per id), so the statement is prepared once however
 * many conversations a batch holds.
 */
export async function selectPushCandidates({ db, conversationIds }: { db: Database; conversationIds: string[] }): Promise<PushCandidate[]> {
  // Ids are UUIDs, so the array literal needs no quoting.
  return queryPrepared<PushCandidate>(db, PUSH_CANDIDATES_SQL, [`{${conversationIds.join(",")}}`]);
}

/** Unread of one conversation member row: derived from seq positions exactly as the conversation list does. */
const memberUnread = sql<number>`greatest(coalesce(${conversationMembers.leftSeq}, ${conversations.lastSeq}) - greatest(${conversationMembers.lastReadSeq}, ${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq}), 0)`;

export interface PushRecipientState {
  /** The user's total unread over non-muted conversations (the app badge). */
  totalUnread: number;
  conversationUnread: number;
  muted: boolean;
  /** False when the user left or was removed from the conversation since the message. */
  isMember: boolean;
  dndEnabled: boolean;
  dndUntil: Date | null;
}

/** Everything a push decision re-checks just before sending, in one query over the user's memberships. */
export async function selectPushRecipientState({
  db,
  userId,
  conversationId,
}: {
  db: Database;
  userId: string;
  conversationId: string;
}): Promise<PushRecipientState | null> {
  const inThis = sql`${conversationMembers.conversationId} = ${conversationId}`;
  const [row] = await db
    .select({
      totalUnread: sql<number>`coalesce(sum(${memberUnread}) filter (where not ${conversationMembers.muted}), 0)::int`,
      conversationUnread: sql<number>`coalesce(max(${memberUnread}) filter (where ${inThis}), 0)::int`,
      muted: sql<boolean>`coalesce(bool_or(${conversationMembers.muted}) filter (where ${inThis}), false)`,
      isMember: sql<boolean>`coalesce(bool_or(${conversationMembers.leftSeq} is null) filter (where ${inThis}), false)`,
      dndEnabled: users.dndEnabled,
      dndUntil: users.dndUntil,
    })
    .from(users)
    .leftJoin(conversationMembers, eq(conversationMembers.userId, users.id))
    .leftJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(eq(users.id, userId))
    .groupBy(users.id);
  if (!row) return null;
  return { ...row, totalUnread: Number(row.totalUnread), conversationUnread: Number(row.conversationUnread) };
}

export interface PushMessageContext {
  kind: "text" | "system";
  body: string;
  recalled: boolean;
  senderName: string;
  conversationKind: "direct" | "group";
  conversationTitle: string | null;
}

/** The message as it is now (it may have been recalled or edited since it was sent), with its sender and conversation names. */
export async function selectPushMessageContext({
  db,
  conversationId,
  seq,
}: {
  db: Database;
  conversationId: string;
  seq: number;
}): Promise<PushMessageContext | null> {
  const [row] = await db
    .select({
      kind: messages.kind,
      body: messages.body,
      recalledAt: messages.recalledAt,
      senderName: users.displayName,
      conversationKind: conversations.kind,
      conversationTitle: conversations.title,
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.senderId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
    .limit(1);
  if (!row) return null;
  const { recalledAt, ...rest } = row;
  return { ...rest, recalled: recalledAt !== null };
}
