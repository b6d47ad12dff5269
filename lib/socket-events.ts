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
  /** Recalled by the sender: the content is gone; show "<name> recalled a message". */
  recalledAt: string | null;
  editedAt: string | null;
  /** The conversation's change version that last recalled or edited this message (0: never changed). */
  modVersion: number;
}

export type MemberRole = "owner" | "admin" | "member";

export type SystemEvent =
  | { type: "group_created"; actorId: string; title: string }
  | { type: "members_added"; actorId: string; userIds: string[] }
  | { type: "member_removed"; actorId: string; userId: string }
  | { type: "member_left"; actorId: string }
  | { type: "role_changed"; actorId: string; userId: string; role: MemberRole }
  | { type: "group_updated"; actorId: string; fields: Array<"title" | "avatarUrl" | "announcement">; title?: string };

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
  /** Bumped by every recall/edit; when it is above what a device has seen, pull `messages:modified`. */
  modVersion: number;
}

export interface ConversationListSync {
  /** Every conversation (or every one changed since the cursor), unordered: clients sort the list. */
  conversations: ConversationSummary[];
  /** Pass back as `since` to get only what changed afterwards. */
  cursor: string;
  totalUnread: number;
}

/**
 * A `T` as UTF-8 JSON bytes, sent as a binary attachment. Long answers (message pages, the conversation
 * list) are written as JSON by Postgres and passed through as the bytes it sent, never built as strings
 * or objects on the server. Browsers receive an ArrayBuffer, Node clients a Buffer; `parseJsonBytes`
 * reads either.
 */
export type JsonBytes<T> = (ArrayBuffer | Uint8Array) & { readonly __jsonOf?: T };

const utf8 = new TextDecoder();
export const parseJsonBytes = <T>(bytes: JsonBytes<T>): T => JSON.parse(utf8.decode(bytes)) as T;

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

export type PresenceStatus = "online" | "away" | "offline";

export interface Presence {
  userId: string;
  status: PresenceStatus;
  /** When the last device disconnected; null while connected, or if never seen. */
  lastSeenAt: string | null;
}

export interface DndSettings {
  enabled: boolean;
  /** Optional end time; null means until switched off. */
  until: string | null;
  /** Enabled and not yet past `until`. */
  active?: boolean;
}

export interface TypingState {
  conversationId: string;
  userId: string;
  typing: boolean;
  /** Clients drop the indicator after this long unless it is refreshed: it can never get stuck. */
  expiresInMs: number;
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

/** A browser push subscription as `PushSubscription.toJSON()` gives it (keys are URL-safe base64). */
export interface WebPushSubscriptionInput {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
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
  /** A message was recalled or edited (every member's devices; offline ones pull `messages:modified`). */
  "message:updated": (message: MessageDto) => void;
  /** Pushes may have been lost (e.g. the instances' Redis link was down): pull the list and open conversations now. */
  "sync:required": () => void;
  /** Someone in the conversation started or stopped typing (not broadcast in groups above 100 members). */
  typing: (state: TypingState) => void;
  /** A user I subscribed to (someone I share a conversation with) changed presence. */
  presence: (presence: Presence) => void;
  /** My do-not-disturb changed on another device. */
  "settings:changed": (settings: { dnd: DndSettings }) => void;
  /** I deleted a message for me on another device. */
  "message:hidden": (payload: { conversationId: string; seq: number }) => void;
}

export interface ClientToServerEvents {
  "session:whoami": (ack: Ack<{ user: UserDto }>) => void;
  "message:send": (input: SendMessageInput, ack: Ack<{ message: MessageDto }>) => void;
  /** Pull: messages with seq > afterSeq, ascending, at most `limit` (gap repair and reconnect catch-up). */
  "messages:since": (input: { conversationId: string; afterSeq: number; limit?: number }, ack: Ack<JsonBytes<MessagePage>>) => void;
  /** History: the page just before `beforeSeq` (or the newest page), keyset by seq, ascending within the page. */
  "messages:history": (input: { conversationId: string; beforeSeq?: number; limit?: number }, ack: Ack<JsonBytes<MessagePage>>) => void;
  /** The conversation list: everything, or what changed since a previous cursor. */
  "conversations:sync": (input: { since?: string }, ack: Ack<JsonBytes<ConversationListSync>>) => void;
  /** Opens (creating at most once per pair) the one-to-one conversation with a user. */
  "conversations:open-direct": (input: { userId: string }, ack: Ack<{ conversation: ConversationSummary }>) => void;
  /** Moves my read position forward (never back) to `seq`. */
  "conversation:read": (input: { conversationId: string; seq: number }, ack: Ack<ReadState>) => void;
  /** A device of mine received messages up to `seq`. */
  "conversation:delivered": (input: { conversationId: string; seq: number }, ack: Ack<ReadState>) => void;
  /** The sender withdraws their own message within the recall window (2 minutes by default). */
  "message:recall": (input: { conversationId: string; seq: number }, ack: Ack<{ message: MessageDto }>) => void;
  /** The sender edits their own text message within the edit window (15 minutes by default). */
  "message:edit": (input: { conversationId: string; seq: number; body: string }, ack: Ack<{ message: MessageDto }>) => void;
  /** Pull: messages recalled or edited after `afterVersion`, in change order. */
  "messages:modified": (
    input: { conversationId: string; afterVersion: number; limit?: number },
    /** `lastVersion`: the version this page reached (pass it as the next `afterVersion`). */
    ack: Ack<{ messages: MessageDto[]; hasMore: boolean; lastVersion: number }>,
  ) => void;
  /** Throttle on the client: send `typing: true` at most every few seconds while typing, `false` on stop/send. */
  typing: (input: { conversationId: string; typing: boolean }, ack: Ack<{ broadcast: boolean }>) => void;
  /** This tab became visible or hidden (all tabs hidden → Away). */
  "presence:visibility": (input: { visible: boolean }, ack: Ack<{ status: PresenceStatus }>) => void;
  /** Follow the presence of people I share a conversation with (others are ignored); returns their current state. */
  "presence:subscribe": (input: { userIds: string[] }, ack: Ack<{ presences: Presence[] }>) => void;
  /** Mute (not in the total badge, no notifications) and pin, on all my devices. */
  "conversation:settings": (
    input: { conversationId: string; muted?: boolean; pinned?: boolean },
    ack: Ack<{ conversation: ConversationSummary }>,
  ) => void;
  "settings:get": (ack: Ack<{ dnd: DndSettings }>) => void;
  /** Global do-not-disturb, optionally until a time. */
  "settings:dnd": (input: { enabled: boolean; until?: string | null }, ack: Ack<{ dnd: DndSettings }>) => void;
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
  /** Web Push: the server's VAPID public key (URL-safe base64), the applicationServerKey for pushManager.subscribe. */
  "push:public-key": (ack: Ack<{ publicKey: string }>) => void;
  /** Stores this browser's subscription for me (re-sending updates it); privatePreviews: notifications say only "New message". */
  "push:subscribe": (
    input: { subscription: WebPushSubscriptionInput; privatePreviews?: boolean },
    ack: Ack<{ endpoint: string; privatePreviews: boolean }>,
  ) => void;
  /** Turning notifications off (or signing out) on this browser. */
  "push:unsubscribe": (input: { endpoint: string }, ack: Ack<{ endpoint: string; removed: boolean }>) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserDto;
}

export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** Sockets following a user's presence. */
export const presenceRoom = (userId: string) => `presence:${userId}`;

export const MAX_MESSAGE_LENGTH = 4_000;
