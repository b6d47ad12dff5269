import { randomBytes } from "node:crypto";
import { closeDatabase, openDatabase, type Database } from "../../db";

/**
 * The database the integration tests run on: the real Postgres named by DATABASE_URL (CI), or an
 * in-memory PGlite otherwise. Migrations run exactly as at server start.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  return openDatabase(url ? { kind: "postgres", url, maxConnections: 5 } : { kind: "pglite", dataDir: null });
}

export { closeDatabase as closeTestDatabase };

/** Usernames unique across runs sharing one database. */
export function uniqueUsername(prefix = "user"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}
