import { z } from "zod";
import type { Database } from "../../db";
import {
  DuplicateClientMessageError,
  findMessageByClientId,
  insertHiddenMessage,
  NotAMemberError,
  selectHiddenSeqs,
  selectMessage,
  selectMessageRange,
  selectActiveMembers,
  selectSendContext,
} from "../../db/queries/messages";
import { MAX_MESSAGE_LENGTH, type MessageDto, type MessagePage } from "../../lib/socket-events";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { conversationAudience, type Audience } from "./audience";
import { sendBatcherFor } from "./send-batcher";
import { conversationIdSchema, requireMembership } from "./conversations";
import { toMessageDto } from "./dto";

export const sendMessageSchema = z.object({
  conversationId: conversationIdSchema,
  mentions: z.array(z.uuid()).max(50, "At most 50 mentions per message").default([]),
  clientMsgId: z.string().trim().min(8, "clientMsgId must be 8-64 characters").max(64, "clientMsgId must be 8-64 characters"),
  body: z
    .string({ error: "body must be text" })
    .max(MAX_MESSAGE_LENGTH, `Messages are limited to ${MAX_MESSAGE_LENGTH} characters`)
    .refine((body) => body.trim().length > 0, "A message cannot be empty"),
});

export interface SentMessage {
  message: MessageDto;
  /** True when this was a retry of an already stored send: nothing new was stored or should be fanned out. */
  duplicate: boolean;
  audience: Audience;
}

/**
 * The one send path (socket and HTTP): validate, authorise, commit, and only then report success. A
 * retried send (same sender and client message id) returns the original message with its seq.
 */
export async function sendMessage({ db, senderId, input }: { db: Database; senderId: string; input: unknown }): Promise<SentMessage> {
  const { conversationId, clientMsgId, body, mentions } = parseInput(sendMessageSchema, input);

  const original = async () => {
    const existing = await findMessageByClientId({ db, senderId, clientMsgId });
    if (!existing) return null;
    if (existing.conversationId !== conversationId) {
      throw new AppError("conflict:client_msg_id", "This client message id was already used in another conversation");
    }
    return existing;
  };

  // Two independent reads, in parallel.
  const [context, replay] = await Promise.all([selectSendContext({ db, conversationId, senderId }), original()]);
  if (!context?.isMember) throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  const audience = conversationAudience({ id: conversationId, ...context });
  if (replay) return { message: toMessageDto(replay), duplicate: true, audience };
  if (context.blockedByPeer) throw new AppError("forbidden:blocked", "This person is not accepting your messages");
  const mentioned = mentions.length
    ? await selectActiveMembers({ db, conversationId, userIds: [...new Set(mentions)].filter((id) => id !== senderId) })
    : [];

  try {
    const message = await sendBatcherFor(db).submit({ conversationId, senderId, clientMsgId, body, mentions: mentioned });
    return { message: toMessageDto(message), duplicate: false, audience };
  } catch (error) {
    if (error instanceof DuplicateClientMessageError) {
      // A concurrent copy of this send committed first.
      const winner = await original();
      if (winner) return { message: toMessageDto(winner), duplicate: true, audience };
    }
    if (error instanceof NotAMemberError) throw new AppError("forbidden:conversation", "You are not a member of this conversation");
    throw error;
  }
}

const MAX_PAGE = 200;
const pageLimit = z.number().int().min(1).max(MAX_PAGE).default(50);
const sinceSchema = z.object({ conversationId: conversationIdSchema, afterSeq: z.number().int().min(0), limit: pageLimit });
const historySchema = z.object({ conversationId: conversationIdSchema, beforeSeq: z.number().int().min(1).optional(), limit: pageLimit });

async function toPage({
  db,
  userId,
  conversationId,
  rows,
  limit,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  rows: Awaited<ReturnType<typeof selectMessageRange>>;
  limit: number;
}): Promise<MessagePage> {
  const page = rows.slice(0, limit).sort((a, b) => a.seq - b.seq);
  const first = page[0];
  const last = page.at(-1);
  const hidden = first && last ? await selectHiddenSeqs({ db, userId, conversationId, fromSeq: first.seq, toSeq: last.seq }) : [];
  const hiddenSet = new Set(hidden);
  return {
    messages: page.filter((message) => !hiddenSet.has(message.seq)).map(toMessageDto),
    hiddenSeqs: hidden,
    hasMore: rows.length > limit,
  };
}

/** Pull for truth: every message after `afterSeq` that this member may see, in seq order. */
export async function messagesSince({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<MessagePage> {
  const { conversationId, afterSeq, limit } = parseInput(sinceSchema, input);
  const membership = await requireMembership({ db, userId, conversationId, allowFormer: true });
  const floor = Math.max(afterSeq, membership.clearedSeq, membership.joinedSeq);
  const ceiling = membership.leftSeq === null ? undefined : membership.leftSeq + 1;
  const rows = await selectMessageRange({ db, conversationId, afterSeq: floor, beforeSeq: ceiling, ascending: true, limit: limit + 1 });
  return toPage({ db, userId, conversationId, rows, limit });
}

/** History, newest page first: keyset on seq, so page 1,000 costs what page 1 costs. */
export async function messageHistory({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<MessagePage> {
  const { conversationId, beforeSeq, limit } = parseInput(historySchema, input);
  const membership = await requireMembership({ db, userId, conversationId, allowFormer: true });
  const floor = Math.max(membership.clearedSeq, membership.joinedSeq);
  const ceiling = (membership.leftSeq ?? membership.conversation.lastSeq) + 1;
  const rows = await selectMessageRange({
    db,
    conversationId,
    afterSeq: floor,
    beforeSeq: Math.min(beforeSeq ?? ceiling, ceiling),
    ascending: false,
    limit: limit + 1,
  });
  return toPage({ db, userId, conversationId, rows, limit });
}

const deleteForMeSchema = z.object({ conversationId: conversationIdSchema, seq: z.number().int().min(1) });

/** Removes a message from my view only (seed 000: the other side keeps its copy). */
export async function deleteMessageForMe({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, seq } = parseInput(deleteForMeSchema, input);
  await requireMembership({ db, userId, conversationId });
  if (!(await selectMessage({ db, conversationId, seq }))) throw new AppError("not_found:message", "No such message");
  await insertHiddenMessage({ db, userId, conversationId, seq });
  return { conversationId, seq };
}
