import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../index";
import { conversationMembers, conversations, hiddenMessages, messages, type Message, type SystemEvent } from "../schema";

/** The conversation is gone. */
export class ConversationNotFoundError extends Error {}

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
  if (!bumped) throw new ConversationNotFoundError();
  const [message] = await tx
    .insert(messages)
    .values({ ...values, seq: bumped.seq, kind: values.kind ?? "text" })
    .onConflictDoNothing({ target: [messages.senderId, messages.clientMsgId] })
    .returning();
  return message ?? null;
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
