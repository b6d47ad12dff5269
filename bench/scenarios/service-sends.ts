import postgres from "postgres";
import { postgresDatabase } from "../../db";
import { sendMessage } from "../../server/services/messages";
import { checkPhase, lastSeqs, type CheckResult } from "../checker";
import type { BenchContext } from "../context";
import { nowMs } from "../lib/clock";
import { GcPauseTracker, type GcPauses } from "../lib/gc-pauses";
import { Histogram, type LatencySummary } from "../lib/histogram";
import { fireOnSchedule } from "../lib/schedule";
import { messageBody } from "../load/fleet";
import type { AckRecord, Sender } from "../load/protocol";

/** The send service alone at one rate: what the storage and the service take, without sockets or Redis. */
export interface ServiceSendsResult {
  /** Sends stored inside the measured window, per second. */
  storedRate: number;
  /** Call → resolved (committed), for sends made in the measured window: what an acknowledgement waits for. */
  latency: LatencySummary;
  /** How late the loop made its calls against the schedule (the orchestrator as a load generator). */
  lag: LatencySummary;
  sent: number;
  failed: number;
  /** Sends due while the in-flight cap was reached: not made. */
  skipped: number;
  errors: Record<string, number>;
  /** Every resolved send in the database under its seq and client id, seqs gap-free (no deliveries to check). */
  check: CheckResult;
  /** The orchestrator's GC pauses during the phase: they delay its calls like the app's delay a send. */
  gc: GcPauses;
}

/** The workers' turn lists merged into one, turn by turn: the order in which the open-loop workers send. */
function interleave(sendersByWorker: Sender[][]): Sender[] {
  const turns = Math.max(...sendersByWorker.map((senders) => senders.length));
  return Array.from({ length: turns }, (_, turn) => sendersByWorker.flatMap((senders) => senders.slice(turn, turn + 1))).flat();
}

/**
 * Scenario 1's third limit: `sendMessage`, the service the socket handler calls (validation, the group
 * commit, the store), called in the orchestrator, open loop at the same rate, by the same users into the
 * same conversations, on a pool like the app's. The app cannot acknowledge a send sooner than this; what it
 * adds on top is the gateway (sockets, Redis, fan-out) and sharing the cores with the load generators,
 * which stand idle here.
 */
export async function runServiceSends(
  context: BenchContext,
  { sendersByWorker, rate, warmupMs, measureMs }: { sendersByWorker: Sender[][]; rate: number; warmupMs: number; measureMs: number },
): Promise<ServiceSendsResult> {
  const { config, sql } = context;
  const senders = interleave(sendersByWorker);
  const baseline = await lastSeqs(sql, [...new Set(senders.map((sender) => sender.conversationId))]);
  const client = postgres(context.databaseUrl, { max: 10, onnotice: () => {} });
  const db = postgresDatabase(client);
  const gcPauses = new GcPauseTracker();
  const latency = new Histogram();
  const lag = new Histogram();
  const acks: AckRecord[] = [];
  const errors: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const maxInFlight = config.maxInFlightPerWorker * sendersByWorker.length;
  const phase = `s1-service-${rate}`;
  let failed = 0;
  let skipped = 0;
  let storedInWindow = 0;
  try {
    const startAt = nowMs() + 50;
    const measureFrom = startAt + warmupMs;
    const endAt = measureFrom + measureMs;
    const send = async (sender: Sender, index: number) => {
      const sentAt = nowMs();
      const measured = sentAt >= measureFrom;
      const clientMsgId = `${phase}.${index}`;
      const body = messageBody({ sentAt, phase, flag: measured ? "m" : "w", chars: config.bodyChars });
      try {
        const { message } = await sendMessage({ db, senderId: sender.userId, input: { conversationId: sender.conversationId, clientMsgId, body } });
        const at = nowMs();
        acks.push([message.conversationId, message.seq, message.clientMsgId, sender.userId]);
        if (measured) latency.recordMs(at - sentAt);
        if (at >= measureFrom && at < endAt) storedInWindow += 1;
      } catch (error) {
        failed += 1;
        const code = (error as { code?: string }).code ?? "error";
        errors[code] = (errors[code] ?? 0) + 1;
      }
    };
    gcPauses.take();
    const fired = await fireOnSchedule({
      startAt,
      endAt,
      ratePerSec: rate,
      fire: (index, lateMs) => {
        lag.recordMs(lateMs);
        if (inFlight.size >= maxInFlight) {
          skipped += 1;
          return;
        }
        const call = send(senders[index % senders.length]!, index);
        inFlight.add(call);
        void call.then(() => inFlight.delete(call));
      },
    });
    await Promise.all([...inFlight]);
    const gc = gcPauses.take();
    const check = await checkPhase({ acks, receipts: new Map(), members: new Map(), database: { sql, baseline }, unacknowledged: failed });
    return {
      storedRate: storedInWindow / (measureMs / 1000),
      latency: latency.summary(),
      lag: lag.summary(),
      sent: fired - skipped,
      failed,
      skipped,
      errors,
      check,
      gc,
    };
  } finally {
    gcPauses.stop();
    await client.end({ timeout: 5 });
  }
}
