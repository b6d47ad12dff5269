import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../index";
import { conversationMembers, conversations, users, type Message, type SystemEvent } from "../schema";
import { appendMessage } from "./messages";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Every membership or settings change is a system message in the conversation's seq order, committed in
 * the same transaction as the change. The seq bump locks the conversation, so changes and sends serialise
 * and a member's join/leave point is exact.
 */
export async function changeGroup({
  db,
  conversationId,
  events,
  apply,
}: {
  db: Database;
  conversationId: string;
  events: Array<{ actorId: string; body: string; meta: SystemEvent }>;
  apply: (tx: Transaction, firstSeq: number) => Promise<void>;
}): Promise<Message[]> {
  return db.transaction(async (tx) => {
    const appended: Message[] = [];
    for (const event of events) {
      const message = await appendMessage(tx, {
        conversationId,
        senderId: event.actorId,
        clientMsgId: `system:${randomUUID()}`,
        body: event.body,
        kind: "system",
        meta: event.meta,
      });
      if (!message) throw new Error("system message collided");
      appended.push(message);
    }
    await apply(tx, appended[0]!.seq);
    await tx
      .update(conversations)
      .set({
        memberCount: sql`(select count(*) from ${conversationMembers} where ${conversationMembers.conversationId} = ${conversationId} and ${conversationMembers.leftSeq} is null)`,
      })
      .where(eq(conversations.id, conversationId));
    return appended;
  });
}

/** Creates a group with its owner and members, opened by a `group_created` system message at seq 1. */
export async function insertGroup({
  db,
  ownerId,
  memberIds,
  title,
  avatarUrl,
  announcement,
  event,
}: {
  db: Database;
  ownerId: string;
  memberIds: string[];
  title: string;
  avatarUrl: string | null;
  announcement: string | null;
  event: { body: string; meta: SystemEvent };
}): Promise<{ conversationId: string; message: Message }> {
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(conversations)
      .values({ kind: "group", title, avatarUrl, announcement, memberCount: memberIds.length + 1 })
      .returning({ id: conversations.id });
    const conversationId = created!.id;
    const message = await appendMessage(tx, {
      conversationId,
      senderId: ownerId,
      clientMsgId: `system:${randomUUID()}`,
      body: event.body,
      kind: "system",
      meta: event.meta,
    });
    await upsertMembers(tx, { conversationId, userIds: [ownerId], joinedSeq: 0, role: "owner" });
    await upsertMembers(tx, { conversationId, userIds: memberIds, joinedSeq: 0 });
    // The creator has seen the creation; the others have it unread.
    await tx
      .update(conversationMembers)
      .set({ lastReadSeq: message!.seq, lastDeliveredSeq: message!.seq })
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, ownerId)));
    return { conversationId, message: message! };
  });
}

/** Adds users as members from `joinedSeq` on; former members rejoin with a fresh join point. */
export async function upsertMembers(
  tx: Transaction,
  { conversationId, userIds, joinedSeq, role = "member" }: { conversationId: string; userIds: string[]; joinedSeq: number; role?: "owner" | "member" },
) {
  if (userIds.length === 0) return;
  await tx
    .insert(conversationMembers)
    .values(userIds.map((userId) => ({ conversationId, userId, role, joinedSeq, lastReadSeq: joinedSeq, lastDeliveredSeq: joinedSeq })))
    .onConflictDoUpdate({
      target: [conversationMembers.userId, conversationMembers.conversationId],
      set: {
        role: sql`excluded.role`,
        joinedSeq: sql`excluded.joined_seq`,
        lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, excluded.last_read_seq)`,
        lastDeliveredSeq: sql`greatest(${conversationMembers.lastDeliveredSeq}, excluded.last_delivered_seq)`,
        leftSeq: null,
        mentionSeq: 0,
        updatedAt: sql`clock_timestamp()`,
      },
    });
}

export async function markMemberLeft(tx: Transaction, { conversationId, userId, leftSeq }: { conversationId: string; userId: string; leftSeq: number }) {
  await tx
    .update(conversationMembers)
    .set({ leftSeq, role: "member", updatedAt: sql`clock_timestamp()` })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId), isNull(conversationMembers.leftSeq)));
}

export async function updateMemberRole(
  tx: Transaction,
  { conversationId, userId, role }: { conversationId: string; userId: string; role: "owner" | "admin" | "member" },
) {
  await tx
    .update(conversationMembers)
    .set({ role, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
}

export async function updateGroupFields(
  tx: Transaction,
  { conversationId, fields }: { conversationId: string; fields: { title?: string; avatarUrl?: string | null; announcement?: string | null } },
) {
  await tx.update(conversations).set(fields).where(eq(conversations.id, conversationId));
}

/** Current members with their role and positions, owner and admins first. */
export async function selectGroupMembers({ db, conversationId }: { db: Database; conversationId: string }) {
  return db
    .select({
      user: { id: users.id, username: users.username, displayName: users.displayName, avatarUrl: users.avatarUrl },
      role: conversationMembers.role,
      joinedSeq: conversationMembers.joinedSeq,
      lastReadSeq: conversationMembers.lastReadSeq,
      lastDeliveredSeq: conversationMembers.lastDeliveredSeq,
    })
    .from(conversationMembers)
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .where(and(eq(conversationMembers.conversationId, conversationId), isNull(conversationMembers.leftSeq)))
    .orderBy(sql`case ${conversationMembers.role} when 'owner' then 0 when 'admin' then 1 else 2 end`, asc(conversationMembers.joinedSeq), asc(users.displayName));
}

export async function selectUsersByIds({ db, ids }: { db: Database; ids: string[] }) {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, avatarUrl: users.avatarUrl })
    .from(users)
    .where(inArray(users.id, ids));
}
