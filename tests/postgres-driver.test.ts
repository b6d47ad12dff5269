// The app runs postgres.js with patches/postgres+3.4.9.patch (applied by `npm install`'s postinstall):
// - each query settles through two shared functions instead of two closures of its own. With the closures,
//   code not yet optimised kept every query's result rows reachable through minor GCs, so each history
//   page was copied and promoted: scavenges averaged 4.5 ms instead of 0.2 ms (docs/PERFORMANCE.md);
// - an idle pool hands out the connection it got back last, not every idle one in turn: a server process
//   that has waited through the nine others' turns answered a history page a millisecond or more later.
import { createRequire } from "node:module";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// The server imports the ES module build; Next's server bundles may require the CommonJS one.
const builds = { esm: postgres, cjs: createRequire(import.meta.url)("postgres") as typeof postgres };
const clients = Object.entries(builds).map(([name, connect]) => [name, connect(DATABASE_URL, { max: 1, onnotice: () => {} })] as const);
afterAll(() => Promise.all(clients.map(([, sql]) => sql.end({ timeout: 5 }))));

/** The settle functions a query carries (not part of postgres.js's typings). */
const settlersOf = (query: unknown) => query as { resolve: unknown; reject: unknown };

describe.each(clients)("postgres.js (%s build), as patched", (_name, sql) => {
  it("settles every query through the same two functions, not closures of its own", async () => {
    const first = sql.unsafe("select 1 as one");
    const second = sql.unsafe("select $1::int as two", [2], { prepare: true });
    expect(settlersOf(first).resolve).toBe(settlersOf(second).resolve);
    expect(settlersOf(first).reject).toBe(settlersOf(second).reject);
    expect([...(await first)]).toEqual([{ one: 1 }]);
    expect([...(await second)]).toEqual([{ two: 2 }]);
  });

  it("still rejects a failing query with the server's error, and the connection goes on", async () => {
    await expect(sql.unsafe("select 1 / 0")).rejects.toMatchObject({ code: "22012" });
    await expect(sql.unsafe("select 1 / $1::int as x", [0], { prepare: true })).rejects.toMatchObject({ code: "22012" });
    expect([...(await sql`select ${"ok"}::text as status`)]).toEqual([{ status: "ok" }]);
  });
});

describe.each(Object.entries(builds))("postgres.js (%s build) pool, as patched", (_name, connect) => {
  it("hands out the connection it got back last when several are idle", async () => {
    const sql = connect(DATABASE_URL, { max: 3, onnotice: () => {} });
    const serverProcess = async () => (await sql`select pg_backend_pid() as pid`)[0]!.pid as number;
    try {
      // Three queries at once open all three connections; the one that answered last is returned last.
      const opened = await Promise.all([sql`select pg_sleep(0.05), pg_backend_pid() as pid`, sql`select pg_sleep(0.1), pg_backend_pid() as pid`, sql`select pg_sleep(0.15), pg_backend_pid() as pid`]);
      expect(new Set(opened.map((rows) => rows[0]!.pid)).size).toBe(3);
      const lastReturned = opened[2]![0]!.pid as number;
      const oneAtATime = [];
      for (let i = 0; i < 6; i++) oneAtATime.push(await serverProcess());
      expect(oneAtATime).toEqual(Array(6).fill(lastReturned));
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});
