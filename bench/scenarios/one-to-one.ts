import { checkPhase, lastSeqs } from "../checker";
import { withCpu, type BenchContext, type ServerWindow } from "../context";
import { LAYOUT } from "../layout";
import { runLoadPhase } from "../phase";
import { runPgbench, type PgbenchResult } from "../pgbench";
import type { RunningServer } from "../servers";
import type { ChatFleets } from "./chat-fleets";
import { runServiceSends, type ServiceSendsResult } from "./service-sends";
import { ratio, summarize, type PhaseSummary } from "./summary";

export interface RatePoint {
  rate: number;
  app: PhaseSummary;
  bare: PhaseSummary;
  pgbench: PgbenchResult;
  /** The send service called in-process at the same rate: the storage + service share of an ack. */
  service: ServiceSendsResult;
  /** What each server measured of itself during its phase: GC pauses, loop delay, time work stayed inside it. */
  inServers: { app: ServerWindow; bare: ServerWindow };
  /** app ÷ bare relay, and app p99 − bare p99 in ms. */
  vsBare: { p50: number; p99: number; p99DeltaMs: number };
}

export interface OneToOneResult {
  users: number;
  points: RatePoint[];
}

export function pgbenchVariables(context: BenchContext) {
  return {
    nonce: parseInt(context.nonce, 16),
    cbase: LAYOUT.pgbenchConversation,
    ubase: LAYOUT.pgbenchUser,
    pairs: context.config.oneToOne.pairs,
    perclient: Math.floor(context.config.oneToOne.pairs / context.config.throughput.pgbenchClients),
  };
}

/**
 * Scenario 1: every user sends to its peer, open loop, at each fixed total rate: to the app, then the
 * bare relay, then pgbench, then the send service in-process, at the same rate, one after the other on
 * the same connected users.
 */
export async function runOneToOne(context: BenchContext, fleets: ChatFleets, servers: { app: RunningServer; bare: RunningServer }): Promise<OneToOneResult> {
  const { config, workers, sql } = context;
  const { warmupMs, measureMs } = config.oneToOne;
  const conversationIds = fleets.pairs.map((pair) => pair.conversationId);
  const points: RatePoint[] = [];
  for (const rate of config.oneToOne.rates) {
    const phase = (target: "app" | "bare") => ({
      workers,
      fleet: target,
      phase: `s1-${target}-${rate}`,
      sendersByWorker: fleets.sendersByWorker,
      mode: "open" as const,
      rate,
      maxInFlight: config.maxInFlightPerWorker,
      warmupMs,
      measureMs,
      bodyChars: config.bodyChars,
      ackTimeoutMs: config.ackTimeoutMs,
    });
    const baseline = await lastSeqs(sql, conversationIds);
    const app = await withCpu(context, [servers.app], () => runLoadPhase({ ...phase("app"), timedBy: [servers.app] }), `s1-${rate}`);
    const appCheck = await checkPhase({ acks: app.result.acks, receipts: app.result.receipts, members: fleets.directMembers, database: { sql, baseline }, unacknowledged: app.result.failed });
    const bare = await withCpu(context, [servers.bare], () => runLoadPhase({ ...phase("bare"), timedBy: [servers.bare] }), `s1-${rate}`);
    const bareCheck = await checkPhase({ acks: bare.result.acks, receipts: bare.result.receipts, members: fleets.directMembers });
    const pgbench = await runPgbench({
      url: context.databaseUrl,
      script: "insert-message.sql",
      variables: pgbenchVariables(context),
      clients: config.throughput.pgbenchClients,
      seconds: Math.max(1, Math.round(measureMs / 1000)),
      rate,
    });
    const service = await runServiceSends(context, { sendersByWorker: fleets.sendersByWorker, rate, warmupMs, measureMs });
    const point: RatePoint = {
      rate,
      app: summarize(app.result, appCheck, app.cpu),
      bare: summarize(bare.result, bareCheck, bare.cpu),
      pgbench,
      service,
      inServers: { app: app.windows[0]!, bare: bare.windows[0]! },
      vsBare: {
        p50: ratio(app.result.latency.p50, bare.result.latency.p50),
        p99: ratio(app.result.latency.p99, bare.result.latency.p99),
        p99DeltaMs: Math.round((app.result.latency.p99 - bare.result.latency.p99) * 100) / 100,
      },
    };
    context.log(
      `s1 ${rate}/s: app p50 ${point.app.latency.p50.toFixed(2)} p99 ${point.app.latency.p99.toFixed(2)} ms (${point.app.deliveredRate.toFixed(0)}/s delivered), ` +
        `bare p50 ${point.bare.latency.p50.toFixed(2)} p99 ${point.bare.latency.p99.toFixed(2)} ms, pgbench p99 ${pgbench.latency.p99.toFixed(2)} ms, ` +
        `service p99 ${service.latency.p99.toFixed(2)} ms; check ${appCheck.ok && service.check.ok ? "ok" : "FAILED"}`,
    );
    points.push(point);
  }
  return { users: fleets.pairs.length * 2, points };
}
