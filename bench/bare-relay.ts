// The transport's limit: a plain Socket.IO server that relays the same `message:send` frames the app
// takes to the same rooms the app would reach (both members' user rooms for one-to-one, the group room
// for groups) and acknowledges with a message of the same shape, but validates, authorises and stores
// nothing. Seqs come from an in-memory counter so the same checker can read its acks. With
// BENCH_ADAPTER=redis it uses the same sharded Redis adapter as the app (scenario 5).
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { Server } from "socket.io";
import { announceReady, serveRequests } from "./lib/child";
import { processStats } from "./lib/process-stats";
import { ResidenceMeter } from "./lib/residence";
import { selfMeasureRequests } from "./lib/self-measures";

const selfMeasures = selfMeasureRequests(new ResidenceMeter());

interface BareAuth {
  userId?: string;
  /** Group conversations this user belongs to (joined as rooms, like the app's handshake does). */
  groups?: string[];
  /** Direct conversations: conversation id → the peer's user id. */
  peers?: Record<string, string>;
}

const useRedis = process.env.BENCH_ADAPTER === "redis";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const pub = useRedis ? createClient({ url: redisUrl }) : null;
const sub = pub?.duplicate() ?? null;
if (pub && sub) await Promise.all([pub.connect(), sub.connect()]);

const httpServer = createServer();
const io = new Server(httpServer, {
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
  ...(pub && sub ? { adapter: createShardedAdapter(pub, sub) } : {}),
});

/** Who is in each direct conversation, learned from the handshakes. */
const directMembers = new Map<string, Set<string>>();
const seqs = new Map<string, number>();
/** Answers for read events (history, list), set by the orchestrator to the app's own responses. */
const canned = new Map<string, unknown>();

io.use((socket, next) => {
  const auth = socket.handshake.auth as BareAuth;
  if (typeof auth.userId !== "string") return next(new Error("unauthorized:session"));
  socket.data.userId = auth.userId;
  socket.data.rooms = [`user:${auth.userId}`, ...(auth.groups ?? []).map((id) => `conversation:${id}`)];
  for (const [conversationId, peerId] of Object.entries(auth.peers ?? {})) {
    const members = directMembers.get(conversationId) ?? new Set<string>();
    members.add(auth.userId).add(peerId);
    directMembers.set(conversationId, members);
  }
  next();
});

io.on("connection", (socket) => {
  void socket.join(socket.data.rooms as string[]);
  const userId = socket.data.userId as string;
  socket.on("message:send", (input: { conversationId: string; clientMsgId: string; body: string }, ack: (result: unknown) => void) => {
    const seq = (seqs.get(input.conversationId) ?? 0) + 1;
    seqs.set(input.conversationId, seq);
    const message = {
      id: randomUUID(),
      conversationId: input.conversationId,
      seq,
      senderId: userId,
      clientMsgId: input.clientMsgId,
      kind: "text",
      body: input.body,
      mentions: [],
      meta: null,
      createdAt: new Date().toISOString(),
      recalledAt: null,
      editedAt: null,
      modVersion: 0,
    };
    const members = directMembers.get(input.conversationId);
    // As the app: every member's devices except the sending socket, which gets the ack.
    io.to(members ? [...members].map((id) => `user:${id}`) : `conversation:${input.conversationId}`)
      .except(socket.id)
      .emit("message:new", message);
    ack({ ok: true, data: { message } });
  });
  for (const event of ["messages:history", "conversations:sync"]) {
    socket.on(event, (_input: unknown, ack: (result: unknown) => void) => ack({ ok: true, data: canned.get(event) ?? null }));
  }
});

/** A Buffer crosses IPC in its JSON form; the app answered with bytes (a binary attachment), so the relay does too. */
function bytesRevived(data: unknown) {
  const json = data as { type?: unknown; data?: unknown } | null;
  return json?.type === "Buffer" && Array.isArray(json.data) ? Buffer.from(json.data as number[]) : data;
}

await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));

serveRequests({
  ...selfMeasures,
  stats: ({ gc }) => processStats({ gc: gc === true, sockets: io.engine.clientsCount, namespace: io.of("/") }),
  canned: ({ event, data }) => void canned.set(event as string, bytesRevived(data)),
  stop: async () => {
    await io.close();
    await Promise.allSettled([pub?.close(), sub?.close()]);
    process.exit(0);
  },
});
announceReady({ port: (httpServer.address() as AddressInfo).port });
