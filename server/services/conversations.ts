import { z } from "zod";
import type { Database } from "../../db";
import {
  advanceMemberPosition,
  findMembership,
  selectConversationList,
  upsertDirectConversation,
  type Membership,
} from "../../db/queries/conversations";
import { findUserById } from "../../db/queries/users";
import { parseJsonBytes, type ConversationListSync, type ConversationSummary, type JsonBytes, type ReadState } from "../../lib/socket-events";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { conversationAudience, GROUP_TIERS, type Audience } from "./audience";

export const conversationIdSchema = z.uuid("conversationId must be a conversation id");
const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** How far back a list cursor reaches, so a commit racing the cursor's clock is never missed. */
const CURSOR_SAFETY_MS = 30_000;

/**
 * The caller's membership, or `forbidden:conversation`. Former members (left or removed) pass only where
 * `allowFormer` is set: reading the history they had, up to their `leftSeq`.
 */
export async function requireMembership({
  db,
  userId,
  conversationId,
  allowFormer = false,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  allowFormer?: boolean;
}): Promise<Membership> {
  const membership = await findMembership({ db, userId, conversationId });
  if (!membership || (membership.leftSeq !== null && !allowFormer)) {
    throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  }
  return membership;
}

export async function getConversationSummary({ db, userId, conversationId }: { db: Database; userId: string; conversationId: string }): Promise<ConversationSummary> {
  const list = await selectConversationList({ db, userId, conversationId, receiptsMax: GROUP_TIERS.receiptsMax });
  const [summary] = parseJsonBytes(list).conversations;
  if (!summary) throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  return summary;
}

const syncSchema = z.object({ since: z.iso.datetime({ offset: true }).optional() });

/**
 * The conversation list, or the entries changed since a cursor from an earlier call (the unread total
 * always covers every conversation), as the JSON Postgres wrote (db/queries/conversations.ts).
 */
export async function syncConversationList({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<JsonBytes<ConversationListSync>> {
  const { since } = parseInput(syncSchema, input ?? {});
  const cursor = new Date().toISOString();
  const changedSince = since ? new Date(new Date(since).getTime() - CURSOR_SAFETY_MS) : undefined;
  return selectConversationList({ db, userId, changedSince, cursor, receiptsMax: GROUP_TIERS.receiptsMax });
}

const openDirectSchema = z.object({ userId: z.uuid("userId must be a user id") });

/** Opens the one-to-one conversation with a user, creating it (exactly once per pair) if needed. */
export async function openDirectConversation({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { userId: peerId } = parseInput(openDirectSchema, input);
  if (peerId === userId) throw new AppError("bad_request:self", "You cannot start a conversation with yourself");
  if (!(await findUserById({ db, id: peerId }))) throw new AppError("not_found:user", "No such user");
  const { conversationId, created } = await upsertDirectConversation({ db, userId, peerId });
  const conversation = await getConversationSummary({ db, userId, conversationId });
  return { conversation, created, memberIds: [userId, peerId] };
}

const positionSchema = z.object({ conversationId: conversationIdSchema, seq: seqSchema });

/**
 * Moves my read (or delivered) position forward. Every member learns it (badges on my other devices,
 * Delivered/Read for senders), except in groups above the receipts tier, where only my devices do.
 */
export async function advancePosition({
  db,
  userId,
  input,
  kind,
}: {
  db: Database;
  userId: string;
  input: unknown;
  kind: "read" | "delivered";
}): Promise<{ state: ReadState; audience: Audience }> {
  const { conversationId, seq } = parseInput(positionSchema, input);
  const { conversation } = await requireMembership({ db, userId, conversationId });
  const position = await advanceMemberPosition({
    db,
    userId,
    conversationId,
    seq,
    column: kind === "read" ? "lastReadSeq" : "lastDeliveredSeq",
  });
  if (!position) throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  const audience = conversation.memberCount > GROUP_TIERS.receiptsMax ? { userIds: [userId] } : conversationAudience(conversation);
  return { state: { conversationId, userId, ...position }, audience };
}
