import { randomBytes } from "node:crypto";

/**
 * Seeded rows get ids derived from a number and a per-run nonce, so the orchestrator, the load workers
 * and pgbench scripts can all name user 17 or conversation 42 without looking anything up, and two runs
 * sharing one Redis never share a room name. Valid RFC 9562 v4 layout (zod's uuid check accepts them).
 */
export function newRunNonce(): string {
  return randomBytes(4).toString("hex");
}

const pad = (n: number) => String(n).padStart(12, "0");

export function userId(nonce: string, n: number): string {
  return `${nonce}-0000-4000-8000-${pad(n)}`;
}

export function conversationId(nonce: string, n: number): string {
  return `${nonce}-0000-4000-9000-${pad(n)}`;
}

/** SQL expressions building the same ids from an integer expression (for generate_series and pgbench). */
export function userIdSql(nonceSql: string, nSql: string): string {
  return `(${nonceSql} || '-0000-4000-8000-' || lpad((${nSql})::text, 12, '0'))::uuid`;
}

export function conversationIdSql(nonceSql: string, nSql: string): string {
  return `(${nonceSql} || '-0000-4000-9000-' || lpad((${nSql})::text, 12, '0'))::uuid`;
}
