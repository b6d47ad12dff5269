/**
 * Who an event is for, without naming sockets. One-to-one conversations reach the two members' user
 * rooms; groups reach one conversation room, so a 5,000-member group costs one broadcast, not 5,000 emits.
 */
export type Audience = { userIds: string[] } | { conversationId: string };

export function conversationAudience(conversation: { id: string; kind: "direct" | "group"; directKey: string | null }): Audience {
  if (conversation.kind === "direct" && conversation.directKey) return { userIds: conversation.directKey.split(":") };
  return { conversationId: conversation.id };
}

/** Seed 004's size tiers. */
export const GROUP_TIERS = {
  /** Above this many members, typing indicators are not broadcast. */
  typingBroadcastMax: 100,
  /** Above this many members, per-member read receipts are not offered (only your own position is kept). */
  receiptsMax: 1_000,
} as const;
