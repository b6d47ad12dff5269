import { z } from "zod";
import type { Database } from "../../db";
import { selectMemberPage } from "../../db/queries/message-pages";
import { insertHiddenMessage, selectMessage } from "../../db/queries/messages";
import { MAX_MESSAGE_LENGTH, type JsonBytes, type MessageDto, type MessagePage } from "../../lib/socket-events";
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
 * The one send path (socket and HTTP): validate, then hand the send to the group commit, which checks
 * membership, blocks and retries in the same transaction that stores it, and only then report success.
 * A retried send (same sender and client message id) returns the original message with its seq.
 */
export async function sendMessage({ db, senderId, input }: { db: Database; senderId: string; input: unknown }): Promise<SentMessage> {
  const { conversationId, clientMsgId, body, mentions } = parseInput(sendMessageSchema, input);
  const outcome = await sendBatcherFor(db).submit({
    conversationId,
    senderId,
    clientMsgId,
    body,
    mentions: [...new Set(mentions)].filter((id) => id !== senderId),
  });
  switch (outcome.status) {
    case "not_member":
      throw new AppError("forbidden:conversation", "You are not a member of this conversation");
    case "blocked":
      throw new AppError("forbidden:blocked", "This person is not accepting your messages");
    case "client_id_taken":
      throw new AppError("conflict:client_msg_id", "This client message id was already used in another conversation");
    default:
      return { message: toMessageDto(outcome.message), duplicate: outcome.status === "replay", audience: conversationAudience(outcome.conversation) };
  }
}

const MAX_PAGE = 200;
const pageLimit = z.number().int().min(1).max(MAX_PAGE).default(50);
const sinceSchema = z.object({ conversationId: conversationIdSchema, afterSeq: z.number().int().min(0), limit: pageLimit });
const historySchema = z.object({ conversationId: conversationIdSchema, beforeSeq: z.number().int().min(1).optional(), limit: pageLimit });

/** A member's page as the client wants it (ascending, without what they deleted for themselves), in JSON text. */
async function readPage(query: Parameters<typeof selectMemberPage>[0]): Promise<JsonBytes<MessagePage>> {
  const page = await selectMemberPage(query);
  if (page === null) throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  return page;
}

/** Pull for truth: every message after `afterSeq` that this member (or former member) may see, in seq order. */
export async function messagesSince({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<JsonBytes<MessagePage>> {
  const { conversationId, afterSeq, limit } = parseInput(sinceSchema, input);
  return readPage({ db, userId, conversationId, direction: "forward", afterSeq, limit });
}

/** History, newest page first: keyset on seq, so page 1,000 costs what page 1 costs. */
export async function messageHistory({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<JsonBytes<MessagePage>> {
  const { conversationId, beforeSeq, limit } = parseInput(historySchema, input);
  return readPage({ db, userId, conversationId, direction: "backward", beforeSeq, limit });
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
