import { and, asc, between, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Database } from "../index";
import { blocks, conversationMembers, conversations, hiddenMessages, messages, type Message } from "../schema";

export class DuplicateClientMessageError extends Error {}
export class NotAMemberError extends Error {}

/**
 * Appends a message with the conversation's next seq, in one transaction: the seq bump (which locks the
 * conversation row, serialising its senders), the insert, and the sender's read position. A rolled-back
 * send rolls its seq back too, so seqs stay gap-free.
 */
export async function insertMessageWithNextSeq({
  db,
  conversationId,
  senderId,
  clientMsgId,
  body,
  kind = "text",
}: {
  db: Database;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  kind?: Message["kind"];
}): Promise<Message> {
  return db.transaction(async (tx) => {
    const [bumped] = await tx
      .update(conversations)
      .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`clock_timestamp()` })
      .where(eq(conversations.id, conversationId))
      .returning({ seq: conversations.lastSeq });
    if (!bumped) throw new NotAMemberError();
    const [message] = await tx
      .insert(messages)
      .values({ conversationId, seq: bumped.seq, senderId, clientMsgId, body, kind })
      .onConflictDoNothing({ target: [messages.senderId, messages.clientMsgId] })
      .returning();
    if (!message) throw new DuplicateClientMessageError();
    // Sending means having read everything before it: unread = lastSeq - lastReadSeq counts others' messages only.
    const [member] = await tx
      .update(conversationMembers)
      .set({
        lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, ${bumped.seq}::bigint)`,
        lastDeliveredSeq: sql`greatest(${conversationMembers.lastDeliveredSeq}, ${bumped.seq}::bigint)`,
      })
      .where(and(eq(conversationMembers.userId, senderId), eq(conversationMembers.conversationId, conversationId)))
      .returning({ userId: conversationMembers.userId });
    if (!member) throw new NotAMemberError();
    return message;
  });
}

export async function findMessageByClientId({ db, senderId, clientMsgId }: { db: Database; senderId: string; clientMsgId: string }) {
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)))
    .limit(1);
  return message ?? null;
}

/** Membership, member ids and whether any other member blocked the sender, in one round trip. */
export async function selectSendContext({ db, conversationId, senderId }: { db: Database; conversationId: string; senderId: string }) {
  const rows = await db
    .select({
      userId: conversationMembers.userId,
      kind: conversations.kind,
      blocksSender: sql<boolean>`exists (select 1 from ${blocks} where ${blocks.blockerId} = ${conversationMembers.userId} and ${blocks.blockedId} = ${senderId})`,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(eq(conversationMembers.conversationId, conversationId));
  return {
    memberIds: rows.map((row) => row.userId),
    isMember: rows.some((row) => row.userId === senderId),
    kind: rows[0]?.kind ?? null,
    blockedBy: rows.filter((row) => row.userId !== senderId && row.blocksSender).map((row) => row.userId),
  };
}

/** Keyset page of messages in (afterSeq, ...) ascending, or (..., beforeSeq) descending; never OFFSET. */
export async function selectMessageRange({
  db,
  conversationId,
  afterSeq,
  beforeSeq,
  limit,
}: {
  db: Database;
  conversationId: string;
  afterSeq: number;
  beforeSeq?: number;
  limit: number;
}): Promise<Message[]> {
  const range = and(
    eq(messages.conversationId, conversationId),
    gt(messages.seq, afterSeq),
    beforeSeq === undefined ? undefined : lt(messages.seq, beforeSeq),
  );
  // Newest first when paging back through history, oldest first when catching up.
  const order = beforeSeq === undefined ? asc(messages.seq) : desc(messages.seq);
  return db.select().from(messages).where(range).orderBy(order).limit(limit);
}

export async function selectHiddenSeqs({
  db,
  userId,
  conversationId,
  fromSeq,
  toSeq,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  fromSeq: number;
  toSeq: number;
}): Promise<number[]> {
  const rows = await db
    .select({ seq: hiddenMessages.seq })
    .from(hiddenMessages)
    .where(and(eq(hiddenMessages.userId, userId), eq(hiddenMessages.conversationId, conversationId), between(hiddenMessages.seq, fromSeq, toSeq)));
  return rows.map((row) => row.seq);
}

export async function insertHiddenMessage({ db, userId, conversationId, seq }: { db: Database; userId: string; conversationId: string; seq: number }) {
  await db.insert(hiddenMessages).values({ userId, conversationId, seq }).onConflictDoNothing();
}

export async function messageExists({ db, conversationId, seq }: { db: Database; conversationId: string; seq: number }) {
  const [row] = await db
    .select({ seq: messages.seq })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
    .limit(1);
  return !!row;
}
