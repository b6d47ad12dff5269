import type { SQL } from "drizzle-orm";
import type { Database } from "./index";

type Executor = Pick<Database, "execute">;

/**
 * Runs hand-written SQL and returns its rows, whichever driver is underneath (postgres.js answers with
 * an array of rows, PGlite with `{ rows }`). Column names come back as written in the SQL.
 */
export async function queryRows<Row>(db: Executor, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

interface PreparedRunner {
  /** The rows, as objects keyed by column name. */
  rows(text: string, params: unknown[]): Promise<unknown[]>;
  /** The first row's only column as the UTF-8 bytes Postgres sent, or null (no row, or SQL null). */
  bytes(text: string, params: unknown[]): Promise<Uint8Array | null>;
}
// The custom server and the Next.js bundles load this module separately but share the database handle
// (db/index.ts), so its runner is kept on globalThis too.
const globalForRunners = globalThis as typeof globalThis & { __chatPreparedRunners?: WeakMap<Database, PreparedRunner> };
const runners = (globalForRunners.__chatPreparedRunners ??= new WeakMap<Database, PreparedRunner>());

/** db/index.ts registers how each handle's driver runs a prepared statement. */
export function registerPreparedRunner(db: Database, runner: PreparedRunner) {
  runners.set(db, runner);
}

function runnerOf(db: Database): PreparedRunner {
  const runner = runners.get(db);
  if (!runner) throw new Error("This database handle was not opened by db/index.ts");
  return runner;
}

/**
 * For the hot path: a fixed SQL text run as a named prepared statement, so Postgres parses and plans it
 * once per connection (Drizzle's queries are planned on every execution). Use `$1::text::jsonb` rather than
 * `$1::jsonb` for JSON parameters: the drivers then pass the string as it is.
 */
export async function queryPrepared<Row>(db: Database, text: string, params: unknown[]): Promise<Row[]> {
  return (await runnerOf(db).rows(text, params)) as Row[];
}

/**
 * `queryPrepared` for a statement that answers one text value (JSON that Postgres wrote, say) to be sent
 * on as it is: with postgres.js, the bytes as they came off the wire, never decoded into a string.
 */
export async function queryPreparedBytes(db: Database, text: string, params: unknown[]): Promise<Uint8Array | null> {
  return runnerOf(db).bytes(text, params);
}
