import { conversationId, userId } from "./lib/ids";
import type { Sender } from "./load/protocol";

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

/**
 * Open-loop workers emit to their senders in turn, all from the same moment. Each worker starts its turn
 * at a different point of its list (worker w at w/W of it), so the two members of a conversation, who are
 * on different workers, do not send at the same instant: users send independently of each other. Lined
 * up, their two sends met in one batch on one instance, and raced for the conversation's row from two.
 */
export function staggerTurns(sendersByWorker: Sender[][]): Sender[][] {
  return sendersByWorker.map((senders, worker) => {
    const shift = Math.floor((senders.length * worker) / sendersByWorker.length);
    return [...senders.slice(shift), ...senders.slice(0, shift)];
  });
}
