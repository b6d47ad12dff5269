import type { Message } from "../schema";

/** A `messages` row as hand-written SQL returns it (bigints as text), every column nullable for outer joins. */
export interface MessageColumns {
  conversation_id: string | null;
  seq: string | null;
  id: string;
  sender_id: string;
  client_msg_id: string;
  kind: Message["kind"];
  body: string;
  mentions: string[] | null;
  meta: Message["meta"];
  /** Strings where Drizzle has set the driver's date parsing aside (postgres.js), Dates elsewhere. */
  created_at: Date | string;
  recalled_at: Date | string | null;
  edited_at: Date | string | null;
  mod_version: string;
}

/** The select list that produces MessageColumns from a `messages` row aliased `alias`. */
export function messageColumnsOf(alias: string) {
  return ["conversation_id", "seq::text as seq", "id", "sender_id", "client_msg_id", "kind", "body", "mentions", "meta", "created_at", "recalled_at", "edited_at", "mod_version::text as mod_version"]
    .map((column) => `${alias}.${column}`)
    .join(", ");
}

/** Null when the outer join found no message. */
export function messageFromColumns(row: MessageColumns): Message | null {
  if (row.seq === null) return null;
  return {
    conversationId: row.conversation_id!,
    seq: Number(row.seq),
    id: row.id,
    senderId: row.sender_id,
    clientMsgId: row.client_msg_id,
    kind: row.kind,
    body: row.body,
    mentions: row.mentions,
    meta: row.meta,
    createdAt: new Date(row.created_at),
    recalledAt: row.recalled_at === null ? null : new Date(row.recalled_at),
    editedAt: row.edited_at === null ? null : new Date(row.edited_at),
    modVersion: Number(row.mod_version),
  };
}

/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it (both truncate microseconds). */
const isoOf = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The select list that gives, from a `messages` row aliased `alias`, the columns of the object
 * `toMessageDto` (server/services/dto.ts) builds, under its field names: a row of it turned to JSON (by
 * `json_agg`, say) is that object in JSON text (tests/message-pages.test.ts holds the two to the same
 * output).
 */
export function messageDtoColumnsOf(alias: string) {
  const column = (name: string) => `${alias}.${name}`;
  return `${column("id")} as "id", ${column("conversation_id")} as "conversationId", ${column("seq")} as "seq",
    ${column("sender_id")} as "senderId", ${column("client_msg_id")} as "clientMsgId", ${column("kind")} as "kind",
    ${column("body")} as "body", coalesce(${column("mentions")}, '{}') as "mentions", ${column("meta")} as "meta",
    ${isoOf(column("created_at"))} as "createdAt", ${isoOf(column("recalled_at"))} as "recalledAt",
    ${isoOf(column("edited_at"))} as "editedAt", ${column("mod_version")} as "modVersion"`;
}
