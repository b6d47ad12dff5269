import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../db/migrations");

export type Sql = postgres.Sql;

/**
 * The Postgres server the bench creates its own database on: BENCH_POSTGRES_URL, else the server of
 * DATABASE_URL (its database is never touched), else the local one.
 */
export function adminUrlFromEnv(): string {
  if (process.env.BENCH_POSTGRES_URL) return process.env.BENCH_POSTGRES_URL;
  if (process.env.DATABASE_URL) return withDatabase(process.env.DATABASE_URL, "postgres");
  return "postgres://postgres@127.0.0.1:5432/postgres";
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh database for this run and applies the app's committed migrations to it. */
export async function createBenchDatabase(nonce: string): Promise<BenchDatabase> {
  const adminUrl = adminUrlFromEnv();
  const name = `chat_bench_${Date.now()}_${nonce}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = withDatabase(adminUrl, name);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
  return {
    name,
    url,
    async drop() {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

export function connect(url: string, max = 4): Sql {
  return postgres(url, { max, onnotice: () => {} });
}
