import { z } from "zod";
import type { Database } from "../../db";
import { modifyOwnMessage, selectMessage, selectModifiedMessages, type MessageChange } from "../../db/queries/messages";
import { MAX_MESSAGE_LENGTH, type MessageDto } from "../../lib/socket-events";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { conversationAudience, type Audience } from "./audience";
import { conversationIdSchema, requireMembership } from "./conversations";
import { toMessageDto } from "./dto";

export interface MessageWindows {
  recallSeconds: number;
  editSeconds: number;
}

const targetSchema = z.object({ conversationId: conversationIdSchema, seq: z.number().int().min(1) });
const editSchema = targetSchema.extend({
  body: z
    .string({ error: "body must be text" })
    .max(MAX_MESSAGE_LENGTH, `Messages are limited to ${MAX_MESSAGE_LENGTH} characters`)
    .refine((body) => body.trim().length > 0, "A message cannot be empty"),
});

async function changeOwnMessage({
  db,
  userId,
  conversationId,
  seq,
  change,
  windowSeconds,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  seq: number;
  change: MessageChange;
  windowSeconds: number;
}): Promise<{ message: MessageDto; audience: Audience }> {
  const { conversation } = await requireMembership({ db, userId, conversationId });
  const changed = await modifyOwnMessage({ db, conversationId, seq, senderId: userId, windowSeconds, change });
  if (changed) return { message: toMessageDto(changed), audience: conversationAudience(conversation) };

  // Nothing qualified: say precisely why.
  const message = await selectMessage({ db, conversationId, seq });
  const verb = change.kind === "recall" ? "recall" : "edit";
  if (!message) throw new AppError("not_found:message", "No such message");
  if (message.senderId !== userId || message.kind !== "text") throw new AppError(`forbidden:${verb}`, `You can only ${verb} your own messages`);
  if (message.recalledAt) throw new AppError("conflict:recalled", "This message was already recalled");
  const minutes = Math.round(windowSeconds / 60);
  throw new AppError(`forbidden:${verb}_window`, `Messages can only be ${verb}ed within ${minutes} minute${minutes === 1 ? "" : "s"} of sending`);
}

/** Seed 004's 撤回: the sender withdraws a message; its content is erased and every member's devices learn it. */
export async function recallMessage({ db, userId, input, windows }: { db: Database; userId: string; input: unknown; windows: MessageWindows }) {
  const { conversationId, seq } = parseInput(targetSchema, input);
  return changeOwnMessage({ db, userId, conversationId, seq, change: { kind: "recall" }, windowSeconds: windows.recallSeconds });
}

export async function editMessage({ db, userId, input, windows }: { db: Database; userId: string; input: unknown; windows: MessageWindows }) {
  const { conversationId, seq, body } = parseInput(editSchema, input);
  return changeOwnMessage({ db, userId, conversationId, seq, change: { kind: "edit", body }, windowSeconds: windows.editSeconds });
}

const modifiedSchema = z.object({
  conversationId: conversationIdSchema,
  afterVersion: z.number().int().min(0),
  limit: z.number().int().min(1).max(200).default(100),
});

/** Pull for truth, for changes: everything recalled or edited since a device's last known version. */
export async function messagesModifiedSince({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, afterVersion, limit } = parseInput(modifiedSchema, input);
  const membership = await requireMembership({ db, userId, conversationId, allowFormer: true });
  const floor = Math.max(membership.clearedSeq, membership.joinedSeq);
  const ceiling = membership.leftSeq ?? Number.MAX_SAFE_INTEGER;
  const rows = await selectModifiedMessages({ db, conversationId, afterVersion, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const visible = page.filter((message) => message.seq > floor && message.seq <= ceiling);
  return { messages: visible.map(toMessageDto), hasMore: rows.length > limit, lastVersion: page.at(-1)?.modVersion ?? afterVersion };
}
