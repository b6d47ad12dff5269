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
  /** User ids @mentioned by a text message. */
  mentions: string[];
  /** System messages: what happened (rendered by the client in its own words; `body` is an English fallback). */
  meta: SystemEvent | null;
  createdAt: string;
}

export type MemberRole = "owner" | "admin" | "member";

export type SystemEvent =
  | { type: "group_created"; actorId: string; title: string }
  | { type: "members_added"; actorId: string; userIds: string[] }
  | { type: "member_removed"; actorId: string; userId: string }
  | { type: "member_left"; actorId: string }
  | { type: "role_changed"; actorId: string; userId: string; role: MemberRole }
  | { type: "group_updated"; actorId: string; fields: Array<"title" | "avatarUrl" | "announcement"> };

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
  /** Someone @mentioned me in a message I have not read yet. */
  mentioned: boolean;
  memberCount: number;
  myRole: MemberRole;
  /** Groups: the announcement (seed 004). */
  announcement: string | null;
  /** I left or was removed at this seq: history up to it stays readable, nothing after arrives. */
  leftSeq: number | null;
  /** Groups above the receipts tier offer no per-member read receipts. */
  receiptsEnabled: boolean;
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

export interface GroupMemberDto {
  user: UserDto;
  role: MemberRole;
  /** Null above the receipts tier. */
  lastReadSeq: number | null;
}

export interface CreateGroupInput {
  title: string;
  memberIds: string[];
  avatarUrl?: string | null;
  announcement?: string | null;
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
  /** User ids @mentioned in the body; non-members are ignored. */
  mentions?: string[];
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
  "groups:create": (input: CreateGroupInput, ack: Ack<{ conversation: ConversationSummary }>) => void;
  /** Owner/admins: any of title, avatarUrl, announcement. */
  "groups:update": (
    input: { conversationId: string; title?: string; avatarUrl?: string | null; announcement?: string | null },
    ack: Ack<{ conversation: ConversationSummary }>,
  ) => void;
  "groups:add-members": (input: { conversationId: string; userIds: string[] }, ack: Ack<{ added: string[] }>) => void;
  "groups:remove-member": (input: { conversationId: string; userId: string }, ack: Ack<{ removedUserId: string }>) => void;
  /** An owner who leaves hands ownership to the longest-standing admin, or else member. */
  "groups:leave": (input: { conversationId: string }, ack: Ack<{ conversationId: string }>) => void;
  /** Owner only. */
  "groups:set-role": (input: { conversationId: string; userId: string; role: "admin" | "member" }, ack: Ack<{ conversationId: string }>) => void;
  /** Owner only: the target becomes owner, the previous owner an admin. */
  "groups:transfer-ownership": (input: { conversationId: string; userId: string }, ack: Ack<{ conversationId: string }>) => void;
  /** Members only. */
  "groups:members": (input: { conversationId: string }, ack: Ack<{ members: GroupMemberDto[]; receiptsEnabled: boolean }>) => void;
  /** Group receipts: who (other than the sender) has read up to `seq`. */
  "message:readers": (input: { conversationId: string; seq: number }, ack: Ack<{ readers: UserDto[] }>) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserDto;
  /** The rooms the socket joins as it connects: its user room and its groups' rooms. */
  rooms: string[];
}

export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;

export const MAX_MESSAGE_LENGTH = 4_000;
