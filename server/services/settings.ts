import { z } from "zod";
import type { Database } from "../../db";
import { updateMemberSettings } from "../../db/queries/conversations";
import { selectDnd, updateDnd } from "../../db/queries/users";
import type { DndSettings } from "../../lib/socket-events";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { conversationIdSchema, getConversationSummary } from "./conversations";

const conversationSettingsSchema = z
  .object({ conversationId: conversationIdSchema, muted: z.boolean().optional(), pinned: z.boolean().optional() })
  .refine((value) => value.muted !== undefined || value.pinned !== undefined, "Nothing to change");

/** Mute (seed 004 勿扰: no notifications, not in the total badge) and pin (置顶), stored per member. */
export async function updateConversationSettings({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, ...settings } = parseInput(conversationSettingsSchema, input);
  if (!(await updateMemberSettings({ db, userId, conversationId, settings }))) {
    throw new AppError("forbidden:conversation", "You are not a member of this conversation");
  }
  return getConversationSummary({ db, userId, conversationId });
}

/** Do-not-disturb is on while enabled and before its optional end time. */
export function isDndActive(dnd: DndSettings, now = new Date()): boolean {
  return dnd.enabled && (dnd.until === null || new Date(dnd.until) > now);
}

export async function getDnd({ db, userId }: { db: Database; userId: string }): Promise<DndSettings> {
  const row = await selectDnd({ db, userId });
  const dnd = { enabled: row?.enabled ?? false, until: row?.until?.toISOString() ?? null };
  return { ...dnd, active: isDndActive(dnd) };
}

const dndSchema = z.object({
  enabled: z.boolean(),
  until: z.iso.datetime({ offset: true, error: "until must be an ISO date-time" }).nullable().optional().default(null),
});

export async function setDnd({ db, userId, input }: { db: Database; userId: string; input: unknown }): Promise<DndSettings> {
  const { enabled, until } = parseInput(dndSchema, input);
  if (enabled && until && new Date(until) <= new Date()) throw new AppError("bad_request:validation", "The end time must be in the future");
  await updateDnd({ db, userId, enabled, until: enabled && until ? new Date(until) : null });
  return getDnd({ db, userId });
}
