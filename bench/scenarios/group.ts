import { checkPhase, lastSeqs } from "../checker";
import { withCpu, type BenchContext } from "../context";
import { Histogram, type LatencySummary } from "../lib/histogram";
import { collectPhase } from "../phase";
import { nowMs } from "../lib/clock";
import type { RunningServer } from "../servers";
import { workerOfPairMember, type ChatFleets } from "./chat-fleets";
import { ratio, summarize, type PhaseSummary } from "./summary";

export interface GroupSide {
  /** Per send: from the sender's emit to the moment the last of the other members received it. */
  lastRecipient: LatencySummary;
  /** Sends that did not reach every other member. */
  incomplete: number;
  phase: PhaseSummary;
}

export interface GroupResult {
  members: number;
  sends: number;
  intervalMs: number;
  app: GroupSide;
  bare: GroupSide;
  vsBare: { p50: number; p99: number };
}

/**
 * Scenario 4: one member sends to a group whose members are all connected, one message at a time
 * (`intervalMs` apart, after the previous acknowledgement); every member's socket records the arrival.
 */
export async function runGroup(context: BenchContext, fleets: ChatFleets, servers: { app: RunningServer; bare: RunningServer }): Promise<GroupResult> {
  const { config, workers, sql } = context;
  const recipients = fleets.groupMembers.length - 1;
  const sender = { userId: fleets.groupMembers[0]!, conversationId: fleets.groupId };
  const senderWorker = workers[workerOfPairMember(0, 0, workers.length)]!;
  const members = new Map([[fleets.groupId, fleets.groupMembers]]);

  const side = async (target: "app" | "bare", server: RunningServer): Promise<GroupSide> => {
    const phase = `s4-${target}`;
    const baseline = await lastSeqs(sql, [fleets.groupId]);
    await Promise.all(workers.map((worker) => worker.phase(target, phase)));
    const started = nowMs();
    const { result: outcome, cpu } = await withCpu(context, [server], async () => {
      const load = await senderWorker.group({
        fleet: target,
        phase,
        sender,
        count: config.group.sends,
        warmupCount: config.group.warmupSends,
        intervalMs: config.group.intervalMs,
        bodyChars: config.bodyChars,
        ackTimeoutMs: config.ackTimeoutMs,
      });
      return collectPhase({ workers, fleet: target, phase, loads: [load], expectedDeliveries: load.acked * recipients, measureMs: nowMs() - started, offeredRate: null });
    }, "s4");
    const check = await checkPhase({ acks: outcome.acks, receipts: outcome.receipts, members, database: target === "app" ? { sql, baseline } : undefined, unacknowledged: outcome.failed });
    const perMessage = new Map<string, [number, number, number]>();
    for (const each of outcome.collected) {
      for (const [clientMsgId, [sentAt, count, lastAt]] of Object.entries(each.group)) {
        const known = perMessage.get(clientMsgId);
        if (known) {
          known[1] += count;
          known[2] = Math.max(known[2], lastAt);
        } else perMessage.set(clientMsgId, [sentAt, count, lastAt]);
      }
    }
    const lastRecipient = new Histogram();
    let incomplete = config.group.sends - perMessage.size;
    for (const [sentAt, count, lastAt] of perMessage.values()) {
      if (count < recipients) incomplete += 1;
      else lastRecipient.recordMs(lastAt - sentAt);
    }
    return { lastRecipient: lastRecipient.summary(), incomplete, phase: summarize(outcome, check, cpu) };
  };

  const app = await side("app", servers.app);
  const bare = await side("bare", servers.bare);
  context.log(
    `s4 ${fleets.groupMembers.length} members: app last recipient p50 ${app.lastRecipient.p50.toFixed(2)} p99 ${app.lastRecipient.p99.toFixed(2)} ms, bare p50 ${bare.lastRecipient.p50.toFixed(2)} p99 ${bare.lastRecipient.p99.toFixed(2)} ms`,
  );
  return {
    members: fleets.groupMembers.length,
    sends: config.group.sends,
    intervalMs: config.group.intervalMs,
    app,
    bare,
    vsBare: { p50: ratio(app.lastRecipient.p50, bare.lastRecipient.p50), p99: ratio(app.lastRecipient.p99, bare.lastRecipient.p99) },
  };
}
