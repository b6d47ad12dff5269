import { conversationId, userId } from "./lib/ids";

/**
 * Which numbered users and conversations each scenario uses (ids are derived from these numbers and the
 * run's nonce, see lib/ids.ts). Ranges never overlap, so scenarios cannot disturb each other's seqs.
 */
export const LAYOUT = {
  /** Scenario 1, 2, 4: pair p (from 0) is users CHAT_USER + 2p and + 2p + 1 in conversation CHAT_CONVERSATION + p. */
  chatUser: 1,
  chatConversation: 1,
  /** Scenario 4: every chat user is a member of this group. */
  groupConversation: 90_000,
  /** Scenario 5: its own pairs, so its seqs start at 1. */
  crossUser: 50_001,
  crossConversation: 50_001,
  /** Scenario 3: users with no conversations. */
  idleUser: 100_001,
  /** pgbench's own pairs (same tables and indexes, its own rows). */
  pgbenchUser: 200_001,
  pgbenchConversation: 200_001,
  /** Scenario 6: list users and their conversations, and the bulk-seeded messages. */
  historyUser: 300_001,
  historyConversation: 300_001,
} as const;

export interface Pair {
  conversationId: string;
  a: string;
  b: string;
}

export function pairs(nonce: string, count: number, firstUser: number, firstConversation: number): Pair[] {
  return Array.from({ length: count }, (_, p) => ({
    conversationId: conversationId(nonce, firstConversation + p),
    a: userId(nonce, firstUser + 2 * p),
    b: userId(nonce, firstUser + 2 * p + 1),
  }));
}
