import { nowMs } from "./lib/clock";
import { Histogram, type LatencySummary } from "./lib/histogram";
import type { AckRecord, CollectResult, LoadRequest, LoadResult, Sender } from "./load/protocol";
import type { RunningServer } from "./servers";
import type { LoadWorker } from "./workers";

const START_DELAY_MS = 500;
const DRAIN_TIMEOUT_MS = 15_000;
const DRAIN_POLL_MS = 50;

export interface PhaseOutcome {
  phase: string;
  offeredRate: number | null;
  measureMs: number;
  /** Per second of the measured window: sends emitted in it, and acknowledgements and deliveries arriving in it. */
  sentRate: number;
  ackedRate: number;
  deliveredRate: number;
  sent: number;
  /** Open loop: sends skipped because the generator's in-flight cap was reached (the system is saturated). */
  skipped: number;
  /** The offered rate was not delivered: sends were skipped, or less than 95% arrived in the window. */
  saturated: boolean;
  acked: number;
  failed: number;
  errors: Record<string, number>;
  /** Sender emit → recipient receive. */
  latency: LatencySummary;
  /** Sender emit → acknowledgement. */
  ack: LatencySummary;
  /** Generator lateness against its schedule (open loop only). */
  lag: LatencySummary;
  stray: number;
  disconnects: number;
  drained: boolean;
  /** Inputs for the checker. */
  acks: AckRecord[];
  receipts: Map<string, number[]>;
  collected: CollectResult[];
}

function mergeErrors(into: Record<string, number>, from: Record<string, number>) {
  for (const [code, count] of Object.entries(from)) into[code] = (into[code] ?? 0) + count;
}

/**
 * Waits until the recipients have received what was acknowledged (`expected`), polling the workers
 * until a deadline: a message that never arrives shows up in the checker, not as a hang.
 */
export async function drain(workers: LoadWorker[], fleet: string, expected: number): Promise<boolean> {
  const deadline = nowMs() + DRAIN_TIMEOUT_MS;
  while (nowMs() < deadline) {
    const progress = await Promise.all(workers.map((worker) => worker.progress(fleet)));
    if (progress.reduce((sum, each) => sum + each.received, 0) >= expected) return true;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return false;
}

/** Collects every worker's records of a finished phase into one outcome. */
export async function collectPhase({
  workers,
  fleet,
  phase,
  loads,
  expectedDeliveries,
  measureMs,
  offeredRate,
}: {
  workers: LoadWorker[];
  fleet: string;
  phase: string;
  loads: LoadResult[];
  expectedDeliveries: number;
  measureMs: number;
  offeredRate: number | null;
}): Promise<PhaseOutcome> {
  const drained = await drain(workers, fleet, expectedDeliveries);
  const collected = await Promise.all(workers.map((worker) => worker.collect(fleet)));
  const latency = new Histogram();
  const ack = new Histogram();
  const lag = new Histogram();
  const errors: Record<string, number> = {};
  const receipts = new Map<string, number[]>();
  for (const load of loads) {
    ack.merge(load.ack);
    lag.merge(load.lag);
    mergeErrors(errors, load.errors);
  }
  for (const each of collected) {
    latency.merge(each.latency);
    for (const [key, seqs] of Object.entries(each.receipts)) {
      const known = receipts.get(key);
      if (known) known.push(...seqs);
      else receipts.set(key, seqs);
    }
  }
  const seconds = measureMs / 1000;
  const skipped = loads.reduce((sum, load) => sum + load.skipped, 0);
  const deliveredRate = collected.reduce((sum, each) => sum + each.receivedInWindow, 0) / seconds;
  return {
    phase,
    offeredRate,
    measureMs,
    sentRate: loads.reduce((sum, load) => sum + load.sentMeasured, 0) / seconds,
    ackedRate: loads.reduce((sum, load) => sum + load.ackedInWindow, 0) / seconds,
    deliveredRate,
    sent: loads.reduce((sum, load) => sum + load.sent, 0),
    skipped,
    saturated: skipped > 0 || (offeredRate !== null && deliveredRate < 0.95 * offeredRate),
    acked: loads.reduce((sum, load) => sum + load.acked, 0),
    failed: loads.reduce((sum, load) => sum + load.failed, 0),
    errors,
    latency: latency.summary(),
    ack: ack.summary(),
    lag: lag.summary(),
    stray: collected.reduce((sum, each) => sum + each.stray, 0),
    disconnects: collected.reduce((sum, each) => sum + each.disconnects, 0),
    drained,
    acks: collected.flatMap((each) => each.acks),
    receipts,
    collected,
  };
}

/**
 * One load phase on a connected fleet: every worker sends from its own users (open loop at its share of
 * `rate`, or closed loop), starting together; each direct message has one recipient. `timedBy`: servers
 * that time their own work over the same measured window (see ResidenceMeter).
 */
export async function runLoadPhase({
  workers,
  fleet,
  phase,
  sendersByWorker,
  mode,
  rate,
  window,
  maxInFlight,
  warmupMs,
  measureMs,
  bodyChars,
  ackTimeoutMs,
  timedBy = [],
}: {
  workers: LoadWorker[];
  fleet: string;
  phase: string;
  sendersByWorker: Sender[][];
  mode: LoadRequest["mode"];
  rate?: number;
  window?: number;
  maxInFlight?: number;
  warmupMs: number;
  measureMs: number;
  bodyChars: number;
  ackTimeoutMs: number;
  timedBy?: RunningServer[];
}): Promise<PhaseOutcome> {
  const totalSenders = sendersByWorker.reduce((sum, senders) => sum + senders.length, 0);
  const startAt = nowMs() + START_DELAY_MS;
  const measured = { from: startAt + warmupMs, to: startAt + warmupMs + measureMs };
  await Promise.all([
    ...workers.map((worker) => worker.phase(fleet, phase, measured)),
    ...timedBy.map((server) => server.request({ op: "measure-between", ...measured })),
  ]);
  const loads = await Promise.all(
    workers.map((worker) => {
      const senders = sendersByWorker[worker.index] ?? [];
      return worker.load({
        fleet,
        phase,
        mode,
        startAt,
        warmupMs,
        measureMs,
        // Each worker's share of the offered rate is its share of the senders.
        ratePerSec: rate === undefined ? undefined : (rate * senders.length) / totalSenders,
        window,
        maxInFlight,
        senders,
        bodyChars,
        ackTimeoutMs,
      });
    }),
  );
  const acked = loads.reduce((sum, load) => sum + load.acked, 0);
  return collectPhase({ workers, fleet, phase, loads, expectedDeliveries: acked, measureMs, offeredRate: rate ?? null });
}
