import { z } from "zod";
import type { Database } from "../../db";
import type { TypingState } from "../../lib/socket-events";
import { parseInput } from "../validation";
import { conversationAudience, GROUP_TIERS, type Audience } from "./audience";
import { conversationIdSchema, requireMembership } from "./conversations";

/** A typing indicator disappears this long after its last refresh, whatever happens to the typist. */
export const TYPING_EXPIRES_MS = 6_000;

const typingSchema = z.object({ conversationId: conversationIdSchema, typing: z.boolean() });

/** Who should see that a member is typing: nobody in groups above the typing tier. */
export async function typingNotice({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, typing } = parseInput(typingSchema, input);
  const { conversation } = await requireMembership({ db, userId, conversationId });
  const state: TypingState = { conversationId, userId, typing, expiresInMs: TYPING_EXPIRES_MS };
  const audience: Audience | null = conversation.memberCount > GROUP_TIERS.typingBroadcastMax ? null : conversationAudience(conversation);
  return { state, audience };
}
