import { checkPhase, lastSeqs } from "../checker";
import { withCpu, type BenchContext } from "../context";
import { LAYOUT, pairs, staggerTurns } from "../layout";
import type { FleetUser, Sender } from "../load/protocol";
import { runLoadPhase } from "../phase";
import { startAppServer, startBareRelay, type RunningServer } from "../servers";
import { connectFleet } from "../workers";
import { summarize, type PhaseSummary } from "./summary";

export interface CrossInstanceResult {
  rate: number;
  /** Why this rate: the configured one, or half of what one app instance sustained in scenario 2. */
  rateChoice: string;
  users: number;
  app: { single: PhaseSummary; cross: PhaseSummary };
  bare: { single: PhaseSummary; cross: PhaseSummary };
  /** Cross-instance minus single-instance latency, ms. */
  overheadMs: { app: { p50: number; p99: number }; bare: { p50: number; p99: number } };
}

/**
 * Scenario 5: two instances sharing Postgres and Redis (the sharded Redis adapter). The same pairs send
 * at the same rate twice: with both members on instance A ("single"), then with every sender on A and
 * its peer on B ("cross": each message crosses Redis). Both layouts run against the app and against the
 * bare relay with the same adapter; the difference is what the cross-instance hop costs.
 */
export async function runCrossInstance(context: BenchContext, { sustainedRate }: { sustainedRate?: number } = {}): Promise<CrossInstanceResult> {
  const { config, workers, sql, nonce } = context;
  // The hop's cost only shows below saturation: above it, queueing swamps everything. So the rate is
  // the configured one, or half of what one instance sustained in scenario 2 if that is lower.
  const half = sustainedRate ? Math.max(100, Math.floor(sustainedRate / 2 / 50) * 50) : Infinity;
  const rate = Math.min(config.cross.rate, half);
  const rateChoice = rate < config.cross.rate ? `half of the ${Math.round(sustainedRate!)} msg/s one instance sustained (scenario 2)` : "configured";
  const crossPairs = pairs(nonce, config.cross.pairs, LAYOUT.crossUser, LAYOUT.crossConversation);
  const byWorker: FleetUser[][] = workers.map(() => []);
  const sendersByWorker: Sender[][] = workers.map(() => []);
  crossPairs.forEach((pair) => {
    // Worker 0 holds every "a" (on instance A), worker 1 every "b" (on A or B); both send.
    for (const [worker, user, peer] of [
      [0, pair.a, pair.b],
      [1 % workers.length, pair.b, pair.a],
    ] as const) {
      byWorker[worker]!.push({ id: user, peers: { [pair.conversationId]: peer } });
      sendersByWorker[worker]!.push({ userId: user, conversationId: pair.conversationId });
    }
  });
  const staggered = staggerTurns(sendersByWorker);
  const members = new Map(crossPairs.map((pair) => [pair.conversationId, [pair.a, pair.b]]));
  const base = { redisUrl: context.redisUrl, adapter: "redis" as const };

  const measure = async (target: "app" | "bare", instances: [RunningServer, RunningServer]) => {
    const results: Partial<Record<"single" | "cross", PhaseSummary>> = {};
    for (const layout of ["single", "cross"] as const) {
      const fleet = `s5-${target}-${layout}`;
      const urls = layout === "single" ? [instances[0].url] : instances.map((server) => server.url);
      await connectFleet({ workers, fleet, url: urls, target, placement: { byWorker }, authSecret: context.authSecret, concurrency: config.connectConcurrency });
      const baseline = await lastSeqs(sql, [...members.keys()]);
      const { result: outcome, cpu } = await withCpu(context, instances, () =>
        runLoadPhase({
          workers,
          fleet,
          phase: fleet,
          sendersByWorker: staggered,
          mode: "open",
          rate,
          maxInFlight: config.maxInFlightPerWorker,
          warmupMs: config.cross.warmupMs,
          measureMs: config.cross.measureMs,
          bodyChars: config.bodyChars,
          ackTimeoutMs: config.ackTimeoutMs,
        }),
        fleet,
      );
      const check = await checkPhase({ acks: outcome.acks, receipts: outcome.receipts, members, database: target === "app" ? { sql, baseline } : undefined, unacknowledged: outcome.failed });
      results[layout] = summarize(outcome, check, cpu);
      await Promise.all(workers.map((worker) => worker.disconnect(fleet)));
    }
    return results as Record<"single" | "cross", PhaseSummary>;
  };

  const startApps = () =>
    Promise.all(
      (["a", "b"] as const).map((name) =>
        startAppServer({ ...base, name: `app-${name}`, databaseUrl: context.databaseUrl, authSecret: context.authSecret }),
      ),
    );
  const apps = (await startApps()) as [RunningServer, RunningServer];
  let app: Record<"single" | "cross", PhaseSummary>;
  try {
    app = await measure("app", apps);
  } finally {
    await Promise.all(apps.map((server) => server.stop()));
  }
  const bares = (await Promise.all((["a", "b"] as const).map((name) => startBareRelay({ ...base, name: `bare-${name}` })))) as [RunningServer, RunningServer];
  let bare: Record<"single" | "cross", PhaseSummary>;
  try {
    bare = await measure("bare", bares);
  } finally {
    await Promise.all(bares.map((server) => server.stop()));
  }
  const overhead = (sides: Record<"single" | "cross", PhaseSummary>) => ({
    p50: Math.round((sides.cross.latency.p50 - sides.single.latency.p50) * 100) / 100,
    p99: Math.round((sides.cross.latency.p99 - sides.single.latency.p99) * 100) / 100,
  });
  const result = { rate, rateChoice, users: crossPairs.length * 2, app, bare, overheadMs: { app: overhead(app), bare: overhead(bare) } };
  context.log(
    `s5 ${rate}/s: app single p99 ${app.single.latency.p99.toFixed(2)} cross p99 ${app.cross.latency.p99.toFixed(2)} ms; bare single p99 ${bare.single.latency.p99.toFixed(2)} cross p99 ${bare.cross.latency.p99.toFixed(2)} ms`,
  );
  return result;
}
