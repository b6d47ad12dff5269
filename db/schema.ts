import { sql } from "drizzle-orm";
import type { SystemEvent } from "../lib/socket-events";
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    avatarUrl: text("avatar_url"),
    passwordHash: text("password_hash").notNull(),
    /** When the user's last device disconnected (presence "Last seen"). */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    /** Global do-not-disturb, optionally until a time. */
    dndEnabled: boolean("dnd_enabled").notNull().default(false),
    dndUntil: timestamp("dnd_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [uniqueIndex("users_username_key").on(table.username)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
/** A user as other people may see them. */
export type PublicUser = Pick<User, "id" | "username" | "displayName" | "avatarUrl">;

export const conversationKinds = ["direct", "group"] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: conversationKinds }).notNull(),
    /** Direct only: "<smaller user id>:<larger user id>", unique, so a pair has exactly one conversation. */
    directKey: text("direct_key"),
    title: text("title"),
    avatarUrl: text("avatar_url"),
    announcement: text("announcement"),
    /** The highest seq assigned; bumped in the same transaction that inserts the message. */
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }),
    /** Bumped by every recall or edit; messages carry the version that last changed them (sync of changes). */
    modVersion: bigint("mod_version", { mode: "number" }).notNull().default(0),
    /** When a message was last recalled or edited: list sync returns the conversation after it. */
    modifiedAt: timestamp("modified_at", { withTimezone: true }),
    /** Current members; decides the large-group tiers without counting rows. */
    memberCount: integer("member_count").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [uniqueIndex("conversations_direct_key_key").on(table.directKey)],
);

export type Conversation = typeof conversations.$inferSelect;

export const memberRoles = ["owner", "admin", "member"] as const;

/** Seed 000's recent-contacts table and seed 004's per-user conversation state; keyed by user first. */
export const conversationMembers = pgTable(
  "conversation_members",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id),
    role: text("role", { enum: memberRoles }).notNull().default("member"),
    joinedSeq: bigint("joined_seq", { mode: "number" }).notNull().default(0),
    lastReadSeq: bigint("last_read_seq", { mode: "number" }).notNull().default(0),
    lastDeliveredSeq: bigint("last_delivered_seq", { mode: "number" }).notNull().default(0),
    clearedSeq: bigint("cleared_seq", { mode: "number" }).notNull().default(0),
    /** Set when the member left or was removed: they keep history up to here and nothing after. */
    leftSeq: bigint("left_seq", { mode: "number" }),
    /** The latest seq that @mentioned this member; the conversation shows "Mentioned" while it is unread. */
    mentionSeq: bigint("mention_seq", { mode: "number" }).notNull().default(0),
    muted: boolean("muted").notNull().default(false),
    pinned: boolean("pinned").notNull().default(false),
    /** Bumped when this member's own state changes, so list sync can return only what changed. */
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.conversationId] }),
    index("conversation_members_conversation_idx").on(table.conversationId),
  ],
);

export type ConversationMember = typeof conversationMembers.$inferSelect;

export const messageKinds = ["text", "system"] as const;

export type { SystemEvent };

export const messages = pgTable(
  "messages",
  {
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    id: uuid("id").notNull().defaultRandom(),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id),
    clientMsgId: text("client_msg_id").notNull(),
    kind: text("kind", { enum: messageKinds }).notNull().default("text"),
    body: text("body").notNull(),
    /** User ids @mentioned by a text message. */
    mentions: uuid("mentions").array(),
    /** System messages: what happened, for clients to render in their own words. */
    meta: jsonb("meta").$type<SystemEvent>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
    recalledAt: timestamp("recalled_at", { withTimezone: true }),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    /** The conversation's modVersion when this message was last recalled or edited; 0 if never. */
    modVersion: bigint("mod_version", { mode: "number" }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.seq] }),
    index("messages_modified_idx").on(table.conversationId, table.modVersion).where(sql`${table.modVersion} > 0`),
    uniqueIndex("messages_sender_client_msg_key").on(table.senderId, table.clientMsgId),
  ],
);

export type Message = typeof messages.$inferSelect;

/** Delete-for-me (seed 000: the other side keeps its copy). */
export const hiddenMessages = pgTable(
  "hidden_messages",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    conversationId: uuid("conversation_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [primaryKey({ columns: [table.userId, table.conversationId, table.seq] })],
);

/** Seed 002's "refuse letters from this sender". */
export const blocks = pgTable(
  "blocks",
  {
    blockerId: uuid("blocker_id")
      .notNull()
      .references(() => users.id),
    blockedId: uuid("blocked_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [primaryKey({ columns: [table.blockerId, table.blockedId] })],
);

/**
 * Web Push subscriptions: one per browser (service worker registration) of a user. Keyed by user first
 * like every per-user table; the endpoint index lets a browser that changes hands move to its new user.
 */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The push service URL for this browser; a capability, so it is never logged in full. */
    endpoint: text("endpoint").notNull(),
    /** The browser's ECDH P-256 public key and auth secret (base64url), for payload encryption. */
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    /** Show only "New message", never the content, on this device's lock screen. */
    privatePreviews: boolean("private_previews").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.endpoint] }), index("push_subscriptions_endpoint_idx").on(table.endpoint)],
);

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
