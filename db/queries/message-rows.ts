/** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it (both truncate microseconds). */
export const isoOf = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
