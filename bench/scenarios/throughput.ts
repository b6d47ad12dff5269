import { checkPhase, lastSeqs } from "../checker";
import { withCpu, type BenchContext } from "../context";
import { runLoadPhase } from "../phase";
import { runPgbench, type PgbenchResult } from "../pgbench";
import type { RunningServer } from "../servers";
import type { ChatFleets } from "./chat-fleets";
import { pgbenchVariables } from "./one-to-one";
import { ratio, summarize, type PhaseSummary } from "./summary";

export interface ThroughputResult {
  senders: number;
  window: number;
  app: PhaseSummary;
  bare: PhaseSummary;
  /** The storage limit, one message per transaction (as the app commits today) and ten per transaction. */
  pgbench: PgbenchResult;
  pgbenchBatched: PgbenchResult;
  /** Persisted and delivered per second: the lower of the acknowledged and delivered rates. */
  appRate: number;
  bareRate: number;
  vsBare: number;
  vsPgbench: number;
  vsPgbenchBatched: number;
}

/**
 * Scenario 2: the most the app sustains. Closed loop: every user keeps `window` sends in flight and sends
 * the next one when the previous is acknowledged, so the server runs as fast as it can; the rate is
 * what was both acknowledged (committed) and delivered in the measured window, and the checker then
 * audits every acknowledgement against the database and the recipients.
 */
export async function runThroughput(context: BenchContext, fleets: ChatFleets, servers: { app: RunningServer; bare: RunningServer }): Promise<ThroughputResult> {
  const { config, workers, sql } = context;
  const { window, warmupMs, measureMs, pgbenchClients, pgbenchSeconds } = config.throughput;
  const phase = (target: "app" | "bare") => ({
    workers,
    fleet: target,
    phase: `s2-${target}`,
    sendersByWorker: fleets.sendersByWorker,
    mode: "closed" as const,
    window,
    warmupMs,
    measureMs,
    bodyChars: config.bodyChars,
    ackTimeoutMs: config.ackTimeoutMs,
  });
  const baseline = await lastSeqs(sql, fleets.pairs.map((pair) => pair.conversationId));
  const app = await withCpu(context, [servers.app], () => runLoadPhase(phase("app")), "s2");
  const appCheck = await checkPhase({ acks: app.result.acks, receipts: app.result.receipts, members: fleets.directMembers, database: { sql, baseline }, unacknowledged: app.result.failed });
  const bare = await withCpu(context, [servers.bare], () => runLoadPhase(phase("bare")), "s2");
  const bareCheck = await checkPhase({ acks: bare.result.acks, receipts: bare.result.receipts, members: fleets.directMembers });
  const variables = pgbenchVariables(context);
  const pgbench = await runPgbench({ url: context.databaseUrl, script: "insert-message.sql", variables, clients: pgbenchClients, seconds: pgbenchSeconds });
  const pgbenchBatched = await runPgbench({
    url: context.databaseUrl,
    script: "insert-message-batch.sql",
    variables,
    clients: pgbenchClients,
    seconds: pgbenchSeconds,
    messagesPerTransaction: 10,
  });
  const appRate = Math.min(app.result.ackedRate, app.result.deliveredRate);
  const bareRate = Math.min(bare.result.ackedRate, bare.result.deliveredRate);
  context.log(
    `s2: app ${appRate.toFixed(0)}/s, bare ${bareRate.toFixed(0)}/s, pgbench ${pgbench.messagesPerSec.toFixed(0)}/s (batched ${pgbenchBatched.messagesPerSec.toFixed(0)}/s); check ${appCheck.ok ? "ok" : "FAILED"}`,
  );
  return {
    senders: fleets.sendersByWorker.reduce((sum, senders) => sum + senders.length, 0),
    window,
    app: summarize(app.result, appCheck, app.cpu),
    bare: summarize(bare.result, bareCheck, bare.cpu),
    pgbench,
    pgbenchBatched,
    appRate,
    bareRate,
    vsBare: ratio(appRate, bareRate),
    vsPgbench: ratio(appRate, pgbench.messagesPerSec),
    vsPgbenchBatched: ratio(appRate, pgbenchBatched.messagesPerSec),
  };
}
