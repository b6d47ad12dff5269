import postgres from "postgres";
import { postgresDatabase } from "../../db";
import { syncConversationList } from "../../server/services/conversations";
import { messageHistory } from "../../server/services/messages";
import type { BenchContext } from "../context";
import { CONVERSATIONS_PER_LIST_USER, type HistoryLayout } from "../db/history-seed";
import { nowMs } from "../lib/clock";
import { GcPauseTracker, type GcPauses } from "../lib/gc-pauses";
import { Histogram, type LatencySummary } from "../lib/histogram";
import type { Residence } from "../lib/residence";
import { StorageReadMeter, type StorageReads } from "../lib/storage-reads";
import { conversationId, userId } from "../lib/ids";
import type { FleetUser } from "../load/protocol";
import type { RunningServer } from "../servers";
import { connectFleet } from "../workers";
import { ratio } from "./summary";

export interface QueryPlan {
  /** Which service call issued it. */
  operation: "messages:history" | "conversations:sync";
  sql: string;
  plan: string;
  executionMs: number;
  indexesUsed: string[];
  seqScans: number;
  sorts: number;
  sharedHitBlocks: number;
  sharedReadBlocks: number;
}

export interface ReadSide {
  /** Through the app: socket event → acknowledgement with the data, at a client. */
  app: LatencySummary;
  /** The same event and answer (the app's own response) through the bare relay: the transport's share. */
  bare: LatencySummary;
  /** The service function called in-process on the same database: the storage + service share. */
  service: LatencySummary;
  errors: Record<string, number>;
  vsBare: { p50: number; p99: number };
  /** How long each measured call stayed inside the server that answered it (frame decoded → ack written). */
  inServer: { app: Residence["ack"]; bare: Residence["ack"] };
  /** GC pauses during the measured calls in the process that answered each path. */
  gc: { app: GcPauses; bare: GcPauses; service: GcPauses };
  /** What Postgres read from outside its shared buffers during the measured calls of each path that reads. */
  storage: { app: StorageReads | null; service: StorageReads | null };
}

export interface HistoryResult {
  messages: number;
  conversations: number;
  messagesPerConversation: number;
  listUsers: number;
  conversationsPerUser: number;
  calls: number;
  /**
   * Postgres's buffer pool beside what the reads draw on: a block outside the pool comes from the page
   * cache or the disk, so this says whether the database could be served from the pool at all.
   */
  memory: { sharedBuffersBytes: number; messagesBytes: number };
  history: ReadSide;
  list: ReadSide;
  plans: QueryPlan[];
}

function mulberry32(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  userId: string;
  input: Record<string, unknown>;
}

/** Random pages of random conversations: half the newest page (opening it), half an older page (scrolling up). */
function historyCalls(context: BenchContext, layout: HistoryLayout, count: number, seed: number): Call[] {
  const random = mulberry32(seed);
  const half = CONVERSATIONS_PER_LIST_USER / 2;
  return Array.from({ length: count }, (_, index) => {
    const i = Math.floor(random() * layout.listUsers);
    const j = 1 + Math.floor(random() * half);
    const input: Record<string, unknown> = { conversationId: conversationId(context.nonce, layout.firstConversation + i * half + j - 1), limit: 50 };
    if (index % 2 === 1) input.beforeSeq = 51 + Math.floor(random() * Math.max(1, layout.messagesPerConversation - 50));
    return { userId: userId(context.nonce, layout.firstUser + i), input };
  });
}

function listCalls(context: BenchContext, layout: HistoryLayout, count: number, seed: number): Call[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => ({ userId: userId(context.nonce, layout.firstUser + Math.floor(random() * layout.listUsers)), input: {} }));
}

function describePlan(operation: QueryPlan["operation"], sql: string, lines: string[]): QueryPlan {
  const plan = lines.join("\n");
  const buffers = [...plan.matchAll(/shared hit=(\d+)(?: read=(\d+))?/g)];
  return {
    operation,
    sql,
    plan,
    executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN),
    indexesUsed: [...new Set([...plan.matchAll(/Index (?:Only )?Scan(?: Backward)? using (\S+)/g)].map((match) => match[1]!))],
    seqScans: (plan.match(/Seq Scan/g) ?? []).length,
    sorts: lines.filter((line) => /(^|->\s+)(Incremental )?Sort\s+\(/.test(line.trim())).length,
    // The top node's buffers include its children's.
    sharedHitBlocks: Number(buffers[0]?.[1] ?? 0),
    sharedReadBlocks: Number(buffers[0]?.[2] ?? 0),
  };
}

/**
 * The SQL the services issue, captured from Drizzle's logger while calling the real service functions,
 * then run under EXPLAIN (ANALYZE, BUFFERS) with the same parameters (after one warm-up execution).
 */
async function capturePlans(context: BenchContext, calls: { history: Call; list: Call }): Promise<QueryPlan[]> {
  const client = postgres(context.databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const captured: Array<{ operation: QueryPlan["operation"]; sql: string; params: unknown[] }> = [];
    let operation: QueryPlan["operation"] = "messages:history";
    const db = postgresDatabase(client, { logQuery: (sql, params) => void captured.push({ operation, sql, params }) });
    await messageHistory({ db, userId: calls.history.userId, input: calls.history.input });
    operation = "conversations:sync";
    await syncConversationList({ db, userId: calls.list.userId, input: calls.list.input });
    const plans: QueryPlan[] = [];
    for (const query of captured) {
      const params = query.params as never[];
      await client.unsafe(query.sql, params);
      const rows = (await client.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, params)) as unknown as Array<Record<string, string>>;
      plans.push(describePlan(query.operation, query.sql, rows.map((row) => row["QUERY PLAN"]!)));
    }
    return plans;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * The service functions in-process, one call at a time, on a pool like the app's. Their calls are drawn
 * like the app's but are not the app's: repeating those would find their pages already read.
 */
async function timeServices(context: BenchContext, { warmup, history, list }: { warmup: Call[]; history: Call[]; list: Call[] }) {
  const client = postgres(context.databaseUrl, { max: 10, onnotice: () => {} });
  const gcPauses = new GcPauseTracker();
  const storageReads = new StorageReadMeter();
  try {
    const db = postgresDatabase(client);
    const time = async (calls: Call[], run: (call: Call) => Promise<unknown>) => {
      const histogram = new Histogram();
      gcPauses.take();
      storageReads.begin();
      for (const call of calls) {
        const started = nowMs();
        await run(call);
        histogram.recordMs(nowMs() - started);
      }
      return { latency: histogram.summary(), gc: gcPauses.take(), storage: storageReads.end(calls.length) };
    };
    await time(warmup, (call) => messageHistory({ db, userId: call.userId, input: call.input }));
    return {
      history: await time(history, (call) => messageHistory({ db, userId: call.userId, input: call.input })),
      list: await time(list, (call) => syncConversationList({ db, userId: call.userId, input: call.input })),
    };
  } finally {
    gcPauses.stop();
    await client.end({ timeout: 5 });
  }
}

/**
 * Scenario 6: on the bulk-seeded database, `messages:history` (a page of 50) and `conversations:sync`
 * (a list of 50 conversations, each with unread messages) from connected list users, one call at a time.
 */
export async function runHistory(context: BenchContext, layout: HistoryLayout, servers: { app: RunningServer; bare: RunningServer }): Promise<HistoryResult> {
  const { config, workers } = context;
  const worker = [workers[0]!];
  const users: FleetUser[] = Array.from({ length: layout.listUsers }, (_, index) => ({ id: userId(context.nonce, layout.firstUser + index) }));
  const placement = { byWorker: [users] };
  const connect = (fleet: "app" | "bare", server: RunningServer) =>
    connectFleet({ workers: worker, fleet: `s6-${fleet}`, url: server.url, target: fleet, placement, authSecret: context.authSecret, concurrency: config.connectConcurrency });
  await connect("app", servers.app);
  await connect("bare", servers.bare);
  const { calls, warmupCalls } = config.history;
  const history = historyCalls(context, layout, calls, 1);
  const list = listCalls(context, layout, calls, 2);
  const ackTimeoutMs = config.ackTimeoutMs;

  const measure = async (event: "messages:history" | "conversations:sync", measured: Call[], warmupSeed: number) => {
    const warmup = event === "messages:history" ? historyCalls(context, layout, warmupCalls, warmupSeed) : listCalls(context, layout, warmupCalls, warmupSeed);
    await worker[0]!.rpc({ fleet: "s6-app", event, calls: warmup, ackTimeoutMs });
    await Promise.all([servers.app.gcPauses(), servers.app.residence()]);
    const storageReads = new StorageReadMeter();
    storageReads.begin();
    const app = await worker[0]!.rpc({ fleet: "s6-app", event, calls: measured, ackTimeoutMs });
    const appStorage = storageReads.end(measured.length);
    const [appGc, appResidence] = await Promise.all([servers.app.gcPauses(), servers.app.residence()]);
    // The bare relay answers with the app's own response: the same bytes over the same transport.
    await servers.bare.request({ op: "canned", event, data: app.sample });
    await worker[0]!.rpc({ fleet: "s6-bare", event, calls: warmup, ackTimeoutMs });
    await Promise.all([servers.bare.gcPauses(), servers.bare.residence()]);
    const bare = await worker[0]!.rpc({ fleet: "s6-bare", event, calls: measured, ackTimeoutMs });
    const [bareGc, bareResidence] = await Promise.all([servers.bare.gcPauses(), servers.bare.residence()]);
    return {
      app: Histogram.fromJSON(app.latency).summary(),
      bare: Histogram.fromJSON(bare.latency).summary(),
      errors: app.errors,
      gc: { app: appGc, bare: bareGc },
      inServer: { app: appResidence.ack, bare: bareResidence.ack },
      appStorage,
    };
  };
  const historyRead = await measure("messages:history", history, 3);
  const listRead = await measure("conversations:sync", list, 4);
  await Promise.all(["s6-app", "s6-bare"].map((fleet) => worker[0]!.disconnect(fleet)));
  const services = await timeServices(context, {
    warmup: historyCalls(context, layout, 20, 5),
    history: historyCalls(context, layout, calls, 6),
    list: listCalls(context, layout, calls, 7),
  });
  const plans = await capturePlans(context, { history: history[1]!, list: list[0]! });
  const side = (read: typeof historyRead, service: { latency: LatencySummary; gc: GcPauses; storage: StorageReads | null }): ReadSide => ({
    app: read.app,
    bare: read.bare,
    service: service.latency,
    errors: read.errors,
    vsBare: { p50: ratio(read.app.p50, read.bare.p50), p99: ratio(read.app.p99, read.bare.p99) },
    gc: { ...read.gc, service: service.gc },
    inServer: read.inServer,
    storage: { app: read.appStorage, service: service.storage },
  });
  const [{ rows, sharedBuffersBytes, messagesBytes }] = (await context.sql.unsafe(
    `SELECT count(*)::bigint AS rows, pg_size_bytes(current_setting('shared_buffers'))::bigint AS "sharedBuffersBytes",
            pg_total_relation_size('messages')::bigint AS "messagesBytes"
     FROM messages`,
  )) as unknown as [{ rows: string; sharedBuffersBytes: string; messagesBytes: string }];
  context.log(
    `s6 ${Number(rows).toLocaleString("en")} messages: history p50 ${historyRead.app.p50.toFixed(2)} p99 ${historyRead.app.p99.toFixed(2)} ms, ` +
      `list p50 ${listRead.app.p50.toFixed(2)} p99 ${listRead.app.p99.toFixed(2)} ms; ${plans.length} queries explained`,
  );
  return {
    messages: Number(rows),
    conversations: layout.conversations,
    messagesPerConversation: layout.messagesPerConversation,
    listUsers: layout.listUsers,
    conversationsPerUser: CONVERSATIONS_PER_LIST_USER,
    calls,
    memory: { sharedBuffersBytes: Number(sharedBuffersBytes), messagesBytes: Number(messagesBytes) },
    history: side(historyRead, services.history),
    list: side(listRead, services.list),
    plans,
  };
}
