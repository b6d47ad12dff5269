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

type PreparedRunner = (text: string, params: unknown[]) => Promise<unknown[]>;
// The custom server and the Next.js bundles load this module separately but share the database handle
// (db/index.ts), so its runner is kept on globalThis too.
const globalForRunners = globalThis as typeof globalThis & { __chatPreparedRunners?: WeakMap<Database, PreparedRunner> };
const runners = (globalForRunners.__chatPreparedRunners ??= new WeakMap<Database, PreparedRunner>());

/** db/index.ts registers how each handle's driver runs a prepared statement. */
export function registerPreparedRunner(db: Database, runner: PreparedRunner) {
  runners.set(db, runner);
}

/**
 * For the hot path: a fixed SQL text run as a named prepared statement, so Postgres parses and plans it
 * once per connection (Drizzle's queries are planned on every execution). Use `$1::text::jsonb` rather than
 * `$1::jsonb` for JSON parameters: the drivers then pass the string as it is.
 */
export async function queryPrepared<Row>(db: Database, text: string, params: unknown[]): Promise<Row[]> {
  const run = runners.get(db);
  if (!run) throw new Error("This database handle was not opened by db/index.ts");
  return (await run(text, params)) as Row[];
}
