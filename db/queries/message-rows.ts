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
