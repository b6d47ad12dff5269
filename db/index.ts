import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";
import { registerPreparedRunner } from "./raw";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseConfig =
  | { kind: "postgres"; url: string; maxConnections?: number }
  | { kind: "pglite"; dataDir: string | null };

interface DatabaseHandle {
  config: DatabaseConfig;
  db: Database;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
/** Serialises migrations when several instances (or test workers) start against one Postgres. */
const MIGRATION_LOCK_KEY = 724_100_001;

async function migrateWithLock(url: string): Promise<void> {
  // One connection, so the session-level lock covers every migration statement.
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(client), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** A Drizzle handle over a postgres.js client, able to run the hot path's prepared statements (db/raw.ts). */
export function postgresDatabase(client: postgres.Sql, logger?: Logger): Database {
  const db = drizzlePostgres(client, { schema, ...(logger ? { logger } : {}) }) as unknown as Database;
  const prepared = (text: string, params: unknown[]) => {
    logger?.logQuery(text, params);
    return client.unsafe(text, params as never[], { prepare: true });
  };
  registerPreparedRunner(db, {
    rows: prepared,
    // Raw rows hold each value as a Buffer over the bytes received: no string is decoded.
    bytes: async (text, params) => ((await prepared(text, params).raw())[0]?.[0] as Buffer | null | undefined) ?? null,
  });
  return db;
}

function open(config: DatabaseConfig): DatabaseHandle {
  if (config.kind === "postgres") {
    const client = postgres(config.url, { max: config.maxConnections ?? 10, onnotice: () => {} });
    return {
      config,
      db: postgresDatabase(client),
      migrate: () => migrateWithLock(config.url),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  // dataDir null means in memory (tests).
  const client = config.dataDir ? new PGlite(config.dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema });
  registerPreparedRunner(db as unknown as Database, {
    rows: async (text, params) => (await client.query(text, params)).rows,
    bytes: async (text, params) => {
      const value = (await client.query<unknown[]>(text, params, { rowMode: "array" })).rows[0]?.[0];
      return typeof value === "string" ? Buffer.from(value) : null;
    },
  });
  return {
    config,
    db: db as unknown as Database,
    migrate: () => migratePglite(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

// The custom server and the Next.js bundles load this module separately; both must share one
// connection (PGlite allows a single owner per data directory), so the handle lives on globalThis.
const globalForDb = globalThis as typeof globalThis & { __chatDatabase?: DatabaseHandle };

export function databaseConfigFromEnv(env: { DATABASE_URL?: string; PGLITE_DIR: string }): DatabaseConfig {
  return env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dataDir: env.PGLITE_DIR };
}

/** Opens the process-wide database (once) and applies pending migrations. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (globalForDb.__chatDatabase) throw new Error("The database is already open in this process");
  const handle = open(config);
  globalForDb.__chatDatabase = handle;
  await handle.migrate();
  return handle.db;
}

/** The process-wide database handle; the server opens it before serving. */
export function getDb(): Database {
  const handle = globalForDb.__chatDatabase;
  if (!handle) throw new Error("The database is not open: the server opens it at start-up");
  return handle.db;
}

export async function closeDatabase(): Promise<void> {
  const handle = globalForDb.__chatDatabase;
  globalForDb.__chatDatabase = undefined;
  await handle?.close();
}
