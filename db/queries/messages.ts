import { and, asc, between, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../index";
import { blocks, conversationMembers, conversations, hiddenMessages, messages, type Message, type SystemEvent } from "../schema";

/** A send could not be stored as part of its batch; nothing of the batch was written. */
export class BatchConflictError extends Error {}
/** The (sender, client message id) is already stored. */
export class DuplicateClientMessageError extends BatchConflictError {}
/** The conversation is gone or the sender is no longer a member. */
export class NotAMemberError extends BatchConflictError {}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Inside a transaction: takes the conversation's next seq and inserts the message with it. The seq bump
 * locks the conversation row, serialising its writers (sends and membership changes alike); a rolled-back
 * transaction takes its seq back, so seqs stay gap-free. Returns null on a duplicate client message id.
 */
export async function appendMessage(
  tx: Transaction,
  values: {
    conversationId: string;
    senderId: string;
    clientMsgId: string;
    body: string;
    kind?: Message["kind"];
    mentions?: string[] | null;
    meta?: SystemEvent | null;
  },
): Promise<Message | null> {
  const [bumped] = await tx
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`clock_timestamp()` })
    .where(eq(conversations.id, values.conversationId))
    .returning({ seq: conversations.lastSeq });
  if (!bumped) throw new NotAMemberError();
  const [message] = await tx
    .insert(messages)
    .values({ ...values, seq: bumped.seq, kind: values.kind ?? "text" })
    .onConflictDoNothing({ target: [messages.senderId, messages.clientMsgId] })
    .returning();
  return message ?? null;
}

export interface NewUserMessage {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  mentions: string[];
}

/**
 * Stores users' sends in ONE transaction (group commit). Each conversation's seq is bumped once by its
 * number of messages (seqs handed out in arrival order; the bump locks the row, serialising the
 * conversation's writers), all rows go in one INSERT, and every sender's read position (sending means
 * having read what came before, so unread = lastSeq - lastReadSeq counts others' messages only) and
 * every mention marker is moved. If any row is a duplicate or any sender is no longer a member, the whole
 * transaction rolls back, seqs included, so seqs stay gap-free; a batch of one says precisely which.
 */
export async function insertMessageBatch({ db, sends }: { db: Database; sends: NewUserMessage[] }): Promise<Message[]> {
  const perConversation = new Map<string, number>();
  for (const send of sends) perConversation.set(send.conversationId, (perConversation.get(send.conversationId) ?? 0) + 1);
  // A stable lock order, so concurrent batches can never deadlock on conversation rows.
  const conversationIds = [...perConversation.keys()].sort();

  return db.transaction(async (tx) => {
    const bumped = await Promise.all(
      conversationIds.map(async (conversationId) => {
        const [row] = await tx
          .update(conversations)
          .set({ lastSeq: sql`${conversations.lastSeq} + ${perConversation.get(conversationId)!}`, lastMessageAt: sql`clock_timestamp()` })
          .where(eq(conversations.id, conversationId))
          .returning({ lastSeq: conversations.lastSeq });
        if (!row) throw new NotAMemberError();
        return [conversationId, row.lastSeq - perConversation.get(conversationId)!] as const;
      }),
    );
    const nextSeq = new Map(bumped);
    const rows = sends.map((send) => {
      const seq = nextSeq.get(send.conversationId)! + 1;
      nextSeq.set(send.conversationId, seq);
      return { ...send, seq, kind: "text" as const, mentions: send.mentions.length ? send.mentions : null };
    });
    const inserted = await tx.insert(messages).values(rows).onConflictDoNothing({ target: [messages.senderId, messages.clientMsgId] }).returning();
    if (inserted.length !== rows.length) throw new DuplicateClientMessageError();

    // The highest seq each sender reached in each conversation.
    const readTo = new Map<string, { conversationId: string; senderId: string; seq: number }>();
    for (const row of rows) readTo.set(`${row.conversationId}:${row.senderId}`, { conversationId: row.conversationId, senderId: row.senderId, seq: row.seq });
    const updates = await Promise.all([
      ...[...readTo.values()].map(({ conversationId, senderId, seq }) =>
        tx
          .update(conversationMembers)
          .set({
            lastReadSeq: sql`greatest(${conversationMembers.lastReadSeq}, ${seq}::bigint)`,
            lastDeliveredSeq: sql`greatest(${conversationMembers.lastDeliveredSeq}, ${seq}::bigint)`,
          })
          .where(and(eq(conversationMembers.userId, senderId), eq(conversationMembers.conversationId, conversationId), isNull(conversationMembers.leftSeq)))
          .returning({ userId: conversationMembers.userId }),
      ),
      ...rows
        .filter((row) => row.mentions)
        .map((row) =>
          tx
            .update(conversationMembers)
            .set({ mentionSeq: sql`greatest(${conversationMembers.mentionSeq}, ${row.seq}::bigint)` })
            .where(and(eq(conversationMembers.conversationId, row.conversationId), inArray(conversationMembers.userId, row.mentions!), isNull(conversationMembers.leftSeq)))
            .returning({ userId: conversationMembers.userId }),
        ),
    ]);
    if (updates.slice(0, readTo.size).some((updated) => updated.length === 0)) throw new NotAMemberError();
    const bySeq = new Map(inserted.map((message) => [`${message.conversationId}:${message.seq}`, message]));
    return rows.map((row) => bySeq.get(`${row.conversationId}:${row.seq}`)!);
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

/** What a send needs to know, in one round trip: the conversation, the sender's membership, and blocks. */
export async function selectSendContext({ db, conversationId, senderId }: { db: Database; conversationId: string; senderId: string }) {
  const [row] = await db
    .select({
      kind: conversations.kind,
      directKey: conversations.directKey,
      memberCount: conversations.memberCount,
      isMember: sql<boolean>`${conversationMembers.userId} is not null and ${conversationMembers.leftSeq} is null`,
      blockedByPeer: sql<boolean>`${conversations.kind} = 'direct' and exists (
        select 1 from ${blocks} where ${blocks.blockedId} = ${senderId}
          and ${blocks.blockerId}::text = any(string_to_array(${conversations.directKey}, ':')))`,
    })
    .from(conversations)
    .leftJoin(conversationMembers, and(eq(conversationMembers.conversationId, conversations.id), eq(conversationMembers.userId, senderId)))
    .where(eq(conversations.id, conversationId))
    .limit(1);
  return row ?? null;
}

/** Of the given users, those who are current members of the conversation. */
export async function selectActiveMembers({ db, conversationId, userIds }: { db: Database; conversationId: string; userIds: string[] }) {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ userId: conversationMembers.userId })
    .from(conversationMembers)
    .where(
      and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.userId, userIds), isNull(conversationMembers.leftSeq)),
    );
  return rows.map((row) => row.userId);
}

/**
 * Keyset page of messages strictly between afterSeq and beforeSeq: the oldest first (catching up) or the
 * newest first (paging back through history). Never OFFSET: an index range scan on the primary key.
 */
export async function selectMessageRange({
  db,
  conversationId,
  afterSeq,
  beforeSeq,
  ascending,
  limit,
}: {
  db: Database;
  conversationId: string;
  afterSeq: number;
  beforeSeq?: number;
  ascending: boolean;
  limit: number;
}): Promise<Message[]> {
  const range = and(
    eq(messages.conversationId, conversationId),
    gt(messages.seq, afterSeq),
    beforeSeq === undefined ? undefined : lt(messages.seq, beforeSeq),
  );
  return db
    .select()
    .from(messages)
    .where(range)
    .orderBy(ascending ? asc(messages.seq) : desc(messages.seq))
    .limit(limit);
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

export async function selectMessage({ db, conversationId, seq }: { db: Database; conversationId: string; seq: number }) {
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.seq, seq)))
    .limit(1);
  return message ?? null;
}

export type MessageChange = { kind: "recall" } | { kind: "edit"; body: string };

/**
 * Recalls or edits one of the sender's own text messages while it is younger than `windowSeconds`. The
 * conversation's modVersion is bumped and stamped on the message in the same transaction, so devices that
 * were offline pull every change after their last version. Returns null when nothing qualified.
 */
export async function modifyOwnMessage({
  db,
  conversationId,
  seq,
  senderId,
  windowSeconds,
  change,
}: {
  db: Database;
  conversationId: string;
  seq: number;
  senderId: string;
  windowSeconds: number;
  change: MessageChange;
}): Promise<Message | null> {
  class NothingToChange extends Error {}
  try {
    return await db.transaction(async (tx) => {
      const [version] = await tx
        .update(conversations)
        .set({ modVersion: sql`${conversations.modVersion} + 1`, modifiedAt: sql`clock_timestamp()` })
        .where(eq(conversations.id, conversationId))
        .returning({ modVersion: conversations.modVersion });
      if (!version) throw new NothingToChange();
      const values =
        change.kind === "recall"
          ? // The content is erased from storage, not hidden.
            { body: "", mentions: null, recalledAt: sql`clock_timestamp()`, modVersion: version.modVersion }
          : { body: change.body, editedAt: sql`clock_timestamp()`, modVersion: version.modVersion };
      const [message] = await tx
        .update(messages)
        .set(values)
        .where(
          and(
            eq(messages.conversationId, conversationId),
            eq(messages.seq, seq),
            eq(messages.senderId, senderId),
            eq(messages.kind, "text"),
            isNull(messages.recalledAt),
            gt(messages.createdAt, sql`clock_timestamp() - make_interval(secs => ${windowSeconds})`),
          ),
        )
        .returning();
      if (!message) throw new NothingToChange();
      return message;
    });
  } catch (error) {
    if (error instanceof NothingToChange) return null;
    throw error;
  }
}

/** Messages recalled or edited after `afterVersion`, oldest change first. */
export async function selectModifiedMessages({
  db,
  conversationId,
  afterVersion,
  limit,
}: {
  db: Database;
  conversationId: string;
  afterVersion: number;
  limit: number;
}): Promise<Message[]> {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), gt(messages.modVersion, afterVersion)))
    .orderBy(asc(messages.modVersion))
    .limit(limit);
}
