// Types only: the wire contract shared by the Socket.IO gateway, the HTTP API and the browser client.

export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export type MessageKind = "text" | "system";

export interface MessageDto {
  id: string;
  conversationId: string;
  /** Per-conversation, gap-free, assigned in the commit. The order every device shows. */
  seq: number;
  senderId: string;
  clientMsgId: string;
  kind: MessageKind;
  body: string;
  createdAt: string;
}

export type ConversationKind = "direct" | "group";

/** One entry of a user's conversation list (seed 000's "recent contacts"), from that user's point of view. */
export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** Peer's display name (direct) or the group's name. */
  title: string;
  avatarUrl: string | null;
  /** The other member of a direct conversation. */
  peer: UserDto | null;
  lastSeq: number;
  lastMessage: MessageDto | null;
  lastMessageAt: string | null;
  /** My read position. Unread = lastSeq - lastReadSeq (own sends advance it), never a stored counter. */
  lastReadSeq: number;
  unreadCount: number;
  /** Direct only: how far the peer's devices have received / the peer has read (for Delivered / Read). */
  peerLastDeliveredSeq: number;
  peerLastReadSeq: number;
  muted: boolean;
  pinned: boolean;
  /** Direct only: I blocked the peer. */
  blockedByMe: boolean;
  /** Messages at or below this seq are cleared for me (not shown, not fetched). */
  clearedSeq: number;
}

export interface ConversationListSync {
  conversations: ConversationSummary[];
  /** Pass back as `since` to get only what changed afterwards. */
  cursor: string;
  totalUnread: number;
}

export interface MessagePage {
  /** Ascending by seq. Messages I deleted for me, or cleared, are left out. */
  messages: MessageDto[];
  /** Seqs inside this page's range that I deleted for me: known, not gaps. */
  hiddenSeqs: number[];
  /** More messages beyond this page (older for history, newer for since). */
  hasMore: boolean;
}

export interface ReadState {
  conversationId: string;
  userId: string;
  lastReadSeq: number;
  lastDeliveredSeq: number;
}

export interface AckError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: AckError };

type Ack<T> = (result: AckResult<T>) => void;

export interface SendMessageInput {
  conversationId: string;
  /** Client-generated (UUID); a retried send with the same id returns the original message. */
  clientMsgId: string;
  body: string;
}

export interface ServerToClientEvents {
  /** Sent once the handshake is accepted and the socket joined its user room. */
  "session:ready": (payload: { user: UserDto }) => void;
  /** A committed message, to every member's room (the sender's other tabs included). */
  "message:new": (message: MessageDto) => void;
  /** A member's read/delivered position moved, to every member's room (badges, receipts). */
  "conversation:read-state": (state: ReadState) => void;
  /** A conversation's list entry changed for this user (created, muted, pinned, blocked…): refetch or merge. */
  "conversation:changed": (summary: ConversationSummary) => void;
  /** I deleted a message for me on another device. */
  "message:hidden": (payload: { conversationId: string; seq: number }) => void;
}

export interface ClientToServerEvents {
  "session:whoami": (ack: Ack<{ user: UserDto }>) => void;
  "message:send": (input: SendMessageInput, ack: Ack<{ message: MessageDto }>) => void;
  /** Pull: messages with seq > afterSeq, ascending, at most `limit` (gap repair and reconnect catch-up). */
  "messages:since": (input: { conversationId: string; afterSeq: number; limit?: number }, ack: Ack<MessagePage>) => void;
  /** History: the page just before `beforeSeq` (or the newest page), keyset by seq, ascending within the page. */
  "messages:history": (input: { conversationId: string; beforeSeq?: number; limit?: number }, ack: Ack<MessagePage>) => void;
  /** The conversation list: everything, or what changed since a previous cursor. */
  "conversations:sync": (input: { since?: string }, ack: Ack<ConversationListSync>) => void;
  /** Opens (creating at most once per pair) the one-to-one conversation with a user. */
  "conversations:open-direct": (input: { userId: string }, ack: Ack<{ conversation: ConversationSummary }>) => void;
  /** Moves my read position forward (never back) to `seq`. */
  "conversation:read": (input: { conversationId: string; seq: number }, ack: Ack<ReadState>) => void;
  /** A device of mine received messages up to `seq`. */
  "conversation:delivered": (input: { conversationId: string; seq: number }, ack: Ack<ReadState>) => void;
  "message:delete-for-me": (input: { conversationId: string; seq: number }, ack: Ack<{ conversationId: string; seq: number }>) => void;
  "users:search": (input: { query: string }, ack: Ack<{ users: UserDto[] }>) => void;
  "users:block": (input: { userId: string; blocked: boolean }, ack: Ack<{ userId: string; blocked: boolean }>) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserDto;
}

export const userRoom = (userId: string) => `user:${userId}`;

export const MAX_MESSAGE_LENGTH = 4_000;
