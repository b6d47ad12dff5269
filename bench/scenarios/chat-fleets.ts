import type { BenchContext } from "../context";
import { conversationId } from "../lib/ids";
import { LAYOUT, pairs, staggerTurns, type Pair } from "../layout";
import type { FleetUser, Sender } from "../load/protocol";
import type { RunningServer } from "../servers";
import { runLoadPhase } from "../phase";
import { connectFleet } from "../workers";

/**
 * The connected users shared by scenarios 1, 2 and 4: `pairs` one-to-one conversations whose two members
 * are always on different load workers, all of them members of one group. The same users are connected
 * to the app (fleet "app") and to the bare relay (fleet "bare"), and stay connected between phases.
 */
export interface ChatFleets {
  pairs: Pair[];
  groupId: string;
  groupMembers: string[];
  /** Members of every conversation in play, for the checker. */
  directMembers: Map<string, string[]>;
  /** Each worker's users, each sending to its own direct conversation. */
  sendersByWorker: Sender[][];
  connectMs: { app: number; bare: number };
}

export function workerOfPairMember(pair: number, side: 0 | 1, workers: number) {
  return (pair + side) % workers;
}

export async function connectChatFleets(context: BenchContext, servers: { app: RunningServer; bare: RunningServer }): Promise<ChatFleets> {
  const { config, nonce, workers } = context;
  const chatPairs = pairs(nonce, config.oneToOne.pairs, LAYOUT.chatUser, LAYOUT.chatConversation);
  const groupId = conversationId(nonce, LAYOUT.groupConversation);
  const groupMembers = chatPairs.flatMap((pair) => [pair.a, pair.b]).slice(0, config.group.members);
  const inGroup = new Set(groupMembers);
  const byWorker: FleetUser[][] = workers.map(() => []);
  const sendersByWorker: Sender[][] = workers.map(() => []);
  chatPairs.forEach((pair, index) => {
    for (const side of [0, 1] as const) {
      const user = side === 0 ? pair.a : pair.b;
      const peer = side === 0 ? pair.b : pair.a;
      const worker = workerOfPairMember(index, side, workers.length);
      byWorker[worker]!.push({ id: user, groups: inGroup.has(user) ? [groupId] : [], peers: { [pair.conversationId]: peer } });
      sendersByWorker[worker]!.push({ userId: user, conversationId: pair.conversationId });
    }
  });
  const connect = (fleet: "app" | "bare", server: RunningServer) =>
    connectFleet({ workers, fleet, url: server.url, target: fleet, placement: { byWorker }, authSecret: context.authSecret, concurrency: config.connectConcurrency });
  const app = await connect("app", servers.app);
  const bare = await connect("bare", servers.bare);
  context.log(`connected ${app.connected} users to the app (${Math.round(app.elapsedMs)} ms) and the bare relay (${Math.round(bare.elapsedMs)} ms)`);
  return {
    pairs: chatPairs,
    groupId,
    groupMembers,
    directMembers: new Map(chatPairs.map((pair) => [pair.conversationId, [pair.a, pair.b]])),
    sendersByWorker: staggerTurns(sendersByWorker),
    connectMs: { app: app.elapsedMs, bare: bare.elapsedMs },
  };
}

/**
 * A first, unreported load on both systems (the lowest scenario-1 rate, for one warm-up span): opens the
 * app's database connections, prepares its statements and lets V8 optimise the hot paths, so the first
 * measured phase does not pay for a cold start.
 */
export async function warmUpChat(context: BenchContext, fleets: ChatFleets) {
  const { config } = context;
  for (const fleet of ["app", "bare"]) {
    await runLoadPhase({
      workers: context.workers,
      fleet,
      phase: `s0-${fleet}`,
      sendersByWorker: fleets.sendersByWorker,
      mode: "open",
      rate: Math.min(...config.oneToOne.rates),
      maxInFlight: config.maxInFlightPerWorker,
      warmupMs: config.oneToOne.warmupMs,
      measureMs: 1,
      bodyChars: config.bodyChars,
      ackTimeoutMs: config.ackTimeoutMs,
    });
  }
}
